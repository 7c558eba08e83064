//! Matching is by syllables, ranking prefers matches on word boundaries.

use nhip_index::{NhipIndex, SearchOptions};
use nhip_ingest::{ingest_paths, IngestOptions};

fn index_of(lines: &[&str]) -> (tempfile::TempDir, NhipIndex) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, lines.join("\n")).unwrap();
    let batch = ingest_paths(&[input], &IngestOptions::default());
    assert!(batch.rejects.is_empty(), "{:?}", batch.rejects);
    let index = NhipIndex::open_or_create(&dir.path().join("index")).unwrap();
    index.write(&batch.documents).unwrap();
    (dir, index)
}

fn ids(index: &NhipIndex, query: &str) -> Vec<String> {
    let options = SearchOptions {
        limit: 10,
        ..SearchOptions::default()
    };
    index
        .search(query, &options)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn word_boundary_matches_rank_first() {
    let (_dir, index) = index_of(&[
        r#"{"id":"inside","title":"Nhà trường mở cửa đón học sinh","body":"Buổi sáng đông vui."}"#,
        r#"{"id":"word","title":"Ngôi nhà mở cửa đón học sinh","body":"Buổi sáng đông vui."}"#,
    ]);
    // Both contain the syllable: neither is missed, whatever the segmentation.
    assert_eq!(ids(&index, "nhà"), ["word", "inside"]);
    assert_eq!(ids(&index, "nha"), ["word", "inside"]);
    assert_eq!(ids(&index, "nhà trường"), ["inside"]);
}

#[test]
fn segmentation_never_hides_a_document() {
    let (_dir, index) = index_of(&[
        r#"{"id":"a","title":"Cán bộ tham nhũng bị xử lý","body":""}"#,
        r#"{"id":"b","title":"Xử lý nghiêm hành vi nhũng nhiễu","body":""}"#,
    ]);
    let mut found = ids(&index, "nhũng");
    found.sort();
    assert_eq!(found, ["a", "b"]);
}

#[test]
fn literal_matches_rank_above_accent_free_ones() {
    let (_dir, index) = index_of(&[
        r#"{"id":"accented","title":"Bàn giao nhà","body":"Buổi sáng đông vui."}"#,
        r#"{"id":"literal","title":"Ban giao nha","body":"Buoi sang dong vui."}"#,
    ]);
    // Typed without diacritics: both match, the literal one first.
    assert_eq!(ids(&index, "ban giao"), ["literal", "accented"]);
    // Typed with diacritics: only the exact one matches.
    assert_eq!(ids(&index, "bàn giao"), ["accented"]);
}
