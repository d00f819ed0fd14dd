//! The intermediate model: plain data describing the API, with every name already a Rust identifier.
//!
//! Lowering produces it, emitting consumes it. It knows nothing of syntax trees or of the OpenAPI
//! document's shapes; everything here is sorted or ordered as the document orders it, never by hash.

use serde::Serialize;

/// The whole API, ready to emit.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    pub security_schemes: Vec<SecurityScheme>,
    /// The document's default security alternatives, for requests it does not describe.
    pub default_security: Vec<Vec<String>>,
    /// The request header that carries `version` on every request (`info.x-api-version-header`).
    pub version_header: Option<String>,
    /// The `Error` enum of the crate root: one variant per operation error.
    pub errors: Vec<ErrorVariant>,
    /// Named types, sorted by name: a [`TypeId`] is an index into this list.
    pub types: Vec<TypeDef>,
    /// Zero-sized types for `const` values, one per distinct value.
    pub consts: Vec<ConstDef>,
    pub operations: Vec<Operation>,
    /// Operation groups as a tree rooted at the client (`customer_portal` → `subscriptions`).
    pub root: Group,
}

#[derive(Debug, Clone, Serialize)]
pub struct Server {
    /// Variant name of the `Server` enum.
    pub name: String,
    pub url: String,
    pub description: Option<String>,
}

/// A variant of the crate-level `Error`, holding one operation's error enum.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorVariant {
    pub name: String,
    /// Index into `Api::operations`.
    pub operation: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecurityScheme {
    /// The key in `components.securitySchemes`.
    pub key: String,
    /// The builder setter's name.
    pub setter: String,
    /// The `Client` method that makes a clone with this credential (`with_bearer`); `None` for a
    /// scheme that is the transport's (`mutualTLS`).
    pub clone_method: Option<String>,
    /// The builder method that takes a credential provider instead (`customer_session_provider`);
    /// `None` for a scheme that is the transport's.
    pub provider_method: Option<String>,
    /// An OAuth2 scheme's client credentials flow, which the client can run itself.
    pub client_credentials: Option<ClientCredentialsFlow>,
    pub kind: SecurityKind,
    pub description: Option<String>,
}

/// OAuth2's client credentials flow of a scheme: the builder method that takes an id and a secret,
/// and where and for what the token is asked.
#[derive(Debug, Clone, Serialize)]
pub struct ClientCredentialsFlow {
    pub method: String,
    /// Absolute, or relative to the client's base URL.
    pub token_url: String,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SecurityKind {
    Bearer,
    Basic,
    ApiKeyHeader(String),
    ApiKeyQuery(String),
    ApiKeyCookie(String),
    /// Another HTTP scheme (`digest`, `hoba`, …), by name: the caller supplies the whole
    /// `Authorization` value.
    Authorization(String),
    /// `mutualTLS`: a client certificate presented in the TLS handshake, set on the client's
    /// transport, never on a request.
    MutualTls,
}

/// A type of the `types` module: an index into [`Api::types`]. Types refer to each other by id, so
/// that merging re-points ids and naming changes one table, with nothing left pointing at a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    /// Given last, by the naming pass, once types are merged and cycles broken.
    pub name: String,
    /// JSON pointer of the schema this type came from.
    pub pointer: String,
    pub docs: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
    /// Derives the configuration adds (`[types] derive`, `derive-for`), as paths, beyond those
    /// every type of its kind has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub derives: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    Union(Union),
    /// Another name for a shape (`pub type Name = T;`).
    Alias(TypeRef),
    /// A wrapper struct (`pub struct Name(pub T);`), for aliases that are recursive.
    Newtype(TypeRef),
}

