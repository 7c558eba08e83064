//! Normalisation stages: look-alike characters, NFC, canonical tone placement.
//!
//! Each stage returns `Cow::Borrowed` when it has nothing to change, so clean text is not copied.

use crate::token::{tokenize, TokenKind};
use crate::tone::canonical_syllable;
use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Characters that may need cleaning: exotic spaces and controls, look-alike letters,
/// zero-width and full-width characters (a superset: [`clean_lookalikes`] decides).
#[inline]
fn needs_cleaning(code: u32) -> bool {
    matches!(code, 0x0B | 0x0C | 0x85 | 0xA0..=0xAD | 0xD0 | 0xF0 | 0x1680 | 0x180E | 0x2000..=0x206F | 0x3000 | 0xFEFF | 0xFF01..=0xFF5E)
}

/// Replaces characters that look like Vietnamese or ASCII ones but are not: Ð (U+00D0, Icelandic
/// eth) → Đ, full-width ASCII → ASCII, exotic spaces → space; zero-width characters and soft
/// hyphens are removed.
pub fn clean_lookalikes(text: &str) -> Cow<'_, str> {
    fn replacement(c: char) -> Option<Option<char>> {
        match c {
            '\u{00D0}' => Some(Some('Đ')),
            '\u{00F0}' => Some(Some('đ')),
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
                Some(None)
            }
            '\u{FF01}'..='\u{FF5E}' => Some(char::from_u32(c as u32 - 0xFEE0)),
            c if c != ' ' && c != '\n' && c != '\t' && c != '\r' && c.is_whitespace() => {
                Some(Some(' '))
            }
            _ => None,
        }
    }
    if !text
        .chars()
        .any(|c| needs_cleaning(c as u32) && replacement(c).is_some())
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match replacement(c) {
            Some(Some(r)) => out.push(r),
            Some(None) => {}
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether every character is below U+0300 or in Latin Extended Additional: such text has no
/// combining marks and nothing that composes, so it is NFC without a property lookup.
fn surely_nfc(text: &str) -> bool {
    text.chars()
        .all(|c| (c as u32) < 0x300 || (0x1E00..0x1F00).contains(&(c as u32)))
}

/// Unicode NFC, borrowed when the text already is.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || surely_nfc(text) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

fn canonical_tones(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut copied_to = 0;
    for token in tokenize(text).filter(|t| t.kind == TokenKind::Word) {
        if let Cow::Owned(fixed) = canonical_syllable(token.text) {
            let buf = out.get_or_insert_with(|| String::with_capacity(text.len()));
            buf.push_str(&text[copied_to..token.start]);
            buf.push_str(&fixed);
            copied_to = token.end;
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut buf) => {
            buf.push_str(&text[copied_to..]);
            Cow::Owned(buf)
        }
    }
}

/// Whether a text needs neither look-alike cleaning nor NFC (tone placement aside).
pub(crate) fn is_clean(text: &str) -> bool {
    text.chars().all(is_normal_char)
}

/// A character that needs no cleaning and cannot break NFC (see `surely_nfc`).
#[inline]
pub(crate) fn is_normal_char(c: char) -> bool {
    let code = c as u32;
    if code < 0x80 {
        return code != 0x0B && code != 0x0C;
    }
    !needs_cleaning(code) && (code < 0x300 || (0x1E00..0x1F00).contains(&code))
}

/// The full normalisation of a document or query: look-alikes, NFC, canonical tone placement.
/// Case is kept (documents are displayed in this form).
///
/// ```
/// use nhip_text::normalize;
/// assert_eq!(normalize("Thuỷ lợi"), "Thủy lợi");
/// assert_eq!(normalize("Nghe\u{302}\u{323} An"), "Nghệ An");
/// ```
pub fn normalize(text: &str) -> Cow<'_, str> {
    let cleaned = clean_lookalikes(text);
    let composed = match nfc(&cleaned) {
        Cow::Borrowed(_) => cleaned,
        Cow::Owned(s) => Cow::Owned(s),
    };
    match canonical_tones(&composed) {
        Cow::Borrowed(_) => composed,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// Whether [`normalize`] would return `text` unchanged, given the tokens [`crate::tokenize`]
/// cut from it: the tokens serve the tone-placement check, so a caller that has them already
/// (the indexer) does not tokenise the text a second time.
///
/// ```
/// use nhip_text::{is_normalized, tokenize, Token};
/// let check = |text: &str| is_normalized(text, &tokenize(text).collect::<Vec<Token>>());
/// assert!(check("Hòa bình, thủy lợi."));
/// assert!(!check("Hoà bình"));
/// assert!(!check("Nghe\u{302}\u{323} An"));
/// ```
pub fn is_normalized(text: &str, tokens: &[crate::token::Token<'_>]) -> bool {
    let composed = is_clean(text)
        || (matches!(clean_lookalikes(text), Cow::Borrowed(_))
            && matches!(nfc(text), Cow::Borrowed(_)));
    composed
        && tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .all(|t| matches!(canonical_syllable(t.text), Cow::Borrowed(_)))
}

/// The exact (diacritics kept) term of one token: normalised and lower-cased.
///
/// ```
/// assert_eq!(nhip_text::exact_term("Hoà"), "hòa");
/// ```
pub fn exact_term(token: &str) -> String {
    normalize(token).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_when_clean() {
        assert!(matches!(normalize("Hòa bình, thủy lợi."), Cow::Borrowed(_)));
        assert!(matches!(normalize("plain ascii"), Cow::Borrowed(_)));
    }

    #[test]
    fn cleans_lookalikes() {
        assert_eq!(clean_lookalikes("\u{00D0}à Nẵng"), "Đà Nẵng");
        assert_eq!(clean_lookalikes("１２３"), "123");
        assert_eq!(clean_lookalikes("a\u{00A0}b\u{200B}c"), "a bc");
    }

    #[test]
    fn whole_pipeline() {
        assert_eq!(normalize("Hoà bình, thuỷ lợi"), "Hòa bình, thủy lợi");
        assert_eq!(normalize("\u{00D0}a\u{300} Na\u{306}\u{303}ng"), "Đà Nẵng");
        assert_eq!(exact_term("HOÀ"), "hòa");
    }
}
