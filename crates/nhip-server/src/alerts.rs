//! Alerts raised by the watcher (`nhip watch`, or `nhip serve --watch`), read from
//! `alerts.jsonl` in the output folder: a banner on every page while an alert is recent, the
//! alerts page and `/api/alerts`. The file is read again only when it changes.

use nhip_trends::alert::{read_alerts, Alert, ALERTS_FILE};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// An alert stays in the banner this long after it was raised.
const RECENT_DAYS: i64 = 7;

/// A file's modification time and size: when they change, the file is read again.
type Stamp = Option<(SystemTime, u64)>;

/// The alerts file of a workspace, cached by its size and modification time.
pub(crate) struct AlertsFile {
    path: Option<PathBuf>,
    cached: Mutex<(Stamp, Arc<Vec<Alert>>)>,
}

impl AlertsFile {
    pub(crate) fn new(out_dir: Option<&std::path::Path>) -> AlertsFile {
        AlertsFile {
            path: out_dir.map(|dir| dir.join(ALERTS_FILE)),
            cached: Mutex::new((None, Arc::default())),
        }
    }

    /// Every alert, newest first. A file that cannot be read shows as none (and is logged).
    pub(crate) fn all(&self) -> Arc<Vec<Alert>> {
        let Some(path) = &self.path else {
            return Arc::default();
        };
        let stamp = std::fs::metadata(path)
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        let Ok(mut cached) = self.cached.lock() else {
            return Arc::default();
        };
        if cached.0 != stamp || stamp.is_none() {
            let mut alerts = match read_alerts(path) {
                Ok(alerts) => alerts,
                Err(e) => {
                    eprintln!("{}: {e}", path.display());
                    Vec::new()
                }
            };
            alerts.reverse();
            *cached = (stamp, Arc::new(alerts));
        }
        cached.1.clone()
    }

    /// Alerts raised in the last week, newest first, one per topic and week (its highest level).
    pub(crate) fn recent(&self, now: chrono::DateTime<chrono::Utc>) -> Vec<Alert> {
        let since = now - chrono::Duration::days(RECENT_DAYS);
        let mut recent: Vec<Alert> = Vec::new();
        for alert in self.all().iter() {
            let raised = chrono::DateTime::parse_from_rfc3339(&alert.raised_at);
            if !raised.is_ok_and(|t| t >= since) {
                continue;
            }
            match recent
                .iter_mut()
                .find(|a| a.topic == alert.topic && a.week == alert.week)
            {
                Some(kept) if kept.level < alert.level => *kept = alert.clone(),
                Some(_) => {}
                None => recent.push(alert.clone()),
            }
        }
        recent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nhip_trends::alert::{append_alerts, AlertDocument};

    fn alert(topic: &str, level: u8, raised_at: &str) -> Alert {
        Alert {
            topic: topic.into(),
            label: topic.into(),
            week: "2026-W49".into(),
            week_start: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            level,
            docs: 9,
            baseline: Some(2.0),
            p_value: Some(0.001),
            documents: vec![AlertDocument {
                id: "d1".into(),
                title: "t".into(),
            }],
            raised_at: raised_at.into(),
        }
    }

    #[test]
    fn recent_alerts_keep_the_highest_level_and_follow_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = AlertsFile::new(Some(dir.path()));
        assert!(file.all().is_empty());
        append_alerts(
            &dir.path().join(ALERTS_FILE),
            &[
                alert("old", 1, "2026-11-01T08:00:00+00:00"),
                alert("sat_lo", 1, "2026-12-01T08:00:00+00:00"),
                alert("sat_lo", 2, "2026-12-01T09:00:00+00:00"),
            ],
        )
        .unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-02T08:00:00+00:00")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let recent = file.recent(now);
        assert_eq!(recent.len(), 1);
        assert_eq!((recent[0].topic.as_str(), recent[0].level), ("sat_lo", 2));
        assert_eq!(file.all().len(), 3);
        assert_eq!(file.all()[0].level, 2, "newest first");
    }
}
