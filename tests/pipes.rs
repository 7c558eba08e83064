//! Every command that prints stops quietly, with success, when the reader of its output goes
//! away (`nhip show … | head -1`), as `rg … | head` does: no panic, no error message.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

const NHIP: &str = env!("CARGO_BIN_EXE_nhip");

/// A sentence of our own, repeated into long documents and inputs.
const SENTENCE: &str =
    "Người dân xã Tân Phú phản ánh tình trạng sạt lở bờ sông sau đợt mưa lớn kéo dài.";

/// Text of about `bytes` bytes, one sentence per line: more than a pipe holds (64 KiB).
fn long_text(bytes: usize) -> String {
    let mut text = String::new();
    let mut n = 0;
    while text.len() < bytes {
        n += 1;
        text.push_str(&format!("{SENTENCE} Đoạn {n}.\n"));
    }
    text
}

/// An index of a few documents, one of them far longer than a pipe's buffer.
fn build_index(dir: &Path) -> std::path::PathBuf {
    let input = dir.join("docs.jsonl");
    let mut lines = String::new();
    for i in 0..30 {
        let body = if i == 0 {
            long_text(200_000)
        } else {
            format!("{SENTENCE} Bản tin số {i} về sạt lở và mưa lớn.")
        };
        let doc = serde_json::json!({
            "id": format!("doc-{i}"),
            "title": format!("Sạt lở bờ sông, bản tin {i}"),
            "body": body,
            "published_at": format!("2026-03-{:02}", 1 + i % 28),
            "source": "Báo Thử",
        });
        lines.push_str(&doc.to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    let index = dir.join("index");
    let output = Command::new(NHIP)
        .args(["index", "--index"])
        .arg(&index)
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    index
}

/// How the reader of stdout goes away.
#[derive(Clone, Copy, Debug)]
enum Reader {
    /// Closed before the command writes anything.
    ClosedAtOnce,
    /// Reads one line, then closes (`| head -1`).
    HeadOne,
}

fn assert_quiet_stop(args: &[&str], reader: Reader) {
    let mut child = Command::new(NHIP)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    match reader {
        Reader::ClosedAtOnce => drop(stdout),
        Reader::HeadOne => {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).unwrap();
        }
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "nhip {args:?} ({reader:?}) failed with {:?}:\n{stderr}",
        output.status
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "nhip {args:?} ({reader:?}):\n{stderr}"
    );
}

#[test]
fn printing_commands_stop_quietly_when_the_reader_goes_away() {
    let dir = tempfile::tempdir().unwrap();
    let index = build_index(dir.path());
    let index = index.to_str().unwrap();
    let text_file = dir.path().join("long.txt");
    std::fs::write(&text_file, long_text(300_000)).unwrap();
    let text_file = text_file.to_str().unwrap();
    let gold = dir.path().join("gold.txt");
    std::fs::write(&gold, "Người_dân phản_ánh sạt_lở .\n").unwrap();
    let gold = gold.to_str().unwrap();
    let inbox = dir.path().join("docs.jsonl");
    let inbox = inbox.to_str().unwrap();

    let commands: Vec<Vec<&str>> = vec![
        vec!["show", "--index", index, "doc-0"],
        vec!["show", "--index", index, "--json", "doc-0"],
        vec!["search", "--index", index, "--limit", "30", "sạt lở"],
        vec![
            "search", "--index", index, "--json", "--limit", "30", "sat lo",
        ],
        vec!["search", "--index", index, "--by", "week", "sạt lở"],
        vec!["tokenize", "--input", text_file],
        vec!["tokenize", "--eval", gold],
        vec!["normalize", "--input", text_file],
        vec!["normalize", "--fold", "--input", text_file],
        vec!["terms", "--min-count", "2", inbox],
        vec!["ingest", inbox],
    ];
    for args in &commands {
        for reader in [Reader::ClosedAtOnce, Reader::HeadOne] {
            assert_quiet_stop(args, reader);
        }
    }
}

#[test]
fn a_closed_stderr_is_no_panic_either() {
    // `nhip … 2>&1 | head -1`: both outputs go to a pipe nobody reads any more.
    let dir = tempfile::tempdir().unwrap();
    let index = build_index(dir.path());
    let inbox = dir.path().join("docs.jsonl");
    for args in [
        vec!["show", "--index", index.to_str().unwrap(), "doc-0"],
        vec!["search", "--index", index.to_str().unwrap(), "sạt lở"],
        vec!["ingest", inbox.to_str().unwrap()],
    ] {
        let mut child = Command::new(NHIP)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        assert!(status.success(), "nhip {args:?}: {status:?}");
    }
}
