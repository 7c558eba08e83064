//! Feed polling, on its own thread: each feed at its interval, conditional GETs, new or
//! changed items (known by guid or link) turned into documents, optionally with the full
//! article fetched and read by the HTML reader. Results go to the watcher's loop, which
//! commits them and only then records what was seen.

use super::config::{parse_every, FeedTable};
use super::http::{
    decode_page, host_of, FetchError, Fetched, HostSlots, HttpClient, HttpSettings, Validators,
};
use super::state::FeedSeen;
use super::Event;
use nhip_ingest::{DocKind, Document, IngestOptions, RawDocument};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};
use xxhash_rust::xxh3::xxh3_128;

/// One poll of one feed.
#[derive(Debug)]
pub struct FeedPoll {
    pub url: String,
    /// New and changed items.
    pub documents: Vec<Document>,
    /// What is known of the feed once these documents are committed (`None`: unchanged).
    pub seen: Option<FeedSeen>,
    pub outcome: PollOutcome,
    pub next_poll: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug)]
pub enum PollOutcome {
    NotModified,
    Fetched {
        items: usize,
        new: usize,
        changed: usize,
        article_errors: Vec<String>,
    },
    Failed(String),
}

/// A feed as the poller follows it.
struct Followed {
    table: FeedTable,
    options: IngestOptions,
    every: Duration,
    due: Instant,
    seen: FeedSeen,
}

/// Checks the feed tables: intervals and kinds.
pub fn check_tables(feeds: &[FeedTable]) -> Result<(), String> {
    for feed in feeds {
        if let Some(every) = &feed.every {
            parse_every(every).map_err(|e| format!("[[feed]] {}: {e}", feed.url))?;
        }
        if let Some(kind) = &feed.kind {
            DocKind::parse(kind).ok_or_else(|| {
                format!(
                    "[[feed]] {}: kind must be report or press, not {kind:?}",
                    feed.url
                )
            })?;
        }
        if !(feed.url.starts_with("http://") || feed.url.starts_with("https://")) {
            return Err(format!(
                "[[feed]] {}: url must start with http:// or https://",
                feed.url
            ));
        }
    }
    Ok(())
}

/// Threads polling feeds: feeds of one host share a thread (requests to a host are one at a
/// time), and a slow host holds up only the hosts of its thread.
const POLL_THREADS: usize = 8;

/// Polls every feed when due until `stop`, sending each poll's result.
pub fn poll_loop(
    feeds: Vec<FeedTable>,
    known: std::collections::BTreeMap<String, FeedSeen>,
    settings: HttpSettings,
    events: Sender<Event>,
    stop: &AtomicBool,
) {
    let mut hosts: Vec<String> = feeds.iter().map(|f| host_of(&f.url)).collect();
    hosts.sort();
    hosts.dedup();
    let threads = hosts.len().clamp(1, POLL_THREADS);
    let mut groups: Vec<Vec<FeedTable>> = vec![Vec::new(); threads];
    for feed in feeds {
        let host = host_of(&feed.url);
        let slot = hosts.binary_search(&host).unwrap_or(0) % threads;
        groups[slot].push(feed);
    }
    let slots = HostSlots::default();
    std::thread::scope(|scope| {
        for group in groups.into_iter().filter(|g| !g.is_empty()) {
            let client = HttpClient::sharing(settings.clone(), slots.clone());
            let events = events.clone();
            let known = &known;
            scope.spawn(move || poll_group(group, known, client, events, stop));
        }
    });
}

fn poll_group(
    feeds: Vec<FeedTable>,
    known: &std::collections::BTreeMap<String, FeedSeen>,
    mut client: HttpClient,
    events: Sender<Event>,
    stop: &AtomicBool,
) {
    let now = Instant::now();
    let mut followed: Vec<Followed> = feeds
        .into_iter()
        .map(|table| Followed {
            options: IngestOptions {
                default_source: table.source.clone(),
                default_kind: table.kind.as_deref().and_then(DocKind::parse),
                ..Default::default()
            },
            every: table
                .every
                .as_deref()
                .and_then(|e| parse_every(e).ok())
                .unwrap_or(Duration::from_secs(30 * 60)),
            due: now,
            seen: known.get(&table.url).cloned().unwrap_or_default(),
            table,
        })
        .collect();
    while !stop.load(Ordering::Relaxed) && !followed.is_empty() {
        let Some(next) = (0..followed.len()).min_by_key(|&i| followed[i].due) else {
            return;
        };
        let wait = followed[next].due.saturating_duration_since(Instant::now());
        if !wait.is_zero() {
            std::thread::sleep(wait.min(Duration::from_millis(100)));
            continue;
        }
        let feed = &mut followed[next];
        feed.due = Instant::now() + feed.every;
        let mut poll = poll_feed(&mut client, feed);
        poll.next_poll = chrono::Utc::now()
            + chrono::Duration::from_std(feed.every).unwrap_or(chrono::Duration::zero());
        if let Some(seen) = &poll.seen {
            feed.seen = seen.clone();
        }
        if events.send(Event::Feed(Box::new(poll))).is_err() {
            return;
        }
    }
}

