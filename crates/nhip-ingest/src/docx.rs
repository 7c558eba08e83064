//! Word (DOCX) reports: the body text in reading order, tables row by row, title and creation
//! date from the document properties (`docProps/core.xml`; the date only as the file's date),
//! then the same header rules as a plain-text report (a `title:`/`date:`/`unit:` block at the
//! top wins over the properties).
//!
//! Text typed in a legacy font is converted run by run: a run's font (its own, its character
//! style's, its paragraph style's or the document default, from `word/styles.xml`) names the
//! encoding (`.VnTime` → TCVN3, `VNI-Times` → VNI), so a paragraph pasted from an old template
//! is converted and the Unicode text around it is not. Text whose font says nothing goes
//! through the same run-by-run judgment as plain text.
//!
//! A DOCX is a ZIP archive, so every part is read through a size cap: a part that would expand
//! past [`MAX_PART_BYTES`] (a zip bomb, or a report no one writes by hand) is rejected without
//! being inflated.

use crate::dates::parse_date;
use crate::text::{read_extracted, Properties};
use crate::{FileOutcome, IngestOptions};
use nhip_text::LegacyFont;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
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
    let styles = match read_part(&mut archive, "word/styles.xml")? {
        Some(xml) => Styles::parse(&xml),
        None => Styles::default(),
    };
    let text = document_text(&document, &styles)?;
    // Legacy text whose font the file does not name is judged as in any text.
    let text = nhip_text::repair(&text).0.into_owned();
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

/// What a run's font says about its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FontChoice {
    /// A legacy Vietnamese font (`.VnTime`, `VNI-Times`…).
    Legacy(LegacyFont),
    /// Any other font, theme fonts included.
    Other,
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.trim().to_string())
}

/// The font a `w:rFonts` element sets for Vietnamese text: the one for non-ASCII Latin letters
/// (`hAnsi`) first, else the ASCII one; `None` when it sets neither.
fn font_choice(e: &BytesStart<'_>) -> Option<FontChoice> {
    let named = |name: String| match LegacyFont::from_name(&name) {
        Some(font) => FontChoice::Legacy(font),
        None => FontChoice::Other,
    };
    if attribute(e, "hAnsiTheme").is_some() {
        return Some(FontChoice::Other);
    }
    if let Some(name) = attribute(e, "hAnsi") {
        return Some(named(name));
    }
    if attribute(e, "asciiTheme").is_some() {
        return Some(FontChoice::Other);
    }
    attribute(e, "ascii").map(named)
}

/// One style of `word/styles.xml`, as far as fonts go.
#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    font: Option<FontChoice>,
}

/// The fonts `word/styles.xml` sets: per style, the default paragraph style and the document
/// default.
#[derive(Debug, Clone, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    default_paragraph: Option<String>,
    default_font: Option<FontChoice>,
}

impl Styles {
    /// Reads the styles part; what cannot be read is left out (fonts are a hint, not a need).
    fn parse(xml: &str) -> Styles {
        let mut styles = Styles::default();
        let mut reader = Reader::from_str(xml);
        let mut current: Option<(String, Style)> = None;
        let mut in_defaults = false;
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                    "style" => {
                        let id = attribute(&e, "styleId").unwrap_or_default();
                        let paragraph = attribute(&e, "type").is_none_or(|t| t == "paragraph");
                        let default =
                            attribute(&e, "default").is_some_and(|d| d == "1" || d == "true");
                        if paragraph && default {
                            styles.default_paragraph = Some(id.clone());
                        }
                        current = Some((id, Style::default()));
                    }
                    "basedOn" => {
                        if let Some((_, style)) = current.as_mut() {
                            style.based_on = attribute(&e, "val");
                        }
                    }
                    "rPrDefault" => in_defaults = true,
                    "rFonts" => {
                        let font = font_choice(&e);
                        if let Some((_, style)) = current.as_mut() {
                            style.font = style.font.or(font);
                        } else if in_defaults {
                            styles.default_font = styles.default_font.or(font);
                        }
                    }
                    _ => {}
                },
                Ok(Event::End(e)) => match e.local_name().as_ref() {
                    "style" => {
                        if let Some((id, style)) = current.take() {
                            styles.by_id.insert(id, style);
                        }
                    }
                    "rPrDefault" => in_defaults = false,
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        styles
    }

