//! Fast character classes for Vietnamese text: the letters Vietnamese uses sit in two small
//! blocks where Unicode's general tables are slow and simple arithmetic is exact.

/// `char::is_alphanumeric`, fast for ASCII and the Latin blocks Vietnamese uses.
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        // Latin-1 Supplement letters and Latin Extended-A/B, minus × and ÷.
        0xC0..=0x24F => c != '×' && c != '÷',
        // Latin Extended Additional (ạ ả ấ … ỹ): all letters.
        0x1E00..=0x1EFF => true,
        _ => c.is_alphanumeric(),
    }
}

/// The lower-case form of a letter, fast for the letters Vietnamese uses.
#[inline]
pub(crate) fn to_lower(c: char) -> char {
    let code = c as u32;
    let lower = match code {
        0x41..=0x5A => code + 0x20,
        0..=0x7F => code,
        0xC0..=0xDE if code != 0xD7 => code + 0x20,
        0xDF..=0xFF | 0x1A1 | 0x1B0 => code,
        0x100..=0x137 | 0x168..=0x169 | 0x1EA0..=0x1EF9 => code | 1,
        0x1A0 | 0x1AF => code + 1,
        _ => return c.to_lowercase().next().unwrap_or(c),
    };
    char::from_u32(lower).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agree_with_std() {
        for code in (0..0x250).chain(0x1E00..0x1F00).chain(0x300..0x370) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            if c.is_alphabetic() {
                let std_lower: Vec<char> = c.to_lowercase().collect();
                if std_lower.len() == 1 {
                    assert_eq!(to_lower(c), std_lower[0], "{c:?} U+{code:04X}");
                }
            }
        }
    }
}
