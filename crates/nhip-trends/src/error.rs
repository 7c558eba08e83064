use std::path::PathBuf;

/// Errors of trend computation.
#[derive(Debug, thiserror::Error)]
pub enum TrendError {
    #[error("cannot read topics file {path}: {source}")]
    ReadTopics {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("topics file {path}: {message}")]
    Topics { path: PathBuf, message: String },
    #[error(transparent)]
    Index(#[from] nhip_index::IndexError),
    #[error("forecast failed: {0}")]
    Forecast(String),
    #[error("table computation failed: {0}")]
    Polars(#[from] polars::error::PolarsError),
    #[error("matching documents: {0}")]
    Match(String),
    #[error("counts {path}: {message}")]
    Counts { path: PathBuf, message: String },
    #[error("cannot write {path}: {message}")]
    Write { path: PathBuf, message: String },
}
