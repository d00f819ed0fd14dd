//! An operation's responses: success and error statuses, the codes each one stands for, and how
//! each body is read.

use super::super::{resolve, Lowerer};
use super::bodies::{classify, schema_type, Kind};
use crate::error::{pointer, Result};
use crate::model::*;
use crate::naming::{self, NameSet};
use openapiv3::ReferenceOr;

/// Success responses, error responses, and the success media types when there are several (the
/// default first), each with its essence and how it is read.
pub(super) type Responses = (Vec<Response>, Vec<ErrorStatus>, Vec<(String, ResponseBody)>);

type SchemaRef = ReferenceOr<openapiv3::Schema>;

pub(super) fn responses(
    cx: &mut Lowerer<'_>,
    op: &openapiv3::Operation,
    at: &str,
    type_prefix: &str,
) -> Result<Responses> {
    let components = cx.doc.components.as_ref().map(|c| &c.responses);
    let responses_at = pointer(at, "responses");
    let mut all: Vec<(StatusMatch, String, &ReferenceOr<openapiv3::Response>)> = op
        .responses
        .responses
        .iter()
        .map(|(code, r)| match code {
            openapiv3::StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string(), r),
            openapiv3::StatusCode::Range(r0) => (StatusMatch::Range(*r0), format!("{r0}XX"), r),
        })
        .collect();
    if let Some(default) = &op.responses.default {
        all.push((StatusMatch::Default, "default".to_string(), default));
    }
    // No response at all: any success, with no body the document describes.
    let any_success = ReferenceOr::Item(openapiv3::Response {
        description: "Any success: the document declares no response.".to_string(),
        ..Default::default()
    });
    if all.is_empty() {
        if !op.responses.extensions.contains_key(crate::normalize::RESPONSES_ABSENT) {
            cx.warn(&responses_at, "declares no response: read as any success, with no declared body");
        }
        all.push((StatusMatch::Range(2), "2XX".to_string(), &any_success));
    }
    let declared: Vec<u16> = all
        .iter()
        .filter_map(|(status, ..)| match status {
            StatusMatch::Code(c) => Some(*c),
            _ => None,
        })
        .collect();
    let mut variant_names = NameSet::with_reserved(naming::ERROR_VARIANTS);
    let (mut success, mut errors) = (Vec::new(), Vec::new());
    // The media types of each success response with a body, in preference order.
    let mut success_media: Vec<Vec<(String, ResponseBody)>> = Vec::new();
    // With several success statuses, each inline body type is named after its status, like errors are.
    let one_success = all.iter().filter(|(status, _, _)| is_success(*status)).count() == 1;
    for (status, key, response) in all {
        let (response, response_at) = resolve(components, response, "responses", &pointer(&responses_at, &key))?;
        let is_success = is_success(status);
        let label = status_label(status);
        let variant = if is_success { label.clone() } else { variant_names.claim(&label) };
        let hint =
            format!("{type_prefix}{}", if is_success && one_success { "Response".to_string() } else { label.clone() });
        // Every media type, best ranked first (JSON, plain `application/json` before the rest); the
        // first is the one `send` reads.
        let mut offered: Vec<((u8, Kind, String), &String, &openapiv3::MediaType)> =
            response.content.iter().map(|(key, value)| (classify(key), key, value)).collect();
        offered.sort_by_key(|((rank, _, essence), ..)| (*rank, essence != "application/json"));
        let mut media: Vec<(String, ResponseBody)> = Vec::new();
        // An error's media types that are read alike share one response: the same way of
        // reading, and for JSON the same schema (compared as written, before it becomes a type).
        let mut readings: Vec<(Kind, Option<&SchemaRef>, Vec<String>)> = Vec::new();
        for ((_, kind, essence), key, value) in offered {
            if media.iter().any(|(e, _)| *e == essence) {
                continue;
            }
            if !is_success {
                let text = |k: Kind| if matches!(k, Kind::Json) { k } else { Kind::Text };
                let schema = matches!(kind, Kind::Json).then_some(value.schema.as_ref()).flatten();
                if let Some(reading) = readings.iter_mut().find(|(k, s, _)| *k == text(kind) && *s == schema) {
                    reading.2.push(essence);
                    continue;
                }
                readings.push((text(kind), schema, vec![essence.clone()]));
            }
            let body = match kind {
                Kind::Json => {
                    let media_at = pointer(&pointer(&response_at, "content"), key);
                    // An error's other readings are variants of their own, and so are their types.
                    let hint = match readings.len() {
                        2.. => format!("{hint}{}", naming::reading_label(&essence, true)),
                        _ => hint.clone(),
                    };
                    ResponseBody::Json(schema_type(cx, value, &media_at, hint)?)
                }
                // A form is text to read as such; a success's multipart body is split into its
                // parts; the rest is bytes. An error's body that is no JSON is kept as text.
                _ if !is_success => ResponseBody::Text,
                Kind::Form | Kind::Text => ResponseBody::Text,
                Kind::Multipart => ResponseBody::Multipart,
                Kind::Binary => ResponseBody::Binary,
            };
            media.push((essence, body));
        }
        let body = media.first().map_or(ResponseBody::Empty, |(_, body)| body.clone());
        let docs = Some(response.description.clone()).filter(|d| !d.is_empty());
        let codes = codes(status, &declared);
        let lowered = Response { status, codes, variant, docs, body, open_union: false, media: Vec::new() };
        if is_success {
            success.push(lowered);
            if !media.is_empty() {
                success_media.push(media);
            }
        } else {
            // The other readings, each its own variant: `NotFoundXml`, `NotFoundProblemJson`.
            let others: Vec<Response> = readings
                .iter()
                .zip(&media)
                .skip(1)
                .map(|((kind, _, essences), (essence, body))| {
                    let suffix = naming::reading_label(essence, *kind == Kind::Json);
                    let variant = variant_names.claim(&format!("{label}{suffix}"));
                    let media = essences.clone();
                    Response { variant, body: body.clone(), media, ..lowered.clone() }
                })
                .collect();
            errors.push(ErrorStatus { response: lowered, others });
        }
    }
    // Alternatives only where every success response offers the same media types, read alike.
    let alternatives = match success_media.split_first() {
        Some((first, rest)) if first.len() > 1 && rest.iter().all(|m| m == first) => first.clone(),
        _ => Vec::new(),
    };
    Ok((success, errors, alternatives))
}

