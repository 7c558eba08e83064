//! Multi-syllable words, stored as hashes of their syllable sequences.

use super::features::Syllable;
use super::hash::{mix, sequence_hash, syllable_hash, PreHashed, SEQUENCE_SEED};
use crate::normalize::normalize;
use crate::token::TokenKind;
use std::collections::HashMap;

const WORD: u8 = 1;
const PREFIX: u8 = 2;

/// Longest word, in syllables, that dictionary features look at.
pub(crate) const MAX_DICT_SYLLABLES: usize = 6;

#[derive(Debug, Clone, Default)]
pub(crate) struct Dictionary {
    /// Sequence hash → WORD and/or PREFIX (a proper prefix of a word: lets a scan stop early).
    entries: HashMap<u64, u8, PreHashed>,
}

impl Dictionary {
    /// Adds a word (syllables separated by spaces or `_`); returns its syllable count when kept.
    pub(crate) fn add(&mut self, word: &str) -> Option<usize> {
        // The accent-free form too, for text typed without diacritics.
        let folded = crate::fold(word);
        if folded != word.to_lowercase() {
            self.add_form(&folded);
        }
        self.add_form(word)
    }

    fn add_form(&mut self, word: &str) -> Option<usize> {
        let normalized = normalize(word);
        let hashes: Vec<u64> = normalized
            .split(|c: char| c.is_whitespace() || c == '_')
            .filter(|s| !s.is_empty())
            .map(syllable_hash)
            .collect();
        if !(2..=MAX_DICT_SYLLABLES).contains(&hashes.len()) {
            return None;
        }
        for len in 2..hashes.len() {
            *self
                .entries
                .entry(sequence_hash(&hashes[..len]))
                .or_default() |= PREFIX;
        }
        *self.entries.entry(sequence_hash(&hashes)).or_default() |= WORD;
        Some(hashes.len())
    }

    #[inline]
    pub(crate) fn contains(&self, syllables: &[u64]) -> bool {
        self.entries
            .get(&sequence_hash(syllables))
            .is_some_and(|f| f & WORD != 0)
    }

    /// For every position, a bit mask of the lengths `k` (bit `k`) such that the `k` tokens
    /// starting there form a dictionary word.
    pub(crate) fn word_starts(&self, s: &[Syllable], out: &mut Vec<u8>) {
        out.clear();
        out.resize(s.len(), 0);
        for start in 0..s.len() {
            if s[start].kind == TokenKind::Punct {
                continue;
            }
            let mut h = mix(SEQUENCE_SEED, s[start].hash);
            for len in 2..=MAX_DICT_SYLLABLES {
                let Some(next) = s
                    .get(start + len - 1)
                    .filter(|x| x.kind != TokenKind::Punct)
                else {
                    break;
                };
                h = mix(h, next.hash);
                let flags = self.entries.get(&h).copied().unwrap_or(0);
                if flags & WORD != 0 {
                    out[start] |= 1 << len;
                }
                if flags & PREFIX == 0 {
                    break;
                }
            }
        }
    }
}
