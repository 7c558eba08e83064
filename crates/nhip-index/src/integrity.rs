//! What makes an index trustworthy: nhip's schema version recorded beside tantivy's files,
//! clear errors for a damaged or foreign index, and the full check of `nhip check`.
//!
//! Opening checks what is cheap: the version file, `meta.json`, every segment file present with
//! a valid footer (tantivy reads footers when it opens a segment). Checksums of whole files
//! cost a read of the entire index, so they are verified by [`check_index`] and by
//! [`NhipIndex::verify_checksums`] (which `nhip trends` runs), not by every search.

use crate::{IndexError, NhipIndex};
use std::path::{Path, PathBuf};
use tantivy::Index;

/// The version of nhip's index schema (fields, analyzers, stored layout). Raise it whenever an
/// index written before the change would be read wrongly after it.
/// 2: the syllable fields hold pair terms (`analyzer`).
pub const SCHEMA_VERSION: u32 = 2;

/// The file beside tantivy's `meta.json` that records [`SCHEMA_VERSION`].
pub const VERSION_FILE: &str = "nhip.json";

#[derive(serde::Serialize, serde::Deserialize)]
struct VersionRecord {
    nhip_index_schema: u32,
    written_by: String,
}

/// Records this nhip's schema version in the index folder (atomically).
pub(crate) fn record_version(dir: &Path) -> Result<(), IndexError> {
    let record = VersionRecord {
        nhip_index_schema: SCHEMA_VERSION,
        written_by: format!("nhip {}", env!("CARGO_PKG_VERSION")),
    };
    let text = serde_json::to_string_pretty(&record).unwrap_or_default() + "\n";
    let path = dir.join(VERSION_FILE);
    nhip_ingest::atomic::write_atomically(&path, text.as_bytes())
        .map_err(|source| IndexError::Io { path, source })
}

/// The schema version an index folder records: `None` for an index written before versions
/// were recorded (its fields are checked instead).
pub fn recorded_version(dir: &Path) -> Result<Option<u32>, IndexError> {
    let path = dir.join(VERSION_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(IndexError::Io { path, source }),
    };
    serde_json::from_slice::<VersionRecord>(&bytes)
        .map(|r| Some(r.nhip_index_schema))
        .map_err(|e| IndexError::Damaged {
            path: dir.to_owned(),
            problem: format!("{VERSION_FILE} is unreadable ({e})"),
        })
}

/// An error unless the folder's recorded version is this nhip's.
pub(crate) fn check_version(dir: &Path) -> Result<(), IndexError> {
    match recorded_version(dir)? {
        Some(found) if found != SCHEMA_VERSION => Err(IndexError::SchemaVersion {
            path: dir.to_owned(),
            found,
        }),
        _ => Ok(()),
    }
}

/// A tantivy error met while opening an index, as a damaged-index error (a missing folder or
/// a folder without an index stays an open error).
pub(crate) fn opening_error(dir: &Path, e: tantivy::TantivyError) -> IndexError {
    let missing = !dir.join("meta.json").exists();
    match e {
        tantivy::TantivyError::OpenDirectoryError(_) => IndexError::Open {
            path: dir.to_owned(),
            message: e.to_string(),
        },
        _ if missing => IndexError::Open {
            path: dir.to_owned(),
            message: e.to_string(),
        },
        e => IndexError::Damaged {
            path: dir.to_owned(),
            problem: describe(&e),
        },
    }
}

/// tantivy's error in fewer words (its debug formatting of nested errors is long).
fn describe(e: &tantivy::TantivyError) -> String {
    use tantivy::directory::error::OpenReadError;
    match e {
        tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            format!("file {} is missing", file_name(path))
        }
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
            if io_error.to_string().contains("Footer") =>
        {
            // tantivy's footer check suggests an old tantivy; here it is a cut-short file.
            format!(
                "file {} is truncated or damaged (its end is not a tantivy footer)",
                file_name(filepath)
            )
        }
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            format!("file {} cannot be read: {io_error}", file_name(filepath))
        }
        tantivy::TantivyError::DataCorruption(corruption) => {
            let text = format!("{corruption:?}");
            // tantivy quotes the whole file's content; the start says enough.
            let cut: String = text.chars().take(200).collect();
            if cut.len() < text.len() {
                format!("{cut}…")
            } else {
                cut
            }
        }
        other => other.to_string(),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The files of the commit's segments that tantivy wrote, sorted. Components a segment never
/// had (no deletes, say) are not in tantivy's list of files it wrote; a file it wrote and lost
/// is.
fn written_segment_files(index: &Index, metas: &tantivy::IndexMeta) -> Vec<PathBuf> {
    let managed = index.directory().list_managed_files();
    let mut files: Vec<PathBuf> = metas
        .list_segment_files()
        .into_iter()
        .filter(|f| managed.contains(f))
        .collect();
    files.sort();
    files
}

