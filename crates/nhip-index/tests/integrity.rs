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

/// The index's files of one kind (`.term`, `.store`, …), largest first.
fn files_ending(index: &Path, extension: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).unwrap().len()));
    files
}

/// Inverts bytes spread over the middle of a file (not its footer).
fn flip_bytes(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let n = bytes.len();
    for at in [n / 5, 2 * n / 5, n / 2, 3 * n / 5] {
        bytes[at] ^= 0xff;
    }
    std::fs::write(path, bytes).unwrap();
}

/// What every reading path says about a damaged index: opening, and the full check.
fn refused(path: &Path) -> (String, nhip_index::IndexCheck) {
    let opened = std::panic::catch_unwind(|| NhipIndex::open(path).map(|_| ()))
        .expect("opening a damaged index does not panic");
    let message = opened.err().map(|e| e.to_string()).unwrap_or_default();
    let check = std::panic::catch_unwind(|| nhip_index::check_index(path))
        .expect("checking a damaged index does not panic");
    (message, check)
}

#[test]
fn a_sound_index_passes_its_check_and_records_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_index(dir.path(), 40);
    assert_eq!(
        nhip_index::recorded_version(&path).unwrap(),
        Some(nhip_index::SCHEMA_VERSION)
    );
    let check = nhip_index::check_index(&path);
    assert!(check.is_sound(), "{:?}", check.problems);
    assert_eq!((check.documents, check.documents_read), (40, 40));
    assert!(check.files_checked >= 6 && check.bytes_checked > 0);
    NhipIndex::open(&path).unwrap().verify_checksums().unwrap();
}

#[test]
fn a_truncated_segment_file_is_a_clear_error() {
    for extension in ["term", "store", "idx", "pos", "fast", "fieldnorm"] {
        let dir = tempfile::tempdir().unwrap();
        let path = small_index(dir.path(), 20);
        let file = &files_ending(&path, extension)[0];
        let size = std::fs::metadata(file).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(file)
            .unwrap()
            .set_len(size / 2)
            .unwrap();
        let (message, check) = refused(&path);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            message.contains("is damaged")
                && message.contains(&name)
                && message.contains("truncated")
                && message.contains("nhip check --index"),
            "{extension}: {message}"
        );
        assert!(
            check.problems.iter().any(|p| p.contains(&name)),
            "{extension}: {:?}",
            check.problems
        );
    }
}

#[test]
fn flipped_bytes_fail_the_checksums() {
    for extension in ["term", "store", "idx", "pos", "fast", "fieldnorm"] {
        let dir = tempfile::tempdir().unwrap();
        let path = small_index(dir.path(), 20);
        let file = &files_ending(&path, extension)[0];
        flip_bytes(file);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        // Opening reads footers only; the checksums catch the damage.
        let check = std::panic::catch_unwind(|| nhip_index::check_index(&path)).unwrap();
        assert!(
            check
                .problems
                .iter()
                .any(|p| p.contains(&name) && p.contains("checksum")),
            "{extension}: {:?}",
            check.problems
        );
        let verified = std::panic::catch_unwind(|| {
            NhipIndex::open(&path).and_then(|index| index.verify_checksums())
        })
        .expect("no panic");
        let message = verified.expect_err("damage found").to_string();
        // Either opening already stumbles on the damage (where the flips land depends on how
        // the writer's threads laid out the segments) and says so, or the checksums name it.
        assert!(
            message.contains(&name) || message.contains("is damaged"),
            "{extension}: {message}"
        );
    }
}

#[test]
fn a_missing_segment_file_is_a_clear_error() {
    for extension in ["term", "store", "pos"] {
        let dir = tempfile::tempdir().unwrap();
        let path = small_index(dir.path(), 10);
        let file = &files_ending(&path, extension)[0];
        std::fs::remove_file(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let (message, check) = refused(&path);
        assert!(
            message.contains(&format!("file {name} is missing")),
            "{extension}: {message}"
        );
        assert_eq!(check.problems, vec![format!("file {name} is missing")]);
    }
}

#[test]
fn a_damaged_meta_json_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_index(dir.path(), 10);
    let meta = std::fs::read(path.join("meta.json")).unwrap();
    std::fs::write(path.join("meta.json"), &meta[..meta.len() / 2]).unwrap();
    let (message, check) = refused(&path);
    assert!(
        message.contains("is damaged") && message.contains("meta.json"),
        "{message}"
    );
    assert!(
        check.problems[0].starts_with("meta.json"),
        "{:?}",
        check.problems
    );
}

#[test]
fn another_schema_version_says_how_to_reindex() {
    for found in [0, nhip_index::SCHEMA_VERSION + 1] {
        let dir = tempfile::tempdir().unwrap();
        let path = small_index(dir.path(), 5);
        std::fs::write(
            path.join(nhip_index::VERSION_FILE),
            format!("{{\"nhip_index_schema\": {found}, \"written_by\": \"nhip 9.9.9\"}}"),
        )
        .unwrap();
        let (message, check) = refused(&path);
        assert!(
            message.contains(&format!("schema version {found}"))
                && message.contains("Index the documents again")
                && message.contains("nhip index --index NEW_DIR"),
            "{message}"
        );
        assert_eq!(
            found > nhip_index::SCHEMA_VERSION,
            message.contains("newer nhip")
        );
        assert_eq!(check.schema_version, Some(found));
        assert_eq!(check.problems.len(), 1, "{:?}", check.problems);
        // A writer refuses it too, and leaves it as it was.
        assert!(NhipIndex::open_or_create(&path).is_err());
    }
}

#[test]
fn a_meta_json_from_another_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = small_index(dir.path(), 5);
    // meta.json of an index whose schema is not this nhip's (as an older nhip wrote them).
    let other = tempfile::tempdir().unwrap();
    let mut builder = tantivy::schema::Schema::builder();
    builder.add_text_field("id", tantivy::schema::STRING);
    builder.add_text_field("title", tantivy::schema::TEXT);
    tantivy::Index::create_in_dir(other.path(), builder.build()).unwrap();
    std::fs::copy(other.path().join("meta.json"), path.join("meta.json")).unwrap();
    let (message, check) = refused(&path);
    assert!(
        message.contains("not an nhip index of this version")
            && message.contains("index the documents again"),
        "{message}"
    );
    assert!(
        check
            .problems
            .iter()
            .any(|p| p.contains("not an nhip index of this version")),
        "{:?}",
        check.problems
    );
}

#[test]
fn a_folder_without_an_index_is_no_damage() {
    let dir = tempfile::tempdir().unwrap();
    let message = NhipIndex::open(dir.path()).err().unwrap().to_string();
    assert!(message.contains("cannot open index"), "{message}");
    let check = nhip_index::check_index(dir.path());
    assert!(check.problems[0].starts_with("no meta.json"));
}
