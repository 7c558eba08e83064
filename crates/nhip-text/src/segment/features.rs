//! What the segmenter looks at for each gap between two tokens.

use super::dictionary::MAX_DICT_SYLLABLES;
use super::hash::mix;
use super::model::{Model, ScoreTables, TABLE_BITS};
use crate::token::TokenKind;

/// Per-token facts the features need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syllable {
    pub hash: u64,
    pub shape: u8,
    pub kind: TokenKind,
    pub space_before: bool,
}

const SHAPE_LOWER: u8 = 0;
const SHAPE_TITLE: u8 = 1;
const SHAPE_UPPER: u8 = 2;
const SHAPE_NUMBER: u8 = 3;
const SHAPE_PUNCT: u8 = 4;
const SHAPE_MIXED: u8 = 5;
const SHAPE_EDGE: u8 = 6;

pub(crate) fn shape(text: &str, kind: TokenKind) -> u8 {
    match kind {
        TokenKind::Number => SHAPE_NUMBER,
        TokenKind::Punct => SHAPE_PUNCT,
        TokenKind::Word => {
            let is_upper = |c: char| crate::chars::to_lower(c) != c;
            let mut chars = text
                .chars()
                .filter(|&c| crate::chars::is_alphanumeric(c) && !c.is_ascii_digit());
            let Some(first) = chars.next() else {
                return SHAPE_MIXED;
            };
            let (mut upper, mut lower) = (0, 0);
            for c in chars {
                if is_upper(c) {
                    upper += 1;
                } else {
                    lower += 1;
                }
            }
            match (is_upper(first), upper, lower) {
                (false, 0, _) => SHAPE_LOWER,
                (true, 0, _) => SHAPE_TITLE,
                (true, _, 0) => SHAPE_UPPER,
                _ => SHAPE_MIXED,
            }
        }
    }
}

/// A token's hash, shape and whether its tone mark is certainly in canonical position, from one
/// pass over its characters. The hash equals `normalized_syllable_hash`, the shape `shape`.
pub(crate) fn analyze(text: &str, kind: TokenKind) -> (u64, u8, bool) {
    if kind != TokenKind::Word || text.is_ascii() {
        return (
            super::hash::normalized_syllable_hash(text),
            shape(text, kind),
            true,
        );
    }
    let mut h = super::hash::CHAR_SEED;
    let (mut first_upper, mut upper, mut lower) = (None, 0, 0);
    // Letters without tone, lower case, and where the tone mark is: enough to tell whether the
    // mark is where `canonical_syllable` puts it, without a second pass.
    let mut bases = ['\0'; 8];
    let (mut count, mut vowels, mut tone_at, mut tones) = (0usize, 0, 0usize, 0);
    let letters = crate::tone::letter_splitter();
    for c in text.chars() {
        let low = crate::chars::to_lower(c);
        h = super::hash::hash_char(h, low);
        if crate::chars::is_alphanumeric(c) && !c.is_ascii_digit() {
            match first_upper {
                None => first_upper = Some(low != c),
                Some(_) if low != c => upper += 1,
                Some(_) => lower += 1,
            }
        }
        let (base, tone) = letters(low);
        if tone > 0 {
            tones += 1;
            tone_at = count;
        }
        vowels += usize::from(matches!(
            base,
            'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
        ));
        if let Some(slot) = bases.get_mut(count) {
            *slot = base;
        }
        count += 1;
    }
    let shape = match (first_upper, upper, lower) {
        (None, _, _) => SHAPE_MIXED,
        (Some(false), 0, _) => SHAPE_LOWER,
        (Some(true), 0, _) => SHAPE_TITLE,
        (Some(true), _, 0) => SHAPE_UPPER,
        _ => SHAPE_MIXED,
    };
    // Only a toned syllable with two vowels or more can have its mark elsewhere; anything
    // unusual gets the full check.
    let canonical = vowels < 2
        || tones == 0
        || if tones == 1 && count <= bases.len() {
            crate::tone::tone_position(&bases[..count]).is_none_or(|wanted| wanted == tone_at)
        } else {
            matches!(
                crate::tone::canonical_syllable(text),
                std::borrow::Cow::Borrowed(_)
            )
        };
    (super::hash::finish_chars(h), shape, canonical)
}

