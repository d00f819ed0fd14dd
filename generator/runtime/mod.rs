// Runtime support for generated clients: copied verbatim into each generated crate.

//! Runtime support shared by every operation: requests, responses, errors,
//! retries, timeouts and pagination. The generated code only calls into the
//! items re-exported here; the crate root re-exports the ones users name.

mod blocking;
mod client;
mod credential;
mod download;
mod enums;
mod error;
mod excerpt;
pub mod json;
#[cfg(feature = "mock")]
mod mock;
mod multipart;
mod nullable;
#[cfg(feature = "refresh")]
mod oauth2;
mod pagination;
mod parts;
mod percent;
#[cfg(feature = "refresh")]
mod provider;
mod raw;
mod request;
mod response;
mod retry;
mod unions;
mod untagged;
mod upload;

#[cfg(feature = "mock")]
pub use blocking::Mocked;
#[cfg(feature = "blocking")]
pub use blocking::{iterate, Blocking, BlockingByteStream, BlockingPage};
pub use blocking::{Async, Mode};
pub use client::{ClientConfig, ClientCore};
pub use credential::Credential;
pub use download::{ByteStream, Streamed};
#[allow(unused_imports)] // a crate without enums has no use for it
pub(crate) use enums::string_enum;
pub use enums::StringEnumVisitor;
pub(crate) use error::error_details;
pub use error::{BuildError, DecodeError, Details, Failure, InvalidRequestError, TimeoutError, TransportError};
#[cfg(feature = "mock")]
pub use mock::{Answer, Answers, Expectation, MockOperation, MockState};
pub use multipart::{FilePart, Files, Multipart};
pub use nullable::Nullable;
#[cfg(feature = "refresh")]
pub use oauth2::ClientCredentials;
pub use pagination::{first_page, paginate, Page, PageRequest};
pub use parts::{Part, Parts};
#[cfg(feature = "refresh")]
pub use provider::{CredentialFuture, CredentialProvider, CredentialRequest, ProviderError};
pub use raw::RawRequest;
#[allow(unused_imports)] // a crate without operations has no builder to use it
pub(crate) use request::{call_options, sends, sends_as};
pub use request::{check_range, json_text, path_segment, CallOptions, QueryStyle, Request};
pub use response::{ErrorResponse, RawResponse, Response, UnexpectedResponse};
pub use retry::RetryPolicy;
pub use unions::{tagged, Member, Tagged};
pub use untagged::{Keys, Untagged};
pub use upload::Upload;
