//! JSON Lines reader: one object per line with the fields `id, title, body, published_at,
//! source, kind, unit, url` (all optional but a title or body). Other fields are ignored.

use crate::dates::parse_date;
use crate::document::{DocKind, RawDocument};
use crate::reject::Reject;
use crate::{FileOutcome, IngestOptions};
use nhip_text::normalize;
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;

#[derive(Deserialize)]
struct Record {
    id: Option<Value>,
    title: Option<String>,
    body: Option<String>,
    published_at: Option<String>,
    source: Option<String>,
    kind: Option<String>,
    unit: Option<String>,
    url: Option<String>,
}

/// Trimmed, legacy text repaired (TCVN3/VNI pasted into UTF-8, VIQR), normalised; `None` if empty.
fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| normalize(&nhip_text::repair(v.trim()).0).into_owned())
        .filter(|v| !v.is_empty())
}

fn record_id(id: Option<Value>) -> Result<Option<String>, String> {
    match id {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(format!(
            "field id: expected a string or number, found {other}"
        )),
    }
}

/// Parses one line into a document.
pub fn parse_line(
    line: &str,
    origin: String,
    options: &IngestOptions,
) -> Result<RawDocument, String> {
    let record: Record = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let id = record_id(record.id)?;
    let title = non_empty(record.title).unwrap_or_default();
    let body = non_empty(record.body).unwrap_or_default();
    if title.is_empty() && body.is_empty() {
        return Err("no text: both title and body are empty or missing".into());
    }
    let published_at = match record.published_at.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(value) => Some(parse_date(value).ok_or_else(|| {
            format!("field published_at: cannot read {value:?} as a date (expected RFC 3339 such as 2026-01-21T08:30:00+07:00)")
        })?),
    };
    let kind = match record.kind.as_deref() {
        None => DocKind::Press,
        Some(value) => DocKind::parse(value).ok_or_else(|| {
            format!("field kind: expected \"report\" or \"press\", found {value:?}")
        })?,
    };
    let source = non_empty(record.source)
        .or_else(|| options.default_source.clone())
        .unwrap_or_else(|| "unknown".to_string());
    Ok(RawDocument {
        id,
        title,
        body,
        published_at,
        source,
        kind,
        unit: non_empty(record.unit),
        url: non_empty(record.url),
        origin,
    })
}

/// Reads a JSON Lines file; each bad line becomes a reject with its line number.
pub fn read(path: &Path, bytes: &[u8], options: &IngestOptions) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for (index, raw_line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_number = index + 1;
        let raw_line = raw_line.strip_suffix(b"\r").unwrap_or(raw_line);
        if raw_line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        outcome.records += 1;
        let parsed = std::str::from_utf8(raw_line)
            .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))
            .and_then(|line| {
                parse_line(line, format!("{}:{line_number}", path.display()), options)
            });
        match parsed {
            Ok(doc) => outcome.documents.push(doc),
            Err(reason) => outcome
                .rejects
                .push(Reject::line(path, line_number, reason)),
        }
    }
    if outcome.records == 0 {
        outcome.records = 1;
        outcome.rejects.push(Reject::file(path, "empty file"));
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &[u8]) -> FileOutcome {
        read(Path::new("in.jsonl"), text, &IngestOptions::default())
    }

    #[test]
    fn good_and_bad_lines() {
        let out = read_str(
            "{\"title\":\"A\",\"body\":\"b\",\"kind\":\"report\",\"id\":7}\n\
             {\"title\":\"A\",\"published_at\":\"hôm qua\"}\n\
             \n\
             {\"title\":\"\",\"body\":\"  \"}\n\
             {\"title\":\"x\",\"kind\":\"blog\"}\n\
             {\"title\": \"cut"
                .as_bytes(),
        );
        assert_eq!(out.records, 5);
        assert_eq!(out.documents.len(), 1);
        assert_eq!(out.documents[0].id.as_deref(), Some("7"));
        assert_eq!(out.documents[0].kind, DocKind::Report);
        let lines: Vec<_> = out.rejects.iter().map(|r| r.line.unwrap()).collect();
        assert_eq!(lines, [2, 4, 5, 6]);
        assert!(out.rejects[0].reason.contains("published_at"));
        assert!(out.rejects[2].reason.contains("field kind"));
        assert!(out.rejects[3].reason.contains("invalid JSON"));
    }

    #[test]
    fn invalid_utf8_and_empty() {
        let out = read_str(b"{\"title\":\"\xff\"}\n");
        assert!(out.rejects[0].reason.contains("invalid UTF-8"));
        let out = read_str(b"");
        assert_eq!(out.rejects[0].reason, "empty file");
    }

    #[test]
    fn pasted_legacy_text_is_repaired() {
        let out = read_str("{\"title\":\"Céng hßa x· héi chñ nghÜa ViÖt Nam\"}".as_bytes());
        assert_eq!(out.documents[0].title, "Cộng hòa xã hội chủ nghĩa Việt Nam");
    }

    #[test]
    fn text_is_normalised() {
        let out =
            read_str("{\"title\":\"Thuỷ lợi\",\"body\":\"Nghe\u{302}\u{323} An\"}".as_bytes());
        assert_eq!(out.documents[0].title, "Thủy lợi");
        assert_eq!(out.documents[0].body, "Nghệ An");
    }
}
