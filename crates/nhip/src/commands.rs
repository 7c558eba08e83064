//! The commands behind the CLI, each reporting to the terminal.

use anyhow::{bail, Context, Result};
use nhip_index::{Hit, NhipIndex, SearchOptions, SearchResults, WriteSummary};
use nhip_ingest::{ingest_paths, write_rejects, IngestOptions, Summary};
use nhip_text::Segmenter;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Rejects printed to the terminal before the rest are only counted.
const REJECTS_SHOWN: usize = 20;

/// What an index run did (see `nhip_pipeline::IndexOutcome`).
pub use nhip_pipeline::IndexOutcome;

pub fn index(
    index_dir: &Path,
    rejects_path: &Path,
    inputs: &[PathBuf],
    strict: bool,
    boilerplate: Option<nhip_text::BoilerplateRule>,
) -> Result<IndexOutcome> {
    let sources: Vec<(PathBuf, IngestOptions)> = inputs
        .iter()
        .map(|p| (p.clone(), IngestOptions::default()))
        .collect();
    index_sources(index_dir, rejects_path, &sources, strict, boilerplate)
}

/// Ingest progress as a bar on the terminal (bytes read, speed, documents so far); nothing
/// when stderr is not a terminal.
struct ProgressBar(indicatif::ProgressBar, std::sync::atomic::AtomicUsize);

