// Runtime support for generated clients: copied verbatim into each generated crate.

//! Decoding unions told apart by a string property, streamed rather than buffered.
//!
//! The entries before the tag are kept, the tag picks the member, and the member decodes those
//! entries and then the rest of the map straight from the input. Only a value whose tag names no
//! member is gathered whole, for [`Tagged::other`] to judge.

use serde::de::{DeserializeSeed, Error, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::{Map, Value};
use std::marker::PhantomData;

/// A union whose members are told apart by the string property [`Tagged::TAG`]. The generated
/// unions implement it, and their `Deserialize` is [`tagged`].
pub trait Tagged: Sized {
    /// The property whose value names the member.
    const TAG: &'static str;

    /// How to decode the member that `tag` names, if any names one.
    fn member<'de, D: Deserializer<'de>>(tag: &str) -> Option<Member<'de, D, Self>>;

    /// A value that has no tag, a tag that is not a string, or one that names no member.
    fn other(value: Value) -> Result<Self, String>;
}

/// Decodes one member of a [`Tagged`] union from the map that carries its tag.
pub type Member<'de, D, T> = fn(D) -> Result<T, <D as Deserializer<'de>>::Error>;

/// Decodes a [`Tagged`] union from any self-describing format.
pub fn tagged<'de, D: Deserializer<'de>, T: Tagged>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(TaggedVisitor(PhantomData))
}

struct TaggedVisitor<T>(PhantomData<T>);

impl<T: Tagged> TaggedVisitor<T> {
    fn other<E: Error>(value: Value) -> Result<T, E> {
        T::other(value).map_err(E::custom)
    }
}

