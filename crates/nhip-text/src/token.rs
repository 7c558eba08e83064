//! Splitting text into syllables, numbers and punctuation, with byte offsets into the input.

use std::iter::FusedIterator;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of letters (possibly with digits): a syllable or a foreign word.
    Word,
    /// Digits, with inner `.`, `,`, `/`, `-`, `:` between digits (`1.250.000`, `24-7`, `21/1/2026`).
    Number,
    /// Any other visible character, one per token.
    Punct,
}

/// One token: its text is `input[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

/// Iterator over the tokens of a text; see [`tokenize`].
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
    /// No character so far needs look-alike cleaning or NFC (see [`crate::normalize`]).
    clean: bool,
    /// Words read by [`letter_run_end`] first (false only in tests: the general loop alone).
    read_letters_by_eight: bool,
}

impl Tokens<'_> {
    /// Whether every character read so far is already normal: nothing to clean, surely NFC.
    /// Meaningful once the iterator is exhausted.
    pub fn saw_only_normal_text(&self) -> bool {
        self.clean
    }
}

fn is_word_char(c: char) -> bool {
    crate::chars::is_alphanumeric(c) || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Abbreviations written with a dot: single capitals (initials) and common Vietnamese ones.
fn is_abbreviation(word: &str) -> bool {
    const KNOWN: &[&str] = &[
        "tp", "q", "p", "tt", "ts", "ths", "gs", "pgs", "bs", "ks", "tx", "btc",
    ];
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_uppercase(),
        _ => word.len() <= 3 && KNOWN.contains(&word.to_ascii_lowercase().as_str()),
    }
}

fn is_number_joiner(c: char) -> bool {
    matches!(c, '.' | ',' | '/' | '-' | ':')
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    // Inlined: a token returned through memory is read back before its stores complete.
    #[inline(always)]
    fn next(&mut self) -> Option<Token<'a>> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut start = self.pos;
        let first = loop {
            match bytes.get(start) {
                Some(b' ') => {
                    start += 1;
                    continue;
                }
                None => return None,
                // Most tokens start with a letter: known from the bytes.
                Some(&byte) if ASCII_CLASS[usize::from(byte)] == ASCII_LETTER => {
                    break byte as char
                }
                Some(_) => {}
            }
            let c = char_at(text, start)?;
            self.clean &= crate::normalize::is_normal_char(c);
            if !c.is_whitespace() {
                break c;
            }
            start += c.len_utf8();
        };
        let mut end = start + first.len_utf8();
        let kind = if is_word_char(first) {
            let mut all_digits = first.is_ascii_digit();
            let mut read_by_letters = false;
            if !all_digits && self.read_letters_by_eight {
                // Most words: letters read eight bytes at a time; the general loop goes on only
                // from a character that reading does not know.
                let (stop, ended) = letter_run_end(bytes, end, &mut self.clean);
                end = stop;
                read_by_letters = ended;
            }
            if !read_by_letters {
                (end, all_digits) = self.general_word_end(end, all_digits);
            }
            if all_digits {
                TokenKind::Number
            } else {
                // `TP. Hồ Chí Minh`, `ông H. Nguyễn`: the dot belongs to the abbreviation.
                let rest = &text[end..];
                if rest.starts_with('.')
                    && rest[1..].starts_with(char::is_whitespace)
                    && !rest[1..].trim_start().is_empty()
                    && is_abbreviation(&text[start..end])
                {
                    end += 1;
                }
                TokenKind::Word
            }
        } else {
            // A run of the same mark is one token: `...`, `--`, `!!`.
            if matches!(first, '.' | '-' | '!' | '?' | '*' | '=') {
                while char_at(text, end) == Some(first) {
                    end += 1;
                }
            }
            TokenKind::Punct
        };
        self.pos = end;
        Some(Token {
            text: &text[start..end],
            start,
            end,
            kind,
        })
    }
}

impl Tokens<'_> {
    /// Where a word (or number, while `all_digits`) goes on from byte `end`, character by
    /// character; and whether it is still all digits.
    fn general_word_end(&mut self, mut end: usize, mut all_digits: bool) -> (usize, bool) {
        let text = self.text;
        let bytes = text.as_bytes();
        while let Some(&byte) = bytes.get(end) {
            // ASCII without decoding: every ASCII letter or digit is normal.
            match ASCII_CLASS[usize::from(byte)] {
                ASCII_LETTER => {
                    all_digits = false;
                    end += 1;
                    continue;
                }
                ASCII_DIGIT => {
                    end += 1;
                    continue;
                }
                // Other ASCII is never part of a word, only of a number.
                _ if byte < 0x80 => {
                    if all_digits
                        && is_number_joiner(char::from(byte))
                        && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
                    {
                        end += 1;
                        continue;
                    }
                    break;
                }
                _ => {}
            }
            if let Some((len, normal)) = vietnamese_letter_at(bytes, end) {
                self.clean &= normal;
                all_digits = false;
                end += len;
                continue;
            }
            let Some(c) = char_at(text, end) else {
                break;
            };
            // Not ASCII, so not a number's joiner either.
            if !is_word_char(c) {
                break;
            }
            self.clean &= crate::normalize::is_normal_char(c);
            all_digits = false;
            end += c.len_utf8();
        }
        (end, all_digits)
    }
}

