//! Schemas into [`TypeRef`]s and named [`TypeDef`]s: here the entry points and what is left to
//! no concern of its own; `all_of` merges and narrows `allOf`s, `one_of` makes unions (and objects
//! with a union beside their properties), `object` makes structs, `scalar` string enums and the
//! types of strings and integers.

mod all_of;
mod object;
mod one_of;
mod scalar;

use all_of::*;
use object::*;
use scalar::*;

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

/// A `format` as the document spells it (`date-time`, `int64`, `decimal`).
fn format_text<T: serde::Serialize>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => serde_json::to_value(item).ok()?.as_str().map(str::to_string),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

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
    pub(in crate::lower) fn component(&mut self, key: &str) -> Result<()> {
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
            let def = TypeDef {
                name: String::new(),
                pointer: at,
                docs,
                deprecated,
                kind: TypeKind::Alias(shape.ty),
                derives: Vec::new(),
            };
            self.define(id, def, title);
        }
        Ok(())
    }

    /// The user's type for a scalar schema whose `format` the configuration maps (`[types] format`).
    /// A string enum keeps its own type.
    fn replaced_format(&mut self, kind: &SchemaKind) -> Option<String> {
        if self.config.types.format.is_empty() {
            return None;
        }
        let format = match kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.is_empty() => format_text(&s.format),
            SchemaKind::Type(Type::Integer(int)) => format_text(&int.format),
            SchemaKind::Type(Type::Number(number)) => format_text(&number.format),
            _ => None,
        }?;
        let (key, path) = self.config.types.format.iter().find(|(key, _)| key.value == format)?;
        self.formats_used.insert(key.value.clone());
        Some(path.value.clone())
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

    pub(super) fn reference(&mut self, reference: &str, at: &str) -> Result<Shape> {
        let key = local_ref(reference, "schemas", at)?;
        if let Some(path) = self.replaced.get(key) {
            let ty = TypeRef::External(path.clone());
            return Ok(Shape { nullable: self.component_nullable(key), ..Shape::plain(ty) });
        }
        let id = self
            .components
            .get(key)
            .copied()
            .ok_or_else(|| Error::reference(at, format!("`{reference}` points to no schema")))?;
        Ok(Shape { nullable: self.component_nullable(key), ..Shape::plain(TypeRef::Named(id)) })
    }

    /// Whether a component admits `null` itself (then every use of it is nullable).
    pub(super) fn component_nullable(&self, key: &str) -> bool {
        let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
        let Some(entry) = schemas.and_then(|s| s.get(key)) else { return false };
        // A chain that loops or leads nowhere is that component's error, reported where it is
        // lowered; asked here, it admits no `null`.
        super::resolve(schemas, entry, "schemas", "#").is_ok_and(|(schema, _)| schema.schema_data.nullable)
    }

    /// An inline schema, at most [`MAX_DEPTH`] deep: merging `allOf` members copies their
    /// properties inline, and a member that includes itself through a property would never end.
    pub(super) fn inline(&mut self, schema: &Schema, at: &str, naming: Naming) -> Result<Shape> {
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

    pub(super) fn inline_schema(&mut self, schema: &Schema, at: &str, naming: Naming) -> Result<Shape> {
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
        if let Some(path) = self.replaced_format(&schema.schema_kind) {
            shape.ty = TypeRef::External(path);
            return Ok(shape);
        }
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
    pub(super) fn any(
        &mut self,
        any: &AnySchema,
        mut shape: Shape,
        schema: &Schema,
        at: &str,
        naming: Naming,
    ) -> Result<Shape> {
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

    /// `items` without `type: array` applies only when the value is an array: any other value is
    /// valid too (slack.com's `objs_conversation` is answered as an object). The shape is a union
    /// of the list and any other JSON value, so that every value the schema accepts decodes.
    pub(super) fn items_without_type(
        &mut self,
        any: &AnySchema,
        schema: &Schema,
        at: &str,
        naming: Naming,
    ) -> Result<TypeRef> {
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

    pub(super) fn items(&mut self, items: Option<SchemaRef<'_>>, at: &str, naming: &Naming) -> Result<TypeRef> {
        let Some(items) = items else { return Ok(TypeRef::Vec(Box::new(TypeRef::Json))) };
        let hint = naming.hint().suffixed("Item");
        let item = self.schema(items, &pointer(at, "items"), Naming::Inline(hint))?;
        Ok(TypeRef::Vec(Box::new(nullable_ty(item))))
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

    /// The type a schema becomes: the component's own, or a new one.
    pub(super) fn claim(&mut self, naming: &Naming) -> TypeId {
        match naming {
            Naming::Component(id) => *id,
            Naming::Inline(hint) => self.reserve(hint.clone()),
        }
    }

    pub(super) fn push_type(&mut self, id: TypeId, schema: &Schema, at: &str, kind: TypeKind) {
        let data = &schema.schema_data;
        let def = TypeDef {
            name: String::new(),
            pointer: at.to_string(),
            docs: data.description.clone(),
            deprecated: data.deprecated,
            kind,
            derives: Vec::new(),
        };
        self.define(id, def, data.title.clone());
    }
}

impl Naming {
    /// What a type made below this one asks for, before its own suffix.
    pub(super) fn hint(&self) -> Hint {
        match self {
            Naming::Component(id) => Hint::child(*id, ""),
            Naming::Inline(hint) => hint.clone(),
        }
    }
}

/// The error of a schema that did not parse (see [`crate::parse::INVALID_EXTENSION`]): whatever
/// uses it is left out, for the parse error's reason.
pub(super) fn invalid_error(schema: &Schema) -> Error {
    let invalid = schema.schema_data.extensions.get(crate::parse::INVALID_EXTENSION);
    let text = |key: &str| invalid.and_then(|i| i.get(key)).and_then(Value::as_str).unwrap_or_default().to_string();
    Error::invalid(text("pointer"), text("message"))
}

/// A member's type as a union member: a nullable member becomes `Option<T>`.
pub(super) fn nullable_ty(shape: Shape) -> TypeRef {
    if shape.nullable && !matches!(shape.ty, TypeRef::Const(_)) {
        TypeRef::Option(Box::new(shape.ty))
    } else {
        shape.ty
    }
}
