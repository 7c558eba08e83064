//! Reading publication dates. Times without an offset are Asia/Ho_Chi_Minh (UTC+7, no daylight
//! saving since 1975, so a fixed offset is exact for any modern document).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

/// The offset of Asia/Ho_Chi_Minh.
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// Parses a date as found in metadata: RFC 3339 (`2026-01-21T08:30:00+07:00`), or without an
/// offset (`2026-01-21T08:30:00`, `2026-01-21 08:30`, `2026-01-21`), or day first
/// (`21/01/2026`, `21-01-2026`). `None` when it is none of these.
///
/// ```
/// use nhip_ingest::dates::parse_date;
/// let d = parse_date("21/1/2026").unwrap();
/// assert_eq!(d.to_rfc3339(), "2026-01-21T00:00:00+07:00");
/// assert!(parse_date("next week").is_none());
/// ```
pub fn parse_date(value: &str) -> Option<DateTime<FixedOffset>> {
    let value = value.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(value) {
        return Some(d);
    }
    let local = |naive: NaiveDateTime| vietnam_offset().from_local_datetime(&naive).single();
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(value, format) {
            return local(naive);
        }
    }
    for format in ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(value, format) {
            return local(date.and_hms_opt(0, 0, 0)?);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(
            parse_date("2026-01-04T18:30:00Z")
                .unwrap()
                .with_timezone(&vietnam_offset())
                .to_rfc3339(),
            "2026-01-05T01:30:00+07:00"
        );
        assert_eq!(
            parse_date("2026-03-02 07:15").unwrap().to_rfc3339(),
            "2026-03-02T07:15:00+07:00"
        );
        assert_eq!(
            parse_date(" 2026-03-02 ").unwrap().to_rfc3339(),
            "2026-03-02T00:00:00+07:00"
        );
        assert_eq!(
            parse_date("02-03-2026").unwrap().to_rfc3339(),
            "2026-03-02T00:00:00+07:00"
        );
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("").is_none());
    }
}
