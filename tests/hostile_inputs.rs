//! Hostile inputs through `nhip ingest`, the path every command reads files by: each ends as
//! one reject with its reason, or a correct document, and the run goes on. The inputs are
//! generated here; peak memory and time of each, measured in a 1 GiB memory cgroup with the
//! release build, are in BENCHMARKS.md ("Hostile inputs").

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What `nhip ingest` made of one file: its documents and its rejects (JSON objects).
struct Ingested {
    documents: Vec<serde_json::Value>,
    rejects: Vec<serde_json::Value>,
}

fn json_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// Runs `nhip ingest` on `input`, with a well-formed neighbour file so that a hostile file
/// must not stop the others.
fn ingest(dir: &Path, input: &Path) -> Ingested {
    let neighbour = dir.join("neighbour.jsonl");
    std::fs::write(
        &neighbour,
        "{\"id\":\"ok1\",\"title\":\"Mưa lớn\",\"body\":\"Mưa lớn gây ngập ở xã Minh Tân.\",\"published_at\":\"2026-01-05\"}\n",
    )
    .unwrap();
    let out = dir.join("out").join("docs.jsonl");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let rejects = dir.join("out").join("rejects.jsonl");
    let started = std::time::Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_nhip"))
        .arg("ingest")
        .arg("--out")
        .arg(&out)
        .arg("--rejects")
        .arg(&rejects)
        .arg(input)
        .arg(&neighbour)
        .output()
        .expect("nhip runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}: {stderr}", input.display());
    assert!(!stderr.contains("panicked"), "{stderr}");
    eprintln!("{}: {:?}", input.display(), started.elapsed());
    let mut documents = json_lines(&out);
    let ok = documents.iter().position(|d| d["id"] == "ok1");
    documents.remove(ok.expect("the neighbour file is read"));
    Ingested {
        documents,
        rejects: json_lines(&rejects),
    }
}

/// Exactly one reject, for `input`, whose reason contains one of `words`.
fn one_reject(ingested: &Ingested, input: &Path, words: &[&str]) {
    assert!(
        ingested.documents.is_empty(),
        "documents: {}",
        ingested.documents.len()
    );
    assert_eq!(ingested.rejects.len(), 1, "{:?}", ingested.rejects);
    let reject = &ingested.rejects[0];
    let file = reject["file"].as_str().unwrap();
    assert!(
        file.ends_with(input.file_name().unwrap().to_str().unwrap()),
        "{file}"
    );
    let reason = reject["reason"].as_str().unwrap();
    assert!(words.iter().any(|w| reason.contains(w)), "{reason}");
}

fn write_with(path: &Path, write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>)) -> PathBuf {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    write(&mut out);
    out.flush().unwrap();
    path.to_owned()
}

#[test]
#[ignore = "over 10 s in the dev profile: .ci/run runs it (--ignored); figures in BENCHMARKS.md"]
fn a_60_mb_single_line_json_record() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_with(&dir.path().join("huge.jsonl"), |out| {
        write!(out, "{{\"id\":\"big\",\"title\":\"Mưa lớn\",\"body\":\"").unwrap();
        let words = "mưa lớn gây ngập ở xã Minh Tân ".repeat(1000);
        while out.get_ref().metadata().unwrap().len() < 60 * 1024 * 1024 {
            out.write_all(words.as_bytes()).unwrap();
        }
        writeln!(out, "\"}}").unwrap();
    });
    let ingested = ingest(dir.path(), &input);
    // Under the 64 MiB line cap: one whole document.
    assert!(ingested.rejects.is_empty(), "{:?}", ingested.rejects);
    assert_eq!(ingested.documents.len(), 1);
    let body = ingested.documents[0]["body"].as_str().unwrap();
    assert!(body.len() >= 60 * 1024 * 1024 - 4096 && body.starts_with("mưa lớn gây ngập"));
}

#[test]
fn a_json_line_over_the_cap_is_one_reject() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_with(&dir.path().join("over.jsonl"), |out| {
        write!(out, "{{\"id\":\"big\",\"title\":\"Mưa\",\"body\":\"").unwrap();
        let words = "x".repeat(1 << 20);
        for _ in 0..65 {
            out.write_all(words.as_bytes()).unwrap();
        }
        writeln!(out, "\"}}").unwrap();
    });
    let ingested = ingest(dir.path(), &input);
    one_reject(&ingested, &input, &["limit", "long", "large"]);
}

#[test]
fn json_nested_100000_deep() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_with(&dir.path().join("deep.jsonl"), |out| {
        write!(
            out,
            "{{\"id\":\"deep\",\"title\":\"Mưa\",\"body\":\"Mưa lớn\",\"x\":"
        )
        .unwrap();
        out.write_all(&vec![b'['; 100_000]).unwrap();
        out.write_all(&vec![b']'; 100_000]).unwrap();
        writeln!(out, "}}").unwrap();
    });
    let ingested = ingest(dir.path(), &input);
    one_reject(&ingested, &input, &["recursion", "deep", "nest", "JSON"]);
}

#[test]
#[ignore = "over 10 s in the dev profile: .ci/run runs it (--ignored); figures in BENCHMARKS.md"]
fn a_csv_field_of_100_mb() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_with(&dir.path().join("field.csv"), |out| {
        out.write_all(b"id,title,body\nr1,M\xc6\xb0a,\"").unwrap();
        let words = "mưa lớn gây ngập ở xã Minh Tân ".repeat(1000);
        while out.get_ref().metadata().unwrap().len() < 100 * 1024 * 1024 {
            out.write_all(words.as_bytes()).unwrap();
        }
        out.write_all(b"\"\n").unwrap();
    });
    let ingested = ingest(dir.path(), &input);
    assert!(ingested.rejects.is_empty(), "{:?}", ingested.rejects);
    assert_eq!(ingested.documents.len(), 1);
    assert!(ingested.documents[0]["body"].as_str().unwrap().len() >= 100 * 1024 * 1024 - 65536);
}