impl ProgressBar {
    fn new(label: &str) -> ProgressBar {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(0),
            indicatif::ProgressDrawTarget::stderr_with_hz(5),
        );
        let style = indicatif::ProgressStyle::with_template(&format!(
            "{label} [{{bar:30}}] {{bytes}}/{{total_bytes}} {{bytes_per_sec}} eta {{eta}} {{msg}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        ProgressBar(bar, std::sync::atomic::AtomicUsize::new(0))
    }

    /// Rejects seen so far (the first [`REJECTS_SHOWN`] are printed).
    fn rejects_seen(&self) -> usize {
        self.1.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Prints a line above the bar (or plainly, without a terminal).
    fn println(&self, line: impl AsRef<str>) {
        if self.0.is_hidden() {
            note!("{}", line.as_ref());
        } else {
            self.0.println(line);
        }
    }
}

impl nhip_ingest::Progress for ProgressBar {
    fn start(&self, total_bytes: u64) {
        self.0.set_length(total_bytes);
    }
    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }
}

impl nhip_pipeline::IndexObserver for ProgressBar {
    fn rejected(&self, reject: &nhip_ingest::Reject) {
        if self.1.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < REJECTS_SHOWN {
            self.println(format!("rejected: {reject}"));
        }
    }
    fn documents(&self, kept_so_far: usize) {
        self.0.set_message(format!("{kept_so_far} documents"));
    }
}

/// With `strict`, a first pass stops at the first reject before anything is written.
fn check_strict(sources: &[(PathBuf, IngestOptions)], own_output: &[PathBuf]) -> Result<()> {
    let bar = ProgressBar::new("check");
    let checked = nhip_pipeline::check_strict(sources, own_output, &bar);
    bar.0.finish_and_clear();
    Ok(checked?)
}

/// Ingests inputs without an index: documents to JSON Lines, the summary to the terminal.
pub fn ingest(
    inputs: &[PathBuf],
    out: Option<&Path>,
    rejects_path: Option<&Path>,
    strict: bool,
    parquet: bool,
) -> Result<()> {
    let sources: Vec<(PathBuf, IngestOptions)> = inputs
        .iter()
        .map(|p| (p.clone(), IngestOptions::default()))
        .collect();
    let started = std::time::Instant::now();
    let mut writer = match out {
        Some(path) if !parquet => Some(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        _ => None,
    };
    let mut parquet_writer = match out {
        Some(path) if parquet => Some(nhip_trends::documents::DocumentsParquet::create(path)?),
        _ => None,
    };
    let rejects_path = rejects_path
        .map(Path::to_path_buf)
        .or_else(|| out.map(|o| o.with_file_name("rejects.jsonl")));
    // What this run writes is no input, even inside an input folder.
    let own_output: Vec<PathBuf> = out
        .iter()
        .map(|p| p.to_path_buf())
        .chain(rejects_path.clone())
        .collect();
    let bar = ProgressBar::new("ingest");
    let ingested = nhip_ingest::ingest_streaming_excluding(
        &sources,
        &own_output,
        &bar,
        |documents, rejects| {
            if let (true, Some(reject)) = (strict, rejects.first()) {
                anyhow::bail!("--strict: rejected {reject}");
            }
            if let Some(writer) = writer.as_mut() {
                for doc in &documents {
                    serde_json::to_writer(&mut *writer, doc)?;
                    writer.write_all(b"\n")?;
                }
            }
            if let Some(writer) = parquet_writer.as_mut() {
                writer.write(&documents)?;
            }
            Ok(())
        },
    );
    bar.0.finish_and_clear();
    let (rejects, summary) = ingested?;
    if let Some(mut writer) = writer {
        writer.flush()?;
    }
    if let Some(writer) = parquet_writer {
        writer.finish()?;
    }
    if let Some(path) = &rejects_path {
        write_rejects(path, &rejects)?;
    }
    for reject in rejects.iter().take(REJECTS_SHOWN) {
        note!("rejected: {reject}");
    }
    let seconds = started.elapsed().as_secs_f64().max(1e-9);
    note!(
        "ingest: {} records in {} files → {} documents, {} rejected, {} duplicates merged, {} undated",
        summary.records, summary.files, summary.documents, summary.rejected, summary.duplicates, summary.undated
    );
    print_breakdown(&summary, "read", seconds);
    print_skipped(&summary);
    Ok(())
}

/// Ingests inputs, each with its own options, streaming them into the index chunk by chunk;
/// `boilerplate` replaces the index's boilerplate rule.
pub fn index_sources(
    index_dir: &Path,
    rejects_path: &Path,
    sources: &[(PathBuf, IngestOptions)],
    strict: bool,
    boilerplate: Option<nhip_text::BoilerplateRule>,
) -> Result<IndexOutcome> {
    if strict {
        // The index and the rejects file are no input, even inside an input folder.
        let own_output = [index_dir.to_path_buf(), rejects_path.to_path_buf()];
        check_strict(sources, &own_output)?;
    }
    let started = std::time::Instant::now();
    let bar = ProgressBar::new("ingest");
    let run = nhip_pipeline::IndexRun {
        index_dir,
        rejects_path,
        sources,
        boilerplate,
    };
    let outcome = nhip_pipeline::index_sources(&run, &bar);
    bar.0.finish_and_clear();
    let outcome = outcome.with_context(|| format!("indexing into {}", index_dir.display()))?;
    let shown = bar.rejects_seen();
    if shown > REJECTS_SHOWN {
        note!("rejected: … and {} more", shown - REJECTS_SHOWN);
    }
    print_summary(
        &outcome.ingest,
        &outcome.rejects,
        &outcome.write,
        rejects_path,
        outcome.indexed,
        index_dir,
        started.elapsed(),
    );
    print_boilerplate(&outcome.boilerplate);
    Ok(outcome)
}

fn counts(map: &std::collections::BTreeMap<String, usize>) -> String {
    let mut pairs: Vec<(&String, &usize)> = map.iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    pairs
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Files by format with the speed, documents by date source and by language.
fn print_breakdown(s: &Summary, done: &str, seconds: f64) {
    note!(
        "  files:     {} ({:.1} MB {done} in {:.2} s, {:.1} MB/s)",
        counts(&s.formats),
        s.bytes as f64 / 1e6,
        seconds,
        s.bytes as f64 / 1e6 / seconds
    );
    note!("  dates:     {}", counts(&s.date_sources));
    note!("  languages: {}", counts(&s.languages));
}

/// Files and folders left out of the walk: not documents, so neither records nor rejects.
fn print_skipped(s: &Summary) {
    if s.skipped > 0 {
        note!(
            "  skipped:   {} ({}), not documents: no records, no rejects",
            s.skipped,
            counts(&s.skipped_reasons)
        );
    }
}

/// The one-screen account of an ingest: every input record is in exactly one count.
fn print_summary(
    s: &Summary,
    rejects: &[nhip_ingest::Reject],
    write: &WriteSummary,
    rejects_path: &Path,
    indexed: u64,
    index_dir: &Path,
    elapsed: std::time::Duration,
) {
    let seconds = elapsed.as_secs_f64().max(1e-9);
    note!(
        "ingest: {} records in {} files → {} documents, {} rejected ({}), {} duplicates merged, {} undated",
        s.records,
        s.files,
        s.documents,
        s.rejected,
        rejects_path.display(),
        s.duplicates,
        s.undated
    );
    print_breakdown(s, "read and indexed", seconds);
    print_skipped(s);
    if !rejects.is_empty() {
        let mut reasons = std::collections::BTreeMap::new();
        for reject in rejects {
            let reason = reject
                .reason
                .split([':', '('])
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            *reasons.entry(reason).or_insert(0usize) += 1;
        }
        let mut reasons: Vec<_> = reasons.into_iter().collect();
        reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
        for (reason, count) in reasons.iter().take(5) {
            note!("  rejected:  {count} × {reason}");
        }
    }
    note!(
        "index: {} added, {} replaced, {} unchanged, {} already indexed under another id; {} documents in {}",
        write.added,
        write.replaced,
        write.unchanged,
        write.duplicates,
        indexed,
        index_dir.display()
    );
    if write.boilerplate_rewritten > 0 {
        note!(
            "  {} documents written again: boilerplate recognised after they were first written",
            write.boilerplate_rewritten
        );
    }
}

/// Date, source, kind, unit and number of a hit, each only where the document has it.
fn hit_label(hit: &Hit) -> String {
    let mut parts = vec![date_label(hit)];
    parts.extend(Some(hit.source.clone()).filter(|s| !s.is_empty()));
    parts.push(hit.kind.clone());
    parts.extend(hit.unit.clone());
    parts.extend(hit.reference.as_ref().map(|r| format!("số {r}")));
    parts.join(" · ")
}

fn date_label(hit: &Hit) -> String {
    hit.published_at.map_or_else(
        || "undated".to_string(),
        |d| d.format("%Y-%m-%d %H:%M").to_string(),
    )
}

/// Opens an index for searching, with an extra word list for grouping query words.
pub fn open_index(index_dir: &Path, words: Option<&Path>) -> Result<NhipIndex> {
    let mut index = NhipIndex::open(index_dir)?;
    if let Some(words) = words {
        index.add_word_file(words)?;
    }
    Ok(index)
}

/// Thousands separated by commas, as the readings line shows counts.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How the query was understood, and the readings of its accent-free words, for the terminal.
fn print_reading(out: &mut impl Write, results: &SearchResults) -> Result<()> {
    writeln!(out, "searched: {}", results.understood)?;
    for word in &results.readings {
        let shown: Vec<String> = word
            .readings
            .iter()
            .map(|r| format!("{} {}", r.text, grouped(r.docs)))
            .collect();
        writeln!(out, "readings of {:?}: {}", word.word, shown.join(" · "))?;
    }
    if let Some(first) = results.readings.first().and_then(|w| w.readings.first()) {
        writeln!(
            out,
            "(documents with the first readings rank first; to match one reading only: --reading {:?})",
            first.text
        )?;
    }
    Ok(())
}

pub fn search(index: &NhipIndex, query: &str, options: &SearchOptions, json: bool) -> Result<()> {
    let results = index.search(query, options)?;
    let stdout = std::io::stdout();
    let colour = stdout.is_terminal();
    let mut out = stdout.lock();
    if json {
        let hits: Vec<serde_json::Value> = results.hits.iter().map(Hit::to_json).collect();
        let answer = serde_json::json!({
            "total": results.total,
            "understood": results.understood,
            "readings": results.readings,
            "hits": hits,
        });
        writeln!(out, "{answer}")?;
        note!("{} documents match", results.total);
        return Ok(());
    }
    print_reading(&mut out, &results)?;
    writeln!(
        out,
        "{} documents match{}",
        results.total,
        if results.total > results.hits.len() {
            format!(
                " (showing {}–{})",
                options.offset + 1.min(results.hits.len()),
                options.offset + results.hits.len()
            )
        } else {
            String::new()
        }
    )?;
    for (rank, hit) in results.hits.iter().enumerate() {
        writeln!(out, "\n{:>3}. {}", options.offset + rank + 1, hit.title)?;
        writeln!(out, "     {} · id {}", hit_label(hit), hit.id)?;
        let snippet = if colour {
            hit.snippet.to_ansi()
        } else {
            hit.snippet.text.clone()
        };
        if !snippet.is_empty() {
            writeln!(out, "     {snippet}")?;
        }
    }
    Ok(())
}

/// `nhip check`: the full verification of an index, what is wrong and what to do.
pub fn check(index_dir: &Path, json: bool) -> Result<()> {
    let started = std::time::Instant::now();
    let check = nhip_index::check_index(index_dir);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&check)?)?;
    } else {
        let version = check
            .schema_version
            .map_or_else(|| "not recorded".to_owned(), |v| v.to_string());
        writeln!(out, "index {}", index_dir.display())?;
        writeln!(
            out,
            "  nhip schema version {version} (this nhip: {})",
            nhip_index::SCHEMA_VERSION
        )?;
        writeln!(
            out,
            "  {} segments, {} files checksummed ({:.1} MB), {} documents, {} stored documents read",
            check.segments,
            check.files_checked,
            check.bytes_checked as f64 / 1e6,
            check.documents,
            check.documents_read
        )?;
        if check.is_sound() {
            writeln!(out, "  sound ({:.1} s)", started.elapsed().as_secs_f64())?;
        } else {
            writeln!(out, "  {}:", problems(check.problems.len()))?;
            for problem in &check.problems {
                writeln!(out, "  - {problem}")?;
            }
            writeln!(
                out,
                "what to do: searches and trends refuse this index. Restore the folder from a \
                 backup, or index the documents again into a new folder \
                 (`nhip index --index NEW_DIR INPUT...`, or `nhip run PIPELINE.toml` after moving \
                 {} aside).",
                index_dir.display()
            )?;
        }
    }
    out.flush()?;
    if !check.is_sound() {
        anyhow::bail!(
            "index {} failed its check ({})",
            index_dir.display(),
            problems(check.problems.len())
        );
    }
    Ok(())
}

