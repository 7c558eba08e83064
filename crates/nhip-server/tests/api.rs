//! The server on an ephemeral port over a test index: every page and endpoint, the bad inputs
//! (malformed query, unknown id, huge limit, invalid percent-encoding, a 100 KB query), paging,
//! facets, exports, escaping, the token, and overload.

mod common;

use common::fixture;
use common::http::{encode, get, request};
use nhip_server::{Config, Limits, Server, ServerError};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

struct TestServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn start(config: Config) -> TestServer {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime().block_on(async move {
            let server = Server::bind(config).await.expect("server starts");
            ready_tx.send(server.local_addr().unwrap()).unwrap();
            server
                .run(async {
                    let _ = stop_rx.await;
                })
                .await
                .expect("server runs");
        })
    });
    let addr = ready_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("server ready");
    TestServer {
        addr,
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}

/// Indexes the fixture into `dir/index`, writes a run's outputs into `dir/out`.
fn workspace(dir: &Path) -> Config {
    let input = dir.join("docs.jsonl");
    std::fs::write(&input, fixture::documents()).unwrap();
    std::fs::write(dir.join("topics.toml"), fixture::TOPICS).unwrap();
    let batch = nhip_ingest::ingest_paths(&[input], &nhip_ingest::IngestOptions::default());
    assert!(batch.rejects.is_empty(), "{:?}", batch.rejects);
    let index = nhip_index::NhipIndex::open_or_create(&dir.join("index")).unwrap();
    index.write(&batch.documents).unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("charts")).unwrap();
    std::fs::write(
        out.join("brief.md"),
        "# Bản tin tuần\n\n<script>window.x=1</script>\n\n![Tỷ trọng](charts/overview.svg)\n",
    )
    .unwrap();
    std::fs::write(
        out.join("charts/overview.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    std::fs::write(out.join("weekly_topics.csv"), "topic,docs\nflooding,3\n").unwrap();
    let mut config = Config::new(dir.join("index"));
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.topics = Some(dir.join("topics.toml"));
    config.out_dir = Some(out);
    config
}

fn json_get(addr: SocketAddr, target: &str) -> serde_json::Value {
    let response = get(addr, target);
    assert_eq!(response.status, 200, "{target}: {}", response.text());
    assert!(response
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));
    response.json()
}

