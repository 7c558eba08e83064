//! Turning files into clean, dated, de-duplicated nhip documents, or a reason why not.
//!
//! Readers parse one format each: [`jsonl`], CSV, [`text`] and Markdown, [`docx`], [`pdf`],
//! [`html`] article pages and [`feed`]s (RSS, Atom), chosen by content first and extension
//! second. [`ingest_streaming`] walks files and folders (leaving out index folders, hidden,
//! temporary and system files, and folders reached again through links: counted as skipped,
//! never rejected), normalises every document with
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

pub mod atomic;
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
mod lead;
pub mod official;
pub mod pdf;
mod record;
mod reject;
mod stream;
pub mod text;

pub use detect::{detect_file, Format, MAX_DOCUMENT_FILE_BYTES};
pub use document::{DateSource, DocKind, Document, RawDocument};
pub use ids::{content_hash, minhash, minhash_excluding, minhash_similarity, MINHASH_SIZE};
pub use lang::detect_language;
pub use record::ColumnMap;
pub use reject::{write_rejects, Reject, RejectWriteError};
pub use stream::{ingest_streaming, ingest_streaming_excluding, NoProgress, Progress};

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
    /// Files and folders not read, and not records: index folders, hidden and temporary
    /// files, folders reached again through a link, the run's own output.
    pub skipped: usize,
    /// Skipped paths per reason.
    pub skipped_reasons: BTreeMap<String, usize>,
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

/// Why a file or folder below the inputs is not read. Skipped paths are neither records nor
/// rejects: they were never documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skip {
    /// A search index folder (nhip's own, or any tantivy index), or the rejects file nhip
    /// writes beside one.
    IndexFolder,
    /// A file or folder whose name starts with a dot (`.DS_Store`, `.~lock.a.docx#`, `.git`).
    Hidden,
    /// An editor's temporary or system file (`~$bao-cao.docx`, `*.tmp`, `Thumbs.db`).
    Temporary,
    /// A folder already read, reached again through a link (a symlink loop).
    LinkedAgain,
    /// What this run writes itself (its rejects file, its output).
    OwnOutput,
}

impl Skip {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Skip::IndexFolder => "index folder",
            Skip::Hidden => "hidden",
            Skip::Temporary => "temporary file",
            Skip::LinkedAgain => "folder linked again",
            Skip::OwnOutput => "own output",
        }
    }
}

/// Whether a file name is an editor's lock or temporary file, or a system file: Word's owner
/// files (`~$name.docx`), LibreOffice's locks (`.~lock.name#`), `*.tmp`, backups ending in
/// `~`, `Thumbs.db`, `desktop.ini`, `.DS_Store`.
pub(crate) fn is_temporary_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.starts_with("~$")
        || (lower.starts_with(".~lock.") && lower.ends_with('#'))
        || lower.ends_with(".tmp")
        || lower.ends_with('~')
        || matches!(lower.as_str(), "thumbs.db" | "desktop.ini" | ".ds_store")
}

/// Whether a folder holds a search index: tantivy's `meta.json` with its segments and schema.
pub(crate) fn is_index_folder(dir: &Path) -> bool {
    let Ok(file) = std::fs::File::open(dir.join("meta.json")) else {
        return false;
    };
    let mut head = Vec::with_capacity(4096);
    if std::io::Read::read_to_end(&mut std::io::Read::take(file, 4096), &mut head).is_err() {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    head.contains("\"segments\"") && head.contains("\"schema\"")
}

/// A path in the form paths are compared in: canonical when it (or its folder) exists.
fn comparable(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            parent
                .canonicalize()
                .map_or_else(|_| path.to_path_buf(), |p| p.join(name))
        }
        _ => path.to_path_buf(),
    }
}