    /// The font a style sets, itself or through the styles it is based on.
    fn style_font(&self, id: &str) -> Option<FontChoice> {
        let mut id = id;
        // A bound on the chain, in case a file makes it a loop.
        for _ in 0..16 {
            let style = self.by_id.get(id)?;
            if style.font.is_some() {
                return style.font;
            }
            id = style.based_on.as_deref()?;
        }
        None
    }

    /// The font of a run: its own, its character style's, its paragraph style's (or the
    /// default paragraph style's), else the document default.
    fn run_font(
        &self,
        direct: Option<FontChoice>,
        run_style: Option<&str>,
        paragraph_style: Option<&str>,
    ) -> FontChoice {
        direct
            .or_else(|| run_style.and_then(|s| self.style_font(s)))
            .or_else(|| {
                paragraph_style
                    .or(self.default_paragraph.as_deref())
                    .and_then(|s| self.style_font(s))
            })
            .or(self.default_font)
            .unwrap_or(FontChoice::Other)
    }
}

/// A paragraph's text as runs of one font each (adjacent runs of a font merged, so a VNI mark
/// that Word put in a run of its own still follows its letter).
#[derive(Default)]
struct Paragraph {
    style: Option<String>,
    pieces: Vec<(FontChoice, String)>,
}

impl Paragraph {
    fn push(&mut self, font: FontChoice, text: &str) {
        match self.pieces.last_mut() {
            Some((last, piece)) if *last == font => piece.push_str(text),
            _ => self.pieces.push((font, text.to_string())),
        }
    }

    /// Appends a character to the last run, whatever its font (tabs and breaks).
    fn push_char(&mut self, c: char) {
        match self.pieces.last_mut() {
            Some((_, piece)) => piece.push(c),
            None => self.pieces.push((FontChoice::Other, c.to_string())),
        }
    }

    /// Writes the paragraph's text, legacy-font runs converted.
    fn finish(&mut self, out: &mut String) {
        for (font, piece) in self.pieces.drain(..) {
            match font {
                FontChoice::Legacy(font) => {
                    out.push_str(&nhip_text::repair_with_font(&piece, font))
                }
                FontChoice::Other => out.push_str(&piece),
            }
        }
        self.style = None;
    }
}

/// The run being read: its own font and character style.
#[derive(Default)]
struct RunProperties {
    font: Option<FontChoice>,
    style: Option<String>,
}

