//! Pipeline files: `pipelines/*.toml` declare a job's sources, index, topics and output folder.

use crate::commands;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PipelineFile {
    job: Option<Job>,
    #[serde(default)]
    source: Vec<Source>,
    index: IndexSection,
    trends: TrendsSection,
    output: OutputSection,
    boilerplate: Option<BoilerplateSection>,
    /// Watched folders (`nhip watch`).
    #[serde(default)]
    inbox: Vec<nhip_pipeline::watch::config::InboxTable>,
    /// Polled feeds (`nhip watch`).
    #[serde(default)]
    feed: Vec<nhip_pipeline::watch::config::FeedTable>,
    alerts: Option<nhip_pipeline::watch::config::AlertsTable>,
    watch: Option<nhip_pipeline::watch::config::WatchTable>,
}

/// When a sentence counts as boilerplate (see README).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BoilerplateSection {
    min_documents: Option<u32>,
    min_syllables: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Job {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    path: PathBuf,
    /// Source name for documents whose input names none.
    source: Option<String>,
    /// `report` or `press`, for documents whose input says none.
    kind: Option<String>,
    /// The input's column names (JSON keys, CSV headers) for nhip's fields.
    #[serde(default)]
    columns: nhip_ingest::ColumnMap,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexSection {
    path: PathBuf,
    /// A word list (one word per line) that groups query and topic words; kept in the index.
    words: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrendsSection {
    topics: PathBuf,
    /// `"source"` adds per-source rows.
    by: Option<String>,
    /// Recent weeks the charts and the brief show (default 52; the tables keep every week).
    weeks: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutputSection {
    dir: PathBuf,
}

/// `a/b/../c` → `a/c`, without touching the file system (the paths may not exist yet).
fn clean(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

fn read(pipeline_path: &Path) -> Result<PipelineFile> {
    let text = std::fs::read_to_string(pipeline_path)
        .with_context(|| format!("cannot read pipeline {}", pipeline_path.display()))?;
    toml::from_str(&text).with_context(|| format!("pipeline {}", pipeline_path.display()))
}

/// What `nhip serve PIPELINE.toml` serves: the pipeline's index, topics and output folder.
pub fn serve_config(pipeline_path: &Path) -> Result<nhip_server::Config> {
    let pipeline = read(pipeline_path)?;
    let base = pipeline_path.parent().unwrap_or(Path::new("."));
    let resolve = |p: &Path| clean(&base.join(p));
    let mut config = nhip_server::Config::new(resolve(&pipeline.index.path));
    config.topics = Some(resolve(&pipeline.trends.topics));
    config.out_dir = Some(resolve(&pipeline.output.dir));
    Ok(config)
}

/// Runs a pipeline file. With `out`, the index and every output go under that folder; `weeks`
/// overrides the pipeline's `[trends] weeks`.
pub fn run(
    pipeline_path: &Path,
    out: Option<&Path>,
    strict: bool,
    weeks: Option<usize>,
) -> Result<()> {
    let pipeline = read(pipeline_path)?;
    anyhow::ensure!(
        !pipeline.source.is_empty(),
        "pipeline {}: no [[source]]",
        pipeline_path.display()
    );
    let base = pipeline_path.parent().unwrap_or(Path::new("."));
    let resolve = |p: &Path| clean(&base.join(p));
    let mut sources = Vec::with_capacity(pipeline.source.len());
    for (n, s) in pipeline.source.iter().enumerate() {
        let default_kind = match s.kind.as_deref() {
            None => None,
            Some(k) => Some(nhip_ingest::DocKind::parse(k).with_context(|| {
                format!(
                    "pipeline {}: [[source]] #{}: kind must be report or press, not {k:?}",
                    pipeline_path.display(),
                    n + 1
                )
            })?),
        };
        let options = nhip_ingest::IngestOptions {
            default_source: s.source.clone(),
            default_kind,
            columns: s.columns.clone(),
        };
        sources.push((resolve(&s.path), options));
    }
    let (out_dir, index_dir) = match out {
        Some(out) => (out.to_owned(), out.join("index")),
        None => (resolve(&pipeline.output.dir), resolve(&pipeline.index.path)),
    };
    let name = pipeline
        .job
        .map_or_else(|| "pipeline".to_string(), |j| j.name);
    note!(
        "job {name}: {} sources → {}",
        sources.len(),
        out_dir.display()
    );
    if let Some(words) = &pipeline.index.words {
        let words = resolve(words);
        nhip_index::NhipIndex::open_or_create(&index_dir)?
            .keep_word_list(&words)
            .with_context(|| format!("pipeline {}: [index] words", pipeline_path.display()))?;
    }
    let boilerplate = match &pipeline.boilerplate {
        None => None,
        Some(section) => {
            let default = nhip_text::BoilerplateRule::default();
            let min_documents = section.min_documents.unwrap_or(default.min_documents);
            let min_syllables = section.min_syllables.unwrap_or(default.min_syllables);
            anyhow::ensure!(
                min_documents >= 1 && min_syllables >= nhip_text::MIN_SENTENCE_SYLLABLES,
                "pipeline {}: [boilerplate] needs min_documents >= 1 and min_syllables >= {}",
                pipeline_path.display(),
                nhip_text::MIN_SENTENCE_SYLLABLES
            );
            Some(nhip_text::BoilerplateRule {
                min_documents,
                min_syllables,
            })
        }
    };
    if !pipeline.inbox.is_empty() || !pipeline.feed.is_empty() {
        eprintln!(
            "note: {} [[inbox]] and {} [[feed]] tables are followed by `nhip watch`, not by `nhip run`",
            pipeline.inbox.len(),
            pipeline.feed.len()
        );
    }
    let indexed = commands::index_sources(
        &index_dir,
        &out_dir.join("rejects.jsonl"),
        &sources,
        strict,
        boilerplate,
    )?;
    let by_source = match pipeline.trends.by.as_deref() {
        None => false,
        Some("source") => true,
        Some(other) => anyhow::bail!(
            "pipeline {}: [trends] by = {other:?}: only \"source\" is supported",
            pipeline_path.display()
        ),
    };
    let weeks_shown = weeks
        .or(pipeline.trends.weeks)
        .unwrap_or(nhip_trends::DEFAULT_WEEKS_SHOWN);
    anyhow::ensure!(
        weeks_shown >= 1,
        "pipeline {}: [trends] weeks must be at least 1",
        pipeline_path.display()
    );
    let trends = commands::trends(
        &index_dir,
        &resolve(&pipeline.trends.topics),
        &out_dir,
        &nhip_trends::TrendOptions {
            by_source,
            weeks_shown,
        },
    )?;
    let summary = serde_json::json!({
        "job": name,
        "ingest": indexed.ingest,
        "index": indexed.write,
        "documents_in_index": indexed.indexed,
        "boilerplate": indexed
            .boilerplate
            .iter()
            .map(|b| serde_json::json!({
                "source": b.source,
                "documents": b.documents,
                "sentences": b.sentences.iter().map(|(text, documents)| serde_json::json!({
                    "text": text,
                    "documents": documents,
                })).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>(),
        "topics": trends.topics,
        "weekly_rows": trends.rows,
        "undated_left_out_of_trends": trends.undated,
        "weeks": trends.weeks,
        "weeks_shown": trends.weeks_shown,
        "low_volume_weeks": trends.low_volume_weeks,
        "date_outliers": trends.date_outliers,
    });
    let summary_path = out_dir.join("summary.json");
    nhip_ingest::atomic::write_atomically(
        &summary_path,
        (serde_json::to_string_pretty(&summary)? + "\n").as_bytes(),
    )
    .with_context(|| format!("cannot write {}", summary_path.display()))?;
    note!("done: {}", summary_path.display());
    Ok(())
}

/// The watcher's configuration from a pipeline file (paths resolved against its folder).
fn watch_config(
    pipeline_path: &Path,
    out: Option<&Path>,
) -> Result<nhip_pipeline::watch::config::WatchConfig> {
    let pipeline = read(pipeline_path)?;
    let base = pipeline_path.parent().unwrap_or(Path::new("."));
    let resolve = |p: &Path| clean(&base.join(p));
    anyhow::ensure!(
        !pipeline.inbox.is_empty() || !pipeline.feed.is_empty(),
        "pipeline {}: nothing to watch (no [[inbox]] and no [[feed]])",
        pipeline_path.display()
    );
    let (out_dir, index_dir) = match out {
        Some(out) => (out.to_owned(), out.join("index")),
        None => (resolve(&pipeline.output.dir), resolve(&pipeline.index.path)),
    };
    let settings = pipeline
        .watch
        .unwrap_or_default()
        .settings()
        .map_err(|e| anyhow::anyhow!("pipeline {}: {e}", pipeline_path.display()))?;
    let inboxes = pipeline
        .inbox
        .into_iter()
        .map(|mut inbox| {
            inbox.path = resolve(&inbox.path);
            inbox
        })
        .collect();
    Ok(nhip_pipeline::watch::config::WatchConfig {
        index_dir,
        out_dir,
        topics: Some(resolve(&pipeline.trends.topics)),
        inboxes,
        feeds: pipeline.feed,
        alerts: pipeline.alerts.unwrap_or_default(),
        settings,
    })
}

/// The watcher's log lines on stderr (coloured on a terminal only).
fn init_logs() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
}

/// A watcher running beside the web server (`nhip serve --watch`).
pub struct BackgroundWatch {
    stop: &'static std::sync::atomic::AtomicBool,
    thread: std::thread::JoinHandle<Result<nhip_pipeline::watch::WatchSummary>>,
}

impl BackgroundWatch {
    /// Stops the watcher (it commits what it holds) and reports how it ended.
    pub fn stop(self) -> Result<()> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        match self.thread.join() {
            Ok(outcome) => outcome.map(|_| ()),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// Starts the pipeline's watcher on a thread, its index created first so the server can open it.
pub fn spawn_watch(pipeline_path: &Path) -> Result<BackgroundWatch> {
    let config = watch_config(pipeline_path, None)?;
    nhip_index::NhipIndex::open_or_create(&config.index_dir)
        .with_context(|| format!("opening index {}", config.index_dir.display()))?;
    init_logs();
    // One watcher per process: the flag lives as long as the process.
    static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let name = pipeline_path.display().to_string();
    let thread = std::thread::spawn(move || {
        nhip_pipeline::watch::run(config, &STOP).with_context(|| format!("watching {name}"))
    });
    Ok(BackgroundWatch {
        stop: &STOP,
        thread,
    })
}

/// Runs the watcher of a pipeline until the process is stopped (its state survives a kill).
pub fn watch(pipeline_path: &Path, out: Option<&Path>) -> Result<()> {
    let config = watch_config(pipeline_path, out)?;
    init_logs();
    eprintln!(
        "watching {} inboxes and {} feeds → {} (status: nhip watch --status {})",
        config.inboxes.len(),
        config.feeds.len(),
        config.index_dir.display(),
        pipeline_path.display()
    );
    let stop = std::sync::atomic::AtomicBool::new(false);
    let summary = nhip_pipeline::watch::run(config, &stop)
        .with_context(|| format!("watching {}", pipeline_path.display()))?;
    eprintln!(
        "stopped: {} batches, {} documents, {} alerts",
        summary.batches, summary.documents, summary.alerts
    );
    Ok(())
}

/// Prints the status file a watcher of this pipeline wrote.
pub fn watch_status(pipeline_path: &Path, out: Option<&Path>) -> Result<()> {
    let config = watch_config(pipeline_path, out)?;
    let status = nhip_pipeline::watch::read_status(&config.index_dir).with_context(|| {
        format!(
            "no watcher status for {} (has `nhip watch` run?)",
            config.index_dir.display()
        )
    })?;
    println!(
        "watcher of {}: running since {}, last update {}",
        config.index_dir.display(),
        status.running_since,
        status.updated_at
    );
    println!(
        "{} batches, {} documents, {} alerts ({} not yet taken by the webhook)",
        status.batches, status.documents, status.alerts, status.webhook_undelivered
    );
    for (url, feed) in &status.feeds {
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        println!("feed {url}");
        println!(
            "  last success {} · next poll {} · {} polls ({} not modified) · {} items known, {} indexed",
            or_none(&feed.last_success),
            or_none(&feed.next_poll),
            feed.polls,
            feed.not_modified,
            feed.items_known,
            feed.items_indexed
        );
        if let Some(error) = &feed.last_error {
            println!("  last error {}: {error}", or_none(&feed.last_error_at));
        }
    }
    for (inbox, pending) in &status.inboxes {
        println!("inbox {inbox}: {} files pending", pending.len());
        for file in pending {
            println!("  {file}");
        }
    }
    Ok(())
}
