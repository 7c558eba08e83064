//! The HTTP client of the watcher: conditional GET, gzip, bounded redirects, time-outs, a
//! response size cap, retries with exponential backoff and jitter on 5xx, time-outs and
//! connection errors, one request at a time with a minimum gap per host, a clear User-Agent.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How the client behaves (`[watch]` in a pipeline file).
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub user_agent: String,
    pub timeout: Duration,
    pub max_redirects: u32,
    pub max_response_bytes: u64,
    /// Attempts of one request (the first included).
    pub attempts: u32,
    /// First retry delay; doubled at each retry, plus up to half of it again as jitter.
    pub retry_delay: Duration,
    /// Minimum gap between the end of one request to a host and the start of the next.
    pub host_gap: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            user_agent: format!(
                "nhip-watch/{} (feed reader; polls each feed at its configured interval)",
                env!("CARGO_PKG_VERSION")
            ),
            timeout: Duration::from_secs(30),
            max_redirects: 5,
            max_response_bytes: 16 * 1024 * 1024,
            attempts: 4,
            retry_delay: Duration::from_secs(1),
            host_gap: Duration::from_secs(2),
        }
    }
}

/// Why a fetch failed, after its retries.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("HTTP {status} from {url}")]
    Status { url: String, status: u16 },
    #[error("{url}: response larger than {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: u32 },
    #[error("{url}: {message}")]
    Transport { url: String, message: String },
}

/// A successful answer (200) or "not modified" (304).
#[derive(Debug)]
pub enum Fetched {
    NotModified,
    Body {
        bytes: Vec<u8>,
        /// The `charset` of the Content-Type header, when it names one.
        charset: Option<String>,
        etag: Option<String>,
        last_modified: Option<String>,
        /// Attempts it took (1 without retries).
        attempts: u32,
    },
}

/// Validators of a conditional GET.
#[derive(Debug, Default, Clone)]
pub struct Validators<'a> {
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
}

/// One turn per host, shared between threads: whoever holds a host's turn is its only request
/// in flight, and it holds when that host's last request ended.
#[derive(Debug, Clone, Default)]
pub struct HostSlots(std::sync::Arc<std::sync::Mutex<HashMap<String, HostTurn>>>);

type HostTurn = std::sync::Arc<std::sync::Mutex<Option<Instant>>>;

pub struct HttpClient {
    agent: ureq::Agent,
    settings: HttpSettings,
    /// When each host was last asked (shared by the clients of one watcher).
    last_request: HostSlots,
    jitter_seed: u64,
}

/// What one attempt ended with.
enum Attempt {
    Done(Fetched),
    /// Worth another try (5xx, time-out, connection error).
    Retry(FetchError),
    Fail(FetchError),
}

impl HttpClient {
    pub fn new(settings: HttpSettings) -> HttpClient {
        HttpClient::sharing(settings, HostSlots::default())
    }

