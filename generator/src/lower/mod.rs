//! Stage 4: the parsed document into our model ([`crate::model::Api`]).
//!
//! Lowering resolves every `$ref`, names every type (through [`crate::naming`]), decides every Rust
//! shape, and reports what it cannot express with a JSON pointer. Sub-passes: `schema` (types),
//! `operation` (paths, parameters, responses), `groups` (the accessor tree), `cycles` (boxing).

mod cycles;
mod dedupe;
mod derives;
mod groups;
mod isolate;
mod links;
mod names;
mod operation;
mod schema;
mod unions;

use crate::config::Config;
use crate::error::{pointer, Error, Result, Warning};
use crate::model::{Api, ClientCredentialsFlow, ConstDef, SecurityKind, SecurityScheme, Server, TypeId, TypeRef};
use crate::naming::{self, NameSet};
use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Lowers a parsed document, with the warnings about what was sloppy in it, in document order. A
/// schema or an operation that cannot be lowered is left out, with what uses it, each with a
/// warning that carries the error (see `lower::isolate`).
pub fn lower_with_warnings(doc: &OpenAPI, config: &Config) -> Result<(Api, Vec<Warning>)> {
    isolate::lower_isolating(doc, config)
}

/// One lowering of the document, without the parts in `skip`; the first error ends it.
fn lower_skipping(doc: &OpenAPI, config: &Config, skip: &isolate::Skip) -> Result<(Api, Vec<Warning>)> {
    let mut cx = Lowerer::new(doc, config);
    cx.reserve_components(&skip.components);
    let keys: Vec<String> = cx.components.keys().cloned().collect();
    for key in &keys {
        cx.component(key)?;
    }
    if let Some(webhooks) = doc.extensions.get(crate::normalize::WEBHOOKS_EXTENSION).and_then(Value::as_object) {
        let names: Vec<String> = webhooks.keys().map(|name| format!("`{name}`")).collect();
        let message = format!(
            "{} webhook{} ({}): webhooks are not generated, so no type or handler is made for them",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        );
        cx.warn("#/webhooks", message);
    }
    let security_schemes = security_schemes(doc, &mut cx.warnings)?;
    let mut operations = operation::operations(&mut cx, &security_schemes, &skip.operations)?;
    cx.check_type_settings()?;
    let default_security = default_security(&mut cx, &security_schemes);
    let root = groups::build(&operations);
    let errors = groups::error_variants(&operations);
    for variant in &errors {
        operations[variant.operation].crate_error = variant.name.clone();
    }
    let mut slots = std::mem::take(&mut cx.types);
    dedupe::merge_identical_inline(&mut slots, &mut operations);
    dedupe::alias_repeated_parameter_enums(&mut slots);
    operation::finish(&mut operations);
    unions::settle(&mut slots, &cx.consts);
    unions::mark_open_bodies(&slots, &mut operations);
    cycles::break_cycles(&mut slots)?;
    names::assign(&mut slots, &config.rename.types)?;
    unions::constructors(&mut slots);
    let mut types = names::sorted(slots, &mut operations);
    derives::apply(&mut types, config, &mut cx.warnings)?;
    let mut consts: Vec<ConstDef> = cx.consts.into_iter().map(|(_, def)| def).collect();
    consts.sort_by(|a, b| a.name.cmp(&b.name));
    let docs_base = links::base(doc, config)?;
    let mut api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers: servers(doc),
        default_security,
        version_header: config.api.version_header.as_ref().map(|h| h.value.clone()),
        errors,
        security_schemes,
        types,
        consts,
        operations,
        root,
    };
    if let Some(base) = docs_base {
        links::absolutize(&mut api, &base);
    }
    Ok((api, cx.warnings))
}

