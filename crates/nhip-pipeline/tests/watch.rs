//! The watcher end to end, in-process: inbox folders, feeds from a local HTTP server (127.0.0.1
//! only), batched commits, the state file, alerts and the webhook.

mod support;

use nhip_index::{NhipIndex, SearchOptions};
use nhip_pipeline::watch::config::{AlertsTable, FeedTable, InboxTable, WatchConfig, WatchTable};
use nhip_pipeline::watch::{self, WatchSummary};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::{wait_until, Response, TestServer};

/// Short timings so a test takes seconds.
fn quick() -> WatchTable {
    WatchTable {
        batch_docs: Some(100),
        batch_seconds: Some(0.2),
        settle_seconds: Some(0.5),
        rescan_seconds: Some(2.0),
        host_gap_seconds: Some(0.2),
        timeout_seconds: Some(5.0),
        max_response_bytes: Some(1024 * 1024),
        attempts: Some(3),
        retry_seconds: Some(0.05),
    }
}

fn config(dir: &Path, inboxes: &[PathBuf], feeds: Vec<FeedTable>) -> WatchConfig {
    WatchConfig {
        index_dir: dir.join("index"),
        out_dir: dir.join("out"),
        topics: None,
        inboxes: inboxes
            .iter()
            .map(|path| InboxTable {
                path: path.clone(),
                source: Some("Cộng tác viên".into()),
                kind: Some("report".into()),
                columns: Default::default(),
            })
            .collect(),
        feeds,
        alerts: AlertsTable::default(),
        settings: quick().settings().unwrap(),
    }
}

struct Running {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<WatchSummary>,
}

fn start(config: WatchConfig) -> Running {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::spawn(move || watch::run(config, &flag).unwrap());
    Running { stop, thread }
}

impl Running {
    fn stop(self) -> WatchSummary {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap()
    }
}

fn docs(index_dir: &Path) -> u64 {
    NhipIndex::open(index_dir).map_or(0, |i| i.num_docs())
}

fn hits(index_dir: &Path, query: &str) -> Vec<nhip_index::Hit> {
    let Ok(index) = NhipIndex::open(index_dir) else {
        return Vec::new();
    };
    index
        .search(query, &SearchOptions::default())
        .map(|r| r.hits)
        .unwrap_or_default()
}

const REPORT_HEAD: &str = "Tiêu đề: Báo cáo tình hình xã Minh Tân\nNgày: 2026-03-02\n\n";

#[test]
fn inbox_file_copied_slowly_is_read_once_complete() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let mut config = config(dir.path(), std::slice::from_ref(&inbox), Vec::new());
    // Well above the gaps between pieces, so a loaded machine does not split the copy.
    config.settings.settle = Duration::from_secs(1);
    let running = start(config);
    // Written in pieces, each gap shorter than the settle time.
    let path = inbox.join("bao-cao.txt");
    let mut file = std::fs::File::create(&path).unwrap();
    use std::io::Write;
    file.write_all(REPORT_HEAD.as_bytes()).unwrap();
    for part in [
        "Mưa lớn kéo dài ",
        "gây ngập nhiều tuyến đường. ",
        "Phần cuối: đoàn kiểm tra đã đến hiện trường.",
    ] {
        std::thread::sleep(Duration::from_millis(250));
        file.write_all(part.as_bytes()).unwrap();
        file.flush().unwrap();
    }
    drop(file);
    let index_dir = dir.path().join("index");
    assert!(
        wait_until(15.0, || docs(&index_dir) == 1),
        "the report was not indexed"
    );
    let hit = &hits(&index_dir, "\"hiện trường\"")[0];
    assert_eq!(hit.title, "Báo cáo tình hình xã Minh Tân");
    std::thread::sleep(Duration::from_millis(800));
    let summary = running.stop();
    // Read once, complete: one document written, in one batch.
    assert_eq!((summary.documents, summary.batches), (1, 1), "{summary:?}");
    let state = std::fs::read_to_string(dir.path().join("index.watch-state.json")).unwrap();
    assert!(state.contains("bao-cao.txt"), "{state}");
    // User files are never moved, renamed or deleted.
    assert!(path.exists());
    assert_eq!(std::fs::read_dir(&inbox).unwrap().count(), 1);
}

