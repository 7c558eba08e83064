//! What a pipeline file says about watching: `[[inbox]]`, `[[feed]]`, `[alerts]`, `[watch]`.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// A watched folder (`[[inbox]]`): new and changed files are ingested as they land.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboxTable {
    pub path: PathBuf,
    /// Source name for documents whose input names none.
    pub source: Option<String>,
    /// `report` or `press`, for documents whose input says none.
    pub kind: Option<String>,
    /// The input's column names (JSON keys, CSV headers) for nhip's fields.
    #[serde(default)]
    pub columns: nhip_ingest::ColumnMap,
}

/// A polled feed (`[[feed]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedTable {
    pub url: String,
    /// Source name of the feed's documents (else the feed's title).
    pub source: Option<String>,
    /// Poll interval: `30m`, `2h`, `90s` or seconds [default 30 min].
    pub every: Option<String>,
    /// Also fetch each new item's page and index the article's full text.
    #[serde(default)]
    pub articles: bool,
    pub kind: Option<String>,
}

/// Per-topic alert settings (`[alerts.topic.NAME]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicAlertTable {
    pub alert: Option<bool>,
    pub min_docs: Option<i64>,
    pub p_value: Option<f64>,
}

/// `[alerts]`: where alerts go and when a topic raises one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsTable {
    /// JSON POST of each alert, retried until delivered (also after a restart).
    pub webhook: Option<String>,
    /// Fewest documents in the week for an alert [default: as `nhip trends` flags, 3].
    pub min_docs: Option<i64>,
    /// Largest p-value of the week's count under the baseline [default: as `nhip trends`, 0.01].
    pub p_value: Option<f64>,
    #[serde(default)]
    pub topic: BTreeMap<String, TopicAlertTable>,
}

/// `[watch]`: batching, settling and HTTP settings, all optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchTable {
    /// Commit once this many documents wait [default 500].
    pub batch_docs: Option<usize>,
    /// ... or once the oldest waiting document waited this long [default 2].
    pub batch_seconds: Option<f64>,
    /// A file is read once its size and time stayed the same this long [default 1].
    pub settle_seconds: Option<f64>,
    /// Every inbox is walked again this often, in case a notification was missed [default 60].
    pub rescan_seconds: Option<f64>,
    /// Minimum gap between the end of one request to a host and the next [default 2].
    pub host_gap_seconds: Option<f64>,
    /// Timeout of one HTTP request [default 30].
    pub timeout_seconds: Option<f64>,
    /// Largest response read, in bytes [default 16 MiB].
    pub max_response_bytes: Option<u64>,
    /// Attempts of one request on 5xx, time-outs and connection errors [default 4].
    pub attempts: Option<u32>,
    /// First retry delay; doubled each time, plus jitter [default 1].
    pub retry_seconds: Option<f64>,
}

/// Everything the watcher needs, paths resolved.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    pub index_dir: PathBuf,
    /// Where `alerts.jsonl` and the watcher's rejects go.
    pub out_dir: PathBuf,
    /// The topics file alerts are computed for (none: no alerts).
    pub topics: Option<PathBuf>,
    pub inboxes: Vec<InboxTable>,
    pub feeds: Vec<FeedTable>,
    pub alerts: AlertsTable,
    pub settings: Settings,
}

/// `[watch]` with its defaults applied.
#[derive(Debug, Clone)]
pub struct Settings {
    pub batch_docs: usize,
    pub batch_wait: Duration,
    pub settle: Duration,
    pub rescan: Duration,
    pub http: crate::watch::http::HttpSettings,
}

fn seconds(value: Option<f64>, default: f64, name: &str) -> Result<Duration, String> {
    let value = value.unwrap_or(default);
    if !(value.is_finite() && value >= 0.0) {
        return Err(format!("[watch] {name} must be a number of seconds ≥ 0"));
    }
    Ok(Duration::from_secs_f64(value))
}

impl WatchTable {
    pub fn settings(&self) -> Result<Settings, String> {
        let http = crate::watch::http::HttpSettings {
            host_gap: seconds(self.host_gap_seconds, 2.0, "host_gap_seconds")?,
            timeout: seconds(self.timeout_seconds, 30.0, "timeout_seconds")?,
            max_response_bytes: self.max_response_bytes.unwrap_or(16 * 1024 * 1024),
            attempts: self.attempts.unwrap_or(4).max(1),
            retry_delay: seconds(self.retry_seconds, 1.0, "retry_seconds")?,
            ..Default::default()
        };
        Ok(Settings {
            batch_docs: self.batch_docs.unwrap_or(500).max(1),
            batch_wait: seconds(self.batch_seconds, 2.0, "batch_seconds")?,
            settle: seconds(self.settle_seconds, 1.0, "settle_seconds")?,
            rescan: seconds(self.rescan_seconds, 60.0, "rescan_seconds")?,
            http,
        })
    }
}

/// A poll interval: `30m`, `2h`, `90s`, `1d` or a number of seconds.
pub fn parse_every(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("every = {text:?}: expected e.g. \"30m\", \"2h\", \"90s\""))?;
    let scale = match unit.trim() {
        "" | "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        other => {
            return Err(format!(
                "every = {text:?}: unknown unit {other:?} (s, m, h, d)"
            ))
        }
    };
    let seconds = number * scale;
    if !(seconds.is_finite() && seconds > 0.0) {
        return Err(format!("every = {text:?}: must be more than zero"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_intervals() {
        assert_eq!(parse_every("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_every("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_every("45"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_every("0.5s"), Ok(Duration::from_millis(500)));
        assert!(parse_every("soon").is_err());
        assert!(parse_every("0m").is_err());
        assert!(parse_every("3w").is_err());
    }
}
