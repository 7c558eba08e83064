//! The counts table as Parquet: what a cluster job (`pipelines/spark/weekly_topics.py`) writes
//! and `nhip trends --counts DIR` reads. Everything after counting — share, change, baseline,
//! p-value, flags, forecasts, emerging terms, charts, brief — is then built by the same code as
//! from an index.
//!
//! A counts folder holds three tables, each a Parquet file or a folder of Parquet part files
//! (as Spark writes them):
//!
//! | table | columns |
//! |---|---|
//! | `topic_weeks` | `topic`, `week_start` (date, the Monday), `docs`, `reports`, `stories` |
//! | `weeks` | `week_start` (null for documents without a date), `docs` |
//! | `word_weeks` | `week_start`, `term` (segmenter word, `_` inside), `docs`, optional `example_ids` (space-separated) |

use crate::emerging::WordCounts;
use crate::{ScopeCounts, TopicWeekCount, TrendError, WeeklyCounts};
use chrono::NaiveDate;
use polars::prelude::*;
use polars_io::parquet::read::ParquetReader;
use polars_io::SerReader;
use std::path::{Path, PathBuf};

/// The tables of one counts folder, read.
#[derive(Debug, Clone, Default)]
pub struct CountsDir {
    pub weekly: WeeklyCounts,
    pub words: WordCounts,
}