#[test]
fn modified_file_replaces_its_document_and_deleted_file_stays() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let index_dir = dir.path().join("index");
    let running = start(config(dir.path(), std::slice::from_ref(&inbox), Vec::new()));
    let path = inbox.join("bao-cao.txt");
    std::fs::write(&path, format!("{REPORT_HEAD}Ban đầu: đường bị ngập sâu.")).unwrap();
    assert!(wait_until(15.0, || hits(&index_dir, "\"ban đầu\"").len() == 1));
    let first = hits(&index_dir, "\"ban đầu\"")[0].id.clone();
    std::thread::sleep(Duration::from_millis(100));
    std::fs::write(
        &path,
        format!("{REPORT_HEAD}Cập nhật: nước đã rút, đường thông xe."),
    )
    .unwrap();
    assert!(wait_until(15.0, || hits(&index_dir, "\"nước đã rút\"")
        .len()
        == 1));
    // Updated in place: the same id, the old text gone, one document.
    assert_eq!(hits(&index_dir, "\"nước đã rút\"")[0].id, first);
    assert!(hits(&index_dir, "\"ban đầu\"").is_empty());
    assert_eq!(docs(&index_dir), 1);
    // A deleted file leaves the index as it is.
    std::fs::remove_file(&path).unwrap();
    let state_path = dir.path().join("index.watch-state.json");
    assert!(wait_until(10.0, || !std::fs::read_to_string(&state_path)
        .unwrap_or_default()
        .contains("bao-cao.txt")));
    assert_eq!(docs(&index_dir), 1);
    running.stop();
}

#[test]
fn restart_reads_only_what_is_new_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(inbox.join("tuan-1")).unwrap();
    let index_dir = dir.path().join("index");
    let report = |n: usize| {
        format!("Tiêu đề: Báo cáo số {n}\nNgày: 2026-03-02\n\nNội dung về tình hình địa phương.")
    };
    for n in 0..20 {
        std::fs::write(inbox.join(format!("tuan-1/r{n}.txt")), report(n)).unwrap();
    }
    let running = start(config(dir.path(), std::slice::from_ref(&inbox), Vec::new()));
    assert!(wait_until(20.0, || docs(&index_dir) == 20));
    let first = running.stop();
    assert_eq!(first.documents, 20);
    // Files arriving while the watcher is down are read at the next start; the others not.
    for n in 20..30 {
        std::fs::write(inbox.join(format!("r{n}.txt")), report(n)).unwrap();
    }
    let running = start(config(dir.path(), std::slice::from_ref(&inbox), Vec::new()));
    assert!(wait_until(20.0, || docs(&index_dir) == 30));
    std::thread::sleep(Duration::from_millis(500));
    let second = running.stop();
    assert_eq!(second.documents, 10, "{second:?}");
    for n in 0..30 {
        assert_eq!(
            hits(&index_dir, &format!("\"báo cáo số {n}\"")).len(),
            1,
            "report {n}"
        );
    }
}

fn article_page(title: &str, key_sentence: &str) -> String {
    let filler = "Người dân địa phương cho biết tình hình đã được chính quyền theo dõi sát sao trong nhiều ngày qua, các lực lượng chức năng có mặt kịp thời. ";
    format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>\
         <p>{key_sentence} {filler}</p><p>{filler}{filler}</p><p>{filler}</p></article></body></html>"
    )
}

