//! Is this a Vietnamese syllable? Used to judge whether a decoding produced Vietnamese.

use crate::normalize::normalize;
use std::collections::HashSet;
use std::sync::OnceLock;
use unicode_normalization::char::decompose_canonical;

const ONSETS: &[&str] = &[
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];
const CODAS: &[&str] = &["ch", "ng", "nh", "c", "m", "n", "p", "t", ""];
const NUCLEI: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê", "iêu", "oai", "oao", "oay", "oeo", "uây",
    "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
];
/// Nuclei that end in a glide (`ai`, `ao`, `ươi`…) or are open diphthongs (`ia`, `ua`, `ưa`):
/// Vietnamese never closes them with a final consonant (`nhuịng` is no syllable).
const OPEN_NUCLEI: &[&str] = &[
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa",
    "ưi", "ưu", "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyu", "ươi", "ươu", "yêu",
];
/// Nuclei that need a final consonant (`ăn`, `tiên`, `xoong`; never `tiê` or `bỏo`).
const CLOSED_NUCLEI: &[&str] = &["ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê", "oo"];
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// The syllable in lower case without its tone mark, and whether it had one; `None` when it has
/// several tone marks or marks that Vietnamese does not use.
fn untoned(word: &str) -> Option<(String, bool)> {
    let mut toned = false;
    let mut decomposed = Vec::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        decompose_canonical(c, |d| decomposed.push(d));
    }
    let mut plain = String::with_capacity(word.len());
    for d in decomposed {
        if TONES.contains(&d) {
            if toned {
                return None;
            }
            toned = true;
        } else {
            plain.push(d);
        }
    }
    let plain: String = unicode_normalization::UnicodeNormalization::nfc(plain.chars()).collect();
    if plain.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)) {
        return None;
    }
    Some((plain, toned))
}

/// Whether `word` is a well-formed Vietnamese syllable (any case, any tone).
///
/// ```
/// use nhip_text::is_vietnamese_syllable as v;
/// assert!(v("Việt") && v("nghiêng") && v("gì") && v("quốc") && v("ạ"));
/// assert!(!v("café") && !v("hello") && !v("chñ") && !v("hßa"));
/// // A glide-final nucleus takes no final consonant.
/// assert!(v("người") && !v("nhuịng"));
/// ```
pub fn is_vietnamese_syllable(word: &str) -> bool {
    let Some((plain, _)) = untoned(word) else {
        return false;
    };
    if plain.is_empty() || !plain.chars().all(|c| c.is_alphabetic()) {
        return false;
    }
    ONSETS.iter().any(|onset| {
        plain.strip_prefix(onset).is_some_and(|rest| {
            CODAS.iter().any(|coda| {
                rest.strip_suffix(coda).is_some_and(|nucleus| {
                    NUCLEI.contains(&nucleus)
                        && if coda.is_empty() {
                            !CLOSED_NUCLEI.contains(&nucleus)
                        } else {
                            !OPEN_NUCLEI.contains(&nucleus)
                        }
                })
            })
        })
    })
}

/// Whether a word holds characters that Vietnamese text never has: letters with marks other
/// than Vietnamese ones (ñ, ö, ß, ø…) or symbols such as `§ · ¸ ¹`.
pub(crate) fn has_foreign_characters(word: &str) -> bool {
    word.chars().any(|c| {
        if c.is_ascii() || matches!(c, 'đ' | 'Đ') {
            return false;
        }
        if !c.is_alphabetic() {
            return true;
        }
        let mut base = None;
        let mut foreign = false;
        decompose_canonical(c, |d| {
            if base.is_none() {
                base = Some(d);
            } else if !matches!(
                d,
                '\u{300}'
                    | '\u{301}'
                    | '\u{303}'
                    | '\u{309}'
                    | '\u{323}'
                    | '\u{302}'
                    | '\u{306}'
                    | '\u{31B}'
            ) {
                foreign = true;
            }
        });
        foreign
            || !base.is_some_and(|b| {
                matches!(b.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
            })
    })
}

/// How Vietnamese a text looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Vietnameseness {
    /// Words that are valid syllables and carry a diacritic.
    pub marked: usize,
    /// Words with characters Vietnamese never uses.
    pub foreign: usize,
}