fn bad(path: &Path, message: impl Into<String>) -> TrendError {
    TrendError::Counts {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// The Parquet files of a table: `DIR/NAME.parquet`, or every `*.parquet` in `DIR/NAME/`.
fn table_files(dir: &Path, name: &str) -> Result<Vec<PathBuf>, TrendError> {
    let file = dir.join(format!("{name}.parquet"));
    if file.is_file() {
        return Ok(vec![file]);
    }
    let folder = dir.join(name);
    let entries = std::fs::read_dir(&folder).map_err(|e| {
        bad(
            &folder,
            format!("no table {name} ({name}.parquet or {name}/): {e}"),
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    files.sort();
    Ok(files)
}

/// A table's rows from all its files; `None` when it has no rows at all.
fn read_table(dir: &Path, name: &str) -> Result<Option<DataFrame>, TrendError> {
    let mut table: Option<DataFrame> = None;
    for path in table_files(dir, name)? {
        let file = std::fs::File::open(&path).map_err(|e| bad(&path, e.to_string()))?;
        let part = ParquetReader::new(file)
            .finish()
            .map_err(|e| bad(&path, e.to_string()))?;
        if part.height() == 0 {
            continue;
        }
        match &mut table {
            None => table = Some(part),
            Some(t) => {
                t.vstack_mut(&part.select(t.get_column_names_owned())?)?;
            }
        }
    }
    Ok(table)
}

fn strings(table: &DataFrame, name: &str, path: &Path) -> Result<Vec<Option<String>>, TrendError> {
    let column = table
        .column(name)
        .map_err(|_| bad(path, format!("no column {name}")))?
        .cast(&DataType::String)?;
    Ok(column
        .str()?
        .iter()
        .map(|v| v.map(str::to_string))
        .collect())
}

fn integers(table: &DataFrame, name: &str, path: &Path) -> Result<Vec<i64>, TrendError> {
    let column = table
        .column(name)
        .map_err(|_| bad(path, format!("no column {name}")))?
        .cast(&DataType::Int64)?;
    Ok(column.i64()?.iter().map(|v| v.unwrap_or(0)).collect())
}

fn day(value: Option<&str>, path: &Path) -> Result<Option<NaiveDate>, TrendError> {
    value
        .map(|v| {
            NaiveDate::parse_from_str(v.get(..10).unwrap_or(v), "%Y-%m-%d")
                .map_err(|e| bad(path, format!("week_start {v:?}: {e}")))
        })
        .transpose()
}

/// Reads a counts folder.
pub fn read_counts_dir(dir: &Path) -> Result<CountsDir, TrendError> {
    let mut out = CountsDir::default();

    let path = dir.join("weeks");
    if let Some(table) = read_table(dir, "weeks")? {
        let starts = strings(&table, "week_start", &path)?;
        let docs = integers(&table, "docs", &path)?;
        let mut totals: std::collections::BTreeMap<NaiveDate, i64> = Default::default();
        for (start, n) in starts.iter().zip(docs) {
            match day(start.as_deref(), &path)? {
                Some(week) => *totals.entry(week).or_default() += n,
                None => out.weekly.undated_docs += usize::try_from(n).unwrap_or(0),
            }
        }
        out.weekly.all.totals = totals.into_iter().collect();
    }

    let path = dir.join("topic_weeks");
    if let Some(table) = read_table(dir, "topic_weeks")? {
        let topics = strings(&table, "topic", &path)?;
        let starts = strings(&table, "week_start", &path)?;
        let (docs, reports, stories) = (
            integers(&table, "docs", &path)?,
            integers(&table, "reports", &path)?,
            integers(&table, "stories", &path)?,
        );
        let mut rows = Vec::with_capacity(topics.len());
        for i in 0..topics.len() {
            let (Some(topic), Some(week)) = (topics[i].clone(), day(starts[i].as_deref(), &path)?)
            else {
                return Err(bad(
                    &path,
                    format!("row {i}: topic and week_start are required"),
                ));
            };
            rows.push(TopicWeekCount {
                topic,
                week_start: week,
                docs: docs[i],
                reports: reports[i],
                stories: stories[i],
            });
        }
        out.weekly.all.topic_weeks = rows;
    }

    let path = dir.join("word_weeks");
    if let Some(table) = read_table(dir, "word_weeks")? {
        let starts = strings(&table, "week_start", &path)?;
        let terms = strings(&table, "term", &path)?;
        let docs = integers(&table, "docs", &path)?;
        let examples = table
            .column("example_ids")
            .is_ok()
            .then(|| strings(&table, "example_ids", &path))
            .transpose()?;
        for i in 0..terms.len() {
            let (Some(term), Some(week)) = (terms[i].clone(), day(starts[i].as_deref(), &path)?)
            else {
                continue;
            };
            let n = u32::try_from(docs[i]).unwrap_or(u32::MAX);
            if let Some(ids) = examples.as_ref().and_then(|e| e[i].as_ref()) {
                let ids: Vec<String> = ids.split_whitespace().map(str::to_string).collect();
                if !ids.is_empty() {
                    out.words.examples.insert((term.clone(), week), ids);
                }
            }
            out.words.terms.entry(term).or_default().push((week, n));
        }
    }
    Ok(out)
}

/// Writes counts as a counts folder (one Parquet file per table): what the Spark job writes,
/// here for tests and for checking a cluster's numbers against an index.
pub fn write_counts_dir(
    dir: &Path,
    weekly: &ScopeCounts,
    undated_docs: usize,
    words: &WordCounts,
) -> Result<(), TrendError> {
    let rows = &weekly.topic_weeks;
    let mut topic_weeks = df!(
        "topic" => rows.iter().map(|r| r.topic.as_str()).collect::<Vec<_>>(),
        "week_start" => rows.iter().map(|r| r.week_start).collect::<Vec<_>>(),
        "docs" => rows.iter().map(|r| r.docs).collect::<Vec<_>>(),
        "reports" => rows.iter().map(|r| r.reports).collect::<Vec<_>>(),
        "stories" => rows.iter().map(|r| r.stories).collect::<Vec<_>>(),
    )?;
    let mut starts: Vec<Option<NaiveDate>> = weekly.totals.iter().map(|(w, _)| Some(*w)).collect();
    let mut docs: Vec<i64> = weekly.totals.iter().map(|(_, n)| *n).collect();
    starts.push(None);
    docs.push(undated_docs as i64);
    let mut weeks = df!("week_start" => starts, "docs" => docs)?;
    let (mut word_starts, mut terms, mut word_docs, mut examples) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (term, list) in &words.terms {
        for (week, n) in list {
            word_starts.push(*week);
            terms.push(term.as_str());
            word_docs.push(i64::from(*n));
            examples.push(
                words
                    .examples
                    .get(&(term.clone(), *week))
                    .map(|ids| ids.join(" ")),
            );
        }
    }
    let mut word_weeks = df!(
        "week_start" => word_starts,
        "term" => terms,
        "docs" => word_docs,
        "example_ids" => examples,
    )?;
    std::fs::create_dir_all(dir).map_err(|e| bad(dir, e.to_string()))?;
    for (name, table) in [
        ("topic_weeks", &mut topic_weeks),
        ("weeks", &mut weeks),
        ("word_weeks", &mut word_weeks),
    ] {
        let path = dir.join(format!("{name}.parquet"));
        let file = std::fs::File::create(&path).map_err(|e| bad(&path, e.to_string()))?;
        polars_io::parquet::write::ParquetWriter::new(file)
            .finish(table)
            .map_err(|e| bad(&path, e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_survive_parquet() {
        let dir = tempfile::tempdir().unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let weekly = ScopeCounts {
            topic_weeks: vec![TopicWeekCount {
                topic: "lu".into(),
                week_start: d(3, 2),
                docs: 4,
                reports: 1,
                stories: 3,
            }],
            totals: vec![(d(3, 2), 10), (d(3, 16), 2)],
        };
        let mut words = WordCounts::default();
        words.terms.insert("sạt_lở".into(), vec![(d(3, 2), 3)]);
        words
            .examples
            .insert(("sạt_lở".into(), d(3, 2)), vec!["a".into(), "b".into()]);
        write_counts_dir(dir.path(), &weekly, 7, &words).unwrap();
        let read = read_counts_dir(dir.path()).unwrap();
        assert_eq!(read.weekly.all, weekly);
        assert_eq!(read.weekly.undated_docs, 7);
        assert_eq!(read.words.terms, words.terms);
        assert_eq!(read.words.examples, words.examples);
        let err = read_counts_dir(&dir.path().join("missing")).unwrap_err();
        assert!(err.to_string().contains("weeks"), "{err}");
    }
}