fn rss(items: &[(&str, &str, &str)]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Báo Thử</title><link>http://127.0.0.1/</link>");
    for (title, link, description) in items {
        out.push_str(&format!(
            "<item><title>{title}</title><link>{link}</link><guid>{link}</guid><pubDate>Mon, 02 Mar 2026 08:00:00 +0700</pubDate><description>{description}</description></item>"
        ));
    }
    out.push_str("</channel></rss>");
    out
}

fn feed(url: String, articles: bool) -> FeedTable {
    FeedTable {
        url,
        source: Some("Báo Thử".into()),
        every: Some("1s".into()),
        articles,
        kind: None,
    }
}

#[test]
fn feeds_conditional_get_retries_failures_charsets_and_changed_items() {
    use std::sync::atomic::AtomicUsize;
    let version = Arc::new(AtomicUsize::new(1));
    let flaky_calls = Arc::new(AtomicUsize::new(0));
    let (v, flaky) = (version.clone(), flaky_calls.clone());
    let server = TestServer::start(move |request| {
        let base = format!("http://{}", request.header("host").unwrap_or_default());
        let version = v.load(Ordering::SeqCst);
        match request.path.as_str() {
            "/feed.rss" => {
                let etag = format!("\"v{version}\"");
                if request.header("if-none-match") == Some(etag.as_str()) {
                    return Response::status(304).with_header("ETag", &etag);
                }
                let summary = if version == 1 {
                    "Tóm tắt ban đầu."
                } else {
                    "Tóm tắt đã sửa."
                };
                let body = rss(&[
                    (
                        "Nước lũ dâng cao ở xã Minh Tân",
                        &format!("{base}/a1.html"),
                        summary,
                    ),
                    (
                        "Chuyện người Việt xa quê",
                        &format!("{base}/a2.html"),
                        "Tóm tắt bài hai.",
                    ),
                ]);
                Response::ok("application/rss+xml", body).with_header("ETag", &etag)
            }
            "/a1.html" => {
                let key = if version == 1 {
                    "Toàn văn bài một kể lại đêm nước lên."
                } else {
                    "Bài một đã sửa sau khi nước rút."
                };
                Response::ok(
                    "text/html; charset=utf-8",
                    article_page("Nước lũ dâng cao", key),
                )
            }
            "/a2.html" => {
                // Windows-1258: "Việt" is V i ê(0xEA) + combining dot below (0xF2) t.
                let mut page = article_page(
                    "Chuyen nguoi xa que",
                    "Tieng Vi@t van vang bay giua pho xa.",
                )
                .into_bytes();
                let at = page.windows(2).position(|w| w == b"i@").unwrap() + 1;
                page.splice(at..at + 1, [0xEA, 0xF2]);
                let ascii_only: Vec<u8> = page
                    .iter()
                    .copied()
                    .filter(|b| b.is_ascii() || *b == 0xEA || *b == 0xF2)
                    .collect();
                Response::ok("text/html; charset=windows-1258", ascii_only)
            }
            "/flaky.rss" => {
                if flaky.fetch_add(1, Ordering::SeqCst) == 0 {
                    return Response::status(500);
                }
                Response::ok(
                    "application/rss+xml",
                    rss(&[(
                        "Tin nhanh buổi sáng",
                        &format!("{base}/d.html"),
                        "Tin nhanh thứ tư về giao thông.",
                    )]),
                )
            }
            "/loop" => Response::status(302).with_header("Location", &format!("{base}/loop")),
            // 60 MB: read only up to the size cap, then given up.
            "/big.rss" => Response::ok("application/rss+xml", vec![b' '; 60 * 1024 * 1024]),
            "/slow.rss" => {
                // Longer than the client's time-out.
                std::thread::sleep(Duration::from_millis(2500));
                Response::ok("application/rss+xml", rss(&[]))
            }
            _ => Response::status(404),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("index");
    let feeds = vec![
        feed(server.url("/feed.rss"), true),
        feed(server.url("/flaky.rss"), false),
        feed(server.url("/loop"), false),
        feed(server.url("/big.rss"), false),
        feed(server.url("/slow.rss"), false),
    ];
    let mut config = config(dir.path(), &[], feeds);
    config.settings.http.timeout = Duration::from_millis(800);
    let running = start(config);
    assert!(
        wait_until(30.0, || docs(&index_dir) == 3),
        "indexed: {}",
        docs(&index_dir)
    );
    // Full article text, not the feed's summary; a Windows-1258 page decoded.
    let one = hits(&index_dir, "\"toàn văn bài một\"");
    assert_eq!(one.len(), 1);
    let two = hits(&index_dir, "\"vang bay\"");
    assert_eq!(two.len(), 1, "the Windows-1258 page");
    let page = NhipIndex::open(&index_dir)
        .unwrap()
        .get(&two[0].id)
        .unwrap()
        .unwrap();
    assert!(page.body.contains("Tieng Việt van"), "{}", page.body);
    // The 500 was retried within the poll.
    assert_eq!(hits(&index_dir, "\"tin nhanh thứ tư\"").len(), 1);
    // A second poll costs a 304 and fetches no article again.
    assert!(wait_until(30.0, || server
        .requests_to("/feed.rss")
        .iter()
        .any(|r| r.header("if-none-match") == Some("\"v1\""))));
    assert_eq!(server.requests_to("/a1.html").len(), 1);
    // The feed changes: the changed item is fetched again and updated in place.
    version.store(2, Ordering::SeqCst);
    assert!(wait_until(30.0, || hits(&index_dir, "\"bài một đã sửa\"")
        .len()
        == 1));
    assert_eq!(hits(&index_dir, "\"bài một đã sửa\"")[0].id, one[0].id);
    assert!(hits(&index_dir, "\"toàn văn bài một\"").is_empty());
    assert_eq!(docs(&index_dir), 3);
    assert_eq!(
        server.requests_to("/a2.html").len(),
        1,
        "an unchanged item is not fetched again"
    );
    std::thread::sleep(Duration::from_millis(1200));
    running.stop();
    // Failures are in the status, and did not stop the other feeds.
    let status = watch::read_status(&index_dir).unwrap();
    let error = |path: &str| {
        status.feeds[&server.url(path)]
            .last_error
            .clone()
            .unwrap_or_default()
    };
    assert!(error("/loop").contains("redirects"), "{}", error("/loop"));
    assert!(
        error("/big.rss").contains("larger than"),
        "{}",
        error("/big.rss")
    );
    assert!(
        error("/slow.rss").contains("imeout"),
        "{}",
        error("/slow.rss")
    );
    // A time-out is retried (3 attempts in these settings) before the poll gives up.
    assert!(server.requests_to("/slow.rss").len() >= 3);
    assert!(status.feeds[&server.url("/feed.rss")].not_modified >= 1);
    // Politeness: one request at a time per host, the host gap after each. The server stamps
    // a request once it has read it, before answering, so consecutive stamps are at least the
    // gap apart however late a stamp comes (the next request waits for the answer).
    let mut times: Vec<_> = server.requests().iter().map(|r| r.at).collect();
    times.sort();
    let closest = times.windows(2).map(|w| w[1] - w[0]).min().unwrap();
    assert!(closest >= Duration::from_millis(200), "{closest:?}");
    for request in server.requests() {
        assert!(request
            .header("user-agent")
            .unwrap_or_default()
            .starts_with("nhip-watch/"));
    }
}

#[test]
fn topic_over_its_baseline_raises_one_alert_delivered_despite_webhook_failures() {
    use chrono::Datelike;
    use std::sync::atomic::AtomicUsize;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let server = TestServer::start(move |request| {
        if request.path != "/hook" {
            return Response::status(404);
        }
        if counter.fetch_add(1, Ordering::SeqCst) < 2 {
            return Response::status(500);
        }
        Response::status(204)
    });
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("index");
    // History: one flood report a week for nine weeks (the baseline is 1).
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let line = |id: String, title: &str, date: chrono::NaiveDate| {
        serde_json::json!({"id": id, "title": title, "body": format!("{title}: thiệt hại đang được thống kê, người dân được hỗ trợ."), "published_at": date.to_string(), "author": "Nguyễn Văn A", "unit": "Tổ 3"}).to_string()
    };
    let history = dir.path().join("history.jsonl");
    let lines: Vec<String> = (1..=9)
        .map(|k| {
            line(
                format!("h{k}"),
                &format!("Lũ lụt tuần trước số {k}"),
                monday - chrono::Duration::weeks(k),
            )
        })
        .collect();
    std::fs::write(&history, lines.join("\n")).unwrap();
    let batch = nhip_ingest::ingest_paths(&[history], &Default::default());
    NhipIndex::open_or_create(&index_dir)
        .unwrap()
        .write(&batch.documents)
        .unwrap();
    let topics = dir.path().join("topics.toml");
    std::fs::write(&topics, "[[topic]]\nname = \"flood\"\nlabel = \"Lũ lụt\"\nquery = '\"lũ lụt\"'\n\n[[topic]]\nname = \"gold\"\nquery = '\"giá vàng\"'\n").unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let mut config = config(dir.path(), std::slice::from_ref(&inbox), Vec::new());
    config.topics = Some(topics);
    config.alerts.webhook = Some(server.url("/hook"));
    config.alerts.topic.insert(
        "gold".into(),
        nhip_pipeline::watch::config::TopicAlertTable {
            alert: Some(false),
            ..Default::default()
        },
    );
    let running = start(config.clone());
    // This week: five flood reports (p ≈ 0.004 against a baseline of 1), and five on gold,
    // whose alerts are off.
    let week: Vec<String> = (0..5)
        .map(|n| line(format!("w{n}"), &format!("Lũ lụt tuần này số {n}"), today))
        .chain((0..5).map(|n| line(format!("g{n}"), &format!("Giá vàng tuần này số {n}"), today)))
        .collect();
    std::fs::write(inbox.join("tuan-nay.jsonl"), week.join("\n")).unwrap();
    let alerts_path = dir.path().join("out/alerts.jsonl");
    let alert_lines = || {
        std::fs::read_to_string(&alerts_path)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect::<Vec<_>>()
    };
    assert!(wait_until(20.0, || alert_lines().len() == 1), "no alert");
    assert!(
        wait_until(20.0, || calls.load(Ordering::SeqCst) == 3),
        "webhook calls: {}",
        calls.load(Ordering::SeqCst)
    );
    // One more flood report: still flagged at the same level, so no second alert.
    std::fs::write(
        inbox.join("them.jsonl"),
        line("w5".into(), "Lũ lụt tuần này số 5", today),
    )
    .unwrap();
    assert!(wait_until(20.0, || docs(&index_dir) == 20));
    std::thread::sleep(Duration::from_millis(800));
    running.stop();
    // A restart raises and delivers nothing again.
    let running = start(config);
    std::thread::sleep(Duration::from_millis(1500));
    running.stop();
    let alerts = alert_lines();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let alert = &alerts[0];
    assert_eq!(alert["topic"], "flood");
    assert_eq!(alert["docs"], 5);
    assert_eq!(alert["baseline"], 1.0);
    assert!(alert["p_value"].as_f64().unwrap() < 0.01);
    assert_eq!(alert["documents"].as_array().unwrap().len(), 3);
    let posted = &server.requests_to("/hook")[2];
    let delivered: serde_json::Value = serde_json::from_str(&posted.body).unwrap();
    assert_eq!(delivered["topic"], "flood");
    // No collaborator identity travels with an alert.
    for text in [alerts_path.display().to_string(), posted.body.clone()] {
        let text = std::fs::read_to_string(&text).unwrap_or(text);
        assert!(
            !text.contains("Nguyễn Văn A") && !text.contains("Tổ 3") && !text.contains("author"),
            "{text}"
        );
    }
}
