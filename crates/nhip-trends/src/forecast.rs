//! Short forecasts of each topic's weekly count, with a baseline to judge them by.
//!
//! Two methods per topic: exponential smoothing (augurs' automatic ETS search over error and
//! trend types; weekly news has no reliable seasonality within a year of history) and a
//! seasonal-naive baseline (the count of the same week last year once two years of history
//! exist, else last week's count). Each gets its one-step-ahead backtest error over the most
//! recent weeks, so a brief can say which one to trust.

use crate::week::{iso_week_of, IsoWeek};
use crate::{Topic, TrendError, WeeklyReport};
use augurs::ets::AutoETS;
use augurs::prelude::*;
use chrono::Duration;
use polars::prelude::*;

/// Weeks forecast ahead.
pub const HORIZON: usize = 4;
/// Fewest weeks of history a topic needs before it is forecast.
pub const MIN_HISTORY: usize = 6;
/// Fewest weeks ETS is fitted on: its model search wants more weeks than parameters + 4
/// (augurs-ets refuses 8 weeks or fewer); shorter histories get the seasonal naive forecast.
pub const MIN_ETS_HISTORY: usize = 9;
/// How many recent weeks the backtest forecasts one step ahead.
pub const BACKTEST_ORIGINS: usize = 12;
/// Seasonal period of weekly data, used once two full years are available.
const YEAR_WEEKS: usize = 52;
const Z80: f64 = 1.281_551_565_545;
const Z95: f64 = 1.959_963_984_540;

/// One forecast week of one method.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastPoint {
    pub method: &'static str,
    pub horizon: usize,
    pub week: IsoWeek,
    pub forecast: f64,
    pub lower_80: f64,
    pub upper_80: f64,
    pub lower_95: f64,
    pub upper_95: f64,
    /// Mean absolute one-step-ahead error over the backtest weeks; `None` without enough history.
    pub backtest_mae: Option<f64>,
    pub backtest_weeks: usize,
}

struct Prediction {
    point: Vec<f64>,
    band_80: (Vec<f64>, Vec<f64>),
    band_95: (Vec<f64>, Vec<f64>),
}

fn ets(history: &[f64], horizon: usize) -> Result<Prediction, String> {
    let search = AutoETS::new(1, "ZZN").map_err(|e| e.to_string())?;
    let model = search.fit(history).map_err(|e| e.to_string())?;
    let predict = |level: f64| model.predict(horizon, level).map_err(|e| e.to_string());
    let (forecast_80, forecast_95) = (predict(0.8)?, predict(0.95)?);
    let missing = || "no prediction intervals".to_string();
    let band_80 = forecast_80.intervals.ok_or_else(missing)?;
    let band_95 = forecast_95.intervals.ok_or_else(missing)?;
    Ok(Prediction {
        point: forecast_80.point,
        band_80: (band_80.lower, band_80.upper),
        band_95: (band_95.lower, band_95.upper),
    })
}

fn seasonal_naive(history: &[f64], horizon: usize) -> Prediction {
    let n = history.len();
    let season = if n >= 2 * YEAR_WEEKS { YEAR_WEEKS } else { 1 };
    let residuals: Vec<f64> = (season..n)
        .map(|t| history[t] - history[t - season])
        .collect();
    let sigma = if residuals.is_empty() {
        0.0
    } else {
        (residuals.iter().map(|e| e * e).sum::<f64>() / residuals.len() as f64).sqrt()
    };
    let mut prediction = Prediction {
        point: Vec::with_capacity(horizon),
        band_80: (Vec::new(), Vec::new()),
        band_95: (Vec::new(), Vec::new()),
    };
    for h in 1..=horizon {
        let point = history[n - season + (h - 1) % season];
        // Variance grows with the number of seasons ahead (h for naive).
        let spread = sigma * (((h - 1) / season + 1) as f64).sqrt();
        prediction.point.push(point);
        prediction.band_80.0.push(point - Z80 * spread);
        prediction.band_80.1.push(point + Z80 * spread);
        prediction.band_95.0.push(point - Z95 * spread);
        prediction.band_95.1.push(point + Z95 * spread);
    }
    prediction
}

