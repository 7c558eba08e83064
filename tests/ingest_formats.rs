//! End-to-end: an office's inbox with every input format nhip reads and every kind of bad input
//! the ingest issue lists, through the real `nhip index` binary. Every bad input must become
//! exactly one line of `rejects.jsonl` naming it, the good ones must be searchable, and the
//! summary's counts must add up to the input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn nhip(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nhip"))
        .args(args)
        .output()
        .expect("nhip runs")
}

fn docx(paragraphs: &[&str], core: &str) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
        .collect();
    write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Vấn đề</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Ý kiến</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Nước sạch</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>14</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#).unwrap();
    zip.start_file("docProps/core.xml", options).unwrap();
    write!(zip, r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="c" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">{core}</cp:coreProperties>"#).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

fn zip_bomb() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("word/document.xml", options).unwrap();
    let block = vec![b'a'; 1 << 20];
    for _ in 0..128 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Cổng tin huyện</title>
<lastBuildDate>Wed, 11 Mar 2026 09:00:00 +0700</lastBuildDate>
<item><title>Huyện tổ chức ngày hội việc làm</title><link>https://huyen.example.vn/viec-lam-1.html</link>
<description>&lt;p&gt;Sáng 10-3, huyện tổ chức ngày hội việc làm cho thanh niên nông thôn với hơn 40 doanh nghiệp tham gia.&lt;/p&gt;</description></item>
<item><title>Sửa chữa cầu treo bản Na</title><link>https://huyen.example.vn/cau-treo-2.html</link>
<pubDate>Mon, 09 Mar 2026 14:00:00 +0700</pubDate>
<description>Cầu treo bản Na được sửa chữa trước mùa mưa lũ, người dân đi lại an toàn hơn.</description></item>
</channel></rss>"#;

/// The inbox: (file name, bytes, rejected?).
fn inbox(dir: &Path) -> Vec<(PathBuf, bool)> {
    let article = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../nhip-ingest/tests/fixtures/article.html"),
    )
    .unwrap();
    let files: Vec<(&str, Vec<u8>, bool)> = vec![
        (
            "bao-cao-xa-a.docx",
            docx(
                &["Tình hình dư luận tuần qua", "Người dân xã A phản ánh nước sạch bị đục sau mưa lớn, đề nghị kiểm tra trạm cấp nước."],
                "<dc:title>Báo cáo dư luận xã A</dc:title><dcterms:created>2026-03-09T02:00:00Z</dcterms:created>",
            ),
            false,
        ),
        (
            "bao-cao-xa-b.docx",
            docx(
                &["unit: Xã B", "", "Chiều 6-3, nhiều hộ dân xã B bàn tán về giá phân bón tăng trước vụ hè thu."],
                "",
            ),
            false,
        ),
        ("tin-sau-rieng.html", article, false),
        ("cong-tin.rss", RSS.as_bytes().to_vec(), false),
        (
            "ghi-chep.txt",
            "title: Ghi chép họp dân\ndate: 2026-03-05\n\nHọp dân bàn về đường liên thôn.\n".as_bytes().to_vec(),
            false,
        ),
        // Bad inputs, one reject each.
        ("hong-utf8.txt", b"B\xe1o c\xe1o \xff\xfe\xfd h\xf4m nay\x81\x82".to_vec(), true),
        ("cat-ngang.jsonl", br#"{"title":"Tin","body":"Th"#.to_vec(), true),
        ("anh.txt", vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0, 1, 2, 3, 0, 0], true),
        ("rong.txt", Vec::new(), true),
        ("bom.docx", zip_bomb(), true),
        (
            "dang-nhap.html",
            br#"<html><head><title>Login</title></head><body><form><input name="u"></form></body></html>"#.to_vec(),
            true,
        ),
    ];
    let mut paths = Vec::new();
    for (name, bytes, bad) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        paths.push((path, bad));
    }
    // 100 MB of one "report": sparse, so the test writes nothing to disk.
    let big = dir.join("xuat-ca-nam.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(100 * 1000 * 1000)
        .unwrap();
    paths.push((big, true));
    paths
}

