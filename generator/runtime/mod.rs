// Runtime support for generated clients: copied verbatim into each generated crate.

//! Runtime support shared by every operation: requests, responses, errors,
//! retries, timeouts and pagination. The generated code only calls into the
//! items re-exported here.

mod client;
mod error;
mod nullable;
mod pagination;
mod request;
mod response;
mod retry;

pub use client::{ClientConfig, ClientCore, Credential};
pub use error::{BuildError, DecodeError, Failure, InvalidRequestError, TimeoutError, TransportError};
pub use nullable::Nullable;
pub use pagination::{first_page, paginate, Page, PageRequest};
pub use request::{path_segment, CallOptions, QueryStyle, Request};
pub use response::{ErrorResponse, RawResponse, Response, UnexpectedResponse};
pub use retry::RetryPolicy;
