//! The streaming ingest: files are read in bounded chunks (many small files together, large
//! JSON Lines files block by block), each chunk parsed and finished on all cores with rayon,
//! then de-duplicated in input order and handed to the caller. Memory holds one chunk plus a
//! few integers per document seen (for de-duplication), never the whole batch.

use crate::detect::{detect_file, Format};
use crate::document::{DateSource, Document, RawDocument};
use crate::jsonl;
use crate::reject::Reject;
use crate::{collect_files, read_detected, FileOutcome, IngestOptions, Summary};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

/// Whole-read files per chunk.
const FILES_PER_CHUNK: usize = 256;
/// Bytes of whole-read files per chunk.
const BYTES_PER_CHUNK: u64 = 32 * 1024 * 1024;
/// Bytes of JSON Lines per block.
const JSONL_BLOCK_BYTES: usize = 8 * 1024 * 1024;
/// A JSON line longer than this is rejected unparsed.
const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// Reports how far an ingest has got, in bytes of input. Called from the ingesting thread.
pub trait Progress: Sync {
    /// Called once, before reading, with the size of all input files.
    fn start(&self, _total_bytes: u64) {}
    /// Called as input is consumed.
    fn advance(&self, _bytes: u64) {}
}

/// A [`Progress`] that reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {}

/// What is remembered of each document kept, to merge later copies.
struct Seen {
    content: u64,
    date_source: DateSource,
    lang: [u8; 3],
}

fn lang_key(lang: &str) -> [u8; 3] {
    let mut key = [b'?'; 3];
    for (slot, b) in key.iter_mut().zip(lang.bytes()) {
        *slot = b;
    }
    key
}

/// Exact-duplicate merging across the whole ingest, in input order.
#[derive(Default)]
struct Dedup {
    contents: std::collections::HashSet<u64>,
    by_id: HashMap<u64, Seen>,
}

enum Admission {
    New,
    /// Same id, new text: the later version replaces the earlier.
    Replaces(Seen),
    Duplicate,
}

impl Dedup {
    fn admit(&mut self, doc: &Document) -> Admission {
        let content = xxh3_64(doc.content_hash.as_bytes());
        if self.contents.contains(&content) {
            return Admission::Duplicate;
        }
        self.contents.insert(content);
        let seen = Seen {
            content,
            date_source: doc.date_source,
            lang: lang_key(&doc.lang),
        };
        match self.by_id.insert(xxh3_64(doc.id.as_bytes()), seen) {
            Some(previous) => {
                self.contents.remove(&previous.content);
                Admission::Replaces(previous)
            }
            None => Admission::New,
        }
    }
}

/// Where finished chunks go.
type Sink<'s, E> = dyn FnMut(Vec<Document>, &[Reject]) -> Result<(), E> + 's;

/// One unit of work: whole-read files, or one block of a JSON Lines file.
enum Work<'a> {
    Files(Vec<(PathBuf, Format, &'a IngestOptions)>),
    Lines {
        path: &'a Path,
        first_line: usize,
        lines: Vec<Vec<u8>>,
        options: &'a IngestOptions,
    },
}

struct State<'p> {
    dedup: Dedup,
    summary: Summary,
    rejects: Vec<Reject>,
    progress: &'p dyn Progress,
}

impl State<'_> {
    /// A whole file rejected before any of it was read as records.
    fn reject_file(&mut self, reject: Reject) -> Reject {
        self.summary.records += 1;
        self.summary.rejected += 1;
        self.rejects.push(reject.clone());
        reject
    }

    /// Finishes raw documents on all cores, merges duplicates, returns what is new.
    fn admit(&mut self, outcomes: Vec<FileOutcome>) -> (Vec<Document>, Vec<Reject>) {
        let mut raws: Vec<RawDocument> = Vec::new();
        let mut rejects = Vec::new();
        for outcome in outcomes {
            self.summary.records += outcome.records;
            raws.extend(outcome.documents);
            rejects.extend(outcome.rejects);
        }
        let finished: Vec<Document> = raws.into_par_iter().map(RawDocument::finish).collect();
        let mut kept = Vec::with_capacity(finished.len());
        for doc in finished {
            match self.dedup.admit(&doc) {
                Admission::Duplicate => self.summary.duplicates += 1,
                Admission::New => {
                    self.summary.documents += 1;
                    self.count(doc.date_source, &doc.lang, 1);
                    kept.push(doc);
                }
                Admission::Replaces(previous) => {
                    self.summary.duplicates += 1;
                    let lang = String::from_utf8_lossy(&previous.lang).into_owned();
                    self.count(previous.date_source, &lang, -1);
                    self.count(doc.date_source, &doc.lang, 1);
                    kept.push(doc);
                }
            }
        }
        self.summary.rejected += rejects.len();
        self.rejects.extend(rejects.iter().cloned());
        (kept, rejects)
    }

    fn count(&mut self, date_source: DateSource, lang: &str, delta: isize) {
        let bump = |map: &mut std::collections::BTreeMap<String, usize>, key: &str| {
            let entry = map.entry(key.to_string()).or_default();
            *entry = entry.saturating_add_signed(delta);
            if *entry == 0 {
                map.remove(key);
            }
        };
        bump(&mut self.summary.date_sources, date_source.as_str());
        bump(&mut self.summary.languages, lang);
        if date_source == DateSource::None {
            self.summary.undated = self.summary.undated.saturating_add_signed(delta);
        }
    }
}