#[test]
fn every_format_read_every_bad_input_one_reject() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("inbox");
    std::fs::create_dir(&input).unwrap();
    let files = inbox(&input);
    let index = work.path().join("index");
    let rejects = work.path().join("rejects.jsonl");
    let output = nhip(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        "--rejects",
        rejects.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");

    // One reject line per bad file, naming it, with a reason.
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&rejects)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let bad: Vec<&PathBuf> = files
        .iter()
        .filter(|(_, bad)| *bad)
        .map(|(p, _)| p)
        .collect();
    assert_eq!(lines.len(), bad.len(), "{lines:#?}");
    let reason_of = |name: &str| -> String {
        let line = lines
            .iter()
            .find(|l| l["file"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no reject for {name}: {lines:#?}"));
        line["reason"].as_str().unwrap().to_string()
    };
    assert!(reason_of("hong-utf8.txt").contains("invalid UTF-8"));
    assert!(reason_of("cat-ngang.jsonl").contains("invalid JSON"));
    assert!(reason_of("anh.txt").contains("binary"));
    assert!(reason_of("rong.txt").contains("empty"));
    assert!(reason_of("bom.docx").contains("zip bomb"));
    assert!(reason_of("dang-nhap.html").contains("no article"));
    assert!(reason_of("xuat-ca-nam.txt").contains("limit"));
    let truncated = lines
        .iter()
        .find(|l| l["file"].as_str().unwrap().ends_with("cat-ngang.jsonl"))
        .unwrap();
    assert_eq!(truncated["line"], 1);

    // The summary adds up: 5 good files give 6 documents (the feed has two items).
    assert!(
        stderr.contains("ingest: 13 records in 12 files → 6 documents, 7 rejected"),
        "{stderr}"
    );
    assert!(stderr.contains("docx 3"), "{stderr}");

    let search = |query: &str| -> Vec<serde_json::Value> {
        let out = nhip(&[
            "search",
            "--index",
            index.to_str().unwrap(),
            "--json",
            query,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        answer["hits"].as_array().unwrap().clone()
    };
    // DOCX: properties give title and date; the table is searchable.
    let hits = search("\"trạm cấp nước\"");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["title"], "Báo cáo dư luận xã A");
    assert_eq!(hits[0]["date_source"], "file_metadata");
    // Both reports carry the same small table.
    assert_eq!(search("\"nuoc sach\" 14").len(), 2);
    // DOCX with a header block and a dateline: year from the file's date.
    let hits = search("phân bón");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["unit"], "Xã B");
    assert!(hits[0]["date_source"]
        .as_str()
        .unwrap()
        .starts_with("text_year_from"));
    // HTML: main text only, meta date, byline.
    let hits = search("sầu riêng");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["author"], "Trần Minh");
    assert!(search("\"Google News\"").is_empty());
    assert!(search("\"Giá lúa tăng nhẹ\"").is_empty());
    // RSS: one document per item; the dateline's year comes from the feed.
    let hits = search("\"ngày hội việc làm\"");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["date_source"], "text_year_from_feed");
    assert!(hits[0]["published_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-03-10"));
    assert_eq!(search("\"cầu treo\"").len(), 1);
}

#[test]
fn strict_stops_at_the_first_reject_and_writes_nothing() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("inbox");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), "Tin tốt.\n\nNội dung đầy đủ.").unwrap();
    std::fs::write(input.join("b.jsonl"), "{\"title\":\"x\"\n").unwrap();
    let index = work.path().join("index");
    let run = |strict: bool| {
        let mut args = vec!["index", "--index", index.to_str().unwrap()];
        if strict {
            args.push("--strict");
        }
        args.push(input.to_str().unwrap());
        nhip(&args)
    };
    let output = run(true);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--strict"), "{stderr}");
    assert!(stderr.contains("b.jsonl:1"), "{stderr}");
    assert!(!index.exists(), "nothing may be written under --strict");
    // Without --strict the good file is indexed and the bad line is a reject.
    let output = run(false);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 documents, 1 rejected"));
}
