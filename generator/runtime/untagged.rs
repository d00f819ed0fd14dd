// Runtime support for generated clients: copied verbatim into each generated crate.

//! Decoding unions with no tag: members are tried in order, as `#[serde(untagged)]` does, but a
//! value that matches none reports why each member refused it.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// An untagged union's value while its members are tried. A generated `Deserialize` reads:
/// `Untagged::new(deserializer)?.member("A", Self::A).member("B", Self::B).finish("Union")`.
pub struct Untagged<T> {
    value: Value,
    found: Option<T>,
    /// A member that took the value only as its own `Unknown`; it counts if nothing else does.
    fallback: Option<T>,
    errors: Vec<String>,
}

impl<T> Untagged<T> {
    /// Buffers the value, since every member may need to read it.
    pub fn new<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Ok(Untagged { value, found: None, fallback: None, errors: Vec::new() })
    }

    /// Tries the member `label`, unless an earlier one took the value.
    pub fn member<M: DeserializeOwned>(self, label: &str, wrap: fn(M) -> T) -> Self {
        self.attempt(label, wrap, |_| false)
    }

    /// Tries a member that is itself an open union: a value it only keeps as unknown counts
    /// only if no other member takes it.
    pub fn open_member<M: DeserializeOwned>(self, label: &str, wrap: fn(M) -> T, unknown: fn(&M) -> bool) -> Self {
        self.attempt(label, wrap, unknown)
    }

    fn attempt<M: DeserializeOwned>(mut self, label: &str, wrap: fn(M) -> T, unknown: fn(&M) -> bool) -> Self {
        if self.found.is_some() {
            return self;
        }
        match M::deserialize(&self.value) {
            Ok(member) if unknown(&member) => {
                self.fallback.get_or_insert(wrap(member));
            }
            Ok(member) => self.found = Some(wrap(member)),
            Err(error) => self.errors.push(format!("{label}: {error}")),
        }
        self
    }

    /// The member that took the value, or an error naming the union and each member's refusal.
    pub fn finish<E: Error>(self, union: &str) -> Result<T, E> {
        match self.found.or(self.fallback) {
            Some(member) => Ok(member),
            None => Err(E::custom(format!("the value matches no member of `{union}` ({})", self.errors.join("; ")))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Either {
        Number(i64),
        Text(String),
        Kind(Kind),
    }

    /// Stands for an open tagged union: anything but `"known"` is its `Unknown`.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Kind(String);

    impl Kind {
        fn is_unknown(&self) -> bool {
            self.0 != "known"
        }
    }

    fn decode(json: &str) -> Result<Either, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        Untagged::new(&mut deserializer)?
            .member("Number", Either::Number)
            .open_member("Kind", Either::Kind, Kind::is_unknown)
            .member("Text", Either::Text)
            .finish("Either")
    }

    #[test]
    fn the_first_member_that_takes_the_value_wins_and_an_unknown_one_only_if_no_other_does() {
        assert_eq!(decode("7").unwrap(), Either::Number(7));
        assert_eq!(decode("\"known\"").unwrap(), Either::Kind(Kind("known".into())));
        // `Kind` keeps "other" only as unknown, so the later `Text` takes it.
        assert_eq!(decode("\"other\"").unwrap(), Either::Text("other".into()));
    }

    #[test]
    fn a_value_no_member_takes_names_the_union_and_each_refusal() {
        let error = decode("true").unwrap_err().to_string();
        assert!(
            error.starts_with("the value matches no member of `Either` (Number: invalid type: boolean `true`"),
            "{error}"
        );
        assert!(error.contains("; Kind: invalid type") && error.contains("; Text: invalid type"), "{error}");
    }
}
