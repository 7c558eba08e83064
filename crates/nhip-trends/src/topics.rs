//! Topics: saved queries in a TOML file of `[[topic]]` tables.
//!
//! ```toml
//! [[topic]]
//! name = "flooding"              # short id used in tables
//! label = "Lũ lụt, sạt lở"       # what the brief shows
//! query = '"lũ lụt" OR "sạt lở"' # nhip query language
//! group = "disasters"            # optional
//! ```

use crate::TrendError;
use nhip_index::{parse_query, QueryNode};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;

/// One saved query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub name: String,
    pub label: String,
    pub query: String,
    pub group: Option<String>,
    pub parsed: QueryNode,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    name: String,
    label: Option<String>,
    query: String,
    group: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsFile {
    #[serde(default)]
    topic: Vec<RawTopic>,
}

/// Parses topics from TOML text; `path` only names the file in errors.
pub fn parse_topics(text: &str, path: &Path) -> Result<Vec<Topic>, TrendError> {
    let error = |message: String| TrendError::Topics {
        path: path.to_owned(),
        message,
    };
    let file: TopicsFile = toml::from_str(text).map_err(|e| error(e.to_string()))?;
    if file.topic.is_empty() {
        return Err(error("no [[topic]] tables".into()));
    }
    let mut seen = HashSet::new();
    file.topic
        .into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let name = raw.name.trim().to_string();
            if name.is_empty() {
                return Err(error(format!("topic #{}: empty name", i + 1)));
            }
            if !seen.insert(name.clone()) {
                return Err(error(format!("topic {name:?} is defined twice")));
            }
            let parsed = parse_query(&raw.query)
                .map_err(|e| error(format!("topic {name:?}: {e} in {:?}", raw.query)))?;
            Ok(Topic {
                label: raw.label.unwrap_or_else(|| name.clone()),
                name,
                query: raw.query,
                group: raw.group,
                parsed,
            })
        })
        .collect()
}

/// Reads and parses a topics file.
pub fn load_topics(path: &Path) -> Result<Vec<Topic>, TrendError> {
    let text = std::fs::read_to_string(path).map_err(|source| TrendError::ReadTopics {
        path: path.to_owned(),
        source,
    })?;
    parse_topics(&text, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_and_bad_files() {
        let p = Path::new("t.toml");
        let topics = parse_topics("[[topic]]\nname='a'\nquery='lũ OR lụt'\n[[topic]]\nname='b'\nlabel='B'\nquery='giá'\ngroup='g'", p).unwrap();
        assert_eq!(topics.len(), 2);
        assert_eq!(topics[0].label, "a");
        assert_eq!(topics[1].group.as_deref(), Some("g"));
        let err = parse_topics("[[topic]]\nname='a'\nquery='(lũ'", p)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("topic \"a\"") && err.contains("unclosed parenthesis"),
            "{err}"
        );
        let err = parse_topics(
            "[[topic]]\nname='a'\nquery='x'\n[[topic]]\nname='a'\nquery='y'",
            p,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("twice"), "{err}");
        assert!(parse_topics("[[topic]]\nname='a'\nqeury='x'", p).is_err());
    }
}
