//! Legacy Vietnamese encodings: detected and converted to Unicode.
//!
//! Government documents still arrive in the encodings of the 1990s, either as raw 8-bit bytes
//! or as the mojibake that copy-paste from a legacy font leaves in UTF-8:
//!
//! - **TCVN3 (ABC)**, the `.VnTime` fonts: one byte per letter (`Céng hßa` → `Cộng hòa`);
//! - **VNI**, the `VNI-Times` fonts: a base letter followed by a mark byte (`chaøo` → `chào`);
//! - **Windows-1258**: base letters followed by combining marks;
//! - **VIQR**, plain ASCII mnemonics (`Vie^.t Nam` → `Việt Nam`);
//! - UTF-16 with a byte-order mark, or without one when the zero bytes give it away.
//!
//! A conversion is kept only when it makes the text read as Vietnamese: most of the words it
//! changes must become valid Vietnamese syllables, and the result must have more of them (or
//! fewer impossible characters) than the input. Ordinary UTF-8 Vietnamese and English are
//! therefore left alone.

use crate::syllable::{
    has_foreign_characters, is_vietnamese_syllable, judge_words, vietnameseness,
};
use std::borrow::Cow;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// Where a text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1258,
    Tcvn3,
    Vni,
    /// TCVN3 text that was pasted into UTF-8 as Windows-1252 characters.
    Tcvn3InUtf8,
    /// VNI text that was pasted into UTF-8 as Windows-1252 characters.
    VniInUtf8,
    Viqr,
}

impl SourceEncoding {
    pub fn name(self) -> &'static str {
        match self {
            SourceEncoding::Utf8 => "UTF-8",
            SourceEncoding::Utf16Le => "UTF-16LE",
            SourceEncoding::Utf16Be => "UTF-16BE",
            SourceEncoding::Windows1258 => "Windows-1258",
            SourceEncoding::Tcvn3 => "TCVN3",
            SourceEncoding::Vni => "VNI",
            SourceEncoding::Tcvn3InUtf8 => "TCVN3 (pasted into UTF-8)",
            SourceEncoding::VniInUtf8 => "VNI (pasted into UTF-8)",
            SourceEncoding::Viqr => "VIQR",
        }
    }
}

/// A decoded text and the encoding it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: SourceEncoding,
}

/// TCVN3 bytes 0x80..=0xFF (TCVN 5712:1993, VN3), as Unicode scalar values.
const TCVN3_HIGH: [u16; 128] = [
    0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8, 0x1EBA, 0x1EBC, 0x00C9, 0x1EB8,
    0x1EC6, 0x00CC, 0x1EC8, 0x0128, 0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,
    0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168, 0x00A0, 0x0102, 0x00C2, 0x00CA,
    0x00D4, 0x01A0, 0x01AF, 0x0110, 0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
    0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3, 0x00E1, 0x1EA1, 0x1EB2, 0x1EB1,
    0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4, 0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,
    0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD, 0x00E9, 0x1EB9, 0x1EC1, 0x1EC3,
    0x1EC5, 0x1EBF, 0x1EC7, 0x00EC, 0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
    0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF,
    0x1EE1, 0x1EDB, 0x1EE3, 0x00F9, 0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
    0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
];

fn tcvn3_char(byte: u8) -> char {
    if byte < 0x80 {
        char::from(byte)
    } else {
        char::from_u32(u32::from(TCVN3_HIGH[usize::from(byte - 0x80)])).unwrap_or('\u{FFFD}')
    }
}

fn decode_tcvn3(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| tcvn3_char(b)).nfc().collect()
}

/// Windows-1252 byte of a character, for undoing a paste (`é` → 0xE9).
fn cp1252_byte(c: char) -> Option<u8> {
    static TABLE: OnceLock<std::collections::HashMap<char, u8>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0x80u8..=0xFF)
            .filter_map(|b| {
                let byte = [b];
                let (text, _, bad) = encoding_rs::WINDOWS_1252.decode(&byte);
                let c = text.chars().next()?;
                (!bad).then_some((c, b))
            })
            .collect()
    });
    // ASCII, and C1 controls left by a Latin-1 (not Windows-1252) paste, are their own bytes.
    if c.is_ascii() || ('\u{80}'..='\u{9F}').contains(&c) {
        Some(c as u8)
    } else {
        table.get(&c).copied()
    }
}

