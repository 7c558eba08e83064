//! `nhip watch`: keeps an index current from watched inbox folders and polled feeds, in
//! batched commits, and raises alerts when a topic jumps. One loop owns the index writer; the
//! feed poller (its own thread) and filesystem notifications send it events.

pub mod alerts;
pub mod config;
pub mod feeds;
pub mod http;
pub mod state;

use crate::PipelineError;
use alerts::Alert;
use config::{InboxTable, WatchConfig};
use feeds::{FeedPoll, PollOutcome};
use nhip_index::NhipIndex;
use nhip_ingest::{DocKind, Document, Format, IngestOptions};
use serde::{Deserialize, Serialize};
use state::{FeedSeen, FileSeen, WatchState};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

/// What reaches the watcher's loop.
pub enum Event {
    Fs(notify::Result<notify::Event>),
    Feed(Box<FeedPoll>),
}

/// What a watcher did before it stopped.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WatchSummary {
    pub batches: usize,
    pub documents: usize,
    pub alerts: usize,
}

/// The status file: what `nhip watch --status` shows.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Status {
    pub updated_at: String,
    pub running_since: String,
    pub feeds: BTreeMap<String, FeedStatus>,
    /// Inbox path → files seen but not read yet (still changing, or waiting for the batch).
    pub inboxes: BTreeMap<String, Vec<String>>,
    pub batches: usize,
    pub documents: usize,
    pub alerts: usize,
    pub webhook_undelivered: usize,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct FeedStatus {
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    pub next_poll: Option<String>,
    pub polls: usize,
    pub not_modified: usize,
    pub items_known: usize,
    pub items_indexed: usize,
}

/// A file seen changing: read once its size and time stay the same for the settle time.
struct Pending {
    size: u64,
    mtime_ns: i128,
    since: Instant,
}

/// Documents and what they cover, until they are committed.
#[derive(Default)]
struct Queue {
    documents: Vec<Document>,
    /// Path → how the file was read (`None`: deleted).
    files: BTreeMap<String, Option<FileSeen>>,
    feeds: BTreeMap<String, FeedSeen>,
    since: Option<Instant>,
}

impl Queue {
    fn is_empty(&self) -> bool {
        self.documents.is_empty() && self.files.is_empty() && self.feeds.is_empty()
    }
}

struct Inbox {
    root: PathBuf,
    options: IngestOptions,
}

struct Watcher {
    config: WatchConfig,
    index: NhipIndex,
    inboxes: Vec<Inbox>,
    /// What the watcher writes itself: never input.
    own_output: Vec<PathBuf>,
    state: WatchState,
    state_path: PathBuf,
    status: Status,
    status_written: Option<Instant>,
    alerts_path: PathBuf,
    /// Highest level raised per `topic|week`.
    raised: BTreeMap<String, u8>,
    /// Every alert raised, for webhook delivery.
    all_alerts: Vec<Alert>,
    webhook: Option<http::HttpClient>,
    pending: HashMap<PathBuf, Pending>,
    queue: Queue,
    summary: WatchSummary,
}

