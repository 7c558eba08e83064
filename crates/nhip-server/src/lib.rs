//! nhip's web workspace: `nhip serve` gives an office a private, offline web page and JSON API
//! over its index and weekly topic tables.
//!
//! - Pages (server-rendered, Vietnamese, usable without JavaScript): search with filters,
//!   facets, hits per week, paging and exports; a document with its matches and its
//!   near-duplicate story; the topics dashboard and a page per topic; emerging terms; the brief.
//! - JSON API under `/api/` with the CLI's field names.
//! - The index is followed live ([`live`]): commits by another process are searchable within
//!   about a second, and trend figures are cached per index snapshot.
//! - Read-only and guarded: loopback by default, a token required on any other address, a
//!   strict Content-Security-Policy, escaping everywhere, limits on query size, page size,
//!   request time and concurrent searches (503 with `Retry-After` beyond), graceful shutdown.

mod alerts;
mod api;
mod assets;
mod auth;
mod error;
mod html;
mod labels;
pub mod live;
pub mod params;
mod routes;
mod trends;

pub use error::{ApiError, ServerError};
pub use labels::{Labels, VI};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use live::LiveIndex;
use nhip_trends::Topic;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The page's Content-Security-Policy: scripts and styles from this server's files only, no
/// inline script or style, nothing from elsewhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Limits that keep one user or one query from taking the machine.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Searches running at once (the rest wait their turn).
    pub concurrent_searches: usize,
    /// Searches waiting beyond those; one more is refused with 503 and `Retry-After`.
    pub queued_searches: usize,
    /// Exports streaming at once.
    pub concurrent_exports: usize,
    /// Longest time to answer a request (an export's streaming body is not counted).
    pub request_timeout: Duration,
    /// How often the index folder is checked for a new commit.
    pub poll_interval: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            concurrent_searches: cores,
            queued_searches: 256,
            concurrent_exports: 2,
            request_timeout: Duration::from_secs(15),
            poll_interval: Duration::from_secs(1),
        }
    }
}

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct Config {
    pub index: PathBuf,
    pub topics: Option<PathBuf>,
    /// The output folder of the latest run (brief, tables, charts), when known.
    pub out_dir: Option<PathBuf>,
    pub addr: SocketAddr,
    /// A file holding the token every request must present; required off loopback.
    pub token_file: Option<PathBuf>,
    /// The status file of a watcher following this index (shown by `/api/health`).
    pub watch_status: Option<PathBuf>,
    pub limits: Limits,
}

impl Config {
    pub fn new(index: PathBuf) -> Config {
        Config {
            index,
            topics: None,
            out_dir: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token_file: None,
            watch_status: None,
            limits: Limits::default(),
        }
    }
}

/// Shared by every request.
pub(crate) struct AppState {
    pub live: LiveIndex,
    pub topics: Vec<Topic>,
    pub has_topics: bool,
    pub out_dir: Option<PathBuf>,
    /// `alerts.jsonl` of the output folder.
    pub alerts: alerts::AlertsFile,
    pub watch_status: Option<PathBuf>,
    pub token: Option<String>,
    pub limits: Limits,
    pub labels: &'static Labels,
    searches: SearchGate,
    pub export_slots: Arc<Semaphore>,
}

/// A search's place in line. It is freed once: by the request when it gives up before a search
/// thread took the search (timeout, closed connection), else by the thread when the search ends.
struct Place {
    taken: AtomicBool,
    admitted: Arc<AtomicUsize>,
}

impl Place {
    /// True for the first caller only.
    fn take(&self) -> bool {
        !self.taken.swap(true, Ordering::SeqCst)
    }

