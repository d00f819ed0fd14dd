//! Every Rust identifier the generator emits is decided here: case conversion (`heck`), characters
//! that identifiers cannot hold, keywords, names that would shadow the prelude, and collisions.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

/// Keywords of every edition; as field or function names they become raw identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that generated code uses unqualified; a schema with one of these names is renamed.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Into",
    "From",
    "Iterator",
    "ToString",
    "ToOwned",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Debug",
    "Hash",
    "AsRef",
    "AsMut",
    "Extend",
    "IntoIterator",
];

/// An identifier from a model name; model names are already valid (raw where they must be).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => quote::format_ident!("{}", name),
    }
}

/// `UpperCamelCase` for types, variants and consts.
pub fn type_name(raw: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    let name = prefix_digit(&name, "T");
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Type")
    } else if name.is_empty() {
        "Unnamed".to_string()
    } else {
        name
    }
}

/// `UpperCamelCase` for enum variants made from values: `-started_at` → `StartedAtDesc`, `1` → `V1`,
/// `+` → `Plus`, `😀` → `U1F600`.
pub fn variant_name(raw: &str) -> String {
    if !raw.is_empty() && words(raw).is_empty() {
        return raw.chars().map(symbol_name).collect();
    }
    let digit = |rest: &str| rest.starts_with(|c: char| c.is_ascii_digit());
    let (core, sign) = match (raw.strip_prefix('-'), raw.strip_prefix('+')) {
        (Some(rest), _) if digit(rest) => (rest, "Minus"),
        (_, Some(rest)) if digit(rest) => (rest, "Plus"),
        (Some(rest), _) => (rest, "Desc"),
        (_, Some(rest)) => (rest, ""),
        _ => (raw, ""),
    };
    let base = words(core).to_upper_camel_case();
    let base = if base.is_empty() { "Empty".to_string() } else { base };
    let name = match sign {
        "Minus" | "Plus" => format!("{sign}{base}"),
        _ => format!("{}{sign}", prefix_digit(&base, "V")),
    };
    if name == "Self" || name == "Unknown" {
        format!("{name}Value")
    } else {
        name
    }
}

/// A word for a character that has no letters to go by: punctuation by name, anything else by code point.
fn symbol_name(c: char) -> String {
    let name = match c {
        '+' => "Plus",
        '-' => "Minus",
        '*' => "Star",
        '/' => "Slash",
        '\\' => "Backslash",
        '.' => "Dot",
        ',' => "Comma",
        ':' => "Colon",
        ';' => "Semicolon",
        '=' => "Eq",
        '<' => "Lt",
        '>' => "Gt",
        '!' => "Bang",
        '?' => "Question",
        '@' => "At",
        '#' => "Hash",
        '$' => "Dollar",
        '%' => "Percent",
        '&' => "Amp",
        '|' => "Pipe",
        '^' => "Caret",
        '~' => "Tilde",
        '_' => "Underscore",
        ' ' => "Space",
        _ => return format!("U{:X}", u32::from(c)),
    };
    name.to_string()
}

/// How an error's extra reading ends its variant's name (and its inline type's): a JSON media type
/// by its subtype (`application/problem+json` is `ProblemJson`), any body read as text `Text`.
pub fn reading_label(essence: &str, json: bool) -> String {
    match essence.split_once('/') {
        Some((_, subtype)) if json => variant_name(subtype),
        _ if json => variant_name(essence),
        _ => "Text".into(),
    }
}

/// `snake_case` for fields, parameters, methods and modules; keywords become raw identifiers.
pub fn field_name(raw: &str) -> String {
    let name = whole_acronyms(&words(raw)).to_snake_case();
    let name = if name.is_empty() { "value".to_string() } else { name };
    let name = prefix_digit(&name, "_");
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// `snake_case` for module names, which cannot be raw identifiers in file names we control.
pub fn module_name(raw: &str) -> String {
    let name = field_name(raw);
    match name.strip_prefix("r#") {
        Some(bare) => format!("{bare}_"),
        None => name,
    }
}

/// The local variable holding a path parameter's encoded segment (`id` → `id_segment`); it is
/// written inside a `format!` string, where raw identifiers cannot go, hence the bare name.
pub fn segment_local(param: &str) -> String {
    format!("{}_segment", bare(param))
}

/// The name without a raw-identifier prefix, for joining into longer names.
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Turns anything into space-separated ASCII words that `heck` can case: anything else separates words.
fn words(raw: &str) -> String {
    raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect::<String>().trim().to_string()
}

/// Mixed-case words that case conversion would split where they have no seam (`OAuth2` into
/// `o_auth2`), each with the spelling that keeps it whole.
const MIXED_CASE_WORDS: &[(&str, &str)] =
    &[("OAuth", "Oauth"), ("IPv4", "Ipv4"), ("IPv6", "Ipv6"), ("ETag", "Etag"), ("iOS", "Ios"), ("macOS", "Macos")];

/// Keeps the words of [`MIXED_CASE_WORDS`] whole for `snake_case`: `OAuth2` → `oauth2`,
/// `OAuthToken` → `oauth_token`, `IPv4Address` → `ipv4_address`.
fn whole_acronyms(words: &str) -> String {
    let mut out = words.to_string();
    for (word, whole) in MIXED_CASE_WORDS {
        if out.contains(word) {
            out = out.replace(word, &format!(" {whole}"));
        }
    }
    out
}

fn prefix_digit(name: &str, prefix: &str) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{name}")
    } else {
        name.to_string()
    }
}

