// Runtime support for generated clients: copied verbatim into each generated crate.

//! Forward-compatible string enums, written once here rather than in full for every enum.

/// The impls of a string enum (declared by the generated code, with an `Unknown(String)` variant
/// for values it does not know, kept and sent back unchanged): `as_str()`, `From<String>`,
/// `From<&str>`, `Display`, `Serialize` and `Deserialize`, from its variants' values.
// A crate without enums does not use it.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl $name {
            fn known(value: &str) -> Option<Self> {
                match value {
                    $($value => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::known(&value).unwrap_or(Self::Unknown(value))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Unknown(value.to_string()))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(crate::runtime::StringEnumVisitor(|value: &str| Self::from(value)))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// Decodes a string enum from a borrowed string without copying it first: `from` copies only a
/// value the enum does not know.
pub struct StringEnumVisitor<T>(pub fn(&str) -> T);

impl<T> serde::de::Visitor<'_> for StringEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok((self.0)(value))
    }
}

#[cfg(test)]
mod tests {
    /// A test enum.
    #[derive(Debug, Clone, PartialEq)]
    enum Color {
        Red,
        DarkBlue,
        Unknown(String),
    }

    string_enum!(Color { Red = "red", DarkBlue = "dark blue" });

    #[test]
    fn values_round_trip_and_unknown_ones_are_kept() {
        assert_eq!(Color::from("red"), Color::Red);
        assert_eq!(Color::DarkBlue.as_str(), "dark blue");
        assert_eq!(Color::from("green"), Color::Unknown("green".into()));
        assert_eq!(serde_json::to_string(&Color::Unknown("green".into())).ok().as_deref(), Some("\"green\""));
        assert_eq!(serde_json::from_str::<Color>("\"dark blue\"").ok(), Some(Color::DarkBlue));
        assert_eq!(Color::Red.to_string(), "red");
    }
}
