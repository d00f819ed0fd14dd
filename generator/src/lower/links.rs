//! Relative links in the document's prose (`[Create Customer Session](/api-reference/...)`, as
//! Polar's document writes them) point into the API's documentation site. With a base for that site
//! (`[api] docs-base-url` of the configuration, else the document's `externalDocs.url`), they become
//! absolute links; without one, the emitter keeps only their text.

use crate::config::Config;
use crate::error::Result;
use crate::model::Api;
use openapiv3::OpenAPI;

/// The documentation site's base URL, if the configuration or the document gives one.
pub(super) fn base(doc: &OpenAPI, config: &Config) -> Result<Option<String>> {
    if let Some(setting) = &config.api.docs_base_url {
        // Checked to be an absolute URL with the rest of the configuration.
        return Ok(Some(setting.value.clone()));
    }
    let absolute = |url: &str| url.starts_with("https://") || url.starts_with("http://");
    Ok(doc.external_docs.as_ref().map(|d| d.url.clone()).filter(|url| absolute(url) && !url.contains(' ')))
}

/// Makes every relative link of every doc text in the model absolute against `base`.
pub(super) fn absolutize(api: &mut Api, base: &str) {
    let fix = |text: &mut Option<String>| {
        if let Some(t) = text.as_mut() {
            *t = resolve_links(t, base);
        }
    };
    fix(&mut api.description);
    api.servers.iter_mut().for_each(|s| fix(&mut s.description));
    api.security_schemes.iter_mut().for_each(|s| fix(&mut s.description));
    for def in &mut api.types {
        fix(&mut def.docs);
        if let crate::model::TypeKind::Struct(s) = &mut def.kind {
            s.fields.iter_mut().for_each(|f| fix(&mut f.docs));
        }
    }
    for op in &mut api.operations {
        fix(&mut op.summary);
        fix(&mut op.docs);
        op.params.iter_mut().for_each(|p| fix(&mut p.docs));
        op.inputs.iter_mut().for_each(|i| fix(&mut i.docs));
        if let Some(body) = &mut op.body {
            fix(&mut body.docs);
        }
        op.success
            .iter_mut()
            .chain(op.errors.iter_mut().flat_map(crate::model::ErrorStatus::readings_mut))
            .for_each(|r| fix(&mut r.docs));
    }
}

/// `[text](/a/b)` → `[text](https://site/docs/a/b)`, outside code spans and fenced blocks. Links
/// with a scheme, protocol-relative ones and bare fragments are left alone.
fn resolve_links(text: &str, base: &str) -> String {
    let base = base.trim_end_matches('/');
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence || line.trim_start().starts_with("```") {
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find(['`', ']']) {
            let (before, from) = rest.split_at(at);
            out.push_str(before);
            if from.starts_with('`') {
                let ticks = from.len() - from.trim_start_matches('`').len();
                let end = from[ticks..].find(&from[..ticks]).map_or(ticks, |e| ticks + e + ticks);
                out.push_str(&from[..end]);
                rest = &from[end..];
                continue;
            }
            // `](url)`: the link's target.
            match from.strip_prefix("](").and_then(|after| after.find(')').map(|end| (&after[..end], end))) {
                Some((url, end)) if is_relative(url.trim()) => {
                    let url = url.trim();
                    let joined = if url.starts_with('/') { format!("{base}{url}") } else { format!("{base}/{url}") };
                    out.push_str("](");
                    out.push_str(&joined);
                    out.push(')');
                    rest = &from[2 + end + 1..];
                }
                _ => {
                    out.push(']');
                    rest = &from[1..];
                }
            }
        }
        out.push_str(rest);
    }
    out
}

fn is_relative(url: &str) -> bool {
    let scheme = url
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)));
    !url.is_empty() && !scheme && !url.starts_with("//") && !url.starts_with('#') && !url.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::resolve_links;

    #[test]
    fn relative_links_resolve_against_the_base() {
        let base = "https://polar.sh/docs/";
        assert_eq!(
            resolve_links("Use [Create Customer Session](/api-reference/customer-portal/sessions/create).", base),
            "Use [Create Customer Session](https://polar.sh/docs/api-reference/customer-portal/sessions/create)."
        );
        assert_eq!(resolve_links("[guide](guides/start)", base), "[guide](https://polar.sh/docs/guides/start)");
        let kept = "[a](https://x.io/a) [b](mailto:b@x.io) [c](#top) [d](//cdn.x.io) `[e](/e)` a[0] x]";
        assert_eq!(resolve_links(kept, base), kept);
        assert_eq!(
            resolve_links("```\n[f](/f)\n```\n[g](/g)", base),
            "```\n[f](/f)\n```\n[g](https://polar.sh/docs/g)"
        );
    }
}
