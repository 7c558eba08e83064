//! The generated corpus of the completeness test (accent variants, NFD text, tone-placement
//! variants, upper case, text typed without diacritics), shared with the test that checks
//! `nhip match` against the index (tests/match_equals_index.rs).
#![allow(dead_code)]

use unicode_normalization::UnicodeNormalization;

/// Syllables in their usual (traditional tone placement) spelling; several are one letter or
/// one mark apart, several have two common tone placements.
pub const SYLLABLES: &[&str] = &[
    "hòa", "thủy", "khỏe", "hóa", "tham", "nhũng", "nhung", "bàn", "bán", "ban", "bạn", "đà",
    "nẵng", "da", "nang", "nàng", "người", "dân", "xã", "hội", "giá", "điện", "tăng", "mưa", "lớn",
    "quý", "ủy", "lũy", "tùy", "họa", "thuế", "đất", "dat", "nước", "nuoc", "ngập",
];

pub const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Moves the tone mark to the other placement where Vietnamese allows two (`hòa` ↔ `hoà`,
/// `thủy` ↔ `thuỷ`): the mark goes onto the last vowel of an `oa`, `oe`, `uy` nucleus.
pub fn modern_placement(syllable: &str) -> String {
    let decomposed: Vec<char> = syllable.nfd().collect();
    let Some(mark_at) = decomposed.iter().position(|c| TONE_MARKS.contains(c)) else {
        return syllable.to_string();
    };
    let mark = decomposed[mark_at];
    let mut letters: Vec<char> = decomposed.clone();
    letters.remove(mark_at);
    let base: String = letters.iter().collect();
    for nucleus in ["oa", "oe", "uy"] {
        if let Some(at) = base.find(nucleus) {
            if at + 2 == base.len() && !base.starts_with("qu") {
                let mut out: Vec<char> = base.chars().collect();
                out.insert(at + 2, mark);
                return out.into_iter().collect::<String>().nfc().collect();
            }
        }
    }
    syllable.to_string()
}

/// A syllable with every mark removed and `đ` as `d`, lower case.
pub fn folded(syllable: &str) -> String {
    syllable
        .to_lowercase()
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// A tiny deterministic generator (xorshift), so failures reproduce.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One syllable in one of the spellings documents really use.
pub fn spell(rng: &mut Rng, syllable: &str) -> String {
    match rng.below(6) {
        0 => modern_placement(syllable),
        1 => syllable.nfd().collect(),
        2 => {
            let mut chars = syllable.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        3 => syllable.to_uppercase(),
        _ => syllable.to_string(),
    }
}

pub fn sentence(rng: &mut Rng, words: usize) -> String {
    (0..words)
        .map(|i| {
            let pick = SYLLABLES[rng.below(SYLLABLES.len())];
            let s = spell(rng, pick);
            if i > 0 && rng.below(8) == 0 {
                format!(", {s}")
            } else if i > 0 {
                format!(" {s}")
            } else {
                s
            }
        })
        .collect()
}

pub struct Doc {
    pub id: String,
    pub title: String,
    pub body: String,
}

pub fn corpus(n: usize) -> Vec<Doc> {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    (0..n)
        .map(|i| {
            let title_words = 3 + rng.below(4);
            let title = sentence(&mut rng, title_words);
            let mut body = String::new();
            for s in 0..2 + rng.below(3) {
                if s > 0 {
                    body.push_str(if rng.below(3) == 0 { "\n" } else { ". " });
                }
                let words = 4 + rng.below(7);
                body.push_str(&sentence(&mut rng, words));
            }
            body.push('.');
            // Some reports are typed without any diacritics at all.
            let (title, body) = if rng.below(6) == 0 {
                (
                    title.split(' ').map(folded).collect::<Vec<_>>().join(" "),
                    body.split(' ').map(folded).collect::<Vec<_>>().join(" "),
                )
            } else {
                (title, body)
            };
            Doc {
                id: format!("d{i:04}"),
                title,
                body,
            }
        })
        .collect()
}
