//! One input record (a JSON object, a CSV row) turned into a document: the checks and defaults
//! every tabular reader shares.

use crate::dates::parse_date;
use crate::document::{DocKind, RawDocument};
use crate::IngestOptions;
use nhip_text::normalize;
use serde::Deserialize;

/// The input's name for each of nhip's fields: a JSON key or a CSV column header.
///
/// ```toml
/// # in a pipeline's [[source]]
/// columns = { title = "Tiêu đề", body = "Nội dung", published_at = "Ngày đăng" }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ColumnMap {
    pub id: String,
    pub title: String,
    pub body: String,
    pub published_at: String,
    pub source: String,
    pub kind: String,
    pub unit: String,
    pub url: String,
}

impl Default for ColumnMap {
    fn default() -> Self {
        ColumnMap {
            id: "id".into(),
            title: "title".into(),
            body: "body".into(),
            published_at: "published_at".into(),
            source: "source".into(),
            kind: "kind".into(),
            unit: "unit".into(),
            url: "url".into(),
        }
    }
}

/// A record's values, looked up through the column map.
pub(crate) trait RecordValues {
    /// The value of input column `name`: `Ok(None)` when absent or empty, `Err` with a reason
    /// when present but not text.
    fn value(&self, name: &str) -> Result<Option<String>, String>;
}

/// Trimmed, legacy text repaired (TCVN3/VNI pasted into UTF-8, VIQR), normalised; `None` if empty.
fn clean(value: Option<String>) -> Option<String> {
    value
        .map(|v| normalize(&nhip_text::repair(v.trim()).0).into_owned())
        .filter(|v| !v.is_empty())
}

/// Builds a document from a record; the error names the input column at fault.
pub(crate) fn build(
    record: &impl RecordValues,
    origin: String,
    options: &IngestOptions,
    default_kind: DocKind,
) -> Result<RawDocument, String> {
    let c = &options.columns;
    let id = record
        .value(&c.id)?
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    let title = clean(record.value(&c.title)?).unwrap_or_default();
    let body = clean(record.value(&c.body)?).unwrap_or_default();
    if title.is_empty() && body.is_empty() {
        return Err(format!(
            "no text: both {:?} and {:?} are empty or missing",
            c.title, c.body
        ));
    }
    let published_at = match record.value(&c.published_at)?.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(value) => Some(parse_date(value).ok_or_else(|| {
            format!(
                "field {:?}: cannot read {value:?} as a date (expected RFC 3339 such as 2026-01-21T08:30:00+07:00, 2026-01-21 or 21/01/2026)",
                c.published_at
            )
        })?),
    };
    let kind = match record.value(&c.kind)? {
        None => options.default_kind.unwrap_or(default_kind),
        Some(value) => DocKind::parse(&value).ok_or_else(|| {
            format!(
                "field {:?}: expected \"report\" or \"press\", found {value:?}",
                c.kind
            )
        })?,
    };
    let source = clean(record.value(&c.source)?)
        .or_else(|| options.default_source.clone())
        .unwrap_or_default();
    Ok(RawDocument {
        id,
        title,
        body,
        published_at,
        file_date: None,
        reference: None,
        source,
        kind,
        unit: clean(record.value(&c.unit)?),
        url: clean(record.value(&c.url)?),
        origin,
        author: None,
        date_context: None,
    })
}
