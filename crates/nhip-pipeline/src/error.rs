//! Errors of a pipeline run.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("index {path}: {source}")]
    Index {
        path: PathBuf,
        #[source]
        source: nhip_index::IndexError,
    },
    #[error("--strict: rejected {0} (nothing was indexed)")]
    Strict(Box<nhip_ingest::Reject>),
    #[error("ingest stopped: the index writer stopped")]
    WriterStopped,
    #[error("watch: {0}")]
    Watch(String),
    #[error(transparent)]
    Rejects(#[from] nhip_ingest::RejectWriteError),
}

impl PipelineError {
    pub(crate) fn index(
        path: &std::path::Path,
    ) -> impl FnOnce(nhip_index::IndexError) -> Self + '_ {
        move |source| PipelineError::Index {
            path: path.to_path_buf(),
            source,
        }
    }
}
