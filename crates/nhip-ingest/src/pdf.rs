//! PDF with a text layer, through `pdf-extract`; title and creation date from the document
//! information dictionary (the creation date only as the file's date: a report's own date line
//! wins), legacy-font text repaired, then the plain-text header rules. A PDF whose pages carry
//! no text (a scan) is rejected with that reason: nhip does not OCR.

use crate::dates::vietnam_offset;
use crate::text::{read_extracted, Properties};
use crate::{FileOutcome, IngestOptions};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use std::path::Path;

/// Fewer letters than this over the whole file means there is no usable text layer.
const MIN_LETTERS: usize = 20;

/// Reads one PDF file.
pub fn read(path: &Path, bytes: &[u8], options: &IngestOptions) -> FileOutcome {
    read_extracted(path, options, extract(bytes))
}

fn extract(bytes: &[u8]) -> Result<(String, Properties), String> {
    // pdf-extract panics on some malformed files; a bad file must cost only itself.
    let extracted = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes))
        .map_err(|_| "unreadable PDF (the parser gave up on its structure)".to_string())?
        .map_err(|e| format!("unreadable PDF: {e}"))?;
    let letters = extracted.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_LETTERS {
        return Err(format!(
            "PDF without a text layer ({letters} letters found): a scanned document needs OCR before nhip can read it"
        ));
    }
    let properties = std::panic::catch_unwind(|| info_properties(bytes)).unwrap_or_default();
    // Text shown in a legacy font (.VnTime, VNI-Times) comes out as TCVN3/VNI mojibake.
    let text = tidy(&extracted);
    let text = nhip_text::repair(&text).0.into_owned();
    Ok((text, properties))
}

/// Lines trimmed, runs of blank lines collapsed to one (page breaks come out as many).
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

fn info_properties(bytes: &[u8]) -> Properties {
    let Ok(document) = pdf_extract::Document::load_mem(bytes) else {
        return Properties::default();
    };
    let info = document
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| match o {
            pdf_extract::Object::Reference(id) => document.get_object(*id).ok(),
            other => Some(other),
        })
        .and_then(|o| o.as_dict().ok());
    let Some(info) = info else {
        return Properties::default();
    };
    let string = |key: &[u8]| {
        info.get(key)
            .ok()
            .and_then(|o| o.as_str().ok())
            .map(pdf_text_string)
            .filter(|s| !s.trim().is_empty())
    };
    Properties {
        title: string(b"Title"),
        file_date: string(b"CreationDate").and_then(|d| pdf_date(&d)),
    }
}