#[derive(Debug, Clone, Serialize)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// It derives `Default`: no field needs a value (an optional or constant one needs none; a
    /// required one or a flattened union does).
    pub default: bool,
    /// Extra properties: `None` ignores unknown ones, `Some` collects them into a map field.
    pub additional: Additional,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Additional {
    /// Unknown properties are accepted and dropped (the forward-compatible default).
    Ignore,
    /// `additionalProperties: false`: unknown properties are a decode error.
    Deny,
    /// Unknown properties are kept in a map with this value type.
    Collect(TypeRef),
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: String,
    pub wire_name: String,
    pub docs: Option<String>,
    pub ty: TypeRef,
    pub presence: Presence,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// The schema's `default`, as JSON.
    pub default: Option<serde_json::Value>,
    /// For an `Optional` field whose scalar `default` fills it in: the struct's method that reads
    /// the field with the default in place of `None`. The field itself stays an `Option`, so that a
    /// request carries only what the caller set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessor: Option<String>,
}

/// How a field may appear on the wire; decides its Rust wrapper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Always present, may be null: `Option<T>`, written as `null`.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, skipped when `None`.
    Optional,
    /// Not a property: the union a schema puts beside its properties, its members' properties
    /// flattened into the struct (`#[serde(flatten)]`).
    Flattened,
    /// May be absent or null: `Nullable<T>`, which tells the three apart.
    OptionalNullable,
}

#[derive(Debug, Clone, Serialize)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Union {
    pub tagging: Tagging,
    pub variants: Vec<UnionVariant>,
    /// Each member's type converts into the union (`From`): their Rust types all differ, aliases
    /// seen through.
    pub converts: bool,
}

#[derive(Debug, Clone, Serialize)]
pub enum Tagging {
    /// Chosen by the string in `property` (a discriminator, declared or inferred from `const`s).
    /// Unknown tags decode into an `Unknown(serde_json::Value)` variant, but only when the value
    /// carries the `shared` constants every member has (so that it can be a member at all).
    Tagged { property: String, shared: Vec<(String, serde_json::Value)> },
    /// Each member is tried on the value; the one that accounts for it best wins (see
    /// [`MemberKeys`]), the first in document order among equals.
    Untagged,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// Tag values that select this variant (tagged unions only).
    pub tags: Vec<String>,
    /// The member is itself a tagged union, whose `Unknown` accepts what no other member does;
    /// an untagged union tries the other members before settling for that.
    pub open: bool,
    /// A shortcut constructor on the union for this member, when the member is a struct that
    /// needs at most one value.
    pub constructor: Option<Constructor>,
    /// For an object member of an untagged union: the properties it names, so that decoding picks
    /// the member that accounts for the value rather than the first that takes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys: Option<MemberKeys>,
}

/// The properties an object member of an untagged union names, by wire name, each list sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MemberKeys {
    /// Every property it names (those of a union flattened into it included).
    pub declared: Vec<String>,
    /// The properties a value must carry to be this member (required, nullable or not).
    pub required: Vec<String>,
    /// Properties that admit one string only (a one-value `enum` or a `const`): a value that
    /// carries another string there is not this member.
    pub fixed: Vec<(String, String)>,
    /// It keeps properties it does not name (`additionalProperties`), so it loses no key.
    pub open: bool,
}

