//! Word segmentation: grouping syllables into words.
//!
//! This first segmenter is dictionary-based: forward longest match over the shipped word lists
//! (`data/lexicon`, see its NOTICE) plus any user words, and runs of capitalised syllables
//! joined as one proper name. It only ever groups whole tokens, so byte offsets stay exact.

use crate::normalize::exact_term;
use crate::token::{tokenize, Token, TokenKind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const RDR_VOCAB: &str = include_str!("../../../data/lexicon/rdrsegmenter_VnVocab.txt");
const PYVI_WORDS: &str = include_str!("../../../data/lexicon/pyvi_words.txt");
/// Longest dictionary entry considered, in syllables.
const MAX_WORD_SYLLABLES: usize = 6;

/// Errors of loading a user word list.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    #[error("cannot read word list {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One word: consecutive tokens of the input. `text` is `input[start..end]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    /// The tokens (syllables) that make up the word.
    pub syllables: Vec<&'a str>,
    pub kind: TokenKind,
}

/// A dictionary segmenter. Cheap to share: build once, use from many threads.
#[derive(Debug, Clone)]
pub struct Segmenter {
    /// Multi-syllable words, as lower-case canonical syllables joined by one space.
    words: HashSet<String>,
}

fn dictionary_key<'t>(syllables: impl Iterator<Item = &'t str>) -> String {
    let mut key = String::new();
    for s in syllables {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&exact_term(s));
    }
    key
}

fn is_capitalised(token: &Token) -> bool {
    let mut chars = token.text.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    // All-caps acronyms (UBND, HCM) are words of their own.
    first_upper && chars.any(char::is_lowercase)
}

impl Segmenter {
    /// The segmenter with the shipped dictionary.
    pub fn builtin() -> &'static Segmenter {
        static BUILTIN: OnceLock<Segmenter> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut segmenter = Segmenter {
                words: HashSet::with_capacity(70_000),
            };
            segmenter.add_words(RDR_VOCAB.lines().chain(PYVI_WORDS.lines()));
            segmenter
        })
    }

    /// Adds words (one per item, syllables separated by spaces or `_`); single syllables are
    /// ignored since they are words anyway.
    pub fn add_words<'w>(&mut self, words: impl IntoIterator<Item = &'w str>) {
        for word in words {
            let syllables: Vec<&str> = word
                .split(|c: char| c.is_whitespace() || c == '_')
                .filter(|s| !s.is_empty())
                .collect();
            if (2..=MAX_WORD_SYLLABLES).contains(&syllables.len()) {
                self.words.insert(dictionary_key(syllables.into_iter()));
            }
        }
    }

    /// Adds the words of a user word list file (one word per line, `#` starts a comment).
    pub fn add_word_file(&mut self, path: &Path) -> Result<(), SegmentError> {
        let text = std::fs::read_to_string(path).map_err(|source| SegmentError::Read {
            path: path.to_owned(),
            source,
        })?;
        self.add_words(
            text.lines()
                .map(|l| l.split('#').next().unwrap_or("").trim()),
        );
        Ok(())
    }

    /// Whether the dictionary holds this multi-syllable word.
    pub fn contains(&self, word: &str) -> bool {
        let syllables = word.split(|c: char| c.is_whitespace() || c == '_');
        self.words
            .contains(&dictionary_key(syllables.filter(|s| !s.is_empty())))
    }

    /// Segments a text into words.
    ///
    /// ```
    /// let seg = nhip_text::Segmenter::builtin();
    /// let words: Vec<String> = seg.segment("Cộng tác viên báo cáo tình hình")
    ///     .iter().map(|w| w.syllables.join("_")).collect();
    /// assert_eq!(words, ["Cộng_tác_viên", "báo_cáo", "tình_hình"]);
    /// ```
    pub fn segment<'a>(&self, text: &'a str) -> Vec<Word<'a>> {
        let tokens: Vec<Token<'a>> = tokenize(text).collect();
        let mut words = Vec::with_capacity(tokens.len());
        let mut i = 0;
        while i < tokens.len() {
            let len = self.match_len(&tokens[i..]);
            let span = &tokens[i..i + len];
            let (first, last) = (span[0], span[len - 1]);
            words.push(Word {
                text: &text[first.start..last.end],
                start: first.start,
                end: last.end,
                syllables: span.iter().map(|t| t.text).collect(),
                kind: first.kind,
            });
            i += len;
        }
        words
    }

    /// How many tokens from the start of `tokens` form the next word (at least one).
    fn match_len(&self, tokens: &[Token]) -> usize {
        let run = tokens
            .iter()
            .take(MAX_WORD_SYLLABLES)
            .take_while(|t| t.kind == TokenKind::Word)
            .count();
        for len in (2..=run).rev() {
            if self
                .words
                .contains(&dictionary_key(tokens[..len].iter().map(|t| t.text)))
            {
                return len;
            }
        }
        let names = tokens[..run]
            .iter()
            .take_while(|t| is_capitalised(t))
            .count();
        if names >= 2 {
            return names;
        }
        1
    }

    /// Segments one line into the `_`-joined, space-separated form of `nhip tokenize`.
    pub fn segment_line(&self, line: &str) -> String {
        let words = self.segment(line);
        let mut out = String::with_capacity(line.len() + 8);
        for word in &words {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&word.syllables.join("_"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_words_are_used() {
        let mut seg = Segmenter::builtin().clone();
        assert_eq!(
            seg.segment_line("ban tuyên giáo tỉnh ủy"),
            "ban tuyên_giáo tỉnh_ủy"
        );
        seg.add_words(["Ban Tuyên giáo Tỉnh ủy"]);
        assert_eq!(
            seg.segment_line("ban tuyên giáo tỉnh uỷ"),
            "ban_tuyên_giáo_tỉnh_uỷ"
        );
    }

    #[test]
    fn offsets_cover_the_word() {
        let text = "Người dân Đà Nẵng, giá 1.250.000 đồng";
        for w in Segmenter::builtin().segment(text) {
            assert_eq!(&text[w.start..w.end], w.text);
        }
    }

    #[test]
    fn empty_and_odd_input() {
        let seg = Segmenter::builtin();
        assert!(seg.segment("").is_empty());
        assert_eq!(seg.segment_line("   "), "");
        assert_eq!(
            seg.segment_line("a\u{300}\u{300}\u{301} !!"),
            "a\u{300}\u{300}\u{301} ! !"
        );
    }
}
