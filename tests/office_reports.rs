//! End-to-end: reports as provincial offices make them, through the real `nhip` binary.
//!
//! A Word report mixing `.VnTime`, `VNI-Times` and Unicode runs; a UTF-8 text report with one
//! paragraph pasted from a TCVN3 template and Vietnamese header keys; header keys typed without
//! diacritics; an official letter (công văn) as text, as DOCX and as PDF (tests/fixtures,
//! made by make_cong_van_pdf.py), each with its date line and a different file date; all in an
//! inbox that also holds its own index, its rejects file, Word owner files, system files and a
//! symlink loop. Every fixture here was written for these tests.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn nhip(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nhip"))
        .args(args)
        .output()
        .expect("nhip runs")
}

fn run_ok(args: &[&str]) -> (String, String) {
    let output = nhip(args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "nhip {args:?}:\n{stderr}");
    (stdout, stderr)
}

/// A DOCX from `word/document.xml` body content and `docProps/core.xml` content.
fn docx(body_xml: &str, core: &str) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    write!(zip, r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body_xml}</w:body></w:document>"#).unwrap();
    zip.start_file("docProps/core.xml", options).unwrap();
    write!(zip, r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="c" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">{core}</cp:coreProperties>"#).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

/// A paragraph of runs, each in a font (`None`: the style's).
fn paragraph(runs: &[(Option<&str>, &str)]) -> String {
    let runs: String = runs
        .iter()
        .map(|(font, text)| {
            let properties = font.map_or(String::new(), |f| {
                format!(r#"<w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}"/></w:rPr>"#)
            });
            format!(r#"<w:r>{properties}<w:t xml:space="preserve">{text}</w:t></w:r>"#)
        })
        .collect();
    format!("<w:p>{runs}</w:p>")
}

/// A Word report typed in Unicode, with one paragraph pasted from a `.VnTime` template and one
/// from a `VNI-Times` one; its created property is the template's date.
fn mixed_report() -> Vec<u8> {
    let body = [
        paragraph(&[(Some("Times New Roman"), "Tình hình dư luận tuần 31")]),
        paragraph(&[
            (Some("Times New Roman"), "Ý kiến: "),
            (
                Some(".VnTime"),
                "Nh©n d©n ph¶n ¸nh t×nh tr¹ng s¹t lë ®Êt ë x· Ia Rs¬m.",
            ),
        ]),
        paragraph(&[(Some("VNI-Times"), "Ngöôøi daân ñeà nghò hoã trôï di dôøi.")]),
        paragraph(&[(None, "Giá phân bón tăng nhẹ.")]),
    ]
    .concat();
    docx(
        &body,
        "<dc:title>Báo cáo dư luận xã Ia Rsơm</dc:title><dcterms:created>2019-05-02T01:00:00Z</dcterms:created>",
    )
}

/// An official letter as Word makes it: the header in a two-column table, no title property,
/// created on another day than its date line.
fn letter_docx() -> Vec<u8> {
    let cell = |paragraphs: &[&str]| {
        let body: String = paragraphs.iter().map(|p| paragraph(&[(None, p)])).collect();
        format!("<w:tc>{body}</w:tc>")
    };
    let header = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        cell(&["UBND TỈNH GIA LAI", "Số: 124/UBND-NL"]),
        cell(&[
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Gia Lai, ngày 04/8/2026",
        ]),
    );
    let body = [
        header,
        paragraph(&[(None, "V/v khắc phục hậu quả lũ quét")]),
        paragraph(&[(None, "Kính gửi: UBND các huyện.")]),
        paragraph(&[(
            None,
            "Lũ quét tại xã Ia Mơ Nông làm hư hỏng cầu tràn; đề nghị các huyện khắc phục ngay.",
        )]),
    ]
    .concat();
    docx(
        &body,
        "<dcterms:created>2026-08-15T02:00:00Z</dcterms:created>",
    )
}

const TEXT_REPORT: &str = "Tiêu đề: Báo cáo dư luận tuần 32\n\
Ngày: 07/08/2026\n\
Đơn vị: Xã Ia Băng\n\
Nguồn: Cộng tác viên DLXH\n\
Loại: báo cáo\n\
\n\
Tình hình chung ổn định.\n\
Cã mét sè ý kiÕn ph¶n ¸nh vÒ t×nh tr¹ng khai th¸c c¸t tr¸i phÐp trªn s«ng Ayun.\n\
Đề nghị các ngành chức năng kiểm tra.\n";

const UNACCENTED_KEYS: &str = "TIEU DE: Bao cao nhanh ve mua lu\n\
NGAY: 2026-08-05\n\
don vi: Xa Ia Le\n\
Nguon: Cong tac vien\n\
LOAI: bao cao\n\
Ma: bc-khong-dau-1\n\
Duong dan: https://tinh.example.vn/bc/1\n\
\n\
Mua lon keo dai lam ngap ung nhieu thon.\n";

const LETTER_TEXT: &str = "UBND TỈNH GIA LAI\n\
Số: 123/UBND-NL\n\
Gia Lai, ngày 3 tháng 8 năm 2026\n\
V/v báo cáo tình hình sạt lở đất\n\
\n\
Kính gửi: Các sở, ngành.\n\
Mưa lớn kéo dài gây sạt lở đất tại huyện Chư Păh, nhiều hộ dân phải di dời.\n";

/// The inbox as an office keeps it; returns its folder.
fn inbox(root: &Path) -> PathBuf {
    let inbox = root.join("inbox");
    let write = |name: &str, bytes: &[u8]| {
        let path = inbox.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write("bao-cao-ia-rsom.docx", &mixed_report());
    write("tuan-32/bao-cao-tuan.txt", TEXT_REPORT.as_bytes());
    write("tuan-32/bao-cao-khong-dau.txt", UNACCENTED_KEYS.as_bytes());
    write("cong-van/cv-123.txt", LETTER_TEXT.as_bytes());
    write("cong-van/cv-124.docx", &letter_docx());
    let pdf = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cong-van.pdf"),
    )
    .unwrap();
    write("cong-van/cv-sao-luu.pdf", &pdf);
    // What Word, Windows and macOS leave beside documents: never documents themselves.
    write("~$o-cao-ia-rsom.docx", b"\x0bNguyen Van A\x00\x00\x00");
    write("tuan-32/~$bao-cao-tuan.docx", b"owner");
    write("tuan-32/Thumbs.db", b"\xd0\xcf\x11\xe0thumbs");
    write(".DS_Store", b"\x00\x00\x00\x01Bud1");
    write("cong-van/nhap.tmp", b"temp");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&inbox, inbox.join("cong-van/quay-lai")).unwrap();
    inbox
}

#[test]
fn office_reports_are_read_as_written() {
    let work = tempfile::tempdir().unwrap();
    let inbox = inbox(work.path());
    // An older index (and its rejects file) left in the inbox by another run.
    let elsewhere = work.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("a.txt"), "Tin cũ\n\nMột tin cũ.").unwrap();
    let old_index = inbox.join("luu-tru/chi-muc-cu");
    run_ok(&[
        "index",
        "--index",
        old_index.to_str().unwrap(),
        elsewhere.to_str().unwrap(),
    ]);
    // This run's index lives inside the inbox, and so (by default) does its rejects file.
    let index = inbox.join("chi-muc");
    let index_arg = index.to_str().unwrap();
    let (_, stderr) = run_ok(&["index", "--index", index_arg, inbox.to_str().unwrap()]);
    assert!(
        stderr.contains("ingest: 6 records in 6 files → 6 documents, 0 rejected"),
        "{stderr}"
    );
    let rejects = std::fs::read_to_string(inbox.join("chi-muc.rejects.jsonl")).unwrap();
    assert!(rejects.is_empty(), "{rejects}");
    let skipped_line = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("skipped:"))
        .unwrap_or_else(|| panic!("no skipped line:\n{stderr}"));
    assert!(skipped_line.contains("temporary file 4"), "{skipped_line}");
    assert!(skipped_line.contains("index folder 2"), "{skipped_line}");
    assert!(skipped_line.contains("own output 1"), "{skipped_line}");
    assert!(skipped_line.contains("hidden 1"), "{skipped_line}");
    if cfg!(unix) {
        assert!(
            skipped_line.contains("folder linked again 1"),
            "{skipped_line}"
        );
    }

    // Indexing again skips the index and the rejects file now inside the inbox, and changes
    // nothing.
    let (_, stderr) = run_ok(&["index", "--index", index_arg, inbox.to_str().unwrap()]);
    assert!(
        stderr.contains("6 documents, 0 rejected") && stderr.contains("0 added"),
        "{stderr}"
    );
    // Its own rejects file now sits beside its index: skipped with the index folders.
    assert!(stderr.contains("index folder 3"), "{stderr}");
    assert!(stderr.contains("own output 1"), "{stderr}");

    let search = |query: &str| -> Vec<serde_json::Value> {
        let (stdout, _) = run_ok(&["search", "--index", index_arg, "--json", query]);
        let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        answer["hits"].as_array().unwrap().clone()
    };
    let one = |query: &str| -> serde_json::Value {
        let hits = search(query);
        assert_eq!(hits.len(), 1, "{query}: {hits:#?}");
        hits[0].clone()
    };

    // The Word report: legacy runs converted by their fonts, Unicode runs untouched.
    let hit = one("\"tình trạng sạt lở đất ở xã Ia Rsơm\"");
    assert_eq!(hit["title"], "Báo cáo dư luận xã Ia Rsơm");
    assert_eq!(one("\"đề nghị hỗ trợ di dời\"")["id"], hit["id"]);
    assert_eq!(one("\"giá phân bón tăng nhẹ\"")["id"], hit["id"]);
    // No date line: the file's date is all there is.
    assert_eq!(hit["date_source"], "file_metadata");
    assert!(search("\"Nh©n d©n\"").is_empty());

    // The text report: its TCVN3 paragraph searchable, the Vietnamese header keys read.
    let hit = one("\"khai thác cát trái phép trên sông Ayun\"");
    assert_eq!(hit["title"], "Báo cáo dư luận tuần 32");
    assert_eq!(hit["unit"], "Xã Ia Băng");
    assert_eq!(hit["source"], "Cộng tác viên DLXH");
    assert_eq!(hit["kind"], "report");
    assert_eq!(hit["date_source"], "metadata");
    assert!(hit["published_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-08-07"));
    assert_eq!(one("\"có một số ý kiến\"")["id"], hit["id"]);

    // Header keys typed without diacritics.
    let hit = one("\"ngap ung\"");
    assert_eq!(hit["id"], "bc-khong-dau-1");
    assert_eq!(hit["title"], "Bao cao nhanh ve mua lu");
    assert_eq!(hit["unit"], "Xa Ia Le");
    assert_eq!(hit["url"], "https://tinh.example.vn/bc/1");
    assert!(hit["published_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-08-05"));

    // The official letters: dated by their date line, not by their files; the number is `ref`,
    // the subject the title, the issuing body the source.
    for (reference, title, day, source) in [
        (
            "123/UBND-NL",
            "Báo cáo tình hình sạt lở đất",
            "2026-08-03",
            "UBND TỈNH GIA LAI",
        ),
        (
            "124/UBND-NL",
            "Khắc phục hậu quả lũ quét",
            "2026-08-04",
            "UBND TỈNH GIA LAI",
        ),
        (
            "123/SNNMT-TL",
            "Báo cáo tình hình sạt lở đất",
            "2026-08-03",
            "UBND TỈNH GIA LAI SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        ),
    ] {
        let hit = one(&format!("ref:{reference}"));
        assert_eq!(hit["ref"], reference);
        assert_eq!(hit["title"], title, "{reference}");
        assert_eq!(hit["date_source"], "text_official", "{reference}");
        assert!(
            hit["published_at"].as_str().unwrap().starts_with(day),
            "{reference}: {hit}"
        );
        assert_eq!(hit["source"], source, "{reference}");
    }
    // `ref:` matches in any case, and the letters' text is searchable.
    assert_eq!(one("ref:123/ubnd-nl")["ref"], "123/UBND-NL");
    assert_eq!(search("\"sạt lở đất\" kind:report").len(), 3);
    assert_eq!(one("\"taluy dương\"")["ref"], "123/SNNMT-TL");

    // `show` prints a source only where there is one.
    let id = one("\"đề nghị hỗ trợ di dời\"")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (stdout, _) = run_ok(&["show", "--index", index_arg, &id]);
    let label = stdout.lines().nth(1).unwrap();
    assert!(label.starts_with("2019-05-02"), "{label}");
    assert!(label.contains(" · report · "), "{label}");
    assert!(
        !label.contains("report · report") && !label.contains(" ·  · "),
        "{label}"
    );
    let id = one("ref:123/UBND-NL")["id"].as_str().unwrap().to_string();
    let (stdout, _) = run_ok(&["show", "--index", index_arg, &id]);
    assert!(
        stdout.contains("UBND TỈNH GIA LAI · report · số 123/UBND-NL"),
        "{stdout}"
    );

    // Export carries the number.
    let csv_path = work.path().join("cong-van.csv");
    run_ok(&[
        "search",
        "--index",
        index_arg,
        "--export",
        csv_path.to_str().unwrap(),
        "kind:report",
    ]);
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = headers.iter().position(|h| h == "ref").unwrap();
    let mut references: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .filter(|r| !r.is_empty())
        .collect();
    references.sort();
    assert_eq!(references, ["123/SNNMT-TL", "123/UBND-NL", "124/UBND-NL"]);
}

#[test]
fn short_windows1258_text_is_normalized_as_written() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nhip"))
        .arg("normalize")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Tham nhu\xdeng")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "Tham nhũng\n");
    assert!(String::from_utf8_lossy(&output.stderr).contains("Windows-1258"));
}
