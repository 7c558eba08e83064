//! Fast, platform-independent hashing of syllables and feature combinations. Model weights are
//! addressed by these hashes, so they must never change for a given model version.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let x = (a ^ b.rotate_left(29)).wrapping_mul(K);
    x ^ (x >> 31)
}

/// Hash of a syllable's lower-case, canonical-tone form (`Hoà` and `hòa` hash alike),
/// computed without allocating for the common cases.
#[inline]
pub(crate) fn syllable_hash(text: &str) -> u64 {
    let mut h: u64 = 0x51_7C_C1_B7_27_22_0A_95;
    if text.is_ascii() {
        for &b in text.as_bytes() {
            h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01B3);
        }
    } else {
        let canonical = crate::tone::canonical_syllable(text);
        h = hash_chars(h, &canonical);
    }
    mix(h, 0x2545_F491_4F6C_DD1D)
}

pub(crate) const CHAR_SEED: u64 = 0x51_7C_C1_B7_27_22_0A_95;

#[inline]
pub(crate) fn hash_char(h: u64, lower: char) -> u64 {
    (h ^ u64::from(u32::from(lower))).wrapping_mul(0x0100_0000_01B3)
}

#[inline]
pub(crate) fn finish_chars(h: u64) -> u64 {
    mix(h, 0x2545_F491_4F6C_DD1D)
}

#[inline]
fn hash_chars(mut h: u64, text: &str) -> u64 {
    for c in text.chars() {
        h = hash_char(h, crate::chars::to_lower(c));
    }
    h
}

/// [`syllable_hash`] of text already in canonical form (from [`crate::normalize`]).
#[inline]
pub(crate) fn normalized_syllable_hash(text: &str) -> u64 {
    if text.is_ascii() {
        return syllable_hash(text);
    }
    finish_chars(hash_chars(CHAR_SEED, text))
}

/// Hash of a sequence of syllable hashes (dictionary keys).
#[inline]
pub(crate) fn sequence_hash(syllables: &[u64]) -> u64 {
    syllables.iter().fold(SEQUENCE_SEED, |h, &s| mix(h, s))
}

pub(crate) const SEQUENCE_SEED: u64 = 0x1234_5678_9ABC_DEF1;

/// A `BuildHasher` for keys that are already hashes.
#[derive(Default, Clone, Copy, Debug)]
pub(crate) struct PreHashed;

#[derive(Default)]
pub(crate) struct PreHashedHasher(u64);

impl std::hash::Hasher for PreHashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl std::hash::BuildHasher for PreHashed {
    type Hasher = PreHashedHasher;
    fn build_hasher(&self) -> PreHashedHasher {
        PreHashedHasher::default()
    }
}