/// Runs the watcher until `stop` is set. Whatever was committed is never read again; what was
/// not is read again at the next start.
pub fn run(config: WatchConfig, stop: &AtomicBool) -> Result<WatchSummary, PipelineError> {
    let watch_error = |message: String| PipelineError::Watch(message);
    feeds::check_tables(&config.feeds).map_err(watch_error)?;
    let mut inboxes = Vec::new();
    for table in &config.inboxes {
        inboxes.push(inbox(table).map_err(watch_error)?);
    }
    std::fs::create_dir_all(&config.out_dir)
        .map_err(|e| watch_error(format!("cannot create {}: {e}", config.out_dir.display())))?;
    let index = NhipIndex::open_or_create(&config.index_dir)
        .map_err(PipelineError::index(&config.index_dir))?;
    let state_path = state::state_path(&config.index_dir);
    let state = WatchState::load(&state_path)
        .map_err(|e| watch_error(format!("cannot read {}: {e}", state_path.display())))?;
    let alerts_path = config.out_dir.join(nhip_trends::alert::ALERTS_FILE);
    let (raised, all_alerts) = alerts::raised(&alerts_path)
        .map_err(|e| watch_error(format!("cannot read {}: {e}", alerts_path.display())))?;
    let own_output = vec![
        config.index_dir.clone(),
        state_path.clone(),
        state::status_path(&config.index_dir),
        config.out_dir.clone(),
    ];
    let webhook = config
        .alerts
        .webhook
        .as_ref()
        .map(|_| http::HttpClient::new(config.settings.http.clone()));
    let now = chrono::Utc::now().to_rfc3339();
    let mut watcher = Watcher {
        status: Status {
            running_since: now,
            ..Default::default()
        },
        config,
        index,
        inboxes,
        own_output,
        state,
        state_path,
        status_written: None,
        alerts_path,
        raised,
        all_alerts,
        webhook,
        pending: HashMap::new(),
        queue: Queue::default(),
        summary: WatchSummary::default(),
    };
    let (events, received) = channel::<Event>();
    let fs_events = events.clone();
    let mut notifier = notify::recommended_watcher(move |event| {
        let _ = fs_events.send(Event::Fs(event));
    })
    .map_err(|e| watch_error(format!("cannot watch folders: {e}")))?;
    for inbox in &watcher.inboxes {
        use notify::Watcher as _;
        if let Err(e) = notifier.watch(&inbox.root, notify::RecursiveMode::Recursive) {
            // The periodic rescan still finds its files.
            tracing::warn!(inbox = %inbox.root.display(), error = %e, "no notifications for this inbox, rescans only");
        }
    }
    let feed_tables = watcher.config.feeds.clone();
    let known_feeds = watcher.state.feeds.clone();
    let http_settings = watcher.config.settings.http.clone();
    std::thread::scope(|scope| {
        let poller = scope
            .spawn(move || feeds::poll_loop(feed_tables, known_feeds, http_settings, events, stop));
        let outcome = watcher.run_loop(&received, stop);
        // The poller stops at its next check of `stop`, also when the loop failed.
        stop.store(true, Ordering::Relaxed);
        drop(received);
        let _ = poller.join();
        drop(notifier);
        outcome
    })?;
    Ok(watcher.summary)
}

fn inbox(table: &InboxTable) -> Result<Inbox, String> {
    // A missing inbox is created empty, so a new office's pipeline works on the first day.
    if !table.path.exists() {
        std::fs::create_dir_all(&table.path)
            .map_err(|e| format!("[[inbox]] {}: cannot create it: {e}", table.path.display()))?;
        tracing::info!(inbox = %table.path.display(), "inbox folder created");
    }
    let root = table
        .path
        .canonicalize()
        .map_err(|e| format!("[[inbox]] {}: {e}", table.path.display()))?;
    let default_kind = match table.kind.as_deref() {
        None => None,
        Some(k) => Some(DocKind::parse(k).ok_or_else(|| {
            format!(
                "[[inbox]] {}: kind must be report or press, not {k:?}",
                table.path.display()
            )
        })?),
    };
    Ok(Inbox {
        root,
        options: IngestOptions {
            default_source: table.source.clone(),
            default_kind,
            columns: table.columns.clone(),
        },
    })
}

fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