/// Mean absolute one-step-ahead error of a method over the last weeks of `history`.
fn backtest(history: &[f64], method: impl Fn(&[f64]) -> Option<f64>) -> (Option<f64>, usize) {
    let first = history
        .len()
        .saturating_sub(BACKTEST_ORIGINS)
        .max(MIN_HISTORY);
    let errors: Vec<f64> = (first..history.len())
        .filter_map(|t| method(&history[..t]).map(|f| (history[t] - f).abs()))
        .collect();
    if errors.is_empty() {
        (None, 0)
    } else {
        (
            Some(errors.iter().sum::<f64>() / errors.len() as f64),
            errors.len(),
        )
    }
}

/// Forecasts the weeks after `last_week` from a topic's weekly counts, by both methods.
/// Empty when the history is shorter than [`MIN_HISTORY`].
pub fn forecast_topic(
    history: &[f64],
    last_week: IsoWeek,
) -> Result<Vec<ForecastPoint>, TrendError> {
    if history.len() < MIN_HISTORY {
        return Ok(Vec::new());
    }
    let mut points = Vec::new();
    let mut push = |method: &'static str, p: Prediction, (mae, weeks): (Option<f64>, usize)| {
        for h in 0..p.point.len() {
            let floor = |x: f64| x.max(0.0);
            points.push(ForecastPoint {
                method,
                horizon: h + 1,
                week: iso_week_of(last_week.start + Duration::weeks(h as i64 + 1)),
                forecast: floor(p.point[h]),
                lower_80: floor(p.band_80.0[h]),
                upper_80: floor(p.band_80.1[h]),
                lower_95: floor(p.band_95.0[h]),
                upper_95: floor(p.band_95.1[h]),
                backtest_mae: mae,
                backtest_weeks: weeks,
            });
        }
    };
    // A series with no variation gives ETS nothing to fit: the naive forecast says it all.
    let constant = history.iter().all(|&y| y == history[0]);
    if !constant && history.len() >= MIN_ETS_HISTORY {
        match ets(history, HORIZON) {
            Ok(p) => {
                let score = backtest(history, |h| ets(h, 1).ok().map(|p| p.point[0]));
                push("ets", p, score);
            }
            Err(e) => return Err(TrendError::Forecast(e)),
        }
    }
    let score = backtest(history, |h| Some(seasonal_naive(h, 1).point[0]));
    push("seasonal_naive", seasonal_naive(history, HORIZON), score);
    Ok(points)
}

/// `forecast` table: per topic and method, the next [`HORIZON`] weeks with 80% and 95%
/// intervals and the method's backtest error.
pub fn forecast_table(
    topics: &[Topic],
    forecasts: &[Vec<ForecastPoint>],
) -> Result<DataFrame, TrendError> {
    let mut columns = ForecastColumns::default();
    for (topic, points) in topics.iter().zip(forecasts) {
        for point in points {
            columns.push(topic, point.clone());
        }
    }
    columns.into_frame()
}

/// Forecasts of every topic of a weekly report, in topic order.
pub fn forecast_all(
    report: &WeeklyReport,
    topics: &[Topic],
) -> Result<Vec<Vec<ForecastPoint>>, TrendError> {
    let Some(&last) = report.weeks.last() else {
        return Ok(vec![Vec::new(); topics.len()]);
    };
    (0..topics.len())
        .map(|i| {
            let history: Vec<f64> = report.topic_docs(i).iter().map(|&d| d as f64).collect();
            forecast_topic(&history, last)
        })
        .collect()
}

/// The method to trust for a topic: the one with the lower backtest error (ETS on a tie).
pub fn trusted(points: &[ForecastPoint]) -> Vec<&ForecastPoint> {
    let error = |method: &str| {
        points
            .iter()
            .find(|p| p.method == method)
            .and_then(|p| p.backtest_mae)
            .unwrap_or(f64::INFINITY)
    };
    let method = if error("ets") <= error("seasonal_naive") {
        "ets"
    } else {
        "seasonal_naive"
    };
    let chosen: Vec<&ForecastPoint> = points.iter().filter(|p| p.method == method).collect();
    if chosen.is_empty() {
        points.iter().collect()
    } else {
        chosen
    }
}

#[derive(Default)]
struct ForecastColumns {
    topic: Vec<String>,
    label: Vec<String>,
    method: Vec<&'static str>,
    horizon: Vec<i32>,
    iso_year: Vec<i32>,
    iso_week: Vec<i32>,
    week_start: Vec<chrono::NaiveDate>,
    forecast: Vec<f64>,
    lower_80: Vec<f64>,
    upper_80: Vec<f64>,
    lower_95: Vec<f64>,
    upper_95: Vec<f64>,
    backtest_mae: Vec<Option<f64>>,
    backtest_weeks: Vec<i32>,
}

