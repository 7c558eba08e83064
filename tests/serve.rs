//! `nhip serve` as a user runs it: the real binary, a live index written by another `nhip index`
//! process, and the pages in a real browser (headless Chromium over WebDriver; `.ci/run`
//! installs `chromium` and `chromium-driver`). Screenshots of every page are written to
//! `target/browser-screenshots/` for review.

#[path = "../crates/nhip-server/tests/common/fixture.rs"]
mod fixture;
#[path = "../crates/nhip-server/tests/common/http.rs"]
mod http;

use http::{encode, get, request};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NHIP: &str = env!("CARGO_BIN_EXE_nhip");

/// A child process ended when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn nhip(args: &[&str]) {
    let output = Command::new(NHIP).args(args).output().expect("nhip runs");
    assert!(
        output.status.success(),
        "nhip {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Starts `nhip serve ARGS --addr 127.0.0.1:0` and reads the address it prints.
fn serve(args: &[&str]) -> (Running, SocketAddr, std::sync::mpsc::Receiver<String>) {
    let mut child = Command::new(NHIP)
        .arg("serve")
        .args(args)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nhip serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let running = Running(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let Ok(line) = lines.recv_timeout(Duration::from_secs(1)) else {
            continue;
        };
        if let Some(rest) = line.split("open http://").nth(1) {
            let addr = rest.split('/').next().unwrap().parse().expect("address");
            return (running, addr, lines);
        }
    }
    panic!("nhip serve printed no address");
}

fn total(addr: SocketAddr, q: &str) -> u64 {
    let response = get(addr, &format!("/api/search?q={}", encode(q)));
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()["total"].as_u64().unwrap()
}

#[test]
fn documents_indexed_by_another_process_are_found_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let first = dir.path().join("first.jsonl");
    let later = dir.path().join("later.jsonl");
    std::fs::write(&first, fixture::documents()).unwrap();
    std::fs::write(
        &later,
        r#"{"id":"late-1","title":"Cháy rừng phòng hộ ven biển","body":"Đám cháy rừng phòng hộ đã được khống chế sau 5 giờ.","published_at":"2026-03-24T08:00:00+07:00","source":"Báo Tỉnh Nhà"}
{"id":"late-2","title":"Diễn tập chữa cháy rừng","body":"Lực lượng kiểm lâm diễn tập chữa cháy rừng.","published_at":"2026-03-25T08:00:00+07:00","source":"Báo Tỉnh Nhà"}
"#,
    )
    .unwrap();
    let index_arg = index.to_str().unwrap();
    nhip(&["index", "--index", index_arg, first.to_str().unwrap()]);
    let (mut server, addr, lines) = serve(&["--index", index_arg]);
    assert_eq!(total(addr, "chay rung"), 0);
    let before = get(addr, "/api/health").json();

    nhip(&["index", "--index", index_arg, later.to_str().unwrap()]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while total(addr, "chay rung") < 2 {
        assert!(
            Instant::now() < deadline,
            "new documents not found within 30 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let after = get(addr, "/api/health").json();
    assert_eq!(
        after["documents"].as_u64().unwrap(),
        before["documents"].as_u64().unwrap() + 2
    );
    assert!(after["generation"].as_u64() > before["generation"].as_u64());
    let page = get(addr, "/?q=chay+rung").text();
    assert!(page.contains("<mark>cháy rừng</mark>"), "{page}");

    // SIGTERM: the server finishes and says so.
    let pid = server.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = server.0.wait().unwrap();
    assert!(status.success(), "{status}");
    let said: Vec<String> = lines.try_iter().collect();
    assert!(said.iter().any(|l| l.contains("stopped")), "{said:?}");
}

/// A WebDriver session on chromedriver.
struct Browser {
    driver: SocketAddr,
    session: String,
    shots: PathBuf,
    _chromedriver: Running,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for group in digits.chunks(4) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | u32::from(d) << (18 - 6 * i));
        out.extend_from_slice(&n.to_be_bytes()[1..group.len()]);
    }
    out
}

impl Browser {
    /// Starts chromedriver and a headless Chromium; `None` when they are not installed (CI
    /// installs them, so there a missing browser is a failure).
    fn start() -> Option<Browser> {
        let installed = |p: &str| Path::new(p).exists();
        if !installed("/usr/bin/chromedriver") || !installed("/usr/bin/chromium") {
            assert!(
                std::env::var_os("CI").is_none(),
                "chromium and chromium-driver must be installed in CI"
            );
            eprintln!("skipped: install chromium and chromium-driver to run the browser test");
            return None;
        }
        let port = free_port();
        let child = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let chromedriver = Running(child);
        let driver: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if std::net::TcpStream::connect(driver).is_ok()
                && get(driver, "/status").json()["value"]["ready"] == true
            {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver not ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,1400",
            "--lang=vi",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}
        }}});
        let body = capabilities.to_string();
        // Chromium can miss chromedriver's start-up deadline on a busy machine: try again.
        let mut attempts = 0;
        let created = loop {
            attempts += 1;
            let created = request(
                driver,
                "POST",
                "/session",
                &[("Content-Type", "application/json")],
                body.as_bytes(),
            );
            if created.status == 200 || attempts == 3 {
                break created;
            }
            eprintln!(
                "browser did not start (attempt {attempts}): {}",
                created.text()
            );
        };
        assert_eq!(created.status, 200, "{}", created.text());
        let session = created.json()["value"]["sessionId"]
            .as_str()
            .unwrap()
            .to_string();
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        Some(Browser {
            driver,
            session,
            shots,
            _chromedriver: chromedriver,
            _profile: profile,
        })
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let target = format!("/session/{}{path}", self.session);
        let text = body.to_string();
        let response = request(
            self.driver,
            method,
            &target,
            &[("Content-Type", "application/json")],
            if method == "GET" {
                b""
            } else {
                text.as_bytes()
            },
        );
        assert_eq!(response.status, 200, "{method} {path}: {}", response.text());
        response.json()["value"].clone()
    }

    fn open(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    fn find(&self, css: &str) -> String {
        let found = self.call(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let element = self.find(css);
        self.call("POST", &format!("/element/{element}/click"), json!({}));
    }

    fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.call("POST", &format!("/element/{element}/clear"), json!({}));
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            json!({ "text": text }),
        );
    }

    fn script(&self, code: &str) -> Value {
        self.call("POST", "/execute/sync", json!({"script": code, "args": []}))
    }

    /// Waits (up to 20 s) until a JavaScript expression is true: a click's navigation may
    /// still be loading when the click returns.
    fn wait_for(&self, expression: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let script = format!("try {{ return !!({expression}); }} catch (e) {{ return false; }}");
        while self.script(&script) != true {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {expression}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self) -> String {
        self.call("GET", "/url", json!({}))
            .as_str()
            .unwrap()
            .to_string()
    }

    fn screenshot(&self, name: &str) {
        let data = self.call("GET", "/screenshot", json!({}));
        let png = base64_decode(data.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let target = format!("/session/{}", self.session);
        let _ = request(self.driver, "DELETE", &target, &[], b"");
    }
}

#[test]
fn an_analyst_works_in_a_real_browser() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pipeline = fixture::write_pipeline(dir.path());
    nhip(&["run", pipeline.to_str().unwrap()]);
    let (_server, addr, _lines) = serve(&[pipeline.to_str().unwrap()]);
    let base = format!("http://{addr}");

    // Search, typed without diacritics.
    browser.open(&format!("{base}/"));
    browser.type_into("#q", "sat lo");
    browser.click("form.search button[type=submit]");
    browser
        .wait_for("document.readyState === 'complete' && document.querySelector('#total strong')");
    assert!(browser.url().contains("q=sat+lo"), "{}", browser.url());
    let total = browser.script("return document.querySelector('#total strong').textContent");
    assert_eq!(total, "29");
    let marks = browser.script(
        "return Array.from(document.querySelectorAll('li.hit mark')).map(m => m.textContent)",
    );
    let marks: Vec<&str> = marks
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(marks.contains(&"sạt lở"), "{marks:?}");
    // The accent-free words' readings link to searches with one picked.
    browser.click("#readings a");
    browser.wait_for("location.search.includes('reading=') && document.readyState === 'complete'");
    assert!(browser.url().contains("reading="), "{}", browser.url());
    browser.call("POST", "/back", json!({}));
    browser.wait_for("!location.search.includes('reading=') && document.readyState === 'complete'");
    assert!(browser.script("return !!document.querySelector('#weeks-chart rect')") == true);
    browser.screenshot("01-search");

    // A facet narrows the hits.
    browser.click(".facet[data-facet=source] li a");
    browser.wait_for("location.search.includes('source=') && document.readyState === 'complete'");
    assert!(browser.url().contains("source="), "{}", browser.url());
    let narrowed: u64 = browser
        .script("return document.querySelector('#total strong').textContent")
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(narrowed > 0 && narrowed < 29, "{narrowed}");
    browser.screenshot("02-facet");

    // A document, its matches highlighted.
    browser.click("li.hit a.title");
    browser.wait_for(
        "location.pathname.startsWith('/documents/') && document.readyState === 'complete'",
    );
    assert!(browser.url().contains("/documents/"), "{}", browser.url());
    assert!(
        browser.script("return document.querySelectorAll('#doc-body mark').length > 0") == true
    );
    browser.screenshot("03-document");

    // The dashboard and one topic with its chart.
    browser.open(&format!("{base}/topics"));
    let rows = browser.script("return document.querySelectorAll('#topics-table tbody tr').length");
    assert_eq!(rows, 2);
    browser.screenshot("04-topics");
    browser.click("#topics-table tbody tr a");
    browser.wait_for(
        "document.getElementById('topic-chart') && document.getElementById('topic-chart').complete",
    );
    let chart = browser.script(
        "const i = document.getElementById('topic-chart'); return i.complete && i.naturalWidth",
    );
    assert_eq!(chart, 900, "the topic chart loads");
    browser.screenshot("05-topic");
    browser.click("#run-week");
    browser.wait_for("location.search.includes('since=') && document.readyState === 'complete'");
    assert!(browser.url().contains("since="), "{}", browser.url());

    browser.open(&format!("{base}/emerging"));
    browser.screenshot("06-emerging");
    browser.open(&format!("{base}/brief"));
    assert!(browser.script("return document.querySelectorAll('.brief img').length > 0") == true);
    browser.screenshot("07-brief");

    // The hostile page: its markup is shown as text and nothing runs.
    browser.open(&format!(
        "{base}/documents/{}?q=sat+lo",
        fixture::HOSTILE_ID
    ));
    let title = browser.script("return document.getElementById('doc-title').textContent");
    assert!(
        title
            .as_str()
            .unwrap()
            .starts_with("<script>window.__pwned = 1</script>"),
        "{title}"
    );
    assert_eq!(browser.script("return typeof window.__pwned"), "undefined");
    assert_eq!(
        browser.script(
            "return document.querySelectorAll('main script, main img, a[href^=javascript]').length"
        ),
        0
    );
    browser.screenshot("08-hostile");
    // Clicking through the page's links runs nothing either.
    browser.click("#doc-body p");
    assert_eq!(browser.script("return typeof window.__pwned"), "undefined");
}
