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
//! therefore left alone. Of several convincing decodings, the one with the larger share of
//! valid syllables wins. Legacy text inside Unicode text (a paragraph pasted from a `.VnTime`
//! template) is judged run by run; where the font is known (a Word run), [`repair_with_font`]
//! reads the text as that font's encoding.

use crate::syllable::{
    has_foreign_characters, is_known_syllable, is_typographic_punctuation, is_written_syllable,
    judge_words, vietnameseness,
};
use std::borrow::Cow;
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
    // ASCII, the C1 controls a Latin-1 (not Windows-1252) paste leaves, and Latin-1's letters
    // and symbols are their own bytes.
    if let Ok(byte) = u8::try_from(u32::from(c)) {
        return Some(byte);
    }
    Some(match c {
        '\u{20AC}' => 0x80,
        '\u{201A}' => 0x82,
        '\u{0192}' => 0x83,
        '\u{201E}' => 0x84,
        '\u{2026}' => 0x85,
        '\u{2020}' => 0x86,
        '\u{2021}' => 0x87,
        '\u{02C6}' => 0x88,
        '\u{2030}' => 0x89,
        '\u{0160}' => 0x8A,
        '\u{2039}' => 0x8B,
        '\u{0152}' => 0x8C,
        '\u{017D}' => 0x8E,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201C}' => 0x93,
        '\u{201D}' => 0x94,
        '\u{2022}' => 0x95,
        '\u{2013}' => 0x96,
        '\u{2014}' => 0x97,
        '\u{02DC}' => 0x98,
        '\u{2122}' => 0x99,
        '\u{0161}' => 0x9A,
        '\u{203A}' => 0x9B,
        '\u{0153}' => 0x9C,
        '\u{017E}' => 0x9E,
        '\u{0178}' => 0x9F,
        _ => return None,
    })
}

/// Whether every character could have come from a legacy font through Windows-1252.
fn all_cp1252(text: &str) -> bool {
    text.chars().all(|c| cp1252_byte(c).is_some())
}

/// TCVN3 text that was pasted into Unicode as Windows-1252 characters, decoded. Curly quotes,
/// dashes and the like stay punctuation, except right after a letter (or, for the closing
/// marks `” ’ …`, between two letters): there they are the capitals TCVN3 keeps in those
/// bytes (`C—NG` is `CỘNG`, `X‚` is `XÃ`).
fn decode_tcvn3_pasted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut chars = text.chars().peekable();
    let mut previous_letter = false;
    while let Some(c) = chars.next() {
        let byte = cp1252_byte(c);
        let closing = matches!(c, '\u{201D}' | '\u{2019}' | '\u{2026}');
        let letter_follows = chars.peek().is_some_and(|n| n.is_alphabetic());
        let keep =
            is_typographic_punctuation(c) && !(previous_letter && (letter_follows || !closing));
        match byte {
            Some(byte) if !keep => out.push(tcvn3_char(byte)),
            _ => out.push(c),
        }
        previous_letter = c.is_alphabetic();
    }
    out.nfc().collect()
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

/// How a candidate decoding reads, compared with the text it came from.
#[derive(Debug, Clone, Copy)]
struct Reading {
    /// Words the decoding changed.
    changed: usize,
    /// Of those, the ones that became valid Vietnamese syllables.
    valid: usize,
    /// Of those, the ones that were no Vietnamese syllable before and became a known one: the
    /// evidence for a decoding (a genuine syllable read as another one proves nothing).
    fixed: usize,
    /// Vietnameseness of the decoding, and of the original.
    score: i64,
    original_score: i64,
}

