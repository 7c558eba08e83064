//! A few old-dated documents among a steady stream: the tables keep every week, the charts show
//! the recent ones, weeks of a few stray documents are marked `low_volume` (no flag, no share
//! drawn), and the stray dates are listed for checking. Documents written for this test.

mod common;

use chrono::{Duration, NaiveDate};
use nhip_index::NhipIndex;
use polars::prelude::*;

const PLACES: [&str; 10] = [
    "Minh Tân",
    "Đông Hòa",
    "Tân Lập",
    "Hòa Bình",
    "Phước Sơn",
    "An Khê",
    "Bắc Sơn",
    "Quảng Phú",
    "Yên Thế",
    "Cẩm Xuyên",
];

/// First Monday of the steady stream.
fn bulk_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()
}
const BULK_WEEKS: i64 = 20;
const PER_WEEK: usize = 30;

/// Ids and dates of the stray documents: three far older than the stream, one six weeks
/// before it (a low-volume week, but not far enough to be a date outlier).
fn strays() -> Vec<(&'static str, NaiveDate)> {
    vec![
        ("old-2023-05", NaiveDate::from_ymd_opt(2023, 5, 10).unwrap()),
        (
            "old-2023-11",
            NaiveDate::from_ymd_opt(2023, 11, 15).unwrap(),
        ),
        ("old-2024-03", NaiveDate::from_ymd_opt(2024, 3, 20).unwrap()),
        ("stray-recent", bulk_start() - Duration::weeks(6)),
    ]
}

fn line(id: &str, day: NaiveDate, body: &str) -> String {
    format!(
        r#"{{"id":"{id}","title":"{body}","body":"{body} Người dân mong chính quyền sớm có biện pháp.","source":"Báo Làng Mới","published_at":"{day}T08:00:00+07:00"}}"#
    )
}

fn build(dir: &std::path::Path) -> (NhipIndex, Vec<nhip_trends::Topic>) {
    let mut lines = Vec::new();
    for week in 0..BULK_WEEKS {
        for i in 0..PER_WEEK {
            let day = bulk_start() + Duration::weeks(week) + Duration::days((i % 7) as i64);
            let place = PLACES[i % PLACES.len()];
            // A tenth of the stream is about landslides: a share of about 10%.
            let body = if i % 10 == 0 {
                format!("Sạt lở đất ở xã {place} tuần {week}, bài {i}.")
            } else {
                format!("Xã {place} sửa đường liên xóm tuần {week}, bài {i}.")
            };
            lines.push(line(&format!("w{week}-{i}"), day, &body));
        }
    }
    for (id, day) in strays() {
        // Each stray is about landslides: alone in its week, a 100% share.
        lines.push(line(id, day, &format!("Sạt lở bờ sông, tin cũ {id}.")));
    }
    let index = common::index_json_lines(dir, &lines);
    let topics = nhip_trends::parse_topics(
        "[[topic]]\nname = \"landslide\"\nlabel = \"Sạt lở\"\nquery = '\"sat lo\"'\n",
        std::path::Path::new("topics.toml"),
    )
    .unwrap();
    (index, topics)
}

fn column<T>(table: &DataFrame, name: &str, read: impl Fn(&Series) -> Vec<T>) -> Vec<T> {
    read(table.column(name).unwrap().as_materialized_series())
}

#[test]
fn tables_keep_every_week_and_mark_the_thin_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (index, topics) = build(dir.path());
    let options = nhip_trends::TrendOptions {
        by_source: false,
        weeks_shown: 12,
    };
    let report = nhip_trends::weekly_topics_with(&index, &topics, &options).unwrap();
    let weeks: Vec<NaiveDate> = report.weeks.iter().map(|w| w.start).collect();
    // Every week from the oldest stray to the last, in the table.
    assert_eq!(weeks[0], NaiveDate::from_ymd_opt(2023, 5, 8).unwrap());
    let last = bulk_start() + Duration::weeks(BULK_WEEKS - 1);
    assert_eq!(*weeks.last().unwrap(), last);
    assert_eq!(report.table.height(), weeks.len());

    let low = column(&report.table, "low_volume", |s| {
        s.bool().unwrap().iter().map(|v| v.unwrap()).collect()
    });
    let flags: Vec<String> = column(&report.table, "flag", |s| {
        s.str()
            .unwrap()
            .iter()
            .map(|v| v.unwrap().to_string())
            .collect()
    });
    let baseline: Vec<Option<f64>> = column(&report.table, "baseline", |s| {
        s.f64().unwrap().iter().collect()
    });
    for (i, week) in weeks.iter().enumerate() {
        let in_bulk = *week >= bulk_start();
        // Stray weeks (one document) and empty weeks are far below the usual 30.
        assert_eq!(low[i], !in_bulk, "week {week}");
        if !in_bulk {
            assert_eq!(flags[i], "normal", "week {week}");
        }
    }
    // The first weeks of the stream have no history of ordinary weeks: no baseline, no flag,
    // though the stray weeks before them held a 100% share.
    let first = weeks.iter().position(|w| *w == bulk_start()).unwrap();
    assert_eq!(baseline[first], None);
    assert_eq!(baseline[first + 1], None);
    assert!(flags[first..].iter().all(|f| f == "normal"), "{flags:?}");
    // The last 12 weeks are shown.
    assert_eq!(report.shown_start(), weeks.len() - 12);
}