    fn free(&self) {
        self.admitted.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Held by the waiting request: dropping it before the search started frees the place.
struct Waiting(Arc<Place>);

impl Drop for Waiting {
    fn drop(&mut self) {
        if self.0.take() {
            self.0.free();
        }
    }
}

/// Runs searches on a fixed pool of `running` threads, `waiting` more in line (first come,
/// first served), and refuses the next at once with 503 rather than letting requests pile up.
///
/// A pool thread that finishes a search takes the next one from the line itself. Handing each
/// search from an async task to a freshly woken blocking thread (a semaphore permit, then
/// `spawn_blocking`) left the cores idle 9% of the time under 64 connections, two thread
/// wake-ups per search on this virtual machine (BENCHMARKS.md, issue 13).
pub(crate) struct SearchGate {
    pool: rayon::ThreadPool,
    /// Searches in the pool's line or running.
    admitted: Arc<AtomicUsize>,
    capacity: usize,
}

impl SearchGate {
    pub(crate) fn new(running: usize, waiting: usize) -> Result<SearchGate, ServerError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(running.max(1))
            .thread_name(|i| format!("nhip-search-{i}"))
            .build()
            .map_err(|e| ServerError::Threads(e.to_string()))?;
        Ok(SearchGate {
            pool,
            admitted: Arc::new(AtomicUsize::new(0)),
            capacity: running.max(1) + waiting,
        })
    }

    /// Runs `work` on a search thread when its turn comes, or refuses at once when the line
    /// is full. A request that gave up (timeout, closed connection) before its turn costs no
    /// search; a panic in `work` is a 500 for that request only.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        // Admitted only below capacity, so a refused request never holds a place for a moment.
        let capacity = self.capacity;
        if self
            .admitted
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < capacity).then_some(n + 1)
            })
            .is_err()
        {
            return Err(ApiError::busy(
                "too many searches at once: try again in a moment",
            ));
        }
        let place = Arc::new(Place {
            taken: AtomicBool::new(false),
            admitted: self.admitted.clone(),
        });
        let _waiting = Waiting(place.clone());
        let (sender, receiver) = tokio::sync::oneshot::channel();
        self.pool.spawn(move || {
            // The request gave up while in line: its place is already free.
            if !place.take() {
                return;
            }
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
                .unwrap_or_else(|_| Err(ApiError::internal("request failed: the search panicked")));
            place.free();
            let _ = sender.send(result);
        });
        receiver
            .await
            .map_err(|_| ApiError::internal("request failed: the search thread stopped"))?
    }
}

impl AppState {
    /// Runs a search (or any work that reads many postings) on the search pool.
    pub(crate) async fn search<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        self.searches.run(work).await
    }
}

/// Runs blocking work (index reads) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::internal(format!("request failed: {e}")))?
}

/// A bound server, ready to run.
pub struct Server {
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
}

fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