impl Watcher {
    fn run_loop(
        &mut self,
        received: &std::sync::mpsc::Receiver<Event>,
        stop: &AtomicBool,
    ) -> Result<(), PipelineError> {
        self.deliver_alerts();
        let mut next_rescan = Instant::now();
        // Alerts the webhook refused are offered again this often (and after each commit).
        let redelivery = Duration::from_secs(60);
        let mut next_delivery = Instant::now() + redelivery;
        let mut dirty: BTreeSet<PathBuf> = BTreeSet::new();
        while !stop.load(Ordering::Relaxed) {
            if Instant::now() >= next_rescan {
                self.rescan(&mut dirty);
                next_rescan =
                    Instant::now() + self.config.settings.rescan.max(Duration::from_millis(100));
            }
            let busy = !self.pending.is_empty() || !self.queue.is_empty() || !dirty.is_empty();
            let tick = if busy {
                (self.config.settings.settle / 4)
                    .clamp(Duration::from_millis(10), Duration::from_millis(100))
            } else {
                Duration::from_millis(250)
            };
            let mut handle = |event: Event, dirty: &mut BTreeSet<PathBuf>| match event {
                Event::Fs(Ok(event)) => dirty.extend(event.paths),
                Event::Fs(Err(e)) => tracing::warn!(error = %e, "filesystem notification error"),
                Event::Feed(poll) => self.feed_polled(*poll),
            };
            match received.recv_timeout(tick) {
                Ok(event) => handle(event, &mut dirty),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {}
            }
            while let Ok(event) = received.try_recv() {
                handle(event, &mut dirty);
            }
            for path in std::mem::take(&mut dirty) {
                self.check_path(&path, &mut dirty);
            }
            self.read_settled()?;
            let batch_due = self.queue.documents.len() >= self.config.settings.batch_docs
                || self
                    .queue
                    .since
                    .is_some_and(|s| s.elapsed() >= self.config.settings.batch_wait);
            if batch_due || (self.queue.documents.is_empty() && !self.queue.is_empty()) {
                self.commit()?;
            }
            if Instant::now() >= next_delivery {
                self.deliver_alerts();
                next_delivery = Instant::now() + redelivery;
            }
            self.write_status(false);
        }
        if !self.queue.is_empty() {
            self.commit()?;
        }
        self.write_status(true);
        Ok(())
    }

    /// Every file below every inbox is checked again; files gone since are noted.
    fn rescan(&mut self, dirty: &mut BTreeSet<PathBuf>) {
        let roots: Vec<PathBuf> = self.inboxes.iter().map(|i| i.root.clone()).collect();
        let mut rejects = Vec::new();
        let mut skipped = BTreeMap::new();
        let files =
            nhip_ingest::collect_files(&roots, &self.own_output, &mut rejects, &mut skipped);
        let present: BTreeSet<String> = files.iter().map(|f| f.display().to_string()).collect();
        let gone: Vec<String> = self
            .state
            .files
            .keys()
            .filter(|k| !present.contains(*k) && !self.queue.files.contains_key(*k))
            .cloned()
            .collect();
        for key in gone {
            dirty.insert(PathBuf::from(key));
        }
        dirty.extend(files);
    }

    /// What is known of a file: as queued for the next commit, else as committed.
    fn seen(&self, key: &str) -> Option<&FileSeen> {
        match self.queue.files.get(key) {
            Some(queued) => queued.as_ref(),
            None => self.state.files.get(key),
        }
    }

    fn inbox_of(&self, path: &Path) -> Option<usize> {
        self.inboxes.iter().position(|i| path.starts_with(&i.root))
    }