fn parse_block(
    path: &Path,
    first_line: usize,
    lines: &[Vec<u8>],
    options: &IngestOptions,
) -> FileOutcome {
    let parsed: Vec<Result<RawDocument, Reject>> = lines
        .par_iter()
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .map(|(i, line)| {
            let number = first_line + i;
            if line.len() > MAX_LINE_BYTES {
                return Err(Reject::line(
                    path,
                    number,
                    format!(
                        "line of {} bytes is over the {MAX_LINE_BYTES}-byte limit",
                        line.len()
                    ),
                ));
            }
            jsonl::parse_bytes(line, path, number, options)
                .map_err(|reason| Reject::line(path, number, reason))
        })
        .collect();
    let mut outcome = FileOutcome::default();
    for result in parsed {
        outcome.records += 1;
        match result {
            Ok(doc) => outcome.documents.push(doc),
            Err(reject) => outcome.rejects.push(reject),
        }
    }
    outcome
}

/// Reads a JSON Lines file block by block, calling `each` per block.
fn jsonl_blocks<E>(
    path: &Path,
    options: &IngestOptions,
    mut each: impl FnMut(Work<'_>, u64) -> Result<(), E>,
) -> Result<Option<Reject>, E> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return Ok(Some(Reject::file(path, format!("cannot read file: {e}")))),
    };
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line_number = 1;
    let mut any_text = false;
    loop {
        let first_line = line_number;
        let mut lines = Vec::new();
        let mut bytes = 0usize;
        while bytes < JSONL_BLOCK_BYTES {
            let mut line = Vec::new();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(n) => bytes += n,
                Err(e) => {
                    return Ok(Some(Reject::line(
                        path,
                        line_number,
                        format!("cannot read file: {e}"),
                    )))
                }
            }
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if first_line == 1 && lines.is_empty() && line.starts_with(b"\xEF\xBB\xBF") {
                line.drain(..3);
            }
            any_text |= !line.iter().all(u8::is_ascii_whitespace);
            lines.push(line);
            line_number += 1;
        }
        if lines.is_empty() {
            break;
        }
        each(
            Work::Lines {
                path,
                first_line,
                lines,
                options,
            },
            bytes as u64,
        )?;
    }
    Ok((!any_text).then(|| Reject::file(path, "empty file: no JSON lines")))
}

/// Reads all inputs, handing each chunk of new documents (and the chunk's rejects) to `sink`
/// as soon as it is ready. Returns every reject and the summary; stops early only if `sink`
/// fails (so a caller can make the first reject fatal, or stop on a full disk).
///
/// ```
/// use nhip_ingest::{ingest_streaming, IngestOptions, NoProgress};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.jsonl"), "{\"title\":\"Mưa lớn\",\"body\":\"Hà Nội mưa.\"}\n{bad\n").unwrap();
/// let mut seen = 0;
/// let (rejects, summary) = ingest_streaming(
///     &[(dir.path().to_path_buf(), IngestOptions::default())],
///     &NoProgress,
///     |documents, _rejects| { seen += documents.len(); Ok::<(), String>(()) },
/// ).unwrap();
/// assert_eq!((seen, rejects.len(), summary.records), (1, 1, 2));
/// ```
pub fn ingest_streaming<E>(
    sources: &[(PathBuf, IngestOptions)],
    progress: &dyn Progress,
    sink: impl FnMut(Vec<Document>, &[Reject]) -> Result<(), E>,
) -> Result<(Vec<Reject>, Summary), E> {
    ingest_streaming_excluding(sources, &[], progress, sink)
}