/// A namespace: hands out each name once, suffixing `2`, `3`, … on collision.
#[derive(Debug, Default, Clone)]
pub struct NameSet {
    taken: BTreeSet<String>,
    /// Per stem (`Body`, `id_`), the suffix after the last one handed out: names are never given
    /// back, so every smaller one is still taken, and trying them again made claiming a thousand
    /// `Body`s quadratic (mailchimp.com.json).
    next: BTreeMap<String, usize>,
}

/// The methods and fields every request builder has (the emitted ones and the runtime's
/// `call_options!`): no parameter setter may take these names.
pub const REQUEST_BUILDER_NAMES: &[&str] = &[
    "send",
    "send_page",
    "send_stream",
    "execute_stream",
    "request",
    "read",
    "failed",
    // The mock builder's answers (feature `mock`).
    "fail",
    "respond",
    "stream",
    "iter",
    "execute",
    "retry_policy",
    "timeout",
    "deadline",
    "header",
    "core",
    "options",
    "body",
    "details",
    "mode",
];

/// Names a group accessor must not take: `Client`'s own methods and the accessors' `client()`;
/// nor its module: `types`, which the `api` modules import. A tag named `client` becomes the
/// group `client_api`.
pub fn group_segment(name: String) -> String {
    if GROUP_NAMES.contains(&name.as_str()) || name == "types" || name.starts_with("with_") {
        format!("{name}_api")
    } else {
        name
    }
}

/// Methods that a struct's accessor must not shadow: an inherent method wins over a trait's in
/// method calls and paths, so `x.clone()` or `T::default()` would call the accessor instead.
pub const STRUCT_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "clone_into",
    "to_owned",
    "eq",
    "ne",
    "fmt",
    "default",
    "serialize",
    "deserialize",
    "from",
    "into",
    "try_from",
    "try_into",
    "borrow",
    "borrow_mut",
    "type_id",
    "to_string",
];

/// The method that reads a defaulted field with its default filled in: the field's own name,
/// unless that would shadow a trait method (`clone_or_default`).
pub fn accessor_name(field: &str) -> String {
    if STRUCT_METHODS.contains(&bare(field)) {
        format!("{}_or_default", bare(field))
    } else {
        field.to_string()
    }
}

/// The `Client` method that clones it with a credential of the scheme whose setter is `setter`.
pub fn clone_method(setter: &str) -> String {
    format!("with_{}", bare(setter))
}

/// The private method a `send_as_*` method sends through (`send_as_xml` → `execute_as_xml`).
pub fn execute_method(send: &str) -> String {
    format!("execute_{}", send.trim_start_matches("send_"))
}

/// A crate-name fragment from a file stem: lowercase ASCII letters and digits, each run of anything
/// else one `-`, so that the library name is snake case (`Recurrence-(v1-` → `recurrence-v1`).
pub fn crate_slug(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Refuses a crate name cargo would refuse, or whose library name rustc would warn about.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let starts_well = name.starts_with(|c: char| c.is_ascii_alphabetic());
    let chars_ok = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let separators_ok = !name.ends_with(['-', '_']) && !["--", "__", "-_", "_-"].iter().any(|s| name.contains(s));
    if starts_well && chars_ok && separators_ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a crate name: it starts with a letter and has only ASCII letters, digits and single `-` or `_` between them"
        ))
    }
}

/// The builder method that takes a credential provider for a scheme (`customer_session_provider`).
pub fn provider_method(setter: &str) -> String {
    format!("{}_provider", bare(setter))
}

/// The builder method that runs a scheme's OAuth2 client credentials flow (`oauth2_client_credentials`).
pub fn client_credentials_method(setter: &str) -> String {
    format!("{}_client_credentials", bare(setter))
}

/// The crate's name in Rust paths (`polar-client` → `polar_client`).
pub fn crate_ident(package: &str) -> String {
    package.replace('-', "_")
}

/// The field of a struct that collects the properties its schema does not name.
pub const ADDITIONAL_FIELD: &str = "additional_properties";

/// The mock server's own methods (feature `mock`), beside the root group's operations.
pub const MOCK_SERVER_NAMES: &[&str] = &["start", "uri", "client", "client_builder", "verify"];

/// Names an operation method must not take on a group's accessor (or on the client, for the root
/// group): the accessors' own `client()` and `Client`'s methods.
pub const GROUP_NAMES: &[&str] = &["new", "builder", "client", "base_url", "request", "core"];

/// The standard variants of every operation's error enum; a declared status's variant must not
/// take them.
pub const ERROR_VARIANTS: &[&str] = &["Unexpected", "Decode", "Timeout", "Transport", "InvalidRequest"];

