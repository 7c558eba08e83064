//! The topic figures the dashboard shows: the weekly table, forecasts and emerging terms of the
//! live index, computed by the same nhip-trends functions as `nhip trends` and read back from
//! its tables into plain rows.

use chrono::NaiveDate;
use nhip_index::NhipIndex;
use nhip_trends::forecast::ForecastPoint;
use nhip_trends::{IsoWeek, Topic, TrendError, WeeklyReport};
use polars::prelude::{DataFrame, DataType};
use serde::Serialize;

/// One row of the weekly table (README.md, "Tables").
#[derive(Debug, Clone, Serialize)]
pub struct TopicWeek {
    pub iso_year: i32,
    pub iso_week: u32,
    pub week_start: NaiveDate,
    pub docs: i64,
    pub stories: i64,
    pub reports: i64,
    pub press: i64,
    pub total_docs: i64,
    pub share: f64,
    pub change: Option<i64>,
    pub baseline: Option<f64>,
    pub p_value: Option<f64>,
    pub flag: String,
}

/// A topic and its weeks.
#[derive(Debug, Clone, Serialize)]
pub struct TopicTrend {
    pub name: String,
    pub label: String,
    pub group: Option<String>,
    pub query: String,
    pub weeks: Vec<TopicWeek>,
}

/// One emerging term of a week.
#[derive(Debug, Clone, Serialize)]
pub struct EmergingTerm {
    pub rank: i32,
    pub term: String,
    pub docs: i64,
    pub baseline_docs: f64,
    pub g2: f64,
    pub example_ids: Vec<String>,
}

/// Everything the trend pages show, for one snapshot of the index.
pub struct TrendsView {
    pub report: WeeklyReport,
    pub topics: Vec<TopicTrend>,
    pub forecasts: Vec<Vec<ForecastPoint>>,
    /// Index into `report.weeks` of the latest complete week (the last week when none is).
    pub latest: Option<usize>,
    /// Emerging terms of the latest complete week.
    pub emerging: Vec<EmergingTerm>,
}

fn column_i64(table: &DataFrame, name: &str) -> Result<Vec<Option<i64>>, TrendError> {
    let series = table
        .column(name)?
        .as_materialized_series()
        .cast(&DataType::Int64)?;
    Ok(series.i64()?.iter().collect())
}

fn column_f64(table: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, TrendError> {
    let series = table
        .column(name)?
        .as_materialized_series()
        .cast(&DataType::Float64)?;
    Ok(series.f64()?.iter().collect())
}

fn column_str(table: &DataFrame, name: &str) -> Result<Vec<String>, TrendError> {
    Ok(table
        .column(name)?
        .as_materialized_series()
        .str()?
        .iter()
        .map(|v| v.unwrap_or_default().to_string())
        .collect())
}

fn column_dates(table: &DataFrame, name: &str) -> Result<Vec<Option<NaiveDate>>, TrendError> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1);
    let days = table
        .column(name)?
        .as_materialized_series()
        .cast(&DataType::Int32)?;
    Ok(days
        .i32()?
        .iter()
        .map(|d| d.and_then(|d| epoch?.checked_add_signed(chrono::Duration::days(d.into()))))
        .collect())
}

/// Today in Asia/Ho_Chi_Minh.
fn today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// The last week that has ended (its Sunday is before today); the last week if none has.
pub fn latest_complete_week(weeks: &[IsoWeek], today: NaiveDate) -> Option<usize> {
    weeks
        .iter()
        .rposition(|w| w.start + chrono::Duration::days(7) <= today)
        .or_else(|| weeks.len().checked_sub(1))
}

