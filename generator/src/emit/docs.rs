//! Doc comments from the document's prose, made safe for rustdoc.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = …]` lines for the document's prose (made safe with [`prose`]), or for `fallback`
/// (our own Markdown) when the document says nothing.
pub fn doc(text: Option<&str>, fallback: &str) -> TokenStream {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => lines(&prose(text)),
        None => lines(fallback),
    }
}

/// An extra paragraph of the document's prose.
pub fn prose_paragraph(text: &str) -> TokenStream {
    paragraph(&prose(text))
}

/// The document's prose as Markdown that rustdoc reads as plain prose: it cannot form intra-doc
/// links (`[x]` is escaped), HTML (`<tag>` is escaped) or bare URLs (they become autolinks), and
/// has no bare CR. Links to absolute http(s) URLs stay links; relative ones keep only their text,
/// since they would resolve against the crate's docs. Code spans and fenced blocks are untouched.
pub fn prose(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            out.push_str(line);
        } else if in_fence {
            out.push_str(line);
        } else {
            prose_line(line, &mut out);
        }
    }
    out
}

fn prose_line(line: &str, out: &mut String) {
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            // A code span runs to the next run of as many backticks; without one the ticks are literal.
            let ticks = rest.len() - rest.trim_start_matches('`').len();
            let fence = &rest[..ticks];
            match rest[ticks..].find(fence) {
                Some(end) => {
                    out.push_str(&rest[..ticks + end + ticks]);
                    rest = &rest[ticks + end + ticks..];
                }
                None => {
                    out.push_str(fence);
                    rest = &rest[ticks..];
                }
            }
        } else if c == '[' {
            match inline_link(rest) {
                Some((text, url, len)) => {
                    if is_absolute(url) {
                        out.push('[');
                        prose_line(text, out);
                        out.push_str("](");
                        out.push_str(url);
                        out.push(')');
                    } else {
                        prose_line(text, out);
                    }
                    rest = &rest[len..];
                }
                None => {
                    out.push_str("\\[");
                    rest = &rest[1..];
                }
            }
        } else if c == ']' {
            out.push_str("\\]");
            rest = &rest[1..];
        } else if c == '<' {
            match rest.find('>').filter(|end| is_absolute(&rest[1..*end]) && !rest[1..*end].contains(' ')) {
                Some(end) => {
                    out.push_str(&rest[..=end]);
                    rest = &rest[end + 1..];
                }
                None => {
                    out.push_str("\\<");
                    rest = &rest[1..];
                }
            }
        } else if is_absolute(rest) && !out.ends_with(|p: char| p.is_alphanumeric() || p == '/') {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let mut url = &rest[..end];
            // Trailing punctuation ends the sentence, not the URL; a `)` only when unbalanced.
            loop {
                let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '"']);
                let trimmed = if trimmed.ends_with(')') && trimmed.matches('(').count() < trimmed.matches(')').count() {
                    &trimmed[..trimmed.len() - 1]
                } else {
                    trimmed
                };
                if trimmed.len() == url.len() {
                    break;
                }
                url = trimmed;
            }
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// `[text](url)` at the start of `s`: the text, the URL and the length of the whole link.
fn inline_link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find(']')?;
    let text = &s[1..close];
    if text.contains('[') || !s[close + 1..].starts_with('(') {
        return None;
    }
    let url_start = close + 2;
    let url_len = s[url_start..].find(')')?;
    let url = s[url_start..url_start + url_len].trim();
    (!url.contains(char::is_whitespace)).then_some((text, url, url_start + url_len + 1))
}

fn is_absolute(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// One `#[doc]` attribute per line; fenced code becomes `text` so that rustdoc never runs it.
pub fn lines(text: &str) -> TokenStream {
    attributes(text, false, false)
}

/// Inner `#![doc]` attributes for a module or crate; with `keep_code`, fences keep their language
/// (for the crate guide's own examples, which are meant to be compiled).
pub fn inner_lines(text: &str, keep_code: bool) -> TokenStream {
    attributes(text, true, keep_code)
}

fn attributes(text: &str, inner: bool, keep_code: bool) -> TokenStream {
    let mut in_fence = false;
    let attrs = text.lines().map(|line| {
        let trimmed = line.trim_start();
        let line = if trimmed.starts_with("```") && !keep_code {
            in_fence = !in_fence;
            if in_fence {
                "```text".to_string()
            } else {
                "```".to_string()
            }
        } else {
            line.trim_end().to_string()
        };
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        if inner {
            quote!(#![doc = #line])
        } else {
            quote!(#[doc = #line])
        }
    });
    let mut out: TokenStream = attrs.collect();
    if in_fence {
        out.extend(if inner { quote!(#![doc = " ```"]) } else { quote!(#[doc = " ```"]) });
    }
    out
}

/// Markdown whose fenced code blocks all open as `text`, so that rustdoc shows them and never runs them.
pub fn fences_as_text(text: &str) -> String {
    let mut in_fence = false;
    let mut out: Vec<String> = text
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if !trimmed.starts_with("```") {
                return line.to_string();
            }
            in_fence = !in_fence;
            let indent = &line[..line.len() - trimmed.len()];
            format!("{indent}{}", if in_fence { "```text" } else { "```" })
        })
        .collect();
    if in_fence {
        out.push("```".to_string());
    }
    out.join("\n")
}

/// An extra paragraph after the main docs.
pub fn paragraph(text: &str) -> TokenStream {
    let mut out = quote!(#[doc = ""]);
    out.extend(lines(text));
    out
}

#[cfg(test)]
mod tests {
    use super::prose;

    #[test]
    fn prose_cannot_form_links_html_or_bare_urls() {
        assert_eq!(prose("see [Foo] and a[0]"), "see \\[Foo\\] and a\\[0\\]");
        assert_eq!(prose("a <b>bold</b> tag"), "a \\<b>bold\\</b> tag");
        assert_eq!(prose("Read https://polar.sh/docs."), "Read <https://polar.sh/docs>.");
        assert_eq!(prose("(see https://x.io/a_(b))"), "(see <https://x.io/a_(b)>)");
        assert_eq!(prose("<https://x.io> stays"), "<https://x.io> stays");
        assert_eq!(prose("[Docs](https://x.io/d) ok"), "[Docs](https://x.io/d) ok");
        assert_eq!(prose("the [Create Session](/api-reference/create) endpoint"), "the Create Session endpoint");
        assert_eq!(prose("`[x] <y>` and ``a ` b``"), "`[x] <y>` and ``a ` b``");
        assert_eq!(prose("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(prose("```\n[x] <y>\n```\n[z]"), "```\n[x] <y>\n```\n\\[z\\]");
        assert_eq!(prose("unbalanced ` tick [a]"), "unbalanced ` tick \\[a\\]");
    }
}
