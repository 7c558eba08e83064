//! The fixed header of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP):
//!
//! ```text
//! UBND TỈNH GIA LAI               CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
//! SỞ NÔNG NGHIỆP                  Độc lập - Tự do - Hạnh phúc
//! Số: 123/SNN-KH                  Gia Lai, ngày 3 tháng 8 năm 2026
//! V/v báo cáo tình hình sạt lở đất
//! ```
//!
//! The issuing body (the capitals at the top left), the number line (`Số: …`), the date line
//! (`<place>, ngày 3 tháng 8 năm 2026`, also `ngày 03/8/2026`) and the subject (`V/v …`).
//! Text extracted from a PDF or a Word table may put the two columns on one line, so each item
//! is looked for near the top, at the start of a line or after a short prefix.
//!
//! ```
//! use nhip_ingest::official::OfficialHeader;
//! let text = "UBND TỈNH GIA LAI\nSố: 123/UBND-NL\nGia Lai, ngày 3 tháng 8 năm 2026\nV/v báo cáo tình hình sạt lở đất";
//! let header = OfficialHeader::read(text);
//! assert_eq!(header.number.as_deref(), Some("123/UBND-NL"));
//! assert_eq!(header.date.unwrap().to_string(), "2026-08-03");
//! assert_eq!(header.subject.as_deref(), Some("Báo cáo tình hình sạt lở đất"));
//! assert_eq!(header.issuer.as_deref(), Some("UBND TỈNH GIA LAI"));
//! ```

use chrono::NaiveDate;
use nhip_text::fold;
use regex::Regex;
use std::sync::LazyLock;

/// How far into a text the header is looked for (in bytes).
const HEADER_WINDOW: usize = 1_500;
/// Longest text before an item in its line or table cell.
const MAX_PREFIX_CHARS: usize = 120;
/// Lines of capitals joined into the issuing body (`ỦY BAN NHÂN DÂN` / `TỈNH GIA LAI`).
const MAX_ISSUER_LINES: usize = 3;

/// What the header of an administrative document states; every item is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficialHeader {
    /// The document's number and symbol (`123/UBND-NL`), spaces removed.
    pub number: Option<String>,
    /// The date of the document, from its date line.
    pub date: Option<NaiveDate>,
    /// The subject line without its `V/v` (`Về việc`), first letter in capitals.
    pub subject: Option<String>,
    /// The issuing body: the lines of capitals at the top, before the number or date line.
    pub issuer: Option<String>,
}

/// `, ngày 3 tháng 8 năm 2026` or `, ngày 03/8/2026` after the place name.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[ \t]*,[ \t]*(?i:ng[aà]y)[ \t]+(?:(\d{1,2})[ \t]+(?i:th[aá]ng)[ \t]+(\d{1,2})[ \t]+(?i:n[aă]m)[ \t]+(\d{4})|(\d{1,2})[ \t]*[/.\-][ \t]*(\d{1,2})[ \t]*[/.\-][ \t]*(\d{4}))(?-u:\b)",
    )
    .expect("date-line pattern compiles")
});

static NUMBER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)(?:^|\s)(?:Số|SỐ|So|SO)[ \t]*[:.]?[ \t]*(\d{1,6}[ \t]*/[ \t]*[\p{L}\d./\-]*\p{L}[\p{L}\d./\-]*)",
    )
    .expect("number-line pattern compiles")
});

static SUBJECT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(?:V/[vV]|v/v|(?i:về việc|ve viec))[ \t]*[:.]?[ \t]*(\S.*)$")
        .expect("subject-line pattern compiles")
});

fn window(text: &str) -> &str {
    if text.len() <= HEADER_WINDOW {
        return text;
    }
    let mut end = HEADER_WINDOW;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Words of a place name written in small letters (`Thành phố Hồ Chí Minh`, `thị xã An Khê`).
const PLACE_WORDS: &[&str] = &[
    "thanh", "pho", "thi", "xa", "tran", "huyen", "tinh", "quan", "phuong",
];

/// Whether the text before `at` in its line (or table cell) is other columns of the header
/// (the issuing body, the number line, the national motto) and, for a date line, the place
/// name: not a sentence that mentions a number or a date.
fn header_prefix(text: &str, at: usize, place: bool) -> bool {
    let start = text[..at].rfind(['\n', '\t']).map_or(0, |i| i + 1);
    let mut prefix = text[start..at].to_string();
    if prefix.chars().count() > MAX_PREFIX_CHARS {
        return false;
    }
    if place {
        if let Some(found) = NUMBER_LINE.find(&prefix) {
            prefix.replace_range(found.range(), " ");
        }
    }
    if let Some(motto) = motto_range(&prefix) {
        prefix.replace_range(motto, " ");
    }
    if place
        && !prefix
            .split_whitespace()
            .last()
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    {
        return false;
    }
    prefix.split_whitespace().all(|word| {
        word.chars().next().is_some_and(|c| !c.is_lowercase())
            || PLACE_WORDS.contains(&fold(word).as_ref())
    })
}

/// The first match of `pattern` in `text` that stands at the start of a line or cell, or
/// after other columns of the header (and, with `place`, after a place name).
fn first_in_header<'t>(
    pattern: &Regex,
    text: &'t str,
    place: bool,
) -> Option<(usize, regex::Captures<'t>)> {
    pattern.captures_iter(text).find_map(|caps| {
        let whole = caps.get(0)?;
        let start = whole.start() + (whole.as_str().len() - whole.as_str().trim_start().len());
        let start = if place { whole.start() } else { start };
        header_prefix(text, start, place).then_some((start, caps))
    })
}

