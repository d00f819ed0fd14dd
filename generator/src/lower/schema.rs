//! Schemas into [`TypeRef`]s and named [`TypeDef`]s.

use super::names::Hint;
use super::{local_ref, Lowerer};
use crate::error::{pointer, Error, Result};
use crate::model::*;
use crate::naming::{self, NameSet};
use crate::normalize::{CONST_EXTENSION, NULL_EXTENSION};
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerType, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// How deep inline schemas may nest; real documents stay far below it.
const MAX_DEPTH: usize = 96;

/// A schema's place: a `$ref` or an inline schema. Properties hold `Box<Schema>`, the rest `Schema`.
#[derive(Clone, Copy)]
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

/// A lowered schema: its Rust shape plus what the place that uses it needs to know.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    pub ty: TypeRef,
    pub nullable: bool,
    pub docs: Option<String>,
    pub default: Option<Value>,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// Bounds on a number, `(value, exclusive)`.
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
}

impl Shape {
    fn plain(ty: TypeRef) -> Self {
        Shape {
            ty,
            nullable: false,
            docs: None,
            default: None,
            deprecated: false,
            read_only: false,
            write_only: false,
            minimum: None,
            maximum: None,
        }
    }
}

/// How to name a type that a schema turns into.
#[derive(Clone)]
pub(crate) enum Naming {
    /// The component's type, reserved before anything inline.
    Component(TypeId),
    /// The name to ask for (unless the schema has a `title`) if an inline schema needs a type.
    Inline(Hint),
}

