//! Near-duplicate documents (syndicated copies with small edits) share a story id, within a
//! batch and across batches.

use nhip_index::NhipIndex;
use nhip_ingest::{ingest_paths, IngestOptions};

const BODY: &str = "Nhiều tuyến đường tại xã Minh Tân bị ngập sâu, giao thông bị chia cắt. Người dân được hỗ trợ di dời tài sản đến nơi an toàn trong đêm. Chính quyền huy động lực lượng ứng cứu kịp thời.";

fn line(id: &str, title: &str, body: &str) -> String {
    format!(
        r#"{{"id":"{id}","title":"{title}","body":"{body}","published_at":"2026-03-02T08:00:00+07:00"}}"#
    )
}

fn write(index: &NhipIndex, dir: &std::path::Path, name: &str, lines: &[String]) {
    let input = dir.join(name);
    std::fs::write(&input, lines.join("\n")).unwrap();
    let batch = ingest_paths(&[input], &IngestOptions::default());
    index.write(&batch.documents).unwrap();
}

fn story(index: &NhipIndex, id: &str) -> u64 {
    let matches = index.dated_matches(None).unwrap();
    let hit = index.get(id).unwrap().expect("indexed");
    matches
        .iter()
        .find(|m| index.load(m.address).unwrap().id == hit.id)
        .and_then(|m| m.story)
        .expect("every document has a story")
}

#[test]
fn copies_share_a_story_and_other_texts_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let index = NhipIndex::open_or_create(&dir.path().join("index")).unwrap();
    let edited = BODY.replace("đến nơi an toàn", "tới nơi an toàn");
    write(
        &index,
        dir.path(),
        "a.jsonl",
        &[
            line("original", "Mưa lớn gây ngập ở Minh Tân", BODY),
            line("copy", "Mưa lớn gây ngập úng ở Minh Tân", &edited),
            line(
                "other",
                "Giá vàng tăng",
                "Giá vàng trong nước tăng mạnh theo giá thế giới, nhiều người xếp hàng chờ mua.",
            ),
        ],
    );
    assert_eq!(story(&index, "copy"), story(&index, "original"));
    assert_ne!(story(&index, "other"), story(&index, "original"));

    // A later batch: another copy joins the existing story.
    let later = BODY.replace("kịp thời", "ngay trong đêm");
    write(
        &index,
        dir.path(),
        "b.jsonl",
        &[line("later-copy", "Ngập sâu ở xã Minh Tân", &later)],
    );
    assert_eq!(story(&index, "later-copy"), story(&index, "original"));
}
