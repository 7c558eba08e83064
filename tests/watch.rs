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

/// GET on 127.0.0.1, the body as text ("" when the server is not up yet).
fn get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
        return String::new();
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return String::new();
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, body)| body.to_string())
}

#[test]
fn serve_with_watch_shows_an_inbox_file_live() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("topics.toml"),
        "[[topic]]\nname = \"flood\"\nquery = '\"lũ lụt\"'\n",
    )
    .unwrap();
    std::fs::write(
        root.join("pipeline.toml"),
        "[index]\npath = \"index\"\n[trends]\ntopics = \"topics.toml\"\n[output]\ndir = \"out\"\n\
         [[inbox]]\npath = \"inbox\"\n[watch]\nbatch_seconds = 0.2\nsettle_seconds = 0.2\n",
    )
    .unwrap();
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let mut server = Command::new(env!("CARGO_BIN_EXE_nhip"))
        .args(["serve", "--watch", "pipeline.toml", "--addr", &addr])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(root.join("serve.log")).unwrap())
        .spawn()
        .unwrap();
    let up = wait_until(60, || get(&addr, "/api/search?q=x").contains("total"));
    // The inbox was created by the watcher; a report dropped in it shows up in the API.
    let dropped = up
        && std::fs::write(
            root.join("inbox/bc.txt"),
            "Tiêu đề: Lũ lụt ở xã Minh Tân\nNgày: 2026-03-02\n\nMưa lớn gây lũ lụt kéo dài.\n",
        )
        .is_ok();
    let found = dropped
        && wait_until(60, || {
            get(&addr, "/api/search?q=%22l%C5%A9+l%E1%BB%A5t%22").contains("\"total\":1")
        });
    server.kill().unwrap();
    server.wait().unwrap();
    let log = std::fs::read_to_string(root.join("serve.log")).unwrap_or_default();
    assert!(up, "server not up: {log}");
    assert!(found, "not found live: {log}");
}
