//! The `nhip` binary on an index another process is writing, and on damaged indexes: a clear
//! error naming the problem and what to do, never a panic, nothing changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn nhip(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nhip"))
        .args(args)
        .output()
        .expect("nhip runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes `n` small JSON Lines documents and indexes them into `dir/index`.
fn small_index(dir: &Path, n: usize) -> PathBuf {
    let input = dir.join("in.jsonl");
    let lines: String = (0..n)
        .map(|i| {
            format!(
                "{{\"id\":\"d{i}\",\"title\":\"Mưa lớn số {i}\",\"body\":\"Mưa lớn gây ngập ở xã Minh Tân, lần thứ {i}.\",\"published_at\":\"2026-01-05\"}}\n"
            )
        })
        .collect();
    std::fs::write(&input, lines).unwrap();
    let index = dir.join("index");
    let output = nhip(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    index
}

/// Every file of a folder with its size and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            (e.path(), (meta.len(), meta.modified().unwrap()))
        })
        .collect()
}

#[test]
fn a_second_writer_fails_at_once_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let index = small_index(dir.path(), 5);
    let more = dir.path().join("more.jsonl");
    std::fs::write(
        &more,
        "{\"id\":\"x1\",\"title\":\"Giá xăng tăng\",\"body\":\"Giá xăng tăng lần thứ ba.\"}\n",
    )
    .unwrap();
    // Another process holds the writer lock, as a running `nhip index` does (tantivy's lock
    // is an flock on this file).
    let lock = index.join(".tantivy-writer.lock");
    // `--no-fork`: `sleep` itself holds the lock, so killing it frees the lock.
    let mut holder = Command::new("flock")
        .arg("--no-fork")
        .arg(&lock)
        .args(["sleep", "60"])
        .stdout(Stdio::null())
        .spawn()
        .expect("flock(1) runs");
    // Wait until the lock is really held.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::fs::read_to_string("/proc/locks")
        .map(|l| !l.contains(&format!(" {} ", holder.id())))
        .unwrap_or(false)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "flock never held the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let before = snapshot(&index);
    let started = std::time::Instant::now();
    let rejects = dir.path().join("second.rejects.jsonl");
    let output = nhip(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        "--rejects",
        rejects.to_str().unwrap(),
        more.to_str().unwrap(),
    ]);
    let took = started.elapsed();
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("being written by another process")
            && message.contains(lock.to_str().unwrap())
            && message.contains("Nothing was changed"),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
    // Said once, though the error passes through several layers.
    assert_eq!(
        message.matches("Nothing was changed").count(),
        1,
        "{message}"
    );
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
    assert_eq!(snapshot(&index), before);
    assert!(!rejects.exists());
    // With the lock gone, the same command completes.
    let output = nhip(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        more.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let search = nhip(&[
        "search",
        "--json",
        "--index",
        index.to_str().unwrap(),
        "giá xăng",
    ]);
    let hits: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    assert_eq!(hits["total"], 1);
}

/// The index's largest file of one kind (`term`, `store`, …).
fn largest(index: &Path, extension: &str) -> PathBuf {
    std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap()
}

/// One way of damaging an index, and whether opening it (every command) must notice.
struct Damage {
    name: &'static str,
    apply: fn(&Path) -> String,
    noticed_on_open: bool,
}

fn damages() -> Vec<Damage> {
    vec![
        Damage {
            name: "truncated segment file",
            apply: |index| {
                let file = largest(index, "term");
                let size = std::fs::metadata(&file).unwrap().len();
                let f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
                f.set_len(size / 3).unwrap();
                file.file_name().unwrap().to_string_lossy().into_owned()
            },
            noticed_on_open: true,
        },
        Damage {
            name: "missing segment file",
            apply: |index| {
                let file = largest(index, "pos");
                std::fs::remove_file(&file).unwrap();
                file.file_name().unwrap().to_string_lossy().into_owned()
            },
            noticed_on_open: true,
        },
        Damage {
            name: "flipped bytes in the positions",
            apply: |index| flip(&largest(index, "pos")),
            noticed_on_open: false,
        },
        Damage {
            name: "flipped bytes in the stored documents",
            apply: |index| flip(&largest(index, "store")),
            noticed_on_open: false,
        },
        Damage {
            name: "meta.json of another schema version",
            apply: |index| {
                std::fs::write(
                    index.join("nhip.json"),
                    "{\"nhip_index_schema\": 99, \"written_by\": \"nhip 9.0.0\"}\n",
                )
                .unwrap();
                "schema version 99".to_owned()
            },
            noticed_on_open: true,
        },
    ]
}

fn flip(file: &Path) -> String {
    let mut bytes = std::fs::read(file).unwrap();
    let n = bytes.len();
    for at in [n / 5, 2 * n / 5, n / 2, 3 * n / 5, 4 * n / 5] {
        bytes[at] ^= 0xff;
    }
    std::fs::write(file, bytes).unwrap();
    file.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_command_on_a_damaged_index_gives_a_clear_error() {
    for damage in damages() {
        let dir = tempfile::tempdir().unwrap();
        let index = small_index(dir.path(), 60);
        let index_arg = index.to_str().unwrap();
        let what = (damage.apply)(&index);
        let topics = dir.path().join("topics.toml");
        std::fs::write(
            &topics,
            "[[topic]]\nname = \"rain\"\nlabel = \"Mưa\"\nquery = '\"mưa lớn\"'\n",
        )
        .unwrap();
        let out = dir.path().join("out");
        let commands: Vec<Vec<&str>> = vec![
            vec!["search", "--index", index_arg, "\"mưa lớn\" ngập"],
            vec!["show", "--index", index_arg, "d7"],
            vec![
                "trends",
                "--index",
                index_arg,
                "--topics",
                topics.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        ];
        for args in commands {
            let output = nhip(&args);
            let message = stderr(&output);
            let context = format!("{} / nhip {}: {message}", damage.name, args[0]);
            assert!(!message.contains("panicked"), "{context}");
            assert_ne!(output.status.code(), Some(101), "{context}");
            // Trends verify every checksum first: never tables from a damaged index.
            if damage.noticed_on_open || args[0] == "trends" {
                assert!(!output.status.success(), "{context}");
                assert!(message.contains(&what), "{context}");
                assert!(
                    message.contains("nhip check --index")
                        || message.contains("Index the documents again"),
                    "{context}"
                );
            } else if !output.status.success() {
                assert!(message.contains("nhip check --index"), "{context}");
            }
        }
        assert!(!out.join("weekly_topics.csv").exists(), "{}", damage.name);
        let check = nhip(&["check", "--index", index_arg]);
        let report = String::from_utf8_lossy(&check.stdout).into_owned();
        assert!(!check.status.success(), "{}: {report}", damage.name);
        assert!(
            report.contains(&what) && report.contains("what to do"),
            "{}: {report}",
            damage.name
        );
    }
}

#[test]
fn check_passes_a_sound_index() {
    let dir = tempfile::tempdir().unwrap();
    let index = small_index(dir.path(), 30);
    let output = nhip(&["check", "--json", "--index", index.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let check: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(check["documents"], 30);
    assert_eq!(check["documents_read"], 30);
    assert_eq!(check["schema_version"], nhip_index::SCHEMA_VERSION);
    assert_eq!(check["problems"], serde_json::json!([]));
}
