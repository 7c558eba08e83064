//! SVG charts for the brief: one per topic (weekly counts, the baseline's expected range,
//! rising weeks, and the trusted forecast with its intervals) and an overview of every
//! topic's share. Sized and coloured to stay readable when printed in black and white.

use crate::forecast::{trusted, ForecastPoint};
use crate::week::IsoWeek;
use crate::{Topic, TrendError, WeeklyReport};
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

const SIZE: (u32, u32) = (900, 360);
/// Room above the data for the legend, as a multiple of the highest value.
const HEADROOM: f64 = 1.7;
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

fn chart_error(path: &Path, e: impl std::fmt::Display) -> TrendError {
    TrendError::Write {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// `dd/mm` of the week at `index`, continuing past the last known week for forecasts.
fn week_label(weeks: &[IsoWeek], index: i32) -> String {
    let Some(first) = weeks.first() else {
        return String::new();
    };
    let day = first.start + chrono::Duration::weeks(i64::from(index));
    day.format("%d/%m/%y").to_string()
}

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordi32, RangedCoordf64>>;

/// The frame both charts share: caption, margins, and a mesh labelled by week.
fn frame<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    path: &Path,
    caption: &str,
    (x_end, top): (i32, f64),
    weeks: &[IsoWeek],
    y_desc: &str,
) -> Result<Chart<'a, 'b>, TrendError> {
    root.fill(&WHITE).map_err(|e| chart_error(path, e))?;
    let mut chart = ChartBuilder::on(root)
        .caption(caption, ("sans-serif", 20))
        .margin(12)
        .margin_right(36)
        .x_label_area_size(32)
        .y_label_area_size(44)
        .build_cartesian_2d(0..x_end, 0f64..top)
        .map_err(|e| chart_error(path, e))?;
    chart
        .configure_mesh()
        .x_labels(10)
        .x_label_formatter(&|x| week_label(weeks, *x))
        .y_desc(y_desc)
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| chart_error(path, e))?;
    Ok(chart)
}

/// Draws the legend box and writes the file.
fn finish<'a, 'b: 'a>(
    root: &DrawingArea<SVGBackend<'b>, Shift>,
    chart: &mut Chart<'a, 'b>,
    path: &Path,
    position: SeriesLabelPosition,
    font_size: u32,
) -> Result<(), TrendError> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", font_size))
        .draw()
        .map_err(|e| chart_error(path, e))?;
    root.present().map_err(|e| chart_error(path, e))
}

/// File name of a topic's chart inside the charts folder.
pub fn chart_file(topic: &Topic) -> String {
    let safe: String = topic
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.svg")
}

/// Draws one topic's chart.
pub fn topic_chart(
    path: &Path,
    topic: &Topic,
    weeks: &[IsoWeek],
    docs: &[i64],
    baseline: &[Option<f64>],
    flags: &[String],
    forecast: &[ForecastPoint],
) -> Result<(), TrendError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw_topic_chart(&root, path, topic, weeks, docs, baseline, flags, forecast)?;
    }
    write_svg(path, &svg)
}

/// Writes a drawn chart atomically: a killed run leaves the previous chart or the new one.
fn write_svg(path: &Path, svg: &str) -> Result<(), TrendError> {
    nhip_ingest::atomic::write_atomically(path, svg.as_bytes()).map_err(|e| chart_error(path, e))
}

/// One topic's chart, the same as [`topic_chart`] draws, as SVG text (for the web workspace).
pub fn topic_chart_svg(
    topic: &Topic,
    weeks: &[IsoWeek],
    docs: &[i64],
    baseline: &[Option<f64>],
    flags: &[String],
    forecast: &[ForecastPoint],
) -> Result<String, TrendError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let name = PathBuf::from(chart_file(topic));
        draw_topic_chart(&root, &name, topic, weeks, docs, baseline, flags, forecast)?;
    }
    Ok(svg)
}

