//! End-to-end tests of the `nhip` binary on the shipped sample (`data/sample`).
//!
//! The weekly counts are checked against an independent recount: this file parses the sample
//! with its own code (serde_json, its own header reader, its own accent folding and week
//! arithmetic) and never calls the nhip libraries.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use unicode_normalization::UnicodeNormalization;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn nhip(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_nhip"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("nhip runs");
    output
}

fn nhip_ok(args: &[&str]) -> String {
    let output = nhip(args);
    assert!(
        output.status.success(),
        "nhip {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Runs the weekly pipeline once into a temporary folder.
fn run_sample() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    nhip_ok(&[
        "run",
        "pipelines/weekly.toml",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    out
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).expect("table written");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    lines
        .map(|line| {
            // Only the label column holds commas, always quoted.
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut quoted = false;
            for c in line.chars() {
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => cells.push(std::mem::take(&mut cell)),
                    c => cell.push(c),
                }
            }
            cells.push(cell);
            header.iter().map(|h| h.to_string()).zip(cells).collect()
        })
        .collect()
}

/// A table written by the pipeline: its CSV rows, after checking its Parquet twin exists.
fn table(out: &Path, name: &str) -> Vec<BTreeMap<String, String>> {
    let parquet = out.join(format!("{name}.parquet"));
    assert!(
        parquet.metadata().map(|m| m.len() > 0).unwrap_or(false),
        "{} written",
        parquet.display()
    );
    read_csv(&out.join(format!("{name}.csv")))
}

// ---- the independent recount ----

struct SampleDoc {
    text: String,
    report: bool,
    published: Option<DateTime<FixedOffset>>,
}

fn accent_free(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .collect::<String>()
        .to_lowercase()
}

fn words(text: &str) -> Vec<String> {
    accent_free(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

fn contains_sequence(haystack: &[String], phrase: &str) -> bool {
    let needle: Vec<String> = phrase.split(' ').map(String::from).collect();
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_slice())
}

fn parse_time(value: &str) -> Option<DateTime<FixedOffset>> {
    let vn = FixedOffset::east_opt(7 * 3600).unwrap();
    DateTime::parse_from_rfc3339(value).ok().or_else(|| {
        chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M")
            .ok()
            .or_else(|| {
                NaiveDate::parse_from_str(value, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
            .and_then(|n| n.and_local_timezone(vn).single())
    })
}

/// Every document of the sample, exact duplicates and malformed lines dropped.
fn sample_documents() -> Vec<SampleDoc> {
    let sample = root().join("data/sample");
    let mut docs = Vec::new();
    let mut seen_ids = HashSet::new();
    let mut seen_text = HashSet::new();
    let mut keep = |id: String,
                    title: &str,
                    body: &str,
                    published: Option<DateTime<FixedOffset>>,
                    report: bool| {
        let text: String = format!("{}\n{}", title.trim(), body.trim()).nfc().collect();
        if seen_ids.insert(id.clone()) && seen_text.insert(text.clone()) {
            docs.push(SampleDoc {
                text,
                published,
                report,
            });
        }
    };
    for line in std::fs::read_to_string(sample.join("press.jsonl"))
        .unwrap()
        .lines()
    {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        keep(
            field("id"),
            &field("title"),
            &field("body"),
            parse_time(&field("published_at")),
            field("kind") == "report",
        );
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(sample.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let (header, body) = match text.strip_prefix("---\n") {
            Some(rest) => rest.split_once("\n---\n").unwrap(),
            None => match text.split_once("\n\n") {
                Some((h, b)) if h.lines().all(|l| l.contains(": ")) => (h, b),
                _ => ("", text.as_str()),
            },
        };
        let mut title = String::new();
        let mut date = None;
        for line in header.lines() {
            if let Some(v) = line.strip_prefix("title: ") {
                title = v.to_string();
            }
            if let Some(v) = line.strip_prefix("date: ") {
                date = parse_time(v);
            }
        }
        keep(file.display().to_string(), &title, body, date, true);
    }
    docs
}

fn monday_in_vietnam(t: DateTime<FixedOffset>) -> NaiveDate {
    let local = t
        .with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap())
        .date_naive();
    local - Duration::days(local.weekday().num_days_from_monday() as i64)
}

#[test]
fn weekly_counts_match_an_independent_recount() {
    let out = run_sample();
    let rows = read_csv(&out.path().join("weekly_topics.csv"));
    let docs = sample_documents();

    // "corruption" is '"tham nhung" OR "hoi lo"' in pipelines/topics.toml.
    let mut expected: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    let mut expected_reports: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    let mut totals: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for doc in &docs {
        let Some(published) = doc.published else {
            continue;
        };
        let week = monday_in_vietnam(published);
        *totals.entry(week).or_default() += 1;
        let w = words(&doc.text);
        if contains_sequence(&w, "tham nhung") || contains_sequence(&w, "hoi lo") {
            *expected.entry(week).or_default() += 1;
            if doc.report {
                *expected_reports.entry(week).or_default() += 1;
            }
        }
    }
    let corruption: Vec<_> = rows.iter().filter(|r| r["topic"] == "corruption").collect();
    assert_eq!(
        corruption.len(),
        totals.len(),
        "one row per week of the sample"
    );
    assert_eq!(corruption.len(), 20);
    for row in &corruption {
        let week: NaiveDate = row["week_start"].parse().unwrap();
        assert_eq!(
            row["docs"].parse::<i64>().unwrap(),
            expected.get(&week).copied().unwrap_or(0),
            "week {week}"
        );
        assert_eq!(
            row["total_docs"].parse::<i64>().unwrap(),
            totals[&week],
            "total of week {week}"
        );
        let reports = expected_reports.get(&week).copied().unwrap_or(0);
        assert_eq!(
            row["reports"].parse::<i64>().unwrap(),
            reports,
            "reports of week {week}"
        );
        assert_eq!(
            row["press"].parse::<i64>().unwrap(),
            expected.get(&week).copied().unwrap_or(0) - reports,
            "press of week {week}"
        );
    }
    assert!(
        expected.values().sum::<i64>() > 40,
        "the topic is well represented"
    );
    assert!(expected.values().any(|&n| n == 0) || corruption.iter().any(|r| r["docs"] != "0"));
}

#[test]
fn change_baseline_and_flags_follow_the_counts() {
    let out = run_sample();
    let rows = read_csv(&out.path().join("weekly_topics.csv"));
    let topics: BTreeSet<&str> = rows.iter().map(|r| r["topic"].as_str()).collect();
    for topic in topics {
        let series: Vec<&BTreeMap<String, String>> =
            rows.iter().filter(|r| r["topic"] == topic).collect();
        let docs: Vec<i64> = series.iter().map(|r| r["docs"].parse().unwrap()).collect();
        for (t, row) in series.iter().enumerate() {
            let change = if t == 0 {
                String::new()
            } else {
                (docs[t] - docs[t - 1]).to_string()
            };
            assert_eq!(row["change"], change, "{topic} week {t}");
            // Mean of the 8 weeks before the previous one.
            let window: Vec<i64> = docs[..t.saturating_sub(1)]
                .iter()
                .rev()
                .take(8)
                .copied()
                .collect();
            if window.is_empty() {
                assert_eq!(row["baseline"], "", "{topic} week {t}");
                assert_eq!(row["flag"], "normal");
            } else {
                let baseline = window.iter().sum::<i64>() as f64 / window.len() as f64;
                let got: f64 = row["baseline"].parse().unwrap();
                assert!(
                    (got - baseline).abs() < 1e-9,
                    "{topic} week {t}: {got} vs {baseline}"
                );
                let p: f64 = row["p_value"].parse().unwrap();
                assert!((0.0..=1.0).contains(&p));
                let flag = row["flag"].as_str();
                assert!(["rising", "falling", "normal"].contains(&flag));
                if flag == "rising" {
                    assert!(
                        p < 0.01 && docs[t] as f64 > baseline && docs[t] >= 3,
                        "{topic} week {t}"
                    );
                }
            }
        }
    }
    let flag = |topic: &str, week: &str| {
        rows.iter()
            .find(|r| r["topic"] == topic && r["week_start"] == week)
            .map(|r| r["flag"].clone())
            .unwrap()
    };
    // The sample's stories: a corruption trial in early January, flooding fading in December.
    assert_eq!(flag("corruption", "2026-01-05"), "rising");
    assert_eq!(flag("flooding", "2026-01-05"), "falling");
}

#[test]
fn forecasts_follow_the_last_week() {
    let out = run_sample();
    let rows = table(out.path(), "forecast");
    assert_eq!(rows.len(), 7 * 2 * 4, "7 topics, 2 methods, 4 weeks");
    for row in &rows {
        let horizon: usize = row["horizon"].parse().unwrap();
        let expected_week = ["2026-03-23", "2026-03-30", "2026-04-06", "2026-04-13"][horizon - 1];
        assert_eq!(row["week_start"], expected_week);
        let v = |k: &str| row[k].parse::<f64>().unwrap();
        assert!(
            v("lower_95") <= v("lower_80") && v("lower_80") <= v("forecast"),
            "{row:?}"
        );
        assert!(
            v("forecast") <= v("upper_80") && v("upper_80") <= v("upper_95"),
            "{row:?}"
        );
        assert!(v("lower_95") >= 0.0);
        assert!(["ets", "seasonal_naive"].contains(&row["method"].as_str()));
        assert_eq!(row["backtest_weeks"], "12");
        assert!(v("backtest_mae") >= 0.0);
    }
    // The naive forecast is the last observed week.
    let weekly = read_csv(&out.path().join("weekly_topics.csv"));
    let last_school_fees = weekly
        .iter()
        .rfind(|r| r["topic"] == "school_fees")
        .unwrap()["docs"]
        .clone();
    let naive = rows
        .iter()
        .find(|r| r["topic"] == "school_fees" && r["method"] == "seasonal_naive")
        .unwrap();
    assert_eq!(
        naive["forecast"].parse::<f64>().unwrap(),
        last_school_fees.parse::<f64>().unwrap()
    );
}

#[test]
fn emerging_terms_are_significant_and_show_their_documents() {
    let out = run_sample();
    let index = out.path().join("index");
    let rows = read_csv(&out.path().join("emerging_terms.csv"));
    assert!(rows.len() > 20, "{} rows", rows.len());
    let stop: Vec<String> = std::fs::read_to_string(root().join("data/stopwords.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(String::from)
        .collect();
    for row in &rows {
        let rank: usize = row["rank"].parse().unwrap();
        assert!((1..=10).contains(&rank));
        assert!(row["g2"].parse::<f64>().unwrap() >= 6.63);
        let docs: usize = row["docs"].parse().unwrap();
        assert!(docs >= 3);
        assert!(row["docs"].parse::<f64>().unwrap() > row["baseline_docs"].parse::<f64>().unwrap());
        assert!(!stop.contains(&row["term"]), "{}", row["term"]);
        // The term's syllables appear in at least `docs` documents of that week.
        let start: NaiveDate = row["week_start"].parse().unwrap();
        let end = (start + Duration::days(6)).to_string();
        let phrase = format!("\"{}\"", row["term"]);
        let stdout = nhip_ok(&[
            "search",
            "--index",
            index.to_str().unwrap(),
            "--json",
            "--limit",
            "1000",
            "--since",
            &row["week_start"],
            "--until",
            &end,
            &phrase,
        ]);
        let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert!(
            answer["hits"].as_array().unwrap().len() >= docs,
            "{phrase} in week {start}"
        );
        let examples: Vec<&str> = row["example_ids"].split(' ').collect();
        assert_eq!(examples.len(), docs.min(3));
        for id in examples {
            let shown = nhip_ok(&["show", "--index", index.to_str().unwrap(), id]).to_lowercase();
            assert!(shown.contains(&row["term"]), "{id} lacks {}", row["term"]);
        }
    }
}

#[test]
fn charts_and_brief_for_the_last_week() {
    let out = run_sample();
    let charts = out.path().join("charts");
    for name in [
        "overview",
        "flooding",
        "land_disputes",
        "prices",
        "traffic_accidents",
        "corruption",
        "school_fees",
        "health",
    ] {
        let svg = std::fs::read_to_string(charts.join(format!("{name}.svg"))).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{name}"
        );
    }
    let school = std::fs::read_to_string(charts.join("school_fees.svg")).unwrap();
    assert!(school.contains("Học phí, khoản thu trường học") && school.contains("dự báo"));

    let brief = std::fs::read_to_string(out.path().join("brief.md")).unwrap();
    assert!(
        brief.starts_with("# Bản tin tuần 2026-W12 (16/03/2026 – 22/03/2026)"),
        "{brief}"
    );
    for section in [
        "## Chủ đề tăng",
        "## Chủ đề giảm",
        "## Từ khóa nổi lên",
        "## Chủ đề nổi bật",
    ] {
        assert!(brief.contains(section), "{section}");
    }
    // School fees is flagged in the last week: highlighted with its chart, forecast and documents.
    let highlight = brief
        .split("### Học phí, khoản thu trường học")
        .nth(1)
        .expect("school fees highlighted");
    assert!(highlight.contains("charts/school_fees.svg") && highlight.contains("Dự báo"));
    let ids: Vec<&str> = highlight
        .split("id `")
        .skip(1)
        .map(|s| s.split('`').next().unwrap())
        .take(3)
        .collect();
    assert_eq!(ids.len(), 3);
    for id in ids {
        let shown = nhip_ok(&[
            "show",
            "--index",
            out.path().join("index").to_str().unwrap(),
            id,
        ]);
        assert!(
            shown.contains("2026-03-1") || shown.contains("2026-03-2"),
            "{id} is from the last week"
        );
        assert!(shown.to_lowercase().contains("học phí"));
    }
    let html = std::fs::read_to_string(out.path().join("brief.html")).unwrap();
    assert!(html.contains("<table>") && html.contains("src=\"charts/school_fees.svg\""));
    assert!(html.contains("<meta charset=\"utf-8\">"));
}

#[test]
fn by_source_rows_add_up_to_the_overall_rows() {
    let out = run_sample();
    let by = out.path().join("by-source");
    let index = out.path().join("index");
    nhip_ok(&[
        "trends",
        "--index",
        index.to_str().unwrap(),
        "--topics",
        "pipelines/topics.toml",
        "--out",
        by.to_str().unwrap(),
        "--by",
        "source",
    ]);
    let rows = read_csv(&by.join("weekly_topics.csv"));
    let sources: BTreeSet<&str> = rows.iter().map(|r| r["source"].as_str()).collect();
    assert!(
        sources.contains("(all)") && sources.contains("Báo Tỉnh Nhà") && sources.len() >= 5,
        "{sources:?}"
    );
    let mut overall: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    let mut summed: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for row in &rows {
        let key = (row["topic"].clone(), row["week_start"].clone());
        let value = (
            row["docs"].parse::<i64>().unwrap(),
            row["total_docs"].parse::<i64>().unwrap(),
        );
        let target = if row["source"] == "(all)" {
            &mut overall
        } else {
            &mut summed
        };
        let entry = target.entry(key).or_default();
        entry.0 += value.0;
        entry.1 += value.1;
        let share: f64 = row["share"].parse().unwrap();
        assert!(value.1 == 0 || (share - value.0 as f64 / value.1 as f64).abs() < 1e-9);
    }
    assert_eq!(overall, summed, "every document has exactly one source");
}

#[test]
fn tables_have_every_topic_and_week() {
    let out = run_sample();
    let rows = table(out.path(), "weekly_topics");
    let topics: BTreeSet<&str> = rows.iter().map(|r| r["topic"].as_str()).collect();
    assert_eq!(topics.len(), 7);
    assert_eq!(rows.len(), 7 * 20);
    for topic in &topics {
        let weeks: Vec<(&str, &str, &str)> = rows
            .iter()
            .filter(|r| r["topic"] == *topic)
            .map(|r| {
                (
                    r["iso_year"].as_str(),
                    r["iso_week"].as_str(),
                    r["week_start"].as_str(),
                )
            })
            .collect();
        assert_eq!(weeks.first(), Some(&("2025", "45", "2025-11-03")));
        assert_eq!(weeks.last(), Some(&("2026", "12", "2026-03-16")));
        // 2025-12-29 is the Monday of ISO week 1 of 2026.
        assert!(weeks.contains(&("2026", "1", "2025-12-29")));
    }
    for row in &rows {
        let (docs, total): (f64, f64) = (
            row["docs"].parse().unwrap(),
            row["total_docs"].parse().unwrap(),
        );
        let share: f64 = row["share"].parse().unwrap();
        assert!((share - docs / total).abs() < 1e-9);
        let stories: f64 = row["stories"].parse().unwrap();
        assert!(
            stories <= docs && (docs == 0.0) == (stories == 0.0),
            "{row:?}"
        );
    }
    // The item published 2026-01-04T18:30Z is Monday 01:30 in Hà Nội: week 2 of 2026.
    let ids = search_ids(&out.path().join("index"), "\"cầu Đông Sơn\"");
    assert_eq!(ids, ["ptth-tz-boundary"]);
}

#[test]
fn summary_and_rejects_account_for_every_record() {
    let out = run_sample();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("summary.json")).unwrap())
            .unwrap();
    let ingest = &summary["ingest"];
    let n = |k: &str| ingest[k].as_u64().unwrap();
    assert_eq!(
        n("records"),
        n("documents") + n("rejected") + n("duplicates")
    );
    assert_eq!(n("rejected"), 1);
    assert_eq!(n("duplicates"), 3);
    assert_eq!(n("undated"), 4);
    assert_eq!(n("documents"), sample_documents().len() as u64);
    assert_eq!(summary["documents_in_index"].as_u64(), Some(n("documents")));
    assert_eq!(summary["undated_left_out_of_trends"].as_u64(), Some(4));
    let rejects = std::fs::read_to_string(out.path().join("rejects.jsonl")).unwrap();
    let reject: serde_json::Value = serde_json::from_str(rejects.trim()).unwrap();
    assert!(reject["file"]
        .as_str()
        .unwrap()
        .ends_with("data/sample/press.jsonl"));
    assert_eq!(reject["line"].as_u64(), Some(154));
    assert!(reject["reason"]
        .as_str()
        .unwrap()
        .starts_with("invalid JSON"));
}

fn search_ids(index: &Path, query: &str) -> Vec<String> {
    let stdout = nhip_ok(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "--limit",
        "100000",
        query,
    ]);
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn search_with_and_without_diacritics() {
    let out = run_sample();
    let index = out.path().join("index");
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let exact = sorted(search_ids(&index, "\"sạt lở\""));
    let folded = sorted(search_ids(&index, "\"sat lo\""));
    assert!(exact.len() > 10);
    assert_eq!(exact, folded);

    // Reports typed without diacritics are found only by the accent-free query.
    let exact: BTreeSet<String> = search_ids(&index, "tham nhũng").into_iter().collect();
    let folded: BTreeSet<String> = search_ids(&index, "tham nhung").into_iter().collect();
    assert!(exact.is_subset(&folded));
    let only_folded: Vec<&String> = folded.difference(&exact).collect();
    assert!(!only_folded.is_empty());
    for id in only_folded {
        let text = nhip_ok(&["show", "--index", index.to_str().unwrap(), id]);
        assert!(
            text.contains("tham nhung") && !text.contains("tham nhũng"),
            "{text}"
        );
    }

    // Tone placement does not matter: "hoà" and "hòa" find the same documents.
    assert_eq!(
        sorted(search_ids(&index, "\"Hoà Bình\"")),
        sorted(search_ids(&index, "\"Hòa Bình\""))
    );
    // With diacritics the match is exact: "bán" does not find "bàn".
    assert!(search_ids(&index, "\"lúa\"").len() > search_ids(&index, "\"lụa\"").len());

    let json = nhip_ok(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "--limit",
        "1",
        "\"sạt lở\"",
    ]);
    let answer: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(answer["understood"], "\"sạt lở\"");
    let hit = &answer["hits"][0];
    for key in [
        "id",
        "title",
        "published_at",
        "source",
        "kind",
        "score",
        "snippet",
    ] {
        assert!(!hit[key].is_null(), "{key} in {hit}");
    }
    let snippet = hit["snippet"].as_str().unwrap();
    let marked: Vec<&str> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &snippet[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize])
        .collect();
    // The phrase is marked as a whole where it occurs.
    assert!(
        !marked.is_empty() && marked.iter().all(|m| m.to_lowercase() == "sạt lở"),
        "{marked:?}"
    );
}

#[test]
fn reindexing_the_same_input_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let args = ["index", "--index", index.to_str().unwrap(), "data/sample"];
    nhip_ok(&args);
    let count = || search_ids(&index, "kind:press OR kind:report").len();
    let first = count();
    let again = nhip(&args);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 added, 0 replaced"));
    assert_eq!(count(), first);
    assert_eq!(first, sample_documents().len());
}

#[test]
fn bad_inputs_are_rejected_and_the_rest_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(
        inputs.join("news.jsonl"),
        "{\"id\":\"ok-1\",\"title\":\"Giá điện tăng\",\"body\":\"Người dân lo lắng.\",\"published_at\":\"2026-03-02T08:00:00+07:00\"}\n\
         {\"id\":\"bad-date\",\"title\":\"x\",\"published_at\":\"tuần trước\"}\n\
         {\"id\":\"ok-2\",\"title\":\"Học phí\",\"body\":\"Phụ huynh hỏi.\"}\n",
    )
    .unwrap();
    std::fs::write(
        inputs.join("broken.jsonl"),
        b"{\"id\":\"x\",\"title\":\"Gi\xe1\"}\n",
    )
    .unwrap();
    // TCVN3 bytes are converted, not rejected.
    std::fs::write(
        inputs.join("tcvn3.txt"),
        b"title: B\xb8o c\xb8o t\xd7nh h\xd7nh\n\nN\xabng d\xa9n ph\xb6n \xb8nh",
    )
    .unwrap();
    std::fs::write(inputs.join("binary.txt"), b"\x00\x01\x02").unwrap();
    std::fs::write(inputs.join("empty.jsonl"), b"").unwrap();
    std::fs::write(inputs.join("sheet.xlsx"), b"PK").unwrap();
    let index = dir.path().join("index");
    let rejects = dir.path().join("rejects.jsonl");
    let output = nhip(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        "--rejects",
        rejects.to_str().unwrap(),
        inputs.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("news.jsonl:2: field \"published_at\""),
        "{stderr}"
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&rejects)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let reasons: Vec<String> = lines
        .iter()
        .map(|r| r["reason"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(lines.len(), 5, "{reasons:?}");
    assert_eq!(
        search_ids(&index, "\"báo cáo tình hình\"").len(),
        1,
        "the TCVN3 report is searchable"
    );
    for needle in [
        "binary content",
        "empty file",
        "published_at",
        "unsupported format",
        "invalid UTF-8",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(needle)),
            "{needle} in {reasons:?}"
        );
    }
    let mut ids = search_ids(&index, "kind:press");
    ids.sort();
    assert_eq!(ids, ["ok-1", "ok-2"]);
    assert_eq!(search_ids(&index, "kind:report").len(), 1);
}

