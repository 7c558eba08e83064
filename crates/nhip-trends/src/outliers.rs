//! Documents dated far outside the bulk of their source: a feed that re-surfaces an archive
//! item, a page whose date was misread. They stay in every table (they are documents), and the
//! run lists them so an analyst can check them.
//!
//! The rule, per source with at least [`MIN_SOURCE_DOCS`] dated documents: the bulk runs from
//! the source's 5th to its 95th percentile date; a document is an outlier when it lies more
//! than a margin before or after the bulk, the margin being the larger of [`MIN_MARGIN_WEEKS`]
//! weeks and half the bulk's span. Percentiles, not the first and last dates, so a handful of
//! stray dates cannot move the bulk; the margin grows with the span, so a source that really
//! covers years is not cut short.

use crate::TrendError;
use chrono::{DateTime, FixedOffset};
use nhip_index::{FilterField, NhipIndex, QueryNode};
use serde::Serialize;
use std::collections::HashSet;

/// Fewest dated documents of a source before its dates are judged.
pub const MIN_SOURCE_DOCS: usize = 20;
/// Least distance outside the bulk, in weeks, before a date is an outlier.
pub const MIN_MARGIN_WEEKS: i64 = 8;
/// Documents listed by default (the total is always counted).
pub const LISTED: usize = 100;

const WEEK_SECONDS: i64 = 7 * 24 * 3600;
/// Name of the group of documents that name no source.
pub const NO_SOURCE: &str = "(no source)";

/// Where a source's bulk of dates lies, and how far outside it a date may stray.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bulk {
    /// The 5th and 95th percentile dates (seconds since the epoch).
    pub from: i64,
    pub to: i64,
    /// Allowed distance outside `from..=to`, in seconds.
    pub margin: i64,
}

impl Bulk {
    /// The bulk of a source's dates, or `None` when it has too few to judge.
    pub fn of(timestamps: &[i64]) -> Option<Bulk> {
        if timestamps.len() < MIN_SOURCE_DOCS {
            return None;
        }
        let mut sorted = timestamps.to_vec();
        sorted.sort_unstable();
        let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
        let (from, to) = (at(0.05), at(0.95));
        let margin = (MIN_MARGIN_WEEKS * WEEK_SECONDS).max((to - from) / 2);
        Some(Bulk { from, to, margin })
    }

    /// Weeks (rounded down) a date lies outside the allowed range, negative before it; `None`
    /// inside.
    pub fn weeks_outside(&self, timestamp: i64) -> Option<i64> {
        if timestamp < self.from - self.margin {
            Some(-((self.from - timestamp) / WEEK_SECONDS))
        } else if timestamp > self.to + self.margin {
            Some((timestamp - self.to) / WEEK_SECONDS)
        } else {
            None
        }
    }
}

/// One document dated far outside its source's bulk.
#[derive(Debug, Clone, Serialize)]
pub struct DateOutlier {
    pub id: String,
    pub title: String,
    pub source: String,
    pub published_at: Option<DateTime<FixedOffset>>,
    pub date_source: String,
    /// Weeks from the source's bulk: negative before it, positive after.
    pub weeks_from_bulk: i64,
    /// The source's 5th and 95th percentile dates (`YYYY-MM-DD`, Asia/Ho_Chi_Minh).
    pub bulk_from: String,
    pub bulk_to: String,
}

/// Per source, how many documents stand outside its bulk.
#[derive(Debug, Clone, Serialize)]
pub struct SourceOutliers {
    pub source: String,
    pub dated_documents: usize,
    pub outliers: usize,
    pub bulk_from: String,
    pub bulk_to: String,
}

/// The outliers of an index: all counted, the furthest listed first up to a cap.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DateOutliers {
    pub total: usize,
    pub sources: Vec<SourceOutliers>,
    pub listed: Vec<DateOutlier>,
}

