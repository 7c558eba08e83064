//! ISO weeks in Asia/Ho_Chi_Minh time.

use chrono::{DateTime, Datelike, Duration, NaiveDate};
use nhip_ingest::dates::vietnam_offset;

/// An ISO week: year, number, and its Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    pub year: i32,
    pub week: u32,
    pub start: NaiveDate,
}

/// The Monday that starts the ISO week of a publication time (seconds since the epoch),
/// reckoned in Asia/Ho_Chi_Minh time.
pub fn week_start_of(timestamp: i64) -> Option<NaiveDate> {
    let local = DateTime::from_timestamp(timestamp, 0)?.with_timezone(&vietnam_offset());
    let day = local.date_naive();
    Some(day - Duration::days(i64::from(day.weekday().num_days_from_monday())))
}

/// The ISO week of a day.
///
/// ```
/// use chrono::NaiveDate;
/// use nhip_trends::iso_week_of;
/// let w = iso_week_of(NaiveDate::from_ymd_opt(2024, 12, 30).unwrap());
/// assert_eq!((w.year, w.week), (2025, 1));
/// let w = iso_week_of(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
/// assert_eq!((w.year, w.week), (2026, 53));
/// ```
pub fn iso_week_of(day: NaiveDate) -> IsoWeek {
    let iso = day.iso_week();
    IsoWeek {
        year: iso.year(),
        week: iso.week(),
        start: day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
    }
}

/// Every week from the one holding `first` to the one holding `last`, in order.
pub fn weeks_between(first: NaiveDate, last: NaiveDate) -> Vec<IsoWeek> {
    let mut weeks = Vec::new();
    let mut start = iso_week_of(first).start;
    let end = iso_week_of(last).start;
    while start <= end {
        weeks.push(iso_week_of(start));
        start += Duration::days(7);
    }
    weeks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn local_time_decides_the_week() {
        // Sunday 2026-01-04 18:30 UTC is Monday 01:30 in Hà Nội.
        let ts = DateTime::parse_from_rfc3339("2026-01-04T18:30:00Z")
            .unwrap()
            .timestamp();
        assert_eq!(week_start_of(ts), Some(d(2026, 1, 5)));
        let ts = DateTime::parse_from_rfc3339("2026-01-04T16:59:59Z")
            .unwrap()
            .timestamp();
        assert_eq!(week_start_of(ts), Some(d(2025, 12, 29)));
    }

    #[test]
    fn ranges_cross_years() {
        let weeks = weeks_between(d(2025, 12, 24), d(2026, 1, 6));
        let labels: Vec<(i32, u32)> = weeks.iter().map(|w| (w.year, w.week)).collect();
        assert_eq!(labels, [(2025, 52), (2026, 1), (2026, 2)]);
        assert_eq!(weeks[1].start, d(2025, 12, 29));
        let w = weeks_between(d(2026, 12, 28), d(2027, 1, 4));
        assert_eq!(w.iter().map(|w| w.week).collect::<Vec<_>>(), [53, 1]);
    }
}