impl Lowerer<'_> {
    /// Lowers `components.schemas[key]` into its reserved type.
    pub(super) fn component(&mut self, key: &str) -> Result<()> {
        let Some(components) = &self.doc.components else { return Ok(()) };
        let Some(schema) = components.schemas.get(key) else { return Ok(()) };
        let id = self.components[key];
        let at = pointer("#/components/schemas", key);
        let shape = self.schema(schema.into(), &at, Naming::Component(id))?;
        let named_here = matches!(&shape.ty, TypeRef::Named(n) if *n == id);
        if !named_here {
            // The schema is a primitive, a container or another type: it becomes an alias.
            let (docs, title) = match schema {
                ReferenceOr::Item(s) => (s.schema_data.description.clone(), s.schema_data.title.clone()),
                ReferenceOr::Reference { .. } => (None, None),
            };
            let deprecated = matches!(schema, ReferenceOr::Item(s) if s.schema_data.deprecated);
            let def = TypeDef { name: String::new(), pointer: at, docs, deprecated, kind: TypeKind::Alias(shape.ty) };
            self.define(id, def, title);
        }
        Ok(())
    }

    /// The shape of a value without a schema: any JSON.
    pub(crate) fn schema_json(&self) -> Shape {
        Shape::plain(TypeRef::Json)
    }

    /// Lowers a schema into a shape, creating named types for objects, enums and unions.
    pub(crate) fn schema(&mut self, schema: SchemaRef<'_>, at: &str, naming: Naming) -> Result<Shape> {
        match schema {
            SchemaRef::Ref(reference) => self.reference(reference, at),
            SchemaRef::Item(schema) => self.inline(schema, at, naming),
        }
    }

    fn reference(&mut self, reference: &str, at: &str) -> Result<Shape> {
        let key = local_ref(reference, "schemas", at)?;
        let id = self
            .components
            .get(key)
            .copied()
            .ok_or_else(|| Error::reference(at, format!("`{reference}` points to no schema")))?;
        Ok(Shape { nullable: self.component_nullable(key), ..Shape::plain(TypeRef::Named(id)) })
    }

    /// Whether a component admits `null` itself (then every use of it is nullable).
    fn component_nullable(&self, key: &str) -> bool {
        let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
        let Some(entry) = schemas.and_then(|s| s.get(key)) else { return false };
        // A chain that loops or leads nowhere is that component's error, reported where it is
        // lowered; asked here, it admits no `null`.
        super::resolve(schemas, entry, "schemas", "#").is_ok_and(|(schema, _)| schema.schema_data.nullable)
    }

    /// An inline schema, at most [`MAX_DEPTH`] deep: merging `allOf` members copies their
    /// properties inline, and a member that includes itself through a property would never end.
    fn inline(&mut self, schema: &Schema, at: &str, naming: Naming) -> Result<Shape> {
        if self.depth >= MAX_DEPTH {
            let message =
                format!("schemas nested more than {MAX_DEPTH} levels deep (an `allOf` that includes itself?)");
            return Err(Error::unsupported(at, message));
        }
        self.depth += 1;
        let shape = self.inline_schema(schema, at, naming);
        self.depth -= 1;
        shape
    }

    fn inline_schema(&mut self, schema: &Schema, at: &str, naming: Naming) -> Result<Shape> {
        let data = &schema.schema_data;
        let mut shape = Shape {
            nullable: data.nullable,
            docs: data.description.clone(),
            default: data.default.clone(),
            deprecated: data.deprecated,
            read_only: data.read_only,
            write_only: data.write_only,
            ty: TypeRef::Json,
            minimum: None,
            maximum: None,
        };
        if data.extensions.contains_key(crate::parse::INVALID_EXTENSION) {
            return Err(invalid_error(schema));
        }
        if data.extensions.get(NULL_EXTENSION).is_some_and(|v| v == true) {
            shape.ty = self.const_type(&Value::Null);
            return Ok(shape);
        }
        if let Some(value) = data.extensions.get(CONST_EXTENSION) {
            shape.ty = self.const_type(value);
            return Ok(shape);
        }
        let naming = match naming {
            Naming::Inline(hint) => {
                Naming::Inline(data.title.as_deref().map(naming::type_name).map_or(hint, Hint::text))
            }
            component => component,
        };
        shape.ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<&str> = s.enumeration.iter().flatten().map(String::as_str).collect();
                shape.nullable |= s.enumeration.iter().any(Option::is_none);
                if values.is_empty() {
                    string_format(&s.format)
                } else {
                    self.string_enum(&values, schema, at, naming)
                }
            }
            SchemaKind::Type(Type::Integer(int)) => {
                // i64 bounds as f64: exact up to 2^53, far beyond any bound a document sets.
                #[allow(clippy::cast_precision_loss)]
                let bound = |value: Option<i64>, exclusive: bool| value.map(|v| (v as f64, exclusive));
                shape.minimum = bound(int.minimum, int.exclusive_minimum);
                shape.maximum = bound(int.maximum, int.exclusive_maximum);
                TypeRef::Int(int_kind(int))
            }
            SchemaKind::Type(Type::Number(number)) => {
                shape.minimum = number.minimum.map(|v| (v, number.exclusive_minimum));
                shape.maximum = number.maximum.map(|v| (v, number.exclusive_maximum));
                TypeRef::Float
            }
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(array)) => {
                self.items(array.items.as_ref().map(SchemaRef::from), at, &naming)?
            }
            SchemaKind::Type(Type::Object(object)) => {
                let props = Props { properties: &object.properties, required: &object.required, origins: None };
                self.object(props, object.additional_properties.as_ref(), schema, at, naming)?
            }
            SchemaKind::AllOf { all_of } => return self.all_of(all_of, shape, schema, at, naming),
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
                self.union(variants, schema, at, naming)?
            }
            SchemaKind::Not { not } => {
                // Rust types cannot say "anything but": every value the schema admits decodes.
                let message = match &**not {
                    ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(a) if *a == AnySchema::default()) => {
                        "a schema that admits no value (`false`, `not: {}`): read as any JSON value"
                    }
                    _ => "a `not` schema has no Rust type: read as any JSON value, which the client does not check against it",
                };
                self.warn(&pointer(at, "not"), message);
                TypeRef::Json
            }
            SchemaKind::Any(any) => return self.any(any, shape, schema, at, naming),
        };
        Ok(shape)
    }

    /// Untyped schemas: `openapiv3` uses this for mixed keywords, so look at what is there.
    fn any(&mut self, any: &AnySchema, mut shape: Shape, schema: &Schema, at: &str, naming: Naming) -> Result<Shape> {
        let has_union = !any.one_of.is_empty() || !any.any_of.is_empty();
        if has_union && (!any.properties.is_empty() || !any.all_of.is_empty()) {
            shape.ty = self.object_with_union(any, schema, at, naming)?;
            return Ok(shape);
        }
        shape.ty = if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, shape, schema, at, naming);
        } else if has_union {
            let variants = if any.one_of.is_empty() { &any.any_of } else { &any.one_of };
            self.union(variants, schema, at, naming)?
        } else if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
            let props = Props { properties: &any.properties, required: &any.required, origins: None };
            self.object(props, any.additional_properties.as_ref(), schema, at, naming)?
        } else if any.typ.as_deref() == Some("array") {
            self.items(any.items.as_ref().map(SchemaRef::from), at, &naming)?
        } else if any.items.is_some() && any.typ.is_none() {
            self.items_without_type(any, schema, at, naming)?
        } else {
            let strings: Vec<&str> = any.enumeration.iter().filter_map(Value::as_str).collect();
            shape.nullable |= any.enumeration.iter().any(Value::is_null);
            match any.typ.as_deref() {
                _ if !strings.is_empty() && strings.len() + usize::from(shape.nullable) == any.enumeration.len() => {
                    self.string_enum(&strings, schema, at, naming)
                }
                Some("string") => string_format(
                    &any.format.clone().map_or(VariantOrUnknownOrEmpty::Empty, VariantOrUnknownOrEmpty::Unknown),
                ),
                Some("integer") => TypeRef::Int(IntKind::I64),
                Some("number") => TypeRef::Float,
                Some("boolean") => TypeRef::Bool,
                Some(other) if !["object", "array", "null"].contains(&other) => {
                    let message = format!(
                        "`{other}` is not a JSON Schema type (string, number, integer, boolean, array, object or null)"
                    );
                    return Err(Error::invalid(pointer(at, "type"), message));
                }
                _ => TypeRef::Json,
            }
        };
        Ok(shape)
    }

    /// Properties (or `allOf` members) beside a `oneOf`/`anyOf`: a struct of the common properties
    /// with the union flattened into it (`#[serde(flatten)]`), so that one value carries both.
    fn object_with_union(&mut self, any: &AnySchema, schema: &Schema, at: &str, naming: Naming) -> Result<TypeRef> {
        let variants = if any.one_of.is_empty() { &any.any_of } else { &any.one_of };
        let union_hint = naming.hint().suffixed("Variant");
        let union = self.union(variants, schema, at, Naming::Inline(union_hint))?;
        let ty = if any.all_of.is_empty() {
            let props = Props { properties: &any.properties, required: &any.required, origins: None };
            self.object(props, any.additional_properties.as_ref(), schema, at, naming)?
        } else {
            let mut merged = Merged::default();
            self.merge_all_of(schema, at, &mut merged, 0, None)?;
            let props =
                Props { properties: &merged.properties, required: &merged.required, origins: Some(&merged.origins) };
            self.object(props, merged.additional.as_ref(), schema, at, naming)?
        };
        Ok(self.flatten_union(ty, union))
    }

    /// The struct `ty` with `union` flattened into it as a field `variant`.
    fn flatten_union(&mut self, ty: TypeRef, union: TypeRef) -> TypeRef {
        let TypeRef::Named(id) = &ty else { return ty };
        if let Some(TypeKind::Struct(s)) = self.def_mut(*id).map(|t| &mut t.kind) {
            // serde cannot deny unknown fields beside a flattened one, and a union has no `Default`.
            if s.additional == Additional::Deny {
                s.additional = Additional::Ignore;
            }
            s.default = false;
            let taken: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
            let mut names = NameSet::with_reserved(&taken);
            s.fields.push(Field {
                name: names.claim("variant"),
                wire_name: String::new(),
                docs: Some("Which of the schema's alternatives this value is.".to_string()),
                ty: union,
                presence: Presence::Flattened,
                deprecated: false,
                read_only: false,
                write_only: false,
                default: None,
                accessor: None,
            });
        }
        ty
    }

    /// `items` without `type: array` applies only when the value is an array: any other value is
    /// valid too (slack.com's `objs_conversation` is answered as an object). The shape is a union
    /// of the list and any other JSON value, so that every value the schema accepts decodes.
    fn items_without_type(&mut self, any: &AnySchema, schema: &Schema, at: &str, naming: Naming) -> Result<TypeRef> {
        self.warn(
            &pointer(at, "items"),
            "`items` without `type: array` constrains arrays only; the value is read as a list or, when it is \
             not one, as any JSON value",
        );
        let id = self.claim(&naming);
        let list = self.items(any.items.as_ref().map(SchemaRef::from), at, &Naming::Inline(Hint::child(id, "")))?;
        let variant = |name: &str, ty: TypeRef| UnionVariant {
            name: name.to_string(),
            ty,
            tags: Vec::new(),
            open: false,
            constructor: None,
            keys: None,
        };
        let variants = vec![variant("List", list), variant("Other", TypeRef::Json)];
        self.push_type(
            id,
            schema,
            at,
            TypeKind::Union(Union { tagging: Tagging::Untagged, variants, converts: false }),
        );
        Ok(TypeRef::Named(id))
    }

    fn items(&mut self, items: Option<SchemaRef<'_>>, at: &str, naming: &Naming) -> Result<TypeRef> {
        let Some(items) = items else { return Ok(TypeRef::Vec(Box::new(TypeRef::Json))) };
        let hint = naming.hint().suffixed("Item");
        let item = self.schema(items, &pointer(at, "items"), Naming::Inline(hint))?;
        Ok(TypeRef::Vec(Box::new(nullable_ty(item))))
    }

    /// `allOf`: one member (how 3.1 siblings of a `$ref` arrive) is that member with this schema's
    /// metadata; several object members are merged into one struct.
    fn all_of(
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
    fn union_of_objects_member(&self, members: &[ReferenceOr<Schema>], at: &str) -> Result<Option<usize>> {
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
    fn annotated_member(&self, members: &[ReferenceOr<Schema>], at: &str) -> Result<Option<(usize, Option<String>)>> {
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
    fn merge_all_of(
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

    /// Follows `$ref`s (and single-member `allOf` wrappers) to the schema they name.
    pub(crate) fn resolve_schema<'s>(&self, schema: SchemaRef<'s>, at: &str) -> Result<(&'s Schema, String)>
    where
        Self: 's,
    {
        let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
        let mut current = schema;
        let mut at = at.to_string();
        // Components passed through, for the one cycle rule (see `super::resolve`): a `$ref`
        // chain or a chain of one-member `allOf`s that comes back is an error at its pointer.
        let mut seen: Vec<String> = Vec::new();
        loop {
            match current {
                SchemaRef::Item(s) if s.schema_data.extensions.contains_key(crate::parse::INVALID_EXTENSION) => {
                    return Err(invalid_error(s));
                }
                SchemaRef::Item(s) => match &s.schema_kind {
                    SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                        at = pointer(&pointer(&at, "allOf"), "0");
                        current = (&all_of[0]).into();
                    }
                    _ => return Ok((s, at)),
                },
                SchemaRef::Ref(reference) => {
                    if seen.iter().any(|place| place == reference) {
                        return Err(Error::reference(at, format!("`{reference}` is part of a reference cycle")));
                    }
                    seen.push(reference.to_string());
                    let (target, target_at) = super::resolve_ref(schemas, reference, "schemas", &at)?;
                    at = target_at;
                    current = SchemaRef::Item(target);
                }
            }
        }
    }

    fn object(
        &mut self,
        props: Props<'_>,
        additional: Option<&AdditionalProperties>,
        schema: &Schema,
        at: &str,
        naming: Naming,
    ) -> Result<TypeRef> {
        let additional = match additional {
            None | Some(AdditionalProperties::Any(true)) if props.properties.is_empty() => {
                return Ok(if additional.is_some() {
                    TypeRef::Map(Box::new(TypeRef::Json))
                } else {
                    TypeRef::JsonObject
                });
            }
            None => Additional::Ignore,
            Some(AdditionalProperties::Any(false)) => Additional::Deny,
            Some(AdditionalProperties::Any(true)) => Additional::Collect(TypeRef::Json),
            Some(AdditionalProperties::Schema(value)) => {
                let hint = naming.hint().suffixed("Value");
                let origin = props.origins.and_then(|o| o.additional.as_deref()).unwrap_or(at);
                let value =
                    self.schema((&**value).into(), &pointer(origin, "additionalProperties"), Naming::Inline(hint))?;
                if props.properties.is_empty() {
                    return Ok(TypeRef::Map(Box::new(nullable_ty(value))));
                }
                Additional::Collect(nullable_ty(value))
            }
        };
        let id = self.claim(&naming);
        let mut field_names = NameSet::with_reserved(&[naming::ADDITIONAL_FIELD]);
        let mut accessors = NameSet::with_reserved(naming::STRUCT_METHODS);
        let mut fields = Vec::new();
        for (wire_name, property) in props.properties {
            let origin = props.origins.and_then(|o| o.properties.get(wire_name)).map_or(at, String::as_str);
            let prop_at = pointer(&pointer(origin, "properties"), wire_name);
            let hint = Hint::child(id, naming::type_name(wire_name));
            let shape = self.schema(property.into(), &prop_at, Naming::Inline(hint))?;
            let required = props.required.contains(wire_name);
            let is_const = matches!(shape.ty, TypeRef::Const(_));
            let presence = match (required, shape.nullable) {
                // A `const: null` field is its own null; no Option around it.
                _ if is_const && shape.nullable => Presence::Required,
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            let field_name = field_names.claim(&naming::field_name(wire_name));
            // The field stays `None` until someone sets it, so that a request never carries a
            // default its caller did not ask for; reading it through the accessor fills the default in.
            let fills = shape.default.as_ref().is_some_and(|d| self.fills_default(property.into(), &shape.ty, d));
            let accessor =
                (presence == Presence::Optional && fills).then(|| accessors.claim(&naming::accessor_name(&field_name)));
            fields.push(Field {
                name: field_name,
                wire_name: wire_name.clone(),
                docs: shape.docs,
                ty: shape.ty,
                presence,
                deprecated: shape.deprecated,
                read_only: shape.read_only,
                write_only: shape.write_only,
                default: shape.default,
                accessor,
            });
        }
        let default = fields.iter().all(|f| match f.presence {
            Presence::Required => matches!(f.ty, TypeRef::Const(_)),
            Presence::Flattened => false,
            _ => true,
        });
        self.push_type(id, schema, at, TypeKind::Struct(Struct { fields, default, additional }));
        Ok(TypeRef::Named(id))
    }

    fn string_enum(&mut self, values: &[&str], schema: &Schema, at: &str, naming: Naming) -> TypeRef {
        let id = self.claim(&naming);
        let mut names = NameSet::default();
        let mut variants: Vec<EnumVariant> = Vec::new();
        for value in values {
            if variants.iter().any(|v| v.value == *value) {
                continue;
            }
            variants.push(EnumVariant { name: names.claim(&naming::variant_name(value)), value: value.to_string() });
        }
        self.push_type(id, schema, at, TypeKind::Enum(StringEnum { variants }));
        TypeRef::Named(id)
    }

    fn union(&mut self, members: &[ReferenceOr<Schema>], schema: &Schema, at: &str, naming: Naming) -> Result<TypeRef> {
        let keyword = match &schema.schema_kind {
            SchemaKind::AnyOf { .. } => "anyOf",
            SchemaKind::Any(any) if any.one_of.is_empty() => "anyOf",
            _ => "oneOf",
        };
        let id = self.claim(&naming);
        let union_at = pointer(at, keyword);
        let tags = self.tags(members, schema, at, &union_at)?;
        let own = if tags.is_none() { self.own_required(members, &union_at)? } else { Vec::new() };
        let mut shapes = Vec::new();
        for (i, member) in members.iter().enumerate() {
            // An inline member is named after its tag when it has one (`EventCharge`), else after
            // the property only it requires (`ImportTargetUrl`).
            let label = tags.as_ref().and_then(|(_, t)| t[i].first()).or_else(|| own.get(i)?.as_ref());
            let hint = match label {
                Some(label) => Hint::child(id, naming::variant_name(label)),
                None => Hint::child(id, format!("Variant{}", i + 1)),
            };
            let member_at = pointer(&union_at, &i.to_string());
            let shape = self.schema(member.into(), &member_at, Naming::Inline(hint))?;
            shapes.push((nullable_ty(shape), member));
        }
        let tagging = match &tags {
            Some((property, _)) => Tagging::Tagged { property: property.clone(), shared: Vec::new() },
            None => Tagging::Untagged,
        };
        // Variants are named with the types, by the naming pass: an untagged member after its type.
        let mut variants = Vec::new();
        for (i, (ty, _)) in shapes.into_iter().enumerate() {
            let variant_tags = tags.as_ref().map(|(_, t)| t[i].clone()).unwrap_or_default();
            variants.push(UnionVariant {
                name: String::new(),
                ty,
                tags: variant_tags,
                open: false,
                constructor: None,
                keys: None,
            });
        }
        self.push_type(id, schema, at, TypeKind::Union(Union { tagging, variants, converts: false }));
        Ok(TypeRef::Named(id))
    }

    /// The tag property and each member's tag values: from the discriminator, or inferred when every
    /// member is an object with a required string `const` (or one-value `enum`, 3.0's way to write
    /// it) on one same property, each member's its own.
    fn tags(
        &self,
        members: &[ReferenceOr<Schema>],
        schema: &Schema,
        at: &str,
        union_at: &str,
    ) -> Result<Option<(String, Vec<Vec<String>>)>> {
        let objects = members
            .iter()
            .enumerate()
            .map(|(i, m)| self.resolve_schema(m.into(), &pointer(union_at, &i.to_string())).map(|(s, _)| s))
            .collect::<Result<Vec<_>>>()?;
        if let Some(discriminator) = &schema.schema_data.discriminator {
            let property = &discriminator.property_name;
            let mapping_at = pointer(&pointer(at, "discriminator"), "mapping");
            for (value, target) in &discriminator.mapping {
                if !target.starts_with('#') && target.contains(['#', '/']) {
                    // A name has neither (components are named `^[a-zA-Z0-9.\-_]+$`): another file.
                    let message = format!(
                        "the discriminator value `{value}` maps to the external reference `{target}`: only local \
                         references and schema names are supported"
                    );
                    return Err(Error::unsupported(pointer(&mapping_at, value), message));
                }
                let key = if target.starts_with('#') {
                    local_ref(target, "schemas", &mapping_at).ok()
                } else {
                    Some(target.as_str())
                };
                if !key.is_some_and(|k| self.components.contains_key(k)) {
                    let message =
                        format!("the discriminator value `{value}` maps to `{target}`, which names no schema");
                    return Err(Error::reference(pointer(&mapping_at, value), message));
                }
            }
            let mut tags = Vec::new();
            for (member, object) in members.iter().zip(&objects) {
                let mut values: Vec<String> = match member {
                    ReferenceOr::Reference { reference } => discriminator
                        .mapping
                        .iter()
                        .filter(|(_, target)| {
                            *target == reference || target.rsplit('/').next() == reference.rsplit('/').next()
                        })
                        .map(|(value, _)| value.clone())
                        .collect(),
                    ReferenceOr::Item(_) => Vec::new(),
                };
                if values.is_empty() {
                    values.extend(const_string(object, property).or_else(|| single_enum_string(object, property)));
                }
                if values.is_empty() {
                    if let ReferenceOr::Reference { reference } = member {
                        values.push(reference.rsplit('/').next().unwrap_or(reference).to_string());
                    }
                }
                if values.is_empty() {
                    // An inline member without a value for the tag: decode by trying the members instead.
                    return Ok(None);
                }
                tags.push(values);
            }
            return Ok(Some((property.clone(), tags)));
        }
        let Some(first) = objects.first() else { return Ok(None) };
        let Some((candidates, _, _)) = object_parts(first) else { return Ok(None) };
        for property in candidates.keys() {
            let tags: Option<Vec<String>> = objects
                .iter()
                .map(|o| {
                    object_parts(o)
                        .filter(|(_, req, _)| req.contains(property))
                        .and_then(|_| const_string(o, property).or_else(|| single_enum_string(o, property)))
                })
                .collect();
            if let Some(tags) = tags {
                let distinct: std::collections::BTreeSet<&String> = tags.iter().collect();
                if distinct.len() == tags.len() && tags.len() > 1 {
                    return Ok(Some((property.clone(), tags.into_iter().map(|t| vec![t]).collect())));
                }
            }
        }
        Ok(None)
    }

    /// For each member of an untagged union: the first property an inline object member requires
    /// that no other member requires or has, which tells it apart on the wire.
    fn own_required(&self, members: &[ReferenceOr<Schema>], union_at: &str) -> Result<Vec<Option<String>>> {
        let objects = members
            .iter()
            .enumerate()
            .map(|(i, m)| self.resolve_schema(m.into(), &pointer(union_at, &i.to_string())).map(|(s, _)| s))
            .collect::<Result<Vec<_>>>()?;
        let parts: Vec<_> = objects.iter().map(|o| object_parts(o)).collect();
        let labels = members.iter().enumerate().map(|(i, member)| {
            let (ReferenceOr::Item(_), Some((_, required, _))) = (member, parts[i]) else { return None };
            let elsewhere = |property: &String| {
                parts.iter().enumerate().any(|(j, other)| {
                    j != i
                        && other.is_none_or(|(properties, required, _)| {
                            properties.contains_key(property) || required.contains(property)
                        })
                })
            };
            required.iter().find(|property| !elsewhere(property)).cloned()
        });
        Ok(labels.collect())
    }

    /// The type a schema becomes: the component's own, or a new one.
    fn claim(&mut self, naming: &Naming) -> TypeId {
        match naming {
            Naming::Component(id) => *id,
            Naming::Inline(hint) => self.reserve(hint.clone()),
        }
    }

    fn push_type(&mut self, id: TypeId, schema: &Schema, at: &str, kind: TypeKind) {
        let data = &schema.schema_data;
        let def = TypeDef {
            name: String::new(),
            pointer: at.to_string(),
            docs: data.description.clone(),
            deprecated: data.deprecated,
            kind,
        };
        self.define(id, def, data.title.clone());
    }
}

impl Naming {
    /// What a type made below this one asks for, before its own suffix.
    fn hint(&self) -> Hint {
        match self {
            Naming::Component(id) => Hint::child(*id, ""),
            Naming::Inline(hint) => hint.clone(),
        }
    }
}

#[derive(Clone, Copy)]
struct Props<'a> {
    properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'a [String],
    /// Where merged (`allOf`) keywords were written: property → the schema holding it, and the schema
    /// holding `additionalProperties`. Without an entry, the object's own schema.
    origins: Option<&'a Origins>,
}

#[derive(Default)]
struct Origins {
    properties: indexmap::IndexMap<String, String>,
    additional: Option<String>,
}

type ObjectParts<'a> =
    (&'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>, &'a [String], Option<&'a AdditionalProperties>);

/// The object keywords of an `allOf`, merged.
#[derive(Default)]
struct Merged {
    properties: indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: Vec<String>,
    additional: Option<AdditionalProperties>,
    origins: Origins,
}

impl Merged {
    /// Adds the object keywords of the schema at `at`.
    fn add(&mut self, (props, required, additional): ObjectParts<'_>, at: &str) {
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
enum Part {
    /// Only words and constraints (`description`, `maxLength`, …): no shape of its own.
    Annotation,
    /// An object schema: merged with the other objects.
    Object,
    /// Any other shape, by kind (`string`, `array`, `union`…).
    Other(&'static str),
}

/// `a string`, `an array`.
fn with_article(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o']) { "an" } else { "a" };
    format!("{article} {kind}")
}

fn member_part(schema: &Schema) -> Part {
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

fn sibling_object(schema: &Schema) -> Option<ObjectParts<'_>> {
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

fn object_parts(schema: &Schema) -> Option<ObjectParts<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required, o.additional_properties.as_ref())),
        SchemaKind::Any(a) if !a.properties.is_empty() => {
            Some((&a.properties, &a.required, a.additional_properties.as_ref()))
        }
        _ => None,
    }
}

/// The `const` string of `property` in an object schema.
fn const_string(schema: &Schema, property: &str) -> Option<String> {
    let (props, _, _) = object_parts(schema)?;
    match props.get(property)? {
        ReferenceOr::Item(p) => p.schema_data.extensions.get(CONST_EXTENSION)?.as_str().map(str::to_string),
        ReferenceOr::Reference { .. } => None,
    }
}

/// The value of `property` in an object schema when it is a string `enum` of exactly one value.
fn single_enum_string(schema: &Schema, property: &str) -> Option<String> {
    let (props, _, _) = object_parts(schema)?;
    match props.get(property)? {
        ReferenceOr::Item(p) => match &p.schema_kind {
            SchemaKind::Type(Type::String(s)) => match s.enumeration.as_slice() {
                [Some(only)] => Some(only.clone()),
                _ => None,
            },
            _ => None,
        },
        ReferenceOr::Reference { .. } => None,
    }
}

impl Lowerer<'_> {
    /// Whether a schema `default` can fill in an absent field of this type: a scalar of the
    /// field's own kind, or one of a string enum's values.
    fn fills_default(&self, schema: SchemaRef<'_>, ty: &TypeRef, default: &Value) -> bool {
        match (ty, default) {
            (TypeRef::Bool, Value::Bool(_)) | (TypeRef::String, Value::String(_)) => true,
            (TypeRef::Float, Value::Number(_)) => true,
            (TypeRef::Int(kind), Value::Number(n)) => int_fits(*kind, n),
            (TypeRef::Named(_), Value::String(value)) => {
                let Ok((resolved, _)) = self.resolve_schema(schema, "#") else { return false };
                matches!(&resolved.schema_kind, SchemaKind::Type(Type::String(s))
                    if s.enumeration.iter().flatten().any(|v| v == value))
            }
            _ => false,
        }
    }
}

/// The error of a schema that did not parse (see [`crate::parse::INVALID_EXTENSION`]): whatever
/// uses it is left out, for the parse error's reason.
fn invalid_error(schema: &Schema) -> Error {
    let invalid = schema.schema_data.extensions.get(crate::parse::INVALID_EXTENSION);
    let text = |key: &str| invalid.and_then(|i| i.get(key)).and_then(Value::as_str).unwrap_or_default().to_string();
    Error::invalid(text("pointer"), text("message"))
}

/// Whether the integer fits the Rust integer type.
fn int_fits(kind: IntKind, n: &serde_json::Number) -> bool {
    let Some(v) = n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)) else { return false };
    let (lo, hi): (i128, i128) = match kind {
        IntKind::I8 => (i8::MIN.into(), i8::MAX.into()),
        IntKind::I16 => (i16::MIN.into(), i16::MAX.into()),
        IntKind::I32 => (i32::MIN.into(), i32::MAX.into()),
        IntKind::I64 => (i64::MIN.into(), i64::MAX.into()),
        IntKind::U8 => (0, u8::MAX.into()),
        IntKind::U16 => (0, u16::MAX.into()),
        IntKind::U32 => (0, u32::MAX.into()),
        IntKind::U64 => (0, u64::MAX.into()),
    };
    (lo..=hi).contains(&v)
}

