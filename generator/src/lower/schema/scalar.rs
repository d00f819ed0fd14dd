//! String enums, and the Rust types of strings (by `format`) and integers (by `format` or bounds).

use super::*;

impl Lowerer<'_> {
    pub(super) fn string_enum(&mut self, values: &[&str], schema: &Schema, at: &str, naming: Naming) -> TypeRef {
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
}

pub(super) fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
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
pub(super) fn int_kind(int: &IntegerType) -> IntKind {
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