impl Reading {
    fn of(original: &str, converted: &str) -> Reading {
        let mut reading = Reading {
            changed: 0,
            valid: 0,
            fixed: 0,
            score: 0,
            original_score: 0,
        };
        let mut before = judge_words(original);
        let mut after = judge_words(converted);
        loop {
            match (before.next(), after.next()) {
                (None, None) => break,
                (Some(b), Some(a)) => {
                    if a != b {
                        reading.changed += 1;
                        if !has_foreign_characters(a) && is_written_syllable(a) {
                            reading.valid += 1;
                            // One character alone (`«`, `Ø`) is a symbol as often as a word.
                            if (has_foreign_characters(b) || !is_written_syllable(b))
                                && b.chars().nth(1).is_some()
                                && is_known_syllable(a)
                            {
                                reading.fixed += 1;
                            }
                        }
                    }
                }
                // A decoding that merges or splits words is no reading of the same text.
                _ => {
                    reading.changed = 0;
                    return reading;
                }
            }
        }
        reading.score = vietnameseness(converted).score();
        reading.original_score = vietnameseness(original).score();
        reading
    }

    /// Most of the words it changes become Vietnamese, and the text reads more Vietnamese.
    fn convincing(&self) -> bool {
        self.changed > 0 && self.valid * 5 >= self.changed * 4 && self.score > self.original_score
    }

    /// Orders convincing readings: the larger share of valid syllables among the changed words
    /// first (a decoding that makes no impossible syllable beats one that makes some), then
    /// the more Vietnamese text.
    fn rank(&self) -> (usize, i64) {
        (self.valid * 1000 / self.changed.max(1), self.score)
    }
}

/// A run of text a legacy font could have produced, with whether Unicode words stand right
/// before or after it on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    start: usize,
    end: usize,
    unicode_before: bool,
    unicode_after: bool,
}

/// Byte ranges of the words (whitespace-separated) of a text.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// A word without the punctuation around it, as the judge reads it.
fn word_core(word: &str) -> &str {
    word.trim_matches(|c: char| c.is_ascii_punctuation() || is_typographic_punctuation(c))
}

/// Whether a word already reads as Vietnamese (or is a plain ASCII word).
fn reads_vietnamese(word: &str) -> bool {
    let core = word_core(word);
    core.is_empty()
        || core.is_ascii()
        || (!has_foreign_characters(core) && is_written_syllable(core))
}

/// Whether decoding a word that reads as Vietnamese would spoil it: the result reads as none,
/// or the word is a known syllable and the result is not (`nhân` read as TCVN3 is `nhõn`).
fn spoils(original: &str, converted: &str) -> bool {
    reads_vietnamese(original)
        && (!reads_vietnamese(converted)
            || (is_known_syllable(word_core(original)) && !is_known_syllable(word_core(converted))))
}

/// One candidate reading of a run: each word decoded, and the part of the run judged.
struct Candidate {
    encoding: SourceEncoding,
    words: Vec<String>,
    /// Words `from..to` are judged and converted; those outside are left as they are.
    from: usize,
    to: usize,
}

impl Candidate {
    fn new(text: &str, spans: &[(usize, usize)], encoding: SourceEncoding, run: Run) -> Candidate {
        let words: Vec<String> = spans
            .iter()
            .map(|&(s, e)| decode_pasted(&text[s..e], encoding))
            .collect();
        // At an edge, words that read as Vietnamese and that the decoding would spoil are
        // Unicode text next to the legacy text (a label such as "Báo cáo:"); next to Unicode
        // words on the same line, every word that already reads as Vietnamese is.
        let belongs_to_unicode = |i: usize, unicode_side: bool| {
            let original = &text[spans[i].0..spans[i].1];
            reads_vietnamese(original) && (unicode_side || spoils(original, &words[i]))
        };
        let (mut from, mut to) = (0, spans.len());
        while from < to && belongs_to_unicode(from, run.unicode_before) {
            from += 1;
        }
        while to > from && belongs_to_unicode(to - 1, run.unicode_after) {
            to -= 1;
        }
        Candidate {
            encoding,
            words,
            from,
            to,
        }
    }