/// VNI: a base letter followed by a mark character (as Windows-1252 text).
fn vni_mark(c: char) -> Option<&'static str> {
    Some(match c.to_lowercase().next()? {
        'ù' => "\u{301}",
        'ø' => "\u{300}",
        'û' => "\u{309}",
        'õ' => "\u{303}",
        'ï' => "\u{323}",
        'â' => "\u{302}",
        'á' => "\u{302}\u{301}",
        'à' => "\u{302}\u{300}",
        'å' => "\u{302}\u{309}",
        'ã' => "\u{302}\u{303}",
        'ä' => "\u{302}\u{323}",
        'ê' => "\u{306}",
        'é' => "\u{306}\u{301}",
        'è' => "\u{306}\u{300}",
        'ú' => "\u{306}\u{309}",
        'ü' => "\u{306}\u{303}",
        'ë' => "\u{306}\u{323}",
        _ => return None,
    })
}

/// VNI's one-character letters.
fn vni_letter(c: char) -> Option<char> {
    Some(match c {
        'ô' => 'ơ',
        'Ô' => 'Ơ',
        'ö' => 'ư',
        'Ö' => 'Ư',
        'æ' => 'ỉ',
        'Æ' => 'Ỉ',
        'ó' => 'ĩ',
        'Ó' => 'Ĩ',
        'ò' => 'ị',
        'Ò' => 'Ị',
        'î' => 'ỵ',
        'Î' => 'Ỵ',
        'ñ' => 'đ',
        'Ñ' => 'Đ',
        _ => return None,
    })
}

fn is_base_vowel(c: char) -> bool {
    let mut base = c;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if base == c {
            base = d;
        }
    });
    matches!(base.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn decode_vni_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_vowel = false;
    for c in text.chars() {
        if let (true, Some(marks)) = (after_vowel, vni_mark(c)) {
            out.push_str(marks);
            after_vowel = false;
            continue;
        }
        let c = vni_letter(c).unwrap_or(c);
        out.push(c);
        after_vowel = is_base_vowel(c);
    }
    out.nfc().collect()
}

fn decode_viqr(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let word_start = i == 0 || !chars[i - 1].is_alphanumeric();
        if c == '\\' && i + 1 < chars.len() {
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if word_start
            && matches!(c, 'd' | 'D')
            && chars.get(i + 1).is_some_and(|n| matches!(n, 'd' | 'D'))
        {
            out.push(if c == 'D' { 'Đ' } else { 'đ' });
            i += 2;
            continue;
        }
        out.push(c);
        i += 1;
        if !is_base_vowel(c) {
            continue;
        }
        let lower = c.to_ascii_lowercase();
        if let Some(&m) = chars.get(i) {
            let modifier = match (m, lower) {
                ('^', 'a' | 'e' | 'o') => Some('\u{302}'),
                ('(', 'a') => Some('\u{306}'),
                ('+' | '*', 'o' | 'u') => Some('\u{31B}'),
                _ => None,
            };
            if let Some(modifier) = modifier {
                out.push(modifier);
                i += 1;
            }
        }
        if let Some(&t) = chars.get(i) {
            let tone = match t {
                '\'' => Some('\u{301}'),
                '`' => Some('\u{300}'),
                '?' => Some('\u{309}'),
                '~' => Some('\u{303}'),
                '.' => Some('\u{323}'),
                _ => None,
            };
            if let Some(tone) = tone {
                out.push(tone);
                i += 1;
            }
        }
    }
    out.nfc().collect()
}

/// Whether a word has a VIQR mark inside it, right after a vowel and followed by more of the
/// word (`Vie^.t`, `cha`o`); marks at the end of a word are too often quotes or punctuation.
fn has_inner_viqr_mark(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    (1..chars.len().saturating_sub(1)).any(|i| {
        matches!(chars[i], '\'' | '`' | '?' | '~' | '.' | '^' | '(' | '+')
            && is_base_vowel(chars[i - 1])
            && chars[i + 1..].iter().any(|c| c.is_alphabetic())
    })
}