fn ids(hits: &serde_json::Value) -> Vec<String> {
    hits.as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_endpoint_answers() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(workspace(dir.path()));
    let a = server.addr;

    let search = json_get(a, "/api/search?q=sat+lo&limit=5");
    let total = search["total"].as_u64().unwrap();
    // 6×3 + 1×9 flood items, the undated note, the hostile page.
    assert_eq!(total, 18 + 9 + 2);
    assert_eq!(search["hits"].as_array().unwrap().len(), 5);
    let hit = &search["hits"][0];
    for field in [
        "id",
        "title",
        "published_at",
        "date_source",
        "source",
        "kind",
        "unit",
        "url",
        "score",
        "snippet",
        "highlights",
    ] {
        assert!(hit.get(field).is_some(), "hit lacks {field}: {hit}");
    }
    let kinds = search["facets"]["kind"].as_array().unwrap();
    let kind_sum: u64 = kinds.iter().map(|k| k["docs"].as_u64().unwrap()).sum();
    assert_eq!(kind_sum, total);
    let source = search["facets"]["source"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let source_docs = search["facets"]["source"][0]["docs"].as_u64().unwrap();
    let filtered = json_get(
        a,
        &format!("/api/search?q=sat+lo&source={}", encode(&source)),
    );
    assert_eq!(filtered["total"].as_u64().unwrap(), source_docs);
    let units = json_get(a, "/api/search?q=tham+nhung&kind=report");
    assert_eq!(units["total"], 12);
    assert_eq!(units["facets"]["unit"].as_array().unwrap().len(), 3);

    let weeks = json_get(a, "/api/search/weeks?q=sat+lo");
    assert_eq!(weeks["undated"], 1);
    let rows = weeks["weeks"].as_array().unwrap();
    assert_eq!(rows.first().unwrap()["week_start"], "2026-01-05");
    let hits_in_weeks: u64 = rows.iter().map(|w| w["hits"].as_u64().unwrap()).sum();
    assert_eq!(hits_in_weeks + 1, total);

    let doc = json_get(
        a,
        &format!("/api/documents/{}?q=sat+lo", fixture::DUPLICATE_IDS[0]),
    );
    assert_eq!(doc["id"], fixture::DUPLICATE_IDS[0]);
    assert!(doc["body"].as_str().unwrap().contains("lụt bão"));
    assert_eq!(ids(&doc["story_documents"]), [fixture::DUPLICATE_IDS[1]]);

    let topics = json_get(a, "/api/topics");
    let rows = topics["topics"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    // Flagged first: flooding rose from 1 to 6 a week.
    assert_eq!(rows[0]["topic"], "flooding");
    for field in [
        "docs",
        "stories",
        "change",
        "baseline",
        "p_value",
        "flag",
        "sparkline",
    ] {
        assert!(rows[0].get(field).is_some(), "topic row lacks {field}");
    }
    let topic = json_get(a, "/api/topics/flooding");
    assert_eq!(topic["weeks"].as_array().unwrap().len(), 12);
    assert!(!topic["documents"].as_array().unwrap().is_empty());
    assert!(!topic["forecast"].as_array().unwrap().is_empty());
    let emerging = json_get(a, "/api/emerging");
    assert!(emerging["terms"].is_array());
    let health = json_get(a, "/api/health");
    // 27 flood items, 12 reports, 12 trials, the pair, the undated note, the hostile page.
    assert_eq!(health["documents"], 27 + 12 + 12 + 2 + 1 + 1);

    for page in [
        "/",
        "/?q=sat+lo",
        "/?q=tham+nhung&sort=newest&offset=5&limit=5",
        "/documents/dup-a?q=lut+bao",
        "/topics",
        "/topics/flooding",
        "/emerging",
        "/brief",
    ] {
        let response = get(a, page);
        assert_eq!(response.status, 200, "{page}");
        assert!(
            response
                .header("content-type")
                .unwrap()
                .starts_with("text/html"),
            "{page}"
        );
        assert_eq!(
            response.header("content-security-policy"),
            Some(nhip_server::CONTENT_SECURITY_POLICY),
            "{page}"
        );
        let html = response.text();
        assert!(
            html.contains("lang=\"vi\"") && html.contains("Tìm kiếm"),
            "{page}"
        );
    }
    let results = get(a, "/?q=sat+lo").text();
    assert!(results.contains("id=\"understood\""), "understood");
    assert!(results.contains("id=\"readings\""), "readings");
    assert!(results.contains("<mark>sạt lở</mark>"), "highlights");
    assert!(results.contains("id=\"weeks-chart\""), "weeks chart");
    assert!(
        results.contains(&format!("<strong>{total}</strong>")),
        "total"
    );
    let chart = get(a, "/topics/flooding/chart.svg");
    assert_eq!(chart.status, 200);
    assert_eq!(chart.header("content-type"), Some("image/svg+xml"));
    assert!(chart.text().contains("<svg"));
    let brief = get(a, "/brief").text();
    assert!(brief.contains("&lt;script&gt;") && !brief.contains("<script>window"));
    assert!(brief.contains("/brief/charts/overview.svg"));
    assert_eq!(get(a, "/brief/charts/overview.svg").status, 200);
    assert_eq!(
        get(a, "/downloads/weekly_topics.csv").text(),
        "topic,docs\nflooding,3\n"
    );
    assert_eq!(get(a, "/downloads/forecast.csv").status, 404);
    assert_eq!(get(a, "/downloads/..%2Fdocs.jsonl").status, 404);
    assert_eq!(get(a, "/brief/charts/..%2F..%2Fdocs.jsonl").status, 404);
    assert_eq!(get(a, "/assets/style.css").status, 200);
    assert_eq!(get(a, "/assets/app.js").status, 200);
}

#[test]
fn paging_exports_and_sorting_agree() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(workspace(dir.path()));
    let a = server.addr;
    for sort in ["relevance", "newest", "oldest"] {
        let all = json_get(a, &format!("/api/search?q=sat+lo&sort={sort}&limit=100"));
        let mut paged = Vec::new();
        for offset in (0..40).step_by(7) {
            let page = json_get(
                a,
                &format!("/api/search?q=sat+lo&sort={sort}&limit=7&offset={offset}"),
            );
            paged.extend(ids(&page["hits"]));
        }
        assert_eq!(paged, ids(&all["hits"]), "{sort}");
        let export = get(
            a,
            &format!("/api/search/export?format=jsonl&q=sat+lo&sort={sort}"),
        );
        assert_eq!(export.status, 200);
        assert!(export
            .header("content-disposition")
            .unwrap()
            .contains("attachment"));
        let exported: Vec<String> = export
            .text()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(exported, paged, "{sort}");
    }
    let newest = json_get(a, "/api/search?q=sat+lo&sort=newest&limit=100");
    let dates: Vec<&str> = newest["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["published_at"].as_str())
        .collect();
    assert_eq!(dates.len(), 28);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(ids(&newest["hits"]).last().unwrap(), "undated-1");
    let csv = get(a, "/api/search/export?format=csv&q=tham+nhung&kind=report").text();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,title,published_at,date_source,source,kind,unit,ref,url,lang,story,score,snippet"
    );
    assert_eq!(lines.count(), 12);
    let dated = json_get(a, "/api/search?q=sat+lo&since=2026-03-09&until=2026-03-15");
    assert_eq!(dated["total"], 6);
    // The week's documents without a query: 6 flood items, a report, a trial.
    let week = json_get(
        a,
        "/api/search?since=2026-03-09&until=2026-03-15&sort=newest",
    );
    assert_eq!(week["total"], 8);
}

#[test]
fn bad_input_is_a_4xx_that_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(workspace(dir.path()));
    let a = server.addr;
    let check = |target: &str, status: u16, needle: &str| {
        let response = get(a, target);
        assert_eq!(response.status, status, "{target}: {}", response.text());
        let body = response.json();
        let message = body["error"].as_str().unwrap();
        assert!(message.contains(needle), "{target}: {message}");
        body
    };
    let body = check(
        "/api/search?q=%28gi%C3%A1+%C4%91i%E1%BB%87n",
        400,
        "unclosed parenthesis",
    );
    assert_eq!(
        (body["field"].as_str(), body["column"].as_u64()),
        (Some("q"), Some(1))
    );
    check("/api/search?q=a+%22b", 400, "unclosed quote");
    check("/api/documents/no-such-id", 404, "no document");
    check("/api/search?q=lu&limit=1000000", 400, "limit: at most 100");
    check("/api/search?q=lu&offset=-3", 400, "offset");
    check("/api/search?q=%E0%A4%A", 400, "percent-encoding");
    check("/api/search?q=%FF%FE", 400, "UTF-8");
    check("/api/search?q=lu&since=yesterday", 400, "YYYY-MM-DD");
    check("/api/search?q=lu&sort=random", 400, "sort");
    check("/api/search?q=lu&kind=blog", 400, "report or press");
    check("/api/search/export?q=lu&format=xlsx", 400, "csv or jsonl");
    check("/api/search", 400, "empty query");
    check("/api/topics/no-such-topic", 404, "no topic");
    check("/api/no-such-endpoint", 404, "no such page");
    check("/api/documents/%FF", 400, "invalid path");
    let huge = format!("/api/search?q={}", "x".repeat(100 * 1024));
    let response = get(a, &huge);
    assert!(
        (400..500).contains(&response.status),
        "100 KB query: {}",
        response.status
    );
    // Pages answer bad input with a page, never a 500.
    for page in [
        "/?q=%28lu",
        "/?q=lu&limit=999",
        "/?q=%E0%A4%A",
        "/documents/nothing",
        "/topics/nothing",
        "/nowhere",
    ] {
        let response = get(a, page);
        assert!(
            (400..500).contains(&response.status),
            "{page}: {}",
            response.status
        );
        assert!(
            response
                .header("content-type")
                .unwrap()
                .starts_with("text/html"),
            "{page}"
        );
    }
    let page = get(a, "/?q=%28lu").text();
    assert!(page.contains("unclosed parenthesis"), "{page}");
    assert_eq!(request(a, "POST", "/api/search?q=lu", &[], b"").status, 405);
}

