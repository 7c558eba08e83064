//! What a long-running reader (the web workspace) needs to follow another process writing the
//! same index: the last commit on disk, so it knows when to open the index again.

use crate::{IndexError, NhipIndex};
use std::time::SystemTime;

/// The last commit written to an index folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitInfo {
    /// tantivy's operation stamp of the commit: it grows with every commit.
    pub opstamp: u64,
    /// When `meta.json` was last written (the commit's time), if the file system says.
    pub committed_at: Option<SystemTime>,
}

impl NhipIndex {
    /// The last commit on disk, which may be newer than what this opened index searches.
    pub fn last_commit(&self) -> Result<CommitInfo, IndexError> {
        let metas = self.index.load_metas()?;
        let committed_at = std::fs::metadata(self.path.join("meta.json"))
            .and_then(|m| m.modified())
            .ok();
        Ok(CommitInfo {
            opstamp: metas.opstamp,
            committed_at,
        })
    }

    /// Number of index segments this opened index searches.
    pub fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }
}
