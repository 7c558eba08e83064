//! The brief written from an index and the one written from counts alone (`nhip trends
//! --counts`, the Spark path) differ only in the highlighted topics' document lists, also when
//! a highlighted topic has no document in the week. Documents written for this test.

mod common;

use chrono::{Duration, NaiveDate};
use nhip_index::NhipIndex;

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}
const WEEKS: i64 = 6;

fn line(id: &str, day: NaiveDate, body: &str) -> String {
    format!(
        r#"{{"id":"{id}","title":"{body}","body":"{body} Cộng tác viên ghi nhận ý kiến của người dân.","source":"Báo Làng Mới","published_at":"{day}T08:00:00+07:00"}}"#
    )
}

/// Roads every week, more in the last; floods in every week but the last, so the flood topic
/// falls to zero and is highlighted with no document to list, beside the rising roads.
fn build(dir: &std::path::Path) -> (NhipIndex, Vec<nhip_trends::Topic>) {
    let mut lines = Vec::new();
    for week in 0..WEEKS {
        let last = week + 1 == WEEKS;
        for i in 0..if last { 9 } else { 6 } {
            let day = monday() + Duration::weeks(week) + Duration::days(i % 5);
            lines.push(line(
                &format!("road-{week}-{i}"),
                day,
                &format!("Xã sửa đường liên thôn, tuần {week} bài {i}."),
            ));
            if !last && i < 3 {
                lines.push(line(
                    &format!("flood-{week}-{i}"),
                    day,
                    &format!("Ngập lụt sau mưa lớn ở xóm bãi, tuần {week} bài {i}."),
                ));
            }
        }
    }
    let index = common::index_json_lines(dir, &lines);
    let topics = nhip_trends::parse_topics(
        "[[topic]]\nname = \"roads\"\nlabel = \"Đường sá\"\nquery = '\"sua duong\"'\n\n\
         [[topic]]\nname = \"floods\"\nlabel = \"Ngập lụt\"\nquery = '\"ngap lut\"'\n",
        std::path::Path::new("topics.toml"),
    )
    .unwrap();
    (index, topics)
}

/// The lines `pipelines/spark/compare.py` compares: all but the document lists.
fn without_document_lists(brief: &str) -> Vec<&str> {
    brief
        .lines()
        .filter(|l| {
            !l.starts_with("- **")
                && !l.starts_with("  ")
                && !l.starts_with("Văn bản tiêu biểu")
                && !l.starts_with("Không có văn bản nào trong tuần")
        })
        .collect()
}

#[test]
fn briefs_from_the_index_and_from_counts_differ_only_in_document_lists() {
    let dir = tempfile::tempdir().unwrap();
    let (index, topics) = build(dir.path());
    let report =
        nhip_trends::weekly_topics_with(&index, &topics, &nhip_trends::TrendOptions::default())
            .unwrap();
    let forecasts = nhip_trends::forecast::forecast_all(&report, &topics).unwrap();
    let emerging = nhip_trends::emerging::emerging_terms(&index, &report).unwrap();
    let write = |name: &str, index: Option<&NhipIndex>| {
        let out = dir.path().join(name);
        let (md, _) =
            nhip_trends::brief::write_brief(&out, index, &report, &topics, &forecasts, &emerging)
                .unwrap();
        std::fs::read_to_string(md).unwrap()
    };
    let from_index = write("single", Some(&index));
    let from_counts = write("counts", None);

    assert!(
        from_index.contains("### Ngập lụt")
            && from_index.contains("Không có văn bản nào trong tuần."),
        "the falling topic is highlighted with no document:\n{from_index}"
    );
    assert!(from_index.contains("- **Xã sửa đường"), "{from_index}");
    for brief in [&from_index, &from_counts] {
        assert!(!brief.contains("\n\n\n"), "no double blank line:\n{brief}");
    }
    assert_eq!(
        without_document_lists(&from_index),
        without_document_lists(&from_counts)
    );
}
