//! `nhip`: the command line of the nhip pipeline. Each command is a thin layer over the library
//! crates; errors are reported with their context.

/// A line to stderr, like `eprintln!`, but a closed stderr (`nhip … 2>&1 | head`) is no panic:
/// the line is dropped, and the next write to stdout ends the command quietly.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod cluster;
mod commands;
mod panics;
mod pipeline;
mod tokenize;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "nhip",
    version,
    about = "Vietnamese reports and press → search index and weekly trend tables"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum SearchBreakdown {
    Week,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocumentFormat {
    Jsonl,
    Parquet,
}

#[derive(Clone, Copy, ValueEnum)]
enum Breakdown {
    Source,
}

#[derive(Clone, Copy, ValueEnum)]
enum Sort {
    Relevance,
    Newest,
    Oldest,
}

/// When a sentence counts as boilerplate (page furniture).
#[derive(clap::Args, Clone, Copy)]
struct BoilerplateArgs {
    /// A sentence is boilerplate once this many documents of one source contain it.
    #[arg(long, default_value_t = nhip_text::BoilerplateRule::default().min_documents)]
    boilerplate_min_docs: u32,
    /// ... and it has at least this many syllables (at least 2).
    #[arg(long, default_value_t = nhip_text::BoilerplateRule::default().min_syllables)]
    boilerplate_min_syllables: usize,
}

impl BoilerplateArgs {
    fn rule(self) -> nhip_text::BoilerplateRule {
        nhip_text::BoilerplateRule {
            min_documents: self.boilerplate_min_docs.max(1),
            min_syllables: self
                .boilerplate_min_syllables
                .max(nhip_text::MIN_SENTENCE_SYLLABLES),
        }
    }
}

#[derive(Subcommand)]
enum SegmenterCommand {
    /// Train a model on gold files (.conllu or _-joined text) and write it.
    Train {
        #[arg(long = "gold", required = true)]
        gold: Vec<PathBuf>,
        #[arg(long, default_value_t = 10)]
        epochs: usize,
        #[arg(long, default_value = "data/model/segmenter.bin")]
        out: PathBuf,
    },
    /// Word precision, recall and F1 of a model (default: the shipped one) on a gold file.
    Eval {
        #[arg(long)]
        gold: PathBuf,
        #[arg(long)]
        model: Option<PathBuf>,
        /// Remove all diacritics from the gold text first: accuracy on text typed without them.
        #[arg(long)]
        fold: bool,
    },
    /// K-fold cross-validation over gold files: trains K models, scores each on its held-out fold.
    Cv {
        #[arg(long = "gold", required = true)]
        gold: Vec<PathBuf>,
        #[arg(long, default_value_t = 5)]
        folds: usize,
        #[arg(long, default_value_t = 10)]
        epochs: usize,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Run a pipeline file: ingest → index → trend tables, in one go.
    Run {
        /// The pipeline TOML (see pipelines/weekly.toml).
        pipeline: PathBuf,
        /// Write the index, tables and rejects under this folder instead of the pipeline's.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Stop at the first rejected item, before anything is written.
        #[arg(long)]
        strict: bool,
        /// Recent weeks the charts and the brief show [default: the pipeline's `weeks`, else 52].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        weeks: Option<u32>,
    },
    /// Keep a pipeline's index current: watch its [[inbox]] folders, poll its [[feed]]s,
    /// commit in batches, raise alerts when a topic jumps (runs until stopped).
    Watch {
        /// The pipeline TOML with [[inbox]] and/or [[feed]] tables.
        pipeline: PathBuf,
        /// Write the index, alerts and rejects under this folder instead of the pipeline's.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print what the running (or last) watcher reported: feeds, inboxes, batches, alerts.
        #[arg(long)]
        status: bool,
    },
    /// Ingest files or folders into an index (created when missing).
    Index {
        #[arg(long)]
        index: PathBuf,
        /// Where rejected items are written, one JSON object per line [default: INDEX.rejects.jsonl].
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// Stop at the first rejected item, before anything is written.
        #[arg(long)]
        strict: bool,
        /// A sentence is boilerplate once this many documents of one source contain it
        /// [default: as the index was last written, else 10].
        #[arg(long)]
        boilerplate_min_docs: Option<u32>,
        /// ... and it has at least this many syllables [default: as the index was last
        /// written, else 3].
        #[arg(long)]
        boilerplate_min_syllables: Option<usize>,
        /// Files or folders: .jsonl/.ndjson, .csv, .txt/.md, .docx, .pdf, .html, RSS/Atom.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Ingest without indexing: read, normalise, date and de-duplicate inputs, and write the
    /// documents as JSON Lines (or only the summary without --out).
    Ingest {
        /// Where documents go, one JSON object per line (or Parquet with --format parquet).
        #[arg(long)]
        out: Option<PathBuf>,
        /// `jsonl` (one JSON object per line) or `parquet` (one column per field, for
        /// cluster jobs).
        #[arg(long, value_enum, default_value_t = DocumentFormat::Jsonl, requires = "out")]
        format: DocumentFormat,
        /// Where rejected items are written [default: rejects.jsonl beside --out, else none].
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// Stop at the first rejected item.
        #[arg(long)]
        strict: bool,
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Match documents (JSON Lines of `nhip ingest`, on stdin) against topics as an index
    /// would: one JSON line per document on stdout with its week, kind, source, content hash,
    /// story bands, topics and words (what a cluster job counts).
    Match {
        #[arg(long)]
        topics: PathBuf,
        /// Word list grouping topic words, as the index's `[index] words`.
        #[arg(long)]
        words: Option<PathBuf>,
        /// Where rejected lines go, one JSON object per line [default: standard error].
        #[arg(long, conflicts_with = "inline_rejects")]
        rejects: Option<PathBuf>,
        /// Write rejected lines to standard output among the documents, as
        /// `{"rejected": reason, "line": n}` (for cluster jobs, which count them).
        #[arg(long)]
        inline_rejects: bool,
        /// Documents matched per in-memory index (memory is bounded by one batch).
        #[arg(long, default_value_t = nhip_trends::matcher::DEFAULT_BATCH as u32, value_parser = clap::value_parser!(u32).range(1..))]
        batch: u32,
        /// Leave each document's words out (no emerging terms from these lines).
        #[arg(long)]
        no_words: bool,
        /// Boilerplate sentence keys (one decimal key per line, as a cluster job's sentences
        /// pass finds them): left out of the words and the story signature, as in an index.
        #[arg(long, value_name = "FILE")]
        boilerplate: Option<PathBuf>,
        /// Instead of matching, write each document's sentence keys of at least
        /// --boilerplate-min-syllables syllables (the pass that counts boilerplate).
        #[arg(long, conflicts_with = "boilerplate")]
        sentences: bool,
        /// With --sentences: shortest sentence that can be boilerplate.
        #[arg(long, default_value_t = nhip_text::BoilerplateRule::default().min_syllables, requires = "sentences")]
        boilerplate_min_syllables: usize,
    },
    /// Search an index: ranked hits with snippets.
    Search {
        #[arg(long)]
        index: PathBuf,
        /// One JSON object per hit instead of text.
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// First day included (YYYY-MM-DD, Asia/Ho_Chi_Minh).
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
        /// Last day included (YYYY-MM-DD, Asia/Ho_Chi_Minh).
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value_t = Sort::Relevance)]
        sort: Sort,
        /// Print the number of hits per ISO week (Asia/Ho_Chi_Minh) instead of the hits.
        #[arg(long, value_enum)]
        by: Option<SearchBreakdown>,
        /// Write every hit, however many, to FILE.csv or FILE.jsonl.
        #[arg(long, value_name = "FILE")]
        export: Option<PathBuf>,
        /// Hits to skip before the first one shown (paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Match a word typed without diacritics as this reading only (e.g. --reading "tham
        /// nhũng"); repeat for several words. The readings found are printed with each search.
        #[arg(long = "reading", value_name = "READING")]
        readings: Vec<String>,
        /// Extra words, one per line, kept whole when grouping the query's words.
        #[arg(long)]
        words: Option<PathBuf>,
        /// The query (words, "phrases", OR, -term, source:, kind:, unit:, lang:, title:, ref:).
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
    },
    /// Verify an index: nhip's schema version, every segment file's checksum, every stored
    /// document readable, the document count; prints what is wrong and what to do.
    Check {
        #[arg(long)]
        index: PathBuf,
        /// The findings as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Print one document in full.
    Show {
        #[arg(long)]
        index: PathBuf,
        #[arg(long)]
        json: bool,
        id: String,
    },
    /// Write the weekly topic tables (CSV and Parquet), forecasts, emerging terms, charts and
    /// the brief from an index (or from a cluster job's counts with --counts).
    Trends {
        #[arg(long, required_unless_present = "counts", conflicts_with = "counts")]
        index: Option<PathBuf>,
        /// A counts folder (Parquet) written by pipelines/spark/weekly_topics.py, instead of
        /// an index.
        #[arg(long, value_name = "DIR")]
        counts: Option<PathBuf>,
        /// With --counts: the word list the counting job's `nhip match` used.
        #[arg(long, requires = "counts")]
        words: Option<PathBuf>,
        #[arg(long)]
        topics: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Add rows per source (`--by source`), with each topic's share within the source.
        #[arg(long, value_enum)]
        by: Option<Breakdown>,
        /// Recent weeks the charts and the brief show (the tables keep every week).
        #[arg(long, default_value_t = nhip_trends::DEFAULT_WEEKS_SHOWN as u32, value_parser = clap::value_parser!(u32).range(1..))]
        weeks: u32,
    },
    /// Open the web workspace: search, documents, topics dashboard, emerging terms and the
    /// brief in a browser, and the JSON API (README.md, "Web workspace").
    Serve {
        /// A pipeline file: serve its index, topics and output folder.
        #[arg(required_unless_present = "index", conflicts_with = "index")]
        pipeline: Option<PathBuf>,
        /// The index folder (instead of a pipeline file).
        #[arg(long)]
        index: Option<PathBuf>,
        /// The topics file for the dashboard.
        #[arg(long, requires = "index")]
        topics: Option<PathBuf>,
        /// The output folder of the latest run (brief, tables and charts to download).
        #[arg(long, requires = "index")]
        out: Option<PathBuf>,
        /// Also run the pipeline's watcher (as `nhip watch`) in this process: the pages
        /// follow its commits live.
        #[arg(long, requires = "pipeline")]
        watch: bool,
        /// Address to listen on; any address but loopback needs --token-file.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// A file holding the token every request must present (a login form sets it as a
        /// cookie; the API takes `Authorization: Bearer TOKEN`).
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
    },
    /// Word-segment text, one sentence per line: words separated by spaces, syllables by `_`.
    Tokenize {
        /// Read this file instead of standard input.
        #[arg(long)]
        input: Option<PathBuf>,
        /// Extra words, one per line, always kept whole.
        #[arg(long)]
        words: Option<PathBuf>,
        /// A model from `nhip segmenter train` instead of the shipped one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Instead of segmenting, score the segmenter on a gold file (.conllu or _-joined text).
        #[arg(long, value_name = "GOLD")]
        eval: Option<PathBuf>,
        /// Segmenting threads (default: all cores); the output keeps the input's order.
        #[arg(long, value_name = "N")]
        threads: Option<std::num::NonZeroUsize>,
    },
    /// Propose multi-syllable terms from your own documents (collocations the dictionary lacks),
    /// as a word list to review and pass to `--words`.
    Terms {
        /// Files or folders, any supported input format.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Least number of occurrences.
        #[arg(long, default_value_t = 5)]
        min_count: u64,
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Word list already in use: its words are not proposed again (repeat for several).
        #[arg(long)]
        words: Vec<PathBuf>,
        /// Also list candidates the segmenter already knows, marked `[known: dictionary]` or
        /// `[known: model]`.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        boilerplate: BoilerplateArgs,
    },
    /// Train, score and cross-validate the word segmenter.
    #[command(subcommand)]
    Segmenter(SegmenterCommand),
    /// Normalise text line by line (NFC, look-alikes, canonical tone marks), or fold it.
    Normalize {
        #[arg(long)]
        input: Option<PathBuf>,
        /// Print the accent-free form instead.
        #[arg(long)]
        fold: bool,
    },
}

impl Command {
    /// The index folder a command reads, for the hint after an index error.
    fn index_dir(&self) -> Option<&std::path::Path> {
        match self {
            Command::Search { index, .. }
            | Command::Show { index, .. }
            | Command::Index { index, .. } => Some(index),
            Command::Trends { index, .. } => index.as_deref(),
            _ => None,
        }
    }

    /// Long-running servers keep their own panic handling (a request's panic is logged and
    /// the server goes on).
    fn runs_to_completion(&self) -> bool {
        !matches!(self, Command::Serve { .. } | Command::Watch { .. })
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let index_dir = cli.command.index_dir().map(std::path::Path::to_path_buf);
    let result = if cli.command.runs_to_completion() {
        panics::as_error(|| run(cli))
    } else {
        run(cli)
    };
    let result = result.map_err(|e| with_check_hint(e, index_dir.as_deref()));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // A reader such as `head` closing the pipe early is not a failure.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            note!("error: {}", error_chain(&e));
            std::process::ExitCode::FAILURE
        }
    }
}

/// After an error inside tantivy reading an index (not one of nhip's own index errors, which
/// say what to do), points to `nhip check`.
fn with_check_hint(e: anyhow::Error, index_dir: Option<&std::path::Path>) -> anyhow::Error {
    let Some(dir) = index_dir else {
        return e;
    };
    let disk_full = e.chain().any(|c| {
        c.downcast_ref::<nhip_index::IndexError>()
            .is_some_and(nhip_index::IndexError::is_disk_full)
    });
    if disk_full {
        return e.context(format!(
            "the disk is full: the index at {} stays at its last commit; free space and run \
             the same command again",
            dir.display()
        ));
    }
    let inside_tantivy = e.chain().any(|c| {
        matches!(
            c.downcast_ref::<nhip_index::IndexError>(),
            Some(nhip_index::IndexError::Tantivy(_))
        )
    }) || e.downcast_ref::<panics::Panicked>().is_some();
    if inside_tantivy {
        let hint = format!(
            "the index may be damaged: `nhip check --index {}` verifies it",
            dir.display()
        );
        e.context(hint)
    } else {
        e
    }
}

/// The error and its causes, `: `-separated, leaving out a cause whose message an outer one
/// already quotes (library errors that show their source and also return it as `source()`).
fn error_chain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run {
            pipeline,
            out,
            strict,
            weeks,
        } => pipeline::run(&pipeline, out.as_deref(), strict, weeks.map(|w| w as usize)),
        Command::Watch {
            pipeline,
            out,
            status,
        } => {
            if status {
                pipeline::watch_status(&pipeline, out.as_deref())
            } else {
                pipeline::watch(&pipeline, out.as_deref())
            }
        }
        Command::Index {
            index,
            rejects,
            strict,
            boilerplate_min_docs,
            boilerplate_min_syllables,
            inputs,
        } => {
            let rejects = rejects.unwrap_or_else(|| {
                let mut name = index.clone().into_os_string();
                name.push(".rejects.jsonl");
                PathBuf::from(name)
            });
            let rule = (boilerplate_min_docs.is_some() || boilerplate_min_syllables.is_some())
                .then(|| {
                    BoilerplateArgs {
                        boilerplate_min_docs: boilerplate_min_docs
                            .unwrap_or(nhip_text::BoilerplateRule::default().min_documents),
                        boilerplate_min_syllables: boilerplate_min_syllables
                            .unwrap_or(nhip_text::BoilerplateRule::default().min_syllables),
                    }
                    .rule()
                });
            commands::index(&index, &rejects, &inputs, strict, rule).map(|_| ())
        }
        Command::Ingest {
            out,
            format,
            rejects,
            strict,
            inputs,
        } => commands::ingest(
            &inputs,
            out.as_deref(),
            rejects.as_deref(),
            strict,
            format == DocumentFormat::Parquet,
        ),
        Command::Search {
            index,
            json,
            limit,
            since,
            until,
            sort,
            by,
            export,
            offset,
            readings,
            words,
            query,
        } => {
            let sort = match sort {
                Sort::Relevance => nhip_index::SortOrder::Relevance,
                Sort::Newest => nhip_index::SortOrder::Newest,
                Sort::Oldest => nhip_index::SortOrder::Oldest,
            };
            let options = nhip_index::SearchOptions {
                limit,
                offset,
                since,
                until,
                sort,
                readings,
            };
            let query = query.join(" ");
            let index = commands::open_index(&index, words.as_deref())?;
            match (by, export) {
                (Some(SearchBreakdown::Week), _) => {
                    commands::search_by_week(&index, &query, &options)
                }
                (None, Some(file)) => commands::export(&index, &query, &options, &file),
                (None, None) => commands::search(&index, &query, &options, json),
            }
        }
        Command::Show { index, json, id } => commands::show(&index, &id, json),
        Command::Check { index, json } => commands::check(&index, json),
        Command::Trends {
            index,
            counts,
            words,
            topics,
            out,
            by,
            weeks,
        } => {
            let options = nhip_trends::TrendOptions {
                by_source: by.is_some(),
                weeks_shown: weeks as usize,
            };
            match (index, counts) {
                (_, Some(counts)) => {
                    cluster::trends_from_counts(&counts, &topics, words.as_deref(), &out, &options)
                }
                (Some(index), None) => {
                    commands::trends(&index, &topics, &out, &options).map(|_| ())
                }
                (None, None) => anyhow::bail!("nhip trends: give --index DIR or --counts DIR"),
            }
        }
        Command::Match {
            topics,
            words,
            rejects,
            inline_rejects,
            batch,
            no_words,
            boilerplate,
            sentences,
            boilerplate_min_syllables,
        } => {
            let rule = nhip_text::BoilerplateRule {
                min_syllables: boilerplate_min_syllables.max(nhip_text::MIN_SENTENCE_SYLLABLES),
                ..Default::default()
            };
            cluster::match_documents(
                &topics,
                words.as_deref(),
                rejects.as_deref(),
                nhip_trends::matcher::MatchOptions {
                    batch: batch as usize,
                    words: !no_words,
                    inline_rejects,
                    boilerplate: Default::default(),
                    sentences_only: sentences.then_some(rule),
                },
                boilerplate.as_deref(),
            )
        }
        Command::Serve {
            pipeline,
            index,
            topics,
            out,
            addr,
            token_file,
            watch,
        } => {
            let watcher = match (&pipeline, watch) {
                (Some(pipeline), true) => Some(pipeline::spawn_watch(pipeline)?),
                _ => None,
            };
            let mut config = match (pipeline, index) {
                (Some(pipeline), _) => pipeline::serve_config(&pipeline)?,
                (None, Some(index)) => {
                    let mut config = nhip_server::Config::new(index);
                    config.topics = topics;
                    config.out_dir = out;
                    config
                }
                (None, None) => anyhow::bail!("nhip serve: give a pipeline file or --index DIR"),
            };
            config.addr = addr;
            config.token_file = token_file;
            config.watch_status = Some(nhip_pipeline::watch::state::status_path(&config.index));
            let index = config.index.clone();
            let served = nhip_server::serve_blocking(config)
                .with_context(|| format!("nhip serve {}", index.display()));
            if let Some(watcher) = watcher {
                watcher.stop()?;
            }
            served
        }
        Command::Tokenize {
            input,
            words,
            model,
            eval,
            threads,
        } => match eval {
            Some(gold) => commands::segmenter_eval(&gold, model.as_deref(), false),
            None => commands::tokenize(
                input.as_deref(),
                words.as_deref(),
                model.as_deref(),
                threads,
            ),
        },
        Command::Terms {
            inputs,
            min_count,
            limit,
            words,
            all,
            boilerplate,
        } => commands::terms(
            &inputs,
            &commands::TermsOptions {
                min_count,
                limit,
                all,
                words: &words,
                boilerplate: boilerplate.rule(),
            },
        ),
        Command::Segmenter(SegmenterCommand::Train { gold, epochs, out }) => {
            commands::segmenter_train(&gold, epochs, &out)
        }
        Command::Segmenter(SegmenterCommand::Eval { gold, model, fold }) => {
            commands::segmenter_eval(&gold, model.as_deref(), fold)
        }
        Command::Segmenter(SegmenterCommand::Cv {
            gold,
            folds,
            epochs,
        }) => commands::segmenter_cv(&gold, folds, epochs),
        Command::Normalize { input, fold } => commands::normalize(input.as_deref(), fold),
    }
}
