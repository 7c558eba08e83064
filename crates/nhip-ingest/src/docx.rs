//! Word (DOCX) reports: the body text in reading order, tables row by row, title and creation
//! date from the document properties (`docProps/core.xml`), then the same header rules as a
//! plain-text report (a `title:`/`date:`/`unit:` block at the top wins over the properties).
//!
//! A DOCX is a ZIP archive, so every part is read through a size cap: a part that would expand
//! past [`MAX_PART_BYTES`] (a zip bomb, or a report no one writes by hand) is rejected without
//! being inflated.

use crate::dates::parse_date;
use crate::text::{read_extracted, Properties};
use crate::{FileOutcome, IngestOptions};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::Read;
use std::path::Path;

/// Largest inflated size of one part of the archive.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Compression ratios above this are zip bombs, not documents (real XML compresses 5–20×).
const MAX_RATIO: u64 = 200;

/// Reads one DOCX file.
pub fn read(path: &Path, bytes: &[u8], options: &IngestOptions) -> FileOutcome {
    read_extracted(path, options, extract(bytes))
}

/// The text of `word/document.xml` and the document's properties.
fn extract(bytes: &[u8]) -> Result<(String, Properties), String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable DOCX (ZIP) archive: {e}"))?;
    let document = read_part(&mut archive, "word/document.xml")?
        .ok_or("DOCX without word/document.xml (not a Word document?)")?;
    let text = document_text(&document)?;
    let properties = match read_part(&mut archive, "docProps/core.xml")? {
        Some(core) => core_properties(&core),
        None => Properties::default(),
    };
    Ok((text, properties))
}

fn read_part(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, String> {
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("cannot open {name} in the DOCX: {e}")),
    };
    let declared = entry.size();
    let compressed = entry.compressed_size().max(1);
    if declared > MAX_PART_BYTES || (declared > 1024 * 1024 && declared / compressed > MAX_RATIO) {
        return Err(format!(
            "{name} would expand to {declared} bytes from {compressed} (zip bomb?); the limit is {MAX_PART_BYTES}"
        ));
    }
    // The declared size can lie: cap what is actually inflated.
    let mut data = Vec::with_capacity(declared.min(MAX_PART_BYTES) as usize);
    entry
        .take(MAX_PART_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|e| format!("cannot inflate {name} in the DOCX: {e}"))?;
    if data.len() as u64 > MAX_PART_BYTES {
        return Err(format!(
            "{name} expands past {MAX_PART_BYTES} bytes (zip bomb?)"
        ));
    }
    String::from_utf8(data)
        .map(Some)
        .map_err(|e| format!("{name} is not UTF-8 XML: {e}"))
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// Paragraphs as lines; in tables, cells separated by tabs and rows by lines.
fn document_text(xml: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut text = String::new();
    let mut in_text = false;
    let mut table_depth = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "word/document.xml is not valid XML at byte {}: {e}",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "tbl" => table_depth += 1,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => text.push('\t'),
                "br" | "cr" => text.push('\n'),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" if table_depth > 0 => text.push(' '),
                "p" => text.push('\n'),
                "tc" => {
                    let trimmed = text.trim_end_matches(' ').len();
                    text.truncate(trimmed);
                    text.push('\t');
                }
                "tr" => {
                    let trimmed = text.trim_end_matches(['\t', ' ']).len();
                    text.truncate(trimmed);
                    text.push('\n');
                }
                "tbl" => {
                    table_depth = table_depth.saturating_sub(1);
                    text.push('\n');
                }
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => entity(&r),
                };
                if let Some(c) = resolved {
                    text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(text)
}