/// An error naming the first file of the opened commit that is missing (tantivy opens some
/// files, such as positions, only when a query needs them).
pub(crate) fn check_presence(index: &Index, dir: &Path) -> Result<(), IndexError> {
    let metas = index.load_metas().map_err(|e| opening_error(dir, e))?;
    let files = written_segment_files(index, &metas);
    match files.iter().find(|f| !dir.join(f).exists()) {
        Some(file) => Err(IndexError::Damaged {
            path: dir.to_owned(),
            problem: format!("file {} is missing", file.display()),
        }),
        None => Ok(()),
    }
}

/// What [`check_index`] found.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IndexCheck {
    pub path: PathBuf,
    /// The recorded nhip schema version (`None`: not recorded, or unreadable).
    pub schema_version: Option<u32>,
    pub segments: usize,
    /// Segment files whose checksum was verified.
    pub files_checked: usize,
    pub bytes_checked: u64,
    /// Live documents according to `meta.json`.
    pub documents: u64,
    /// Stored documents read back whole.
    pub documents_read: u64,
    /// Each problem found, in words; empty when the index is sound.
    pub problems: Vec<String>,
}

impl IndexCheck {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks an index folder fully: the recorded schema version and fields, `meta.json`, every
/// segment file present with a valid checksum, every stored document readable, and the
/// document count. Never fails and never panics on a damaged index: what is wrong is in
/// `problems`.
pub fn check_index(dir: &Path) -> IndexCheck {
    let mut check = IndexCheck {
        path: dir.to_owned(),
        ..Default::default()
    };
    if !dir.join("meta.json").is_file() {
        check
            .problems
            .push("no meta.json: this folder holds no index (or its meta.json was lost)".into());
        return check;
    }
    match recorded_version(dir) {
        Ok(Some(version)) => {
            check.schema_version = Some(version);
            if version != SCHEMA_VERSION {
                let e = IndexError::SchemaVersion {
                    path: dir.to_owned(),
                    found: version,
                };
                check.problems.push(e.to_string());
            }
        }
        Ok(None) => {}
        Err(e) => check.problems.push(e.to_string()),
    }
    let index = match Index::open_in_dir(dir) {
        Ok(index) => index,
        Err(e) => {
            check.problems.push(format!("meta.json: {}", describe(&e)));
            return check;
        }
    };
    if let Err(message) = crate::schema::Fields::from_schema(&index.schema()) {
        check.problems.push(message);
    }
    let files_ok = check_files(&index, &mut check);
    if files_ok {
        read_documents(&index, &mut check);
    }
    check
}

/// Every file of every searchable segment: present, footer and checksum valid.
fn check_files(index: &Index, check: &mut IndexCheck) -> bool {
    let metas = match index.load_metas() {
        Ok(metas) => metas,
        Err(e) => {
            check.problems.push(format!("meta.json: {}", describe(&e)));
            return false;
        }
    };
    check.segments = metas.segments.len();
    check.documents = metas.segments.iter().map(|s| u64::from(s.num_docs())).sum();
    let files = written_segment_files(index, &metas);
    let before = check.problems.len();
    for file in files {
        let full = check.path.join(&file);
        let size = match std::fs::metadata(&full) {
            Ok(meta) => meta.len(),
            Err(_) => {
                check
                    .problems
                    .push(format!("file {} is missing", file.display()));
                continue;
            }
        };
        match index.directory().validate_checksum(&file) {
            Ok(true) => {
                check.files_checked += 1;
                check.bytes_checked += size;
            }
            Ok(false) => check.problems.push(format!(
                "file {} is damaged: its checksum does not match its content",
                file.display()
            )),
            Err(e) => check.problems.push(describe(&e.into())),
        }
    }
    check.problems.len() == before
}

/// Reads every stored document of every segment back (catching a panic of a decoder).
fn read_documents(index: &Index, check: &mut IndexCheck) {
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<u64, String> {
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| describe(&e))?;
        let searcher = reader.searcher();
        let mut read = 0u64;
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(1)
                .map_err(|e| format!("stored documents: {e}"))?;
            for doc in store.iter::<tantivy::TantivyDocument>(segment.alive_bitset()) {
                doc.map_err(|e| format!("stored document unreadable: {}", describe(&e)))?;
                read += 1;
            }
        }
        Ok(read)
    }));
    match read {
        Ok(Ok(read)) => {
            check.documents_read = read;
            if read != check.documents {
                check.problems.push(format!(
                    "{read} stored documents read, but meta.json counts {}",
                    check.documents
                ));
            }
        }
        Ok(Err(problem)) => check.problems.push(problem),
        Err(_) => check
            .problems
            .push("reading the stored documents failed inside tantivy (damaged data)".into()),
    }
}

impl NhipIndex {
    /// Verifies the checksum of every segment file of the opened commit: a read of the whole
    /// index, so batch jobs (`nhip trends`) call it, searches do not.
    pub fn verify_checksums(&self) -> Result<(), IndexError> {
        let mut check = IndexCheck {
            path: self.path.clone(),
            ..Default::default()
        };
        if check_files(&self.index, &mut check) {
            Ok(())
        } else {
            Err(IndexError::Damaged {
                path: self.path.clone(),
                problem: check.problems.join("; "),
            })
        }
    }
}