impl Server {
    /// Opens the index and topics, reads the token, and binds the address (port 0 picks one).
    pub async fn bind(config: Config) -> Result<Server, ServerError> {
        let token = match &config.token_file {
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|source| ServerError::TokenFile {
                        path: path.clone(),
                        source,
                    })?;
                let token = text.trim().to_string();
                if token.is_empty() {
                    return Err(ServerError::EmptyToken(path.clone()));
                }
                Some(token)
            }
            None => None,
        };
        if token.is_none() && !is_loopback(&config.addr) {
            return Err(ServerError::NeedsToken(config.addr));
        }
        let topics = match &config.topics {
            Some(path) => nhip_trends::load_topics(path)?,
            None => Vec::new(),
        };
        if !config.index.join("meta.json").is_file() {
            return Err(ServerError::NoIndex(config.index));
        }
        let index = config.index.clone();
        let live = tokio::task::spawn_blocking(move || LiveIndex::open(&index))
            .await
            .map_err(|e| ServerError::Serve(std::io::Error::other(e)))??;
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServerError::Bind {
                addr: config.addr,
                source,
            })?;
        let limits = config.limits;
        let state = Arc::new(AppState {
            live,
            has_topics: config.topics.is_some(),
            topics,
            alerts: alerts::AlertsFile::new(config.out_dir.as_deref()),
            out_dir: config.out_dir,
            watch_status: config.watch_status,
            token,
            searches: SearchGate::new(limits.concurrent_searches, limits.queued_searches)?,
            export_slots: Arc::new(Semaphore::new(limits.concurrent_exports.max(1))),
            limits,
            labels: &VI,
        });
        Ok(Server { listener, state })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> Result<SocketAddr, ServerError> {
        self.listener.local_addr().map_err(ServerError::Serve)
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        let state = self.state.clone();
        let poller = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(state.limits.poll_interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let live = state.clone();
                match tokio::task::spawn_blocking(move || live.live.refresh()).await {
                    Ok(Ok(true)) => {
                        let snapshot = state.live.current();
                        eprintln!(
                            "index reloaded: {} documents (commit {})",
                            snapshot.index.num_docs(),
                            snapshot.commit.opstamp
                        );
                    }
                    Ok(Ok(false)) => {}
                    Ok(Err(e)) => {
                        eprintln!("index reload failed (still serving the previous state): {e}")
                    }
                    Err(e) => eprintln!("index reload failed: {e}"),
                }
            }
        });
        let result = axum::serve(self.listener, router(self.state))
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(ServerError::Serve);
        poller.abort();
        result
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// Runs a server on a new tokio runtime until Ctrl-C or SIGTERM, printing where to open it.
pub fn serve_blocking(config: Config) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServerError::Serve)?;
    runtime.block_on(async {
        let server = Server::bind(config).await?;
        let addr = server.local_addr()?;
        let documents = server.state.live.current().index.num_docs();
        eprintln!(
            "nhip serve: {documents} documents; open http://{addr}/ in a browser (Ctrl-C stops)"
        );
        server.run(shutdown_signal()).await?;
        eprintln!("nhip serve: stopped");
        Ok(())
    })
}

fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(routes::search))
        .route("/documents/{id}", get(routes::document))
        .route("/topics", get(routes::topics))
        .route("/topics/{name}", get(routes::topic))
        .route("/topics/{name}/chart.svg", get(routes::topic_chart))
        .route("/emerging", get(routes::emerging))
        .route("/brief", get(routes::brief))
        .route("/alerts", get(routes::alerts))
        .route("/brief/charts/{file}", get(routes::brief_chart))
        .route("/downloads/{file}", get(routes::download))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/assets/style.css", get(assets::style))
        .route("/assets/app.js", get(assets::script))
        .route("/api/search", get(api::search))
        .route("/api/search/weeks", get(api::weeks))
        .route("/api/search/export", get(api::export))
        .route("/api/documents/{id}", get(api::document))
        .route("/api/topics", get(api::topics))
        .route("/api/topics/{name}", get(api::topic))
        .route("/api/emerging", get(api::emerging))
        .route("/api/health", get(api::health))
        .route("/api/alerts", get(api::alerts))
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), alert_banner))
        .layer(from_fn_with_state(state.clone(), auth::require_token))
        .layer(from_fn_with_state(state.clone(), time_limit))
        .layer(from_fn(security_headers))
        .with_state(state)
}

fn is_api(request_path: &str) -> bool {
    request_path == "/api" || request_path.starts_with("/api/")
}

/// An error as the caller expects it: JSON under `/api/`, a page elsewhere.
pub(crate) fn error_response(state: &AppState, api: bool, error: ApiError) -> Response {
    if api {
        return error.into_response();
    }
    let l = state.labels;
    let title = if error.status == StatusCode::NOT_FOUND {
        l.not_found
    } else {
        l.error
    };
    let mut response = (error.status, html::message_page(l, title, &error.message)).into_response();
    error.decorate(&mut response);
    response
}

async fn not_found(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    error_response(
        &state,
        is_api(&path),
        ApiError::not_found(format!("no such page: {path}")),
    )
}

async fn time_limit(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let api = is_api(request.uri().path());
    let limit = state.limits.request_timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => error_response(
            &state,
            api,
            ApiError::busy(format!(
                "the request took longer than {} s: narrow the query or try again",
                limit.as_secs()
            )),
        ),
    }
}

