//! `nhip run` and `nhip trends` on a stream with a few old-dated documents: the window of
//! weeks (`--weeks`, `[trends] weeks`), the `low_volume` column, and the date outliers in the
//! run's summary. Documents written for this test.

use std::path::Path;
use std::process::{Command, Output};

fn nhip(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nhip"))
        .args(args)
        .output()
        .expect("nhip runs")
}

fn ok(args: &[&str]) -> String {
    let output = nhip(args);
    assert!(
        output.status.success(),
        "nhip {args:?}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stderr).unwrap()
}

/// 16 weeks of 25 documents from 2026-01-05, and two documents dated in 2023.
fn write_inputs(dir: &Path) {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let mut lines = Vec::new();
    for week in 0..16 {
        for i in 0..25 {
            let day = start + chrono::Duration::days(week * 7 + i % 7);
            let topic = if i % 5 == 0 {
                "Giá lúa tăng"
            } else {
                "Xã sửa đường"
            };
            lines.push(format!(
                r#"{{"id":"w{week}-{i}","title":"{topic} tuần {week} bài {i}","body":"{topic} ở thôn {i}, tuần {week}.","source":"Báo Đồng Bằng","published_at":"{day}"}}"#
            ));
        }
    }
    for (id, day) in [("cu-1", "2023-05-10"), ("cu-2", "2023-08-16")] {
        lines.push(format!(
            r#"{{"id":"{id}","title":"Giá lúa tăng, tin cũ","body":"Giá lúa tăng mạnh, tin cũ {id}.","source":"Báo Đồng Bằng","published_at":"{day}"}}"#
        ));
    }
    std::fs::write(dir.join("press.jsonl"), lines.join("\n")).unwrap();
    std::fs::write(
        dir.join("topics.toml"),
        "[[topic]]\nname = \"rice\"\nlabel = \"Giá lúa\"\nquery = '\"gia lua\"'\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("job.toml"),
        "[[source]]\npath = \"press.jsonl\"\n\n[index]\npath = \"out/index\"\n\n[trends]\ntopics = \"topics.toml\"\nweeks = 8\n\n[output]\ndir = \"out\"\n",
    )
    .unwrap();
}

#[test]
fn run_windows_charts_marks_thin_weeks_and_lists_old_dates() {
    let dir = tempfile::tempdir().unwrap();
    write_inputs(dir.path());
    let job = dir.path().join("job.toml");
    let stderr = ok(&["run", job.to_str().unwrap()]);
    assert!(stderr.contains("dates far outside"), "{stderr}");
    let out = dir.path().join("out");

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["weeks_shown"], 8);
    let weeks = summary["weeks"].as_u64().unwrap();
    assert!(
        weeks > 140,
        "every week from 2023-05 is in the tables: {weeks}"
    );
    assert_eq!(summary["low_volume_weeks"].as_u64().unwrap(), weeks - 16);
    let outliers = &summary["date_outliers"];
    assert_eq!(outliers["total"], 2);
    let ids: Vec<&str> = outliers["listed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["cu-1", "cu-2"]);
    assert_eq!(outliers["listed"][0]["source"], "Báo Đồng Bằng");
    assert_eq!(outliers["sources"][0]["outliers"], 2);

    let table = std::fs::read_to_string(out.join("weekly_topics.csv")).unwrap();
    let header: Vec<&str> = table.lines().next().unwrap().split(',').collect();
    let low = header.iter().position(|c| *c == "low_volume").unwrap();
    let flag = header.iter().position(|c| *c == "flag").unwrap();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert!(rows[0][2].starts_with("2023-05-08"), "{:?}", rows[0]);
    assert_eq!(rows[0][low], "true");
    assert_eq!(rows[0][flag], "normal");
    assert_eq!(rows.last().unwrap()[low], "false");

    let brief = std::fs::read_to_string(out.join("brief.md")).unwrap();
    assert!(brief.contains("8 tuần gần nhất"), "{brief}");

    // The flag overrides the pipeline; at least one week.
    let trends_out = dir.path().join("trends");
    ok(&[
        "trends",
        "--index",
        out.join("index").to_str().unwrap(),
        "--topics",
        dir.path().join("topics.toml").to_str().unwrap(),
        "--out",
        trends_out.to_str().unwrap(),
        "--weeks",
        "4",
    ]);
    let brief = std::fs::read_to_string(trends_out.join("brief.md")).unwrap();
    assert!(brief.contains("4 tuần gần nhất"), "{brief}");
    let zero = nhip(&[
        "trends", "--index", "x", "--topics", "y", "--out", "z", "--weeks", "0",
    ]);
    assert!(!zero.status.success());
}
