//! Snippets: the passage of a text with the most query matches, matched words marked by byte
//! offsets into the snippet.

use crate::query::{text_terms, TextTerms};
use crate::VietnameseTokenizer;
use nhip_text::fold;
use serde::Serialize;

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

/// The phrases whose occurrences are marked: each a syllable sequence, matched accent-free or
/// exactly as the query matches it.
#[derive(Debug, Default)]
pub(crate) struct Highlighter {
    phrases: Vec<TextTerms>,
}

impl Highlighter {
    pub(crate) fn new(texts: &[String]) -> Highlighter {
        Highlighter {
            phrases: texts.iter().map(|t| text_terms(t)).collect(),
        }
    }

    /// Byte spans of every occurrence of a phrase (within a sentence, as phrases match), in
    /// order, overlaps merged.
    pub(crate) fn matched_spans(&self, text: &str) -> Vec<(usize, usize)> {
        if self.phrases.is_empty() {
            return Vec::new();
        }
        let exact = VietnameseTokenizer { fold: false }.terms(text);
        let folded: Vec<String> = exact.iter().map(|t| fold(&t.text).into_owned()).collect();
        let mut spans = Vec::new();
        for phrase in &self.phrases {
            let n = phrase.terms.len();
            if n == 0 || n > exact.len() {
                continue;
            }
            for start in 0..=exact.len() - n {
                let window = &exact[start..start + n];
                let consecutive = window
                    .windows(2)
                    .all(|w| w[1].position == w[0].position + 1);
                let same = (0..n).all(|i| {
                    let term = if phrase.fold {
                        &folded[start + i]
                    } else {
                        &exact[start + i].text
                    };
                    *term == phrase.terms[i]
                });
                if consecutive && same {
                    spans.push((window[0].offset_from, window[n - 1].offset_to));
                }
            }
        }
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (start, end) in spans {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
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
        assert_eq!(marked, ["tham nhũng", "Đà Nẵng"]);
        // A phrase is marked where it occurs as a phrase, not syllable by syllable.
        let s = Highlighter::new(&["tham nhung".into()])
            .snippet("Đoàn thăm ông nội. Nhung lụa, nhưng tham nhũng thì không.");
        let marked: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(marked, ["tham nhũng"]);
    }

    #[test]
    fn long_text_window() {
        let filler = "lorem ipsum ".repeat(60);
        let text = format!("{filler}giá điện tăng {filler}");
        let s = Highlighter::new(&["giá điện".into()]).snippet(&text);
        assert!(s.text.starts_with(ELLIPSIS) && s.text.ends_with(ELLIPSIS));
        let marked: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(marked, ["giá điện"]);
        assert!(s.text.len() < 300);
    }
}