#[test]
fn hostile_documents_are_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(workspace(dir.path()));
    let a = server.addr;
    let page = get(a, &format!("/documents/{}?q=sat+lo", fixture::HOSTILE_ID)).text();
    assert!(
        page.contains("&lt;script&gt;window.__pwned = 1&lt;/script&gt;"),
        "{page}"
    );
    assert!(
        page.contains("&lt;img src=x onerror=\"window.__pwned = 5\"&gt;")
            || page.contains("&lt;img src=x onerror=&quot;window.__pwned = 5&quot;&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>window"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
    assert!(!page.contains("href=\"javascript:"), "{page}");
    assert!(page.contains("Trang &lt;b&gt;lạ&lt;/b&gt;"), "{page}");
    let results = get(a, "/?q=sat+lo&sort=newest").text();
    assert!(!results.contains("<script>window") && !results.contains("<img src=x"));
    // The only script is the page's own file.
    assert_eq!(results.matches("<script").count(), 1);
    assert!(results.contains("<script src=\"/assets/app.js\" defer>"));
}

#[test]
fn the_token_guards_everything_off_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = workspace(dir.path());
    config.addr = "0.0.0.0:0".parse().unwrap();
    let refused = runtime().block_on(Server::bind(config.clone()));
    assert!(matches!(refused, Err(ServerError::NeedsToken(_))));
    let token_file: PathBuf = dir.path().join("token");
    std::fs::write(&token_file, "correct-horse-battery-staple\n").unwrap();
    // The test itself stays on loopback; the token is required whenever it is given.
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.token_file = Some(token_file);
    let server = start(config);
    let a = server.addr;
    let denied = get(a, "/api/search?q=lu");
    assert_eq!(denied.status, 401);
    assert!(denied.header("www-authenticate").is_some());
    let wrong = request(
        a,
        "GET",
        "/api/health",
        &[("Authorization", "Bearer wrong")],
        b"",
    );
    assert_eq!(wrong.status, 401);
    let right = request(
        a,
        "GET",
        "/api/health",
        &[("Authorization", "Bearer correct-horse-battery-staple")],
        b"",
    );
    assert_eq!(right.status, 200);
    let page = get(a, "/topics");
    assert_eq!(page.status, 303);
    assert_eq!(page.header("location"), Some("/login?next=%2Ftopics"));
    assert_eq!(get(a, "/login").status, 200);
    assert_eq!(get(a, "/assets/style.css").status, 200);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let failed = request(a, "POST", "/login", &form, b"token=nope&next=%2Ftopics");
    assert_eq!(failed.status, 401);
    let login = request(
        a,
        "POST",
        "/login",
        &form,
        b"token=correct-horse-battery-staple&next=%2Ftopics",
    );
    assert_eq!(login.status, 303);
    assert_eq!(login.header("location"), Some("/topics"));
    let cookie = login
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let with_cookie = request(a, "GET", "/topics", &[("Cookie", &cookie)], b"");
    assert_eq!(with_cookie.status, 200);
    let evil = request(
        a,
        "POST",
        "/login",
        &form,
        b"token=correct-horse-battery-staple&next=%2F%2Fevil.example",
    );
    assert_eq!(evil.header("location"), Some("/"));
}

