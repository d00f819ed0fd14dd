//! The crate guide's examples of what downstream code plugs in: credentials that expire (feature
//! `refresh`: a provider, OAuth2's client credentials), middleware (feature `middleware`) and a test written
//! with the typed mock (feature `mock`). Each is compiled as a doctest, with its feature.

use super::crate_docs::{call, sample};
use crate::model::*;
use crate::naming::ident;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// (title, feature, hidden setup, visible body) of each example the API allows.
pub(super) fn examples(
    api: &Api,
    krate: &Ident,
    steps: &[TokenStream],
) -> Vec<(&'static str, Option<&'static str>, TokenStream, TokenStream)> {
    let mut out = Vec::new();
    let server = api.servers.first().map(|s| {
        let name = ident(&s.name);
        quote!(.server(#krate::Server::#name))
    });
    let bearer = api.security_schemes.iter().find(|s| s.kind == SecurityKind::Bearer);
    if let Some(method) = bearer.and_then(|s| s.provider_method.as_ref()) {
        let method = ident(method);
        out.push((
            "Credentials that expire",
            Some("refresh"),
            quote!(),
            quote! {
                let client = #krate::Client::builder()
                    #server
                    .#method(|request: #krate::CredentialRequest| async move {
                        let token = session_token(request.refresh).await?;
                        Ok::<_, #krate::ProviderError>(#krate::Credential::bearer(token))
                    })
                    .build()?;
                async fn session_token(renew: bool) -> Result<String, std::env::VarError> {
                    let name = if renew { "RENEWED_API_TOKEN" } else { "API_TOKEN" };
                    std::env::var(name)
                }
            },
        ));
    }
    if let Some(flow) = api.security_schemes.iter().find_map(|s| s.client_credentials.as_ref()) {
        let method = ident(&flow.method);
        out.push((
            "OAuth2 client credentials",
            Some("refresh"),
            quote!(),
            quote! {
                let client = #krate::Client::builder()
                    #server
                    .#method(std::env::var("CLIENT_ID")?, std::env::var("CLIENT_SECRET")?)
                    .build()?;
            },
        ));
    }
    out.push((
        "Middleware",
        Some("middleware"),
        quote!(),
        quote! {
            use #krate::reqwest_middleware::ClientBuilder;
            let chain = ClientBuilder::new(#krate::reqwest::Client::new()).build();
            let client = #krate::Client::builder() #(#steps)* .middleware(chain).build()?;
        },
    ));
    if let Some(example) = mock_example(api, krate) {
        out.push(("Testing your code with the mock", Some("mock"), quote!(), example));
    }
    out
}

/// A function of "your code" that calls an operation, and its test against the mock, for the
/// first operation whose success body a sample can stand for.
fn mock_example(api: &Api, krate: &Ident) -> Option<TokenStream> {
    let (op, body) = api.operations.iter().find_map(|op| {
        let ResponseBody::Json(ty) = &op.success.first()?.body else { return None };
        (op.success_enum.is_none()).then_some(())?;
        Some((op, sample(api, ty, krate, 1)?))
    })?;
    let (lets, call) = call(api, op, krate, false)?;
    Some(quote! {
        use #krate::mock::MockServer;

        async fn your_code(client: &#krate::Client) -> Result<(), #krate::Error> {
            #(#lets)*
            client #call.send().await?;
            Ok(())
        }

        let server = MockServer::start().await;
        #(#lets)*
        server #call.respond(#body).times(1).mount().await;
        your_code(server.client()).await?;
    })
}