    /// A client that keeps the politeness gap together with every client sharing `hosts`.
    pub fn sharing(settings: HttpSettings, hosts: HostSlots) -> HttpClient {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            // Redirects are followed here, each hop waiting for its host like any request.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .user_agent(settings.user_agent.as_str())
            .build();
        HttpClient {
            agent: config.into(),
            jitter_seed: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64 | 1),
            settings,
            last_request: hosts,
        }
    }

    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    /// GET with validators, retried as the settings say.
    pub fn get(&mut self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let mut attempt = 1;
        loop {
            let outcome = self.get_following(url, validators, attempt);
            match outcome {
                Attempt::Done(fetched) => return Ok(fetched),
                Attempt::Fail(error) => return Err(error),
                Attempt::Retry(error) if attempt >= self.settings.attempts => return Err(error),
                Attempt::Retry(error) => {
                    let delay = self.backoff(attempt);
                    tracing::warn!(url, attempt, error = %error, retry_in_ms = delay.as_millis() as u64, "fetch failed, retrying");
                    std::thread::sleep(delay);
                    attempt += 1;
                }
            }
        }
    }

    /// POST of a JSON body, retried as a GET is; any 2xx is success.
    pub fn post_json(&mut self, url: &str, body: &str) -> Result<u32, FetchError> {
        let mut attempt = 1;
        loop {
            let turn = self.host_turn(url);
            let mut last_end = turn.lock().unwrap_or_else(|p| p.into_inner());
            self.wait_for_gap(*last_end);
            let sent = self
                .agent
                .post(url)
                .header("Content-Type", "application/json")
                .send(body);
            *last_end = Some(Instant::now());
            drop(last_end);
            let outcome = match sent {
                Ok(response) => {
                    let status = response.status().as_u16();
                    if response.status().is_success() {
                        return Ok(attempt);
                    }
                    let error = FetchError::Status {
                        url: url.to_string(),
                        status,
                    };
                    if status >= 500 || status == 429 {
                        Attempt::Retry(error)
                    } else {
                        Attempt::Fail(error)
                    }
                }
                Err(e) => classify(url, e, &self.settings),
            };
            match outcome {
                Attempt::Done(_) => return Ok(attempt),
                Attempt::Fail(error) => return Err(error),
                Attempt::Retry(error) if attempt >= self.settings.attempts => return Err(error),
                Attempt::Retry(_) => {
                    std::thread::sleep(self.backoff(attempt));
                    attempt += 1;
                }
            }
        }
    }

    /// One attempt, following at most `max_redirects` redirects.
    fn get_following(&mut self, url: &str, validators: &Validators, attempt: u32) -> Attempt {
        let mut current = url.to_string();
        for _ in 0..=self.settings.max_redirects {
            let turn = self.host_turn(&current);
            let mut last_end = turn.lock().unwrap_or_else(|p| p.into_inner());
            self.wait_for_gap(*last_end);
            let hop = self.get_once(&current, validators, attempt);
            *last_end = Some(Instant::now());
            drop(last_end);
            match hop {
                Hop::Redirect(location) => current = resolve(&current, &location),
                Hop::Done(outcome) => return outcome,
            }
        }
        Attempt::Fail(FetchError::TooManyRedirects {
            url: url.to_string(),
            limit: self.settings.max_redirects,
        })
    }

    fn get_once(&mut self, url: &str, validators: &Validators, attempt: u32) -> Hop {
        let mut request = self.agent.get(url);
        if let Some(etag) = validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = validators.last_modified {
            request = request.header("If-Modified-Since", date);
        }
        let mut response = match request.call() {
            Ok(response) => response,
            Err(e) => return Hop::Done(classify(url, e, &self.settings)),
        };
        let status = response.status().as_u16();
        if status == 304 {
            return Hop::Done(Attempt::Done(Fetched::NotModified));
        }
        if (300..400).contains(&status) {
            if let Some(location) = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
            {
                return Hop::Redirect(location.to_string());
            }
        }
        if !(200..300).contains(&status) {
            let error = FetchError::Status {
                url: url.to_string(),
                status,
            };
            return Hop::Done(if status >= 500 || status == 429 {
                Attempt::Retry(error)
            } else {
                Attempt::Fail(error)
            });
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let etag = header("etag");
        let last_modified = header("last-modified");
        let charset = header("content-type").and_then(|t| charset_of(&t));
        let limit = self.settings.max_response_bytes;
        Hop::Done(
            match response.body_mut().with_config().limit(limit).read_to_vec() {
                Ok(bytes) => Attempt::Done(Fetched::Body {
                    bytes,
                    charset,
                    etag,
                    last_modified,
                    attempts: attempt,
                }),
                Err(e) => classify(url, e, &self.settings),
            },
        )
    }

    /// The turn of `url`'s host. Holding it (its lock) makes a request the host's only one in
    /// flight, on every thread of the watcher; other hosts are not held up.
    fn host_turn(&self, url: &str) -> HostTurn {
        let mut hosts = self
            .last_request
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        hosts.entry(host_of(url)).or_default().clone()
    }

    /// Sleeps until the politeness gap has passed since the host's last request ended.
    fn wait_for_gap(&self, last_end: Option<Instant>) {
        if let Some(end) = last_end {
            let wait = (end + self.settings.host_gap).saturating_duration_since(Instant::now());
            if !wait.is_zero() {
                std::thread::sleep(wait);
            }
        }
    }

    /// `retry_delay × 2^(attempt-1)`, plus up to half of it as jitter.
    fn backoff(&mut self, attempt: u32) -> Duration {
        let base = self.settings.retry_delay * 2u32.saturating_pow(attempt - 1);
        // xorshift: jitter needs no cryptographic quality, only spread.
        self.jitter_seed ^= self.jitter_seed << 13;
        self.jitter_seed ^= self.jitter_seed >> 7;
        self.jitter_seed ^= self.jitter_seed << 17;
        let fraction = (self.jitter_seed % 1000) as f64 / 2000.0;
        base + base.mul_f64(fraction)
    }
}

