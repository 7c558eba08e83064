//! Canonical tone-mark placement.
//!
//! Vietnamese writes the same syllable with the tone mark on different vowels (`hoà`/`hòa`,
//! `thuỷ`/`thủy`), and careless typing puts it on the wrong one (`baỏ`, `lựơng`). We place it by
//! one rule, the traditional style used by the UD Vietnamese treebank and most press:
//! a vowel with a modifier (ă â ê ô ơ ư; the last one, so `ươ` takes it on `ơ`) wins; otherwise
//! the last vowel of the nucleus when a final consonant follows (`toán`); otherwise the first of
//! two vowels (`hòa`, `thủy`, `mía`) or the middle of three (`ngoài`, `khuỷu`).

use std::borrow::Cow;
use unicode_normalization::char::decompose_canonical;
use unicode_normalization::UnicodeNormalization;

const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];

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

/// Letters from U+00C0 to U+1EF9 split into (letter without tone, tone mark index + 1).
struct LetterTable {
    split: Vec<(char, u8)>,
    join: std::collections::HashMap<(char, u8), char>,
}

const TABLE_START: u32 = 0xC0;
const TABLE_END: u32 = 0x1EFA;

fn letter_table() -> &'static LetterTable {
    static TABLE: std::sync::OnceLock<LetterTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut split = Vec::with_capacity((TABLE_END - TABLE_START) as usize);
        let mut join = std::collections::HashMap::new();
        for code in TABLE_START..TABLE_END {
            let Some(c) = char::from_u32(code) else {
                split.push(('\0', 0));
                continue;
            };
            let mut tone = 0u8;
            let mut rest = String::new();
            decompose_canonical(c, |d| match TONE_MARKS.iter().position(|&t| t == d) {
                Some(i) if tone == 0 => tone = i as u8 + 1,
                _ => rest.push(d),
            });
            let base: String = rest.nfc().collect();
            let mut chars = base.chars();
            match (chars.next(), chars.next()) {
                (Some(b), None) => {
                    split.push((b, tone));
                    if tone > 0 {
                        join.insert((b, tone), c);
                    }
                }
                _ => split.push((c, 0)),
            }
        }
        LetterTable { split, join }
    })
}

/// [`split_letter`] with the table fetched once, for loops over many letters.
pub(crate) fn letter_splitter() -> impl Fn(char) -> (char, u8) {
    let table = letter_table();
    move |c| {
        let code = c as u32;
        if (TABLE_START..TABLE_END).contains(&code) {
            table.split[(code - TABLE_START) as usize]
        } else {
            (c, 0)
        }
    }
}

/// A letter without its tone, and the tone (index into `TONE_MARKS` + 1, or 0).
#[inline]
pub(crate) fn split_letter(c: char) -> (char, u8) {
    let code = c as u32;
    if (TABLE_START..TABLE_END).contains(&code) {
        letter_table().split[(code - TABLE_START) as usize]
    } else {
        (c, 0)
    }
}

/// Longest syllable handled (Vietnamese has at most 7 letters: `nghiêng`).
const MAX_LETTERS: usize = 8;

/// Index in `letters` (lower case, no tone) where the tone mark belongs.
pub(crate) fn tone_position(lower: &[char]) -> Option<usize> {
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
    let mut letters = ['\0'; MAX_LETTERS];
    let mut lower = ['\0'; MAX_LETTERS];
    let mut count = 0;
    let mut tone = None;
    for c in syllable.chars() {
        if count == MAX_LETTERS || ('\u{300}'..='\u{36f}').contains(&c) {
            // Too long, or with loose combining marks: not for us (input is NFC).
            return Cow::Borrowed(syllable);
        }
        let (letter, mark) = split_letter(c);
        if mark > 0 {
            if tone.is_some() {
                return Cow::Borrowed(syllable);
            }
            tone = Some((count, mark));
        }
        letters[count] = letter;
        lower[count] = crate::chars::to_lower(letter);
        count += 1;
    }
    let Some((current, mark)) = tone else {
        return Cow::Borrowed(syllable);
    };
    match tone_position(&lower[..count]) {
        Some(wanted) if wanted != current => {
            let table = letter_table();
            let mut out = String::with_capacity(syllable.len() + 2);
            for (i, &letter) in letters[..count].iter().enumerate() {
                if i == wanted {
                    match table.join.get(&(letter, mark)) {
                        Some(&toned) => out.push(toned),
                        None => return Cow::Borrowed(syllable),
                    }
                } else {
                    out.push(letter);
                }
            }
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(syllable),
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
