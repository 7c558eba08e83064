//! An index that is being written, or that is damaged, is refused with a clear error: never a
//! panic, never wrong results.

use nhip_index::{IndexError, NhipIndex, SearchOptions};
use nhip_ingest::{ingest_paths, IngestOptions};
use std::path::Path;

/// An index of `n` small documents in `dir/index`.
fn small_index(dir: &Path, n: usize) -> std::path::PathBuf {
    let input = dir.join("in.jsonl");
    let lines: String = (0..n)
        .map(|i| {
            format!(
                "{{\"id\":\"d{i}\",\"title\":\"Mưa lớn số {i}\",\"body\":\"Mưa lớn gây ngập ở xã Minh Tân, lần thứ {i}.\",\"published_at\":\"2026-01-05\"}}\n"
            )
        })
        .collect();
    std::fs::write(&input, lines).unwrap();
    let batch = ingest_paths(&[input], &IngestOptions::default());
    assert_eq!(batch.documents.len(), n);
    let path = dir.join("index");
    let index = NhipIndex::open_or_create(&path).unwrap();
    index.write(&batch.documents).unwrap();
    path
}

#[test]
fn a_second_writer_is_refused_at_once_naming_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_index(dir.path(), 3);
    let first = NhipIndex::open(&path).unwrap();
    let session = first.session().unwrap();
    let second = NhipIndex::open(&path).unwrap();
    let started = std::time::Instant::now();
    let refused = second.session().err().expect("a second writer is refused");
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    match &refused {
        IndexError::Locked { lock, holder, .. } => {
            assert_eq!(lock, &path.join(".tantivy-writer.lock"));
            // The lock is this process's own (a second open file of it).
            if cfg!(target_os = "linux") {
                assert_eq!(*holder, Some(std::process::id()));
            }
        }
        other => panic!("not a lock error: {other}"),
    }
    let message = refused.to_string();
    assert!(
        message.contains("another process") && message.contains(".tantivy-writer.lock"),
        "{message}"
    );
    // The first writer is unaffected; once it is gone the lock is free again.
    session.finish().unwrap();
    drop(first);
    second.session().unwrap().finish().unwrap();
    assert_eq!(
        second
            .search("mưa", &SearchOptions::default())
            .unwrap()
            .total,
        3
    );
}
