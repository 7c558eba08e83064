//! The weekly brief: `brief.md` and `brief.html` for the latest week of a report, with the
//! week's risers and fallers, emerging terms, and for each highlighted topic its chart, its
//! forecast and its three most representative documents.

use crate::charts::chart_file;
use crate::forecast::{trusted, ForecastPoint};
use crate::{Topic, TrendError, WeeklyReport};
use nhip_index::{NhipIndex, SearchOptions, SortOrder};
use polars::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Topics listed among risers and fallers, and highlighted when none is flagged.
const LISTED: usize = 5;
/// Representative documents per highlighted topic.
const DOCUMENTS: usize = 3;

/// Escapes text for a Markdown table cell or paragraph.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

struct TopicWeek<'a> {
    topic: &'a Topic,
    index: usize,
    docs: i64,
    change: i64,
    baseline: Option<f64>,
    flag: String,
}

fn rows_table(rows: &[&TopicWeek]) -> String {
    let mut out = String::from("| Chủ đề (topic) | Văn bản (docs) | Thay đổi (change) | Kỳ vọng (baseline) | Đánh giá (flag) |\n|---|---:|---:|---:|---|\n");
    for r in rows {
        let baseline = r.baseline.map_or("—".to_string(), |b| format!("{b:.1}"));
        let _ = writeln!(
            out,
            "| {} | {} | {:+} | {} | {} |",
            md(&r.topic.label),
            r.docs,
            r.change,
            baseline,
            r.flag
        );
    }
    out
}

fn emerging_section(
    emerging: &DataFrame,
    week_start: chrono::NaiveDate,
) -> Result<String, TrendError> {
    let week = emerging
        .clone()
        .lazy()
        .filter(col("week_start").eq(lit(week_start)))
        .collect()?;
    if week.height() == 0 {
        return Ok("Không có từ khóa nào tăng có ý nghĩa thống kê tuần này (no significant emerging terms).\n".into());
    }
    let terms = week.column("term")?.as_materialized_series().str()?.clone();
    let docs = week.column("docs")?.as_materialized_series().i64()?.clone();
    let baseline = week
        .column("baseline_docs")?
        .as_materialized_series()
        .f64()?
        .clone();
    let g2 = week.column("g2")?.as_materialized_series().f64()?.clone();
    let mut out = String::from("| Từ khóa (term) | Văn bản (docs) | Trung bình 8 tuần trước | G² |\n|---|---:|---:|---:|\n");
    for i in 0..week.height() {
        let _ = writeln!(
            out,
            "| {} | {} | {:.1} | {:.1} |",
            md(terms.get(i).unwrap_or("")),
            docs.get(i).unwrap_or(0),
            baseline.get(i).unwrap_or(0.0),
            g2.get(i).unwrap_or(0.0)
        );
    }
    Ok(out)
}

fn forecast_sentence(points: &[ForecastPoint]) -> String {
    let chosen = trusted(points);
    let Some(next) = chosen.first() else {
        return "Chưa đủ dữ liệu để dự báo (fewer than 6 weeks of history).".into();
    };
    let method = if next.method == "ets" { "ETS" } else { "naive" };
    let mae = next
        .backtest_mae
        .map_or("—".to_string(), |m| format!("{m:.1}"));
    let weeks: Vec<String> = chosen
        .iter()
        .map(|p| {
            format!(
                "{}: {:.0} ({:.0}–{:.0})",
                p.week.start.format("%d/%m"),
                p.forecast,
                p.lower_80,
                p.upper_80
            )
        })
        .collect();
    format!(
        "Dự báo {method} (sai số backtest MAE {mae}; khoảng 80%): {}.",
        weeks.join("; ")
    )
}