/// A member's type as a union member: a nullable member becomes `Option<T>`.
fn nullable_ty(shape: Shape) -> TypeRef {
    if shape.nullable && !matches!(shape.ty, TypeRef::Const(_)) {
        TypeRef::Option(Box::new(shape.ty))
    } else {
        shape.ty
    }
}

fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Bytes,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" || f == "uuid4" => TypeRef::Uuid,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "date-time" => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "date" => TypeRef::Date,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "binary" => TypeRef::Bytes,
        _ => TypeRef::String,
    }
}

/// The integer type: the declared format, else the smallest of 32/64 bits that holds the bounds.
fn int_kind(int: &IntegerType) -> IntKind {
    use openapiv3::IntegerFormat;
    match &int.format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => return IntKind::I32,
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => return IntKind::I64,
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "int8" => return IntKind::I8,
            "int16" => return IntKind::I16,
            "uint8" => return IntKind::U8,
            "uint16" => return IntKind::U16,
            "uint32" => return IntKind::U32,
            "uint64" | "uint" => return IntKind::U64,
            _ => {}
        },
        VariantOrUnknownOrEmpty::Empty => {}
    }
    let min = int.minimum.map(|m| if int.exclusive_minimum { m.saturating_add(1) } else { m });
    let max = int.maximum.map(|m| if int.exclusive_maximum { m.saturating_sub(1) } else { m });
    match (min, max) {
        (Some(lo), Some(hi)) if lo >= 0 && hi <= i64::from(u32::MAX) => IntKind::U32,
        (Some(lo), Some(hi)) if lo >= i64::from(i32::MIN) && hi <= i64::from(i32::MAX) => IntKind::I32,
        (Some(lo), _) if lo >= 0 => IntKind::U64,
        _ => IntKind::I64,
    }
}