/// `Union::name(arg)`: builds the member struct from one argument, every other field defaulted.
#[derive(Debug, Clone, Serialize)]
pub struct Constructor {
    pub name: String,
    /// The member struct.
    pub member: TypeId,
    /// The member is held in a `Box` (it is part of a recursive cycle).
    pub boxed: bool,
    /// The field the argument fills, and its type; `None` for a constructor without arguments.
    pub arg: Option<(String, TypeRef)>,
    /// The member's other fields, each filled with `Default::default()` (absent, for an optional one).
    pub defaulted: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum TypeRef {
    /// A type of the `types` module.
    Named(TypeId),
    /// A `const` value: the zero-sized type of that name in the `consts` module.
    Const(String),
    String,
    Bool,
    Int(IntKind),
    Float,
    Uuid,
    DateTime,
    Date,
    /// `format: binary` (or `byte`) inside JSON: text on the wire, a `String`.
    Bytes,
    /// A file of a `multipart/form-data` body (`format: binary` there): bytes, file name, content type.
    File,
    /// A raw request body sent as it is (`runtime::Upload`: bytes, or a stream).
    Binary,
    /// A type of the operation's own module (a body choice or a success enum), by name.
    Local(String),
    Json,
    /// A JSON object with any properties.
    JsonObject,
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// Only for `null` inside unions and aliases: `Option<T>` in Rust.
    Option(Box<TypeRef>),
    /// A heap indirection that breaks a recursive cycle.
    Box(Box<TypeRef>),
    /// The user's own type, by its Rust path (`rust_decimal::Decimal`), for a schema or a format
    /// the configuration replaces (`[types] replace` and `format`).
    External(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum IntKind {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConstDef {
    pub name: String,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Module and accessor name (`subscriptions`).
    pub name: String,
    /// Accessor struct name (`CustomerPortalSubscriptions`).
    pub type_name: String,
    /// Names of the child groups, in order.
    pub children: Vec<Group>,
    /// Indices into `Api::operations`.
    pub operations: Vec<usize>,
}

/// One operation, with every decision about its request builder made: what it takes and how,
/// the path it fills in, the body it sends and how each response is read.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// `operationId` as written, or a synthesized one.
    pub id: String,
    /// Group path from the client root (`["customer_portal", "subscriptions"]`).
    pub group: Vec<String>,
    /// Method name on the group (`list`).
    pub method_name: String,
    /// Builder type name (`List`), unique within its group module.
    pub builder_name: String,
    /// Error enum name (`ListError`), unique within its group module.
    pub error_name: String,
    /// The variant of the crate's `Error` that the error enum converts into (`List`).
    pub crate_error: String,
    /// When success statuses carry different bodies: the name of the enum with a variant per status.
    pub success_enum: Option<String>,
    /// With the `mock` feature: the enum of the declared error statuses a mock answers with
    /// (`ListFailure`), for an operation that declares any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_enum: Option<String>,
    /// With the `mock` feature: the mock builder has its own `status` method (no parameter setter
    /// takes the name); else `status` is reached through the `Answers` trait.
    #[serde(skip)]
    pub mock_status: bool,
    pub http_method: HttpMethod,
    /// The path template as written (for docs).
    pub path: String,
    /// The path template, parsed: literal text and path parameters.
    pub path_pieces: Vec<PathPiece>,
    pub summary: Option<String>,
    pub docs: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    /// What the builder holds, in order: the accessor method's positional arguments first, then
    /// the values set by setters.
    pub inputs: Vec<Input>,
    pub body: Option<RequestBody>,
    pub success: Vec<Response>,
    /// The declared error statuses, each with its readings.
    pub errors: Vec<ErrorStatus>,
    /// Security alternatives: each inner list is scheme keys that must all be applied.
    pub security: Vec<Vec<String>>,
    pub pagination: Option<Pagination>,
    /// The success body is raw bytes, so the builder can also hand it out as a stream.
    pub streams: bool,
    /// With several success media types: the default one's, sent as `Accept` on every request.
    pub accept: Option<String>,
    /// The other success media types, each read by a `send_as_*` method of its own.
    pub alternates: Vec<Alternate>,
}

/// A success media type besides the default: `send_as_xml()` asks for it (`Accept`) and reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// The method's name (`send_as_xml`), free among the builder's names.
    pub method: String,
    /// The private method it sends through (`execute_as_xml`).
    pub execute: String,
    /// The media type asked for.
    pub accept: String,
    pub body: ResponseBody,
}

impl Operation {
    /// Calls `f` on every type the operation names (the top of each; nested types are the
    /// caller's to walk), so that a pass that renames types cannot miss one.
    pub fn for_each_type_mut(&mut self, mut f: impl FnMut(&mut TypeRef)) {
        self.params.iter_mut().for_each(|p| f(&mut p.ty));
        for input in &mut self.inputs {
            f(&mut input.ty);
            if let Passing::Items(item) = &mut input.passing {
                f(item);
            }
        }
        if let Some(body) = &mut self.body {
            f(&mut body.ty);
            body.encodings_mut().for_each(|e| f(&mut e.ty));
        }
        let errors = self.errors.iter_mut().flat_map(ErrorStatus::readings_mut);
        let bodies = self.success.iter_mut().chain(errors).map(|r| &mut r.body);
        for body in bodies.chain(self.alternates.iter_mut().map(|a| &mut a.body)) {
            if let ResponseBody::Json(ty) = body {
                f(ty);
            }
        }
        if let Some(pagination) = &mut self.pagination {
            f(&mut pagination.item_ty);
        }
    }
}

fn is_false(value: &bool) -> bool {
    !value
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathPiece {
    Literal(String),
    /// A path parameter: its index in `Operation::params`, and the local that holds its segment.
    /// A parameter the template names twice (`/{id}/x/{id}`) has its segment computed once, for
    /// its first piece; `repeat` marks the later ones.
    Param {
        param: usize,
        local: String,
        #[serde(skip_serializing_if = "is_false")]
        repeat: bool,
    },
}

/// A value the request builder holds: a parameter or the body.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    /// The builder field, and the name of the argument or setter that fills it.
    pub name: String,
    pub source: InputSource,
    /// The field's type (without the `Option` a setter's field has).
    pub ty: TypeRef,
    /// An argument of the accessor method, rather than set by a setter.
    pub positional: bool,
    pub passing: Passing,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InputSource {
    /// Index into `Operation::params`.
    Param(usize),
    Body,
}

/// How an argument or setter takes its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Passing {
    /// By value (`limit: u32`), so that a plain literal infers the parameter's own type.
    Value,
    /// `impl Into<T>`.
    Into,
    /// `impl IntoIterator<Item = T>` (setters of lists).
    Items(TypeRef),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub docs: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub deprecated: bool,
    pub default: Option<serde_json::Value>,
    /// The bounds the schema sets on a number: `(value, exclusive)`.
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    /// Described by `content` (JSON): the value is sent as its JSON text.
    pub json: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ParamLocation {
    Path,
    Query {
        style: QueryStyle,
        explode: bool,
    },
    Header,
    /// Sent in the `Cookie` header, as `name=value`.
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QueryStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// The body a request sends, in one encoding or a choice of them.
#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    /// What the builder takes: the only encoding's type, or the choice enum (`TypeRef::Local`).
    pub ty: TypeRef,
    /// The default encoding (JSON where there is one).
    pub encoding: BodyEncoding,
    /// When the document offers several: the enum with a variant per encoding, and the others.
    pub choice: Option<BodyChoice>,
    pub required: bool,
    pub docs: Option<String>,
}

/// The encodings a body may be sent in besides the default, and the enum the builder takes.
#[derive(Debug, Clone, Serialize)]
pub struct BodyChoice {
    /// The enum's name, unique within the operation's module.
    pub name: String,
    pub others: Vec<BodyEncoding>,
}

impl RequestBody {
    /// Every encoding, the default first.
    pub fn encodings(&self) -> impl Iterator<Item = &BodyEncoding> {
        std::iter::once(&self.encoding).chain(self.choice.iter().flat_map(|c| &c.others))
    }

    pub fn encodings_mut(&mut self) -> impl Iterator<Item = &mut BodyEncoding> {
        std::iter::once(&mut self.encoding).chain(self.choice.iter_mut().flat_map(|c| &mut c.others))
    }
}

/// One media type a body can be sent as.
#[derive(Debug, Clone, Serialize)]
pub struct BodyEncoding {
    /// The variant of the choice enum (`Json`, `Form`, …).
    pub variant: String,
    pub ty: TypeRef,
    pub media: Media,
    /// The choice enum converts from `ty` into this variant (the first variant of each type).
    pub from: bool,
}

/// How a request body is encoded on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Media {
    /// JSON, with its content type (`application/merge-patch+json` is JSON too).
    Json(String),
    Text(String),
    Binary(String),
    /// `application/x-www-form-urlencoded`: the body object's properties as pairs, with the
    /// document's `encoding` for the properties that have one.
    Form(Vec<FormEncoding>),
    /// `multipart/form-data`: one part per property of the body struct; without parts, the body
    /// is a free-form object, and each of its properties is a part.
    Multipart(Vec<MultipartPart>),
}

/// One property of a multipart body, and how it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MultipartPart {
    /// The Rust field of the body struct.
    pub field: String,
    pub wire_name: String,
    pub kind: PartKind,
    /// The document's `encoding.contentType`, when it sets one.
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PartKind {
    /// Scalars (one part each, arrays one per element).
    Text,
    /// Objects, unions and other structured values, as JSON.
    Json,
    /// `format: binary`: file parts.
    File,
}

/// The `encoding` of one property of a form body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormEncoding {
    pub wire_name: String,
    pub style: QueryStyle,
    pub explode: bool,
    /// `contentType: application/json`: the value is sent as JSON text.
    pub json: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Response {
    pub status: StatusMatch,
    /// The status codes this response stands for, as inclusive ranges: a range response leaves out
    /// the codes the operation declares on their own, so no two responses overlap. Empty for
    /// `default` (every status no other response takes).
    pub codes: Vec<(u16, u16)>,
    /// The error enum variant name (errors) or a label (successes).
    pub variant: String,
    pub docs: Option<String>,
    pub body: ResponseBody,
    /// The body is a tagged union that keeps members it does not know: for an error status, such a
    /// member is not the declared body, and the response is `Unexpected`.
    pub open_union: bool,
    /// For an error status's other reading (see [`ErrorStatus`]): the media types that pick it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<String>,
}

/// A declared error status: the response read by default, and, when the status offers bodies read
/// differently, the others, each its own variant, read when the response's `Content-Type` names
/// one of their `media`.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorStatus {
    pub response: Response,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<Response>,
}

impl ErrorStatus {
    /// Every reading, the default first: one variant each.
    pub fn readings(&self) -> impl Iterator<Item = &Response> {
        std::iter::once(&self.response).chain(&self.others)
    }

