#![no_main]
//! A well-formed DOCX package whose `word/document.xml` (and `word/styles.xml`, after a
//! `\0` in the input) are the fuzzer's bytes: the zip layer is always valid, so the XML
//! reading, run fonts and legacy-font conversion get the mutations.
use std::io::Write;
include!("common.rs");

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let (document, styles) = match bytes.iter().position(|&b| b == 0) {
        Some(at) => (&bytes[..at], Some(&bytes[at + 1..])),
        None => (bytes, None),
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut part = |name: &str, content: &[u8]| {
        zip.start_file(name, options).unwrap();
        zip.write_all(content).unwrap();
    };
    part("[Content_Types].xml", CONTENT_TYPES.as_bytes());
    part("word/document.xml", document);
    if let Some(styles) = styles {
        part("word/styles.xml", styles);
    }
    let package = zip.finish().unwrap().into_inner();
    read_and_finish("bao-cao.docx", nhip_ingest::Format::Docx, &package);
});
