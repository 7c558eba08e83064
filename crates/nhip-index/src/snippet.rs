//! Snippets: the passage of a text with the most query matches, matched words marked by byte
//! offsets into the snippet.

use crate::query::text_terms;
use nhip_text::{exact_term, folded_term, tokenize, TokenKind};
use serde::Serialize;
use std::collections::HashSet;

/// Bytes of text a snippet shows, about two lines.
const SNIPPET_BYTES: usize = 220;
/// How far before the first match a snippet starts.
const LEAD_BYTES: usize = 60;
const ELLIPSIS: &str = "…";

/// A passage with highlighted ranges (`text[start..end]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

/// The terms that mark a token as matched.
#[derive(Debug, Default)]
pub(crate) struct Highlighter {
    exact: HashSet<String>,
    folded: HashSet<String>,
}

impl Highlighter {
    pub(crate) fn new(texts: &[String]) -> Highlighter {
        let mut h = Highlighter::default();
        for text in texts {
            let terms = text_terms(text);
            let set = if terms.fold {
                &mut h.folded
            } else {
                &mut h.exact
            };
            set.extend(terms.terms);
        }
        h
    }

    fn matched_spans(&self, text: &str) -> Vec<(usize, usize)> {
        tokenize(text)
            .filter(|t| t.kind != TokenKind::Punct)
            .filter(|t| {
                (!self.folded.is_empty() && self.folded.contains(&folded_term(t.text)))
                    || (!self.exact.is_empty() && self.exact.contains(&exact_term(t.text)))
            })
            .map(|t| (t.start, t.end))
            .collect()
    }

    /// The best passage of `text`.
    pub(crate) fn snippet(&self, text: &str) -> Snippet {
        let spans = self.matched_spans(text);
        let anchor = (0..spans.len())
            .max_by_key(|&i| {
                let limit = spans[i].0 + SNIPPET_BYTES - LEAD_BYTES;
                (
                    spans[i..].iter().take_while(|s| s.1 <= limit).count(),
                    std::cmp::Reverse(i),
                )
            })
            .map(|i| spans[i].0);
        let start = match anchor {
            Some(a) if a > LEAD_BYTES => word_start(text, a - LEAD_BYTES),
            _ => 0,
        };
        let end = word_end(text, (start + SNIPPET_BYTES).min(text.len()));
        let mut snippet = Snippet::default();
        if start > 0 {
            snippet.text.push_str(ELLIPSIS);
        }
        let shift = snippet.text.len();
        snippet.text.push_str(text[start..end].trim_end());
        let shown_end = start + snippet.text.len() - shift;
        snippet.highlights = spans
            .iter()
            .filter(|s| s.0 >= start && s.1 <= shown_end)
            .map(|s| (s.0 - start + shift, s.1 - start + shift))
            .collect();
        if end < text.len() {
            snippet.text.push_str(ELLIPSIS);
        }
        snippet
    }
}

/// The start of the word containing byte `at` (a char boundary at or before `at`).
fn word_start(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text[..at].rfind(char::is_whitespace).map_or(0, |i| i + 1)
}

/// The end of the word containing byte `at`.
fn word_end(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i)
}

impl Snippet {
    /// The snippet with highlights as ANSI bold red, for terminals.
    pub fn to_ansi(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + self.highlights.len() * 10);
        let mut last = 0;
        for &(s, e) in &self.highlights {
            out.push_str(&self.text[last..s]);
            out.push_str("\x1b[1;31m");
            out.push_str(&self.text[s..e]);
            out.push_str("\x1b[0m");
            last = e;
        }
        out.push_str(&self.text[last..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_accent_free_and_exact() {
        let h = Highlighter::new(&["tham nhung".into(), "Đà Nẵng".into()]);
        let s = h.snippet("Vụ tham nhũng ở Đà Nẵng, không phải da nang.");
        let marked: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(marked, ["tham", "nhũng", "Đà", "Nẵng"]);
    }

    #[test]
    fn long_text_window() {
        let filler = "lorem ipsum ".repeat(60);
        let text = format!("{filler}giá điện tăng {filler}");
        let s = Highlighter::new(&["giá điện".into()]).snippet(&text);
        assert!(s.text.starts_with(ELLIPSIS) && s.text.ends_with(ELLIPSIS));
        let marked: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(marked, ["giá", "điện"]);
        assert!(s.text.len() < 300);
    }
}