fn problems(n: usize) -> String {
    if n == 1 {
        "1 problem".to_owned()
    } else {
        format!("{n} problems")
    }
}

pub fn show(index_dir: &Path, id: &str, json: bool) -> Result<()> {
    let index = NhipIndex::open(index_dir)?;
    let Some(hit) = index.get(id)? else {
        bail!("no document with id {id:?} in {}", index_dir.display());
    };
    // Writes, not print macros: a closed pipe (`| head`) is an error main treats as success.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        writeln!(out, "{}", serde_json::to_string(&hit)?)?;
    } else {
        writeln!(
            out,
            "{}\n{} · lang {} · id {}",
            hit.title,
            hit_label(&hit),
            hit.lang,
            hit.id
        )?;
        writeln!(out, "date from: {}", hit.date_source)?;
        if let Some(author) = &hit.author {
            writeln!(out, "author: {author}")?;
        }
        if let Some(url) = &hit.url {
            writeln!(out, "url: {url}")?;
        }
        writeln!(out, "\n{}", hit.body)?;
    }
    out.flush()?;
    Ok(())
}

/// The weekly tables of a run, for summaries.
pub struct TrendsOutcome {
    pub topics: usize,
    pub rows: usize,
    pub undated: usize,
    /// Weeks in the tables, and how many of the latest the charts and brief show.
    pub weeks: usize,
    pub weeks_shown: usize,
    /// Weeks of the tables whose total is far below the usual volume.
    pub low_volume_weeks: usize,
    /// Documents dated far outside the bulk of their source.
    pub date_outliers: nhip_trends::outliers::DateOutliers,
}