/// State shared by the lowering passes.
pub(crate) struct Lowerer<'a> {
    doc: &'a OpenAPI,
    config: &'a Config,
    /// `components.schemas` key → its type, reserved before anything inline.
    components: IndexMap<String, TypeId>,
    /// Every type by id, as it is made; named last (see [`names`]).
    types: Vec<names::Slot>,
    /// Const values (as canonical JSON text) → their zero-sized type.
    consts: IndexMap<String, ConstDef>,
    const_names: NameSet,
    /// How deep the inline schema being lowered is nested.
    depth: usize,
    warnings: Vec<Warning>,
    /// `[types] replace`: component schema key → the user's Rust path.
    replaced: BTreeMap<String, String>,
    /// The `[types] format` keys some schema has, so that one no schema has is an error.
    formats_used: BTreeSet<String>,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a OpenAPI, config: &'a Config) -> Self {
        Lowerer {
            doc,
            config,
            components: IndexMap::new(),
            types: Vec::new(),
            consts: IndexMap::new(),
            const_names: NameSet::default(),
            depth: 0,
            warnings: Vec::new(),
            replaced: config
                .types
                .replace
                .iter()
                .filter_map(|(key, path)| Some((crate::select::replaced_name(&key.value)?, path.value.clone())))
                .collect(),
            formats_used: BTreeSet::new(),
        }
    }

    /// Refuses `[types]` keys that name nothing the document has: a replaced schema that is not
    /// there, a format no schema has.
    fn check_type_settings(&self) -> Result<()> {
        let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
        for (key, _) in &self.config.types.replace {
            let name = crate::select::replaced_name(&key.value);
            if !name.as_ref().is_some_and(|name| schemas.is_some_and(|s| s.contains_key(name))) {
                let known: Vec<&str> = schemas.into_iter().flat_map(|s| s.keys()).map(String::as_str).collect();
                let message = format!(
                    "types.replace: `{}` names no component schema{}{}",
                    key.value,
                    if self.config.select.include.is_empty() && self.config.select.exclude.is_empty() {
                        ""
                    } else {
                        " that the selected operations use"
                    },
                    crate::config::did_you_mean(&key.value, &known)
                );
                return Err(crate::config::config_error(key.at, message));
            }
        }
        for (key, _) in &self.config.types.format {
            if !self.formats_used.contains(&key.value) {
                let message = format!("types.format: no schema of the document has `format: {}`", key.value);
                return Err(crate::config::config_error(key.at, message));
            }
        }
        Ok(())
    }

    /// Records something sloppy but meaningful, and what was made of it; once, however many
    /// operations meet it (a document-wide `security`).
    pub(crate) fn warn(&mut self, at: &str, message: impl Into<String>) {
        let warning = Warning::new(at, message);
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// Reserves every component schema's type, but those of the schemas left out: they come first,
    /// so that they are named first.
    fn reserve_components(&mut self, left_out: &std::collections::BTreeSet<String>) {
        let Some(components) = &self.doc.components else { return };
        // A replaced schema is no type of ours: its uses name the user's.
        for key in components.schemas.keys() {
            if left_out.contains(key) || self.replaced.contains_key(key) {
                continue;
            }
            let id = self.reserve(names::Hint::text(naming::type_name(key)));
            self.components.insert(key.clone(), id);
        }
    }

    /// The zero-sized type standing for a scalar `const` value; floats, arrays and objects stay JSON.
    fn const_type(&mut self, value: &Value) -> TypeRef {
        let scalar = match value {
            Value::Number(n) => n.is_i64() || n.is_u64(),
            Value::Array(_) | Value::Object(_) => false,
            _ => true,
        };
        if !scalar {
            return TypeRef::Json;
        }
        let key = value.to_string();
        if let Some(def) = self.consts.get(&key) {
            return TypeRef::Const(def.name.clone());
        }
        let base = match value {
            Value::String(s) => naming::type_name(s),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Null => "Null".into(),
            Value::Number(n) => naming::type_name(&format!("N {n}")),
            _ => "Value".into(),
        };
        let name = self.const_names.claim(&base);
        self.consts.insert(key, ConstDef { name: name.clone(), value: value.clone() });
        TypeRef::Const(name)
    }
}

