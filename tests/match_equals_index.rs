//! `nhip match` decides topics as the index does: on the completeness test's generated corpus
//! (accent variants, NFD, tone placement, upper case, text without diacritics) and generated
//! queries (words, phrases, accent-free words, AND, OR, exclusions, filters), every query
//! matches the same documents through `nhip match` as through `nhip search` over an index of
//! the same documents — across several small batches, so batch edges change nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

#[path = "../crates/nhip-index/tests/generator/mod.rs"]
mod generator;
use generator::{corpus, folded, spell, Rng, SYLLABLES};

const NHIP: &str = env!("CARGO_BIN_EXE_nhip");

fn nhip(args: &[&str]) -> std::process::Output {
    let out = Command::new(NHIP).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "nhip {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// One generated query in nhip's query language.
fn query(rng: &mut Rng) -> String {
    let word = |rng: &mut Rng| {
        let s = SYLLABLES[rng.below(SYLLABLES.len())];
        if rng.below(3) == 0 {
            folded(s)
        } else {
            spell(rng, s)
        }
    };
    let term = |rng: &mut Rng| match rng.below(4) {
        0 => format!("\"{} {}\"", word(rng), word(rng)),
        1 => format!("{} {}", word(rng), word(rng)),
        _ => word(rng),
    };
    match rng.below(8) {
        0 => format!("{} OR {}", term(rng), term(rng)),
        1 => format!("{} -{}", term(rng), word(rng)),
        2 => format!("{} kind:report", term(rng)),
        3 => format!("{} source:\"báo {}\"", term(rng), 1 + rng.below(3)),
        4 => format!("title:{}", word(rng)),
        5 => format!("({} OR {}) AND {}", term(rng), term(rng), term(rng)),
        _ => term(rng),
    }
}

fn write_corpus(dir: &Path) -> std::path::PathBuf {
    let input = dir.join("corpus.jsonl");
    let mut lines = String::new();
    for (i, d) in corpus(400).into_iter().enumerate() {
        let line = serde_json::json!({
            "id": d.id,
            "title": d.title,
            "body": d.body,
            "source": format!("Báo {}", 1 + i % 3),
            "kind": if i % 4 == 0 { "report" } else { "press" },
            "published_at": format!("2026-03-{:02}T08:00:00+07:00", 1 + i % 28),
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    input
}

#[test]
fn nhip_match_equals_nhip_search() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_corpus(dir.path());
    let docs = dir.path().join("docs.jsonl");
    let index = dir.path().join("index");
    nhip(&[
        "ingest",
        "--out",
        docs.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    nhip(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);

    let mut rng = Rng(0x6d61_7463_6800_0016);
    let queries: Vec<String> = (0..80).map(|_| query(&mut rng)).collect();
    let mut topics = String::new();
    for (i, q) in queries.iter().enumerate() {
        topics.push_str(&format!(
            "[[topic]]\nname = \"q{i}\"\nquery = {}\n",
            serde_json::to_string(q).unwrap()
        ));
    }
    let topics_path = dir.path().join("topics.toml");
    std::fs::write(&topics_path, topics).unwrap();

    let mut child = Command::new(NHIP)
        .args(["match", "--batch", "97", "--topics"])
        .arg(&topics_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let text = std::fs::read(&docs).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || stdin.write_all(&text).unwrap());
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut matched: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut lines = 0;
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        lines += 1;
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for t in v["topics"].as_array().unwrap() {
            matched
                .entry(t.as_str().unwrap().to_string())
                .or_default()
                .insert(v["id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(lines, 400);

    let mut nonempty = 0;
    for (i, q) in queries.iter().enumerate() {
        let out = nhip(&[
            "search",
            "--index",
            index.to_str().unwrap(),
            "--json",
            "--limit",
            "100000",
            q,
        ]);
        let results: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let from_search: BTreeSet<String> = results["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| hit["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            results["total"],
            from_search.len(),
            "query {q:?}: every hit listed"
        );
        let from_match = matched.remove(&format!("q{i}")).unwrap_or_default();
        assert_eq!(from_match, from_search, "query {q:?}");
        nonempty += usize::from(!from_search.is_empty());
    }
    // The generated queries are not all trivially empty.
    assert!(nonempty >= 40, "only {nonempty} queries matched anything");
}
