//! Multi-syllable words, stored as hashes of their syllable sequences.

use super::hash::{sequence_hash, syllable_hash, PreHashed};
use crate::normalize::normalize;
use std::collections::HashSet;

/// Longest word, in syllables, that dictionary features look at.
pub(crate) const MAX_DICT_SYLLABLES: usize = 6;

#[derive(Debug, Clone, Default)]
pub(crate) struct Dictionary {
    words: HashSet<u64, PreHashed>,
}

impl Dictionary {
    /// Adds a word (syllables separated by spaces or `_`); returns its syllable count when kept.
    pub(crate) fn add(&mut self, word: &str) -> Option<usize> {
        let normalized = normalize(word);
        let hashes: Vec<u64> = normalized
            .split(|c: char| c.is_whitespace() || c == '_')
            .filter(|s| !s.is_empty())
            .map(syllable_hash)
            .collect();
        if (2..=MAX_DICT_SYLLABLES).contains(&hashes.len()) {
            self.words.insert(sequence_hash(&hashes));
            Some(hashes.len())
        } else {
            None
        }
    }

    #[inline]
    pub(crate) fn contains(&self, syllables: &[u64]) -> bool {
        self.words.contains(&sequence_hash(syllables))
    }
}