/// How a gap is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GapRule {
    /// Tokens glued without space (`COVID-19`, `TP.HCM`, inner pieces of one syllable).
    Join,
    /// Punctuation separated by whitespace.
    Split,
    /// Two syllables or numbers separated by whitespace: the model decides.
    Model,
}

pub(crate) fn gap_rule(s: &[Syllable], i: usize) -> GapRule {
    let (a, b) = (s[i], s[i + 1]);
    let punct = |x: &Syllable| x.kind == TokenKind::Punct;
    if b.space_before {
        return if punct(&a) || punct(&b) {
            GapRule::Split
        } else {
            GapRule::Model
        };
    }
    if !punct(&a) && !punct(&b) {
        return GapRule::Join;
    }
    // Glued with punctuation: one word when a non-punctuation token is glued on each side
    // (`TP.HCM`, `https://a.vn/x`, `a.b@c.vn`), so a trailing `.` or a leading `(` stays apart.
    let glued_word_left = {
        let mut j = i;
        loop {
            if !punct(&s[j]) {
                break true;
            }
            if j == 0 || s[j].space_before {
                break false;
            }
            j -= 1;
        }
    };
    let glued_word_right = {
        let mut k = i + 1;
        loop {
            if !punct(&s[k]) {
                break true;
            }
            if k + 1 >= s.len() || s[k + 1].space_before {
                break false;
            }
            k += 1;
        }
    };
    let glued_inner = glued_word_left && glued_word_right;
    if glued_inner {
        GapRule::Join
    } else {
        GapRule::Split
    }
}

/// Number of features of one gap (see [`gap_feature_slots`]).
pub(crate) const FEATURES_PER_GAP: usize = 14;

const BOS: u64 = 0xB0B0_0000_0000_0001;
const EOS: u64 = 0xE0E0_0000_0000_0002;

const SLOT_MASK: u64 = (1 << TABLE_BITS) - 1;
const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// The slot in the bits of a hash from `shift` up: different ranges of one well-mixed hash
/// serve as nearly independent hashes (the ranges from 36 and from 46 share bits 46–53), so
/// one mix of a syllable pair gives several features.
#[inline]
fn bits(hash: u64, shift: u32) -> u32 {
    ((hash >> shift) & SLOT_MASK) as u32
}

/// The slot of a feature with a small value (shapes, dictionary matches): one multiply.
#[inline]
pub(crate) fn small_slot(feature: u64, value: u64) -> u32 {
    ((feature << 40 ^ value).wrapping_mul(K) >> (64 - TABLE_BITS)) as u32
}

/// Whether a dictionary word of `len` tokens starts at `start`.
#[inline]
fn word_at(starts: &[u8], start: usize, len: usize) -> bool {
    starts.get(start).is_some_and(|&m| m & (1 << len) != 0)
}

/// The word-start masks at `i - 4 ..= i + 1` (0 outside the line), the window the features of
/// gap `i` look at: byte `k` of the number is the mask at `i - 4 + k`.
#[inline]
pub(crate) fn start_window(starts: &[u8], i: usize) -> u64 {
    let at = |back: usize| {
        i.checked_sub(back)
            .and_then(|p| starts.get(p))
            .copied()
            .unwrap_or(0)
    };
    u64::from_le_bytes([
        at(4),
        at(3),
        at(2),
        at(1),
        at(0),
        starts.get(i + 1).copied().unwrap_or(0),
        0,
        0,
    ])
}

/// [`start_window`] of gap `i + 1` from that of gap `i`.
#[inline]
pub(crate) fn next_start_window(window: u64, starts: &[u8], i: usize) -> u64 {
    window >> 8 | u64::from(starts.get(i + 2).copied().unwrap_or(0)) << 40
}

/// The mask at `i - 4 + k` in a [`start_window`].
#[inline]
fn window_mask(window: u64, k: u32) -> u8 {
    (window >> (8 * k)) as u8
}

/// Which dictionary words of 2 to 4 syllables cover the gap: bit 0 the pair at the gap, bits
/// 1–2 the triples starting one and zero before it, bits 3–5 the 4-syllable words starting two,
/// one and zero before it.
#[inline]
fn dictionary_mask(window: u64) -> u32 {
    let has = |k: u32, len: u32| (window >> (8 * k + len) & 1) as u32;
    has(4, 2) | has(3, 3) << 1 | has(4, 3) << 2 | has(2, 4) << 3 | has(3, 4) << 4 | has(4, 4) << 5
}