/// Puts the banner of recent alerts at the top of every page (not the API, not downloads), so
/// an analyst sees a topic jump whatever page is open.
async fn alert_banner(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_page {
        return response;
    }
    let recent = state.alerts.recent(chrono::Utc::now());
    if recent.is_empty() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Pages are rendered whole before they are sent: buffering one costs nothing more.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be rendered",
        )
            .into_response();
    };
    let page = String::from_utf8_lossy(&bytes);
    let banner = html::alerts_banner(state.labels, &recent).into_string();
    let page = match page.find("<main>") {
        Some(at) => format!(
            "{}<main>{banner}{}",
            &page[..at],
            &page[at + "<main>".len()..]
        ),
        None => page.into_owned(),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(page))
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Starts a search that holds the gate's only thread until the returned sender is used,
    /// and waits until it runs; the task answers 1.
    async fn occupy_the_only_thread(
        gate: &Arc<SearchGate>,
    ) -> (
        tokio::task::JoinHandle<Result<i32, ApiError>>,
        std::sync::mpsc::Sender<()>,
    ) {
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let (started, has_started) = std::sync::mpsc::channel::<()>();
        let first = tokio::spawn({
            let gate = gate.clone();
            async move {
                gate.run(move || {
                    let _ = started.send(());
                    let _ = hold.recv();
                    Ok(1)
                })
                .await
            }
        });
        while has_started.try_recv().is_err() {
            tokio::task::yield_now().await;
        }
        (first, release)
    }

    async fn wait_until_admitted(gate: &SearchGate, count: usize) {
        while gate.admitted.load(Ordering::SeqCst) < count {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn the_gate_refuses_beyond_its_line() {
        let gate = Arc::new(SearchGate::new(1, 1).unwrap());
        let (first, release) = occupy_the_only_thread(&gate).await;
        // The second waits in line while the first runs ...
        let second = tokio::spawn({
            let gate = gate.clone();
            async move { gate.run(|| Ok(2)).await }
        });
        wait_until_admitted(&gate, 2).await;
        // ... and the third is refused at once.
        let refused = gate.run(|| Ok(3)).await.err().unwrap();
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.retry_after, Some(1));
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap().unwrap(), 1);
        assert_eq!(second.await.unwrap().unwrap(), 2);
        // Everyone left: the line is free again.
        assert_eq!(gate.run(|| Ok(4)).await.unwrap(), 4);
        assert_eq!(gate.admitted.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_request_that_gives_up_in_line_frees_its_place_at_once() {
        let gate = Arc::new(SearchGate::new(1, 1).unwrap());
        let (first, release) = occupy_the_only_thread(&gate).await;
        let (ran, second_ran) = std::sync::mpsc::channel::<()>();
        let second = tokio::spawn({
            let gate = gate.clone();
            async move {
                gate.run(move || {
                    let _ = ran.send(());
                    Ok(2)
                })
                .await
            }
        });
        wait_until_admitted(&gate, 2).await;
        // The second request gives up (its timeout, a closed connection) while the first runs.
        second.abort();
        let _ = second.await;
        assert_eq!(gate.admitted.load(Ordering::SeqCst), 1);
        // Its place is free before any search thread came to it: a new request gets in line.
        let third = tokio::spawn({
            let gate = gate.clone();
            async move { gate.run(|| Ok(3)).await }
        });
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap().unwrap(), 1);
        assert_eq!(third.await.unwrap().unwrap(), 3);
        // The abandoned search never ran, and the line is empty.
        assert!(second_ran.try_recv().is_err());
        assert_eq!(gate.admitted.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_panicking_search_is_an_error_for_its_request_only() {
        let gate = SearchGate::new(1, 4).unwrap();
        let failed = gate.run::<u8>(|| panic!("a bug")).await.err().unwrap();
        assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(gate.run(|| Ok(5)).await.unwrap(), 5);
    }
}
