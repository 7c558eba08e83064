//! What runs documents into an index: the ingest → index orchestration shared by `nhip index`,
//! `nhip run` and the watcher (a reader thread a few chunks ahead of the index writer, rejects
//! and the summary), and the watcher itself. Terminal output stays in the CLI: it observes a
//! run through [`IndexObserver`].

mod error;
mod orchestrate;
pub mod watch;

pub use error::PipelineError;
pub use orchestrate::{
    check_strict, index_sources, IndexObserver, IndexOutcome, IndexRun, NoObserver,
};
