//! The weekly topic table.

use crate::week::{week_start_of, weeks_between};
use crate::{Topic, TrendError};
use chrono::NaiveDate;
use nhip_index::NhipIndex;
use polars::prelude::*;
use polars_io::csv::write::CsvWriter;
use polars_io::parquet::write::ParquetWriter;
use polars_io::SerWriter;
use std::path::Path;

/// The weekly topic table and what was left out of it.
#[derive(Debug)]
pub struct WeeklyReport {
    /// Columns: `iso_year, iso_week, week_start, topic, label, group, docs, total_docs, share`.
    pub table: DataFrame,
    /// Documents without a date: searchable, but not in any week.
    pub undated_docs: usize,
}

/// Counts, for every topic and every ISO week between the first and last dated document, the
/// matching documents, all documents, and the topic's share of them. Weeks without matches are
/// present with zero.
pub fn weekly_topics(index: &NhipIndex, topics: &[Topic]) -> Result<WeeklyReport, TrendError> {
    let all = index.dated_matches(None)?;
    let undated_docs = all.iter().filter(|m| m.published_at.is_none()).count();
    let all_weeks: Vec<NaiveDate> = all
        .iter()
        .filter_map(|m| m.published_at.and_then(week_start_of))
        .collect();
    let (Some(&first), Some(&last)) = (all_weeks.iter().min(), all_weeks.iter().max()) else {
        return Ok(WeeklyReport {
            table: empty_table()?,
            undated_docs,
        });
    };
    let weeks = weeks_between(first, last);

    let mut match_topic: Vec<&str> = Vec::new();
    let mut match_week: Vec<NaiveDate> = Vec::new();
    for topic in topics {
        for m in index.dated_matches(Some(&topic.parsed))? {
            if let Some(week) = m.published_at.and_then(week_start_of) {
                match_topic.push(&topic.name);
                match_week.push(week);
            }
        }
    }

    let mut grid_topic = Vec::new();
    let mut grid_label = Vec::new();
    let mut grid_group = Vec::new();
    let mut grid_order = Vec::new();
    let mut grid_week = Vec::new();
    let mut grid_year = Vec::new();
    let mut grid_number = Vec::new();
    for (order, topic) in topics.iter().enumerate() {
        for week in &weeks {
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
    let matches = df!("topic" => match_topic, "week_start" => match_week)?;
    let documents = df!("week_start" => all_weeks)?;

    let counts = matches
        .lazy()
        .group_by([col("topic"), col("week_start")])
        .agg([len().cast(DataType::Int64).alias("docs")]);
    let totals = documents
        .lazy()
        .group_by([col("week_start")])
        .agg([len().cast(DataType::Int64).alias("total_docs")]);
    let keys = [col("topic"), col("week_start")];
    let table = grid
        .lazy()
        .join(counts, keys.clone(), keys, JoinArgs::new(JoinType::Left))
        .left_join(totals, col("week_start"), col("week_start"))
        .with_columns([
            col("docs").fill_null(lit(0i64)),
            col("total_docs").fill_null(lit(0i64)),
        ])
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
            col("total_docs"),
            col("share"),
        ])
        .collect()?;
    Ok(WeeklyReport {
        table,
        undated_docs,
    })
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
        "total_docs" => Vec::<i64>::new(),
        "share" => Vec::<f64>::new(),
    )?)
}

/// Writes a table as `DIR/NAME.csv` and `DIR/NAME.parquet`, creating `DIR`.
pub fn write_table(table: &mut DataFrame, dir: &Path, name: &str) -> Result<(), TrendError> {
    let fail = |path: &Path, message: String| TrendError::Write {
        path: path.to_owned(),
        message,
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(dir, e.to_string()))?;
    let csv_path = dir.join(format!("{name}.csv"));
    let mut csv = std::fs::File::create(&csv_path).map_err(|e| fail(&csv_path, e.to_string()))?;
    CsvWriter::new(&mut csv)
        .include_header(true)
        .finish(table)
        .map_err(|e| fail(&csv_path, e.to_string()))?;
    let parquet_path = dir.join(format!("{name}.parquet"));
    let parquet =
        std::fs::File::create(&parquet_path).map_err(|e| fail(&parquet_path, e.to_string()))?;
    ParquetWriter::new(parquet)
        .finish(table)
        .map_err(|e| fail(&parquet_path, e.to_string()))?;
    Ok(())
}