fn number(caps: &regex::Captures<'_>, group: usize) -> Option<u32> {
    caps.get(group)?.as_str().parse().ok()
}

fn date_of(caps: &regex::Captures<'_>) -> Option<NaiveDate> {
    let (day, month, year) = if caps.get(1).is_some() {
        (number(caps, 1)?, number(caps, 2)?, number(caps, 3)?)
    } else {
        (number(caps, 4)?, number(caps, 5)?, number(caps, 6)?)
    };
    let year = i32::try_from(year)
        .ok()
        .filter(|y| (1990..=2100).contains(y))?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Byte range of the national motto in a line (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`, `Độc lập
/// - Tự do - Hạnh phúc`, or both), which two-column extractions put beside the issuing body.
fn motto_range(line: &str) -> Option<std::ops::Range<usize>> {
    let folded = fold(line);
    // Folding keeps one character per Vietnamese letter: positions map back by counting.
    let byte_of = |folded_at: usize| {
        let chars = folded[..folded_at].chars().count();
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(i, _)| i)
    };
    let start = ["cong hoa xa hoi", "doc lap"]
        .iter()
        .filter_map(|m| folded.find(m))
        .min()?;
    let end = ["hanh phuc", "viet nam"]
        .iter()
        .filter_map(|m| folded[start..].find(m).map(|at| start + at + m.len()))
        .max()
        .unwrap_or(folded.len());
    Some(byte_of(start)..byte_of(end))
}

/// A line of an issuing body: letters all in capitals (`UBND TỈNH GIA LAI`, `SỞ NN&PTNT`).
fn is_capitals_line(line: &str) -> bool {
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && line.chars().all(|c| !c.is_lowercase())
}

/// The issuing body: the capitals lines from the top of `text` down to `end` (the number or
/// date line), the national motto cut away.
fn issuer(text: &str, end: usize) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in text[..end].lines() {
        let mut line = line.to_string();
        if let Some(motto) = motto_range(&line) {
            line.replace_range(motto, " ");
        }
        let line = line
            .trim()
            .trim_matches(['-', '_', '–', '—'])
            .trim()
            .to_string();
        if line.is_empty() || line.chars().all(|c| !c.is_alphanumeric()) {
            continue;
        }
        if !is_capitals_line(&line) {
            // The block must start the document: text above it means this is not its header.
            if lines.is_empty() {
                return None;
            }
            break;
        }
        lines.push(line);
        if lines.len() == MAX_ISSUER_LINES {
            break;
        }
    }
    (!lines.is_empty()).then(|| lines.join(" "))
}

