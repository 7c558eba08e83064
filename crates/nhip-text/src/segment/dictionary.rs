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
    /// The same, compact for lookups (4 bytes an entry, so it stays in cache); rebuilt by
    /// [`Dictionary::freeze`] after additions.
    table: FrozenTable,
}

/// Open addressing over 30-bit fingerprints with the two flags in the low bits; 0 is empty.
#[derive(Debug, Clone, Default)]
struct FrozenTable {
    slots: Vec<u32>,
    mask: usize,
    /// One bit per value of a fingerprint's low bits, set when an entry has it: a lookup whose
    /// bit is clear finds nothing, known from this small array (it stays in cache where the
    /// table does not) without probing. Exact: it only answers "absent".
    fingerprints_seen: Vec<u64>,
}

impl FrozenTable {
    fn fingerprint(hash: u64) -> u32 {
        ((hash >> 34) as u32).max(1)
    }

    fn build(entries: &HashMap<u64, u8, PreHashed>) -> FrozenTable {
        let capacity = (entries.len() * 2).next_power_of_two().max(16);
        // About 4 bits per entry: most absent words are told apart here.
        let seen_bits = (entries.len() * 4).next_power_of_two().max(64);
        let mut table = FrozenTable {
            slots: vec![0; capacity],
            mask: capacity - 1,
            fingerprints_seen: vec![0; seen_bits / 64],
        };
        for (&hash, &flags) in entries {
            let (word, bit) = table.seen_bit(Self::fingerprint(hash));
            table.fingerprints_seen[word] |= bit;
            let entry = Self::fingerprint(hash) << 2 | u32::from(flags);
            let mut i = hash as usize & table.mask;
            loop {
                match table.slots[i] {
                    0 => {
                        table.slots[i] = entry;
                        break;
                    }
                    // Two hashes on one probe chain with one fingerprint: keep both flags.
                    existing if existing >> 2 == entry >> 2 => {
                        table.slots[i] |= entry;
                        break;
                    }
                    _ => i = (i + 1) & table.mask,
                }
            }
        }
        table
    }

    /// Where a fingerprint's bit is in `fingerprints_seen`.
    #[inline]
    fn seen_bit(&self, fingerprint: u32) -> (usize, u64) {
        let bit = fingerprint as usize & (self.fingerprints_seen.len() * 64 - 1);
        (bit / 64, 1 << (bit % 64))
    }

    /// Starts loading the slot a lookup of `hash` reads first.
    #[inline]
    fn prefetch(&self, hash: u64) {
        if let Some(slot) = self.slots.get(hash as usize & self.mask) {
            super::prefetch(slot);
        }
    }

    /// [`FrozenTable::flags`], reading the filter and the first slot without branching on either:
    /// lookups of a line's positions then wait for memory together rather than in turn. Only
    /// a fingerprint seen whose first slot holds another entry probes on.
    #[inline]
    fn flags_overlapped(&self, hash: u64) -> u8 {
        if self.slots.is_empty() {
            return 0;
        }
        let fingerprint = Self::fingerprint(hash);
        let (word, bit) = self.seen_bit(fingerprint);
        let seen = self.fingerprints_seen[word] & bit != 0;
        let first = hash as usize & self.mask;
        let entry = self.slots[first];
        let found = entry >> 2 == fingerprint;
        let found_flags = if found { (entry & 3) as u8 } else { 0 };
        if seen & !found & (entry != 0) {
            self.probe(fingerprint, (first + 1) & self.mask)
        } else {
            found_flags & if seen { 3 } else { 0 }
        }
    }

    #[inline]
    fn flags(&self, hash: u64) -> u8 {
        if self.slots.is_empty() {
            return 0;
        }
        let fingerprint = Self::fingerprint(hash);
        let (word, bit) = self.seen_bit(fingerprint);
        if self.fingerprints_seen[word] & bit == 0 {
            return 0;
        }
        self.probe(fingerprint, hash as usize & self.mask)
    }