/// The highest length in a mask of word lengths (bit `k` for `k` syllables), 0 for none.
#[inline]
fn longest(lengths: u8) -> u64 {
    u64::from(8 - lengths.leading_zeros()).saturating_sub(1)
}

/// Longest dictionary words around the gap: ending at `i`, starting at `i + 1`, and crossing
/// the gap (lengths 5 and up). `ends` is [`super::dictionary::word_ends`] of `starts`.
fn dictionary_reach(starts: &[u8], ends: &[u8], window: u64, i: usize) -> u64 {
    let ending = longest(ends.get(i).copied().unwrap_or(0));
    let starting = longest(window_mask(window, 5));
    // Words of 5 or 6 syllables are rare: look for one only when a start nearby (at `i - 4 ..=
    // i`) has such a length.
    let crossing = if window & 0xE0_E0E0_E0E0 == 0 {
        0
    } else {
        (5..=MAX_DICT_SYLLABLES)
            .rev()
            .find(|&k| ((i + 2).saturating_sub(k)..=i).any(|start| word_at(starts, start, k)))
            .unwrap_or(0) as u64
    };
    ending | starting << 4 | crossing << 8
}

/// Bits of a shape in a [`ScoreTables::shapes`] index (shapes are 0..=6).
const SHAPE_BITS: u32 = 3;
/// Bits of [`dictionary_mask`].
const MASK_BITS: u32 = 6;

/// The slots of the features with few possible values: 1, 9, 10, 13 by the four shapes around
/// the gap (`a` = shape(i-1) … `d` = shape(i+2)) and the previous decision; 11, 12 by the
/// dictionary mask and the previous decision.
fn shape_slots(a: u64, b: u64, c: u64, d: u64, prev: u64) -> [u32; 4] {
    [
        small_slot(1, 0),
        small_slot(9, b | c << 4),
        small_slot(10, a | b << 4 | c << 8 | d << 12),
        small_slot(13, prev | b << 4 | c << 8),
    ]
}

fn mask_slots(mask: u64, prev: u64) -> [u32; 2] {
    [small_slot(11, mask), small_slot(12, mask | prev << 16)]
}

/// The model's sums over the features of [`shape_slots`] and [`mask_slots`] for every value
/// they can take.
pub(crate) fn score_tables(model: &Model) -> ScoreTables {
    let shape_count = 1usize << (4 * SHAPE_BITS);
    let mut shapes = vec![0; 2 * shape_count];
    for (index, sum) in shapes.iter_mut().enumerate() {
        let field = |k: u32| ((index >> (SHAPE_BITS * k)) & 7) as u64;
        let (d, c, b, a) = (field(0), field(1), field(2), field(3));
        let prev = (index / shape_count) as u64;
        *sum = shape_slots(a, b, c, d, prev)
            .iter()
            .map(|&slot| model.slot_weight(slot))
            .sum();
    }
    let mut mask = vec![0; 2 << MASK_BITS];
    for (index, sum) in mask.iter_mut().enumerate() {
        let (m, prev) = (
            (index & ((1 << MASK_BITS) - 1)) as u64,
            (index >> MASK_BITS) as u64,
        );
        *sum = mask_slots(m, prev)
            .iter()
            .map(|&slot| model.slot_weight(slot))
            .sum();
    }
    ScoreTables { shapes, mask }
}

/// Where a gap's weights are: the table slots of its hashed features and the indexes of its
/// precomputed sums. No gap's slots depend on another gap's decision, so the weight reads of
/// neighbouring gaps (most of the cost: the weights do not fit in the first cache levels)
/// overlap.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GapSlots {
    /// The features of syllables and dictionary matches (none depends on the previous gap).
    slots: [u32; HASHED_FEATURES],
    shapes: u16,
    mask: u16,
}

const HASHED_FEATURES: usize = 8;

