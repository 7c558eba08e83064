//! Plain-text and Markdown reports: one document per file, with optional metadata either as
//! front matter between `---` lines or as `key: value` lines at the top, ended by a blank line.
//!
//! Keys, in English or Vietnamese (any case, diacritics optional): `id`/`Mã`, `title`/`Tiêu
//! đề`, `date`/`published_at`/`Ngày`, `source`/`Nguồn`, `unit`/`Đơn vị`, `kind`/`Loại`
//! (`report`/`báo cáo`, `press`/`báo chí`), `url`/`Đường dẫn`. An administrative document's
//! header fills what is still missing: its subject line (`V/v …`) the title, its issuing body
//! the source. Without a title the first non-empty line is the title. Documents default to
//! kind `report`.

use crate::dates::parse_date;
use crate::document::{DocKind, RawDocument};
use crate::official::OfficialHeader;
use crate::reject::Reject;
use crate::{FileOutcome, IngestOptions};
use nhip_text::{fold, normalize};
use std::path::Path;

/// Header keys (folded: lower case, no diacritics) and the field each one sets.
const KEYS: &[(&str, &str)] = &[
    ("id", "id"),
    ("ma", "id"),
    ("title", "title"),
    ("tieu de", "title"),
    ("date", "date"),
    ("published_at", "date"),
    ("ngay", "date"),
    ("source", "source"),
    ("nguon", "source"),
    ("unit", "unit"),
    ("don vi", "unit"),
    ("kind", "kind"),
    ("loai", "kind"),
    ("url", "url"),
    ("duong dan", "url"),
];

/// A header line's field and value; the key as written is kept for messages.
fn header_line(line: &str) -> Option<(&'static str, &str, &str)> {
    let (key, value) = line.split_once(':')?;
    let written = key.trim();
    let folded: Vec<String> = written
        .split_whitespace()
        .map(|w| fold(w).into_owned())
        .collect();
    let folded = folded.join(" ");
    let field = KEYS.iter().find(|(k, _)| *k == folded)?.1;
    Some((field, written, value.trim()))
}

/// One header line: its number, the field it sets, the key as written, the value.
type HeaderLine<'t> = (usize, &'static str, &'t str, &'t str);

/// Splits a file into its header lines and body.
fn split_header(text: &str) -> (Vec<HeaderLine<'_>>, &str) {
    let mut pairs = Vec::new();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let front_matter = lines.first().is_some_and(|l| l.trim() == "---");
    let mut offset = 0;
    let mut start = 0;
    if front_matter {
        offset += lines[0].len();
        start = 1;
    }
    for (i, line) in lines.iter().enumerate().skip(start) {
        let trimmed = line.trim();
        if front_matter && trimmed == "---" {
            return (pairs, &text[offset + line.len()..]);
        }
        if !front_matter && trimmed.is_empty() {
            return (pairs, &text[offset..]);
        }
        match header_line(trimmed) {
            Some((field, key, value)) => pairs.push((i + 1, field, key, value)),
            // Front matter tolerates unknown keys; a bare text file has no header after all.
            None if front_matter => {}
            None => return (Vec::new(), text),
        }
        offset += line.len();
    }
    if front_matter {
        (Vec::new(), text)
    } else {
        (pairs, &text[offset..])
    }
}

/// Reads one text report.
pub fn read(path: &Path, bytes: &[u8], options: &IngestOptions) -> FileOutcome {
    FileOutcome::single(parse(path, bytes, options))
}

fn parse(path: &Path, bytes: &[u8], options: &IngestOptions) -> Result<RawDocument, Reject> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let decoded = nhip_text::decode(bytes);
    // UTF-16 has zero bytes too; only text that still holds NULs once decoded is binary.
    if bytes.contains(&0) && decoded.as_ref().is_none_or(|d| d.text.contains('\0')) {
        return Err(Reject::file(
            path,
            "binary content (NUL bytes) in a text file",
        ));
    }
    let decoded = decoded.ok_or_else(|| {
        let valid = std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        Reject::line(
            path,
            line,
            format!(
                "invalid UTF-8 at byte {valid}, and not a recognised Vietnamese legacy encoding"
            ),
        )
    })?;
    // Decoding repaired legacy text inside UTF-8 too.
    let text = decoded.text.replace("\r\n", "\n");
    from_text(path, &text, options, Properties::default())
}

/// Metadata a container format (DOCX properties, PDF info) gives before the text is read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Properties {
    pub title: Option<String>,
    /// When the file was made (a property, not a statement of the document's date).
    pub file_date: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// The outcome of a container format (DOCX, PDF) whose text and properties were extracted, or
