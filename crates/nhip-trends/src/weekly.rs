//! The weekly topic table.

use crate::stats::{poisson_lower_tail, poisson_upper_tail};
use crate::week::{week_start_of, weeks_between, IsoWeek};
use crate::{Topic, TrendError};
use chrono::NaiveDate;
use nhip_index::{FilterField, NhipIndex, QueryNode};
use nhip_ingest::atomic::write_atomically_with;
use polars::prelude::*;
use polars_io::csv::write::CsvWriter;
use polars_io::parquet::write::ParquetWriter;
use polars_io::SerWriter;
use std::path::Path;

/// The weekly topic table and what was left out of it.
#[derive(Debug)]
pub struct WeeklyReport {
    /// Columns: `iso_year, iso_week, week_start, topic, label, group, docs, stories, reports, press,
    /// total_docs, share, low_volume, change, baseline, p_value, flag` (see README.md, "Tables").
    pub table: DataFrame,
    /// Documents without a date: searchable, but not in any week.
    pub undated_docs: usize,
    /// The weeks of the table, in order (each topic has one row per week, topics in file order).
    pub weeks: Vec<IsoWeek>,
    /// How many of the most recent weeks the charts and the brief show (the table has all).
    pub weeks_shown: usize,
}

/// Recent weeks the charts and the brief show by default: a year.
pub const DEFAULT_WEEKS_SHOWN: usize = 52;
/// A week is `low_volume` when its total is below this share of the median weekly total of
/// the shown weeks (weeks with documents): a week of a few stray old-dated documents.
pub const LOW_VOLUME_SHARE: f64 = 0.10;

/// How a weekly report is built.
#[derive(Debug, Clone, Copy)]
pub struct TrendOptions {
    /// Rows per source besides the rows over every document.
    pub by_source: bool,
    /// Recent weeks shown in charts and the brief, and over which the usual volume is judged.
    pub weeks_shown: usize,
}

impl Default for TrendOptions {
    fn default() -> Self {
        TrendOptions {
            by_source: false,
            weeks_shown: DEFAULT_WEEKS_SHOWN,
        }
    }
}

impl WeeklyReport {
    /// Index in [`WeeklyReport::weeks`] of the first week charts and the brief show.
    pub fn shown_start(&self) -> usize {
        self.weeks.len().saturating_sub(self.weeks_shown.max(1))
    }

    /// The topic's `low_volume` per week (the same for every topic of a scope).
    pub fn topic_low_volume(&self, topic: usize) -> Vec<bool> {
        let read = |s: &Series| {
            s.bool()
                .map(|c| c.iter().map(|v| v.unwrap_or(false)).collect())
                .unwrap_or_default()
        };
        self.topic_column(topic, read, "low_volume")
    }

    /// Column values of one topic (by position in the topics file), one per week.
    fn topic_column<T>(
        &self,
        topic: usize,
        read: impl Fn(&Series) -> Vec<T>,
        name: &str,
    ) -> Vec<T> {
        let weeks = self.weeks.len();
        self.table
            .column(name)
            .map(|c| read(c.as_materialized_series()))
            .map(|all| all.into_iter().skip(topic * weeks).take(weeks).collect())
            .unwrap_or_default()
    }

    /// The topic's `docs` per week.
    pub fn topic_docs(&self, topic: usize) -> Vec<i64> {
        let read = |s: &Series| {
            s.i64()
                .map(|c| c.iter().map(|v| v.unwrap_or(0)).collect())
                .unwrap_or_default()
        };
        self.topic_column(topic, read, "docs")
    }

    /// Dated documents per week over every document (the rows of the first topic, which
    /// lead the table).
    pub fn week_totals(&self) -> Vec<i64> {
        let read = |s: &Series| {
            s.i64()
                .map(|c| c.iter().map(|v| v.unwrap_or(0)).collect())
                .unwrap_or_default()
        };
        self.topic_column(0, read, "total_docs")
    }

    /// The topic's `baseline` per week.
    pub fn topic_baseline(&self, topic: usize) -> Vec<Option<f64>> {
        let read = |s: &Series| s.f64().map(|c| c.iter().collect()).unwrap_or_default();
        self.topic_column(topic, read, "baseline")
    }

    /// The topic's `p_value` per week (of its count under the baseline).
    pub fn topic_p_values(&self, topic: usize) -> Vec<Option<f64>> {
        let read = |s: &Series| s.f64().map(|c| c.iter().collect()).unwrap_or_default();
        self.topic_column(topic, read, "p_value")
    }

