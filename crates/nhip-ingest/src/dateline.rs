//! Dates read from a document's own words when its metadata gives none.
//!
//! Vietnamese press and reports open with a dateline (`Chiều 24-7, …`, `Sáng 15-1, …`,
//! `Hà Nội, ngày 21/1/2026`) or carry a date phrase near the top. Full dates (`21/1/2026`,
//! `21-01-2026`, `ngày 21 tháng 1 năm 2026`) are taken as they are. A day and month without a
//! year counts only after a time-of-day or day word (`sáng`, `chiều`, `trưa`, `tối`, `đêm`,
//! `ngày`, `hôm`), since a bare `2-1` is as likely a score as a date; its year comes from the
//! context, in this order: a full date elsewhere in the text (the year that puts the day closest
//! to it), a month phrase for the same month (`tháng 7/2025`), then the reference date the
//! reader knows (the feed's date or the file's modification time), taking the latest year that
//! does not put the day after the reference. A month phrase alone never dates a document: weekly
//! counts need the day.
//!
//! ```
//! use chrono::NaiveDate;
//! use nhip_ingest::dateline::{date_from_text, DateContext, ContextKind};
//! use nhip_ingest::DateSource;
//! let file_date = DateContext { date: NaiveDate::from_ymd_opt(2026, 1, 20).unwrap(), kind: ContextKind::File };
//! let (date, source) = date_from_text("", "Chiều 15-1, tại xã A đã diễn ra…", Some(file_date)).unwrap();
//! assert_eq!(date.to_rfc3339(), "2026-01-15T00:00:00+07:00");
//! assert_eq!(source, DateSource::TextYearFromFile);
//! // December 30th seen from a file written in January belongs to the year before.
//! let (date, _) = date_from_text("", "Sáng 30/12, …", Some(file_date)).unwrap();
//! assert_eq!(date.date_naive(), NaiveDate::from_ymd_opt(2025, 12, 30).unwrap());
//! assert!(date_from_text("", "Tỉ số 2-1 nghiêng về đội khách", Some(file_date)).is_none());
//! ```

use crate::dates::vietnam_offset;
use crate::document::DateSource;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};
use regex::Regex;
use std::sync::LazyLock;

/// How far into the body a dateline or date phrase is looked for (in bytes).
const DATELINE_WINDOW: usize = 800;
/// How far into the body full dates are looked for as year context.
const CONTEXT_WINDOW: usize = 8_000;

/// Where a reference date for year inference came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextKind {
    /// The date of the feed that carried the item.
    Feed,
    /// The modification time of the file the document was read from.
    File,
}

/// A date known around the document, used only to infer a missing year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateContext {
    pub date: NaiveDate,
    pub kind: ContextKind,
}

static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})|(?-u:\b)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})|(?-u:\b)(\d{4})-(\d{2})-(\d{2}))(?-u:\b)",
    )
    .expect("full-date pattern compiles")
});

static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^\p{L}])(?:rạng\s+sáng|sáng|chiều|trưa|tối|đêm|khuya|ngày|hôm)(?:\s+nay)?\s*(?:\(\s*)?(\d{1,2})\s*(?:[/.\-]\s*(\d{1,2})|\s+tháng\s+(\d{1,2}))(?-u:\b)(\s*[/.\-]\s*\d)?",
    )
    .expect("day-month pattern compiles")
});

static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)tháng\s+(\d{1,2})\s*(?:[/.\-]\s*|\s+năm\s+)(\d{4})(?-u:\b)")
        .expect("month-year pattern compiles")
});

fn number(caps: &regex::Captures<'_>, group: usize) -> Option<u32> {
    caps.get(group)?.as_str().parse().ok()
}

