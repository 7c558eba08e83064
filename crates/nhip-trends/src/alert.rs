//! Alerts: a topic flagged in the current week, as `nhip watch` raises them and the web
//! workspace shows them. `alerts.jsonl` in the output folder is their record, one JSON object
//! per line, appended and synced; a line cut short by a crash is skipped when read.
//!
//! An alert names a topic, a week and documents, never a person: no author, no unit.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// The file of alerts in an output folder.
pub const ALERTS_FILE: &str = "alerts.jsonl";

/// One alert: a topic flagged in a week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub topic: String,
    pub label: String,
    /// ISO week, `2026-W49`.
    pub week: String,
    pub week_start: NaiveDate,
    /// 1: flagged (p-value at most the threshold); 2: strongly (a hundredth of it).
    pub level: u8,
    /// Documents of the topic in the week so far.
    pub docs: i64,
    pub baseline: Option<f64>,
    pub p_value: Option<f64>,
    /// Up to three of the week's most relevant documents.
    pub documents: Vec<AlertDocument>,
    /// When it was raised (RFC 3339).
    pub raised_at: String,
}

/// A document shown with an alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertDocument {
    pub id: String,
    pub title: String,
}

impl Alert {
    /// `topic|week|level`: what was raised, for never raising or delivering it twice.
    pub fn key(&self) -> String {
        format!("{}|{}|{}", self.topic, self.week, self.level)
    }
}

/// The alerts recorded in `path`, oldest first; none when the file does not exist.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join(nhip_trends::alert::ALERTS_FILE);
/// assert!(nhip_trends::alert::read_alerts(&path).unwrap().is_empty());
/// ```
pub fn read_alerts(path: &Path) -> std::io::Result<Vec<Alert>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .filter_map(|line| serde_json::from_str::<Alert>(line).ok())
        .collect())
}

/// Appends alerts to `path` (creating its folder), synced before returning.
pub fn append_alerts(path: &Path, alerts: &[Alert]) -> std::io::Result<()> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let mut text = String::new();
    for alert in alerts {
        text.push_str(&serde_json::to_string(alert).map_err(std::io::Error::other)?);
        text.push('\n');
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(topic: &str, level: u8) -> Alert {
        Alert {
            topic: topic.into(),
            label: topic.to_uppercase(),
            week: "2026-W49".into(),
            week_start: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            level,
            docs: 12,
            baseline: Some(3.5),
            p_value: Some(0.0004),
            documents: vec![AlertDocument {
                id: "a1".into(),
                title: "Sạt lở".into(),
            }],
            raised_at: "2026-12-02T10:00:00+00:00".into(),
        }
    }

    #[test]
    fn appended_alerts_read_back_and_a_cut_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out").join(ALERTS_FILE);
        append_alerts(&path, &[alert("sat_lo", 1)]).unwrap();
        append_alerts(&path, &[alert("sat_lo", 2), alert("lu_lut", 1)]).unwrap();
        // A crash in the middle of a line.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"{\"topic\":\"cut").unwrap();
        let read = read_alerts(&path).unwrap();
        assert_eq!(read.len(), 3);
        assert_eq!(read[1], alert("sat_lo", 2));
        assert_eq!(read[1].key(), "sat_lo|2026-W49|2");
    }
}
