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