#[test]
fn hits_per_week_and_full_exports() {
    let out = run_sample();
    let index = out.path().join("index");
    let index = index.to_str().unwrap();
    let total = search_ids(out.path().join("index").as_path(), "tham nhung").len();
    assert!(total > 10);

    let by_week = nhip_ok(&["search", "--index", index, "--by", "week", "tham nhung"]);
    let weekly: Vec<usize> = by_week
        .lines()
        .filter(|l| l.contains("-W"))
        .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        weekly.len(),
        20,
        "every week from the first hit to the last:\n{by_week}"
    );
    assert_eq!(weekly.iter().sum::<usize>(), total);
    assert!(by_week.contains("2025-12-29  2026-W01"));

    let csv_path = out.path().join("hits.csv");
    nhip_ok(&[
        "search",
        "--index",
        index,
        "--export",
        csv_path.to_str().unwrap(),
        "tham nhung",
    ]);
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    assert_eq!(reader.headers().unwrap().iter().next(), Some("id"));
    assert_eq!(reader.records().count(), total);
    let jsonl_path = out.path().join("hits.jsonl");
    nhip_ok(&[
        "search",
        "--index",
        index,
        "--export",
        jsonl_path.to_str().unwrap(),
        "tham nhung",
    ]);
    let exported: Vec<serde_json::Value> = std::fs::read_to_string(&jsonl_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(exported.len(), total);
    assert!(exported.iter().all(|h| h["snippet"]["text"].is_string()));
}