#[test]
fn low_volume_rule() {
    let totals = [0, 1, 30, 28, 33, 2, 31, 29, 3, 30];
    // Median of the weeks with documents: 29.5; under 10% of it is low.
    assert_eq!(
        nhip_trends::low_volume_weeks(&totals, 52),
        [true, true, false, false, false, true, false, false, false, false]
    );
    // Judged over the shown weeks only.
    let totals = [1, 1, 1, 1, 100, 100];
    assert_eq!(
        nhip_trends::low_volume_weeks(&totals, 2),
        [true, true, true, true, false, false]
    );
    assert_eq!(nhip_trends::low_volume_weeks(&[0, 0], 52), [false, false]);
}

#[test]
fn a_low_volume_week_is_never_flagged_nor_in_a_baseline() {
    // A quiet topic, then one stray week where the topic is the only document.
    let history = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9];
    assert_eq!(nhip_trends::assess_week(&history).2, "rising");
    let mut low = vec![false; history.len()];
    low[10] = true;
    assert_eq!(
        nhip_trends::assess_week_skipping(&history, &low).2,
        "normal"
    );
    // Low weeks leave the baseline: two busy weeks after eight empty ones.
    let history = [0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 5];
    let low: Vec<bool> = history.iter().map(|&d| d == 0).collect();
    let (baseline, _, flag) = nhip_trends::assess_week_skipping(&history, &low);
    assert_eq!(baseline, Some(5.0));
    assert_eq!(flag, "normal");
}

#[test]
fn charts_show_recent_weeks_without_share_spikes() {
    let dir = tempfile::tempdir().unwrap();
    let (index, topics) = build(dir.path());
    // 52 weeks shown: the recent stray week is inside the window, the 2023–24 ones are not.
    let report =
        nhip_trends::weekly_topics_with(&index, &topics, &nhip_trends::TrendOptions::default())
            .unwrap();
    let runs = nhip_trends::charts::overview_runs(&report, 1);
    let shown = &report.weeks[report.shown_start()..];
    assert_eq!(shown.len(), 52);
    let stray_week = shown
        .iter()
        .position(|w| w.start == bulk_start() - Duration::weeks(6))
        .unwrap();
    let points: Vec<(i32, f64)> = runs[0].iter().flatten().copied().collect();
    assert!(points.iter().all(|&(x, _)| x != stray_week as i32));
    // Every drawn share is the stream's, about 10%: no 100% spike.
    assert!(points.iter().all(|&(_, s)| s < 20.0), "{points:?}");
    assert_eq!(points.len(), BULK_WEEKS as usize);

    let out = dir.path().join("out");
    let written = nhip_trends::charts::write_charts(&out, &report, &topics, &[]).unwrap();
    assert_eq!(written.len(), 2);
    for path in written {
        let svg = std::fs::read_to_string(&path).unwrap();
        // Week labels are dd/mm/yy text lines: nothing of 2023 or 2024 is drawn.
        let labels: Vec<&str> = svg
            .lines()
            .filter(|l| {
                let b = l.trim().as_bytes();
                b.len() == 8 && b[2] == b'/' && b[5] == b'/'
            })
            .collect();
        assert!(
            labels.iter().any(|l| l.ends_with("/26")),
            "{}: {labels:?}",
            path.display()
        );
        assert!(
            !labels
                .iter()
                .any(|l| l.ends_with("/23") || l.ends_with("/24")),
            "{}: {labels:?}",
            path.display()
        );
    }
}

#[test]
fn stray_dates_are_listed_with_their_ids() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = build(dir.path());
    let found = nhip_trends::outliers::date_outliers(&index, 100).unwrap();
    let mut ids: Vec<&str> = found.listed.iter().map(|o| o.id.as_str()).collect();
    // Furthest first.
    assert_eq!(ids[0], "old-2023-05");
    ids.sort_unstable();
    assert_eq!(ids, ["old-2023-05", "old-2023-11", "old-2024-03"]);
    assert_eq!(found.total, 3);
    assert_eq!(found.sources.len(), 1);
    assert_eq!(found.sources[0].source, "Báo Làng Mới");
    assert!(found.listed.iter().all(|o| o.weeks_from_bulk < -50));
    // The cap lists fewer, the total still counts them all.
    let capped = nhip_trends::outliers::date_outliers(&index, 1).unwrap();
    assert_eq!((capped.total, capped.listed.len()), (3, 1));
}
