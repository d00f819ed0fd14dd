//! `oneOf` and `anyOf`: unions, tagged by a discriminator or by a property each member fixes, or
//! untagged; and objects with a union beside their properties, the union flattened into the struct.

use super::*;

impl Lowerer<'_> {
    /// Properties (or `allOf` members) beside a `oneOf`/`anyOf`: a struct of the common properties
    /// with the union flattened into it (`#[serde(flatten)]`), so that one value carries both.
    pub(super) fn object_with_union(
        &mut self,
        any: &AnySchema,
        schema: &Schema,
        at: &str,
        naming: Naming,
    ) -> Result<TypeRef> {
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
    pub(super) fn flatten_union(&mut self, ty: TypeRef, union: TypeRef) -> TypeRef {
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

    pub(super) fn union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        schema: &Schema,
        at: &str,
        naming: Naming,
    ) -> Result<TypeRef> {
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
    pub(super) fn tags(
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
    pub(super) fn own_required(&self, members: &[ReferenceOr<Schema>], union_at: &str) -> Result<Vec<Option<String>>> {
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
}

/// The `const` string of `property` in an object schema.
pub(super) fn const_string(schema: &Schema, property: &str) -> Option<String> {
    let (props, _, _) = object_parts(schema)?;
    match props.get(property)? {
        ReferenceOr::Item(p) => p.schema_data.extensions.get(CONST_EXTENSION)?.as_str().map(str::to_string),
        ReferenceOr::Reference { .. } => None,
    }
}

/// The value of `property` in an object schema when it is a string `enum` of exactly one value.
pub(super) fn single_enum_string(schema: &Schema, property: &str) -> Option<String> {
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