/// `dc:title` and `dcterms:created` from `docProps/core.xml`; unreadable values are ignored,
/// since the text may still carry its own header.
fn core_properties(xml: &str) -> Properties {
    let mut reader = Reader::from_str(xml);
    let mut properties = Properties::default();
    let mut current: Option<String> = None;
    let mut value = String::new();
    let mut modified = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                current = Some(e.local_name().as_ref().to_string());
                value.clear();
            }
            Ok(Event::Text(t)) if current.is_some() => value.push_str(&t.xml10_content()),
            Ok(Event::End(_)) => {
                let trimmed = value.trim();
                match current.take().as_deref() {
                    Some("title") if !trimmed.is_empty() => {
                        properties.title = Some(trimmed.to_string())
                    }
                    Some("created") => properties.published_at = parse_date(trimmed),
                    Some("modified") => modified = parse_date(trimmed),
                    _ => {}
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    properties.published_at = properties.published_at.or(modified);
    properties
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// A DOCX with the given `word/document.xml` body and optional core properties.
    pub(crate) fn docx(body_xml: &str, core: Option<&str>) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
        zip.start_file("word/document.xml", options).unwrap();
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body_xml}</w:body></w:document>"#
        )
        .unwrap();
        if let Some(core) = core {
            zip.start_file("docProps/core.xml", options).unwrap();
            write!(zip, r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="c" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">{core}</cp:coreProperties>"#).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    pub(crate) fn paragraph(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn paragraphs_tables_and_entities_in_reading_order() {
        let body = format!(
            "{}<w:p><w:r><w:t>Ý kiến </w:t></w:r><w:r><w:t>người dân &amp; doanh nghiệp</w:t></w:r><w:r><w:tab/><w:t>tiếp</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}</w:tc><w:tc>{}{}</w:tc></w:tr></w:tbl>{}",
            paragraph("Báo cáo tuần"),
            paragraph("Vấn đề"),
            paragraph("Số ý kiến"),
            paragraph("Giá điện"),
            paragraph("12"),
            paragraph("(tăng)"),
            paragraph("Kết thúc.")
        );
        let (text, _) = extract(&docx(&body, None)).unwrap();
        assert_eq!(
            text,
            "Báo cáo tuần\nÝ kiến người dân & doanh nghiệp\ttiếp\nVấn đề\tSố ý kiến\nGiá điện\t12 (tăng)\n\nKết thúc.\n"
        );
    }

    #[test]
    fn properties_give_title_and_date() {
        let bytes = docx(
            &paragraph("Tình hình tuần qua ổn định."),
            Some("<dc:title>Báo cáo xã A</dc:title><dcterms:created>2026-03-02T01:00:00Z</dcterms:created>"),
        );
        let outcome = read(Path::new("a.docx"), &bytes, &IngestOptions::default());
        let doc = &outcome.documents[0];
        assert_eq!(doc.title, "Báo cáo xã A");
        assert_eq!(doc.body, "Tình hình tuần qua ổn định.");
        assert_eq!(
            doc.published_at.unwrap().to_rfc3339(),
            "2026-03-02T01:00:00+00:00"
        );
    }

    #[test]
    fn header_in_the_text_wins_over_properties() {
        let body = [
            paragraph("title: Báo cáo tuần 10"),
            paragraph("date: 2026-03-06"),
            paragraph("unit: Phường B"),
            paragraph(""),
            paragraph("Người dân bàn về giá điện."),
        ]
        .concat();
        let bytes = docx(&body, Some("<dc:title>Mẫu báo cáo</dc:title><dcterms:created>2019-01-01T00:00:00Z</dcterms:created>"));
        let outcome = read(Path::new("a.docx"), &bytes, &IngestOptions::default());
        let doc = &outcome.documents[0];
        assert_eq!(doc.title, "Báo cáo tuần 10");
        assert_eq!(doc.unit.as_deref(), Some("Phường B"));
        assert_eq!(
            doc.published_at.unwrap().date_naive().to_string(),
            "2026-03-06"
        );
    }

    #[test]
    fn legacy_font_text_is_repaired() {
        // A report typed in .VnTime (TCVN3): the XML is UTF-8, the letters are TCVN3 codes.
        let bytes = docx(&paragraph("Céng hßa x· héi chñ nghÜa ViÖt Nam"), None);
        let outcome = read(Path::new("cu.docx"), &bytes, &IngestOptions::default());
        assert_eq!(
            outcome.documents[0].title,
            "Cộng hòa xã hội chủ nghĩa Việt Nam"
        );
    }

    #[test]
    fn zip_bomb_is_rejected_without_inflating() {
        // 200 MB of zeros deflate to about 200 KB.
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file("word/document.xml", options).unwrap();
        let zeros = vec![b' '; 1024 * 1024];
        for _ in 0..200 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
        let outcome = read(
            Path::new("bomb.docx"),
            &out.into_inner(),
            &IngestOptions::default(),
        );
        assert!(outcome.documents.is_empty());
        assert!(
            outcome.rejects[0].reason.contains("zip bomb"),
            "{}",
            outcome.rejects[0]
        );
    }

    #[test]
    fn broken_archives_are_rejected() {
        let outcome = read(
            Path::new("x.docx"),
            b"PK\x03\x04garbage",
            &IngestOptions::default(),
        );
        assert!(
            outcome.rejects[0].reason.contains("ZIP"),
            "{}",
            outcome.rejects[0]
        );
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("other.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.finish().unwrap();
        let outcome = read(
            Path::new("y.docx"),
            &out.into_inner(),
            &IngestOptions::default(),
        );
        assert!(outcome.rejects[0].reason.contains("word/document.xml"));
    }
}
