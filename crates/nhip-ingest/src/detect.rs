//! Choosing a reader: by the file's first bytes where they are unambiguous (`%PDF-`, a ZIP
//! archive, an XML feed, an HTML page), else by extension; and the size cap on files that are
//! read whole.

use crate::dateline::{ContextKind, DateContext};
use crate::dates::vietnam_offset;
use crate::document::RawDocument;
use crate::reject::Reject;
use std::io::Read;
use std::path::Path;

/// Largest file read as one document or feed. Exports are not capped: JSON Lines is streamed
/// in blocks; CSV is read whole (one file at a time), so a very large CSV costs its size in memory.
/// A 100 MB "report" is an export or a mistake, not something to load into memory unasked.
pub const MAX_DOCUMENT_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// An input format nhip reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    JsonLines,
    Csv,
    Text,
    Docx,
    Pdf,
    Html,
    Feed,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::JsonLines => "jsonl",
            Format::Csv => "csv",
            Format::Text => "text",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Feed => "feed",
        }
    }

    /// Exports of many records (no size cap, no file-time year context).
    pub fn is_export(self) -> bool {
        matches!(self, Format::JsonLines | Format::Csv)
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// The format of a file from its first bytes and its extension.
pub(crate) fn detect(path: &Path, head: &[u8]) -> Result<Format, String> {
    let ext = extension(path);
    if head.starts_with(b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") {
        return match ext.as_str() {
            "docx" | "docm" | "" => Ok(Format::Docx),
            other => Err(format!(
                "a ZIP archive with extension .{other}: only Word .docx archives are read"
            )),
        };
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err("a legacy Word .doc (or other OLE) file: save it as .docx".into());
    }
    let sniff = String::from_utf8_lossy(&head[..head.len().min(1024)]).to_ascii_lowercase();
    let sniff = sniff.trim_start_matches('\u{feff}').trim_start();
    let looks_xml_feed = sniff.starts_with("<?xml")
        && (sniff.contains("<rss") || sniff.contains("<feed") || sniff.contains("<rdf:rdf"))
        || sniff.starts_with("<rss")
        || sniff.starts_with("<feed");
    let looks_html = sniff.starts_with("<!doctype html") || sniff.starts_with("<html");
    match ext.as_str() {
        "jsonl" | "ndjson" => Ok(Format::JsonLines),
        "csv" => Ok(Format::Csv),
        "txt" | "md" | "markdown" | "text" => Ok(Format::Text),
        "docx" => Err("not a DOCX: a .docx file must be a ZIP archive".into()),
        "pdf" => Err("not a PDF: the file does not start with %PDF-".into()),
        "html" | "htm" | "xhtml" => Ok(Format::Html),
        "rss" | "atom" => Ok(Format::Feed),
        "xml" if looks_xml_feed => Ok(Format::Feed),
        "xml" => Err("XML that is neither an RSS nor an Atom feed".into()),
        _ if looks_xml_feed => Ok(Format::Feed),
        _ if looks_html => Ok(Format::Html),
        "" => Err("no extension and no recognised content (expected .jsonl, .csv, .txt, .md, .docx, .pdf, .html, .rss/.atom/.xml)".into()),
        other => Err(format!(
            "unsupported format .{other}: expected .jsonl, .csv, .txt, .md, .docx, .pdf, .html, .rss/.atom/.xml"
        )),
    }
}

/// Detects a file's format from disk, and rejects whole-read files over the size cap.
pub fn detect_file(path: &Path) -> Result<Format, Reject> {
    let mut head = Vec::with_capacity(1024);
    let size = std::fs::File::open(path)
        .and_then(|file| {
            let size = file.metadata()?.len();
            file.take(1024).read_to_end(&mut head)?;
            Ok(size)
        })
        .map_err(|e| Reject::file(path, format!("cannot read file: {e}")))?;
    if size == 0 {
        return Err(Reject::file(path, "empty file"));
    }
    let format = detect(path, &head).map_err(|reason| Reject::file(path, reason))?;
    if !format.is_export() && size > MAX_DOCUMENT_FILE_BYTES {
        return Err(Reject::file(
            path,
            format!(
                "file of {:.1} MB is over the {} MB limit for one {} document (split it, or export it as JSON Lines or CSV)",
                size as f64 / 1e6,
                MAX_DOCUMENT_FILE_BYTES / (1024 * 1024),
                format.as_str()
            ),
        ));
    }
    Ok(format)
}

/// The file's modification day, as year context for datelines without a year.
pub(crate) fn add_file_date_context(path: &Path, documents: &mut [RawDocument]) {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let Some(modified) = modified else { return };
    let date = chrono::DateTime::<chrono::Utc>::from(modified)
        .with_timezone(&vietnam_offset())
        .date_naive();
    for doc in documents.iter_mut().filter(|d| d.date_context.is_none()) {
        doc.date_context = Some(DateContext {
            date,
            kind: ContextKind::File,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(name: &str, head: &[u8]) -> Result<Format, String> {
        detect(Path::new(name), head)
    }

    #[test]
    fn content_first_then_extension() {
        assert_eq!(detected("a.txt", b"%PDF-1.7\n"), Ok(Format::Pdf));
        assert_eq!(detected("bao-cao", b"PK\x03\x04rest"), Ok(Format::Docx));
        assert!(detected("a.xlsx", b"PK\x03\x04").is_err());
        assert!(detected("a.doc", b"\xD0\xCF\x11\xE0")
            .unwrap_err()
            .contains(".docx"));
        assert_eq!(detected("a.html", b"<p>x"), Ok(Format::Html));
        assert_eq!(
            detected("page", b"  <!DOCTYPE html><html>"),
            Ok(Format::Html)
        );
        assert_eq!(
            detected("feed.xml", b"<?xml version=\"1.0\"?><rss version=\"2.0\">"),
            Ok(Format::Feed)
        );
        assert_eq!(
            detected(
                "tin",
                b"<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
            ),
            Ok(Format::Feed)
        );
        assert!(detected("other.xml", b"<?xml version=\"1.0\"?><config/>").is_err());
        assert_eq!(detected("a.jsonl", b"{}"), Ok(Format::JsonLines));
        assert!(detected("a.docx", b"hello").unwrap_err().contains("ZIP"));
        assert!(detected("a.exe", b"MZ")
            .unwrap_err()
            .contains("unsupported"));
    }
}
