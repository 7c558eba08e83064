//! Turning files into clean, dated, de-duplicated nhip documents, or a reason why not.
//!
//! Readers parse one format each: [`jsonl`], CSV, [`text`] and Markdown, [`docx`], [`pdf`],
//! [`html`] article pages and [`feed`]s (RSS, Atom), chosen by content first and extension
//! second. [`ingest_streaming`] walks files and folders, normalises every document with
//! `nhip-text`, dates it (metadata, else its [`dateline`]), tags its language, gives it a stable
//! id, merges exact duplicates and collects [`Reject`]s instead of stopping: one bad line or file
//! never costs the rest of the batch. Documents are handed over in chunks, so memory stays
//! bounded however large the input; [`ingest_paths`] collects them all for small batches.
//!
//! ```
//! use nhip_ingest::{ingest_paths, IngestOptions};
//! let dir = tempfile::tempdir().unwrap();
//! let file = dir.path().join("press.jsonl");
//! std::fs::write(&file, concat!(
//!     r#"{"id":"a1","title":"Mưa lớn","body":"Hà Nội mưa lớn.","published_at":"2026-03-02T08:00:00+07:00","source":"Báo A"}"#, "\n",
//!     "{not json}\n",
//! )).unwrap();
//! let batch = ingest_paths(&[file], &IngestOptions::default());
//! assert_eq!(batch.documents.len(), 1);
//! assert_eq!(batch.documents[0].id, "a1");
//! assert_eq!(batch.rejects.len(), 1);
//! assert_eq!(batch.rejects[0].line, Some(2));
//! ```

mod csv_reader;
pub mod dateline;
pub mod dates;
mod detect;
mod document;
pub mod docx;
pub mod feed;
pub mod html;
mod ids;
pub mod jsonl;
mod lang;
pub mod pdf;
mod record;
mod reject;
mod stream;
pub mod text;

pub use detect::{Format, MAX_DOCUMENT_FILE_BYTES};
pub use document::{DateSource, DocKind, Document, RawDocument};
pub use ids::{content_hash, minhash, minhash_excluding, minhash_similarity, MINHASH_SIZE};
pub use lang::detect_language;
pub use record::ColumnMap;
pub use reject::{write_rejects, Reject, RejectWriteError};
pub use stream::{ingest_streaming, NoProgress, Progress};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How a batch is read.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Source name for documents whose input names none.
    pub default_source: Option<String>,
    /// Kind of documents whose input says none (else press for JSONL/CSV/HTML/feeds, report for
    /// text, DOCX and PDF).
    pub default_kind: Option<DocKind>,
    /// Names of the input's columns (JSON keys, CSV headers) for each field.
    pub columns: ColumnMap,
}

/// Counts of one ingest; `records == documents + rejected + duplicates`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    /// Bytes of all input files.
    pub bytes: u64,
    /// Items found in the input: JSON lines, CSV rows, feed items, document files, plus
    /// unreadable files counted once.
    pub records: usize,
    pub documents: usize,
    pub rejected: usize,
    /// Exact duplicates (same id or same normalised text) merged into an earlier document.
    pub duplicates: usize,
    pub undated: usize,
    /// Files per detected format.
    pub formats: BTreeMap<String, usize>,
    /// Documents per [`DateSource`].
    pub date_sources: BTreeMap<String, usize>,
    /// Documents per language code.
    pub languages: BTreeMap<String, usize>,
}

/// The outcome of reading a batch of inputs.
#[derive(Debug, Default)]
pub struct Batch {
    pub documents: Vec<Document>,
    pub rejects: Vec<Reject>,
    pub summary: Summary,
}

/// What one file yielded, before batch-level de-duplication.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub documents: Vec<RawDocument>,
    pub rejects: Vec<Reject>,
    pub records: usize,
}

impl FileOutcome {
    /// The outcome of a file that holds one document.
    pub(crate) fn single(parsed: Result<RawDocument, Reject>) -> FileOutcome {
        let mut outcome = FileOutcome {
            records: 1,
            ..FileOutcome::default()
        };
        match parsed {
            Ok(doc) => outcome.documents.push(doc),
            Err(reject) => outcome.rejects.push(reject),
        }
        outcome
    }

    fn rejected(reject: Reject) -> FileOutcome {
        FileOutcome {
            rejects: vec![reject],
            records: 1,
            ..FileOutcome::default()
        }
    }
}

/// All files below the inputs, in a stable order; unreadable paths become rejects.
pub(crate) fn collect_files(inputs: &[PathBuf], rejects: &mut Vec<Reject>) -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>, rejects: &mut Vec<Reject>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return rejects.push(Reject::file(dir, format!("cannot read folder: {e}"))),
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            if path.is_dir() {
                walk(&path, files, rejects);
            } else {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut files, rejects);
        } else if input.exists() {
            files.push(input.clone());
        } else {
            rejects.push(Reject::file(input, "no such file or folder"));
        }
    }
    files
}

/// Reads one whole file of any supported format (JSON Lines and CSV too, in memory: the
/// streaming path reads those in blocks instead).
pub fn read_file(path: &Path, options: &IngestOptions) -> FileOutcome {
    let format = match detect::detect_file(path) {
        Ok(format) => format,
        Err(reject) => return FileOutcome::rejected(reject),
    };
    read_detected(path, format, options)
}

pub(crate) fn read_detected(path: &Path, format: Format, options: &IngestOptions) -> FileOutcome {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return FileOutcome::rejected(Reject::file(path, format!("cannot read file: {e}")))
        }
    };
    let mut outcome = match format {
        Format::JsonLines => jsonl::read(path, &bytes, options),
        Format::Csv => csv_reader::read(path, &bytes, options),
        Format::Text => text::read(path, &bytes, options),
        Format::Docx => docx::read(path, &bytes, options),
        Format::Pdf => pdf::read(path, &bytes, options),
        Format::Html => html::read(path, &bytes, options),
        Format::Feed => feed::read(path, &bytes, options),
    };
    // A report file's time is near its events; an export's (JSON Lines, CSV) is not.
    if !format.is_export() {
        detect::add_file_date_context(path, &mut outcome.documents);
    }
    outcome
}

/// Reads files and folders (recursively) into documents, in parallel.
///
/// Never fails as a whole: every problem becomes a [`Reject`] naming the file and line.
pub fn ingest_paths(inputs: &[PathBuf], options: &IngestOptions) -> Batch {
    let sources: Vec<(PathBuf, IngestOptions)> = inputs
        .iter()
        .map(|p| (p.clone(), options.clone()))
        .collect();
    ingest_sources(&sources)
}

/// [`ingest_paths`] with options per input (a pipeline's `[[source]]` tables): one batch, so
/// duplicates are merged across all inputs. Holds every document in memory: large inputs
/// should go through [`ingest_streaming`].
pub fn ingest_sources(sources: &[(PathBuf, IngestOptions)]) -> Batch {
    let mut documents: Vec<Document> = Vec::new();
    let mut by_id: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let outcome = ingest_streaming(sources, &NoProgress, |chunk, _| {
        for doc in chunk {
            // A later version of an id replaces the earlier one, as the index would.
            match by_id.get(&doc.id) {
                Some(&i) => documents[i] = doc,
                None => {
                    by_id.insert(doc.id.clone(), documents.len());
                    documents.push(doc);
                }
            }
        }
        Ok::<(), std::convert::Infallible>(())
    });
    let (rejects, summary) = match outcome {
        Ok(result) => result,
        Err(never) => match never {},
    };
    Batch {
        documents,
        rejects,
        summary,
    }
}