/// The subject: the `V/v` line, with the next lines when they carry on in small letters (a
/// subject wrapped in a PDF).
fn subject(text: &str) -> Option<String> {
    let caps = SUBJECT_LINE.captures(text)?;
    let first = caps.get(1)?;
    let mut subject = first.as_str().trim().to_string();
    for line in text[first.end()..].lines().skip(1).take(2) {
        let line = line.trim();
        if !line.chars().next().is_some_and(char::is_lowercase) {
            break;
        }
        subject.push(' ');
        subject.push_str(line);
    }
    let subject = subject
        .split("Kính gửi")
        .next()
        .unwrap_or_default()
        .trim()
        .trim_end_matches(['.', ',', ';', ':'])
        .trim();
    let mut chars = subject.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

impl OfficialHeader {
    /// Reads the header of a document whose first line may have become its title.
    pub fn read_document(title: &str, body: &str) -> OfficialHeader {
        if title.is_empty() {
            return OfficialHeader::read(body);
        }
        let top = window(body);
        OfficialHeader::read(&format!("{title}\n{top}"))
    }

    /// Reads the header items from the top of a text (normalised Unicode).
    pub fn read(text: &str) -> OfficialHeader {
        let top = window(text);
        let number_line = first_in_header(&NUMBER_LINE, top, false);
        let date_line = first_in_header(&DATE_LINE, top, true);
        let number = number_line.as_ref().and_then(|(_, caps)| {
            let value: String = caps.get(1)?.as_str().split_whitespace().collect();
            Some(value.trim_end_matches(['.', '-', '/']).to_string())
        });
        let date = date_line.as_ref().and_then(|(_, caps)| date_of(caps));
        let header_end = match (&number_line, &date_line) {
            (Some((n, _)), Some((d, _))) => Some((*n).min(*d)),
            (Some((n, _)), None) => Some(*n),
            (None, Some((d, _))) => Some(*d),
            (None, None) => None,
        };
        OfficialHeader {
            number,
            date,
            subject: header_end.and_then(|_| subject(top)),
            issuer: header_end.and_then(|end| issuer(top, end)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn one_column_header() {
        let header = OfficialHeader::read(
            "ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\n-------\nSố: 45/2026/QĐ-UBND\n\n\
             CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\
             Gia Lai, ngày 03/8/2026\n\nQUYẾT ĐỊNH\nVề việc phê duyệt kế hoạch phòng,\n\
             chống thiên tai năm 2026\n\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        );
        assert_eq!(header.number.as_deref(), Some("45/2026/QĐ-UBND"));
        assert_eq!(header.date, ymd(2026, 8, 3));
        assert_eq!(
            header.issuer.as_deref(),
            Some("ỦY BAN NHÂN DÂN TỈNH GIA LAI")
        );
        assert_eq!(
            header.subject.as_deref(),
            Some("Phê duyệt kế hoạch phòng, chống thiên tai năm 2026")
        );
    }

    #[test]
    fn two_columns_on_one_line() {
        // As a PDF or a Word table gives it: both columns on each line.
        let header = OfficialHeader::read(
            "UBND TỈNH GIA LAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             SỞ NÔNG NGHIỆP Độc lập - Tự do - Hạnh phúc\n\
             Số: 123 /SNN-KH\tPleiku, ngày 3 tháng 8 năm 2026\n\
             V/v báo cáo tình hình sạt lở đất Kính gửi: UBND tỉnh",
        );
        assert_eq!(header.number.as_deref(), Some("123/SNN-KH"));
        assert_eq!(header.date, ymd(2026, 8, 3));
        assert_eq!(
            header.issuer.as_deref(),
            Some("UBND TỈNH GIA LAI SỞ NÔNG NGHIỆP")
        );
        assert_eq!(
            header.subject.as_deref(),
            Some("Báo cáo tình hình sạt lở đất")
        );
    }

    #[test]
    fn word_table_row() {
        // A DOCX header table: cells separated by tabs, a cell's paragraphs by spaces.
        let header = OfficialHeader::read(
            "UBND HUYỆN CHƯ SÊ PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG Số: 88/BC-TNMT\t\
             CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Chư Sê, ngày 14 tháng 7 năm 2026\n\
             BÁO CÁO",
        );
        assert_eq!(header.number.as_deref(), Some("88/BC-TNMT"));
        assert_eq!(header.date, ymd(2026, 7, 14));
        assert_eq!(
            header.issuer.as_deref(),
            Some("UBND HUYỆN CHƯ SÊ PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG")
        );
    }

    #[test]
    fn typed_without_diacritics() {
        let header = OfficialHeader::read(
            "UBND XA IA BANG\nSo: 12/BC-UBND\nChu Prong, ngay 5 thang 1 nam 2026",
        );
        assert_eq!(header.number.as_deref(), Some("12/BC-UBND"));
        assert_eq!(header.date, ymd(2026, 1, 5));
    }

    #[test]
    fn sentences_and_blank_templates_are_no_header() {
        // A date and a number mentioned in sentences.
        for sentence in [
            "Thực hiện Công văn số 12/UBND-NL của Ủy ban nhân dân tỉnh Gia Lai về việc báo cáo, ngày 5/3/2025 Sở đã họp.",
            "Thực hiện chỉ đạo của UBND, ngày 5/3/2025 Sở đã họp theo Công văn Số 7/UBND.",
        ] {
            assert_eq!(OfficialHeader::read(sentence), OfficialHeader::default());
        }
        // A template's blanks.
        let header = OfficialHeader::read("Số:      /UBND-NL\nGia Lai, ngày    tháng    năm 2026");
        assert_eq!(header, OfficialHeader::default());
        // Report text whose first line is not in capitals has no issuer.
        let header =
            OfficialHeader::read("Báo cáo tuần của xã\nSố: 7/BC-UBND\nGia Lai, ngày 9/3/2026");
        assert_eq!(header.issuer, None);
        assert_eq!(header.date, ymd(2026, 3, 9));
    }
}