/// The files to read below the inputs, in a stable order, and what was skipped on the way;
/// unreadable paths become rejects. `exclude` names what the run writes itself.
pub fn collect_files(
    inputs: &[PathBuf],
    exclude: &[PathBuf],
    rejects: &mut Vec<Reject>,
    skipped: &mut BTreeMap<String, usize>,
) -> Vec<PathBuf> {
    struct Walk<'a> {
        exclude: Vec<PathBuf>,
        visited: std::collections::HashSet<PathBuf>,
        files: Vec<PathBuf>,
        rejects: &'a mut Vec<Reject>,
        skipped: &'a mut BTreeMap<String, usize>,
    }
    impl Walk<'_> {
        fn skip(&mut self, why: Skip) {
            *self.skipped.entry(why.as_str().to_string()).or_default() += 1;
        }

        fn excluded(&self, path: &Path) -> bool {
            // Names first: resolving every file's path would cost a system call each.
            let named = self
                .exclude
                .iter()
                .any(|e| e.file_name() == path.file_name());
            named && {
                let path = comparable(path);
                self.exclude.contains(&path)
            }
        }

        fn file(&mut self, path: &Path) {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            // `DIR.rejects.jsonl` beside an index folder `DIR` is that index's rejects file.
            let index_rejects = name
                .strip_suffix(".rejects.jsonl")
                .is_some_and(|index| is_index_folder(&path.with_file_name(index)));
            if is_temporary_name(name) {
                self.skip(Skip::Temporary);
            } else if index_rejects {
                self.skip(Skip::IndexFolder);
            } else if self.excluded(path) {
                self.skip(Skip::OwnOutput);
            } else {
                self.files.push(path.to_path_buf());
            }
        }

        fn folder(&mut self, dir: &Path) {
            if self.excluded(dir) {
                return self.skip(Skip::OwnOutput);
            }
            if is_index_folder(dir) {
                return self.skip(Skip::IndexFolder);
            }
            // A folder is read once, however many links lead to it (a link to a parent
            // folder would otherwise never end).
            let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
            if !self.visited.insert(canonical) {
                return self.skip(Skip::LinkedAgain);
            }
            let entries = match std::fs::read_dir(dir) {
                Ok(entries) => entries,
                Err(e) => {
                    return self
                        .rejects
                        .push(Reject::file(dir, format!("cannot read folder: {e}")))
                }
            };
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for path in paths {
                let hidden = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'));
                if hidden {
                    self.skip(Skip::Hidden);
                } else if path.is_dir() {
                    self.folder(&path);
                } else {
                    self.file(&path);
                }
            }
        }
    }
    let mut walk = Walk {
        exclude: exclude.iter().map(|p| comparable(p)).collect(),
        visited: Default::default(),
        files: Vec::new(),
        rejects,
        skipped,
    };
    for input in inputs {
        if input.is_dir() {
            walk.folder(input);
        } else if input.exists() {
            walk.file(input);
        } else {
            walk.rejects
                .push(Reject::file(input, "no such file or folder"));
        }
    }
    walk.files
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
    let mut outcome = read_bytes(path, format, &bytes, options);
    // A report file's time is near its events; an export's (JSON Lines, CSV) is not.
    if !format.is_export() {
        detect::add_file_date_context(path, &mut outcome.documents);
    }
    outcome
}

/// Reads a file's bytes, already in memory, as `format` (`path` names it in rejects and ids).
/// The readers' one entry point, also for the fuzz targets (`fuzz/`).
pub fn read_bytes(
    path: &Path,
    format: Format,
    bytes: &[u8],
    options: &IngestOptions,
) -> FileOutcome {
    match format {
        Format::JsonLines => jsonl::read(path, bytes, options),
        Format::Csv => csv_reader::read(path, bytes, options),
        Format::Text => text::read(path, bytes, options),
        Format::Docx => docx::read(path, bytes, options),
        Format::Pdf => pdf::read(path, bytes, options),
        Format::Html => html::read(path, bytes, options),
        Format::Feed => feed::read(path, bytes, options),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_messy_inbox_is_walked_without_rejecting_what_is_no_document() {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        let write = |name: &str, text: &str| {
            let path = inbox.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("bao-cao.txt", "Báo cáo tuần\n\nMưa lớn kéo dài.");
        write("~$bao-cao.docx", "owner file");
        write(".~lock.bao-cao.docx#", "lock");
        write("ban-nhap.TMP", "temp");
        write("Thumbs.db", "thumbs");
        write(".DS_Store", "mac");
        write("con/tin.txt", "Tin khác\n\nNội dung.");
        // An index inside the inbox with its rejects file, and this run's own output.
        write(
            "idx/meta.json",
            r#"{"index_settings":{},"segments":[],"schema":[],"opstamp":0}"#,
        );
        write("idx/000.store", "binary");
        write("idx.rejects.jsonl", "{}\n");
        write("ket-qua.jsonl", "{}\n");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&inbox, inbox.join("con/vong")).unwrap();

        let batch = ingest_sources_excluding(&inbox, &[inbox.join("ket-qua.jsonl")]);
        assert!(batch.rejects.is_empty(), "{:?}", batch.rejects);
        assert_eq!(batch.documents.len(), 2);
        let s = &batch.summary;
        assert_eq!((s.files, s.records, s.rejected), (2, 2, 0));
        let reasons: Vec<(&str, usize)> = s
            .skipped_reasons
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        let mut expected = vec![
            ("hidden", 2),
            ("index folder", 2),
            ("own output", 1),
            ("temporary file", 3),
        ];
        if cfg!(unix) {
            expected.insert(0, ("folder linked again", 1));
        }
        assert_eq!(reasons, expected);
        assert_eq!(s.skipped, expected.iter().map(|(_, n)| n).sum::<usize>());
    }

    fn ingest_sources_excluding(input: &Path, exclude: &[PathBuf]) -> Batch {
        let mut documents = Vec::new();
        let (rejects, summary) = ingest_streaming_excluding(
            &[(input.to_path_buf(), IngestOptions::default())],
            exclude,
            &NoProgress,
            |chunk, _| {
                documents.extend(chunk);
                Ok::<(), std::convert::Infallible>(())
            },
        )
        .unwrap();
        Batch {
            documents,
            rejects,
            summary,
        }
    }
}
