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
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}