    /// The topic's `share` per week.
    pub fn topic_share(&self, topic: usize) -> Vec<f64> {
        let read = |s: &Series| {
            s.f64()
                .map(|c| c.iter().map(|v| v.unwrap_or(0.0)).collect())
                .unwrap_or_default()
        };
        self.topic_column(topic, read, "share")
    }

    /// The topic's `flag` per week.
    pub fn topic_flags(&self, topic: usize) -> Vec<String> {
        let read = |s: &Series| {
            s.str()
                .map(|c| {
                    c.iter()
                        .map(|v| v.unwrap_or("normal").to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        self.topic_column(topic, read, "flag")
    }
}

/// Counts, for every topic and every ISO week between the first and last dated document, the
/// matching documents, all documents, and the topic's share of them. Weeks without matches are
/// present with zero.
pub fn weekly_topics(index: &NhipIndex, topics: &[Topic]) -> Result<WeeklyReport, TrendError> {
    weekly_topics_with(index, topics, &TrendOptions::default())
}

/// [`weekly_topics`], with `by_source`: a leading `source` column, `(all)` for the rows over
/// every document, then the same rows within each source (`share` within the source). Sources
/// are grouped by their accent-free name, as `source:` filters match them.
pub fn weekly_topics_by(
    index: &NhipIndex,
    topics: &[Topic],
    by_source: bool,
) -> Result<WeeklyReport, TrendError> {
    let options = TrendOptions {
        by_source,
        ..TrendOptions::default()
    };
    weekly_topics_with(index, topics, &options)
}

/// [`weekly_topics_by`] with every option: counted from the index, then built by
/// [`weekly_from_counts`] (the step the Spark path, `nhip trends --counts`, shares).
pub fn weekly_topics_with(
    index: &NhipIndex,
    topics: &[Topic],
    options: &TrendOptions,
) -> Result<WeeklyReport, TrendError> {
    let counts = weekly_counts(index, topics, options.by_source)?;
    weekly_from_counts(topics, &counts, options)
}

/// `source` of the rows over every document in a `--by source` table.
pub const ALL_SOURCES: &str = "(all)";

/// One topic's counts in one week (weeks without matches need no row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicWeekCount {
    pub topic: String,
    pub week_start: NaiveDate,
    /// Matching documents.
    pub docs: i64,
    /// Matching documents that are reports (the rest are press).
    pub reports: i64,
    /// Distinct stories (near-duplicate clusters) among the matching documents.
    pub stories: i64,
}

/// The counts of one scope: every document, or the documents of one source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeCounts {
    pub topic_weeks: Vec<TopicWeekCount>,
    /// Dated documents per week (weeks without documents need no entry).
    pub totals: Vec<(NaiveDate, i64)>,
}

/// Everything the weekly table is built from: the counts table where the index path and the
/// Spark path (`nhip trends --counts`) meet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyCounts {
    /// Counts over every document.
    pub all: ScopeCounts,
    /// Counts within each source (only for tables `--by source`), sources in the order of
    /// their accent-free names.
    pub by_source: Vec<(String, ScopeCounts)>,
    /// Documents without a date: searchable, but not in any week.
    pub undated_docs: usize,
}

/// Counts every topic and week in the index (and within each source when `by_source`).
pub fn weekly_counts(
    index: &NhipIndex,
    topics: &[Topic],
    by_source: bool,
) -> Result<WeeklyCounts, TrendError> {
    let undated_docs = index
        .dated_matches(None)?
        .iter()
        .filter(|m| m.published_at.is_none())
        .count();
    let all = scope_counts(index, topics, None)?;
    let mut sources = Vec::new();
    if by_source {
        for name in index.sources()? {
            let scope = QueryNode::Filter {
                field: FilterField::Source,
                value: name.clone(),
            };
            sources.push((name, scope_counts(index, topics, Some(&scope))?));
        }
    }
    Ok(WeeklyCounts {
        all,
        by_source: sources,
        undated_docs,
    })
}

/// The weekly report from counts: the topic × week grid, change, baseline, p-value and flags.
pub fn weekly_from_counts(
    topics: &[Topic],
    counts: &WeeklyCounts,
    options: &TrendOptions,
) -> Result<WeeklyReport, TrendError> {
    let (by_source, weeks_shown) = (options.by_source, options.weeks_shown.max(1));
    let undated_docs = counts.undated_docs;
    let dated = counts.all.totals.iter().filter(|(_, n)| *n > 0);
    let (Some(first), Some(last)) = (
        dated.clone().map(|(w, _)| *w).min(),
        dated.map(|(w, _)| *w).max(),
    ) else {
        return Ok(WeeklyReport {
            table: empty_table()?,
            undated_docs,
            weeks: Vec::new(),
            weeks_shown,
        });
    };
    let weeks = weeks_between(first, last);
    let mut table = scope_table(topics, &weeks, &counts.all)?;
    if by_source {
        let label = |name: &str, height: usize| {
            Series::new("source".into(), vec![name; height]).into_column()
        };
        table.insert_column(0, label(ALL_SOURCES, table.height()))?;
        for (name, scope) in &counts.by_source {
            let mut rows = scope_table(topics, &weeks, scope)?;
            rows.insert_column(0, label(name, rows.height()))?;
            table.vstack_mut(&rows)?;
        }
    }
    add_change_columns(&mut table, weeks.len(), weeks_shown)?;
    Ok(WeeklyReport {
        table,
        undated_docs,
        weeks,
        weeks_shown,
    })
}

/// Counts of every topic and week within `scope` (all documents when `None`), from the index.
fn scope_counts(
    index: &NhipIndex,
    topics: &[Topic],
    scope: Option<&QueryNode>,
) -> Result<ScopeCounts, TrendError> {
    use std::collections::{BTreeMap, HashMap, HashSet};
    let within = |node: QueryNode| match scope {
        Some(scope) => QueryNode::And(vec![node, scope.clone()]),
        None => node,
    };
    let mut totals: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for m in index.dated_matches(scope)? {
        if let Some(week) = m.published_at.and_then(week_start_of) {
            *totals.entry(week).or_default() += 1;
        }
    }
    let mut topic_weeks = Vec::new();
    for topic in topics {
        let mut weeks: BTreeMap<NaiveDate, (i64, i64, HashSet<u64>)> = BTreeMap::new();
        for m in index.dated_matches(Some(&within(topic.parsed.clone())))? {
            if let Some(week) = m.published_at.and_then(week_start_of) {
                let entry = weeks.entry(week).or_default();
                entry.0 += 1;
                // A document without a story (older index) is a story of its own.
                let story = m.story.unwrap_or(
                    u64::from(m.address.doc_id) << 32 | u64::from(m.address.segment_ord),
                );
                entry.2.insert(story);
            }
        }
        // Every document is a report or press item: press = docs − reports.
        let reports = QueryNode::And(vec![
            topic.parsed.clone(),
            QueryNode::Filter {
                field: FilterField::Kind,
                value: "report".into(),
            },
        ]);
        let mut report_weeks: HashMap<NaiveDate, i64> = HashMap::new();
        for m in index.dated_matches(Some(&within(reports)))? {
            if let Some(week) = m.published_at.and_then(week_start_of) {
                *report_weeks.entry(week).or_default() += 1;
            }
        }
        for (week, (docs, _, stories)) in weeks {
            topic_weeks.push(TopicWeekCount {
                topic: topic.name.clone(),
                week_start: week,
                docs,
                reports: report_weeks.get(&week).copied().unwrap_or(0),
                stories: stories.len() as i64,
            });
        }
    }
    Ok(ScopeCounts {
        topic_weeks,
        totals: totals.into_iter().collect(),
    })
}

/// The rows, docs to share, of every topic and week of one scope's counts.
fn scope_table(
    topics: &[Topic],
    weeks: &[IsoWeek],
    counts: &ScopeCounts,
) -> Result<DataFrame, TrendError> {
    let mut grid_topic = Vec::new();
    let mut grid_label = Vec::new();
    let mut grid_group = Vec::new();
    let mut grid_order = Vec::new();
    let mut grid_week = Vec::new();
    let mut grid_year = Vec::new();
    let mut grid_number = Vec::new();
    for (order, topic) in topics.iter().enumerate() {
        for week in weeks {
            grid_topic.push(topic.name.as_str());
            grid_label.push(topic.label.as_str());
            grid_group.push(topic.group.as_deref());
            grid_order.push(order as u32);
            grid_week.push(week.start);
            grid_year.push(week.year);
            grid_number.push(week.week as i32);
        }
    }
    let grid = df!(
        "iso_year" => grid_year,
        "iso_week" => grid_number,
        "week_start" => grid_week,
        "topic" => grid_topic,
        "label" => grid_label,
        "group" => grid_group,
        "topic_order" => grid_order,
    )?;
    let rows = &counts.topic_weeks;
    let topic_counts = df!(
        "topic" => rows.iter().map(|r| r.topic.as_str()).collect::<Vec<_>>(),
        "week_start" => rows.iter().map(|r| r.week_start).collect::<Vec<_>>(),
        "docs" => rows.iter().map(|r| r.docs).collect::<Vec<_>>(),
        "reports" => rows.iter().map(|r| r.reports).collect::<Vec<_>>(),
        "stories" => rows.iter().map(|r| r.stories).collect::<Vec<_>>(),
    )?;
    let totals = df!(
        "week_start" => counts.totals.iter().map(|(w, _)| *w).collect::<Vec<_>>(),
        "total_docs" => counts.totals.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
    )?;
    let keys = [col("topic"), col("week_start")];
    let table = grid
        .lazy()
        .join(
            topic_counts.lazy(),
            keys.clone(),
            keys,
            JoinArgs::new(JoinType::Left),
        )
        .left_join(totals.lazy(), col("week_start"), col("week_start"))
        .with_columns([
            col("docs").fill_null(lit(0i64)),
            col("stories").fill_null(lit(0i64)),
            col("reports").fill_null(lit(0i64)),
            col("total_docs").fill_null(lit(0i64)),
        ])
        .with_column((col("docs") - col("reports")).alias("press"))
        .with_column(
            when(col("total_docs").gt(lit(0i64)))
                .then(
                    col("docs").cast(DataType::Float64) / col("total_docs").cast(DataType::Float64),
                )
                .otherwise(lit(0.0f64))
                .alias("share"),
        )
        .sort(
            ["topic_order", "week_start"],
            SortMultipleOptions::default(),
        )
        .select([
            col("iso_year"),
            col("iso_week"),
            col("week_start"),
            col("topic"),
            col("label"),
            col("group"),
            col("docs"),
            col("stories"),
            col("reports"),
            col("press"),
            col("total_docs"),
            col("share"),
        ])
        .collect()?;
    Ok(table)
}

/// Weeks of history a baseline averages over, after skipping the most recent week.
pub const BASELINE_WEEKS: usize = 8;
/// A week is flagged when its count is this improbable under the baseline.
pub const FLAG_P_VALUE: f64 = 0.01;
/// Fewest documents a rising flag needs: one or two mentions are not a trend.
pub const FLAG_MIN_DOCS: i64 = 3;
/// Floor of the expected count, so that a topic with no history is not infinitely surprising.
const MIN_EXPECTED: f64 = 0.5;

/// The week's baseline, p-value and flag from a topic's weekly counts up to and including it.
pub fn assess_week(history: &[i64]) -> (Option<f64>, Option<f64>, &'static str) {
    assess_week_skipping(history, &[])
}

/// [`assess_week`] where `low_volume[i]` marks a week far below the usual volume: such a week
/// is never flagged, and earlier ones stay out of the baseline (they say nothing of the usual
/// count). Weeks past the end of `low_volume` are ordinary.
pub fn assess_week_skipping(
    history: &[i64],
    low_volume: &[bool],
) -> (Option<f64>, Option<f64>, &'static str) {
    let Some((&docs, before)) = history.split_last() else {
        return (None, None, "normal");
    };
    let low = |i: usize| low_volume.get(i).copied().unwrap_or(false);
    // Skip the most recent week (it may still be reported on), then average up to 8 weeks.
    let usable = before.len().saturating_sub(1);
    let window: Vec<i64> = (0..usable)
        .rev()
        .filter(|&i| !low(i))
        .take(BASELINE_WEEKS)
        .map(|i| before[i])
        .collect();
    if window.is_empty() {
        return (None, None, "normal");
    }
    let baseline = window.iter().sum::<i64>() as f64 / window.len() as f64;
    let expected = baseline.max(MIN_EXPECTED);
    let upper = poisson_upper_tail(docs.max(0) as u64, expected);
    let lower = poisson_lower_tail(docs.max(0) as u64, expected);
    let flag = if low(before.len()) {
        "normal"
    } else if docs >= FLAG_MIN_DOCS && (docs as f64) > baseline && upper < FLAG_P_VALUE {
        "rising"
    } else if (docs as f64) < baseline && lower < FLAG_P_VALUE {
        "falling"
    } else {
        "normal"
    };
    (Some(baseline), Some(upper), flag)
}

/// Which weeks of one block of weekly totals are far below the usual volume: under
/// [`LOW_VOLUME_SHARE`] of the median total of the last `shown` weeks that have documents.
pub fn low_volume_weeks(totals: &[i64], shown: usize) -> Vec<bool> {
    let recent = &totals[totals.len().saturating_sub(shown.max(1))..];
    let mut busy: Vec<i64> = recent.iter().copied().filter(|&t| t > 0).collect();
    if busy.is_empty() {
        return vec![false; totals.len()];
    }
    busy.sort_unstable();
    let mid = busy.len() / 2;
    let median = if busy.len().is_multiple_of(2) {
        (busy[mid - 1] + busy[mid]) as f64 / 2.0
    } else {
        busy[mid] as f64
    };
    totals
        .iter()
        .map(|&t| (t as f64) < LOW_VOLUME_SHARE * median)
        .collect()
}

/// Adds `low_volume`, `change`, `baseline`, `p_value` and `flag` to a table made of blocks of
/// `weeks` rows, one block per (source,) topic; the usual volume is judged over the last
/// `shown` weeks of each block.
fn add_change_columns(table: &mut DataFrame, weeks: usize, shown: usize) -> Result<(), TrendError> {
    let read = |name: &str| -> Result<Vec<i64>, TrendError> {
        Ok(table
            .column(name)?
            .as_materialized_series()
            .i64()?
            .iter()
            .map(|d| d.unwrap_or(0))
            .collect())
    };
    let docs = read("docs")?;
    let totals = read("total_docs")?;
    let weeks = weeks.max(1);
    let (mut low_volume, mut change, mut baseline, mut p_value, mut flag) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for block_start in (0..docs.len()).step_by(weeks) {
        // Every (source, topic) has one row per week, in order.
        let block_end = (block_start + weeks).min(docs.len());
        let low = low_volume_weeks(&totals[block_start..block_end], shown);
        for i in block_start..block_end {
            change.push((i > block_start).then(|| docs[i] - docs[i - 1]));
            let (b, p, f) = assess_week_skipping(&docs[block_start..=i], &low);
            baseline.push(b);
            p_value.push(p);
            flag.push(f);
        }
        low_volume.extend(low);
    }
    table.with_column(Series::new("low_volume".into(), low_volume).into_column())?;
    table.with_column(Series::new("change".into(), change).into_column())?;
    table.with_column(Series::new("baseline".into(), baseline).into_column())?;
    table.with_column(Series::new("p_value".into(), p_value).into_column())?;
    table.with_column(Series::new("flag".into(), flag).into_column())?;
    Ok(())
}

fn empty_table() -> Result<DataFrame, TrendError> {
    Ok(df!(
        "iso_year" => Vec::<i32>::new(),
        "iso_week" => Vec::<i32>::new(),
        "week_start" => Vec::<NaiveDate>::new(),
        "topic" => Vec::<&str>::new(),
        "label" => Vec::<&str>::new(),
        "group" => Vec::<Option<&str>>::new(),
        "docs" => Vec::<i64>::new(),
        "stories" => Vec::<i64>::new(),
        "reports" => Vec::<i64>::new(),
        "press" => Vec::<i64>::new(),
        "total_docs" => Vec::<i64>::new(),
        "share" => Vec::<f64>::new(),
        "low_volume" => Vec::<bool>::new(),
        "change" => Vec::<Option<i64>>::new(),
        "baseline" => Vec::<Option<f64>>::new(),
        "p_value" => Vec::<Option<f64>>::new(),
        "flag" => Vec::<&str>::new(),
    )?)
}

/// Writes a table as `DIR/NAME.csv` and `DIR/NAME.parquet`, creating `DIR`.
pub fn write_table(table: &mut DataFrame, dir: &Path, name: &str) -> Result<(), TrendError> {
    let fail = |path: &Path, message: String| TrendError::Write {
        path: path.to_owned(),
        message,
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(dir, e.to_string()))?;
    // Each file atomically: a killed run leaves the previous table or the new one, whole.
    let csv_path = dir.join(format!("{name}.csv"));
    write_atomically_with(&csv_path, |out| {
        CsvWriter::new(out)
            .include_header(true)
            .finish(table)
            .map_err(std::io::Error::other)
    })
    .map_err(|e| fail(&csv_path, e.to_string()))?;
    let parquet_path = dir.join(format!("{name}.parquet"));
    write_atomically_with(&parquet_path, |out| {
        ParquetWriter::new(out)
            .finish(table)
            .map(drop)
            .map_err(std::io::Error::other)
    })
    .map_err(|e| fail(&parquet_path, e.to_string()))?;
    Ok(())
}
