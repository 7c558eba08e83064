//! Canonical tone-mark placement.
//!
//! Vietnamese writes the same syllable with the tone mark on different vowels (`hoà`/`hòa`,
//! `thuỷ`/`thủy`), and careless typing puts it on the wrong one (`baỏ`, `lựơng`). We place it by
//! one rule, the traditional style used by the UD Vietnamese treebank and most press:
//! a vowel with a modifier (ă â ê ô ơ ư; the last one, so `ươ` takes it on `ơ`) wins; otherwise
//! the last vowel of the nucleus when a final consonant follows (`toán`); otherwise the first of
//! two vowels (`hòa`, `thủy`, `mía`) or the middle of three (`ngoài`, `khuỷu`).

use std::borrow::Cow;
use unicode_normalization::char::{compose, decompose_canonical};
use unicode_normalization::UnicodeNormalization;

const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];

fn is_tone_mark(c: char) -> bool {
    TONE_MARKS.contains(&c)
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

fn has_modifier(c: char) -> bool {
    matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
}

/// Cheap pre-check: a tone can only be misplaced in a syllable with two or more vowels, and
/// every precomposed non-ASCII letter but đ is a vowel.
fn may_move_tone(syllable: &str) -> bool {
    let mut vowels = 0;
    for c in syllable.chars() {
        let vowel = if c.is_ascii() {
            matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
        } else {
            !matches!(c, 'đ' | 'Đ')
        };
        vowels += usize::from(vowel);
        if vowels >= 2 {
            return true;
        }
    }
    false
}

/// Splits a syllable into its letters without the tone mark (NFC) and the tone mark.
/// `None` when it is not a single-tone run of letters.
fn split_tone(syllable: &str) -> Option<(Vec<char>, char)> {
    let mut tone = None;
    let mut decomposed = Vec::with_capacity(syllable.len());
    for c in syllable.chars() {
        decompose_canonical(c, |d| decomposed.push(d));
    }
    let mut letters: Vec<char> = Vec::with_capacity(decomposed.len());
    for d in decomposed {
        if is_tone_mark(d) {
            if tone.replace(d).is_some() {
                return None;
            }
        } else if let Some(last) = letters.last_mut().filter(|_| is_combining(d)) {
            *last = compose(*last, d)?;
        } else if is_combining(d) {
            return None;
        } else {
            letters.push(d);
        }
    }
    Some((letters, tone?))
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Index in `letters` (lower case, no tone) where the tone mark belongs.
fn tone_position(lower: &[char]) -> Option<usize> {
    let n = lower.len();
    let starts_with =
        |a: char, b: char| n > 2 && lower[0] == a && lower[1] == b && is_vowel(lower[2]);
    // In `qu` and `gi` + vowel, the u / i belong to the onset.
    let first = if starts_with('q', 'u') || starts_with('g', 'i') {
        2
    } else {
        lower.iter().position(|&c| is_vowel(c))?
    };
    let end = first + lower[first..].iter().take_while(|&&c| is_vowel(c)).count();
    if lower[end..]
        .iter()
        .any(|&c| is_vowel(c) || !c.is_alphabetic())
    {
        return None;
    }
    let nucleus = &lower[first..end];
    if let Some(i) = nucleus.iter().rposition(|&c| has_modifier(c)) {
        return Some(first + i);
    }
    let offset = match (nucleus.len(), end < n) {
        (len, true) => len - 1,
        (1 | 2, false) => 0,
        (_, false) => 1,
    };
    Some(first + offset)
}

/// Puts the tone mark of one syllable (NFC) where the canonical style wants it.
///
/// Anything that is not a Vietnamese syllable with exactly one tone mark is returned unchanged.
///
/// ```
/// use nhip_text::canonical_syllable;
/// assert_eq!(canonical_syllable("hoà"), "hòa");
/// assert_eq!(canonical_syllable("lựơng"), "lượng");
/// assert_eq!(canonical_syllable("email"), "email");
/// ```
pub fn canonical_syllable(syllable: &str) -> Cow<'_, str> {
    if syllable.is_ascii() || !may_move_tone(syllable) {
        return Cow::Borrowed(syllable);
    }
    let Some((letters, tone)) = split_tone(syllable) else {
        return Cow::Borrowed(syllable);
    };
    let lower: Vec<char> = letters
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let Some(pos) = tone_position(&lower) else {
        return Cow::Borrowed(syllable);
    };
    let mut marked = String::with_capacity(syllable.len() + 2);
    for (i, &c) in letters.iter().enumerate() {
        marked.push(c);
        if i == pos {
            marked.push(tone);
        }
    }
    // NFC, not `compose`: `ô` + dot below has no primary composite, only `ọ` + circumflex does.
    let out: String = marked.nfc().collect();
    if out == syllable {
        Cow::Borrowed(syllable)
    } else {
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::canonical_syllable as c;

    #[test]
    fn variants_meet() {
        for (variant, canonical) in [
            ("hoà", "hòa"),
            ("hòa", "hòa"),
            ("thuỷ", "thủy"),
            ("hoá", "hóa"),
            ("Hoà", "Hòa"),
            ("HOÀ", "HÒA"),
            ("baỏ", "bảo"),
            ("lựơng", "lượng"),
            ("nghịêm", "nghiệm"),
            ("toán", "toán"),
            ("ngoài", "ngoài"),
            ("khuỷu", "khuỷu"),
            ("quý", "quý"),
            ("giữ", "giữ"),
            ("gìn", "gìn"),
            ("già", "già"),
            ("quốc", "quốc"),
            ("người", "người"),
            ("mưa", "mưa"),
            ("cửa", "cửa"),
            ("huỳnh", "huỳnh"),
            ("ủy", "ủy"),
            ("Nội", "Nội"),
            ("Nôị", "Nội"),
            ("Nghệ", "Nghệ"),
            ("lượng", "lượng"),
            ("uỷ", "ủy"),
        ] {
            assert_eq!(c(variant), canonical, "{variant}");
        }
    }

    #[test]
    fn leaves_non_syllables_alone() {
        for word in ["email", "café", "naïve", "x́x́", "Ω", "1à2", ""] {
            assert_eq!(c(word), word);
        }
    }
}