impl TrendsView {
    /// Runs the weekly table, forecasts and emerging terms over the index.
    pub fn compute(index: &NhipIndex, topics: &[Topic]) -> Result<TrendsView, TrendError> {
        let report = nhip_trends::weekly_topics(index, topics)?;
        let forecasts = nhip_trends::forecast::forecast_all(&report, topics)?;
        let latest = latest_complete_week(&report.weeks, today());
        let table = &report.table;
        let (docs, stories, reports, press, total_docs, change) = (
            column_i64(table, "docs")?,
            column_i64(table, "stories")?,
            column_i64(table, "reports")?,
            column_i64(table, "press")?,
            column_i64(table, "total_docs")?,
            column_i64(table, "change")?,
        );
        let (share, baseline, p_value) = (
            column_f64(table, "share")?,
            column_f64(table, "baseline")?,
            column_f64(table, "p_value")?,
        );
        let flag = column_str(table, "flag")?;
        let n = report.weeks.len();
        let rows = topics
            .iter()
            .enumerate()
            .map(|(t, topic)| TopicTrend {
                name: topic.name.clone(),
                label: topic.label.clone(),
                group: topic.group.clone(),
                query: topic.query.clone(),
                weeks: report
                    .weeks
                    .iter()
                    .enumerate()
                    .map(|(w, week)| {
                        // Topic-major blocks of one row per week (WeeklyReport's layout).
                        let r = t * n + w;
                        let int = |c: &[Option<i64>]| c.get(r).copied().flatten();
                        TopicWeek {
                            iso_year: week.year,
                            iso_week: week.week,
                            week_start: week.start,
                            docs: int(&docs).unwrap_or(0),
                            stories: int(&stories).unwrap_or(0),
                            reports: int(&reports).unwrap_or(0),
                            press: int(&press).unwrap_or(0),
                            total_docs: int(&total_docs).unwrap_or(0),
                            share: share.get(r).copied().flatten().unwrap_or(0.0),
                            change: int(&change),
                            baseline: baseline.get(r).copied().flatten(),
                            p_value: p_value.get(r).copied().flatten(),
                            flag: flag.get(r).cloned().unwrap_or_else(|| "normal".into()),
                        }
                    })
                    .collect(),
            })
            .collect();
        let emerging = match latest {
            Some(w) if !report.weeks.is_empty() => {
                let table = nhip_trends::emerging::emerging_terms(index, &report)?;
                emerging_of_week(&table, report.weeks[w].start)?
            }
            _ => Vec::new(),
        };
        Ok(TrendsView {
            topics: rows,
            forecasts,
            latest,
            emerging,
            report,
        })
    }

    /// The latest complete week.
    pub fn latest_week(&self) -> Option<IsoWeek> {
        self.latest.and_then(|w| self.report.weeks.get(w).copied())
    }

    pub fn topic(&self, name: &str) -> Option<(usize, &TopicTrend)> {
        self.topics.iter().enumerate().find(|(_, t)| t.name == name)
    }

    /// Topic indices, flagged topics of the latest week first, then by label.
    pub fn dashboard_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.topics.len()).collect();
        if let Some(w) = self.latest {
            order.sort_by_key(|&t| {
                let week = &self.topics[t].weeks[w];
                (week.flag == "normal", week.flag != "rising")
            });
        }
        order
    }
}

fn emerging_of_week(table: &DataFrame, week: NaiveDate) -> Result<Vec<EmergingTerm>, TrendError> {
    let starts = column_dates(table, "week_start")?;
    let ranks = column_i64(table, "rank")?;
    let terms = column_str(table, "term")?;
    let docs = column_i64(table, "docs")?;
    let baseline = column_f64(table, "baseline_docs")?;
    let g2 = column_f64(table, "g2")?;
    let examples = column_str(table, "example_ids")?;
    Ok((0..table.height())
        .filter(|&i| starts[i] == Some(week))
        .map(|i| EmergingTerm {
            rank: ranks[i].unwrap_or(0) as i32,
            term: terms[i].clone(),
            docs: docs[i].unwrap_or(0),
            baseline_docs: baseline[i].unwrap_or(0.0),
            g2: g2[i].unwrap_or(0.0),
            example_ids: examples[i].split_whitespace().map(str::to_string).collect(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_complete_week_skips_the_running_week() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let weeks = nhip_trends::weeks_between(d(3, 2), d(3, 16));
        // Wednesday 18 March: the week of 16 March is still running.
        assert_eq!(latest_complete_week(&weeks, d(3, 18)), Some(1));
        // Monday 23 March: it has ended.
        assert_eq!(latest_complete_week(&weeks, d(3, 23)), Some(2));
        // Nothing has ended yet: the last week.
        assert_eq!(latest_complete_week(&weeks, d(3, 3)), Some(2));
        assert_eq!(latest_complete_week(&[], d(3, 3)), None);
    }
}