/// Splits a local reference `#/components/<section>/<name>`; anything else is unsupported.
pub(crate) fn local_ref<'r>(reference: &'r str, section: &str, at: &str) -> Result<&'r str> {
    let prefix = format!("#/components/{section}/");
    match reference.strip_prefix(&prefix) {
        Some(name) if !name.contains('/') => Ok(name),
        _ if !reference.starts_with('#') => Err(Error::unsupported(
            at,
            format!("external reference `{reference}`: only local `#/components/{section}/…` references are supported"),
        )),
        _ => Err(Error::reference(at, format!("`{reference}` does not point into #/components/{section}"))),
    }
}

/// Resolves a component, or a `$ref` to one, following chains of references: the one follower
/// of references in lowering, with its one rule, that a chain which comes back to a reference it
/// passed is an error at the pointer where it started.
pub(crate) fn resolve<'d, T>(
    map: Option<&'d IndexMap<String, ReferenceOr<T>>>,
    item: &'d ReferenceOr<T>,
    section: &str,
    at: &str,
) -> Result<(&'d T, String)> {
    match item {
        ReferenceOr::Item(value) => Ok((value, at.to_string())),
        ReferenceOr::Reference { reference } => resolve_ref(map, reference, section, at),
    }
}

/// [`resolve`] for a `$ref` given by its text.
pub(crate) fn resolve_ref<'d, T>(
    map: Option<&'d IndexMap<String, ReferenceOr<T>>>,
    reference: &str,
    section: &str,
    at: &str,
) -> Result<(&'d T, String)> {
    let mut reference = reference;
    let mut at = at.to_string();
    let mut seen = Vec::new();
    loop {
        let name = local_ref(reference, section, &at)?;
        if seen.contains(&name) {
            return Err(Error::reference(at, format!("`{reference}` is part of a reference cycle")));
        }
        seen.push(name);
        let current = map
            .and_then(|m| m.get(name))
            .ok_or_else(|| Error::reference(&at, format!("`{reference}` points to nothing")))?;
        at = pointer(&format!("#/components/{section}"), name);
        match current {
            ReferenceOr::Item(value) => return Ok((value, at)),
            ReferenceOr::Reference { reference: next } => reference = next,
        }
    }
}

fn servers(doc: &OpenAPI) -> Vec<Server> {
    let mut names = NameSet::default();
    doc.servers
        .iter()
        .enumerate()
        .map(|(i, server)| {
            let label = server
                .extensions
                .get("x-speakeasy-server-id")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| server.description.as_deref().and_then(|d| d.split_whitespace().next()).map(str::to_string))
                .unwrap_or_else(|| format!("server {}", i + 1));
            let mut url = server.url.clone();
            for (var, def) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{var}}}"), &def.default);
            }
            Server { name: names.claim(&naming::type_name(&label)), url, description: server.description.clone() }
        })
        .collect()
}

/// Where a request the document does not describe takes its credentials from: the document's
/// `security`, or else any one scheme (or none).
fn default_security(cx: &mut Lowerer<'_>, schemes: &[SecurityScheme]) -> Vec<Vec<String>> {
    match &cx.doc.security {
        Some(requirements) => requirements_of(cx, requirements, "#/security", schemes),
        None => {
            let sent: Vec<&SecurityScheme> = schemes.iter().filter(|s| s.kind != SecurityKind::MutualTls).collect();
            if sent.is_empty() {
                Vec::new()
            } else {
                sent.iter().map(|s| vec![s.key.clone()]).chain([Vec::new()]).collect()
            }
        }
    }
}

/// Security requirements as alternatives of the schemes whose credentials a request carries. A
/// `mutualTLS` scheme is the transport's (its certificate is on the client, not on a request),
/// and a scheme `components.securitySchemes` does not declare is sent as nothing, with a warning.
pub(crate) fn requirements_of(
    cx: &mut Lowerer<'_>,
    requirements: &[openapiv3::SecurityRequirement],
    base: &str,
    schemes: &[SecurityScheme],
) -> Vec<Vec<String>> {
    let mut alternatives = Vec::new();
    for (i, requirement) in requirements.iter().enumerate() {
        let mut keys = Vec::new();
        for key in requirement.keys() {
            match schemes.iter().find(|s| &s.key == key) {
                Some(scheme) if scheme.kind == SecurityKind::MutualTls => {}
                Some(_) => keys.push(key.clone()),
                None => {
                    let message = format!(
                        "security scheme `{key}` is not declared in #/components/securitySchemes: nothing is sent for it"
                    );
                    cx.warn(&pointer(&pointer(base, &i.to_string()), key), message);
                }
            }
        }
        alternatives.push(keys);
    }
    alternatives
}