/// Date outliers printed to the terminal (the run's summary.json lists more).
const OUTLIERS_SHOWN: usize = 10;

pub fn trends(
    index_dir: &Path,
    topics_path: &Path,
    out_dir: &Path,
    options: &nhip_trends::TrendOptions,
) -> Result<TrendsOutcome> {
    let started = std::time::Instant::now();
    let index = NhipIndex::open(index_dir)?;
    // Tables are only as good as the index: a damaged file fails here, not as wrong counts.
    index.verify_checksums()?;
    let mut topics = nhip_trends::load_topics(topics_path)?;
    // Topic words are grouped as searches over this index group them (its word list).
    for topic in &mut topics {
        topic.parsed = index
            .parse(&topic.query)
            .with_context(|| format!("{}: topic {:?}", topics_path.display(), topic.name))?;
    }
    let opened = started.elapsed();
    let mut report = nhip_trends::weekly_topics_with(&index, &topics, options)?;
    let counted = started.elapsed();
    nhip_trends::write_table(&mut report.table, out_dir, "weekly_topics")?;
    let written = started.elapsed();
    let forecasts = nhip_trends::forecast::forecast_all(&report, &topics)?;
    let mut forecast_table = nhip_trends::forecast::forecast_table(&topics, &forecasts)?;
    nhip_trends::write_table(&mut forecast_table, out_dir, "forecast")?;
    let forecast_done = started.elapsed();
    let boilerplate = index.boilerplate_summaries()?;
    if !boilerplate.is_empty() {
        let rule = index.boilerplate_rule();
        note!(
            "emerging terms leave out boilerplate: {} sentences from {} sources in {} documents (a sentence in at least {} documents of one source, of at least {} syllables)",
            boilerplate.iter().map(|b| b.sentences.len()).sum::<usize>(),
            boilerplate.len(),
            boilerplate.iter().map(|b| b.documents).sum::<u64>(),
            rule.min_documents,
            rule.min_syllables
        );
    }
    let mut emerging = nhip_trends::emerging::emerging_terms(&index, &report)?;
    nhip_trends::write_table(&mut emerging, out_dir, "emerging_terms")?;
    let emerging_done = started.elapsed();
    let charts = nhip_trends::charts::write_charts(out_dir, &report, &topics, &forecasts)?;
    let charts_done = started.elapsed();
    if !report.weeks.is_empty() {
        nhip_trends::brief::write_brief(
            out_dir,
            Some(&index),
            &report,
            &topics,
            &forecasts,
            &emerging,
        )?;
    }
    let brief_done = started.elapsed();
    note!(
        "trends: {} topics, {} rows → {}/weekly_topics.csv and .parquet; {} undated documents left out",
        topics.len(),
        report.table.height(),
        out_dir.display(),
        report.undated_docs
    );
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    note!(
        "trends stages: open index and topics {:.0} ms, count and build table {:.0} ms, write CSV and Parquet {:.0} ms, forecasts {:.0} ms, emerging terms {:.0} ms, {} charts {:.0} ms, brief {:.0} ms, total {:.0} ms",
        ms(opened),
        ms(counted - opened),
        ms(written - counted),
        ms(forecast_done - written),
        ms(emerging_done - forecast_done),
        charts.len(),
        ms(charts_done - emerging_done),
        ms(brief_done - charts_done),
        ms(brief_done)
    );
    let low_volume_weeks = if topics.is_empty() {
        0
    } else {
        report.topic_low_volume(0).iter().filter(|&&l| l).count()
    };
    if report.weeks.len() > report.weeks_shown || low_volume_weeks > 0 {
        note!(
            "weeks: {} in the tables, the last {} in charts and brief; {low_volume_weeks} low-volume (under {:.0}% of the median week: no flags, no share drawn)",
            report.weeks.len(),
            report.weeks.len().min(report.weeks_shown),
            nhip_trends::LOW_VOLUME_SHARE * 100.0
        );
    }
    let date_outliers =
        nhip_trends::outliers::date_outliers(&index, nhip_trends::outliers::LISTED)?;
    if date_outliers.total > 0 {
        note!(
            "dates far outside their source's bulk: {} documents (check them: re-surfaced archive items or misread dates)",
            date_outliers.total
        );
        for outlier in date_outliers.listed.iter().take(OUTLIERS_SHOWN) {
            note!(
                "  {} · {} · {} (source's bulk {} – {}) · {}",
                outlier
                    .published_at
                    .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string()),
                outlier.id,
                outlier.source,
                outlier.bulk_from,
                outlier.bulk_to,
                outlier.title.chars().take(60).collect::<String>()
            );
        }
        if date_outliers.total > OUTLIERS_SHOWN {
            note!("  … and {} more", date_outliers.total - OUTLIERS_SHOWN);
        }
    }
    Ok(TrendsOutcome {
        topics: topics.len(),
        rows: report.table.height(),
        undated: report.undated_docs,
        weeks: report.weeks.len(),
        weeks_shown: report.weeks.len().min(report.weeks_shown),
        low_volume_weeks,
        date_outliers,
    })
}