/// Whether `converted` is a convincing Vietnamese reading of `original`.
fn convincing(original: &str, converted: &str) -> bool {
    let before: Vec<&str> = judge_words(original).collect();
    let after: Vec<&str> = judge_words(converted).collect();
    if before.len() != after.len() {
        return false;
    }
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(_, a)| *a)
        .collect();
    if changed.is_empty() {
        return false;
    }
    let valid = changed
        .iter()
        .filter(|w| !has_foreign_characters(w) && is_vietnamese_syllable(w))
        .count();
    let (old, new) = (vietnameseness(original), vietnameseness(converted));
    valid * 5 >= changed.len() * 4 && new.score() > old.score()
}

/// Repairs legacy text inside valid UTF-8: TCVN3 or VNI mojibake, or VIQR.
///
/// ```
/// use nhip_text::{repair, SourceEncoding};
/// let (text, found) = repair("Céng hßa x· héi chñ nghÜa ViÖt Nam");
/// assert_eq!(text, "Cộng hòa xã hội chủ nghĩa Việt Nam");
/// assert_eq!(found, Some(SourceEncoding::Tcvn3InUtf8));
/// assert_eq!(repair("Xin chaøo caùc baïn").0, "Xin chào các bạn");
/// assert_eq!(repair("Vie^.t Nam").0, "Việt Nam");
/// assert_eq!(repair("Cộng hòa, café, naïve? Yes.").1, None);
/// ```
pub fn repair(text: &str) -> (Cow<'_, str>, Option<SourceEncoding>) {
    if text.is_ascii() {
        let words = judge_words_raw(text).count();
        let inner = judge_words_raw(text)
            .filter(|w| has_inner_viqr_mark(w))
            .count();
        if inner >= 2 || (inner == 1 && words <= 4) {
            let converted = decode_viqr(text);
            if convincing(text, &converted) {
                return (Cow::Owned(converted), Some(SourceEncoding::Viqr));
            }
        }
        return (Cow::Borrowed(text), None);
    }
    let Some(bytes) = text.chars().map(cp1252_byte).collect::<Option<Vec<u8>>>() else {
        // Characters outside Windows-1252 (ạ, ư, đ…): real Unicode Vietnamese.
        return (Cow::Borrowed(text), None);
    };
    let candidates = [
        (decode_tcvn3(&bytes), SourceEncoding::Tcvn3InUtf8),
        (decode_vni_chars(text), SourceEncoding::VniInUtf8),
    ];
    best_convincing(text, candidates).map_or((Cow::Borrowed(text), None), |(t, e)| {
        (Cow::Owned(t), Some(e))
    })
}

/// Whitespace-separated words with outer brackets and quotes trimmed, VIQR marks kept.
fn judge_words_raw(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .map(|w| w.trim_start_matches(['(', '"', '\'', '[']))
        .map(|w| w.trim_end_matches([',', ';', ':', ')', '"', '!', ']']))
}

fn best_convincing<const N: usize>(
    original: &str,
    candidates: [(String, SourceEncoding); N],
) -> Option<(String, SourceEncoding)> {
    candidates
        .into_iter()
        .filter(|(t, _)| convincing(original, t))
        .max_by_key(|(t, _)| vietnameseness(t).score())
}

