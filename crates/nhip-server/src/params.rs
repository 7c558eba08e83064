//! Request parameters: a strict query-string decoder (invalid percent-encoding or UTF-8 is a
//! 400 that says so, never a silent replacement), and the search request every search route
//! shares, checked against the server's limits.

use crate::error::ApiError;
use chrono::NaiveDate;
use nhip_index::{FilterField, IndexError, QueryNode, SortOrder};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most hits on one page.
pub const MAX_LIMIT: usize = 100;
/// Deepest page start; beyond it, export the hits.
pub const MAX_OFFSET: usize = 100_000;
/// Longest filter value (source, unit), in characters.
const MAX_FILTER_CHARS: usize = 200;

/// Decoded `name=value` pairs of a query string or form body, in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

fn hex(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Decodes one `application/x-www-form-urlencoded` component (`+` is a space).
pub fn percent_decode(component: &str) -> Result<String, String> {
    let bytes = component.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let pair = bytes
                    .get(i + 1)
                    .copied()
                    .and_then(hex)
                    .zip(bytes.get(i + 2).copied().and_then(hex));
                let Some((high, low)) = pair else {
                    return Err(format!(
                        "invalid percent-encoding at byte {} (`%` must be followed by two hexadecimal digits)",
                        i + 1
                    ));
                };
                out.push(high << 4 | low);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "percent-encoded bytes are not valid UTF-8".to_string())
}

impl Params {
    /// Parses a raw query string (without `?`) or form body.
    pub fn parse(raw: Option<&str>) -> Result<Params, ApiError> {
        let mut pairs = Vec::new();
        for part in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            let name =
                percent_decode(name).map_err(|e| ApiError::bad_request("query string", e))?;
            let value = percent_decode(value).map_err(|e| {
                ApiError::bad_request("query string", format!("parameter {name:?}: {e}"))
            })?;
            pairs.push((name, value));
        }
        Ok(Params(pairs))
    }

    /// The first value of a parameter, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, v)| n == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    /// Every non-blank value of a repeated parameter.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, v)| n == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }
}

/// One search as the routes receive it: `q, since, until, source, kind, unit, sort, limit,
/// offset` (and `reading`, repeated: the readings the user picked for accent-free words).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchRequest {
    pub q: String,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub source: Option<String>,
    pub kind: Option<String>,
    pub unit: Option<String>,
    pub sort: SortOrder,
    pub limit: usize,
    pub offset: usize,
    pub readings: Vec<String>,
}

fn date(params: &Params, name: &'static str) -> Result<Option<NaiveDate>, ApiError> {
    params
        .get(name)
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                ApiError::bad_request(
                    name,
                    format!("{name}: expected a date as YYYY-MM-DD, not {v:?}"),
                )
            })
        })
        .transpose()
}

fn number(
    params: &Params,
    name: &'static str,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    let Some(v) = params.get(name) else {
        return Ok(default);
    };
    let n: usize = v.parse().map_err(|_| {
        ApiError::bad_request(name, format!("{name}: expected a whole number, not {v:?}"))
    })?;
    if n > max {
        return Err(ApiError::bad_request(
            name,
            format!("{name}: at most {max}, not {n}"),
        ));
    }
    Ok(n)
}

fn filter_value(params: &Params, name: &'static str) -> Result<Option<String>, ApiError> {
    match params.get(name) {
        Some(v) if v.chars().count() > MAX_FILTER_CHARS => Err(ApiError::bad_request(
            name,
            format!("{name}: too long (at most {MAX_FILTER_CHARS} characters)"),
        )),
        other => Ok(other.map(str::to_string)),
    }
}

