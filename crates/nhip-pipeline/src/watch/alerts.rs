//! Alerts: after each commit the current week's counts are recomputed with `nhip trends`'s own
//! code (the weekly table, its baseline and Poisson p-value); a topic newly flagged, or whose
//! level rises, raises one alert. `alerts.jsonl` is the record of alerts raised (read back at
//! start, so a crash between raising and saving state never raises one twice); the state file
//! records which ones the webhook has taken.

use super::config::AlertsTable;
use chrono::{Datelike, NaiveDate};
use nhip_index::{NhipIndex, SearchOptions};
pub use nhip_trends::alert::{Alert, AlertDocument};
use std::collections::BTreeMap;
use std::path::Path;

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
    let alerts = nhip_trends::alert::read_alerts(path)?;
    let mut levels = BTreeMap::new();
    for alert in &alerts {
        let level = levels
            .entry(format!("{}|{}", alert.topic, alert.week))
            .or_insert(0);
        *level = (*level).max(alert.level);
    }
    Ok((levels, alerts))
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
