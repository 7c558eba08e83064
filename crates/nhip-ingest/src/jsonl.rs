//! JSON Lines reader: one object per line with the fields `id, title, body, published_at,
//! source, kind, unit, url` (all optional but a title or body; other names through a
//! [`crate::ColumnMap`]). Other fields are ignored.

use crate::document::{DocKind, RawDocument};
use crate::record::{build, RecordValues};
use crate::reject::Reject;
use crate::{FileOutcome, IngestOptions};
use serde_json::Value;
use std::path::Path;

struct JsonRecord(serde_json::Map<String, Value>);

impl RecordValues for JsonRecord {
    fn value(&self, name: &str) -> Result<Option<String>, String> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => Err(format!(
                "field {name:?}: expected text or a number, found {other}"
            )),
        }
    }
}

/// Parses one line into a document.
pub fn parse_line(
    line: &str,
    origin: String,
    options: &IngestOptions,
) -> Result<RawDocument, String> {
    let object =
        match serde_json::from_str::<Value>(line).map_err(|e| format!("invalid JSON: {e}"))? {
            Value::Object(object) => object,
            other => {
                return Err(format!(
                    "expected a JSON object, found {}",
                    short(&other.to_string())
                ))
            }
        };
    build(&JsonRecord(object), origin, options, DocKind::Press)
}

/// Parses one line as read from the file (UTF-8 checked here), naming it `path:number`.
pub(crate) fn parse_bytes(
    line: &[u8],
    path: &Path,
    number: usize,
    options: &IngestOptions,
) -> Result<RawDocument, String> {
    let line = std::str::from_utf8(line)
        .map_err(|e| format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()))?;
    parse_line(line, format!("{}:{number}", path.display()), options)
}

fn short(text: &str) -> String {
    text.chars().take(40).collect()
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
        let parsed = parse_bytes(raw_line, path, line_number, options);
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
        assert!(out.rejects[2].reason.contains("field \"kind\""));
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
