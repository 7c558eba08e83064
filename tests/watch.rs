//! `nhip watch` as a user runs it: a pipeline with an inbox, the process killed with SIGKILL in
//! the middle of its batches, then started again: every report indexed exactly once.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn report(n: usize) -> String {
    format!("Tiêu đề: Báo cáo số {n}\nNgày: 2026-03-02\n\nTình hình địa phương trong tuần, báo cáo số {n} của cộng tác viên.")
}

fn watch(dir: &Path, log: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_nhip"))
        .args(["watch", "pipeline.toml"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join(log)).unwrap())
        .spawn()
        .unwrap()
}

fn indexed(dir: &Path) -> u64 {
    nhip_index::NhipIndex::open(&dir.join("index")).map_or(0, |i| i.num_docs())
}

fn wait_until(seconds: u64, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    check()
}

#[test]
fn killed_watcher_restarts_losing_and_duplicating_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("inbox")).unwrap();
    std::fs::write(
        root.join("topics.toml"),
        "[[topic]]\nname = \"flood\"\nquery = '\"lũ lụt\"'\n",
    )
    .unwrap();
    std::fs::write(
        root.join("pipeline.toml"),
        r#"[index]
path = "index"

[trends]
topics = "topics.toml"

[output]
dir = "out"

[[inbox]]
path = "inbox"
source = "Cộng tác viên"
kind = "report"

[watch]
batch_docs = 10
batch_seconds = 0.2
settle_seconds = 0.2
rescan_seconds = 1
"#,
    )
    .unwrap();
    for n in 0..150 {
        std::fs::write(root.join(format!("inbox/r{n}.txt")), report(n)).unwrap();
    }
    let mut first = watch(root, "first.log");
    // Killed once some batches (of 10) are committed, with more on the way.
    assert!(wait_until(120, || indexed(root) >= 10), "nothing indexed");
    first.kill().unwrap();
    first.wait().unwrap();
    let at_kill = indexed(root);
    assert!(
        at_kill < 150,
        "all committed before the kill: nothing was interrupted"
    );
    for n in 150..170 {
        std::fs::write(root.join(format!("inbox/r{n}.txt")), report(n)).unwrap();
    }
    let mut second = watch(root, "second.log");
    let all = wait_until(120, || {
        indexed(root) == 170
            && std::fs::read_to_string(root.join("second.log"))
                .unwrap_or_default()
                .contains("batch committed")
    });
    let status = Command::new(env!("CARGO_BIN_EXE_nhip"))
        .args(["watch", "--status", "pipeline.toml"])
        .current_dir(root)
        .output()
        .unwrap();
    second.kill().unwrap();
    second.wait().unwrap();
    assert!(all, "{} documents, {at_kill} at the kill", indexed(root));
    let index = nhip_index::NhipIndex::open(&root.join("index")).unwrap();
    for n in 0..170 {
        let found = index
            .search(&format!("\"báo cáo số {n}\""), &Default::default())
            .unwrap();
        assert_eq!(found.total, 1, "report {n}");
    }
    let log = std::fs::read_to_string(root.join("second.log")).unwrap();
    assert!(log.contains("batch committed"), "{log}");
    let status = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(
        status.contains("files pending") && status.contains("batches"),
        "{status}"
    );
    // The user's files are all still there.
    assert_eq!(std::fs::read_dir(root.join("inbox")).unwrap().count(), 170);
}
