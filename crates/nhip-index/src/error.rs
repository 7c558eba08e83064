use std::path::PathBuf;

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("cannot open index at {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Words(#[from] nhip_text::SegmentError),
    #[error(transparent)]
    Query(#[from] crate::query::QueryError),
    #[error(
        "index at {} is being written by another process{}: it holds the writer lock {}. \
         Nothing was changed; run again when that process has finished (the lock goes with it)",
        .path.display(),
        .holder.map(|pid| format!(" (pid {pid})")).unwrap_or_default(),
        .lock.display()
    )]
    Locked {
        path: PathBuf,
        lock: PathBuf,
        /// The process holding the lock, when the system says (Linux `/proc/locks`).
        holder: Option<u32>,
    },
    #[error(
        "index at {} was written with nhip index schema version {found}; this nhip reads version {}. \
         Index the documents again into a new folder (`nhip index --index NEW_DIR INPUT...`, \
         or `nhip run PIPELINE.toml` after moving the old index aside){}",
        .path.display(),
        crate::SCHEMA_VERSION,
        if *.found > crate::SCHEMA_VERSION { ", or use the newer nhip that wrote it" } else { "" }
    )]
    SchemaVersion { path: PathBuf, found: u32 },
    #[error(
        "index at {} is damaged: {problem}. `nhip check --index {}` lists everything that is \
         wrong; restore the folder from a backup, or index the documents again into a new folder",
        .path.display(),
        .path.display()
    )]
    Damaged { path: PathBuf, problem: String },
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl IndexError {
    /// Whether the error is a full disk (the index then stays at its last commit).
    pub fn is_disk_full(&self) -> bool {
        let full = |e: &std::io::Error| {
            e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28)
        };
        match self {
            IndexError::Io { source, .. } => full(source),
            IndexError::Tantivy(tantivy::TantivyError::IoError(e)) => full(e),
            // tantivy wraps some write errors in its own types: their text says it.
            other => other.to_string().contains("os error 28"),
        }
    }
}
