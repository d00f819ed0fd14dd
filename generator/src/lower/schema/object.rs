//! Objects into structs: each property a field with its presence, its accessor for a declared
//! default, and what the object does with properties it does not name.

use super::*;

impl Lowerer<'_> {
    pub(super) fn object(
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
}

#[derive(Clone, Copy)]
pub(super) struct Props<'a> {
    pub(super) properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub(super) required: &'a [String],
    /// Where merged (`allOf`) keywords were written: property → the schema holding it, and the schema
    /// holding `additionalProperties`. Without an entry, the object's own schema.
    pub(super) origins: Option<&'a Origins>,
}

#[derive(Default)]
pub(super) struct Origins {
    pub(super) properties: indexmap::IndexMap<String, String>,
    pub(super) additional: Option<String>,
}

pub(super) type ObjectParts<'a> =
    (&'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>, &'a [String], Option<&'a AdditionalProperties>);

pub(super) fn object_parts(schema: &Schema) -> Option<ObjectParts<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required, o.additional_properties.as_ref())),
        SchemaKind::Any(a) if !a.properties.is_empty() => {
            Some((&a.properties, &a.required, a.additional_properties.as_ref()))
        }
        _ => None,
    }
}

impl Lowerer<'_> {
    /// Whether a schema `default` can fill in an absent field of this type: a scalar of the
    /// field's own kind, or one of a string enum's values.
    pub(super) fn fills_default(&self, schema: SchemaRef<'_>, ty: &TypeRef, default: &Value) -> bool {
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

/// Whether the integer fits the Rust integer type.
pub(super) fn int_fits(kind: IntKind, n: &serde_json::Number) -> bool {
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