fn input_reader(input: Option<&Path>) -> Result<Box<dyn BufRead>> {
    Ok(match input {
        Some(path) => Box::new(std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
        )),
        None => Box::new(std::io::stdin().lock()),
    })
}

pub fn tokenize(
    input: Option<&Path>,
    words: Option<&Path>,
    model: Option<&Path>,
    threads: Option<std::num::NonZeroUsize>,
) -> Result<()> {
    let mut segmenter = match model {
        Some(path) => Segmenter::from_model_file(path)?,
        None => Segmenter::builtin().clone(),
    };
    if let Some(words) = words {
        segmenter.add_word_file(words)?;
    }
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, std::num::NonZeroUsize::get);
    crate::tokenize::run(input, &segmenter, threads)
}

/// Reads bytes of any supported encoding, converts them, and prints each line normalised.
pub fn normalize(input: Option<&Path>, fold: bool) -> Result<()> {
    let name = input.map_or_else(|| "standard input".to_string(), |p| p.display().to_string());
    let mut bytes = Vec::new();
    input_reader(input)?.read_to_end(&mut bytes)?;
    let Some(decoded) = nhip_text::decode(&bytes) else {
        bail!("{name}: neither UTF-8/UTF-16 nor a recognised Vietnamese legacy encoding (TCVN3, VNI, Windows-1258)");
    };
    if decoded.encoding != nhip_text::SourceEncoding::Utf8 {
        note!("{name}: converted from {}", decoded.encoding.name());
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in decoded.text.lines() {
        let normalized = nhip_text::normalize(line);
        if fold {
            writeln!(out, "{}", nhip_text::fold(&normalized))?;
        } else {
            writeln!(out, "{normalized}")?;
        }
    }
    out.flush()?;
    Ok(())
}

fn read_gold_files(paths: &[PathBuf]) -> Result<Vec<nhip_text::GoldSentence>> {
    let mut sentences = Vec::new();
    for path in paths {
        sentences.extend(nhip_text::read_gold(path)?);
    }
    anyhow::ensure!(!sentences.is_empty(), "no gold sentences in {paths:?}");
    Ok(sentences)
}

fn print_scores(label: &str, scores: &nhip_text::Scores) -> Result<()> {
    writeln!(
        std::io::stdout().lock(),
        "{label}: gold_words={} sys_words={} correct={} P={:.2} R={:.2} F1={:.2}",
        scores.gold_words,
        scores.system_words,
        scores.correct,
        scores.precision(),
        scores.recall(),
        scores.f1()
    )?;
    Ok(())
}

pub fn segmenter_train(gold: &[PathBuf], epochs: usize, out: &Path) -> Result<()> {
    let sentences = read_gold_files(gold)?;
    let started = std::time::Instant::now();
    let options = nhip_text::TrainOptions {
        epochs,
        ..Default::default()
    };
    let segmenter = nhip_text::train(&sentences, &options);
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let bytes = segmenter.model_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    note!(
        "trained on {} sentences, {epochs} epochs, in {:.1} s → {} ({} bytes)",
        sentences.len(),
        started.elapsed().as_secs_f64(),
        out.display(),
        bytes.len()
    );
    print_scores(
        "training data",
        &nhip_text::evaluate(&segmenter, &sentences),
    )?;
    Ok(())
}

pub fn segmenter_eval(gold: &Path, model: Option<&Path>, fold: bool) -> Result<()> {
    let mut sentences = nhip_text::read_gold(gold)?;
    if fold {
        sentences = sentences.iter().map(nhip_text::accent_free).collect();
    }
    let segmenter = match model {
        Some(path) => Segmenter::from_model_file(path)?,
        None => Segmenter::builtin().clone(),
    };
    print_scores(
        &gold.display().to_string(),
        &nhip_text::evaluate(&segmenter, &sentences),
    )?;
    Ok(())
}

pub fn segmenter_cv(gold: &[PathBuf], folds: usize, epochs: usize) -> Result<()> {
    anyhow::ensure!(folds >= 2, "--folds must be at least 2");
    let sentences = read_gold_files(gold)?;
    let options = nhip_text::TrainOptions {
        epochs,
        ..Default::default()
    };
    let mut total = nhip_text::Scores::default();
    for fold in 0..folds {
        let (test, train): (Vec<_>, Vec<_>) = sentences
            .iter()
            .cloned()
            .enumerate()
            .partition(|(i, _)| i % folds == fold);
        let train: Vec<_> = train.into_iter().map(|(_, s)| s).collect();
        let test: Vec<_> = test.into_iter().map(|(_, s)| s).collect();
        let scores = nhip_text::evaluate(&nhip_text::train(&train, &options), &test);
        print_scores(&format!("fold {}/{folds}", fold + 1), &scores)?;
        total.gold_words += scores.gold_words;
        total.system_words += scores.system_words;
        total.correct += scores.correct;
    }
    print_scores("all folds", &total)?;
    Ok(())
}

/// Options of `nhip terms`.
pub struct TermsOptions<'a> {
    pub min_count: u64,
    pub limit: usize,
    pub all: bool,
    pub words: &'a [PathBuf],
    pub boilerplate: nhip_text::BoilerplateRule,
}