fn security_schemes(doc: &OpenAPI, warnings: &mut Vec<Warning>) -> Result<Vec<SecurityScheme>> {
    let Some(components) = &doc.components else { return Ok(Vec::new()) };
    // A scheme's setter is a method of `ClientBuilder` and of every request builder.
    let reserved: Vec<&str> = naming::CLIENT_NAMES.iter().chain(naming::REQUEST_BUILDER_NAMES).copied().collect();
    let mut setters = NameSet::with_reserved(&reserved);
    let mut schemes = Vec::new();
    for (key, scheme) in &components.security_schemes {
        let at = pointer("#/components/securitySchemes", key);
        let (scheme, at) = match resolve(Some(&components.security_schemes), scheme, "securitySchemes", &at) {
            Ok(resolved) => resolved,
            Err(error) => {
                // What requires it sends nothing for it, as for a scheme the document does not declare.
                warnings.push(Warning::left_out(at, "the security scheme", error));
                continue;
            }
        };
        use openapiv3::{APIKeyLocation, SecurityScheme as S};
        let flow = match scheme {
            S::OAuth2 { flows, .. } => flows.client_credentials.as_ref(),
            _ => None,
        };
        let (kind, description) = match scheme {
            S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                (SecurityKind::Bearer, description)
            }
            S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                (SecurityKind::Basic, description)
            }
            S::HTTP { scheme, description, .. } => {
                let message = format!(
                    "HTTP authentication scheme `{scheme}`: the client takes the whole `Authorization` value from the caller"
                );
                warnings.push(Warning::new(pointer(&at, "scheme"), message));
                (SecurityKind::Authorization(scheme.clone()), description)
            }
            S::APIKey { location: APIKeyLocation::Header, name, description, .. } => {
                (SecurityKind::ApiKeyHeader(name.clone()), description)
            }
            S::APIKey { location: APIKeyLocation::Query, name, description, .. } => {
                (SecurityKind::ApiKeyQuery(name.clone()), description)
            }
            S::APIKey { location: APIKeyLocation::Cookie, name, description, .. } => {
                (SecurityKind::ApiKeyCookie(name.clone()), description)
            }
            // Both end in a bearer access token on the wire; obtaining it is the caller's business.
            S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => (SecurityKind::Bearer, description),
        };
        let setter = setters.claim(&naming::field_name(key));
        let clone_method = Some(naming::clone_method(&setter));
        let provider_method = Some(setters.claim(&naming::provider_method(&setter)));
        let client_credentials = flow.map(|flow| ClientCredentialsFlow {
            method: setters.claim(&naming::client_credentials_method(&setter)),
            token_url: flow.token_url.clone(),
            scopes: flow.scopes.keys().cloned().collect(),
        });
        schemes.push(SecurityScheme {
            key: key.clone(),
            setter,
            clone_method,
            provider_method,
            client_credentials,
            kind,
            description: description.clone(),
        });
    }
    // `mutualTLS` schemes, which normalize set apart (`openapiv3` does not know them).
    let mutual_tls = components.extensions.get(crate::normalize::MUTUAL_TLS_EXTENSION).and_then(Value::as_object);
    for (key, scheme) in mutual_tls.into_iter().flatten() {
        let description = scheme.get("description").and_then(Value::as_str).map(str::to_string);
        let setter = setters.claim(&naming::field_name(key));
        schemes.push(SecurityScheme {
            key: key.clone(),
            setter,
            clone_method: None,
            provider_method: None,
            client_credentials: None,
            kind: SecurityKind::MutualTls,
            description,
        });
    }
    Ok(schemes)
}