#[test]
fn malformed_queries_get_one_line_errors() {
    let out = run_sample();
    let index = out.path().join("index");
    for (query, message) in [
        ("(giá điện", "column 1: unclosed parenthesis"),
        ("a OR", "column 5"),
        ("kind:blog", "report or press"),
    ] {
        let output = nhip(&["search", "--index", index.to_str().unwrap(), query]);
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{query}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    }
}

#[test]
fn tokenize_segments_lines() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nhip"))
        .arg("tokenize")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            "Cộng tác viên báo cáo tình hình dư luận xã hội.\n\nGiá 1.250.000 đồng\n".as_bytes(),
        )
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "Cộng_tác_viên báo_cáo tình_hình dư_luận xã_hội .\n\nGiá 1.250.000 đồng\n"
    );
}

/// Writes `n` distinct documents as JSON Lines (texts written for this test).
fn many_documents(path: &Path, n: usize) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let places = ["Minh Tân", "Đông Thành", "Phú Lộc", "Quảng Thủy", "Tân Lập"];
    for i in 0..n {
        let place = places[i % places.len()];
        writeln!(
            out,
            r#"{{"id":"bulk-{i}","title":"Bản tin số {i} về {place}","body":"Người dân {place} phản ánh tình hình địa phương lần thứ {i}, đề nghị cơ quan chức năng xem xét mã hồ sơ {i}.","published_at":"2026-02-{:02}T08:00:00+07:00"}}"#,
            1 + i % 28
        )
        .unwrap();
    }
}