/// Proposes terms from the inputs' documents, their boilerplate left out.
pub fn terms(inputs: &[PathBuf], options: &TermsOptions) -> Result<()> {
    let batch = ingest_paths(inputs, &IngestOptions::default());
    for reject in batch.rejects.iter().take(REJECTS_SHOWN) {
        note!("skipped: {reject}");
    }
    let mut segmenter = Segmenter::builtin().clone();
    for words in options.words {
        segmenter.add_word_file(words)?;
    }
    let documents: Vec<(&str, Vec<&str>)> = batch
        .documents
        .iter()
        .map(|d| (d.source.as_str(), vec![d.title.as_str(), d.body.as_str()]))
        .collect();
    let (stripped, boilerplate) = nhip_text::strip_boilerplate(&documents, options.boilerplate);
    let texts: Vec<String> = stripped.into_iter().map(|t| t.join("\n")).collect();
    print_boilerplate(&boilerplate);
    let propose = nhip_text::ProposeOptions {
        min_count: options.min_count,
        limit: options.limit,
        all: options.all,
    };
    let candidates = nhip_text::propose_terms(&texts, &segmenter, &propose);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    writeln!(
        out,
        "# Terms proposed from {} documents, boilerplate left out: keep the lines you accept and",
        texts.len()
    )?;
    writeln!(
        out,
        "# pass the file to `nhip tokenize --words` (or the index's word list)."
    )?;
    writeln!(
        out,
        "# After each term: occurrences, documents, G², share of occurrences the segmenter splits, an example."
    )?;
    for c in &candidates {
        let known = match c.known {
            nhip_text::Known::New => String::new(),
            known => format!("[known: {}] ", known.as_str()),
        };
        writeln!(
            out,
            "{}  # {known}{} in {} documents, G² {:.0}, split {:.0}%: {}",
            c.term,
            c.count,
            c.documents,
            c.score,
            100.0 * c.split_share(),
            c.example
        )?;
    }
    out.flush()?;
    note!("{} candidates", candidates.len());
    Ok(())
}

