//! Exploring: pages at any offset in the same order as a search, facets and weeks from the same
//! pass, story members.

use nhip_index::{parse_query, ExploreOptions, NhipIndex, SearchOptions, SortOrder};
use nhip_ingest::{ingest_paths, IngestOptions};
use std::sync::Arc;

fn index_of(lines: &[String]) -> (tempfile::TempDir, NhipIndex) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, lines.join("\n")).unwrap();
    let batch = ingest_paths(&[input], &IngestOptions::default());
    assert!(batch.rejects.is_empty(), "{:?}", batch.rejects);
    let index = NhipIndex::open_or_create(&dir.path().join("index")).unwrap();
    index.write(&batch.documents).unwrap();
    (dir, index)
}

fn documents() -> Vec<String> {
    (0..40)
        .map(|i| {
            // Pairs share a publication time (ties), every fifth is undated.
            let date = if i % 5 == 4 {
                String::new()
            } else {
                format!(r#","published_at":"2026-02-{:02}T08:00:00+07:00""#, 1 + i / 2)
            };
            let unit = if i % 3 == 0 { r#","unit":"Xã Hòa Bình""# } else { "" };
            format!(
                r#"{{"id":"d{i:02}","title":"Giá điện tăng lần {i}","body":"Giá điện {} tăng.","source":"{}","kind":"{}"{date}{unit}}}"#,
                "điện ".repeat(i % 4 + 1),
                ["Báo A", "Báo B", "Đài C"][i % 3],
                ["press", "report"][i % 2],
            )
        })
        .collect()
}

#[test]
fn pages_follow_the_search_order() {
    let (_dir, index) = index_of(&documents());
    let node = parse_query("gia dien").unwrap();
    let table = Arc::new(index.facet_table().unwrap());
    for sort in [SortOrder::Relevance, SortOrder::Newest, SortOrder::Oldest] {
        let search = SearchOptions {
            limit: 100,
            sort,
            ..SearchOptions::default()
        };
        let expected: Vec<String> = index
            .search_node(&node, &search)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(expected.len(), 40);
        let mut paged = Vec::new();
        for offset in (0..40).step_by(6) {
            let options = ExploreOptions {
                search: SearchOptions {
                    limit: 6,
                    offset,
                    ..search.clone()
                },
                facets: offset == 0,
                weeks: offset == 0,
            };
            let page = index.explore(&node, &options, Some(&table)).unwrap();
            assert_eq!(page.total, 40);
            paged.extend(page.hits.into_iter().map(|h| h.id));
        }
        assert_eq!(paged, expected, "{sort:?}");
        let all: Vec<String> = index
            .all_matches(&node, &search)
            .unwrap()
            .into_iter()
            .map(|(_, address)| index.load(address).unwrap().id)
            .collect();
        assert_eq!(all, expected, "{sort:?}");
    }
}

#[test]
fn facets_and_weeks_count_the_hits() {
    let (_dir, index) = index_of(&documents());
    let table = Arc::new(index.facet_table().unwrap());
    let options = ExploreOptions {
        search: SearchOptions {
            limit: 3,
            ..SearchOptions::default()
        },
        facets: true,
        weeks: true,
    };
    let node = parse_query("gia dien kind:report").unwrap();
    let results = index.explore(&node, &options, Some(&table)).unwrap();
    assert_eq!(results.total, 20);
    let facets = results.facets.unwrap();
    let kinds: Vec<(&str, u64)> = facets
        .kind
        .iter()
        .map(|f| (f.value.as_str(), f.docs))
        .collect();
    assert_eq!(kinds, [("report", 20)]);
    let sources: u64 = facets.source.iter().map(|f| f.docs).sum();
    assert_eq!(sources, 20);
    assert!(facets.source.iter().any(|f| f.value == "Đài C"));
    // Odd i with i % 3 == 0: 3, 9, 15, 21, 27, 33, 39.
    assert_eq!(facets.unit.len(), 1);
    assert_eq!(
        (facets.unit[0].value.as_str(), facets.unit[0].docs),
        ("Xã Hòa Bình", 7)
    );
    let weeks = results.weeks.unwrap();
    // Odd i: undated when i % 5 == 4 (9, 19, 29, 39).
    assert_eq!(weeks.undated, 4);
    assert_eq!(weeks.weeks.iter().map(|w| w.docs).sum::<u64>(), 16);
    // 1 February 2026 is a Sunday: its week starts on 26 January.
    assert_eq!(weeks.weeks[0].week_start.to_string(), "2026-01-26");
    assert!(weeks
        .weeks
        .windows(2)
        .all(|w| (w[1].week_start - w[0].week_start).num_days() == 7));
}