#[test]
fn killed_indexing_resumes_to_the_exact_count() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bulk.jsonl");
    let total = 30_000;
    many_documents(&input, total);
    let index = dir.path().join("index");
    let args = [
        "index",
        "--index",
        index.to_str().unwrap(),
        input.to_str().unwrap(),
    ];
    let count = || -> Option<usize> {
        let output = nhip(&[
            "search",
            "--index",
            index.to_str().unwrap(),
            "--json",
            "--limit",
            "1",
            "kind:press",
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        output
            .status
            .success()
            .then(|| stderr.split(' ').next().unwrap().trim().parse().unwrap())
    };

    let mut child = Command::new(env!("CARGO_BIN_EXE_nhip"))
        .args(args)
        .current_dir(root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait for a first commit, searching while the writer works, then kill it.
    let started = std::time::Instant::now();
    let mut seen_while_writing = None;
    while started.elapsed() < std::time::Duration::from_secs(120)
        && child.try_wait().unwrap().is_none()
    {
        if let Some(n) = count().filter(|&n| n > 0) {
            seen_while_writing = Some(n);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let killed_mid_way = child.try_wait().unwrap().is_none();
    child.kill().ok(); // SIGKILL
    child.wait().unwrap();
    let after_kill = count().expect("the index opens at its last commit");
    assert!(after_kill <= total);
    if killed_mid_way {
        assert!(
            seen_while_writing.is_some_and(|n| n > 0 && n < total),
            "searched while writing: {seen_while_writing:?}"
        );
        assert!(after_kill < total, "killed before the end");
    }

    nhip_ok(&args);
    assert_eq!(
        count(),
        Some(total),
        "re-running completes the index exactly"
    );
    nhip_ok(&args);
    assert_eq!(count(), Some(total), "and a third run changes nothing");
}

#[test]
fn csv_with_mapped_columns_through_a_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sheet.csv"),
        "Tiêu đề,Nội dung,Ngày,Đơn vị\nBáo cáo tuần 1,Người dân lo về học phí,05/01/2026,Xã Minh Tân\nBáo cáo tuần 2,Giá điện tăng,12/01/2026,Xã Hòa Bình\nSai ngày,x,32/01/2026,Xã A\n",
    )
    .unwrap();
    let topics = root().join("pipelines/topics.toml");
    std::fs::write(
        dir.path().join("p.toml"),
        format!(
            "[[source]]\npath = \"sheet.csv\"\nsource = \"Cộng tác viên\"\nkind = \"report\"\ncolumns = {{ title = \"Tiêu đề\", body = \"Nội dung\", published_at = \"Ngày\", unit = \"Đơn vị\" }}\n\n[index]\npath = \"idx\"\n\n[trends]\ntopics = {topics:?}\n\n[output]\ndir = \"out\"\n"
        ),
    )
    .unwrap();
    nhip_ok(&["run", dir.path().join("p.toml").to_str().unwrap()]);
    let rejects = std::fs::read_to_string(dir.path().join("out/rejects.jsonl")).unwrap();
    let reject: serde_json::Value = serde_json::from_str(rejects.trim()).unwrap();
    assert_eq!(reject["line"].as_u64(), Some(4));
    assert!(reject["reason"]
        .as_str()
        .unwrap()
        .starts_with("field \"Ngày\""));
    let hits = nhip_ok(&[
        "search",
        "--index",
        dir.path().join("idx").to_str().unwrap(),
        "--json",
        "hoc phi",
    ]);
    let answer: serde_json::Value = serde_json::from_str(hits.trim()).unwrap();
    let hit = &answer["hits"][0];
    assert_eq!(
        (
            hit["source"].as_str(),
            hit["kind"].as_str(),
            hit["unit"].as_str()
        ),
        (Some("Cộng tác viên"), Some("report"), Some("Xã Minh Tân"))
    );
    assert!(hit["published_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-01-05"));
}

/// Pages of a local paper that all end with the same footer, and reports of another source.
fn footer_pages(path: &Path) -> &'static str {
    const FOOTER: &str =
        "Mời quý độc giả quét mã QR để tải ứng dụng Làng Mới Online, đọc tin nóng mỗi ngày.";
    let places = [
        "Minh Tân",
        "Đông Hòa",
        "Tân Lập",
        "Hòa Bình",
        "Phước Sơn",
        "An Khê",
        "Bắc Sơn",
        "Pà Cò",
        "Lũng Cú",
        "Quảng Phú",
        "Yên Thế",
        "Cẩm Xuyên",
    ];
    let mut lines = Vec::new();
    for (i, place) in places.iter().enumerate() {
        let news = if i % 2 == 0 {
            format!("Rét đậm kéo dài ở xã {place}, trâu bò được che chắn.")
        } else {
            format!("Xã {place} dựng lều giữ ấm cho trâu bò qua đợt rét đậm.")
        };
        lines.push(serde_json::json!({
            "id": format!("p{i}"),
            "title": format!("Tin xã {place}"),
            "body": format!("{news} {FOOTER}"),
            "source": "Báo Làng Mới",
            "published_at": "2026-01-12",
        }));
    }
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    std::fs::write(path, text.join("\n")).unwrap();
    FOOTER
}

#[test]
fn terms_leave_out_a_footer_and_show_examples() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("pages.jsonl");
    let footer = footer_pages(&input).to_lowercase();
    let output = nhip(&["terms", input.to_str().unwrap()]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("boilerplate: 1 sentence from Báo Làng Mới, 12 documents"),
        "{stderr}"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let proposals: Vec<&str> = stdout.lines().filter(|l| !l.starts_with('#')).collect();
    let line = proposals
        .iter()
        .find(|l| l.starts_with("rét đậm  # "))
        .unwrap_or_else(|| panic!("{stdout}"));
    // The example is a sentence of the documents.
    assert!(line.contains(": Rét đậm kéo dài ở xã Minh Tân"), "{line}");
    for line in &proposals {
        let term = line.split("  #").next().unwrap();
        assert!(!footer.contains(term), "{term} is from the footer");
    }
}

#[test]
fn index_lists_boilerplate_and_rewrites_what_came_before() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("pages.jsonl");
    let footer = footer_pages(&input);
    let index = dir.path().join("index");
    let output = nhip(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("9 documents written again"), "{stderr}");
    assert!(
        stderr.contains("boilerplate: 1 sentence from Báo Làng Mới, 12 documents"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("12 × {footer}")), "{stderr}");
    // Still searchable as it is.
    assert_eq!(search_ids(&index, "\"lang moi online\"").len(), 12);
    // A stricter rule given to a later run applies to every document.
    let output = nhip(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        "--boilerplate-min-docs",
        "20",
        input.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("12 documents written again"), "{stderr}");
    assert!(!stderr.contains("boilerplate:"), "{stderr}");
}

#[test]
fn two_runs_of_the_same_documents_give_the_same_tables_and_brief() {
    // The index writer spreads documents over threads and segments differently each run;
    // stories and the brief's documents must not depend on that.
    let first = run_sample();
    let second = run_sample();
    for name in ["weekly_topics.csv", "brief.md", "emerging_terms.csv"] {
        let a = std::fs::read(first.path().join(name)).expect(name);
        let b = std::fs::read(second.path().join(name)).expect(name);
        assert!(a == b, "{name} differs between two runs");
    }
}
