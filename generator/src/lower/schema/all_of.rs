//! `allOf`: one member with words beside it is that member; objects are merged into one struct, with a
//! union of objects among them flattened in; members that no value can satisfy at once are refused.

use super::*;

impl Lowerer<'_> {
    /// `allOf`: one member (how 3.1 siblings of a `$ref` arrive) is that member with this schema's
    /// metadata; several object members are merged into one struct.
    pub(super) fn all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        mut shape: Shape,
        schema: &Schema,
        at: &str,
        naming: Naming,
    ) -> Result<Shape> {
        // Object keywords beside one member that is not an object (`additionalProperties: false`
        // written beside `allOf: [$ref: AnEnum]`) constrain nothing: no value of that type is an object.
        let sibling = sibling_object(schema);
        let vacuous = match (members, sibling) {
            ([only], Some((properties, required, _))) if properties.is_empty() && required.is_empty() => {
                matches!(member_part(self.resolve_schema(only.into(), at)?.0), Part::Other(_))
            }
            _ => false,
        };
        if let [only] = members {
            if sibling.is_none() || vacuous {
                let inner = self.schema(only.into(), &pointer(&pointer(at, "allOf"), "0"), naming)?;
                shape.ty = inner.ty;
                shape.nullable |= inner.nullable;
                shape.docs = shape.docs.or(inner.docs);
                return Ok(shape);
            }
        }
        if let Some(index) = self.union_of_objects_member(members, at)? {
            // `allOf: [{..object..}, {oneOf: [..objects..]}]`: the objects' struct with the union
            // flattened in, as when properties sit beside a `oneOf`.
            let union_at = pointer(&pointer(at, "allOf"), &index.to_string());
            let hint = naming.hint().suffixed("Variant");
            let union = self.schema((&members[index]).into(), &union_at, Naming::Inline(hint))?.ty;
            let mut merged = Merged::default();
            self.merge_all_of(schema, at, &mut merged, 0, Some(index))?;
            let props =
                Props { properties: &merged.properties, required: &merged.required, origins: Some(&merged.origins) };
            let ty = self.object(props, merged.additional.as_ref(), schema, at, naming)?;
            shape.ty = self.flatten_union(ty, union);
            return Ok(shape);
        }
        if sibling.is_none() {
            if let Some((main, notes)) = self.annotated_member(members, at)? {
                // `allOf: [$ref: Arn, {description: ..}]`: that type, with the other members' words.
                let main_at = pointer(&pointer(at, "allOf"), &main.to_string());
                let inner = self.schema((&members[main]).into(), &main_at, naming)?;
                shape.ty = inner.ty;
                shape.nullable |= inner.nullable;
                shape.docs = shape.docs.or(notes).or(inner.docs);
                return Ok(shape);
            }
        }
        let mut merged = Merged::default();
        self.merge_all_of(schema, at, &mut merged, 0, None)?;
        let props =
            Props { properties: &merged.properties, required: &merged.required, origins: Some(&merged.origins) };
        shape.ty = self.object(props, merged.additional.as_ref(), schema, at, naming)?;
        Ok(shape)
    }

    /// The one member of an `allOf` that is a union whose members are all objects, when the others
    /// are objects (one at least) or annotations: such an `allOf` is an object that is also one of
    /// the union's. `None` for any other `allOf`, which `annotated_member` and merging judge.
    pub(super) fn union_of_objects_member(&self, members: &[ReferenceOr<Schema>], at: &str) -> Result<Option<usize>> {
        let (mut union, mut objects) = (None, 0);
        for (i, member) in members.iter().enumerate() {
            let member_at = pointer(&pointer(at, "allOf"), &i.to_string());
            let (resolved, resolved_at) = self.resolve_schema(member.into(), &member_at)?;
            match member_part(resolved) {
                Part::Annotation => {}
                Part::Object => objects += 1,
                Part::Other("union") if union.is_none() => {
                    let (variants, key) = match &resolved.schema_kind {
                        SchemaKind::OneOf { one_of } => (one_of.as_slice(), "oneOf"),
                        SchemaKind::AnyOf { any_of } => (any_of.as_slice(), "anyOf"),
                        SchemaKind::Any(a) if !a.one_of.is_empty() => (a.one_of.as_slice(), "oneOf"),
                        SchemaKind::Any(a) => (a.any_of.as_slice(), "anyOf"),
                        _ => return Ok(None),
                    };
                    for (j, variant) in variants.iter().enumerate() {
                        let variant_at = pointer(&pointer(&resolved_at, key), &j.to_string());
                        if !matches!(member_part(self.resolve_schema(variant.into(), &variant_at)?.0), Part::Object) {
                            return Ok(None);
                        }
                    }
                    union = Some(i);
                }
                Part::Other(_) => return Ok(None),
            }
        }
        Ok(union.filter(|_| objects > 0))
    }

    /// For an `allOf` whose members are one schema (or several non-object ones of the same type)
    /// plus members that only annotate it (a description, constraints): the index of the member that
    /// gives the type (the first `$ref` among them), and the annotations' description. `None` when
    /// two or more members are objects (they are merged); an error when objects and other shapes are
    /// mixed, which no value can satisfy as one Rust type.
    pub(super) fn annotated_member(
        &self,
        members: &[ReferenceOr<Schema>],
        at: &str,
    ) -> Result<Option<(usize, Option<String>)>> {
        let (mut objects, mut others, mut notes) = (Vec::new(), Vec::new(), None);
        for (i, member) in members.iter().enumerate() {
            let member_at = pointer(&pointer(at, "allOf"), &i.to_string());
            let (resolved, _) = self.resolve_schema(member.into(), &member_at)?;
            match member_part(resolved) {
                Part::Annotation => notes = notes.or_else(|| resolved.schema_data.description.clone()),
                Part::Object => objects.push((i, member_at)),
                Part::Other(kind) => others.push((i, kind, member_at)),
            }
        }
        let Some((first, kind, other_at)) = others.first() else {
            // One object and annotations: that object (a `$ref` stays a reference, not a copy).
            return Ok(match objects.as_slice() {
                [(only, _)] => Some((*only, notes)),
                _ => None,
            });
        };
        if let Some((_, object_at)) = objects.first() {
            // A union of objects is flattened in before this is asked; one with other members
            // would have to be narrowed to its objects, which this generator does not do.
            let message = match *kind {
                "union" => format!(
                    "an `allOf` that requires both an object ({object_at}) and a union with members that are not \
                     objects ({other_at}); only its object members can be both"
                ),
                _ => format!(
                    "an `allOf` that requires both an object ({object_at}) and {} ({other_at}); no value is both",
                    with_article(kind)
                ),
            };
            let kind = if *kind == "union" { Error::unsupported } else { Error::invalid };
            return Err(kind(pointer(at, "allOf"), message));
        }
        if let Some((_, other_kind, second_at)) = others.iter().find(|(_, k, _)| k != kind) {
            let message = format!(
                "an `allOf` that requires both {} ({other_at}) and {} ({second_at})",
                with_article(kind),
                with_article(other_kind)
            );
            return Err(Error::invalid(pointer(at, "allOf"), message));
        }
        let main = others.iter().find(|(i, _, _)| matches!(members[*i], ReferenceOr::Reference { .. }));
        Ok(Some((main.map_or(*first, |(i, _, _)| *i), notes)))
    }

    /// Adds an `allOf` schema's members to `merged`, flattening members that are `allOf`s themselves,
    /// then the object keywords written beside its `allOf` (later properties win, `required` adds up).
    /// `skip` is a member of this `allOf` left out (a union the caller flattens in).
    pub(super) fn merge_all_of(
        &self,
        schema: &Schema,
        at: &str,
        merged: &mut Merged,
        depth: usize,
        skip: Option<usize>,
    ) -> Result<()> {
        if depth > 32 {
            return Err(Error::reference(at, "`allOf` members that include each other without end"));
        }
        let members = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            SchemaKind::Any(any) => any.all_of.as_slice(),
            _ => &[],
        };
        for (i, member) in members.iter().enumerate() {
            if skip == Some(i) {
                continue;
            }
            let member_at = pointer(&pointer(at, "allOf"), &i.to_string());
            let (resolved, resolved_at) = self.resolve_schema(member.into(), &member_at)?;
            let nested = matches!(&resolved.schema_kind, SchemaKind::AllOf { .. })
                || matches!(&resolved.schema_kind, SchemaKind::Any(a) if !a.all_of.is_empty());
            if nested {
                self.merge_all_of(resolved, &resolved_at, merged, depth + 1, None)?;
                continue;
            }
            let Some(parts) = object_parts(resolved).or_else(|| sibling_object(resolved)) else {
                let what = if resolved_at == member_at { String::new() } else { format!(" (`{resolved_at}`)") };
                let message = format!("an `allOf` member{what} that is not an object schema");
                return Err(Error::unsupported(member_at, message));
            };
            merged.add(parts, &resolved_at);
        }
        if let Some(parts) = sibling_object(schema) {
            merged.add(parts, at);
        }
        Ok(())
    }
}