    /// The flags of `fingerprint`'s entry, looking from slot `i` along its probe chain.
    #[inline]
    fn probe(&self, fingerprint: u32, mut i: usize) -> u8 {
        loop {
            let entry = self.slots[i];
            if entry == 0 {
                return 0;
            }
            if entry >> 2 == fingerprint {
                return (entry & 3) as u8;
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// File of a dictionary's entries (`data/model/dictionary.bin`): `NHIPDIC1`, a little-endian
/// `u32` count, then `count` × (`u64` sequence hash, `u8` flags), hashes ascending.
const FILE_MAGIC: &[u8; 8] = b"NHIPDIC1";

impl Dictionary {
    /// The entries in their file form (sorted, so the same words give the same bytes).
    #[cfg(test)]
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut entries: Vec<(u64, u8)> = self.entries.iter().map(|(&h, &f)| (h, f)).collect();
        entries.sort_unstable();
        let mut out = Vec::with_capacity(12 + entries.len() * 9);
        out.extend_from_slice(FILE_MAGIC);
        out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        for (hash, flags) in entries {
            out.extend_from_slice(&hash.to_le_bytes());
            out.push(flags);
        }
        out
    }

    /// Reads [`Dictionary::to_bytes`]' form, frozen; `None` when it is not that form.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Dictionary> {
        let rest = bytes.strip_prefix(FILE_MAGIC)?;
        let count = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let records = rest.get(4..)?;
        if records.len() != count.checked_mul(9)? {
            return None;
        }
        let mut entries = HashMap::with_capacity_and_hasher(count, PreHashed);
        for record in records.chunks_exact(9) {
            let hash = u64::from_le_bytes(record[..8].try_into().ok()?);
            let flags = record[8];
            if flags & !(WORD | PREFIX) != 0 {
                return None;
            }
            entries.insert(hash, flags);
        }
        let mut dictionary = Dictionary {
            entries,
            table: FrozenTable::default(),
        };
        dictionary.freeze();
        Some(dictionary)
    }

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
    /// Rebuilds the lookup table: call after adding words.
    pub(crate) fn freeze(&mut self) {
        self.table = FrozenTable::build(&self.entries);
    }

    #[inline]
    pub(crate) fn contains(&self, syllables: &[u64]) -> bool {
        self.table.flags(sequence_hash(syllables)) & WORD != 0
    }

    /// For every position, a bit mask of the lengths `k` (bit `k`) such that the `k` tokens
    /// starting there form a dictionary word.
    pub(crate) fn word_starts(&self, s: &[Syllable], out: &mut Vec<u8>) {
        out.clear();
        out.resize(s.len(), 0);
        let is_punct = |x: &Syllable| x.kind == TokenKind::Punct;
        // Pairs first, a chunk at a time: every pair's slot is asked for before any is read
        // (the table is larger than the second cache level, and the reads then wait for memory
        // together), and no lookup depends on another's.
        const CHUNK: usize = 64;
        let mut pair_hashes = [0u64; CHUNK];
        let pairs = s.len().saturating_sub(1);
        for chunk_start in (0..pairs).step_by(CHUNK) {
            let chunk = &s[chunk_start..(chunk_start + CHUNK + 1).min(s.len())];
            for (h, pair) in pair_hashes.iter_mut().zip(chunk.windows(2)) {
                *h = mix(mix(SEQUENCE_SEED, pair[0].hash), pair[1].hash);
                self.table.prefetch(*h);
            }
            for ((flags, &h), pair) in out[chunk_start..]
                .iter_mut()
                .zip(&pair_hashes)
                .zip(chunk.windows(2))
            {
                if !is_punct(&pair[0]) && !is_punct(&pair[1]) {
                    *flags = self.table.flags_overlapped(h);
                }
            }
        }
        // Then flags to lengths, and longer words where the pair begins one.
        for start in 0..s.len() {
            let pair_flags = out[start];
            if pair_flags == 0 {
                continue;
            }
            let mut lengths = if pair_flags & WORD != 0 { 1 << 2 } else { 0 };
            if pair_flags & PREFIX != 0 {
                let mut h = mix(mix(SEQUENCE_SEED, s[start].hash), s[start + 1].hash);
                for len in 3..=MAX_DICT_SYLLABLES {
                    let Some(next) = s.get(start + len - 1).filter(|x| !is_punct(x)) else {
                        break;
                    };
                    h = mix(h, next.hash);
                    let flags = self.table.flags(h);
                    if flags & WORD != 0 {
                        lengths |= 1 << len;
                    }
                    if flags & PREFIX == 0 {
                        break;
                    }
                }
            }
            out[start] = lengths;
        }
    }
}

/// For every position, a bit mask of the lengths `k` (bit `k`) of the dictionary words that
/// end there, from [`Dictionary::word_starts`]' masks.
pub(crate) fn word_ends(starts: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.resize(starts.len(), 0);
    for (start, &lengths) in starts.iter().enumerate() {
        let mut rest = lengths;
        while rest != 0 {
            let len = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            if let Some(end) = out.get_mut(start + len - 1) {
                *end |= 1 << len;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(words: &str) -> Vec<u64> {
        words.split(' ').map(syllable_hash).collect()
    }

    #[test]
    fn lookups_find_words_and_prefixes_and_nothing_else() {
        let mut dictionary = Dictionary::default();
        for word in ["tình hình", "dư luận xã hội", "ủy ban nhân dân"] {
            dictionary.add(word);
        }
        dictionary.freeze();
        assert!(dictionary.contains(&hashes("tình hình")));
        assert!(dictionary.contains(&hashes("tinh hinh")));
        assert!(dictionary.contains(&hashes("dư luận xã hội")));
        assert!(!dictionary.contains(&hashes("dư luận xã")));
        let prefix = sequence_hash(&hashes("dư luận xã"));
        assert_eq!(dictionary.table.flags(prefix), PREFIX);
        // Every entry passes the fingerprint filter with its flags; absent ones read 0.
        for (&hash, &flags) in &dictionary.entries {
            assert_eq!(dictionary.table.flags(hash) & flags, flags);
        }
        for absent in ["hình tình", "xã hội dư luận", "nhân dân ủy ban"] {
            assert!(!dictionary.contains(&hashes(absent)));
        }
    }
}