/// Writes `brief.md` and `brief.html` into `out_dir` for the last week of `report`. Without
/// an index (a brief from counts, `nhip trends --counts`) the highlighted topics list no
/// documents: ranking them needs the documents' text.
pub fn write_brief(
    out_dir: &Path,
    index: Option<&NhipIndex>,
    report: &WeeklyReport,
    topics: &[Topic],
    forecasts: &[Vec<ForecastPoint>],
    emerging: &DataFrame,
) -> Result<(PathBuf, PathBuf), TrendError> {
    let Some(&week) = report.weeks.last() else {
        return Err(TrendError::Write {
            path: out_dir.to_owned(),
            message: "no dated documents: nothing to brief".into(),
        });
    };
    let last = report.weeks.len() - 1;
    let end = week.start + chrono::Duration::days(6);
    let rows: Vec<TopicWeek> = topics
        .iter()
        .enumerate()
        .map(|(i, topic)| {
            let docs = report.topic_docs(i);
            TopicWeek {
                topic,
                index: i,
                docs: docs[last],
                change: if last > 0 {
                    docs[last] - docs[last - 1]
                } else {
                    0
                },
                baseline: report.topic_baseline(i)[last],
                flag: report.topic_flags(i)[last].clone(),
            }
        })
        .collect();
    let total: i64 = report
        .table
        .column("total_docs")?
        .as_materialized_series()
        .i64()?
        .get(last)
        .unwrap_or(0);

    let mut brief = String::new();
    let _ = writeln!(
        brief,
        "# Bản tin tuần {}-W{:02} ({} – {})\n",
        week.year,
        week.week,
        week.start.format("%d/%m/%Y"),
        end.format("%d/%m/%Y")
    );
    let _ = writeln!(
        brief,
        "{total} văn bản có ngày trong tuần (dated documents this week); {} văn bản không có ngày không được tính (undated, left out).\n",
        report.undated_docs
    );
    if report
        .topic_low_volume(0)
        .get(last)
        .copied()
        .unwrap_or(false)
    {
        let _ = writeln!(
            brief,
            "Tuần này có rất ít văn bản so với thường lệ (low volume: under {:.0}% of the median week): không đánh dấu chủ đề tăng hay giảm bất thường (no flags).\n",
            crate::LOW_VOLUME_SHARE * 100.0
        );
    }
    let start = report.shown_start();
    if start > 0 {
        let _ = writeln!(
            brief,
            "Biểu đồ: {} tuần gần nhất, từ {} (charts show the last {} weeks; the tables keep all {} weeks from {}).\n",
            report.weeks.len() - start,
            report.weeks[start].start.format("%d/%m/%Y"),
            report.weeks.len() - start,
            report.weeks.len(),
            report.weeks[0].start.format("%d/%m/%Y"),
        );
    }
    let _ = writeln!(brief, "![Tỷ trọng các chủ đề](charts/overview.svg)\n");

    let mut risers: Vec<&TopicWeek> = rows.iter().filter(|r| r.change > 0).collect();
    risers.sort_by_key(|r| (r.flag != "rising", -r.change));
    let mut fallers: Vec<&TopicWeek> = rows.iter().filter(|r| r.change < 0).collect();
    fallers.sort_by_key(|r| (r.flag != "falling", r.change));
    let _ = writeln!(brief, "## Chủ đề tăng (risers)\n");
    if risers.is_empty() {
        let _ = writeln!(brief, "Không có chủ đề nào tăng so với tuần trước.\n");
    } else {
        let _ = writeln!(brief, "{}", rows_table(&risers[..risers.len().min(LISTED)]));
    }
    let _ = writeln!(brief, "## Chủ đề giảm (fallers)\n");
    if fallers.is_empty() {
        let _ = writeln!(brief, "Không có chủ đề nào giảm so với tuần trước.\n");
    } else {
        let _ = writeln!(
            brief,
            "{}",
            rows_table(&fallers[..fallers.len().min(LISTED)])
        );
    }
    let _ = writeln!(brief, "## Từ khóa nổi lên (emerging terms)\n");
    let _ = writeln!(brief, "{}", emerging_section(emerging, week.start)?);

    // Flagged topics, or the biggest movers when nothing is flagged.
    let mut highlighted: Vec<&TopicWeek> = rows.iter().filter(|r| r.flag != "normal").collect();
    if highlighted.is_empty() {
        highlighted = risers.iter().chain(&fallers).take(3).copied().collect();
    }
    let _ = writeln!(brief, "## Chủ đề nổi bật (highlighted topics)\n");
    for row in highlighted {
        let _ = writeln!(brief, "### {}\n", md(&row.topic.label));
        let baseline = row.baseline.map_or("—".to_string(), |b| format!("{b:.1}"));
        let _ = writeln!(
            brief,
            "{} văn bản tuần này ({:+} so với tuần trước; kỳ vọng {baseline}; {}).\n",
            row.docs, row.change, row.flag
        );
        let _ = writeln!(
            brief,
            "![{}](charts/{})\n",
            md(&row.topic.label),
            chart_file(row.topic)
        );
        let _ = writeln!(
            brief,
            "{}\n",
            forecast_sentence(forecasts.get(row.index).map_or(&[][..], Vec::as_slice))
        );
        // More than shown, so that documents of equal score (templated reports score alike)
        // are chosen by id, not by where the writer's threads put them in the index.
        let options = SearchOptions {
            limit: DOCUMENTS * 8,
            since: Some(week.start),
            until: Some(end),
            sort: SortOrder::Relevance,
            ..SearchOptions::default()
        };
        let Some(index) = index else {
            let _ = writeln!(
                brief,
                "Văn bản tiêu biểu: tìm bằng `nhip search` trên chỉ mục (counts only: no index to rank documents).\n"
            );
            continue;
        };
        let mut hits = index.search_node(&row.topic.parsed, &options)?.hits;
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(DOCUMENTS);
        if hits.is_empty() {
            let _ = writeln!(brief, "Không có văn bản nào trong tuần.");
        }
        for hit in hits {
            let date = hit
                .published_at
                .map_or("—".to_string(), |d| d.format("%d/%m/%Y").to_string());
            let _ = writeln!(
                brief,
                "- **{}** — {} · {} ({}, id `{}`)  \n  {}",
                md(&hit.title),
                date,
                md(&hit.source),
                hit.kind,
                hit.id.replace('`', ""),
                md(&hit.snippet.text)
            );
        }
        let _ = writeln!(brief);
    }

    std::fs::create_dir_all(out_dir).map_err(|e| TrendError::Write {
        path: out_dir.to_owned(),
        message: e.to_string(),
    })?;
    let md_path = out_dir.join("brief.md");
    let html_path = out_dir.join("brief.html");
    let write = |path: &Path, text: &str| {
        nhip_ingest::atomic::write_atomically(path, text.as_bytes()).map_err(|e| {
            TrendError::Write {
                path: path.to_owned(),
                message: e.to_string(),
            }
        })
    };
    write(&md_path, &brief)?;
    let mut body = String::new();
    pulldown_cmark::html::push_html(
        &mut body,
        pulldown_cmark::Parser::new_ext(&brief, pulldown_cmark::Options::ENABLE_TABLES),
    );
    let title = format!("Bản tin tuần {}-W{:02}", week.year, week.week);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\nbody {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.5; color: #111; }}\ntable {{ border-collapse: collapse; margin: 1rem 0; }}\nth, td {{ border: 1px solid #999; padding: 0.25rem 0.6rem; }}\nimg {{ max-width: 100%; }}\n@media print {{ h3 {{ break-after: avoid; }} img {{ break-inside: avoid; }} }}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    );
    write(&html_path, &html)?;
    Ok((md_path, html_path))
}