fn poll_feed(client: &mut HttpClient, feed: &Followed) -> FeedPoll {
    let url = feed.table.url.clone();
    let mut poll = FeedPoll {
        url: url.clone(),
        documents: Vec::new(),
        seen: None,
        outcome: PollOutcome::NotModified,
        next_poll: chrono::Utc::now(),
    };
    let validators = Validators {
        etag: feed.seen.etag.as_deref(),
        last_modified: feed.seen.last_modified.as_deref(),
    };
    let (bytes, charset, etag, last_modified) = match client.get(&url, &validators) {
        Ok(Fetched::NotModified) => return poll,
        Ok(Fetched::Body {
            bytes,
            charset,
            etag,
            last_modified,
            ..
        }) => (bytes, charset, etag, last_modified),
        Err(e) => {
            poll.outcome = PollOutcome::Failed(e.to_string());
            return poll;
        }
    };
    let bytes = decode_page(bytes, charset.as_deref());
    let read = nhip_ingest::feed::read(Path::new(&url), &bytes, &feed.options);
    if read.documents.is_empty() {
        let reason = read
            .rejects
            .first()
            .map_or_else(|| "feed with no items".to_string(), |r| r.reason.clone());
        poll.outcome = PollOutcome::Failed(reason);
        return poll;
    }
    let mut seen = FeedSeen {
        etag,
        last_modified,
        items: Default::default(),
    };
    let (mut new, mut changed, mut article_errors) = (0, 0, Vec::new());
    let items = read.documents.len();
    for raw in read.documents {
        let key = item_key(&raw);
        let hash = format!(
            "{:032x}",
            xxh3_128(format!("{}\n{}", raw.title, raw.body).as_bytes())
        );
        match feed.seen.items.get(&key) {
            Some(known) if *known == hash => {
                seen.items.insert(key, hash);
                continue;
            }
            Some(_) => changed += 1,
            None => new += 1,
        }
        let document = if feed.table.articles {
            match article(client, &raw, &feed.options) {
                Ok(document) => document,
                Err(error) => {
                    // The feed's own text is kept: the article is tried again when the item changes.
                    article_errors.push(error);
                    raw.finish()
                }
            }
        } else {
            raw.finish()
        };
        seen.items.insert(key, hash);
        poll.documents.push(document);
    }
    poll.seen = Some(seen);
    poll.outcome = PollOutcome::Fetched {
        items,
        new,
        changed,
        article_errors,
    };
    poll
}

/// An item is known by its guid (when the feed gives no link) or its link.
fn item_key(raw: &RawDocument) -> String {
    raw.url
        .clone()
        .or_else(|| raw.id.clone())
        .unwrap_or_else(|| format!("{:032x}", xxh3_128(raw.title.as_bytes())))
}

/// The item's page, read by the HTML reader, under the item's own id, link and source (so an
/// article replaces the same document as its feed summary would).
fn article(
    client: &mut HttpClient,
    item: &RawDocument,
    options: &IngestOptions,
) -> Result<Document, String> {
    let Some(link) = item.url.as_deref() else {
        return Err("item has no link".into());
    };
    let fetched = client
        .get(link, &Validators::default())
        .map_err(|e: FetchError| e.to_string())?;
    let Fetched::Body { bytes, charset, .. } = fetched else {
        return Err(format!("{link}: not modified on a first request"));
    };
    let bytes = decode_page(bytes, charset.as_deref());
    let mut outcome = nhip_ingest::html::read(Path::new(link), &bytes, options);
    let Some(mut page) = outcome.documents.pop() else {
        let reason = outcome
            .rejects
            .first()
            .map_or_else(|| "no article".to_string(), |r| r.reason.clone());
        return Err(format!("{link}: {reason}"));
    };
    let id = item.clone().finish().id;
    page.id = Some(id);
    page.url = Some(link.to_string());
    page.source = item.source.clone();
    page.kind = item.kind;
    page.published_at = page.published_at.or(item.published_at);
    page.date_context = page.date_context.or(item.date_context);
    if page.title.is_empty() {
        page.title = item.title.clone();
    }
    page.origin = link.to_string();
    Ok(page.finish())
}