impl Vietnameseness {
    pub(crate) fn score(&self) -> i64 {
        self.marked as i64 - 2 * self.foreign as i64
    }
}

/// Typographic punctuation of Windows-1252 (curly quotes, dashes, ellipsis, bullet): marks
/// around words in Unicode text and in legacy text alike, never letters.
pub(crate) fn is_typographic_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{2018}'
            ..='\u{201E}'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{2026}'
                | '\u{2022}'
                | '\u{2039}'
                | '\u{203A}'
    )
}

/// Words of a text as the judge sees them: whitespace-separated, ASCII and typographic
/// punctuation trimmed.
pub(crate) fn judge_words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| c.is_ascii_punctuation() || is_typographic_punctuation(c))
        })
        .filter(|w| !w.is_empty())
}

pub(crate) fn vietnameseness(text: &str) -> Vietnameseness {
    let mut v = Vietnameseness::default();
    for word in judge_words(text) {
        if has_foreign_characters(word) {
            v.foreign += 1;
        } else if !word.is_ascii() && is_written_syllable(word) {
            v.marked += 1;
        }
    }
    v
}

/// Whether a word is one of the syllables of the shipped word lists (about 7,500: nearly every
/// syllable in use), in any case and tone placement. Wrong legacy readings give valid-looking
/// syllables that no one writes (`Họn`, `nhõn`); this tells them from real ones.
pub(crate) fn is_known_syllable(word: &str) -> bool {
    static KNOWN: OnceLock<HashSet<String>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        [crate::segment::RDR_VOCAB, crate::segment::PYVI_WORDS]
            .iter()
            .flat_map(|list| list.split(['\n', ' ', '_']))
            .filter(|s| !s.is_empty())
            .map(|s| normalize(&s.trim().to_lowercase()).into_owned())
            .collect()
    });
    known.contains(normalize(&word.to_lowercase()).as_ref())
}

/// A Vietnamese syllable as people write one: lower case, capitalised or all capitals (`vỔ`
/// and `HỔn` are what wrong legacy readings of `và` and `Hàn` give).
pub(crate) fn is_written_syllable(word: &str) -> bool {
    let mut rest = word.chars().skip(1);
    let cased = if rest.clone().any(char::is_lowercase) {
        rest.all(|c| !c.is_uppercase())
    } else {
        true
    };
    cased && is_vietnamese_syllable(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables() {
        for ok in [
            "người",
            "khuỷu",
            "Gì",
            "giữ",
            "quyết",
            "thuở",
            "ĐƯỜNG",
            "oẳn",
            "xoong",
            "huynh",
            "giường",
            "quyền",
            "giữa",
            "khuya",
        ] {
            assert!(is_vietnamese_syllable(ok), "{ok}");
        }
        for bad in [
            "", "1", "thể́", "street", "Ã¡", "bỏq", "xyz", "nhuịng", "kiang", "muat", "hoain",
            "bỏo", "tiê", "â",
        ] {
            assert!(!is_vietnamese_syllable(bad), "{bad}");
        }
    }

    #[test]
    fn known_syllables() {
        for known in ["nhân", "Có", "MỘT", "hoà", "hòa", "giúp"] {
            assert!(is_known_syllable(known), "{known}");
        }
        for unknown in ["nhõn", "cã", "giỳp", "Họn", "street"] {
            assert!(!is_known_syllable(unknown), "{unknown}");
        }
    }

    #[test]
    fn foreign_characters() {
        assert!(
            has_foreign_characters("hßa")
                && has_foreign_characters("x·")
                && has_foreign_characters("ñ")
        );
        assert!(!has_foreign_characters("Đường") && !has_foreign_characters("hello"));
    }
}
