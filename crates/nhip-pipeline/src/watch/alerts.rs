//! Alerts: after each commit the current week's counts are recomputed with `nhip trends`'s own
//! code (the weekly table, its baseline and Poisson p-value); a topic newly flagged, or whose
//! level rises, raises one alert. `alerts.jsonl` is the record of alerts raised (read back at
//! start, so a crash between raising and saving state never raises one twice); the state file
//! records which ones the webhook has taken.

use super::config::AlertsTable;
use chrono::{Datelike, NaiveDate};
use nhip_index::{NhipIndex, SearchOptions};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// One alert. It names a topic and documents, never a person: no author, no unit.
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
    pub raised_at: String,
}

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

/// When a topic raises an alert.
#[derive(Debug, Clone, Copy)]
struct Rule {
    enabled: bool,
    min_docs: i64,
    p_value: f64,
}

fn rule_for(settings: &AlertsTable, topic: &str) -> Rule {
    let own = settings.topic.get(topic).cloned().unwrap_or_default();
    Rule {
        enabled: own.alert.unwrap_or(true),
        min_docs: own
            .min_docs
            .or(settings.min_docs)
            .unwrap_or(nhip_trends::FLAG_MIN_DOCS),
        p_value: own
            .p_value
            .or(settings.p_value)
            .unwrap_or(nhip_trends::FLAG_P_VALUE),
    }
}

/// Alerts already raised: the highest level per `topic|week`, from `alerts.jsonl`.
pub fn raised(path: &Path) -> std::io::Result<(BTreeMap<String, u8>, Vec<Alert>)> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(e) => return Err(e),
    };
    let mut levels = BTreeMap::new();
    let mut alerts = Vec::new();
    // A line cut short by a crash is no alert.
    for alert in text
        .lines()
        .filter_map(|l| serde_json::from_str::<Alert>(l).ok())
    {
        let level = levels
            .entry(format!("{}|{}", alert.topic, alert.week))
            .or_insert(0);
        *level = (*level).max(alert.level);
        alerts.push(alert);
    }
    Ok((levels, alerts))
}

/// Appends alerts to `alerts.jsonl`, synced before returning.
pub fn append(path: &Path, alerts: &[Alert]) -> std::io::Result<()> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let mut text = String::new();
    for alert in alerts {
        text.push_str(&serde_json::to_string(alert).map_err(std::io::Error::other)?);
        text.push('\n');
    }
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// The alerts the index raises now for the week of `today`, given those already raised.
pub fn check(
    index: &NhipIndex,
    topics_path: &Path,
    settings: &AlertsTable,
    today: NaiveDate,
    raised: &BTreeMap<String, u8>,
) -> Result<Vec<Alert>, String> {
    let mut topics = nhip_trends::load_topics(topics_path).map_err(|e| e.to_string())?;
    for topic in &mut topics {
        topic.parsed = index
            .parse(&topic.query)
            .map_err(|e| format!("topic {:?}: {e}", topic.name))?;
    }
    let report = nhip_trends::weekly_topics(index, &topics).map_err(|e| e.to_string())?;
    let week_start =
        today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let Some(position) = report.weeks.iter().position(|w| w.start == week_start) else {
        return Ok(Vec::new());
    };
    let iso = &report.weeks[position];
    let week = format!("{}-W{:02}", iso.year, iso.week);
    let mut alerts = Vec::new();
    for (n, topic) in topics.iter().enumerate() {
        let rule = rule_for(settings, &topic.name);
        if !rule.enabled {
            continue;
        }
        let docs = report.topic_docs(n)[position];
        let baseline = report.topic_baseline(n)[position];
        let p_value = report.topic_p_values(n)[position];
        let (Some(base), Some(p)) = (baseline, p_value) else {
            continue;
        };
        if docs < rule.min_docs || docs as f64 <= base || p > rule.p_value {
            continue;
        }
        let level = if p <= rule.p_value / 100.0 { 2 } else { 1 };
        let before = raised
            .get(&format!("{}|{week}", topic.name))
            .copied()
            .unwrap_or(0);
        if level <= before {
            continue;
        }
        let options = SearchOptions {
            limit: 3,
            since: Some(week_start),
            until: Some(week_start + chrono::Duration::days(6)),
            ..Default::default()
        };
        let documents = index
            .search(&topic.query, &options)
            .map_err(|e| format!("topic {:?}: {e}", topic.name))?
            .hits
            .into_iter()
            .map(|hit| AlertDocument {
                id: hit.id,
                title: hit.title,
            })
            .collect();
        alerts.push(Alert {
            topic: topic.name.clone(),
            label: topic.label.clone(),
            week: week.clone(),
            week_start,
            level,
            docs,
            baseline,
            p_value,
            documents,
            raised_at: chrono::Utc::now().to_rfc3339(),
        });
    }
    Ok(alerts)
}
