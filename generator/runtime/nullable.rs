// Runtime support for generated clients: copied verbatim into each generated crate.

//! A three-state value for fields that are both optional and nullable.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that may be absent, explicitly `null`, or present.
///
/// `Option<T>` cannot tell "not sent" apart from "sent as `null`", and for
/// PATCH-style APIs the difference matters (`null` often means "clear this").
/// Fields of this type are emitted with
/// `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`, so:
///
/// - [`Nullable::Absent`] is left out of the JSON entirely (and is what a
///   missing field deserializes to),
/// - [`Nullable::Null`] is written as `null` (and is what `null` deserializes to),
/// - [`Nullable::Value`] is written as the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// The field is not present.
    #[default]
    Absent,
    /// The field is present and explicitly `null`.
    Null,
    /// The field is present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is absent (used by `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is explicitly `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// Whether the field holds a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one, dropping the absent/null distinction.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// Borrows the value, keeping the three states.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// Maps the value, keeping the three states.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `None` becomes [`Nullable::Null`]: a caller passing an `Option` means to
/// send the field; use [`Nullable::Absent`] to leave it out.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Absent is normally skipped by the field attribute; if it is
            // serialized anyway (e.g. inside a Vec), `null` is the only honest value.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A missing field never reaches here: `#[serde(default)]` yields Absent.
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
    }

    #[test]
    fn serializes_three_states() -> Result<(), serde_json::Error> {
        let absent = Patch { name: Nullable::Absent };
        let null = Patch { name: Nullable::Null };
        let value = Patch { name: "x".to_string().into() };
        assert_eq!(serde_json::to_string(&absent)?, "{}");
        assert_eq!(serde_json::to_string(&null)?, r#"{"name":null}"#);
        assert_eq!(serde_json::to_string(&value)?, r#"{"name":"x"}"#);
        Ok(())
    }

    #[test]
    fn deserializes_three_states() -> Result<(), serde_json::Error> {
        assert_eq!(serde_json::from_str::<Patch>("{}")?.name, Nullable::Absent);
        assert_eq!(serde_json::from_str::<Patch>(r#"{"name":null}"#)?.name, Nullable::Null);
        assert_eq!(serde_json::from_str::<Patch>(r#"{"name":"x"}"#)?.name, Nullable::Value("x".to_string()));
        Ok(())
    }

    #[test]
    fn helpers() {
        let value: Nullable<u8> = Some(3).into();
        assert_eq!(value.value(), Some(&3));
        assert_eq!(value.as_ref(), Nullable::Value(&3));
        assert_eq!(Nullable::<u8>::from(None), Nullable::Null);
        assert!(Nullable::<u8>::default().is_absent());
        assert!(Nullable::<u8>::Null.is_null());
        assert_eq!(Nullable::<u8>::Null.into_option(), None);
        assert_eq!(value.map(u16::from).into_option(), Some(3u16));
    }
}