fn plausible(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1990..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

fn prefix(text: &str, bytes: usize) -> &str {
    if text.len() <= bytes {
        return text;
    }
    let mut end = bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Full dates in `text`, with their byte position.
fn full_dates(text: &str) -> Vec<(usize, NaiveDate)> {
    FULL_DATE
        .captures_iter(text)
        .filter_map(|caps| {
            let position = caps.get(0)?.start();
            let date = if caps.get(1).is_some() {
                plausible(
                    number(&caps, 3)? as i32,
                    number(&caps, 2)?,
                    number(&caps, 1)?,
                )
            } else if caps.get(4).is_some() {
                plausible(
                    number(&caps, 6)? as i32,
                    number(&caps, 5)?,
                    number(&caps, 4)?,
                )
            } else {
                plausible(
                    number(&caps, 7)? as i32,
                    number(&caps, 8)?,
                    number(&caps, 9)?,
                )
            }?;
            Some((position, date))
        })
        .collect()
}

/// The first day and month without a year after a day word, with its position.
fn day_month(text: &str) -> Option<(usize, u32, u32)> {
    DAY_MONTH.captures_iter(text).find_map(|caps| {
        if caps.get(4).is_some() {
            return None; // `ngày 21/1/2026` is a full date, found by the other pattern
        }
        let day = number(&caps, 1)?;
        let month = number(&caps, 2).or_else(|| number(&caps, 3))?;
        // Any leap year: the year is not known yet.
        NaiveDate::from_ymd_opt(2024, month, day)?;
        Some((caps.get(0)?.start(), day, month))
    })
}

fn at_midnight(date: NaiveDate) -> Option<DateTime<FixedOffset>> {
    vietnam_offset()
        .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .single()
}

/// The year that puts `month`/`day` closest to `anchor`.
fn closest_year(anchor: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    (anchor.year() - 1..=anchor.year() + 1)
        .filter_map(|y| plausible(y, month, day))
        .min_by_key(|d| (*d - anchor).num_days().abs())
}

/// The latest year that does not put `month`/`day` after `reference` (a day of slack for time
/// zones and late filing).
fn year_not_after(reference: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let limit = reference + chrono::Duration::days(1);
    (reference.year() - 1..=reference.year())
        .rev()
        .filter_map(|y| plausible(y, month, day))
        .find(|d| *d <= limit)
}

/// The publication date stated in the title or the top of the body, with how it was found.
pub fn date_from_text(
    title: &str,
    body: &str,
    context: Option<DateContext>,
) -> Option<(DateTime<FixedOffset>, DateSource)> {
    let head = prefix(body, DATELINE_WINDOW);
    for text in [title, head] {
        let full = full_dates(text).into_iter().next();
        let partial = day_month(text);
        match (full, partial) {
            (Some((full_at, date)), Some((partial_at, ..))) if full_at <= partial_at => {
                return Some((at_midnight(date)?, DateSource::Text));
            }
            (Some((_, date)), None) => return Some((at_midnight(date)?, DateSource::Text)),
            (_, Some((_, day, month))) => return with_inferred_year(body, day, month, context),
            (None, None) => {}
        }
    }
    None
}

fn with_inferred_year(
    body: &str,
    day: u32,
    month: u32,
    context: Option<DateContext>,
) -> Option<(DateTime<FixedOffset>, DateSource)> {
    let window = prefix(body, CONTEXT_WINDOW);
    if let Some((_, anchor)) = full_dates(window).into_iter().next() {
        if let Some(date) = closest_year(anchor, month, day) {
            return Some((at_midnight(date)?, DateSource::TextYearFromNearbyDate));
        }
    }
    let month_year = MONTH_YEAR.captures_iter(window).find_map(|caps| {
        (number(&caps, 1)? == month)
            .then(|| number(&caps, 2))
            .flatten()
    });
    if let Some(year) = month_year {
        if let Some(date) = plausible(year as i32, month, day) {
            return Some((at_midnight(date)?, DateSource::TextYearFromNearbyDate));
        }
    }
    let context = context?;
    let date = year_not_after(context.date, month, day)?;
    let source = match context.kind {
        ContextKind::Feed => DateSource::TextYearFromFeed,
        ContextKind::File => DateSource::TextYearFromFile,
    };
    Some((at_midnight(date)?, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn file(y: i32, m: u32, d: u32) -> Option<DateContext> {
        Some(DateContext {
            date: ymd(y, m, d),
            kind: ContextKind::File,
        })
    }

    fn found(body: &str, context: Option<DateContext>) -> Option<(NaiveDate, DateSource)> {
        date_from_text("", body, context).map(|(d, s)| (d.date_naive(), s))
    }

    #[test]
    fn datelines_of_the_issue() {
        let ctx = file(2025, 8, 1);
        assert_eq!(
            found("(Báo A) - Chiều 24-7, UBND tỉnh họp.", ctx),
            Some((ymd(2025, 7, 24), DateSource::TextYearFromFile))
        );
        assert_eq!(
            found("Sáng 15-1, đoàn công tác đến xã B.", file(2026, 1, 16)),
            Some((ymd(2026, 1, 15), DateSource::TextYearFromFile))
        );
        assert_eq!(
            found("Hà Nội, ngày 21/1/2026. Báo cáo…", None),
            Some((ymd(2026, 1, 21), DateSource::Text))
        );
        assert_eq!(
            found("Cập nhật 21-01-2026 lúc 8 giờ.", None),
            Some((ymd(2026, 1, 21), DateSource::Text))
        );
        assert_eq!(
            found("Ngày 3 tháng 2 năm 2026, hội nghị…", None),
            Some((ymd(2026, 2, 3), DateSource::Text))
        );
    }

    #[test]
    fn year_from_nearby_dates_first() {
        // The full date further down wins over the file date.
        let body = "Tối 30/12, người dân đổ ra đường. Đến ngày 2/1/2026 vẫn còn đông.";
        assert_eq!(
            found(body, file(2026, 6, 1)),
            Some((ymd(2025, 12, 30), DateSource::TextYearFromNearbyDate))
        );
        let body = "Trưa 5-7, trong đợt nắng nóng tháng 7/2025 kéo dài.";
        assert_eq!(
            found(body, None),
            Some((ymd(2025, 7, 5), DateSource::TextYearFromNearbyDate))
        );
    }

    #[test]
    fn feed_reference_and_year_boundary() {
        let feed = Some(DateContext {
            date: ymd(2026, 1, 2),
            kind: ContextKind::Feed,
        });
        assert_eq!(
            found("Đêm 31/12, pháo hoa…", feed),
            Some((ymd(2025, 12, 31), DateSource::TextYearFromFeed))
        );
    }

    #[test]
    fn no_date_without_a_year_or_a_day_word() {
        assert_eq!(found("Chiều 24-7, họp.", None), None);
        assert_eq!(found("Đội nhà thắng 2-1.", file(2026, 1, 1)), None);
        // A month phrase alone does not give a day.
        assert_eq!(found("Trong tháng 7/2025, giá tăng.", None), None);
        assert_eq!(found("Sáng 31/2, họp.", file(2026, 3, 1)), None);
    }

    #[test]
    fn title_is_read_first() {
        let (date, source) = date_from_text("Bản tin ngày 4/3/2026", "Chiều 2-3, …", None).unwrap();
        assert_eq!(date.date_naive(), ymd(2026, 3, 4));
        assert_eq!(source, DateSource::Text);
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "ngày 99/99/9999",
            "sáng 0-0",
            "tháng 13/2026",
            "ngày",
            "3/",
            "é".repeat(900).as_str(),
        ] {
            let _ = date_from_text(text, text, file(2026, 1, 1));
        }
    }
}