#[test]
fn a_slow_request_is_a_503_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = workspace(dir.path());
    config.limits = Limits {
        request_timeout: Duration::from_millis(1),
        ..Limits::default()
    };
    let server = start(config);
    // The first dashboard request computes the weekly table and forecasts: far over 1 ms.
    let response = get(server.addr, "/api/topics");
    assert_eq!(response.status, 503);
    assert_eq!(response.header("retry-after"), Some("1"));
    assert!(response.json()["error"]
        .as_str()
        .unwrap()
        .contains("longer than"));
}

#[test]
fn alerts_show_in_a_banner_on_every_page_their_page_the_api_and_health() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = workspace(dir.path());
    let status = dir.path().join("index.watch-status.json");
    config.watch_status = Some(status.clone());
    let server = start(config);

    // No alert yet: no banner, an empty page, health says none.
    let page = get(server.addr, "/").text();
    assert!(!page.contains("alerts-banner"), "{page}");
    assert!(get(server.addr, "/alerts")
        .text()
        .contains("Chưa có cảnh báo"));
    let health = json_get(server.addr, "/api/health");
    assert_eq!(health["alerts"]["total"], 0);
    assert!(health["watch"].is_null());

    // The watcher raises one (its label written by an analyst, shown as text) and reports.
    let alert = nhip_trends::alert::Alert {
        topic: "flooding".into(),
        label: "Ngập <b>lụt</b>".into(),
        week: "2026-W49".into(),
        week_start: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        level: 2,
        docs: 14,
        baseline: Some(3.25),
        p_value: Some(0.00002),
        documents: vec![nhip_trends::alert::AlertDocument {
            id: "doc-1".into(),
            title: "Mưa lớn gây ngập".into(),
        }],
        raised_at: chrono::Utc::now().to_rfc3339(),
    };
    let alerts_file = dir.path().join("out").join(nhip_trends::alert::ALERTS_FILE);
    nhip_trends::alert::append_alerts(&alerts_file, &[alert]).unwrap();
    std::fs::write(
        &status,
        r#"{"feeds":{"https://a.vn/rss":{"polls":3}},"batches":2}"#,
    )
    .unwrap();

    for target in ["/", "/topics", "/emerging", "/brief", "/no-such-page"] {
        let page = get(server.addr, target).text();
        let banner = page
            .find("alerts-banner")
            .unwrap_or_else(|| panic!("{target}: {page}"));
        let banner = &page[banner..];
        assert!(
            banner.contains("Ngập &lt;b&gt;lụt&lt;/b&gt;</a> (2026-W49, 14 văn bản)"),
            "{banner}"
        );
        assert!(banner.contains("href=\"/alerts\""));
    }
    let page = get(server.addr, "/alerts").text();
    assert!(page.contains("Mưa lớn gây ngập") && page.contains("/documents/doc-1"));
    assert!(page.contains("rất bất thường") && page.contains("3.2"));
    // Not the API, not downloads.
    let api = json_get(server.addr, "/api/alerts");
    assert_eq!(api["alerts"][0]["topic"], "flooding");
    assert_eq!(api["alerts"][0]["documents"][0]["id"], "doc-1");
    assert!(!get(server.addr, "/downloads/weekly_topics.csv")
        .text()
        .contains("alerts-banner"));
    let health = json_get(server.addr, "/api/health");
    assert_eq!(
        (
            health["alerts"]["total"].as_u64(),
            health["alerts"]["recent"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(health["watch"]["batches"], 2);
}