/// The features of syllables and dictionary matches: with `wm1`, `w0`, `w1`, `w2` the syllables
/// before, at, after and two after the gap: `w1` alone, the pairs `wm1 w0`, `w0 w1`, `w1 w2`,
/// `w0` with the shape of `w1` and `w1` with the shape of `w0`, the pair `w0 w1` with the
/// dictionary mask, and the dictionary reach. Measured on UD-VTB dev (trained on train), each
/// left out in turn from a larger set: `w0` alone, the triples `wm1 w0 w1` and `w0 w1 w2`, and
/// the reach with the mask and the previous decision add nothing (F1 97.24, 93.45 without
/// diacritics, with all of them; 97.25, 93.75 without them).
pub(crate) fn gap_slots(s: &[Syllable], starts: &[u8], ends: &[u8], i: usize) -> GapSlots {
    gap_slots_in(s, start_window(starts, i), starts, ends, i)
}

/// [`gap_slots`] with the gap's [`start_window`] known (decoding rolls it along the line).
#[inline(always)]
pub(crate) fn gap_slots_in(
    s: &[Syllable],
    window: u64,
    starts: &[u8],
    ends: &[u8],
    i: usize,
) -> GapSlots {
    let edge = Syllable {
        hash: BOS,
        shape: SHAPE_EDGE,
        kind: TokenKind::Punct,
        space_before: false,
    };
    let before = if i == 0 { edge } else { s[i - 1] };
    let (x0, x1) = (s[i], s[i + 1]);
    let after = s
        .get(i + 2)
        .copied()
        .unwrap_or(Syllable { hash: EOS, ..edge });
    let (wm1, w0, w1, w2) = (before.hash, x0.hash, x1.hash, after.hash);
    let shapes = (u16::from(before.shape) << 9)
        | (u16::from(x0.shape) << 6)
        | (u16::from(x1.shape) << 3)
        | u16::from(after.shape);
    let mask = dictionary_mask(window);
    let (left_pair, pair) = (mix(wm1, w0), mix(w0, w1));
    let with = |slot: u32, value: u64| slot ^ small_slot(0, value);
    GapSlots {
        slots: [
            bits(w1, 18),
            bits(left_pair, 0),
            bits(pair, 18),
            bits(mix(w1, w2), 36),
            with(bits(w0, 36), u64::from(x1.shape)),
            with(bits(w1, 46), 8 | u64::from(x0.shape)),
            with(bits(pair, 46), 16 | u64::from(mask) << 8),
            small_slot(17, dictionary_reach(starts, ends, window, i)),
        ],
        shapes,
        mask: mask as u16,
    }
}

/// Every feature slot of the gap between tokens `i` and `i + 1` (training; decoding reads the
/// same weights through [`gap_slots`] and [`gap_scores`]).
pub(crate) fn gap_feature_slots(
    s: &[Syllable],
    starts: &[u8],
    ends: &[u8],
    i: usize,
    prev_join: bool,
    out: &mut [u32; FEATURES_PER_GAP],
) {
    let g = gap_slots(s, starts, ends, i);
    let prev = u64::from(prev_join);
    let field = |k: u32| u64::from(g.shapes >> (SHAPE_BITS * k) & 7);
    out[..HASHED_FEATURES].copy_from_slice(&g.slots);
    out[HASHED_FEATURES..HASHED_FEATURES + 4].copy_from_slice(&shape_slots(
        field(3),
        field(2),
        field(1),
        field(0),
        prev,
    ));
    out[HASHED_FEATURES + 4..].copy_from_slice(&mask_slots(u64::from(g.mask), prev));
}

/// The model's score of a gap when the previous gap was split (`[0]`) and joined (`[1]`):
/// `model.score` of [`gap_feature_slots`] with `prev_join` false and true, exactly (sums of
/// integers in another order).
#[inline]
pub(crate) fn gap_scores(model: &Model, g: &GapSlots) -> [i32; 2] {
    let words: i32 = g.slots.iter().map(|&slot| model.slot_weight(slot)).sum();
    let t = &model.tables;
    let (shapes, mask) = (usize::from(g.shapes), usize::from(g.mask));
    let sum = |prev: usize| {
        let shape_sum = t.shapes.get(prev << 12 | shapes).copied().unwrap_or(0);
        let mask_sum = t.mask.get(prev << MASK_BITS | mask).copied().unwrap_or(0);
        words + shape_sum + mask_sum
    };
    [sum(0), sum(1)]
}