fn classify(url: &str, error: ureq::Error, settings: &HttpSettings) -> Attempt {
    let url = url.to_string();
    match error {
        ureq::Error::BodyExceedsLimit(_) => Attempt::Fail(FetchError::TooLarge {
            url,
            limit: settings.max_response_bytes,
        }),
        ureq::Error::TooManyRedirects => Attempt::Fail(FetchError::TooManyRedirects {
            url,
            limit: settings.max_redirects,
        }),
        ureq::Error::StatusCode(status) => Attempt::Fail(FetchError::Status { url, status }),
        e @ (ureq::Error::Timeout(_)
        | ureq::Error::Io(_)
        | ureq::Error::ConnectionFailed
        | ureq::Error::HostNotFound) => Attempt::Retry(FetchError::Transport {
            url,
            message: e.to_string(),
        }),
        e => Attempt::Fail(FetchError::Transport {
            url,
            message: e.to_string(),
        }),
    }
}

/// What one request of an attempt gave.
enum Hop {
    Redirect(String),
    Done(Attempt),
}

/// A redirect's `Location` against the url that gave it.
fn resolve(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("http", base));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if location.starts_with("//") {
        return format!("{scheme}:{location}");
    }
    if location.starts_with('/') {
        return format!("{scheme}://{host}{location}");
    }
    let path = &rest[host.len()..];
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let folder = path.rfind('/').map_or("/", |i| &path[..=i]);
    format!("{scheme}://{host}{folder}{location}")
}

/// `host:port` of a url, for politeness.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The charset parameter of a Content-Type value.
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        (key.trim().eq_ignore_ascii_case("charset"))
            .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
    })
}

/// Bytes of a page as UTF-8: the header's charset, else the page's `<meta charset>`, decoded
/// with encoding_rs; UTF-8 and unknown labels are left as they are, for the readers' own
/// detection (which also repairs legacy Vietnamese encodings).
pub fn decode_page(bytes: Vec<u8>, header_charset: Option<&str>) -> Vec<u8> {
    let label = header_charset
        .map(str::to_string)
        .or_else(|| meta_charset(&bytes));
    let Some(encoding) = label.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())) else {
        return bytes;
    };
    if encoding == encoding_rs::UTF_8 {
        return bytes;
    }
    let (text, _, _) = encoding.decode(&bytes);
    text.into_owned().into_bytes()
}

/// `<meta charset="…">` or `content="text/html; charset=…"` in the first 2 KB.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let value: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_charsets() {
        assert_eq!(host_of("http://127.0.0.1:8080/rss?x=1"), "127.0.0.1:8080");
        assert_eq!(host_of("https://Bao.Example.vn"), "bao.example.vn");
        assert_eq!(
            charset_of("text/html; Charset=\"Windows-1258\"").as_deref(),
            Some("windows-1258")
        );
        assert_eq!(charset_of("text/html"), None);
        assert_eq!(
            resolve("http://h:1/a/b.rss?x", "c.rss"),
            "http://h:1/a/c.rss"
        );
        assert_eq!(resolve("http://h:1/a/b.rss", "/loop"), "http://h:1/loop");
        assert_eq!(resolve("https://h/a", "//g/x"), "https://g/x");
        assert_eq!(resolve("http://h/a", "http://k/y"), "http://k/y");
        // "Việt" in Windows-1258: V i ê(0xEA) + combining dot below (0xF2) t.
        let page = b"<meta charset=\"windows-1258\"><p>Vi\xEA\xF2t</p>".to_vec();
        let decoded = String::from_utf8(decode_page(page, None)).unwrap();
        // ê precomposed, the dot below combining: the readers' normalisation composes them.
        assert!(decoded.contains("Vi\u{ea}\u{323}t"), "{decoded}");
    }
}
