// Runtime support for generated clients: copied verbatim into each generated crate.

//! Decoding unions with no tag. Every member is a candidate, and the one that accounts for the
//! value best wins: an object member whose required properties are there and whose fixed
//! properties (a one-value `enum`, a `const`) agree with the value, and that leaves the fewest of
//! the properties other members name unread. Among equals, the first in document order wins, as
//! with `#[serde(untagged)]`. A value that matches none reports why each member refused it.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// What an object member names, each list sorted (see the generator's `MemberKeys`).
#[derive(Debug, Clone, Copy)]
pub struct Keys {
    /// Every property the member names.
    pub declared: &'static [&'static str],
    /// The properties a value must carry to be this member.
    pub required: &'static [&'static str],
    /// Properties that admit one string only.
    pub fixed: &'static [(&'static str, &'static str)],
    /// The member keeps properties it does not name.
    pub open: bool,
}

/// How well a member that took the value accounts for it; smaller is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    /// 0: the member fits; 1: an open union took the value only as its `Unknown`; 2: an object
    /// member took it though a required property is missing or a fixed one disagrees.
    tier: u8,
    /// Properties that another member names and this one leaves unread.
    lost: usize,
}

const BEST: Rank = Rank { tier: 0, lost: 0 };

/// An untagged union's value while its members are tried. A generated `Deserialize` reads:
/// `Untagged::new(deserializer, KNOWN)?.member("A", Self::A).object("B", Self::B, KEYS).finish("Union")`.
pub struct Untagged<T> {
    value: Value,
    /// Every property some member names, sorted.
    known: &'static [&'static str],
    best: Option<(Rank, T)>,
    errors: Vec<String>,
}

impl<T> Untagged<T> {
    /// Buffers the value, since every member may need to read it. `known` lists, sorted, every
    /// property that some object member names.
    pub fn new<'de, D: Deserializer<'de>>(deserializer: D, known: &'static [&'static str]) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Ok(Untagged { value, known, best: None, errors: Vec::new() })
    }

    /// Tries the member `label`, which is no object with properties of its own (a scalar, a list,
    /// a map, any JSON).
    pub fn member<M: DeserializeOwned>(self, label: &str, wrap: fn(M) -> T) -> Self {
        self.attempt(label, wrap, BEST, |_| false)
    }

    /// Tries an object member, ranked by how well it accounts for the value.
    pub fn object<M: DeserializeOwned>(self, label: &str, wrap: fn(M) -> T, keys: Keys) -> Self {
        let rank = match &self.value {
            Value::Object(map) => rank(map, keys, self.known),
            _ => BEST,
        };
        self.attempt(label, wrap, rank, |_| false)
    }

    /// Tries a member that is itself an open union: a value it only keeps as unknown counts
    /// only if no other member takes it.
    pub fn open_member<M: DeserializeOwned>(self, label: &str, wrap: fn(M) -> T, unknown: fn(&M) -> bool) -> Self {
        self.attempt(label, wrap, BEST, unknown)
    }

    /// Decodes the member when it could rank better than the best so far.
    fn attempt<M: DeserializeOwned>(
        mut self,
        label: &str,
        wrap: fn(M) -> T,
        rank: Rank,
        unknown: fn(&M) -> bool,
    ) -> Self {
        if self.best.as_ref().is_some_and(|(best, _)| *best <= rank) {
            return self;
        }
        match M::deserialize(&self.value) {
            Ok(member) => {
                let rank = if unknown(&member) { Rank { tier: 1, ..rank } } else { rank };
                if !matches!(&self.best, Some((best, _)) if *best <= rank) {
                    self.best = Some((rank, wrap(member)));
                }
            }
            Err(error) => self.errors.push(format!("{label}: {error}")),
        }
        self
    }

    /// The member that accounts for the value best, or an error naming the union and each
    /// member's refusal.
    pub fn finish<E: Error>(self, union: &str) -> Result<T, E> {
        match self.best {
            Some((_, member)) => Ok(member),
            None => Err(E::custom(format!("the value matches no member of `{union}` ({})", self.errors.join("; ")))),
        }
    }
}

