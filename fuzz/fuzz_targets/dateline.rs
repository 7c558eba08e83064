#![no_main]
//! Dates from a title and the top of a text (datelines, day-month with year inference, the
//! official date line), and metadata date formats.
use nhip_ingest::dateline::{date_from_text, ContextKind, DateContext};

libfuzzer_sys::fuzz_target!(|input: (&str, &str, Option<(i32, u32, u32, bool)>)| {
    let (title, body, context) = input;
    let context = context.and_then(|(year, month, day, feed)| {
        Some(DateContext {
            date: chrono::NaiveDate::from_ymd_opt(year, month, day)?,
            kind: if feed {
                ContextKind::Feed
            } else {
                ContextKind::File
            },
        })
    });
    std::hint::black_box(date_from_text(title, body, context));
    std::hint::black_box(nhip_ingest::dates::parse_date(title));
    std::hint::black_box(nhip_ingest::official::OfficialHeader::read_document(
        title, body,
    ));
});
