//! Accent-free folding: every mark removed, đ → d, lower case.

use std::borrow::Cow;
use unicode_normalization::char::decompose_canonical;

fn fold_char(c: char, out: &mut String) {
    match c {
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => decompose_canonical(c, |d| {
            if !('\u{300}'..='\u{36f}').contains(&d) {
                out.extend(d.to_lowercase());
            }
        }),
    }
}

/// The accent-free, lower-case form of a text (`Đà Nẵng` → `da nang`).
///
/// ```
/// assert_eq!(nhip_text::fold("Tham nhũng"), "tham nhung");
/// ```
pub fn fold(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    Cow::Owned(out)
}

/// The folded term of one token, as indexed in the accent-free field: the fold of its exact
/// term, so both fields lower-case alike (a Greek final sigma included).
pub fn folded_term(token: &str) -> String {
    fold(&crate::exact_term(token)).into_owned()
}

/// Whether the text carries any Vietnamese diacritic (or đ): a query that does is matched exactly.
///
/// ```
/// assert!(nhip_text::has_diacritics("tham nhũng"));
/// assert!(!nhip_text::has_diacritics("Tham nhung"));
/// ```
pub fn has_diacritics(text: &str) -> bool {
    !text.is_ascii() && fold(text) != text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Đà Nẵng"), "da nang");
        assert_eq!(fold("ĐỒNG"), "dong");
        assert_eq!(fold("Nghệ An"), "nghe an");
        // NFD input folds the same as NFC.
        assert_eq!(fold("Nghe\u{302}\u{323} An"), "nghe an");
        assert_eq!(fold("plain"), "plain");
    }
}