#[allow(clippy::too_many_arguments)]
fn draw_topic_chart(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    path: &Path,
    topic: &Topic,
    weeks: &[IsoWeek],
    docs: &[i64],
    baseline: &[Option<f64>],
    flags: &[String],
    forecast: &[ForecastPoint],
) -> Result<(), TrendError> {
    let fail = |e: &dyn std::fmt::Display| chart_error(path, e);
    let forecast = trusted(forecast);
    let n = weeks.len() as i32;
    let top = docs
        .iter()
        .map(|&d| d as f64)
        .chain(baseline.iter().flatten().map(|b| b + 2.0 * b.sqrt()))
        .chain(forecast.iter().map(|p| p.upper_95))
        .fold(1.0, f64::max)
        * HEADROOM;
    let caption = format!("{} — số văn bản mỗi tuần", topic.label);
    let x_end = n + forecast.len() as i32;
    let mut chart = frame(root, path, &caption, (x_end, top), weeks, "văn bản / tuần")?;

    // Expected range under the baseline: about ±2 standard deviations of a Poisson count.
    let band: Vec<(i32, f64, f64)> = baseline
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            b.map(|b| (i as i32, (b - 2.0 * b.sqrt()).max(0.0), b + 2.0 * b.sqrt()))
        })
        .collect();
    if !band.is_empty() {
        let outline: Vec<(i32, f64)> = band
            .iter()
            .map(|&(x, _, hi)| (x, hi))
            .chain(band.iter().rev().map(|&(x, lo, _)| (x, lo)))
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(outline, BLACK.mix(0.08))))
            .map_err(|e| fail(&e))?
            .label("khoảng kỳ vọng (baseline ± 2√baseline)")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 18, y + 5)], BLACK.mix(0.15).filled())
            });
        chart
            .draw_series(LineSeries::new(
                band.iter().map(|&(x, lo, hi)| (x, (lo + hi) / 2.0)),
                BLACK.mix(0.45),
            ))
            .map_err(|e| fail(&e))?
            .label("baseline")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLACK.mix(0.45)));
    }

    let blue = PALETTE[0];
    chart
        .draw_series(LineSeries::new(
            docs.iter().enumerate().map(|(i, &d)| (i as i32, d as f64)),
            blue.stroke_width(2),
        ))
        .map_err(|e| fail(&e))?
        .label("số văn bản (docs)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], blue.stroke_width(2)));
    let rising: Vec<(i32, f64)> = flags
        .iter()
        .enumerate()
        .filter(|(_, f)| f.as_str() == "rising")
        .map(|(i, _)| (i as i32, docs[i] as f64))
        .collect();
    if !rising.is_empty() {
        chart
            .draw_series(rising.iter().map(|&p| Circle::new(p, 5, RED.filled())))
            .map_err(|e| fail(&e))?
            .label("tuần tăng bất thường (rising)")
            .legend(|(x, y)| Circle::new((x + 9, y), 5, RED.filled()));
    }

    if let (Some(first), Some(&last)) = (forecast.first(), docs.last()) {
        let orange = PALETTE[1];
        let start = (n - 1, last as f64, last as f64, last as f64, last as f64);
        let points: Vec<(i32, f64, f64, f64, f64)> = std::iter::once(start)
            .chain(forecast.iter().map(|p| {
                (
                    n - 1 + p.horizon as i32,
                    p.lower_95,
                    p.lower_80,
                    p.upper_80,
                    p.upper_95,
                )
            }))
            .collect();
        for (alpha, lower, upper) in [(0.12, 1usize, 4usize), (0.25, 2, 3)] {
            let pick = |p: &(i32, f64, f64, f64, f64), k: usize| [p.1, p.2, p.3, p.4][k - 1];
            let outline: Vec<(i32, f64)> = points
                .iter()
                .map(|p| (p.0, pick(p, upper)))
                .chain(points.iter().rev().map(|p| (p.0, pick(p, lower))))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(outline, orange.mix(alpha))))
                .map_err(|e| fail(&e))?;
        }
        let line: Vec<(i32, f64)> = std::iter::once((n - 1, last as f64))
            .chain(
                forecast
                    .iter()
                    .map(|p| (n - 1 + p.horizon as i32, p.forecast)),
            )
            .collect();
        let method = if first.method == "ets" {
            "ETS"
        } else {
            "naive"
        };
        chart
            .draw_series(LineSeries::new(line, orange.stroke_width(2)))
            .map_err(|e| fail(&e))?
            .label(format!("dự báo {method} (80%, 95%)"))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], orange.stroke_width(2))
            });
    }
    finish(root, &mut chart, path, SeriesLabelPosition::UpperLeft, 13)
}