    /// The judged part of the run, as it is and as decoded.
    fn judged<'t>(&self, text: &'t str, spans: &[(usize, usize)]) -> (&'t str, String) {
        if self.from >= self.to {
            return ("", String::new());
        }
        let (start, end) = (spans[self.from].0, spans[self.to - 1].1);
        let mut decoded = String::with_capacity(end - start + 16);
        for i in self.from..self.to {
            if i > self.from {
                decoded.push_str(&text[spans[i - 1].1..spans[i].0]);
            }
            decoded.push_str(&self.words[i]);
        }
        (&text[start..end], decoded)
    }

    /// The run converted: judged words decoded, except those the decoding would spoil;
    /// everything else as it was.
    fn apply(&self, text: &str, spans: &[(usize, usize)], out: &mut String) {
        let mut copied = spans.first().map_or(0, |s| s.0);
        let judged = spans[self.from..self.to]
            .iter()
            .zip(&self.words[self.from..self.to]);
        for (&(s, e), word) in judged {
            if spoils(&text[s..e], word) {
                continue;
            }
            out.push_str(&text[copied..s]);
            out.push_str(word);
            copied = e;
        }
        out.push_str(&text[copied..spans.last().map_or(copied, |s| s.1)]);
    }
}

fn decode_pasted(word: &str, encoding: SourceEncoding) -> String {
    match encoding {
        SourceEncoding::VniInUtf8 => decode_vni_chars(word),
        _ => decode_tcvn3_pasted(word),
    }
}