impl ForecastColumns {
    fn push(&mut self, topic: &Topic, p: ForecastPoint) {
        self.topic.push(topic.name.clone());
        self.label.push(topic.label.clone());
        self.method.push(p.method);
        self.horizon.push(p.horizon as i32);
        self.iso_year.push(p.week.year);
        self.iso_week.push(p.week.week as i32);
        self.week_start.push(p.week.start);
        self.forecast.push(p.forecast);
        self.lower_80.push(p.lower_80);
        self.upper_80.push(p.upper_80);
        self.lower_95.push(p.lower_95);
        self.upper_95.push(p.upper_95);
        self.backtest_mae.push(p.backtest_mae);
        self.backtest_weeks.push(p.backtest_weeks as i32);
    }

    fn into_frame(self) -> Result<DataFrame, TrendError> {
        Ok(df!(
            "topic" => self.topic,
            "label" => self.label,
            "method" => self.method,
            "horizon" => self.horizon,
            "iso_year" => self.iso_year,
            "iso_week" => self.iso_week,
            "week_start" => self.week_start,
            "forecast" => self.forecast,
            "lower_80" => self.lower_80,
            "upper_80" => self.upper_80,
            "lower_95" => self.lower_95,
            "upper_95" => self.upper_95,
            "backtest_mae" => self.backtest_mae,
            "backtest_weeks" => self.backtest_weeks,
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn week() -> IsoWeek {
        iso_week_of(NaiveDate::from_ymd_opt(2026, 3, 16).unwrap())
    }

    #[test]
    fn both_methods_with_nested_intervals() {
        let history: Vec<f64> = (0..20)
            .map(|i| 10.0 + i as f64 + if i % 2 == 0 { 1.5 } else { -1.5 })
            .collect();
        let points = forecast_topic(&history, week()).unwrap();
        assert_eq!(points.len(), 2 * HORIZON);
        for p in &points {
            assert!(
                p.lower_95 <= p.lower_80 && p.lower_80 <= p.forecast,
                "{p:?}"
            );
            assert!(
                p.forecast <= p.upper_80 && p.upper_80 <= p.upper_95,
                "{p:?}"
            );
            assert_eq!(p.backtest_weeks, BACKTEST_ORIGINS);
        }
        assert_eq!(
            points[0].week.start,
            NaiveDate::from_ymd_opt(2026, 3, 23).unwrap()
        );
        assert_eq!((points[3].week.year, points[3].week.week), (2026, 16));
        let ets: Vec<&ForecastPoint> = points.iter().filter(|p| p.method == "ets").collect();
        assert!(
            ets[3].forecast > ets[0].forecast,
            "a rising series forecasts higher"
        );
        let naive: Vec<&ForecastPoint> = points
            .iter()
            .filter(|p| p.method == "seasonal_naive")
            .collect();
        assert!(naive.iter().all(|p| p.forecast == history[19]));
        assert!(naive[3].upper_95 - naive[3].lower_95 > naive[0].upper_95 - naive[0].lower_95);
    }

    #[test]
    fn short_and_flat_histories() {
        assert!(forecast_topic(&[1.0, 2.0], week()).unwrap().is_empty());
        let flat = forecast_topic(&[0.0; 10], week()).unwrap();
        assert!(flat
            .iter()
            .all(|p| p.method == "seasonal_naive" && p.forecast == 0.0 && p.upper_95 == 0.0));
        assert_eq!(flat[0].backtest_mae, Some(0.0));
    }

    /// Six to eight weeks of data (an office that just started) once made the whole trend job
    /// fail: ETS refused the history.
    #[test]
    fn every_history_long_enough_to_forecast_is_forecast() {
        for weeks in MIN_HISTORY..=MIN_ETS_HISTORY + 3 {
            let history: Vec<f64> = (0..weeks).map(|t| (t % 3) as f64 + 1.0).collect();
            let points = forecast_topic(&history, week()).unwrap();
            let has = |method: &str| points.iter().any(|p| p.method == method);
            assert!(has("seasonal_naive"), "{weeks} weeks");
            assert_eq!(has("ets"), weeks >= MIN_ETS_HISTORY, "{weeks} weeks");
        }
    }
}