/// Sentences shown per source in a boilerplate summary.
const BOILERPLATE_SHOWN: usize = 5;

/// The boilerplate summary of a run: one line per source, then its most frequent sentences.
pub fn print_boilerplate(summaries: &[nhip_text::SourceBoilerplate]) {
    for summary in summaries {
        note!("{summary}");
        for (text, documents) in summary.sentences.iter().take(BOILERPLATE_SHOWN) {
            let shown: String = text.chars().take(100).collect();
            let more = if shown.len() < text.len() { "…" } else { "" };
            note!("  {documents} × {shown}{more}");
        }
        if summary.sentences.len() > BOILERPLATE_SHOWN {
            note!(
                "  … and {} more",
                summary.sentences.len() - BOILERPLATE_SHOWN
            );
        }
    }
}

/// Hits per ISO week (Asia/Ho_Chi_Minh) of a query, every week between the first and last hit.
pub fn search_by_week(index: &NhipIndex, query: &str, options: &SearchOptions) -> Result<()> {
    let node = index.parse(query)?.with_readings(&options.readings);
    note!("searched: {node}");
    let matches = index.matches(&node, options)?;
    let undated = matches.iter().filter(|m| m.published_at.is_none()).count();
    let mut counts: std::collections::BTreeMap<chrono::NaiveDate, usize> = Default::default();
    for week in matches
        .iter()
        .filter_map(|m| m.published_at.and_then(nhip_trends::week_start_of))
    {
        *counts.entry(week).or_default() += 1;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "week_start  iso_week  hits")?;
    if let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) {
        for week in nhip_trends::weeks_between(first, last) {
            let hits = counts.get(&week.start).copied().unwrap_or(0);
            writeln!(
                out,
                "{}  {}-W{:02}  {hits}",
                week.start, week.year, week.week
            )?;
        }
    }
    writeln!(out, "{} hits in all, {undated} undated", matches.len())?;
    Ok(())
}

