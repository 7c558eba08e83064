//! Is this a Vietnamese syllable? Used to judge whether a decoding produced Vietnamese.

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
                rest.strip_suffix(coda)
                    .is_some_and(|nucleus| NUCLEI.contains(&nucleus))
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

/// Words of a text as the judge sees them: whitespace-separated, ASCII punctuation trimmed.
pub(crate) fn judge_words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| c.is_ascii_punctuation()))
        .filter(|w| !w.is_empty())
}

pub(crate) fn vietnameseness(text: &str) -> Vietnameseness {
    let mut v = Vietnameseness::default();
    for word in judge_words(text) {
        if has_foreign_characters(word) {
            v.foreign += 1;
        } else if !word.is_ascii() && is_vietnamese_syllable(word) {
            v.marked += 1;
        }
    }
    v
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
        ] {
            assert!(is_vietnamese_syllable(ok), "{ok}");
        }
        for bad in ["", "1", "thể́", "street", "Ã¡", "bỏq", "xyz"] {
            assert!(!is_vietnamese_syllable(bad), "{bad}");
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