fn is_success(status: StatusMatch) -> bool {
    match status {
        StatusMatch::Code(c) => (200..300).contains(&c),
        StatusMatch::Range(r) => r == 2,
        StatusMatch::Default => false,
    }
}

/// The codes a status stands for. A range leaves out the codes the operation declares on their own
/// (`4XX` beside `404` is `400..=403` and `405..=499`), so that no two responses overlap; a range
/// whose every code is declared keeps its whole span (it then matches nothing new).
fn codes(status: StatusMatch, declared: &[u16]) -> Vec<(u16, u16)> {
    match status {
        StatusMatch::Code(c) => vec![(c, c)],
        StatusMatch::Default => Vec::new(),
        StatusMatch::Range(r) => {
            let (first, last) = (r * 100, r * 100 + 99);
            let mut taken: Vec<u16> = declared.iter().copied().filter(|c| (first..=last).contains(c)).collect();
            taken.sort_unstable();
            taken.dedup();
            let mut spans = Vec::new();
            let mut lo = first;
            for next in taken.into_iter().chain([last + 1]) {
                if next > lo {
                    spans.push((lo, next - 1));
                }
                lo = next + 1;
            }
            if spans.is_empty() {
                spans.push((first, last));
            }
            spans
        }
    }
}

/// `404` → `NotFound`; unknown codes → `Status599`; ranges → `ClientError`; default → `Default`.
fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(naming::variant_name)
            .unwrap_or_else(|| format!("Status{code}")),
        StatusMatch::Range(1) => "Informational".into(),
        StatusMatch::Range(2) => "Success".into(),
        StatusMatch::Range(3) => "Redirection".into(),
        StatusMatch::Range(4) => "ClientError".into(),
        StatusMatch::Range(5) => "ServerError".into(),
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "Default".into(),
    }
}

/// How many different bodies the responses carry.
pub(super) fn distinct_bodies(responses: &[Response]) -> usize {
    let mut seen: Vec<&ResponseBody> = Vec::new();
    for r in responses {
        if !seen.contains(&&r.body) {
            seen.push(&r.body);
        }
    }
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_leaves_out_the_codes_declared_on_their_own() {
        assert_eq!(codes(StatusMatch::Range(4), &[404, 200, 400]), vec![(401, 403), (405, 499)]);
        assert_eq!(codes(StatusMatch::Range(4), &[499]), vec![(400, 498)]);
        assert_eq!(codes(StatusMatch::Range(2), &[]), vec![(200, 299)]);
        assert_eq!(codes(StatusMatch::Code(201), &[201]), vec![(201, 201)]);
        assert!(codes(StatusMatch::Default, &[201]).is_empty());
    }
}