/// [`ingest_streaming`], leaving out the paths in `exclude` (and everything below them): what
/// the run writes itself, such as its index folder, rejects file or output, when these sit
/// inside an input folder. They are counted as skipped.
pub fn ingest_streaming_excluding<E>(
    sources: &[(PathBuf, IngestOptions)],
    exclude: &[PathBuf],
    progress: &dyn Progress,
    mut sink: impl FnMut(Vec<Document>, &[Reject]) -> Result<(), E>,
) -> Result<(Vec<Reject>, Summary), E> {
    let mut path_rejects = Vec::new();
    let mut skipped = std::collections::BTreeMap::new();
    let mut files: Vec<(PathBuf, &IngestOptions)> = Vec::new();
    for (input, options) in sources {
        let found = collect_files(
            std::slice::from_ref(input),
            exclude,
            &mut path_rejects,
            &mut skipped,
        );
        for file in found {
            files.push((file, options));
        }
    }
    let sizes: Vec<u64> = files
        .iter()
        .map(|(f, _)| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .collect();
    let mut state = State {
        dedup: Dedup::default(),
        summary: Summary {
            files: files.len(),
            bytes: sizes.iter().sum(),
            records: path_rejects.len(),
            rejected: path_rejects.len(),
            skipped: skipped.values().sum(),
            skipped_reasons: skipped,
            ..Summary::default()
        },
        rejects: path_rejects.clone(),
        progress,
    };
    progress.start(state.summary.bytes);
    if !path_rejects.is_empty() {
        sink(Vec::new(), &path_rejects)?;
    }

    let detected: Vec<Result<Format, Reject>> =
        files.par_iter().map(|(f, _)| detect_file(f)).collect();
    let mut pending: Vec<(PathBuf, Format, &IngestOptions)> = Vec::new();
    let mut pending_bytes = 0u64;

    let sink: &mut Sink<'_, E> = &mut sink;
    let run = |work: Work<'_>,
               bytes: u64,
               state: &mut State<'_>,
               sink: &mut Sink<'_, E>|
     -> Result<(), E> {
        let outcomes = match work {
            Work::Files(batch) => batch
                .par_iter()
                .map(|(path, format, options)| read_detected(path, *format, options))
                .collect(),
            Work::Lines {
                path,
                first_line,
                lines,
                options,
            } => vec![parse_block(path, first_line, &lines, options)],
        };
        let (documents, rejects) = state.admit(outcomes);
        state.progress.advance(bytes);
        if documents.is_empty() && rejects.is_empty() {
            return Ok(());
        }
        sink(documents, &rejects)
    };
    // Whole-read files waiting for a chunk, and their bytes.
    let flush = |pending: &mut Vec<(PathBuf, Format, &IngestOptions)>,
                 pending_bytes: &mut u64,
                 state: &mut State<'_>,
                 sink: &mut Sink<'_, E>|
     -> Result<(), E> {
        if pending.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::take(pending_bytes);
        run(Work::Files(std::mem::take(pending)), bytes, state, sink)
    };

    for (((path, options), size), format) in files.iter().zip(&sizes).zip(detected) {
        let format = match format {
            Ok(format) => format,
            Err(reject) => {
                *state.summary.formats.entry("rejected".into()).or_default() += 1;
                let reject = state.reject_file(reject);
                state.progress.advance(*size);
                sink(Vec::new(), std::slice::from_ref(&reject))?;
                continue;
            }
        };
        *state
            .summary
            .formats
            .entry(format.as_str().into())
            .or_default() += 1;
        if format == Format::JsonLines {
            // Earlier files first, so that the first copy of a duplicate is the one kept.
            flush(&mut pending, &mut pending_bytes, &mut state, sink)?;
            let empty = jsonl_blocks(path, options, |work, bytes| {
                run(work, bytes, &mut state, sink)
            })?;
            if let Some(reject) = empty {
                let reject = state.reject_file(reject);
                sink(Vec::new(), std::slice::from_ref(&reject))?;
            }
            continue;
        }
        pending.push((path.clone(), format, options));
        pending_bytes += size;
        if pending.len() >= FILES_PER_CHUNK || pending_bytes >= BYTES_PER_CHUNK {
            flush(&mut pending, &mut pending_bytes, &mut state, sink)?;
        }
    }
    flush(&mut pending, &mut pending_bytes, &mut state, sink)?;
    Ok((state.rejects, state.summary))
}
