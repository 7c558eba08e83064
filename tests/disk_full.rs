//! Indexing into a full filesystem: a small tmpfs mounted by the test (the tests run as root
//! here; elsewhere the test says it was skipped). The write fails with a clear error, the last
//! commit stays intact and searchable, and once space is freed the same command completes with
//! the exact count.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn nhip(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nhip"))
        .args(args)
        .output()
        .expect("nhip runs")
}

/// A tmpfs mounted on a temporary folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then_some(Tmpfs { dir })
    }

    fn resize(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(self.dir.path())
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// `n` distinct documents of about 1.5 KB each as JSON Lines, ids `PREFIX-i`.
fn documents(path: &Path, prefix: &str, n: usize) -> PathBuf {
    let words = [
        "mưa", "lớn", "gây", "ngập", "xã", "Minh", "Tân", "giá", "xăng", "tăng", "sạt", "lở",
        "đất", "đai", "học", "phí", "bệnh", "viện", "giao", "thông", "tai", "nạn", "tham", "nhũng",
    ];
    let mut text = String::new();
    for i in 0..n {
        let body: Vec<&str> = (0..300)
            .map(|k| words[(i * 7 + k * 13 + k * k) % words.len()])
            .collect();
        text.push_str(&format!(
            "{{\"id\":\"{prefix}-{i}\",\"title\":\"Báo cáo {prefix} số {i}\",\"body\":\"{} {i}\",\"published_at\":\"2026-01-05\"}}\n",
            body.join(" ")
        ));
    }
    std::fs::write(path, text).unwrap();
    path.to_owned()
}

fn total(index: &str, query: &str) -> u64 {
    let output = nhip(&["search", "--json", "--index", index, query]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    found["total"].as_u64().unwrap()
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_last_commit() {
    let Some(disk) = Tmpfs::mount("2m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let inputs = tempfile::tempdir().unwrap();
    let first = documents(&inputs.path().join("first.jsonl"), "a", 100);
    let second = documents(&inputs.path().join("second.jsonl"), "b", 3_000);
    let index = disk.path().join("index");
    let index_arg = index.to_str().unwrap();

    let output = nhip(&["index", "--index", index_arg, first.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(total(index_arg, "báo cáo"), 100);

    // Far more than the 2 MB left: the write fails, clearly, without a panic.
    let output = nhip(&["index", "--index", index_arg, second.to_str().unwrap()]);
    let message = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!output.status.success(), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    eprintln!("disk full: {message}");
    assert!(
        message.contains("the disk is full") && message.contains("free space and run"),
        "{message}"
    );
    assert!(!message.contains("nhip check"), "{message}");
    // The last commit is intact and searchable.
    assert_eq!(total(index_arg, "báo cáo"), 100);
    let check = nhip(&["check", "--index", index_arg]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Space freed: the same command completes, with the exact count.
    disk.resize("256m");
    let output = nhip(&["index", "--index", index_arg, second.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(total(index_arg, "báo cáo"), 3_100);
    assert_eq!(total(index_arg, "\"báo cáo b\""), 3_000);
}
