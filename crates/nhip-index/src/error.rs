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
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}