impl SearchRequest {
    /// Reads and checks the parameters; `default_limit` is the page size when none is asked.
    pub fn from_params(params: &Params, default_limit: usize) -> Result<SearchRequest, ApiError> {
        let q = params.get("q").unwrap_or("").to_string();
        let chars = q.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(ApiError::bad_request(
                "q",
                format!("q: too long ({chars} characters; at most {MAX_QUERY_CHARS})"),
            ));
        }
        let since = date(params, "since")?;
        let until = date(params, "until")?;
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                return Err(ApiError::bad_request(
                    "until",
                    format!("until ({u}) is before since ({s})"),
                ));
            }
        }
        let kind = match params.get("kind") {
            None => None,
            Some(k @ ("report" | "press")) => Some(k.to_string()),
            Some(other) => {
                return Err(ApiError::bad_request(
                    "kind",
                    format!("kind: must be report or press, not {other:?}"),
                ))
            }
        };
        let sort = match params.get("sort") {
            None | Some("relevance") => SortOrder::Relevance,
            Some("newest") => SortOrder::Newest,
            Some("oldest") => SortOrder::Oldest,
            Some(other) => {
                return Err(ApiError::bad_request(
                    "sort",
                    format!("sort: must be relevance, newest or oldest, not {other:?}"),
                ))
            }
        };
        let limit = number(params, "limit", default_limit, MAX_LIMIT)?;
        let offset = number(params, "offset", 0, MAX_OFFSET)?;
        let readings: Vec<String> = params
            .all("reading")
            .take(32)
            .filter(|r| r.chars().count() <= MAX_FILTER_CHARS)
            .map(str::to_string)
            .collect();
        Ok(SearchRequest {
            q,
            since,
            until,
            source: filter_value(params, "source")?,
            kind,
            unit: filter_value(params, "unit")?,
            sort,
            limit,
            offset,
            readings,
        })
    }

    /// Whether there is anything to search for (a query, a filter or a date range).
    pub fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.source.is_none()
            && self.kind.is_none()
            && self.unit.is_none()
            && self.since.is_none()
            && self.until.is_none()
    }

    /// The parsed query with the filters added; without a query, every document the filters
    /// and dates keep (an empty AND matches every document). Nothing at all is an error.
    /// `parse` reads the query text (the index's parser, which knows its word list).
    pub fn node_with(
        &self,
        parse: impl FnOnce(&str) -> Result<QueryNode, IndexError>,
    ) -> Result<QueryNode, ApiError> {
        let mut parts = Vec::new();
        if !self.q.trim().is_empty() || self.is_empty() {
            parts.push(parse(&self.q)?);
        }
        for (field, value) in [
            (FilterField::Source, &self.source),
            (FilterField::Kind, &self.kind),
            (FilterField::Unit, &self.unit),
        ] {
            if let Some(value) = value {
                parts.push(QueryNode::Filter {
                    field,
                    value: value.clone(),
                });
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            QueryNode::And(parts)
        })
    }

    /// The search options of this request.
    pub fn options(&self) -> nhip_index::SearchOptions {
        nhip_index::SearchOptions {
            limit: self.limit,
            offset: self.offset,
            since: self.since,
            until: self.until,
            sort: self.sort,
            readings: self.readings.clone(),
        }
    }

    /// This request as URL query parameters, with `changes` applied (`None` removes one).
    pub fn to_query_string(&self, changes: &[(&str, Option<&str>)]) -> String {
        let offset = self.offset.to_string();
        let limit = self.limit.to_string();
        let since = self.since.map(|d| d.to_string());
        let until = self.until.map(|d| d.to_string());
        let sort = match self.sort {
            SortOrder::Relevance => None,
            SortOrder::Newest => Some("newest"),
            SortOrder::Oldest => Some("oldest"),
        };
        let mut pairs: Vec<(&str, Option<&str>)> = vec![
            ("q", Some(self.q.as_str()).filter(|q| !q.is_empty())),
            ("since", since.as_deref()),
            ("until", until.as_deref()),
            ("source", self.source.as_deref()),
            ("kind", self.kind.as_deref()),
            ("unit", self.unit.as_deref()),
            ("sort", sort),
            ("limit", Some(limit.as_str())),
            ("offset", Some(offset.as_str()).filter(|o| *o != "0")),
        ];
        for (name, value) in changes {
            match pairs.iter_mut().find(|(n, _)| n == name) {
                Some(pair) => pair.1 = *value,
                None => pairs.push((name, *value)),
            }
        }
        let mut out = String::new();
        for (name, value) in pairs {
            if let Some(value) = value {
                if !out.is_empty() {
                    out.push('&');
                }
                out.push_str(name);
                out.push('=');
                out.push_str(&percent_encode(value));
            }
        }
        for reading in &self.readings {
            out.push_str("&reading=");
            out.push_str(&percent_encode(reading));
        }
        out
    }
}

/// Encodes a value for a URL query (unreserved characters kept, space as `%20`).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_is_strict() {
        let p = Params::parse(Some("q=tham+nhung&source=B%C3%A1o%20A&empty=&x")).unwrap();
        assert_eq!(p.get("q"), Some("tham nhung"));
        assert_eq!(p.get("source"), Some("Báo A"));
        assert_eq!(p.get("empty"), None);
        for bad in ["q=%E0%A4%A", "q=%zz", "q=%FF", "q=%"] {
            let err = Params::parse(Some(bad)).unwrap_err();
            assert_eq!(err.status, axum::http::StatusCode::BAD_REQUEST, "{bad}");
        }
    }

    fn node(req: &SearchRequest) -> Result<QueryNode, ApiError> {
        req.node_with(|q| Ok(nhip_index::parse_query(q)?))
    }

    #[test]
    fn requests_are_checked() {
        let req = |s: &str| SearchRequest::from_params(&Params::parse(Some(s)).unwrap(), 10);
        let ok = req("q=lũ&since=2026-01-01&kind=press&sort=newest&limit=5&offset=20").unwrap();
        assert_eq!((ok.limit, ok.offset, ok.sort), (5, 20, SortOrder::Newest));
        for (bad, field) in [
            ("limit=1000", "limit"),
            ("limit=-1", "limit"),
            ("offset=999999999", "offset"),
            ("since=2026-13-01", "since"),
            ("since=2026-02-01&until=2026-01-01", "until"),
            ("kind=blog", "kind"),
            ("sort=random", "sort"),
        ] {
            assert_eq!(req(bad).unwrap_err().field, Some(field), "{bad}");
        }
        let long = format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1));
        assert_eq!(req(&long).unwrap_err().field, Some("q"));
        let err = node(&req("q=(lũ").unwrap()).unwrap_err();
        assert_eq!((err.field, err.column), (Some("q"), Some(1)));
        assert!(node(&req("").unwrap()).is_err());
        assert!(node(&req("kind=report").unwrap()).is_ok());
        assert_eq!(
            node(&req("since=2026-01-05").unwrap()).unwrap(),
            QueryNode::And(Vec::new())
        );
    }

    #[test]
    fn round_trip() {
        let req = SearchRequest::from_params(
            &Params::parse(Some("q=%22s%E1%BA%A1t+l%E1%BB%9F%22&unit=X%26Y&offset=10")).unwrap(),
            10,
        )
        .unwrap();
        let again = SearchRequest::from_params(
            &Params::parse(Some(&req.to_query_string(&[("offset", None)]))).unwrap(),
            10,
        )
        .unwrap();
        assert_eq!(again.q, "\"sạt lở\"");
        assert_eq!(again.unit.as_deref(), Some("X&Y"));
        assert_eq!(again.offset, 0);
    }
}
