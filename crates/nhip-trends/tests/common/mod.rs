//! What the integration tests of nhip-trends share.

use nhip_index::NhipIndex;
use nhip_ingest::{ingest_paths, IngestOptions};
use std::path::Path;

/// Writes `lines` (JSON Lines records) into `dir`, ingests them as `nhip ingest` does, with no
/// reject allowed, and indexes them in `dir/index`.
pub fn index_json_lines(dir: &Path, lines: &[String]) -> NhipIndex {
    let input = dir.join("documents.jsonl");
    std::fs::write(&input, lines.join("\n")).unwrap();
    let batch = ingest_paths(&[input], &IngestOptions::default());
    assert!(batch.rejects.is_empty(), "{:?}", batch.rejects);
    let index = NhipIndex::open_or_create(&dir.join("index")).unwrap();
    index.write(&batch.documents).unwrap();
    index
}
