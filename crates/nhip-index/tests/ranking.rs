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

/// The Phi Nhung case: a short title holding the accent-free syllables by chance must not
/// outrank the documents that hold what the analyst meant.
#[test]
fn preferred_readings_rank_first_and_short_titles_do_not_dominate() {
    let (_dir, index) = index_of(&[
        r#"{"id":"visit","title":"Về thăm Nhung","body":"Cả nhà vui vẻ."}"#,
        r#"{"id":"title","title":"Tỉnh tổng kết công tác phòng, chống tham nhũng và lãng phí năm 2025 với nhiều kết quả","body":"Hội nghị diễn ra sáng nay."}"#,
        r#"{"id":"body1","title":"Hội nghị cán bộ chủ chốt","body":"Hội nghị bàn về phòng, chống tham nhũng trong quản lý đất đai."}"#,
        r#"{"id":"body2","title":"Kiểm điểm cuối năm","body":"Xử lý nghiêm các vụ tham nhũng, tiêu cực đã phát hiện."}"#,
        r#"{"id":"body3","title":"Thanh tra tỉnh công bố kết luận","body":"Kết luận chỉ ra dấu hiệu tham nhũng tại ban quản lý dự án."}"#,
        r#"{"id":"body4","title":"Quốc hội thảo luận luật","body":"Luật phòng, chống tham nhũng sửa đổi được thông qua."}"#,
        r#"{"id":"typed","title":"Bao cao du luan xa","body":"Nguoi dan phan anh ve tham nhung o cap xa."}"#,
    ]);
    let options = SearchOptions {
        limit: 10,
        ..SearchOptions::default()
    };
    let results = index.search("tham nhung", &options).unwrap();
    assert_eq!(results.understood, r#""tham nhung""#);
    let ids: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    // Every document with the intended reading first, the title match among them on top;
    // the short title that holds the syllables by chance comes after all of them.
    assert_eq!(ids[0], "title", "{ids:?}");
    let mut first: Vec<&str> = ids[..5].to_vec();
    first.sort();
    assert_eq!(first, ["body1", "body2", "body3", "body4", "title"]);
    // The readings the collection holds, most frequent first.
    let readings = &results.readings[0];
    assert_eq!(readings.word, "tham nhung");
    let shown: Vec<(&str, u64, bool)> = readings
        .readings
        .iter()
        .map(|r| (r.text.as_str(), r.docs, r.preferred))
        .collect();
    assert_eq!(shown[0], ("tham nhũng", 5, true));
    assert!(shown.contains(&("tham nhung", 1, false)), "{shown:?}");
    assert!(shown[1..].iter().all(|r| !r.2), "{shown:?}");
    // Picking a reading matches that reading only.
    let picked = SearchOptions {
        readings: vec!["tham nhũng".into()],
        ..options.clone()
    };
    let results = index.search("tham nhung", &picked).unwrap();
    assert_eq!(results.total, 5);
    assert_eq!(results.understood, r#""tham nhũng""#);
    // AND keeps the syllables apart, as before.
    assert_eq!(index.search("tham AND nhung", &options).unwrap().total, 7);
    assert_eq!(
        index.search("tham AND nhung", &options).unwrap().understood,
        "tham AND nhung"
    );
}

#[test]
fn title_matches_and_close_words_rank_higher() {
    let (_dir, index) = index_of(&[
        r#"{"id":"body","title":"Tin tức tổng hợp trong ngày","body":"Giá điện tăng từ tháng sau theo quyết định mới của bộ."}"#,
        r#"{"id":"title","title":"Giá điện tăng","body":"Quyết định mới có hiệu lực từ tháng sau."}"#,
    ]);
    assert_eq!(ids(&index, "giá điện"), ["title", "body"]);
    let (_dir, index) = index_of(&[
        r#"{"id":"far","title":"Tin tổng hợp","body":"Sạt lở kéo dài nhiều ngày. Người dân sơ tán. Chính quyền hỗ trợ. Mưa lớn còn tiếp diễn ở nhiều nơi, nhất là các tỉnh miền Trung."}"#,
        r#"{"id":"near","title":"Tin tổng hợp","body":"Mưa lớn gây sạt lở ở các tỉnh miền Trung, người dân sơ tán."}"#,
    ]);
    let results = index
        .search("sat lo mien trung", &SearchOptions::default())
        .unwrap();
    assert_eq!(results.understood, r#""sat lo" AND "mien trung""#);
    let order: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(order, ["near", "far"]);
}

#[test]
fn words_in_the_typed_sequence_settle_an_ambiguous_syllable() {
    let (_dir, index) = index_of(&[
        r#"{"id":"spirit","title":"Giữ vững tinh thần sau sáp nhập","body":"Cán bộ tiếp tục công tác."}"#,
        r#"{"id":"feeling","title":"Tình cảm gắn bó sau sáp nhập","body":"Người dân chia sẻ."}"#,
        r#"{"id":"province","title":"Hội nghị tổng kết","body":"Bàn về việc sáp nhập tỉnh và sắp xếp bộ máy."}"#,
    ]);
    assert_eq!(ids(&index, "sap nhap tinh")[0], "province");
}

#[test]
fn readings_are_shown_only_when_there_is_a_choice() {
    let (_dir, index) = index_of(&[
        r#"{"id":"a","title":"Giá nhà ở TP HCM tăng","body":"Tham nhũng bị xử lý."}"#,
        r#"{"id":"b","title":"Kẹt xe ở tp hcm","body":"Thăm nhà người thân."}"#,
    ]);
    let options = SearchOptions::default();
    // Only the typed form occurs: no reading to choose.
    let results = index.search("tp hcm", &options).unwrap();
    assert_eq!(results.total, 2);
    assert!(results.readings.is_empty(), "{:?}", results.readings);
    // Two forms occur: both shown, and asked again (cached) the same.
    let first = index.search("tham", &options).unwrap().readings;
    let texts: Vec<&str> = first[0].readings.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["tham", "thăm"]);
    assert_eq!(index.search("tham", &options).unwrap().readings, first);
}

#[test]
fn readings_counted_before_a_commit_stay_exact_after_it() {
    let first = [
        r#"{"id":"a","title":"Giá điện tăng","body":"Thăm nhưng không gặp. Tham nhũng bị xử lý."}"#,
        r#"{"id":"b","title":"Gia điền mới","body":"Giá điện và giá diễn viên."}"#,
        r#"{"id":"d","title":"Giá điện mùa nắng","body":"Tham nhũng vặt."}"#,
        r#"{"id":"e","title":"Thăm nhưng chưa gặp","body":"Gia điền và giá điện."}"#,
        r#"{"id":"f","title":"Lịch thăm","body":"Giá diễn viên tăng."}"#,
        r#"{"id":"g","title":"Giá điện giảm","body":"Thăm nhà."}"#,
    ];
    let later = [
        // Replaces b: its old version is deleted from the first segment.
        r#"{"id":"b","title":"Gia điền mới","body":"Tham nhũng ở gia điền."}"#,
        r#"{"id":"c","title":"Giá điện lại tăng","body":"Thăm nhưng vắng nhà."}"#,
    ];
    let queries = ["gia dien", "tham nhung", "tham"];
    let (dir, index) = index_of(&first);
    let options = SearchOptions::default();
    for query in queries {
        // Counted now, on the first segment.
        index.search(query, &options).unwrap();
    }
    let input = dir.path().join("later.jsonl");
    std::fs::write(&input, later.join("\n")).unwrap();
    let batch = ingest_paths(&[input], &IngestOptions::default());
    index.write(&batch.documents).unwrap();
    // A collection written at once holds the same documents.
    let mut all: Vec<&str> = first
        .iter()
        .filter(|d| !d.contains(r#""id":"b""#))
        .copied()
        .collect();
    all.extend(later);
    let (_fresh_dir, fresh) = index_of(&all);
    for query in queries {
        let after = index.search(query, &options).unwrap().readings;
        assert!(!after.is_empty(), "{query}");
        assert_eq!(
            after,
            fresh.search(query, &options).unwrap().readings,
            "{query}"
        );
    }
}