#[test]
fn a_csv_of_10_million_empty_columns() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_with(&dir.path().join("columns.csv"), |out| {
        let commas = vec![b','; 10_000_000];
        out.write_all(b"title,body").unwrap();
        out.write_all(&commas).unwrap();
        out.write_all(b"\nM\xc6\xb0a,M\xc6\xb0a l\xe1\xbb\x9bn g\xc3\xa2y ng\xe1\xba\xadp")
            .unwrap();
        out.write_all(&commas).unwrap();
        out.write_all(b"\n").unwrap();
    });
    let ingested = ingest(dir.path(), &input);
    assert!(ingested.rejects.is_empty(), "{:?}", ingested.rejects);
    assert_eq!(ingested.documents.len(), 1);
    assert_eq!(ingested.documents[0]["body"], "Mưa lớn gây ngập");
}

#[test]
fn html_of_a_million_nested_elements() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_with(&dir.path().join("nested.html"), |out| {
        out.write_all(b"<html><head><title>M\xc6\xb0a</title></head><body>")
            .unwrap();
        out.write_all(&b"<div>".repeat(1_000_000)).unwrap();
        out.write_all(b"Mua lon").unwrap();
        out.write_all(&b"</div>".repeat(1_000_000)).unwrap();
        out.write_all(b"</body></html>").unwrap();
    });
    let started = std::time::Instant::now();
    let ingested = ingest(dir.path(), &input);
    one_reject(&ingested, &input, &["nested deeper"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

/// Entity definitions that would expand to 10^9 copies of "lol".
fn billion_laughs_doctype(root: &str) -> String {
    let mut dtd = format!("<?xml version=\"1.0\"?><!DOCTYPE {root} [<!ENTITY lol0 \"lol\">");
    for i in 1..10 {
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&lol{};", i - 1).repeat(10)
        ));
    }
    dtd.push_str("]>");
    dtd
}

#[test]
fn a_billion_laughs_feed() {
    let dir = tempfile::tempdir().unwrap();
    let feed = format!(
        "{}<rss version=\"2.0\"><channel><title>&lol9;</title><item><title>Mưa lớn &lol9;</title><description>Mưa lớn gây ngập &lol9;</description><guid>a1</guid></item></channel></rss>",
        billion_laughs_doctype("rss")
    );
    let input = dir.path().join("laughs.rss");
    std::fs::write(&input, feed).unwrap();
    let ingested = ingest(dir.path(), &input);
    // Entities are not expanded: one item, its text without a billion "lol"s, or one reject.
    let total = ingested.documents.len() + ingested.rejects.len();
    assert_eq!(total, 1, "{:?}", ingested.rejects);
    for document in &ingested.documents {
        assert!(document["body"].as_str().unwrap().len() < 1000);
    }
}

#[test]
fn a_billion_laughs_docx() {
    let dir = tempfile::tempdir().unwrap();
    let document = format!(
        "{}<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>Báo cáo &lol9;</w:t></w:r></w:p></w:body></w:document>",
        billion_laughs_doctype("w:document")
    );
    let input = dir.path().join("laughs.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&input).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(document.as_bytes()).unwrap();
    zip.finish().unwrap();
    let ingested = ingest(dir.path(), &input);
    let total = ingested.documents.len() + ingested.rejects.len();
    assert_eq!(total, 1, "{:?}", ingested.rejects);
    for document in &ingested.documents {
        assert!(document["body"].as_str().unwrap().len() < 1000);
    }
}

#[test]
#[ignore = "over 10 s in the dev profile: .ci/run runs it (--ignored); figures in BENCHMARKS.md"]
fn a_text_file_of_one_50_mb_line_without_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_with(&dir.path().join("line.txt"), |out| {
        out.write_all(b"title: M\xc6\xb0a\n\n").unwrap();
        let chunk = "mưalớngâyngập".repeat(10_000);
        while out.get_ref().metadata().unwrap().len() < 50 * 1024 * 1024 {
            out.write_all(chunk.as_bytes()).unwrap();
        }
    });
    let ingested = ingest(dir.path(), &input);
    assert!(ingested.rejects.is_empty(), "{:?}", ingested.rejects);
    assert_eq!(ingested.documents.len(), 1);
    assert!(ingested.documents[0]["body"].as_str().unwrap().len() >= 50 * 1024 * 1024 - 65536);
}

#[test]
fn utf16_with_unpaired_surrogates() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "Báo cáo tuần\n\n{}",
        "Tình hình mưa lớn ở xã Minh Tân. ".repeat(20)
    );
    let mut units: Vec<u16> = text.encode_utf16().collect();
    // In the body: a high surrogate followed by a letter, and a low surrogate alone.
    units.splice(20..20, [0xD800, u16::from(b'A'), 0xDC00]);
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    let input = dir.path().join("surrogates.txt");
    std::fs::write(&input, bytes).unwrap();
    let ingested = ingest(dir.path(), &input);
    let total = ingested.documents.len() + ingested.rejects.len();
    assert_eq!(total, 1, "{:?}", ingested.rejects);
    for document in &ingested.documents {
        let body = document["body"].as_str().unwrap();
        assert!(body.contains("mưa lớn ở xã Minh Tân"), "{body}");
        assert_eq!(document["title"], "Báo cáo tuần");
    }
}
