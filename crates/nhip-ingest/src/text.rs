//! Plain-text and Markdown reports: one document per file, with optional metadata either as
//! front matter between `---` lines or as `key: value` lines at the top, ended by a blank line.
//!
//! Keys: `id`, `title`, `date` (or `published_at`), `source`, `unit`, `kind`, `url`. Without a
//! title the first non-empty line is the title. Documents default to kind `report`.

use crate::dates::parse_date;
use crate::document::{DocKind, RawDocument};
use crate::reject::Reject;
use crate::{FileOutcome, IngestOptions};
use nhip_text::{fold, normalize};
use std::path::Path;

const KEYS: &[&str] = &[
    "id",
    "title",
    "date",
    "published_at",
    "source",
    "unit",
    "kind",
    "url",
];

fn header_line(line: &str) -> Option<(String, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = fold(key.trim()).into_owned();
    KEYS.contains(&key.as_str()).then_some((key, value.trim()))
}

/// Splits a file into its header pairs (with line numbers) and body.
fn split_header(text: &str) -> (Vec<(usize, String, &str)>, &str) {
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
            Some((key, value)) => pairs.push((i + 1, key, value)),
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
    let text = decoded.text.replace("\r\n", "\n");
    from_text(path, &text, options, Properties::default())
}

/// Metadata a container format (DOCX properties, PDF info) gives before the text is read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Properties {
    pub title: Option<String>,
    pub published_at: Option<chrono::DateTime<chrono::FixedOffset>>,
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

/// A report from its extracted text: header or front matter, then body; the header's values win
/// over the container's properties.
pub(crate) fn from_text(
    path: &Path,
    text: &str,
    options: &IngestOptions,
    properties: Properties,
) -> Result<RawDocument, Reject> {
    // Word files typed with legacy fonts (.VnTime, VNI-Times) carry TCVN3/VNI text inside
    // valid UTF-8: repaired here, judged like every legacy encoding.
    let repaired = nhip_text::repair(text).0;
    let (header, body) = split_header(&repaired);
    let mut doc = RawDocument {
        id: None,
        title: properties
            .title
            .map(|t| normalize(t.trim()).into_owned())
            .unwrap_or_default(),
        body: String::new(),
        published_at: properties.published_at,
        source: options
            .default_source
            .clone()
            .unwrap_or_else(|| "report".into()),
        kind: options.default_kind.unwrap_or(DocKind::Report),
        unit: None,
        url: None,
        origin: path.display().to_string(),
        author: None,
        date_context: None,
    };
    for (line, key, value) in header {
        let value = normalize(value).into_owned();
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            "id" => doc.id = Some(value),
            "title" => doc.title = value,
            "date" | "published_at" => {
                doc.published_at = Some(parse_date(&value).ok_or_else(|| {
                    Reject::line(path, line, format!("field {key}: cannot read {value:?} as a date (expected 2026-01-21, 21/01/2026 or RFC 3339)"))
                })?)
            }
            "source" => doc.source = value,
            "unit" => doc.unit = Some(value),
            "kind" => {
                doc.kind = DocKind::parse(&value).ok_or_else(|| {
                    Reject::line(path, line, format!("field kind: expected \"report\" or \"press\", found {value:?}"))
                })?
            }
            "url" => doc.url = Some(value),
            _ => {}
        }
    }
    let body = normalize(body.trim()).into_owned();
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
        let doc = parse_str(
            "Tiêu đề: x\ntitle: Báo cáo tuần\ndate: 2026-03-02\nunit: Xã A\n\nNội dung.\n",
        );
        // "Tiêu đề" is not a key, so the whole file is body.
        assert_eq!(doc.unwrap().title, "Tiêu đề: x");
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
