//! Turning files into clean, dated, de-duplicated nhip documents, or a reason why not.
//!
//! Readers ([`jsonl`], [`text`]) parse one format each; [`ingest_paths`] walks files and folders,
//! normalises every document with `nhip-text`, tags its language, gives it a stable id, merges
//! exact duplicates and collects [`Reject`]s instead of stopping: one bad line or file never
//! costs the rest of the batch.
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
pub mod dates;
mod document;
mod ids;
pub mod jsonl;
mod lang;
mod record;
mod reject;
pub mod text;

pub use document::{DocKind, Document, RawDocument};
pub use ids::{content_hash, minhash, minhash_similarity, MINHASH_SIZE};
pub use lang::detect_language;
pub use record::ColumnMap;
pub use reject::{write_rejects, Reject, RejectWriteError};

use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How a batch is read.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Source name for documents whose input names none.
    pub default_source: Option<String>,
    /// Kind of documents whose input says none (else press for JSONL/CSV, report for text).
    pub default_kind: Option<DocKind>,
    /// Names of the input's columns (JSON keys, CSV headers) for each field.
    pub columns: ColumnMap,
}

/// Counts of one ingest; `records == documents + rejected + duplicates`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    /// Items found in the input: JSON lines, text files, plus unreadable files counted once.
    pub records: usize,
    pub documents: usize,
    pub rejected: usize,
    /// Exact duplicates (same id or same normalised text) merged into an earlier document.
    pub duplicates: usize,
    pub undated: usize,
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

/// Supported input formats, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    JsonLines,
    Csv,
    Text,
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" => Some(Format::JsonLines),
        "csv" => Some(Format::Csv),
        "txt" | "md" | "markdown" => Some(Format::Text),
        _ => None,
    }
}

/// All files below the inputs, in a stable order; unreadable paths become rejects.
fn collect_files(inputs: &[PathBuf], rejects: &mut Vec<Reject>) -> Vec<PathBuf> {
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

/// Reads one file of any supported format.
pub fn read_file(path: &Path, options: &IngestOptions) -> FileOutcome {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return FileOutcome {
                rejects: vec![Reject::file(path, format!("cannot read file: {e}"))],
                records: 1,
                ..FileOutcome::default()
            }
        }
    };
    match format_of(path) {
        Some(Format::JsonLines) => jsonl::read(path, &bytes, options),
        Some(Format::Csv) => csv_reader::read(path, &bytes, options),
        Some(Format::Text) => text::read(path, &bytes, options),
        None => FileOutcome {
            rejects: vec![Reject::file(
                path,
                "unsupported format: expected .jsonl, .ndjson, .csv, .txt or .md",
            )],
            records: 1,
            ..FileOutcome::default()
        },
    }
}

/// Reads files and folders (recursively) into documents, in parallel across files.
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
/// duplicates are merged across all inputs.
pub fn ingest_sources(sources: &[(PathBuf, IngestOptions)]) -> Batch {
    let mut rejects = Vec::new();
    let mut files: Vec<(PathBuf, &IngestOptions)> = Vec::new();
    for (input, options) in sources {
        for file in collect_files(std::slice::from_ref(input), &mut rejects) {
            files.push((file, options));
        }
    }
    let unreadable_paths = rejects.len();
    let outcomes: Vec<FileOutcome> = files
        .par_iter()
        .map(|(f, options)| read_file(f, options))
        .collect();

    let mut summary = Summary {
        files: files.len(),
        records: unreadable_paths,
        ..Summary::default()
    };
    let mut documents: Vec<Document> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_content: HashMap<String, usize> = HashMap::new();
    for outcome in outcomes {
        summary.records += outcome.records;
        rejects.extend(outcome.rejects);
        for raw in outcome.documents {
            let doc = raw.finish();
            if by_content.contains_key(&doc.content_hash) {
                // Same text again: keep the first, whatever id the copy carries.
                summary.duplicates += 1;
                continue;
            }
            if let Some(&existing) = by_id.get(&doc.id) {
                // Same id, new text: the later record is the newer version.
                by_content.remove(&documents[existing].content_hash);
                by_content.insert(doc.content_hash.clone(), existing);
                documents[existing] = doc;
                summary.duplicates += 1;
                continue;
            }
            by_id.insert(doc.id.clone(), documents.len());
            by_content.insert(doc.content_hash.clone(), documents.len());
            documents.push(doc);
        }
    }
    summary.documents = documents.len();
    summary.rejected = rejects.len();
    summary.undated = documents
        .iter()
        .filter(|d| d.published_at.is_none())
        .count();
    Batch {
        documents,
        rejects,
        summary,
    }
}