/// Paragraphs as lines; in tables, cells separated by tabs and rows by lines.
fn document_text(xml: &str, styles: &Styles) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut text = String::new();
    let mut paragraph = Paragraph::default();
    let mut run: Option<RunProperties> = None;
    let mut in_text = false;
    let mut in_paragraph_properties = false;
    let mut table_depth = 0usize;
    let font_of = |run: &Option<RunProperties>, paragraph: &Paragraph| {
        let (direct, style) = run
            .as_ref()
            .map_or((None, None), |r| (r.font, r.style.as_deref()));
        styles.run_font(direct, style, paragraph.style.as_deref())
    };
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
                "r" => run = Some(RunProperties::default()),
                "pPr" => in_paragraph_properties = true,
                "rFonts" if !in_paragraph_properties => {
                    if let Some(run) = run.as_mut() {
                        run.font = font_choice(&e);
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => paragraph.push_char('\t'),
                "br" | "cr" => paragraph.push_char('\n'),
                "pStyle" => paragraph.style = attribute(&e, "val"),
                "rFonts" if !in_paragraph_properties => {
                    if let Some(run) = run.as_mut() {
                        run.font = font_choice(&e);
                    }
                }
                "rStyle" => {
                    if let Some(run) = run.as_mut() {
                        run.style = attribute(&e, "val");
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "r" => run = None,
                "pPr" => in_paragraph_properties = false,
                "p" => {
                    paragraph.finish(&mut text);
                    text.push(if table_depth > 0 { ' ' } else { '\n' });
                }
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
            Event::Text(t) if in_text => {
                let font = font_of(&run, &paragraph);
                paragraph.push(font, &t.xml10_content());
            }
            Event::CData(t) if in_text => {
                let font = font_of(&run, &paragraph);
                paragraph.push(font, &t.xml10_content());
            }
            Event::GeneralRef(r) if in_text => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => entity(&r),
                };
                if let Some(c) = resolved {
                    let font = font_of(&run, &paragraph);
                    paragraph.push(font, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Text after the last paragraph mark (a malformed file) is kept too.
    paragraph.finish(&mut text);
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
                    Some("created") => properties.file_date = parse_date(trimmed),
                    Some("modified") => modified = parse_date(trimmed),
                    _ => {}
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    properties.file_date = properties.file_date.or(modified);
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
        // The created property is the file's date, not one the document states.
        assert!(doc.published_at.is_none());
        assert_eq!(
            doc.file_date.unwrap().to_rfc3339(),
            "2026-03-02T01:00:00+00:00"
        );
        let doc = doc.clone().finish();
        assert_eq!(doc.date_source, crate::DateSource::FileMetadata);
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

    /// A DOCX with a styles part.
    fn docx_with_styles(body_xml: &str, styles_xml: &str) -> Vec<u8> {
        let plain = docx(body_xml, None);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(plain)).unwrap();
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for i in 0..archive.len() {
            zip.raw_copy_file(archive.by_index(i).unwrap()).unwrap();
        }
        zip.start_file("word/styles.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{styles_xml}</w:styles>"#).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    fn run(font: Option<&str>, text: &str) -> String {
        let properties = font.map_or(String::new(), |f| {
            format!(r#"<w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}"/></w:rPr>"#)
        });
        format!(r#"<w:r>{properties}<w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    #[test]
    fn runs_in_legacy_fonts_are_converted_by_their_font() {
        // One paragraph mixes a Unicode run, a .VnTime run and a VNI-Times run split where
        // Word splits runs (inside a word); a short .VnTime run needs no other evidence; a
        // .VnTimeH run draws capitals; a run typed in Unicode under a .VnTime font stays.
        let body = format!(
            "<w:p>{}{}{}{}</w:p><w:p>{}</w:p><w:p>{}</w:p><w:p>{}</w:p>",
            run(Some("Times New Roman"), "Ý kiến: "),
            run(Some(".VnTime"), "Nh©n d©n ph¶n ¸nh "),
            run(Some("VNI-Times"), "tình tra"),
            run(Some("VNI-Times"), "ïng saït lôû ñaát."),
            run(Some(".VnTime"), "c¸c"),
            run(Some(".VnTimeH"), "ubnd tØnh gia lai"),
            run(Some(".VnTime"), "Người dân"),
        );
        let (text, _) = extract(&docx(&body, None)).unwrap();
        assert_eq!(
            text,
            "Ý kiến: Nhân dân phản ánh tình trạng sạt lở đất.\ncác\nUBND TỈNH GIA LAI\nNgười dân\n"
        );
    }

    #[test]
    fn legacy_fonts_from_styles() {
        // The template's Normal style is .VnTime; a heading style based on it; one run set
        // back to a Unicode font; the document default is a theme font.
        let styles = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/></w:rPr></w:rPrDefault></w:docDefaults>
            <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr></w:style>
            <w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/><w:pPr><w:rPr><w:b/></w:rPr></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="Plain"><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:style>"#;
        let body = format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:pPr>{}</w:p><w:p>{}{}</w:p><w:p><w:pPr><w:pStyle w:val="Plain"/></w:pPr>{}</w:p>"#,
            run(None, "B¸o c¸o t×nh h×nh"),
            run(None, "Nh©n d©n "),
            run(Some("Times New Roman"), "và các ngành"),
            run(None, "Giá cả ổn định"),
        );
        let (text, _) = extract(&docx_with_styles(&body, styles)).unwrap();
        assert_eq!(
            text,
            "Báo cáo tình hình\nNhân dân và các ngành\nGiá cả ổn định\n"
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