/// The points of each topic's share line in the overview, as runs of ordinary weeks over the
/// report's shown weeks (x counts from the first shown week, y in percent). A low-volume week (a
/// few stray documents) ends a run: its shares are no trend, so it is a gap, not a spike.
pub fn overview_runs(report: &WeeklyReport, topics: usize) -> Vec<Vec<Vec<(i32, f64)>>> {
    let start = report.shown_start();
    let low: Vec<bool> = if topics == 0 {
        Vec::new()
    } else {
        shown(&report.topic_low_volume(0), start).to_vec()
    };
    (0..topics)
        .map(|topic| {
            let mut runs: Vec<Vec<(i32, f64)>> = vec![Vec::new()];
            for (w, share) in shown(&report.topic_share(topic), start).iter().enumerate() {
                if low.get(w).copied().unwrap_or(false) {
                    runs.push(Vec::new());
                } else if let Some(run) = runs.last_mut() {
                    run.push((w as i32, share * 100.0));
                }
            }
            runs.retain(|r| !r.is_empty());
            runs
        })
        .collect()
}

/// Draws the share of every topic per week on one chart, over the report's shown weeks, with
/// gaps at low-volume weeks (see [`overview_runs`]).
pub fn overview_chart(
    path: &Path,
    report: &WeeklyReport,
    topics: &[Topic],
) -> Result<(), TrendError> {
    let fail = |e: &dyn std::fmt::Display| chart_error(path, e);
    let weeks = shown(&report.weeks, report.shown_start());
    let runs = overview_runs(report, topics.len());
    let top = runs
        .iter()
        .flatten()
        .flatten()
        .fold(1.0, |a: f64, &(_, b)| a.max(b))
        * HEADROOM;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, SIZE.1 + 80)).into_drawing_area();
        let caption = "Tỷ trọng các chủ đề (% văn bản mỗi tuần)";
        let x_end = weeks.len() as i32;
        let mut chart = frame(&root, path, caption, (x_end, top), weeks, "%")?;
        for (i, (topic, topic_runs)) in topics.iter().zip(runs).enumerate() {
            // Beyond ten topics colours repeat; a dash pattern is not available in the SVG backend.
            let color = PALETTE[i % PALETTE.len()];
            for (n, run) in topic_runs.into_iter().enumerate() {
                let drawn = chart
                    .draw_series(LineSeries::new(run, color.stroke_width(2)))
                    .map_err(|e| fail(&e))?;
                if n == 0 {
                    drawn.label(topic.label.clone()).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                    });
                }
            }
        }
        finish(&root, &mut chart, path, SeriesLabelPosition::UpperRight, 12)?;
    }
    write_svg(path, &svg)
}

/// The shown part of a per-week column.
fn shown<T>(values: &[T], start: usize) -> &[T] {
    values.get(start..).unwrap_or(&[])
}

/// Writes `charts/overview.svg` and one chart per topic into `out_dir`; returns their paths.
pub fn write_charts(
    out_dir: &Path,
    report: &WeeklyReport,
    topics: &[Topic],
    forecasts: &[Vec<ForecastPoint>],
) -> Result<Vec<PathBuf>, TrendError> {
    let dir = out_dir.join("charts");
    std::fs::create_dir_all(&dir).map_err(|e| chart_error(&dir, e))?;
    let mut written = Vec::new();
    if report.weeks.is_empty() {
        return Ok(written);
    }
    let overview = dir.join("overview.svg");
    overview_chart(&overview, report, topics)?;
    written.push(overview);
    // Charts show the recent weeks only; the tables keep every week.
    let start = report.shown_start();
    for (i, topic) in topics.iter().enumerate() {
        let path = dir.join(chart_file(topic));
        topic_chart(
            &path,
            topic,
            shown(&report.weeks, start),
            shown(&report.topic_docs(i), start),
            shown(&report.topic_baseline(i), start),
            shown(&report.topic_flags(i), start),
            forecasts.get(i).map_or(&[][..], Vec::as_slice),
        )?;
        written.push(path);
    }
    Ok(written)
}