/// The crate-level `Error`'s own variants; an operation's variant must not take them.
pub const CRATE_ERROR_VARIANTS: &[&str] = &["Build", "Timeout", "Transport", "InvalidRequest", "Unexpected", "Decode"];

/// The variant every union keeps for a member the client does not know (string enums' values that
/// would take it become `UnknownValue`, see [`variant_name`]).
pub const UNION_VARIANTS: &[&str] = &["Unknown"];

/// Methods every union has; a member's shortcut constructor must not take them.
pub const UNION_METHODS: &[&str] = &["is_unknown", "deserialize", "serialize", "from"];

/// The methods of `ClientBuilder` and `Client` that the generator writes itself, besides those it
/// shares with every request builder ([`REQUEST_BUILDER_NAMES`]: `retry_policy`, `timeout`,
/// `deadline`, …), which a security scheme's setter must not take either.
pub const CLIENT_NAMES: &[&str] = &[
    "server",
    "base_url",
    "http_client",
    "user_agent",
    "api_version",
    "root_certificate",
    "build",
    "build_blocking",
    "middleware",
    "new",
    "request",
];

impl NameSet {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        NameSet { taken: reserved.iter().map(|s| s.to_string()).collect(), next: BTreeMap::new() }
    }

    /// Claims `name`, or the first free `name2`, `name3`, … (snake names, and names that end in a
    /// digit, get `name_2`; a name ending in `_` gets `name2`).
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_string()) {
            return name.to_string();
        }
        let snake = name.starts_with(|c: char| c.is_lowercase() || c == '_') || name.starts_with("r#");
        let base = bare(name);
        let separator = match base.chars().last() {
            Some('_') => "",
            Some(c) if c.is_ascii_digit() => "_",
            _ if snake => "_",
            _ => "",
        };
        let stem = format!("{base}{separator}");
        let from = self.next.get(&stem).copied().unwrap_or(2);
        let (i, name) = (from..)
            .map(|i| (i, format!("{stem}{i}")))
            .find(|(_, candidate)| self.taken.insert(candidate.clone()))
            .unwrap_or_default();
        self.next.insert(stem, i + 1);
        name
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_and_version_digits_survive_snake_case() {
        assert_eq!(field_name("OAuth2"), "oauth2");
        assert_eq!(field_name("OAuth2ClientCredentials"), "oauth2_client_credentials");
        assert_eq!(field_name("ApiKey"), "api_key");
        assert_eq!(field_name("APIKey"), "api_key");
        assert_eq!(field_name("HTTPBasic"), "http_basic");
        assert_eq!(field_name("IPv4Address"), "ipv4_address");
        assert_eq!(field_name("ETag"), "etag");
        assert_eq!(field_name("myOAuthToken"), "my_oauth_token");
        assert_eq!(field_name("basicAuth"), "basic_auth");
        assert_eq!(type_name("OAuth2"), "OAuth2");
    }

    #[test]
    fn types() {
        assert_eq!(type_name("ListResource_CustomerSubscription_"), "ListResourceCustomerSubscription");
        assert_eq!(type_name("ProductPriceSeatTiers-Output"), "ProductPriceSeatTiersOutput");
        assert_eq!(type_name("HTTPValidationError"), "HttpValidationError");
        assert_eq!(type_name("ProductID Filter"), "ProductIdFilter");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(type_name("1password"), "T1password");
        assert_eq!(type_name("$%"), "Unnamed");
    }

    #[test]
    fn variants() {
        assert_eq!(variant_name("started_at"), "StartedAt");
        assert_eq!(variant_name("-started_at"), "StartedAtDesc");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("a b"), "AB");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("unknown"), "UnknownValue");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("+foo"), "Foo");
        assert_eq!(variant_name("😀"), "U1F600");
        assert_eq!(variant_name("+"), "Plus");
        assert_eq!(variant_name("-"), "Minus");
        assert_eq!(variant_name("<="), "LtEq");
        assert_eq!(variant_name("ça va"), "AVa");
    }

    #[test]
    fn fields() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("Content-Type"), "content_type");
        assert_eq!(field_name("1st"), "_1st");
        assert_eq!(field_name("$ref"), "r#ref");
        assert_eq!(module_name("type"), "type_");
        assert_eq!(segment_local("r#type"), "type_segment");
    }

    #[test]
    fn collisions() {
        let mut names = NameSet::default();
        assert_eq!(names.claim(&type_name("Foo_Bar")), "FooBar");
        assert_eq!(names.claim(&type_name("FooBar")), "FooBar2");
        assert_eq!(names.claim(&type_name("foo-bar")), "FooBar3");
        assert_eq!(names.claim("r#type"), "r#type");
        assert_eq!(names.claim("r#type"), "type_2");
        assert_eq!(names.claim("self_"), "self_");
        assert_eq!(names.claim("self_"), "self_2");
        assert_eq!(names.claim("V1"), "V1");
        assert_eq!(names.claim("V1"), "V1_2");
    }
}