/// How an object member accounts for an object value.
fn rank(map: &Map<String, Value>, keys: Keys, known: &[&str]) -> Rank {
    let fits = keys.required.iter().all(|key| map.contains_key(*key))
        && keys
            .fixed
            .iter()
            .all(|(key, value)| !matches!(map.get(*key), Some(found) if found.as_str() != Some(*value)));
    let lost = if keys.open {
        0
    } else {
        let named = |key: &str, list: &[&str]| list.binary_search(&key).is_ok();
        map.keys().filter(|key| named(key, known) && !named(key, keys.declared)).count()
    };
    Rank { tier: if fits { 0 } else { 2 }, lost }
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
        Untagged::new(&mut deserializer, &[])?
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

    /// Shaped as real documents write them: two access points told apart by a one-value `type`
    /// (which decodes as an open enum), an event whose required nullable fields are missing, and
    /// members that overlap.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Device {
        #[serde(default)]
        r#type: Option<String>,
        model: String,
        #[serde(default)]
        ports: Option<u32>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Gateway {
        #[serde(default)]
        r#type: Option<String>,
        model: String,
        #[serde(default)]
        ports: Option<u32>,
        #[serde(default)]
        wan: Option<String>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Locked {
        id: u32,
        lock_reason: Option<String>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Commented {
        id: u32,
        #[serde(default)]
        body: Option<String>,
    }

    #[derive(Debug, PartialEq)]
    enum Model {
        Device(Device),
        Gateway(Gateway),
        Locked(Locked),
        Commented(Commented),
    }

    const KNOWN: &[&str] = &["body", "id", "lock_reason", "model", "ports", "type", "wan"];
    const DEVICE: Keys =
        Keys { declared: &["model", "ports", "type"], required: &["model"], fixed: &[("type", "ap")], open: false };
    const GATEWAY: Keys = Keys {
        declared: &["model", "ports", "type", "wan"],
        required: &["model"],
        fixed: &[("type", "gateway")],
        open: false,
    };
    const LOCKED: Keys =
        Keys { declared: &["id", "lock_reason"], required: &["id", "lock_reason"], fixed: &[], open: false };
    const COMMENTED: Keys = Keys { declared: &["body", "id"], required: &["id"], fixed: &[], open: false };

    fn model(value: serde_json::Value) -> Result<Model, serde_json::Error> {
        Untagged::new(&value, KNOWN)?
            .object("Device", Model::Device, DEVICE)
            .object("Gateway", Model::Gateway, GATEWAY)
            .object("Locked", Model::Locked, LOCKED)
            .object("Commented", Model::Commented, COMMENTED)
            .finish("Model")
    }

    #[test]
    fn the_member_that_accounts_for_the_value_wins() {
        use serde_json::json;
        // A fixed property that disagrees rules a member out, though it would decode.
        let gateway = model(json!({"type": "gateway", "model": "g1", "wan": "eth0"})).unwrap();
        assert!(matches!(gateway, Model::Gateway(ref g) if g.wan.as_deref() == Some("eth0")), "{gateway:?}");
        let device = model(json!({"type": "ap", "model": "a1", "ports": 2})).unwrap();
        assert!(matches!(device, Model::Device(_)), "{device:?}");
        // A missing required property rules a member out, though `Option` would let it decode.
        let commented = model(json!({"id": 1, "body": "hi"})).unwrap();
        assert_eq!(commented, Model::Commented(Commented { id: 1, body: Some("hi".into()) }));
        let locked = model(json!({"id": 1, "lock_reason": null})).unwrap();
        assert_eq!(locked, Model::Locked(Locked { id: 1, lock_reason: None }));
    }

    #[test]
    fn among_fitting_members_the_one_that_loses_fewest_known_properties_wins() {
        use serde_json::json;
        // No fixed property to go by: `Gateway` reads `wan`, which `Device` would drop.
        let value = json!({"model": "x", "wan": "eth1", "extra": 1});
        assert!(matches!(model(value).unwrap(), Model::Gateway(_)));
        // Equals: the first in document order.
        assert!(matches!(model(json!({"model": "x", "extra": 1})).unwrap(), Model::Device(_)));
        // When no member fits, one that decodes still takes the value (an unknown `type`).
        let unknown = model(json!({"type": "switch", "model": "s", "wan": "w"})).unwrap();
        assert!(matches!(unknown, Model::Gateway(_)), "{unknown:?}");
    }
}
