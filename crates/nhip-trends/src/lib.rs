//! Weekly trend tables of nhip: topics (saved queries) counted per ISO week.
//!
//! Weeks are ISO weeks, Monday to Sunday, in Asia/Ho_Chi_Minh time: a document published at
//! 01:30 on a Monday in Hà Nội (18:30 Sunday UTC) belongs to the new week. Topic queries use the
//! same matching rules as `nhip search`, because they run through the same index and parser.
//!
//! Tables are built with polars and written as CSV and Parquet.

pub mod alert;
pub mod brief;
pub mod charts;
pub mod counts;
pub mod documents;
pub mod emerging;
mod error;
pub mod forecast;
pub mod matcher;
pub mod outliers;
pub mod stats;
mod topics;
mod week;
mod weekly;

pub use error::TrendError;
pub use topics::{load_topics, parse_topics, Topic};
pub use week::{iso_week_of, week_start_of, weeks_between, IsoWeek};
pub use weekly::{
    assess_week, assess_week_skipping, low_volume_weeks, weekly_counts, weekly_from_counts,
    weekly_topics, weekly_topics_by, weekly_topics_with, write_table, ScopeCounts, TopicWeekCount,
    TrendOptions, WeeklyCounts, WeeklyReport, ALL_SOURCES, BASELINE_WEEKS, DEFAULT_WEEKS_SHOWN,
    FLAG_MIN_DOCS, FLAG_P_VALUE, LOW_VOLUME_SHARE,
};