/// A PDF text string: UTF-16BE with a byte-order mark, else PDFDocEncoding (Latin-1 here).
fn pdf_text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(b"\xFE\xFF") {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// `D:YYYYMMDDHHmmSS+07'00'` and its shorter forms; no offset means Asia/Ho_Chi_Minh.
fn pdf_date(value: &str) -> Option<DateTime<FixedOffset>> {
    let value = value.trim().trim_start_matches("D:");
    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        return None;
    }
    // Missing time parts are zero.
    let time: String = digits[8..].chars().take(6).collect();
    let stamp = format!("{}{time:0<6}", &digits[..8]);
    let naive = NaiveDateTime::parse_from_str(&stamp, "%Y%m%d%H%M%S").ok()?;
    let rest = &value[digits.len()..];
    let offset = match rest.chars().next() {
        Some('Z') => FixedOffset::east_opt(0)?,
        Some(sign @ ('+' | '-')) => {
            let nums: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            let hours: i32 = nums.get(..2)?.parse().ok()?;
            let minutes: i32 = nums.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
            let seconds = (hours * 3600 + minutes * 60) * if sign == '-' { -1 } else { 1 };
            FixedOffset::east_opt(seconds)?
        }
        _ => vietnam_offset(),
    };
    offset.from_local_datetime(&naive).single()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use pdf_extract::{dictionary, Document, Object, Stream};

    /// A one-page PDF showing `lines` in Helvetica (Latin-1 text), with an info dictionary.
    pub(crate) fn pdf(lines: &[&str], title: Option<&str>, created: Option<&str>) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let mut content = String::from("BT /F1 12 Tf 14 TL 50 750 Td\n");
        for line in lines {
            let latin1: String = line.replace('(', "\\(").replace(')', "\\)");
            content.push_str(&format!("({latin1}) Tj T*\n"));
        }
        content.push_str("ET\n");
        let latin1: Vec<u8> = content.chars().map(|c| c as u32 as u8).collect();
        let content_id = doc.add_object(Stream::new(dictionary! {}, latin1));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
                "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut info = dictionary! {};
        if let Some(title) = title {
            info.set("Title", Object::string_literal(title));
        }
        if let Some(created) = created {
            info.set("CreationDate", Object::string_literal(created));
        }
        let info_id = doc.add_object(info);
        doc.trailer.set("Info", info_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn text_layer_title_and_date() {
        let bytes = pdf(
            &[
                "Tinh hinh kinh te xa hoi tuan qua",
                "Nguoi dan quan tam gia dien.",
            ],
            Some("Bao cao thang 3"),
            Some("D:20260302083000+07'00'"),
        );
        let outcome = read(Path::new("r.pdf"), &bytes, &IngestOptions::default());
        assert!(outcome.rejects.is_empty(), "{:?}", outcome.rejects);
        let doc = &outcome.documents[0];
        assert_eq!(doc.title, "Bao cao thang 3");
        assert!(
            doc.body.contains("Tinh hinh kinh te xa hoi tuan qua"),
            "{}",
            doc.body
        );
        assert!(doc.body.contains("gia dien"));
        assert_eq!(
            doc.file_date.unwrap().to_rfc3339(),
            "2026-03-02T08:30:00+07:00"
        );
    }

    #[test]
    fn scanned_pdf_is_rejected_with_that_reason() {
        let bytes = pdf(&[], None, None);
        let outcome = read(Path::new("scan.pdf"), &bytes, &IngestOptions::default());
        assert!(outcome.documents.is_empty());
        assert!(
            outcome.rejects[0].reason.contains("scanned"),
            "{}",
            outcome.rejects[0]
        );
        let outcome = read(
            Path::new("bad.pdf"),
            b"%PDF-1.4\n garbage",
            &IngestOptions::default(),
        );
        assert!(
            outcome.rejects[0].reason.contains("unreadable PDF"),
            "{}",
            outcome.rejects[0]
        );
    }

    /// Found by the `pdf` fuzz target (2026-12-03): a mutated copy of our own fixture whose
    /// ToUnicode CMap makes adobe-cmap-parser panic (index out of bounds) inside pdf-extract.
    #[test]
    fn a_pdf_that_makes_the_parser_panic_is_one_reject() {
        let bytes = include_bytes!("../../../tests/fixtures/fuzz/pdf-cmap-panic.pdf");
        let outcome = read(Path::new("cmap.pdf"), bytes, &IngestOptions::default());
        assert!(outcome.documents.is_empty());
        assert_eq!(outcome.rejects.len(), 1);
        assert!(
            outcome.rejects[0].reason.contains("unreadable PDF"),
            "{}",
            outcome.rejects[0]
        );
    }

    #[test]
    fn pdf_dates() {
        assert_eq!(
            pdf_date("D:20260302").unwrap().to_rfc3339(),
            "2026-03-02T00:00:00+07:00"
        );
        assert_eq!(
            pdf_date("D:20260302120000Z").unwrap().to_rfc3339(),
            "2026-03-02T12:00:00+00:00"
        );
        assert_eq!(
            pdf_date("D:202603021200-05'30").unwrap().to_rfc3339(),
            "2026-03-02T12:00:00-05:30"
        );
        assert!(pdf_date("D:2026").is_none());
        assert!(pdf_date("yesterday").is_none());
    }
}
