//! The two commands a cluster job uses: `nhip match` (per-document facts, run on every
//! partition) and `nhip trends --counts` (everything after counting, from the job's Parquet
//! counts). See README.md, "Trends on a Spark cluster".

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Topics parsed as `nhip trends` parses them over an index that keeps `words` (its word list).
fn topics_with_words(topics_path: &Path, words: Option<&Path>) -> Result<Vec<nhip_trends::Topic>> {
    let mut topics = nhip_trends::load_topics(topics_path)?;
    if let Some(words) = words {
        let mut segmenter = nhip_text::Segmenter::builtin().clone();
        segmenter
            .add_word_file(words)
            .with_context(|| format!("word list {}", words.display()))?;
        for topic in &mut topics {
            topic.parsed = nhip_index::parse_query_with(&topic.query, &segmenter)
                .with_context(|| format!("{}: topic {:?}", topics_path.display(), topic.name))?;
        }
    }
    Ok(topics)
}

/// `nhip match`: documents on stdin, one JSON line per document on stdout, rejects to a file
/// (or stderr).
pub fn match_documents(
    topics_path: &Path,
    words: Option<&Path>,
    rejects: Option<&Path>,
    mut options: nhip_trends::matcher::MatchOptions,
    boilerplate: Option<&Path>,
) -> Result<()> {
    let topics = topics_with_words(topics_path, words)?;
    if let Some(path) = boilerplate {
        options.boilerplate = read_keys(path)?;
    }
    let stdin = std::io::stdin().lock();
    let stdout = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let reject_sink: Box<dyn Write> = match rejects {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::stderr().lock()),
    };
    let summary =
        nhip_trends::matcher::match_documents(stdin, stdout, reject_sink, &topics, &options)?;
    if rejects.is_some() || summary.rejected > 0 {
        note!(
            "match: {} lines → {} documents ({} undated), {} rejected",
            summary.lines,
            summary.documents,
            summary.undated,
            summary.rejected
        );
    }
    Ok(())
}

/// Boilerplate sentence keys, one decimal number per line (signed, as Spark's 64-bit integers
/// hold them, or unsigned).
fn read_keys(path: &Path) -> Result<nhip_text::Boilerplate> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read boilerplate keys {}", path.display()))?;
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let key = line
            .parse::<u64>()
            .or_else(|_| line.parse::<i64>().map(|k| k as u64))
            .with_context(|| {
                format!("{}:{}: not a sentence key: {line:?}", path.display(), n + 1)
            })?;
        keys.push(key);
    }
    Ok(nhip_text::Boilerplate::from_keys(keys))
}

/// `nhip trends --counts DIR`: the tables, forecasts, emerging terms, charts and brief from a
/// counts folder, by the code `nhip trends` runs after counting an index.
pub fn trends_from_counts(
    counts_dir: &Path,
    topics_path: &Path,
    words: Option<&Path>,
    out_dir: &Path,
    options: &nhip_trends::TrendOptions,
) -> Result<()> {
    anyhow::ensure!(
        !options.by_source,
        "--by source needs per-source counts, which a counts folder does not hold: use --index"
    );
    let topics = topics_with_words(topics_path, words)?;
    let counts = nhip_trends::counts::read_counts_dir(counts_dir)
        .with_context(|| format!("reading counts {}", counts_dir.display()))?;
    let known: std::collections::HashSet<&str> = topics.iter().map(|t| t.name.as_str()).collect();
    let unknown: std::collections::BTreeSet<&str> = counts
        .weekly
        .all
        .topic_weeks
        .iter()
        .map(|r| r.topic.as_str())
        .filter(|t| !known.contains(t))
        .collect();
    anyhow::ensure!(
        unknown.is_empty(),
        "counts {} name topics that {} does not define: {:?} (counted with another topics file?)",
        counts_dir.display(),
        topics_path.display(),
        unknown
    );
    let mut report = nhip_trends::weekly_from_counts(&topics, &counts.weekly, options)?;
    nhip_trends::write_table(&mut report.table, out_dir, "weekly_topics")?;
    let forecasts = nhip_trends::forecast::forecast_all(&report, &topics)?;
    let mut forecast_table = nhip_trends::forecast::forecast_table(&topics, &forecasts)?;
    nhip_trends::write_table(&mut forecast_table, out_dir, "forecast")?;
    let mut emerging = nhip_trends::emerging::emerging_from_counts(&report, &counts.words)?;
    nhip_trends::write_table(&mut emerging, out_dir, "emerging_terms")?;
    let charts = nhip_trends::charts::write_charts(out_dir, &report, &topics, &forecasts)?;
    if !report.weeks.is_empty() {
        nhip_trends::brief::write_brief(out_dir, None, &report, &topics, &forecasts, &emerging)?;
    }
    note!(
        "trends from counts: {} topics, {} weeks, {} rows → {}/weekly_topics.csv and .parquet, {} charts; {} undated documents left out",
        topics.len(),
        report.weeks.len(),
        report.table.height(),
        out_dir.display(),
        charts.len(),
        report.undated_docs
    );
    Ok(())
}