/// which could not be read (the reason names what is wrong with the file).
pub(crate) fn read_extracted(
    path: &Path,
    options: &IngestOptions,
    extracted: Result<(String, Properties), String>,
) -> FileOutcome {
    FileOutcome::single(
        extracted
            .map_err(|reason| Reject::file(path, reason))
            .and_then(|(text, properties)| from_text(path, &text, options, properties)),
    )
}

/// A report from its extracted text (legacy text already repaired): header or front matter,
/// then body; the header's values win over the container's properties, and an administrative
/// document's subject and issuing body fill a missing title and source.
pub(crate) fn from_text(
    path: &Path,
    text: &str,
    options: &IngestOptions,
    properties: Properties,
) -> Result<RawDocument, Reject> {
    let (header, body) = split_header(text);
    let mut doc = RawDocument {
        id: None,
        title: properties
            .title
            .map(|t| normalize(t.trim()).into_owned())
            .unwrap_or_default(),
        body: String::new(),
        published_at: None,
        file_date: properties.file_date,
        reference: None,
        source: options.default_source.clone().unwrap_or_default(),
        kind: options.default_kind.unwrap_or(DocKind::Report),
        unit: None,
        url: None,
        origin: path.display().to_string(),
        author: None,
        date_context: None,
    };
    for (line, field, key, value) in header {
        let value = normalize(value).into_owned();
        if value.is_empty() {
            continue;
        }
        match field {
            "id" => doc.id = Some(value),
            "title" => doc.title = value,
            "date" => {
                doc.published_at = Some(parse_date(&value).ok_or_else(|| {
                    Reject::line(path, line, format!("field {key}: cannot read {value:?} as a date (expected 2026-01-21, 21/01/2026 or RFC 3339)"))
                })?)
            }
            "source" => doc.source = value,
            "unit" => doc.unit = Some(value),
            "kind" => {
                doc.kind = DocKind::parse(&value).ok_or_else(|| {
                    Reject::line(path, line, format!("field {key}: expected \"report\" (báo cáo) or \"press\" (báo chí), found {value:?}"))
                })?
            }
            "url" => doc.url = Some(value),
            _ => {}
        }
    }
    let body = normalize(body.trim()).into_owned();
    if doc.title.is_empty() || doc.source.is_empty() {
        let official = OfficialHeader::read(&body);
        if doc.title.is_empty() {
            doc.title = official.subject.unwrap_or_default();
        }
        if doc.source.is_empty() {
            doc.source = official.issuer.unwrap_or_default();
        }
    }
    if doc.title.is_empty() {
        let (first, rest) = body.split_once('\n').unwrap_or((&body, ""));
        doc.title = first.trim().trim_start_matches('#').trim().to_string();
        doc.body = rest.trim().to_string();
    } else {
        doc.body = body;
    }
    if doc.title.is_empty() && doc.body.is_empty() {
        return Err(Reject::file(path, "empty file: no text"));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<RawDocument, Reject> {
        parse(
            Path::new("r.txt"),
            text.as_bytes(),
            &IngestOptions::default(),
        )
    }

    #[test]
    fn header_lines() {
        // A later key wins over an earlier one.
        let doc = parse_str(
            "Tiêu đề: x\ntitle: Báo cáo tuần\ndate: 2026-03-02\nunit: Xã A\n\nNội dung.\n",
        );
        assert_eq!(doc.unwrap().title, "Báo cáo tuần");
        let doc =
            parse_str("title: Báo cáo tuần\ndate: 2026-03-02\nunit: Xã A\n\nNội dung.\nDòng hai.")
                .unwrap();
        assert_eq!(doc.title, "Báo cáo tuần");
        assert_eq!(doc.body, "Nội dung.\nDòng hai.");
        assert_eq!(doc.unit.as_deref(), Some("Xã A"));
        assert_eq!(
            doc.published_at.unwrap().to_rfc3339(),
            "2026-03-02T00:00:00+07:00"
        );
    }

    #[test]
    fn vietnamese_header_keys_with_and_without_diacritics() {
        for header in [
            "Tiêu đề: Báo cáo tuần 10\nNgày: 06/03/2026\nĐơn vị: Phường B\nNguồn: Cộng tác viên\nLoại: báo chí\nMã: bc-10\nĐường dẫn: https://tinh.example.vn/bc-10\n",
            "TIEU DE: Báo cáo tuần 10\nngay: 06/03/2026\ndon vi: Phường B\nnguon: Cộng tác viên\nloai: Bao Chi\nma: bc-10\nduong dan: https://tinh.example.vn/bc-10\n",
        ] {
            let doc = parse_str(&format!("{header}\nNgười dân bàn về giá điện.")).unwrap();
            assert_eq!(doc.title, "Báo cáo tuần 10");
            assert_eq!(
                doc.published_at.unwrap().to_rfc3339(),
                "2026-03-06T00:00:00+07:00"
            );
            assert_eq!(doc.unit.as_deref(), Some("Phường B"));
            assert_eq!(doc.source, "Cộng tác viên");
            assert_eq!(doc.kind, DocKind::Press);
            assert_eq!(doc.id.as_deref(), Some("bc-10"));
            assert_eq!(doc.url.as_deref(), Some("https://tinh.example.vn/bc-10"));
            assert_eq!(doc.body, "Người dân bàn về giá điện.");
        }
        // A bad value names the key as written.
        let err = parse_str("Ngày: hôm qua\n\nx").unwrap_err();
        assert!(err.reason.contains("field Ngày"), "{err}");
        let err = parse_str("Loại: thư\n\nx").unwrap_err();
        assert!(err.reason.contains("báo cáo"), "{err}");
    }

    #[test]
    fn official_letter_fills_title_and_source() {
        let doc = parse_str(
            "UBND TỈNH GIA LAI\nSố: 123/UBND-NL\nGia Lai, ngày 3 tháng 8 năm 2026\n\
             V/v báo cáo tình hình sạt lở đất\n\nKính gửi: Các sở, ngành.",
        )
        .unwrap();
        assert_eq!(doc.title, "Báo cáo tình hình sạt lở đất");
        assert_eq!(doc.source, "UBND TỈNH GIA LAI");
        assert!(doc.body.starts_with("UBND TỈNH GIA LAI\nSố: 123/UBND-NL"));
        let doc = doc.finish();
        assert_eq!(doc.reference.as_deref(), Some("123/UBND-NL"));
        assert_eq!(doc.date_source, crate::DateSource::TextOfficial);
        assert_eq!(
            doc.published_at.unwrap().to_rfc3339(),
            "2026-08-03T00:00:00+07:00"
        );
        // Without a header and without an issuing body, a report has no source.
        let doc = parse_str("Tình hình tuần qua\n\nỔn định.").unwrap();
        assert_eq!(doc.source, "");
    }

    #[test]
    fn a_legacy_paragraph_in_a_utf8_report() {
        let doc = parse_str(
            "title: Báo cáo tuần\n\nTình hình chung ổn định.\n\
             Nh©n d©n ph¶n ¸nh t×nh tr¹ng s¹t lë ®Êt ë th«n 3.\n\
             Đề nghị các ngành kiểm tra.",
        )
        .unwrap();
        assert_eq!(
            doc.body,
            "Tình hình chung ổn định.\nNhân dân phản ánh tình trạng sạt lở đất ở thôn 3.\nĐề nghị các ngành kiểm tra."
        );
    }

    #[test]
    fn front_matter_and_plain() {
        let doc = parse_str("---\ntitle: A\nauthor: someone\nkind: press\n---\nBody").unwrap();
        assert_eq!(
            (doc.title.as_str(), doc.body.as_str(), doc.kind),
            ("A", "Body", DocKind::Press)
        );
        let doc = parse_str("# Tình hình\n\nNgười dân quan tâm.").unwrap();
        assert_eq!(
            (doc.title.as_str(), doc.body.as_str()),
            ("Tình hình", "Người dân quan tâm.")
        );
        assert!(doc.published_at.is_none());
    }

    #[test]
    fn legacy_encodings_are_converted() {
        let doc = parse(
            Path::new("r.txt"),
            b"title: B\xb8o c\xb8o t\xd7nh h\xd7nh\n\nN\xabng d\xa9n",
            &IngestOptions::default(),
        )
        .unwrap();
        assert_eq!(doc.title, "Báo cáo tình hình");
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            "title: Hà Nội\n\nMưa lớn"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let doc = parse(Path::new("r.txt"), &utf16, &IngestOptions::default()).unwrap();
        assert_eq!(
            (doc.title.as_str(), doc.body.as_str()),
            ("Hà Nội", "Mưa lớn")
        );
    }

    #[test]
    fn bad_files() {
        let err = parse_str("title: A\ndate: 31/02/2026\n\nx").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.reason.contains("field date"));
        assert!(parse(
            Path::new("b.txt"),
            b"\x00\x01bin",
            &IngestOptions::default()
        )
        .is_err());
        assert!(parse_str("  \n ").unwrap_err().reason.contains("empty"));
    }
}
