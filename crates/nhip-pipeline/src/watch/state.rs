//! What the watcher has seen, in a file beside the index. It is written (temp file + rename)
//! only after the commit covering it, so after a crash the watcher reads again at most what the
//! last commit missed, and the index's upsert by id makes reading it again harmless.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One inbox file as it was last ingested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSeen {
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// xxh3-128 of the bytes.
    pub hash: String,
    /// Documents the file gave.
    pub ids: Vec<String>,
}

/// One feed as of its last committed poll.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedSeen {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Item key (guid or link) → hash of the item's title and text in the feed.
    pub items: BTreeMap<String, String>,
}

/// The committed state of a watcher.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WatchState {
    /// By path.
    pub files: BTreeMap<String, FileSeen>,
    /// By url.
    pub feeds: BTreeMap<String, FeedSeen>,
    /// Alert keys (`topic|week|level`) already delivered to the webhook.
    pub delivered: BTreeSet<String>,
}

/// The state file of an index: `INDEX.watch-state.json` beside it.
pub fn state_path(index_dir: &Path) -> PathBuf {
    sibling(index_dir, "watch-state.json")
}

/// The status file of an index: `INDEX.watch-status.json` beside it (for `nhip watch --status`).
pub fn status_path(index_dir: &Path) -> PathBuf {
    sibling(index_dir, "watch-status.json")
}

fn sibling(index_dir: &Path, suffix: &str) -> PathBuf {
    let name = index_dir
        .file_name()
        .map_or_else(|| "index".into(), |n| n.to_string_lossy().into_owned());
    index_dir.with_file_name(format!("{name}.{suffix}"))
}

impl WatchState {
    /// The state in `path`; an empty state when there is none yet.
    pub fn load(path: &Path) -> std::io::Result<WatchState> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(WatchState::default()),
            Err(e) => Err(e),
        }
    }

    /// Writes the state atomically: a reader (or a restart after a crash) sees the old file
    /// or the new one, never half of one.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        write_atomically(path, &bytes)
    }
}

pub use nhip_ingest::atomic::write_atomically;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_and_loads_beside_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        let path = state_path(&index);
        assert_eq!(path, dir.path().join("index.watch-state.json"));
        assert_eq!(WatchState::load(&path).unwrap(), WatchState::default());
        let mut state = WatchState::default();
        state.files.insert(
            "a.txt".into(),
            FileSeen {
                size: 3,
                mtime_ns: 1,
                hash: "h".into(),
                ids: vec!["x".into()],
            },
        );
        state.delivered.insert("t|2026-W01|1".into());
        state.save(&path).unwrap();
        assert_eq!(WatchState::load(&path).unwrap(), state);
        // Only the state file is left in the folder: the temp file was renamed.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