/// Reads a word on from byte `pos`, just after its first character (a word character that is
/// not an ASCII digit), eight bytes at a time: ASCII letters
/// and digits are told from the other ASCII bytes by arithmetic on the eight at once, and each
/// non-ASCII character is read by [`vietnamese_letter_at`]. Returns where the word ends and
/// `true`, or `false` with the position of a character that reading does not know (the
/// general loop goes on from there). Clears `clean` on a letter that is not normal.
#[inline]
fn letter_run_end(bytes: &[u8], mut pos: usize, clean: &mut bool) -> (usize, bool) {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    loop {
        let w = match bytes.get(pos..pos + 8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or_default()),
            // Past the end, zeros: they stop a word as any control character does.
            None => {
                let mut window = [0u8; 8];
                let rest = bytes.get(pos..).unwrap_or_default();
                window[..rest.len()].copy_from_slice(rest);
                u64::from_le_bytes(window)
            }
        };
        // Non-ASCII bytes go on, to be checked by their lead bytes (0xC0 and up).
        let stops = ascii_stops(w);
        let run = (stops.trailing_zeros() / 8) as usize;
        // The bits below the first stop: every byte of the run.
        let run_bits = stops.wrapping_sub(1) & !stops;
        let mut leads = w & (w << 1) & HIGH & run_bits;
        while leads != 0 {
            let at = pos + (leads.trailing_zeros() / 8) as usize;
            leads &= leads - 1;
            match vietnamese_letter_at(bytes, at) {
                Some((_, normal)) => *clean &= normal,
                None => return (at, false),
            }
        }
        if run < 8 {
            return (pos + run, true);
        }
        pos += 8;
    }
}

const ASCII_OTHER: u8 = 0;
const ASCII_LETTER: u8 = 1;
const ASCII_DIGIT: u8 = 2;

/// Letter, digit or other, by byte (bytes from 0x80 up are "other": not ASCII).
static ASCII_CLASS: [u8; 256] = {
    let mut class = [ASCII_OTHER; 256];
    let mut byte = 0;
    while byte < 128 {
        class[byte] = match byte as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => ASCII_LETTER,
            b'0'..=b'9' => ASCII_DIGIT,
            _ => ASCII_OTHER,
        };
        byte += 1;
    }
    class
};

/// The letters of Vietnamese beyond ASCII, read from their UTF-8 bytes without decoding the
/// general way: Latin-1 letters and Latin Extended-A/B (U+00C0–U+024F, two bytes) and Latin
/// Extended Additional (U+1E00–U+1EFF, three bytes: ạ ả ấ … ỹ). Returns the letter's length and
/// whether it is normal ([`crate::normalize::is_normal_char`]); `None` for anything else, which
/// the general path then reads.
#[inline(always)]
fn vietnamese_letter_at(bytes: &[u8], pos: usize) -> Option<(usize, bool)> {
    match *bytes.get(pos)? {
        lead @ 0xC3..=0xC9 => {
            let code = u32::from(lead & 0x1F) << 6 | u32::from(bytes.get(pos + 1)? & 0x3F);
            // × and ÷ are not letters; Ð and ð are look-alikes of Đ and đ.
            match code {
                0xD7 | 0xF7 => None,
                0xD0 | 0xF0 => Some((2, false)),
                0xC0..=0x24F => Some((2, true)),
                _ => None,
            }
        }
        0xE1 if matches!(bytes.get(pos + 1)?, 0xB8..=0xBB) => Some((3, true)),
        _ => None,
    }
}

/// The character at byte `pos` (a char boundary), decoding only when it is not ASCII.
#[inline]
fn char_at(text: &str, pos: usize) -> Option<char> {
    let byte = *text.as_bytes().get(pos)?;
    if byte < 0x80 {
        Some(char::from(byte))
    } else {
        text[pos..].chars().next()
    }
}

impl FusedIterator for Tokens<'_> {}

/// Tokens of `text`, whitespace skipped.
///
/// ```
/// use nhip_text::{tokenize, TokenKind};
/// let tokens: Vec<_> = tokenize("Giá 1.250.000 đồng.").collect();
/// assert_eq!(tokens[1].text, "1.250.000");
/// assert_eq!(tokens[1].kind, TokenKind::Number);
/// assert_eq!(&"Giá 1.250.000 đồng."[tokens[2].start..tokens[2].end], "đồng");
/// assert_eq!(tokens[3].kind, TokenKind::Punct);
/// ```
pub fn tokenize(text: &str) -> Tokens<'_> {
    tokenize_from(text, 0)
}

/// [`tokenize`] from byte `pos` of `text` (a character boundary).
pub(crate) fn tokenize_from(text: &str, pos: usize) -> Tokens<'_> {
    Tokens {
        text,
        pos,
        clean: true,
        read_letters_by_eight: true,
    }
}