/// The object keywords of an `allOf`, merged.
#[derive(Default)]
pub(super) struct Merged {
    pub(super) properties: indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub(super) required: Vec<String>,
    pub(super) additional: Option<AdditionalProperties>,
    pub(super) origins: Origins,
}

impl Merged {
    /// Adds the object keywords of the schema at `at`.
    pub(super) fn add(&mut self, (props, required, additional): ObjectParts<'_>, at: &str) {
        for (k, v) in props {
            self.properties.insert(k.clone(), v.clone());
            self.origins.properties.insert(k.clone(), at.to_string());
        }
        if self.additional.is_none() && additional.is_some() {
            self.origins.additional = Some(at.to_string());
        }
        for name in required {
            if !self.required.contains(name) {
                self.required.push(name.clone());
            }
        }
        self.additional = self.additional.take().or(additional.cloned());
    }
}

/// The object keywords of an untyped (or `type: object`) schema that is neither a union nor an array:
/// the properties written beside an `allOf`, or an `allOf` member such as `{required: [name]}`.
/// How a (resolved) `allOf` member takes part in the whole.
pub(super) enum Part {
    /// Only words and constraints (`description`, `maxLength`, …): no shape of its own.
    Annotation,
    /// An object schema: merged with the other objects.
    Object,
    /// Any other shape, by kind (`string`, `array`, `union`…).
    Other(&'static str),
}

/// `a string`, `an array`.
pub(super) fn with_article(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o']) { "an" } else { "a" };
    format!("{article} {kind}")
}

pub(super) fn member_part(schema: &Schema) -> Part {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => Part::Object,
        SchemaKind::Type(Type::String(_)) => Part::Other("string"),
        SchemaKind::Type(Type::Integer(_)) => Part::Other("integer"),
        SchemaKind::Type(Type::Number(_)) => Part::Other("number"),
        SchemaKind::Type(Type::Boolean(_)) => Part::Other("boolean"),
        SchemaKind::Type(Type::Array(_)) => Part::Other("array"),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => Part::Other("union"),
        SchemaKind::Not { .. } => Part::Other("`not` schema"),
        SchemaKind::Any(a) => {
            let union = !a.one_of.is_empty() || !a.any_of.is_empty();
            if union && a.properties.is_empty() && a.all_of.is_empty() {
                // `{type: object, additionalProperties: false, oneOf: [..]}`: the object keywords
                // only restate what the members are; the shape is the union.
                return Part::Other("union");
            }
            let object = !a.properties.is_empty()
                || !a.required.is_empty()
                || a.additional_properties.is_some()
                || !a.all_of.is_empty()
                || a.typ.as_deref() == Some("object");
            let shaped = a.typ.is_some() || a.items.is_some() || !a.enumeration.is_empty() || a.not.is_some();
            if object {
                Part::Object
            } else if !a.one_of.is_empty() || !a.any_of.is_empty() {
                Part::Other("union")
            } else if shaped {
                Part::Other(match a.typ.as_deref() {
                    Some("string") => "string",
                    Some("integer") => "integer",
                    Some("number") => "number",
                    Some("boolean") => "boolean",
                    Some("array") => "array",
                    _ if a.items.is_some() => "array",
                    _ => "value",
                })
            } else {
                Part::Annotation
            }
        }
    }
}

pub(super) fn sibling_object(schema: &Schema) -> Option<ObjectParts<'_>> {
    let SchemaKind::Any(a) = &schema.schema_kind else { return None };
    let plain = a.one_of.is_empty() && a.any_of.is_empty() && a.items.is_none() && a.enumeration.is_empty();
    let object_keywords = !a.properties.is_empty() || !a.required.is_empty() || a.additional_properties.is_some();
    let untyped = a.typ.as_deref().is_none_or(|t| t == "object");
    (plain && untyped && (object_keywords || (a.all_of.is_empty() && a.typ.is_none() && a.not.is_none()))).then_some((
        &a.properties,
        a.required.as_slice(),
        a.additional_properties.as_ref(),
    ))
}