    pub fn readings_mut(&mut self) -> impl Iterator<Item = &mut Response> {
        std::iter::once(&mut self.response).chain(&mut self.others)
    }
}

impl Operation {
    /// Every error response, one per variant of the error enum, in order.
    pub fn error_responses(&self) -> impl Iterator<Item = &Response> {
        self.errors.iter().flat_map(ErrorStatus::readings)
    }
}

/// How a response body is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ResponseBody {
    /// No body is declared: it is not read.
    Empty,
    /// JSON, decoded into the type.
    Json(TypeRef),
    /// Text (`text/*`, and media types this generator can only hand over as text), as a `String`.
    Text,
    /// Raw bytes, `bytes::Bytes` (successes only: an error's body that is no JSON is kept as text).
    Binary,
    /// A success body of a `multipart/*` media type, split into its parts (`runtime::Parts`).
    Multipart,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// Rust name of the page-number parameter, and its integer type.
    pub page_param: String,
    pub page_int: IntKind,
    /// Rust name of the page-size parameter, its integer type and its default.
    pub limit_param: Option<(String, IntKind)>,
    pub default_limit: Option<u64>,
    pub default_page: u64,
    /// Field path in the response body to the items array (Rust field names).
    pub items: Vec<String>,
    /// Field path to the last page number.
    pub max_page: Option<Vec<String>>,
    pub item_ty: TypeRef,
    /// Whether `items` and `max_page` can be read straight (`false` when a hop is optional).
    pub items_presence: Vec<Presence>,
    pub max_page_presence: Vec<Presence>,
    pub max_page_int: Option<IntKind>,
    /// Field path to the total number of items, with its hops' presences and integer type.
    pub total_count: Option<Vec<String>>,
    pub total_count_presence: Vec<Presence>,
    pub total_count_int: Option<IntKind>,
}