    fn check_path(&mut self, path: &Path, dirty: &mut BTreeSet<PathBuf>) {
        if self.inbox_of(path).is_none() {
            return;
        }
        let key = path.display().to_string();
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(_) => {
                self.pending.remove(path);
                if self.seen(&key).is_some() {
                    tracing::info!(file = %key, "file deleted from the inbox; its documents stay in the index");
                    self.queue.files.insert(key, None);
                }
                return;
            }
        };
        if meta.is_dir() {
            let mut rejects = Vec::new();
            let mut skipped = BTreeMap::new();
            let files = nhip_ingest::collect_files(
                &[path.to_path_buf()],
                &self.own_output,
                &mut rejects,
                &mut skipped,
            );
            dirty.extend(files.into_iter().filter(|f| f != path));
            return;
        }
        if !meta.is_file() {
            return;
        }
        // The walk's own rules: hidden, temporary and system files, the watcher's own output.
        let mut rejects = Vec::new();
        let mut skipped = BTreeMap::new();
        if nhip_ingest::collect_files(
            &[path.to_path_buf()],
            &self.own_output,
            &mut rejects,
            &mut skipped,
        )
        .is_empty()
        {
            return;
        }
        let (size, mtime_ns) = (meta.len(), mtime_ns(&meta));
        if self
            .seen(&key)
            .is_some_and(|s| s.size == size && s.mtime_ns == mtime_ns)
        {
            self.pending.remove(path);
            return;
        }
        match self.pending.get_mut(path) {
            Some(p) if p.size == size && p.mtime_ns == mtime_ns => {}
            Some(p) => {
                p.size = size;
                p.mtime_ns = mtime_ns;
                p.since = Instant::now();
            }
            None => {
                self.pending.insert(
                    path.to_path_buf(),
                    Pending {
                        size,
                        mtime_ns,
                        since: Instant::now(),
                    },
                );
            }
        }
    }

    /// Reads the files whose size and time have not changed for the settle time.
    fn read_settled(&mut self) -> Result<(), PipelineError> {
        let settle = self.config.settings.settle;
        let candidates: Vec<PathBuf> = self
            .pending
            .iter()
            .filter(|(_, p)| p.since.elapsed() >= settle)
            .map(|(path, _)| path.clone())
            .collect();
        for path in candidates {
            if self.queue.documents.len() >= self.config.settings.batch_docs {
                // The rest stays settled and is read after this batch is committed.
                break;
            }
            let Ok(meta) = std::fs::metadata(&path) else {
                self.pending.remove(&path);
                continue;
            };
            let Some(pending) = self.pending.get_mut(&path) else {
                continue;
            };
            if meta.len() != pending.size || mtime_ns(&meta) != pending.mtime_ns {
                // Still being written: wait for it to settle again.
                pending.size = meta.len();
                pending.mtime_ns = mtime_ns(&meta);
                pending.since = Instant::now();
                continue;
            }
            self.pending.remove(&path);
            self.read_file(&path, meta.len(), mtime_ns(&meta))?;
        }
        Ok(())
    }

    fn read_file(&mut self, path: &Path, size: u64, mtime_ns: i128) -> Result<(), PipelineError> {
        let key = path.display().to_string();
        let Some(inbox) = self.inbox_of(path) else {
            return Ok(());
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::warn!(file = %key, error = %e, "cannot read file; tried again when it changes");
                return Ok(());
            }
        };
        let hash = format!("{:032x}", xxh3_128(&bytes));
        if let Some(seen) = self.seen(&key).filter(|s| s.hash == hash).cloned() {
            // Touched, not changed: nothing to index.
            self.queue.files.insert(
                key,
                Some(FileSeen {
                    size,
                    mtime_ns,
                    ..seen
                }),
            );
            return Ok(());
        }
        let options = &self.inboxes[inbox].options;
        let outcome = nhip_ingest::read_file(path, options);
        // A file holding one document keeps one id through its changes: its path's.
        let one_document = nhip_ingest::detect_file(path)
            .is_ok_and(|f| !matches!(f, Format::JsonLines | Format::Csv | Format::Feed));
        let mut documents = Vec::with_capacity(outcome.documents.len());
        for mut raw in outcome.documents {
            if one_document && raw.id.is_none() {
                raw.id = Some(format!(
                    "{:016x}",
                    xxh3_64(format!("inbox\u{1f}{key}").as_bytes())
                ));
            }
            documents.push(raw.finish());
        }
        if !outcome.rejects.is_empty() {
            for reject in &outcome.rejects {
                tracing::warn!(file = %key, reject = %reject, "rejected");
            }
            self.append_rejects(&outcome.rejects);
        }
        let changed = self.seen(&key).is_some();
        tracing::info!(file = %key, documents = documents.len(), rejected = outcome.rejects.len(), changed, "file read");
        let ids = documents.iter().map(|d| d.id.clone()).collect();
        self.queue.files.insert(
            key,
            Some(FileSeen {
                size,
                mtime_ns,
                hash,
                ids,
            }),
        );
        self.enqueue(documents);
        Ok(())
    }

    fn append_rejects(&self, rejects: &[nhip_ingest::Reject]) {
        let path = self.config.out_dir.join("watch-rejects.jsonl");
        let mut text = String::new();
        for reject in rejects {
            if let Ok(line) = serde_json::to_string(reject) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        if let Err(e) = written {
            tracing::warn!(file = %path.display(), error = %e, "cannot write rejects");
        }
    }

    fn enqueue(&mut self, documents: Vec<Document>) {
        if !documents.is_empty() && self.queue.since.is_none() {
            self.queue.since = Some(Instant::now());
        }
        self.queue.documents.extend(documents);
    }

    fn feed_polled(&mut self, poll: FeedPoll) {
        let status = self.status.feeds.entry(poll.url.clone()).or_default();
        let now = chrono::Utc::now().to_rfc3339();
        status.polls += 1;
        status.next_poll = Some(poll.next_poll.to_rfc3339());
        match &poll.outcome {
            PollOutcome::NotModified => {
                status.not_modified += 1;
                status.last_success = Some(now);
                tracing::info!(feed = %poll.url, "poll: not modified");
            }
            PollOutcome::Fetched {
                items,
                new,
                changed,
                article_errors,
            } => {
                status.last_success = Some(now.clone());
                status.items_indexed += poll.documents.len();
                if let Some(seen) = &poll.seen {
                    status.items_known = seen.items.len();
                }
                for error in article_errors {
                    tracing::warn!(feed = %poll.url, error = %error, "article not read; the feed's text is indexed");
                }
                if let Some(error) = article_errors.last() {
                    status.last_error = Some(error.clone());
                    status.last_error_at = Some(now);
                }
                tracing::info!(feed = %poll.url, items, new, changed, "poll");
            }
            PollOutcome::Failed(error) => {
                status.last_error = Some(error.clone());
                status.last_error_at = Some(now);
                tracing::warn!(feed = %poll.url, error = %error, "poll failed");
            }
        }
        if let Some(seen) = poll.seen {
            self.queue.feeds.insert(poll.url, seen);
        }
        self.enqueue(poll.documents);
    }

    /// Commits the queued documents, then records what they cover, then checks alerts.
    fn commit(&mut self) -> Result<(), PipelineError> {
        let queue = std::mem::take(&mut self.queue);
        let documents = queue.documents.len();
        if documents > 0 {
            let started = Instant::now();
            let write = self
                .index
                .write(&queue.documents)
                .map_err(PipelineError::index(&self.config.index_dir))?;
            self.summary.batches += 1;
            self.summary.documents += documents;
            tracing::info!(
                documents,
                added = write.added,
                replaced = write.replaced,
                unchanged = write.unchanged,
                duplicates = write.duplicates,
                in_index = self.index.num_docs(),
                ms = started.elapsed().as_millis() as u64,
                "batch committed"
            );
        }
        for (key, seen) in queue.files {
            match seen {
                Some(seen) => self.state.files.insert(key, seen),
                None => self.state.files.remove(&key),
            };
        }
        for (url, seen) in queue.feeds {
            self.state.feeds.insert(url, seen);
        }
        self.save_state()?;
        if documents > 0 {
            self.check_alerts();
        }
        Ok(())
    }

    fn save_state(&self) -> Result<(), PipelineError> {
        self.state.save(&self.state_path).map_err(|e| {
            PipelineError::Watch(format!("cannot write {}: {e}", self.state_path.display()))
        })
    }

    /// New or risen alerts, appended to `alerts.jsonl`, then offered to the webhook. A failure
    /// here is logged and never stops the watcher.
    fn check_alerts(&mut self) {
        let Some(topics) = &self.config.topics else {
            return;
        };
        let today = chrono::Utc::now()
            .with_timezone(
                &chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset"),
            )
            .date_naive();
        let raised = match alerts::check(
            &self.index,
            topics,
            &self.config.alerts,
            today,
            &self.raised,
        ) {
            Ok(raised) => raised,
            Err(e) => {
                tracing::warn!(error = %e, "alerts not computed");
                return;
            }
        };
        if raised.is_empty() {
            return;
        }
        if let Err(e) = nhip_trends::alert::append_alerts(&self.alerts_path, &raised) {
            tracing::warn!(file = %self.alerts_path.display(), error = %e, "cannot write alerts; they are computed again after the next commit");
            return;
        }
        for alert in raised {
            tracing::info!(topic = %alert.topic, week = %alert.week, level = alert.level, docs = alert.docs, baseline = ?alert.baseline, p_value = ?alert.p_value, "alert");
            self.raised
                .insert(format!("{}|{}", alert.topic, alert.week), alert.level);
            self.summary.alerts += 1;
            self.all_alerts.push(alert);
        }
        self.deliver_alerts();
    }

    /// Posts every alert the webhook has not taken yet; undelivered ones wait for the next
    /// commit or restart.
    fn deliver_alerts(&mut self) {
        let (Some(url), Some(client)) = (self.config.alerts.webhook.clone(), self.webhook.as_mut())
        else {
            return;
        };
        let mut delivered_any = false;
        for alert in &self.all_alerts {
            let key = alert.key();
            if self.state.delivered.contains(&key) {
                continue;
            }
            let Ok(body) = serde_json::to_string(alert) else {
                continue;
            };
            match client.post_json(&url, &body) {
                Ok(attempts) => {
                    tracing::info!(topic = %alert.topic, week = %alert.week, attempts, "alert delivered to the webhook");
                    self.state.delivered.insert(key);
                    delivered_any = true;
                }
                Err(e) => {
                    tracing::warn!(topic = %alert.topic, week = %alert.week, error = %e, "webhook failed; the alert is offered again later");
                }
            }
        }
        if delivered_any {
            if let Err(e) = self.save_state() {
                tracing::warn!(error = %e, "cannot record webhook deliveries");
            }
        }
    }

    /// The status file, at most once a second unless `now`.
    fn write_status(&mut self, now: bool) {
        if !now
            && self
                .status_written
                .is_some_and(|t| t.elapsed() < Duration::from_secs(1))
        {
            return;
        }
        self.status_written = Some(Instant::now());
        self.status.updated_at = chrono::Utc::now().to_rfc3339();
        self.status.inboxes = self
            .inboxes
            .iter()
            .map(|inbox| {
                let mut waiting: Vec<String> = self
                    .pending
                    .keys()
                    .filter(|p| p.starts_with(&inbox.root))
                    .map(|p| p.display().to_string())
                    .collect();
                waiting.extend(
                    self.queue
                        .files
                        .keys()
                        .filter(|k| Path::new(k).starts_with(&inbox.root))
                        .cloned(),
                );
                waiting.sort();
                (inbox.root.display().to_string(), waiting)
            })
            .collect();
        for (url, seen) in &self.state.feeds {
            self.status
                .feeds
                .entry(url.clone())
                .or_default()
                .items_known = seen.items.len();
        }
        self.status.batches = self.summary.batches;
        self.status.documents = self.summary.documents;
        self.status.alerts = self.all_alerts.len();
        self.status.webhook_undelivered = if self.config.alerts.webhook.is_some() {
            self.all_alerts
                .iter()
                .filter(|a| !self.state.delivered.contains(&a.key()))
                .count()
        } else {
            0
        };
        let path = state::status_path(&self.config.index_dir);
        if let Ok(bytes) = serde_json::to_vec_pretty(&self.status) {
            if let Err(e) = state::write_atomically(&path, &bytes) {
                tracing::warn!(file = %path.display(), error = %e, "cannot write status");
            }
        }
    }
}

/// The status a running (or stopped) watcher last wrote for this index.
pub fn read_status(index_dir: &Path) -> std::io::Result<Status> {
    let bytes = std::fs::read(state::status_path(index_dir))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}