fn day(timestamp: i64) -> String {
    DateTime::from_timestamp(timestamp, 0)
        .map(|d| {
            d.with_timezone(&nhip_ingest::dates::vietnam_offset())
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_default()
}

/// Finds the documents of every source dated far outside the source's bulk; lists up to
/// `limit` of them, the furthest from their bulk first.
pub fn date_outliers(index: &NhipIndex, limit: usize) -> Result<DateOutliers, TrendError> {
    let mut groups: Vec<(String, Vec<nhip_index::DatedMatch>)> = Vec::new();
    let mut seen: HashSet<tantivy::DocAddress> = HashSet::new();
    for name in index.sources()? {
        let scope = QueryNode::Filter {
            field: FilterField::Source,
            value: name.clone(),
        };
        let matches = index.dated_matches(Some(&scope))?;
        seen.extend(matches.iter().map(|m| m.address));
        groups.push((name, matches));
    }
    let rest: Vec<_> = index
        .dated_matches(None)?
        .into_iter()
        .filter(|m| !seen.contains(&m.address))
        .collect();
    if !rest.is_empty() {
        groups.push((NO_SOURCE.to_string(), rest));
    }

    let mut found = DateOutliers::default();
    // (distance in weeks, address, bulk) of every outlier, to list the furthest.
    let mut all = Vec::new();
    for (name, matches) in groups {
        let dated: Vec<(i64, tantivy::DocAddress)> = matches
            .iter()
            .filter_map(|m| m.published_at.map(|t| (t, m.address)))
            .collect();
        let timestamps: Vec<i64> = dated.iter().map(|&(t, _)| t).collect();
        let Some(bulk) = Bulk::of(&timestamps) else {
            continue;
        };
        let before = all.len();
        for &(t, address) in &dated {
            if let Some(weeks) = bulk.weeks_outside(t) {
                all.push((weeks, address, bulk));
            }
        }
        if all.len() > before {
            found.sources.push(SourceOutliers {
                source: name,
                dated_documents: dated.len(),
                outliers: all.len() - before,
                bulk_from: day(bulk.from),
                bulk_to: day(bulk.to),
            });
        }
    }
    found.total = all.len();
    all.sort_by_key(|&(weeks, address, _)| (std::cmp::Reverse(weeks.abs()), address));
    for (weeks, address, bulk) in all.into_iter().take(limit) {
        let hit = index.load(address)?;
        found.listed.push(DateOutlier {
            id: hit.id,
            title: hit.title,
            source: hit.source,
            published_at: hit.published_at,
            date_source: hit.date_source,
            weeks_from_bulk: weeks,
            bulk_from: day(bulk.from),
            bulk_to: day(bulk.to),
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 3600;

    #[test]
    fn a_few_old_dates_stand_outside_a_year_of_documents() {
        // A year of documents, three a day, and four stray dates two to three years earlier.
        let start = 1_756_684_800; // 2025-09-01
        let mut dates: Vec<i64> = (0..365 * 3).map(|i| start + i / 3 * DAY).collect();
        let old = [
            start - 830 * DAY,
            start - 700 * DAY,
            start - 610 * DAY,
            start - 520 * DAY,
        ];
        dates.extend(old);
        let bulk = Bulk::of(&dates).unwrap();
        let outside: Vec<i64> = dates
            .iter()
            .copied()
            .filter(|&t| bulk.weeks_outside(t).is_some())
            .collect();
        assert_eq!(outside, old);
        assert!(bulk.weeks_outside(start - 830 * DAY).unwrap() < -100);
        // The first and last days of the year are inside.
        assert_eq!(bulk.weeks_outside(start), None);
        assert_eq!(bulk.weeks_outside(start + 364 * DAY), None);
    }

    #[test]
    fn a_date_far_in_the_future_is_outside_too() {
        let start = 1_756_684_800;
        let mut dates: Vec<i64> = (0..200).map(|i| start + i * DAY).collect();
        dates.push(start + 3 * 365 * DAY);
        let bulk = Bulk::of(&dates).unwrap();
        assert!(bulk.weeks_outside(start + 3 * 365 * DAY).unwrap() > 100);
        assert_eq!(bulk.weeks_outside(start + 199 * DAY), None);
    }

    #[test]
    fn a_source_spread_over_years_is_not_cut() {
        // Ten documents a month for six years: every date belongs.
        let start = 1_577_836_800; // 2020-01-01
        let dates: Vec<i64> = (0..720).map(|i| start + i * 3 * DAY).collect();
        let bulk = Bulk::of(&dates).unwrap();
        assert!(dates.iter().all(|&t| bulk.weeks_outside(t).is_none()));
    }

    #[test]
    fn few_documents_are_not_judged() {
        let dates: Vec<i64> = (0..(MIN_SOURCE_DOCS as i64 - 1)).map(|i| i * DAY).collect();
        assert_eq!(Bulk::of(&dates), None);
    }
}