/// Decodes bytes of unknown encoding. `None` when they are neither UTF-8/UTF-16 nor a
/// convincing legacy Vietnamese encoding; legacy text inside UTF-8 is repaired.
///
/// ```
/// use nhip_text::{decode, SourceEncoding};
/// let d = decode(b"\xa7\xe9c l\xcbp - T\xf9 do - H\xb9nh ph\xf3c").unwrap();
/// assert_eq!((d.text.as_ref(), d.encoding), ("Độc lập - Tự do - Hạnh phúc", SourceEncoding::Tcvn3));
/// assert_eq!(decode("Hà Nội".as_bytes()).unwrap().encoding, SourceEncoding::Utf8);
/// ```
pub fn decode(bytes: &[u8]) -> Option<Decoded<'_>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode(rest);
    }
    if let Some(encoding) = utf16(bytes) {
        let (text, _, _) = match encoding {
            SourceEncoding::Utf16Be => encoding_rs::UTF_16BE.decode(bytes),
            _ => encoding_rs::UTF_16LE.decode(bytes),
        };
        let text = text.trim_start_matches('\u{FEFF}').to_string();
        return Some(Decoded {
            text: Cow::Owned(text),
            encoding,
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let (repaired, found) = repair(text);
        return Some(Decoded {
            text: repaired,
            encoding: found.unwrap_or(SourceEncoding::Utf8),
        });
    }
    let cp1252 = encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0;
    let windows1258: String = encoding_rs::WINDOWS_1258
        .decode_without_bom_handling(bytes)
        .0
        .nfc()
        .collect();
    let candidates = [
        (windows1258, SourceEncoding::Windows1258),
        (decode_tcvn3(bytes), SourceEncoding::Tcvn3),
        (decode_vni_chars(&cp1252), SourceEncoding::Vni),
    ];
    best_convincing(&cp1252, candidates).map(|(text, encoding)| Decoded {
        text: Cow::Owned(text),
        encoding,
    })
}

/// UTF-16 by byte-order mark, or by zero bytes in every other position.
fn utf16(bytes: &[u8]) -> Option<SourceEncoding> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some(SourceEncoding::Utf16Le);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some(SourceEncoding::Utf16Be);
    }
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = sample.len() / 2;
    if zeros_at(1) * 10 >= half * 4 && zeros_at(0) * 10 < half {
        Some(SourceEncoding::Utf16Le)
    } else if zeros_at(0) * 10 >= half * 4 && zeros_at(1) * 10 < half {
        Some(SourceEncoding::Utf16Be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_in_utf8() {
        assert_eq!(
            repair("§éc lËp - Tù do - H¹nh phóc").0,
            "Độc lập - Tự do - Hạnh phúc"
        );
        assert_eq!(
            repair("Xin chaøo caùc baïn, Vieät Nam").0,
            "Xin chào các bạn, Việt Nam"
        );
    }

    #[test]
    fn raw_legacy_bytes() {
        let tcvn3 = decode(b"C\xe9ng h\xdfa x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam").unwrap();
        assert_eq!(tcvn3.text, "Cộng hòa xã hội chủ nghĩa Việt Nam");
        let vni = decode(b"Xin cha\xf8o ca\xf9c ba\xefn").unwrap();
        assert_eq!(
            (vni.text.as_ref(), vni.encoding),
            ("Xin chào các bạn", SourceEncoding::Vni)
        );
        // Windows-1258: ê (0xEA) + combining dot below (0xF2).
        let cp1258 = decode(b"Vi\xea\xf2t Nam l\xe0 qu\xf4\xecc gia").unwrap();
        assert_eq!(
            (cp1258.text.as_ref(), cp1258.encoding),
            ("Việt Nam là quốc gia", SourceEncoding::Windows1258)
        );
    }

    #[test]
    fn utf16() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Hà Nội".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap().text, "Hà Nội");
        let be: Vec<u8> = "Đà Nẵng mưa to"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let d = decode(&be).unwrap();
        assert_eq!(
            (d.text.as_ref(), d.encoding),
            ("Đà Nẵng mưa to", SourceEncoding::Utf16Be)
        );
    }

    #[test]
    fn leaves_unicode_and_english_alone() {
        for text in [
            "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc.",
            "Cà phê",
            "The café served crème brûlée; naïve résumé.",
            "Is it true? I saw a. Yes, don't.",
            "Isaac ra sao sau 'Anh trai say hi'?",
            "Giá 1.250.000 đồng, tăng 5% so với tháng 7/2025.",
            "email: a.b@example.com, url https://example.com/a?b=c",
            "Thành phố Hồ Chí Minh",
        ] {
            assert_eq!(repair(text), (Cow::Borrowed(text), None), "{text}");
            assert_eq!(decode(text.as_bytes()).unwrap().text, text);
        }
    }

    #[test]
    fn undecodable_bytes() {
        assert!(decode(b"\x81\x8d\x8f\x90 \x9d\x81\x8d").is_none());
    }
}
