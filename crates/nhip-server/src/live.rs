//! The live index: the server searches one opened snapshot of the index at a time. A poller
//! reads the last commit on disk every second; when another process (`nhip index`, `nhip run`)
//! has committed, it opens the index again, builds the new snapshot's facet table, and swaps it
//! in. Requests hold the snapshot they started with, so every request (and the trend figures
//! cached on a snapshot) sees one consistent index.

use crate::trends::TrendsView;
use nhip_index::{CommitInfo, FacetTable, IndexError, NhipIndex};
use nhip_trends::Topic;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::SystemTime;

/// One opened state of the index and what is computed from it.
pub struct Snapshot {
    pub index: NhipIndex,
    pub facets: Arc<FacetTable>,
    /// The commit read just before opening (the snapshot holds at least this commit).
    pub commit: CommitInfo,
    pub opened_at: SystemTime,
    trends: OnceLock<Result<Arc<TrendsView>, String>>,
}

impl Snapshot {
    fn open(dir: &Path) -> Result<Snapshot, IndexError> {
        let index = NhipIndex::open(dir)?;
        let commit = index.last_commit()?;
        let facets = Arc::new(index.facet_table()?);
        Ok(Snapshot {
            index,
            facets,
            commit,
            opened_at: SystemTime::now(),
            trends: OnceLock::new(),
        })
    }

    /// Topic tables, forecasts and emerging terms of this snapshot, computed on first use by the
    /// same code as `nhip trends`. Blocking: call from a blocking thread.
    pub fn trends(&self, topics: &[Topic]) -> Result<Arc<TrendsView>, String> {
        self.trends
            .get_or_init(|| {
                TrendsView::compute(&self.index, topics)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
    }
}

/// The snapshot in use, replaced when the index on disk changes.
pub struct LiveIndex {
    dir: PathBuf,
    current: RwLock<Arc<Snapshot>>,
}

impl LiveIndex {
    /// Opens the index in `dir` (an error when there is none).
    pub fn open(dir: &Path) -> Result<LiveIndex, IndexError> {
        Ok(LiveIndex {
            dir: dir.to_owned(),
            current: RwLock::new(Arc::new(Snapshot::open(dir)?)),
        })
    }

    pub fn current(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Opens the index again when a newer commit is on disk; true when the snapshot changed.
    /// Blocking.
    pub fn refresh(&self) -> Result<bool, IndexError> {
        let current = self.current();
        if current.index.last_commit()?.opstamp == current.commit.opstamp {
            return Ok(false);
        }
        let fresh = Arc::new(Snapshot::open(&self.dir)?);
        match self.current.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(true)
    }
}