impl<'de, T: Tagged> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an object with a `{}` property", T::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut before = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value: Value = map.next_value()?;
            if key != T::TAG {
                before.push((key, value));
                continue;
            }
            if let Some(decode) = value.as_str().and_then(T::member) {
                let tag = Some((T::TAG, value));
                let replay = Replay { before: before.into_iter(), tag, value: None, rest: map };
                return decode(serde::de::value::MapAccessDeserializer::new(replay));
            }
            before.push((key, value));
            break;
        }
        let mut object: Map<String, Value> = before.into_iter().collect();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        Self::other(Value::Object(object))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let value = serde::Deserialize::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        Self::other(Value::Array(value))
    }

    fn visit_bool<E: Error>(self, value: bool) -> Result<T, E> {
        Self::other(Value::Bool(value))
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<T, E> {
        Self::other(value.into())
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<T, E> {
        Self::other(value.into())
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<T, E> {
        Self::other(value.into())
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        Self::other(value.into())
    }

    fn visit_unit<E: Error>(self) -> Result<T, E> {
        Self::other(Value::Null)
    }

    fn visit_none<E: Error>(self) -> Result<T, E> {
        Self::other(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        tagged(deserializer)
    }
}

/// The map as the member sees it: the entries read before the tag, the tag, then the rest.
struct Replay<I, A> {
    before: I,
    tag: Option<(&'static str, Value)>,
    /// The value of the key just replayed.
    value: Option<Value>,
    rest: A,
}

impl<'de, I: Iterator<Item = (String, Value)>, A: MapAccess<'de>> MapAccess<'de> for Replay<I, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let (key, value) = match self.before.next() {
            Some(entry) => entry,
            None => match self.tag.take() {
                Some((key, value)) => (key.to_owned(), value),
                None => return self.rest.next_key_seed(seed),
            },
        };
        self.value = Some(value);
        seed.deserialize(IntoDeserializer::<A::Error>::into_deserializer(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value).map_err(A::Error::custom),
            None => self.rest.next_value_seed(seed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{tagged, Member, Tagged};
    use serde::{Deserialize, Deserializer};
    use serde_json::{json, Value};

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Circle {
        kind: String,
        radius: f64,
        label: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Square {
        side: u32,
    }

    #[derive(Debug, PartialEq)]
    enum Shape {
        Circle(Circle),
        Square(Box<Square>),
        Unknown(Value),
    }

    impl<'de> Deserialize<'de> for Shape {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            tagged(deserializer)
        }
    }

    impl Tagged for Shape {
        const TAG: &'static str = "kind";

        fn member<'de, D: Deserializer<'de>>(tag: &str) -> Option<Member<'de, D, Self>> {
            Some(match tag {
                "circle" | "round" => |d| Deserialize::deserialize(d).map(Self::Circle),
                "square" => |d| Deserialize::deserialize(d).map(Self::Square),
                _ => return None,
            })
        }

        fn other(value: Value) -> Result<Self, String> {
            match value.get("kind") {
                Some(Value::Null) => Err("`kind` is null".into()),
                _ => Ok(Self::Unknown(value)),
            }
        }
    }

    fn circle(label: Option<&str>) -> Shape {
        Shape::Circle(Circle { kind: "circle".into(), radius: 2.5, label: label.map(String::from) })
    }

    #[test]
    fn the_member_sees_every_entry_wherever_the_tag_stands() {
        let first = r#"{"kind": "circle", "radius": 2.5, "label": "a"}"#;
        let middle = r#"{"radius": 2.5, "kind": "circle", "label": "a"}"#;
        let last = r#"{"label": "a", "radius": 2.5, "kind": "circle"}"#;
        for text in [first, middle, last] {
            assert_eq!(serde_json::from_str::<Shape>(text).ok(), Some(circle(Some("a"))), "{text}");
        }
        let boxed = serde_json::from_str::<Shape>(r#"{"side": 3, "kind": "square", "extra": [1, {"a": 2}]}"#);
        assert_eq!(boxed.ok(), Some(Shape::Square(Box::new(Square { side: 3 }))));
        // Every tag of a member selects it; the member keeps the tag it was sent.
        let round = serde_json::from_str::<Shape>(r#"{"radius": 2.5, "kind": "round"}"#);
        assert!(matches!(round, Ok(Shape::Circle(Circle { ref kind, .. })) if kind == "round"), "{round:?}");
    }

    #[test]
    fn a_value_whose_tag_names_no_member_is_gathered_whole() {
        let unknown = json!({"a": 1, "kind": "hexagon", "sides": [1, 2], "nested": {"kind": "circle"}});
        let decoded = serde_json::from_str::<Shape>(&unknown.to_string());
        assert_eq!(decoded.ok(), Some(Shape::Unknown(unknown)));
        let untagged = json!({"radius": 1});
        assert_eq!(serde_json::from_value::<Shape>(untagged.clone()).ok(), Some(Shape::Unknown(untagged)));
        let number_tag = json!({"kind": 7, "radius": 1});
        assert_eq!(serde_json::from_value::<Shape>(number_tag.clone()).ok(), Some(Shape::Unknown(number_tag)));
        for scalar in [json!("circle"), json!(3), json!(-3), json!(1.5), json!(true), json!(null), json!([1])] {
            assert_eq!(serde_json::from_value::<Shape>(scalar.clone()).ok(), Some(Shape::Unknown(scalar)));
        }
        let refused = serde_json::from_str::<Shape>(r#"{"kind": null}"#).map_err(|e| e.to_string());
        assert_eq!(refused.err().as_deref(), Some("`kind` is null at line 1 column 14"));
    }

    #[test]
    fn a_member_that_does_not_decode_says_why_and_where() {
        let missing = serde_json::from_str::<Shape>(r#"{"label": "a", "kind": "circle"}"#);
        let message = missing.map_err(|e| e.to_string()).err().unwrap_or_default();
        assert!(message.contains("missing field `radius`"), "{message}");
        let wrong = serde_json::from_str::<Shape>(r#"{"kind": "circle", "radius": "big"}"#);
        let message = wrong.map_err(|e| e.to_string()).err().unwrap_or_default();
        assert!(message.contains("invalid type: string \"big\"") && message.contains("line 1"), "{message}");
        let unknown_field = serde_json::from_str::<Shape>(r#"{"radius": 1, "colour": "red", "kind": "circle"}"#);
        let message = unknown_field.map_err(|e| e.to_string()).err().unwrap_or_default();
        assert!(message.contains("unknown field `colour`"), "{message}");
    }

    #[test]
    fn it_decodes_from_any_self_describing_input() {
        let value = json!({"radius": 2.5, "kind": "circle", "label": null});
        assert_eq!(Shape::deserialize(&value).ok(), Some(circle(None)));
        assert_eq!(serde_json::from_value::<Shape>(value).ok(), Some(circle(None)));
        let list = serde_json::from_str::<Vec<Option<Shape>>>(r#"[null, {"kind": "square", "side": 1}]"#);
        assert_eq!(list.ok(), Some(vec![None, Some(Shape::Square(Box::new(Square { side: 1 })))]));
    }
}