/// The best convincing candidate that turns at least `min_fixed` non-syllables into syllables;
/// the first one listed wins a tie.
fn best_convincing<const N: usize>(
    original: &str,
    candidates: [(String, SourceEncoding); N],
    min_fixed: usize,
) -> Option<(String, SourceEncoding)> {
    let mut best: Option<((usize, i64), (String, SourceEncoding))> = None;
    for (text, encoding) in candidates {
        let reading = Reading::of(original, &text);
        if !reading.convincing() || reading.fixed < min_fixed {
            continue;
        }
        if best.as_ref().is_none_or(|(rank, _)| reading.rank() > *rank) {
            best = Some((reading.rank(), (text, encoding)));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Converts one legacy run of `text` (TCVN3 or VNI pasted into UTF-8) when a decoding of it is
/// convincing with at least `min_fixed` words turned into Vietnamese; writes the run, converted
/// or not, to `out`.
fn convert_run(text: &str, run: Run, min_fixed: usize, out: &mut String) -> Option<SourceEncoding> {
    let piece = &text[run.start..run.end];
    let spans = word_spans(piece);
    let mut best: Option<((usize, i64), Candidate)> = None;
    for encoding in [SourceEncoding::Tcvn3InUtf8, SourceEncoding::VniInUtf8] {
        let candidate = Candidate::new(piece, &spans, encoding, run);
        let (original, decoded) = candidate.judged(piece, &spans);
        let reading = Reading::of(original, &decoded);
        if !reading.convincing() || reading.fixed < min_fixed {
            continue;
        }
        if best.as_ref().is_none_or(|(rank, _)| reading.rank() > *rank) {
            best = Some((reading.rank(), candidate));
        }
    }
    match best {
        Some((_, candidate)) => {
            candidate.apply(piece, &spans, out);
            Some(candidate.encoding)
        }
        None => {
            out.push_str(piece);
            None
        }
    }
}

/// Repairs legacy text inside valid UTF-8: TCVN3 or VNI mojibake, or VIQR.
///
/// A text wholly in a legacy font is judged as one; otherwise each run of words that a legacy
/// font could have produced (consecutive words of one line made only of Windows-1252
/// characters, with symbols or letters Vietnamese never uses) is judged on its own, so a
/// paragraph pasted from a `.VnTime` template is converted and the Unicode text around it is
/// left alone. A run must turn at least two non-words into Vietnamese syllables: one word is
/// too little to go on. Words at a run's edge that already read as Vietnamese stay as they
/// are when they stand next to Unicode words or when the decoding would spoil them. The
/// encoding returned is the first one found.
///
/// ```
/// use nhip_text::{repair, SourceEncoding};
/// let (text, found) = repair("Céng hßa x· héi chñ nghÜa ViÖt Nam");
/// assert_eq!(text, "Cộng hòa xã hội chủ nghĩa Việt Nam");
/// assert_eq!(found, Some(SourceEncoding::Tcvn3InUtf8));
/// assert_eq!(repair("Xin chaøo caùc baïn").0, "Xin chào các bạn");
/// assert_eq!(repair("Vie^.t Nam").0, "Việt Nam");
/// assert_eq!(repair("Cộng hòa, café, naïve? Yes.").1, None);
/// // A legacy paragraph inside Unicode text.
/// assert_eq!(
///     repair("Báo cáo tuần.\nNh©n d©n ph¶n ¸nh t×nh tr¹ng s¹t lë ®Êt.\nĐề nghị kiểm tra.").0,
///     "Báo cáo tuần.\nNhân dân phản ánh tình trạng sạt lở đất.\nĐề nghị kiểm tra."
/// );
/// ```
pub fn repair(text: &str) -> (Cow<'_, str>, Option<SourceEncoding>) {
    if text.is_ascii() {
        let words = judge_words_raw(text).count();
        let inner = judge_words_raw(text)
            .filter(|w| has_inner_viqr_mark(w))
            .count();
        if inner >= 2 || (inner == 1 && words <= 4) {
            let converted = decode_viqr(text);
            if Reading::of(text, &converted).convincing() {
                return (Cow::Owned(converted), Some(SourceEncoding::Viqr));
            }
        }
        return (Cow::Borrowed(text), None);
    }
    if all_cp1252(text) {
        let whole = Run {
            start: 0,
            end: text.len(),
            unicode_before: false,
            unicode_after: false,
        };
        let mut out = String::with_capacity(text.len() + text.len() / 2);
        if let Some(encoding) = convert_run(text, whole, 1, &mut out) {
            return (Cow::Owned(out), Some(encoding));
        }
    }
    // Ordinary Unicode text has none of the symbols legacy text is full of: nothing to judge.
    if !has_legacy_evidence(text) {
        return (Cow::Borrowed(text), None);
    }
    match repair_runs(text) {
        Some((converted, encoding)) => (Cow::Owned(converted), Some(encoding)),
        None => (Cow::Borrowed(text), None),
    }
}

/// Words a run inside other text must turn into Vietnamese syllables before it is converted.
const MIN_RUN_FIXED_WORDS: usize = 2;

/// Converts each convincing legacy run of a text (see [`repair`]); `None` when none is.
fn repair_runs(text: &str) -> Option<(String, SourceEncoding)> {
    let mut out = String::new();
    let mut copied = 0;
    let mut found = None;
    let mut converted = String::new();
    for run in legacy_runs(text) {
        if !text[run.start..run.end].chars().any(is_legacy_evidence) {
            continue;
        }
        converted.clear();
        let Some(encoding) = convert_run(text, run, MIN_RUN_FIXED_WORDS, &mut converted) else {
            continue;
        };
        if out.is_empty() {
            out.reserve(text.len() + 16);
        }
        out.push_str(&text[copied..run.start]);
        out.push_str(&converted);
        copied = run.end;
        found.get_or_insert(encoding);
    }
    let encoding = found?;
    out.push_str(&text[copied..]);
    Some((out, encoding))
}

/// The runs a legacy font could have produced: consecutive words of one line made only of
/// Windows-1252 characters, at least one of them not ASCII.
fn legacy_runs(text: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    // The current run, and whether it has a non-ASCII character.
    let mut run: Option<(Run, bool)> = None;
    let mut word_start: Option<usize> = None;
    let (mut word_legacy, mut word_non_ascii) = (true, false);
    // Whether the line so far has a word that no legacy font could have produced.
    let mut unicode_on_line = false;
    let end = std::iter::once((text.len(), '\n'));
    for (i, c) in text.char_indices().chain(end) {
        if !c.is_whitespace() {
            word_start.get_or_insert(i);
            if !c.is_ascii() {
                word_non_ascii = true;
                word_legacy &= cp1252_byte(c).is_some();
            }
            continue;
        }
        if let Some(start) = word_start.take() {
            if word_legacy {
                match &mut run {
                    Some((r, non_ascii)) => {
                        r.end = i;
                        *non_ascii |= word_non_ascii;
                    }
                    None => {
                        let r = Run {
                            start,
                            end: i,
                            unicode_before: unicode_on_line,
                            unicode_after: false,
                        };
                        run = Some((r, word_non_ascii));
                    }
                }
            } else {
                unicode_on_line = true;
                if let Some((mut r, true)) = run.take() {
                    r.unicode_after = true;
                    runs.push(r);
                }
            }
        }
        if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
            if let Some((r, true)) = run.take() {
                runs.push(r);
            }
            unicode_on_line = false;
        }
        (word_legacy, word_non_ascii) = (true, false);
    }
    runs
}

/// Whether a character is one that Unicode Vietnamese never needs but that legacy text pasted
/// into Unicode is full of: a Latin-1 symbol (`© ¶ ¸ ×`) or a letter with a mark Vietnamese
/// does not use (`ß ñ ø ö`).
fn is_legacy_evidence(c: char) -> bool {
    let code = u32::from(c);
    (0x80..=0xFF).contains(&code)
        && code != 0xA0
        && !matches!(
            c.to_lowercase().next().unwrap_or(c),
            'à' | 'á'
                | 'â'
                | 'ã'
                | 'è'
                | 'é'
                | 'ê'
                | 'ì'
                | 'í'
                | 'ò'
                | 'ó'
                | 'ô'
                | 'õ'
                | 'ù'
                | 'ú'
                | 'ý'
        )
}

/// [`is_legacy_evidence`] for U+0080..U+00FF, indexed by the low six bits of the second UTF-8
/// byte, plus 64 when the first byte is 0xC3 (U+00C0..U+00FF) rather than 0xC2.
static EVIDENCE_BYTES: [bool; 128] = {
    let mut table = [false; 128];
    let mut i = 0;
    while i < 128 {
        let code = 0x80 + i as u32;
        // Lower case of the Latin-1 capitals (× at 0xD7 has none).
        let lower = if code >= 0xC0 && code <= 0xDE && code != 0xD7 {
            code + 0x20
        } else {
            code
        };
        let vietnamese = matches!(
            lower,
            0xE0 | 0xE1
                | 0xE2
                | 0xE3
                | 0xE8
                | 0xE9
                | 0xEA
                | 0xEC
                | 0xED
                | 0xF2
                | 0xF3
                | 0xF4
                | 0xF5
                | 0xF9
                | 0xFA
                | 0xFD
        );
        table[i] = code != 0xA0 && !vietnamese;
        i += 1;
    }
    table
};

/// Whether the text has a [legacy evidence](is_legacy_evidence) character: one pass over the
/// bytes, since U+0080..U+00FF are the two-byte sequences led by 0xC2 and 0xC3.
fn has_legacy_evidence(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        let lead = bytes[i];
        if lead & 0xFE == 0xC2 {
            if EVIDENCE_BYTES[(usize::from(lead & 1) << 6) | usize::from(bytes[i + 1] & 0x3F)] {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// A legacy Vietnamese font family, as a Word run or style names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyFont {
    /// `.VnTime`, `.VnArial`…: TCVN3 (ABC).
    Tcvn3,
    /// `.VnTimeH`, `.VnArialH`…: TCVN3 capitals; the font draws every letter upper case.
    Tcvn3Capitals,
    /// `VNI-Times`, `VNI-Helve`…
    Vni,
}

impl LegacyFont {
    /// The legacy family a font name belongs to; `None` for any other (Unicode) font.
    ///
    /// ```
    /// use nhip_text::LegacyFont;
    /// assert_eq!(LegacyFont::from_name(".VnTime"), Some(LegacyFont::Tcvn3));
    /// assert_eq!(LegacyFont::from_name(".VnArialH"), Some(LegacyFont::Tcvn3Capitals));
    /// assert_eq!(LegacyFont::from_name("VNI-Times"), Some(LegacyFont::Vni));
    /// assert_eq!(LegacyFont::from_name("Times New Roman"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<LegacyFont> {
        let name = name.trim();
        let lower = name.to_ascii_lowercase();
        if lower.starts_with(".vn") {
            Some(if name.ends_with('H') {
                LegacyFont::Tcvn3Capitals
            } else {
                LegacyFont::Tcvn3
            })
        } else if lower.starts_with("vni-") || lower.starts_with("vni ") {
            Some(LegacyFont::Vni)
        } else {
            None
        }
    }
}

/// Converts text typed with a known legacy font (a Word run in `.VnTime` or `VNI-Times`): the
/// font says how to read it, so short runs need no further evidence. Text with characters no
/// legacy font can hold (ạ, ư, đ…) was typed in Unicode and is left as it is, and so is text
/// whose conversion turns most of the words it changes into no Vietnamese syllable.
///
/// ```
/// use nhip_text::{repair_with_font, LegacyFont};
/// assert_eq!(repair_with_font("c¸c", LegacyFont::Tcvn3), "các");
/// assert_eq!(repair_with_font("ubnd tØnh", LegacyFont::Tcvn3Capitals), "UBND TỈNH");
/// assert_eq!(repair_with_font("Vieät Nam", LegacyFont::Vni), "Việt Nam");
/// assert_eq!(repair_with_font("Hà Nội", LegacyFont::Tcvn3), "Hà Nội");
/// ```
pub fn repair_with_font(text: &str, font: LegacyFont) -> Cow<'_, str> {
    if text.is_empty() || !all_cp1252(text) {
        return Cow::Borrowed(text);
    }
    let converted = match font {
        LegacyFont::Tcvn3 => decode_tcvn3_pasted(text),
        LegacyFont::Tcvn3Capitals => decode_tcvn3_pasted(text).to_uppercase(),
        LegacyFont::Vni => decode_vni_chars(text),
    };
    if converted == text {
        return Cow::Borrowed(text);
    }
    let reading = Reading::of(text, &converted);
    if reading.valid * 2 < reading.changed {
        return Cow::Borrowed(text);
    }
    Cow::Owned(converted)
}

/// Whitespace-separated words with outer brackets and quotes trimmed, VIQR marks kept.
fn judge_words_raw(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .map(|w| w.trim_start_matches(['(', '"', '\'', '[']))
        .map(|w| w.trim_end_matches([',', ';', ':', ')', '"', '!', ']']))
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
        let text = text.trim_start_matches('\u{FEFF}');
        // UTF-16 text can hold pasted legacy text as well.
        let text = repair(text).0.into_owned();
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
    // On a tie the more common encoding of government files wins.
    let candidates = [
        (decode_tcvn3(bytes), SourceEncoding::Tcvn3),
        (decode_vni_chars(&cp1252), SourceEncoding::Vni),
        (windows1258, SourceEncoding::Windows1258),
    ];
    best_convincing(&cp1252, candidates, 1).map(|(text, encoding)| Decoded {
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
    fn short_windows1258_is_not_read_as_tcvn3() {
        // 0xDE is Windows-1258's combining tilde; as TCVN3 it would give "nhuịng", which is
        // no syllable.
        let d = decode(b"Tham nhu\xdeng").unwrap();
        assert_eq!(
            (d.text.as_ref(), d.encoding),
            ("Tham nhũng", SourceEncoding::Windows1258)
        );
        let d = decode(b"Ha\xcc N\xf4\xf2i m\xfda l\xf5\xecn").unwrap();
        assert_eq!(
            (d.text.as_ref(), d.encoding),
            ("Hà Nội mưa lớn", SourceEncoding::Windows1258)
        );
    }

    #[test]
    fn a_reading_without_impossible_syllables_wins() {
        // Both readings are convincing (4 of 5 changed words valid is enough), but one of them
        // makes an impossible syllable: the other wins even though it is listed second.
        let original = "x1 x2 x3 x4 x5";
        let one_invalid = "tám mười lăm nhuịng bảy".to_string();
        let all_valid = "tám mười lăm nhũng bảy".to_string();
        let best = best_convincing(
            original,
            [
                (one_invalid, SourceEncoding::Tcvn3),
                (all_valid, SourceEncoding::Windows1258),
            ],
            1,
        );
        assert_eq!(best.unwrap().1, SourceEncoding::Windows1258);
    }

    #[test]
    fn legacy_runs_inside_unicode_text() {
        let text = "Tiêu đề: Nh©n d©n ph¶n ¸nh t×nh tr¹ng s¹t lë ®Êt\n\
                    Cà phê và các mặt hàng khác tăng giá.\n\
                    Ng\u{f6}\u{f4}\u{f8}i da\u{e2}n \u{f1}e\u{e0} ngh\u{f2} ho\u{e3} tr\u{f4}\u{ef}.";
        let (repaired, found) = repair(text);
        assert_eq!(
            repaired,
            "Tiêu đề: Nhân dân phản ánh tình trạng sạt lở đất\n\
             Cà phê và các mặt hàng khác tăng giá.\n\
             Người dân đề nghị hỗ trợ."
        );
        assert_eq!(found, Some(SourceEncoding::Tcvn3InUtf8));
        // Legacy words that look like Unicode ones (`cã mét sè` is `có một số`) are converted
        // inside a legacy run; Unicode words at its edges stay.
        assert_eq!(
            repair("Cã mét sè ý kiÕn ph¶n ¸nh vÒ gi¸ ®iÖn.").0,
            "Có một số ý kiến phản ánh về giá điện."
        );
        assert_eq!(
            repair("Báo cáo: Nh©n d©n ph¶n ¸nh t×nh tr¹ng s¹t lë ®Êt").0,
            "Báo cáo: Nhân dân phản ánh tình trạng sạt lở đất"
        );
        assert_eq!(
            repair("Nhân dân t«n träng giúp đỡ nhau").0,
            "Nhân dân tôn trọng giúp đỡ nhau"
        );
        // A lone legacy-looking word is too little to go on.
        let lone = "Ông Müller đến Hà Nội hôm qua.";
        assert_eq!(repair(lone), (Cow::Borrowed(lone), None));
    }

    #[test]
    fn unicode_text_with_symbols_is_left_alone() {
        for text in [
            "“Ai là người chịu trách nhiệm?” – ông hỏi.",
            "Nhiệt độ 30°C, độ ẩm 80% © Báo Tỉnh Nhà ®",
            "Tiền vệ Hän và Göt ghi bàn cho đội khách.",
            "Giá 1.250.000 đồng × 3 = 3.750.000 đồng; ½ số hộ nhận hỗ trợ.",
            "Cầu thủ Muñoz (Tây Ban Nha) và Özil — hai ngôi sao.",
        ] {
            assert_eq!(repair(text), (Cow::Borrowed(text), None), "{text}");
        }
    }

    #[test]
    fn tcvn3_capitals_and_quotes() {
        // Capitals TCVN3 keeps in Windows-1252's punctuation bytes, and real quotes.
        assert_eq!(
            repair("C\u{2014}NG H\u{2019}A X\u{201a} H\u{2014}I").0,
            "CỘNG HÒA XÃ HỘI"
        );
        assert_eq!(
            repair("\u{201c}Nh©n d©n\u{201d} ph¶n ¸nh").0,
            "\u{201c}Nhân dân\u{201d} phản ánh"
        );
    }

    #[test]
    fn the_evidence_table_agrees_with_the_characters() {
        for code in 0x80..=0xFFu32 {
            let c = char::from_u32(code).unwrap();
            assert_eq!(
                has_legacy_evidence(&format!("ab{c}cd")),
                is_legacy_evidence(c),
                "{c:?}"
            );
        }
        assert!(!has_legacy_evidence("Cà phê và các món ăn"));
    }

    #[test]
    fn known_fonts() {
        assert_eq!(repair_with_font("Nh©n d©n", LegacyFont::Tcvn3), "Nhân dân");
        assert_eq!(
            repair_with_font("Ng\u{f6}\u{f4}\u{f8}i da\u{e2}n", LegacyFont::Vni),
            "Người dân"
        );
        // Typed in Unicode although the run names a legacy font.
        assert_eq!(
            repair_with_font("Người dân", LegacyFont::Tcvn3),
            "Người dân"
        );
        assert_eq!(
            repair_with_font("UBND TØNH GIA LAI", LegacyFont::Tcvn3Capitals),
            "UBND TỈNH GIA LAI"
        );
    }

    #[test]
    fn undecodable_bytes() {
        assert!(decode(b"\x81\x8d\x8f\x90 \x9d\x81\x8d").is_none());
    }
}