/// The length of the run of bytes at the start of `window` that can be a word read from
/// there: up to the first ASCII byte that is neither letter nor digit (other bytes are
/// parts of characters the run may hold; nothing checks them). `None` when no such byte is in
/// the window, or when the window starts with one (no run).
#[inline]
pub(crate) fn word_candidate_len(window: u128) -> Option<usize> {
    let (low, high) = (
        ascii_stops(window as u64),
        ascii_stops((window >> 64) as u64),
    );
    if low != 0 {
        Some((low.trailing_zeros() / 8) as usize).filter(|&len| len > 0)
    } else if high != 0 {
        Some(8 + (high.trailing_zeros() / 8) as usize)
    } else {
        None
    }
}

/// Bit 7 of each byte of `w` that is ASCII and neither letter nor digit.
#[inline]
fn ascii_stops(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bit 7 of each byte answers for that byte; no sum carries into the next byte (every
    // operand is below 0x80 and every constant small enough).
    let low7 = w & !HIGH;
    let lower = low7 | (0x20 * ONES);
    let letter =
        (lower + (0x80 - u64::from(b'a')) * ONES) & !(lower + (0x80 - u64::from(b'z') - 1) * ONES);
    let digit =
        (low7 + (0x80 - u64::from(b'0')) * ONES) & !(low7 + (0x80 - u64::from(b'9') - 1) * ONES);
    !(letter | digit | w) & HIGH
}

/// Whether `byte` can start a word read by [`word_candidate_len`]: an ASCII letter or the
/// lead byte of a character beyond ASCII.
#[inline]
pub(crate) fn may_start_word(byte: u8) -> bool {
    ASCII_CLASS[usize::from(byte)] == ASCII_LETTER || byte >= 0xC0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s).map(|t| t.text).collect()
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(
            texts("Chiều 24-7, giai đoạn 2021-2025"),
            ["Chiều", "24-7", ",", "giai", "đoạn", "2021-2025"]
        );
        assert_eq!(texts("ngày 21/1/2026."), ["ngày", "21/1/2026", "."]);
        assert_eq!(texts("386 người"), ["386", "người"]);
        assert_eq!(texts("COVID-19"), ["COVID", "-", "19"]);
        assert_eq!(
            texts("chờ đợi... rồi!!"),
            ["chờ", "đợi", "...", "rồi", "!!"]
        );
        assert_eq!(
            texts("TP. HCM, ông H. Nam, đi Q. 1."),
            ["TP.", "HCM", ",", "ông", "H.", "Nam", ",", "đi", "Q.", "1", "."]
        );
        assert_eq!(texts("gặp ông H."), ["gặp", "ông", "H", "."]);
    }

    #[test]
    fn the_byte_reading_of_letters_agrees_with_the_general_one() {
        let mut read_fast = 0;
        for code in 0x80..0x3_0000 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let mut buffer = [0; 4];
            let encoded = c.encode_utf8(&mut buffer).as_bytes();
            if let Some((len, normal)) = vietnamese_letter_at(encoded, 0) {
                assert!(is_word_char(c), "{c:?}");
                assert_eq!(len, c.len_utf8(), "{c:?}");
                assert_eq!(normal, crate::normalize::is_normal_char(c), "{c:?}");
                read_fast += 1;
            }
        }
        // Latin-1 letters, Latin Extended-A/B and Extended Additional.
        assert_eq!(read_fast, 0x24F - 0xC0 + 1 - 2 + 0x100);
    }

    proptest::proptest! {
        #[test]
        fn reading_letters_by_eight_agrees_with_the_general_loop(
            text in "[a-zA-Z0-9 .,:/\\-_@\t\n\0đĐơưăâêôàáảãạấầẩẫậằắẳẵặèéẻẽẹếềểễệìíỉĩịòóỏõọốồổỗộớờởỡợùúủũụứừửữựỳýỷỹỵÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂƠƯỲỴ×÷Ððɏɐ\u{300}\u{301}\u{303}\u{309}\u{323}ß中…“”\u{a0}😀Ǻ]{0,80}"
        ) {
            let general = Tokens {
                read_letters_by_eight: false,
                ..tokenize(&text)
            };
            let mut fast = tokenize(&text);
            let by_eight: Vec<Token> = fast.by_ref().collect();
            let mut general = general;
            let by_char: Vec<Token> = general.by_ref().collect();
            proptest::prop_assert_eq!(by_eight, by_char);
            proptest::prop_assert_eq!(fast.saw_only_normal_text(), general.saw_only_normal_text());
        }
    }

    #[test]
    fn nfd_marks_stay_in_the_word() {
        assert_eq!(texts("Nghe\u{302}\u{323} An"), ["Nghe\u{302}\u{323}", "An"]);
    }

    #[test]
    fn offsets_point_into_input() {
        let s = "  Hà Nội… ok";
        for t in tokenize(s) {
            assert_eq!(&s[t.start..t.end], t.text);
        }
    }
}