/// Writes every hit of a query, by relevance, to a `.csv` or `.jsonl` file.
pub fn export(index: &NhipIndex, query: &str, options: &SearchOptions, file: &Path) -> Result<()> {
    let total = index
        .search(
            query,
            &SearchOptions {
                limit: 1,
                ..options.clone()
            },
        )?
        .total;
    let all = SearchOptions {
        limit: total.max(1),
        ..options.clone()
    };
    let results = index.search(query, &all)?;
    note!("searched: {}", results.understood);
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let create =
        || std::fs::File::create(file).with_context(|| format!("cannot write {}", file.display()));
    match extension.as_str() {
        "csv" => {
            let mut writer = csv::Writer::from_writer(create()?);
            writer.write_record(Hit::EXPORT_COLUMNS)?;
            for hit in &results.hits {
                writer.write_record(hit.export_row())?;
            }
            writer.flush()?;
        }
        "jsonl" | "ndjson" => {
            let mut out = std::io::BufWriter::new(create()?);
            for hit in &results.hits {
                serde_json::to_writer(&mut out, hit)?;
                writeln!(out)?;
            }
            out.flush()?;
        }
        _ => bail!(
            "--export {}: the file name must end in .csv or .jsonl",
            file.display()
        ),
    }
    note!("{} hits written to {}", results.hits.len(), file.display());
    Ok(())
}
