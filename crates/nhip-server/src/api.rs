//! The JSON API: the fields of the CLI's `--json` output, errors as `{"error", "field",
//! "column"}` with a 4xx status.

use crate::error::ApiError;
use crate::params::{Params, SearchRequest};
use crate::routes::{
    emerging_examples, explore, load_document, path_value, representative, trends_view,
};
use crate::AppState;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use nhip_index::{Hit, MatchHighlighter};
use serde_json::{json, Value};
use std::io::Write as _;
use std::sync::Arc;

type ApiResult = Result<Json<Value>, ApiError>;

fn request(raw: Option<&str>) -> Result<SearchRequest, ApiError> {
    SearchRequest::from_params(&Params::parse(raw)?, 10)
}

pub(crate) async fn search(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let req = request(raw.as_deref())?;
    let (_, results) = explore(&state, &req, true, false).await?;
    Ok(Json(json!({
        "q": req.q,
        "total": results.total,
        "understood": results.understood,
        "readings": results.readings,
        "offset": req.offset,
        "limit": req.limit,
        "hits": results.hits.iter().map(Hit::to_json).collect::<Vec<_>>(),
        "facets": results.facets,
    })))
}

pub(crate) async fn weeks(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let mut req = request(raw.as_deref())?;
    req.limit = 0;
    req.offset = 0;
    let (_, results) = explore(&state, &req, false, true).await?;
    let weeks = results.weeks.unwrap_or_default();
    let rows: Vec<Value> = weeks
        .weeks
        .iter()
        .map(|w| {
            let iso = nhip_trends::iso_week_of(w.week_start);
            json!({"iso_year": iso.year, "iso_week": iso.week, "week_start": w.week_start, "hits": w.docs})
        })
        .collect();
    Ok(Json(json!({
        "q": req.q,
        "total": results.total,
        "undated": weeks.undated,
        "weeks": rows,
    })))
}

pub(crate) async fn document(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let id = path_value(path)?;
    let q = Params::parse(raw.as_deref())?.get("q").map(str::to_string);
    let view = load_document(&state, id, q).await?;
    let mut document =
        serde_json::to_value(&view.hit).map_err(|e| ApiError::internal(e.to_string()))?;
    if let Some(object) = document.as_object_mut() {
        object.remove("snippet");
        object.remove("score");
        object.insert("body_highlights".into(), json!(view.body_spans));
        object.insert("title_highlights".into(), json!(view.title_spans));
        object.insert(
            "story_documents".into(),
            view.story
                .iter()
                .map(|h| json!({"id": h.id, "title": h.title, "published_at": h.published_at.map(|d| d.to_rfc3339()), "source": h.source}))
                .collect(),
        );
    }
    Ok(Json(document))
}

fn week_json(week: nhip_trends::IsoWeek) -> Value {
    json!({"iso_year": week.year, "iso_week": week.week, "week_start": week.start})
}

pub(crate) async fn topics(State(state): State<Arc<AppState>>) -> ApiResult {
    let view = trends_view(&state).await.map_err(ApiError::internal)?;
    let topics: Vec<Value> = view
        .dashboard_order()
        .into_iter()
        .filter_map(|t| {
            let topic = &view.topics[t];
            let w = view.latest?;
            let week = topic.weeks.get(w)?;
            let from = (w + 1).saturating_sub(26);
            let mut row = json!({
                "topic": topic.name,
                "label": topic.label,
                "group": topic.group,
                "query": topic.query,
                "sparkline": topic.weeks[from..=w].iter().map(|x| x.docs).collect::<Vec<_>>(),
            });
            if let (Some(row), Ok(Value::Object(fields))) =
                (row.as_object_mut(), serde_json::to_value(week))
            {
                row.extend(fields);
            }
            Some(row)
        })
        .collect();
    Ok(Json(json!({
        "week": view.latest_week().map(week_json),
        "topics": topics,
    })))
}

pub(crate) async fn topic(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let name = path_value(path)?;
    let view = trends_view(&state).await.map_err(ApiError::internal)?;
    let Some((i, trend)) = view.topic(&name) else {
        return Err(ApiError::not_found(format!("no topic named {name:?}")));
    };
    let documents = representative(&state, &view, &name).await?;
    let forecast: Vec<Value> = view
        .forecasts
        .get(i)
        .map(|points| {
            points
                .iter()
                .map(|p| {
                    json!({
                        "method": p.method, "horizon": p.horizon, "iso_year": p.week.year,
                        "iso_week": p.week.week, "week_start": p.week.start, "forecast": p.forecast,
                        "lower_80": p.lower_80, "upper_80": p.upper_80, "lower_95": p.lower_95,
                        "upper_95": p.upper_95, "backtest_mae": p.backtest_mae,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Json(json!({
        "topic": trend.name,
        "label": trend.label,
        "group": trend.group,
        "query": trend.query,
        "latest_week": view.latest_week().map(week_json),
        "weeks": trend.weeks,
        "forecast": forecast,
        "documents": documents.iter().map(Hit::to_json).collect::<Vec<_>>(),
    })))
}

pub(crate) async fn emerging(State(state): State<Arc<AppState>>) -> ApiResult {
    let view = trends_view(&state).await.map_err(ApiError::internal)?;
    let examples = emerging_examples(&state, &view).await?;
    let terms: Vec<Value> = examples
        .iter()
        .map(|(term, hits)| {
            json!({
                "rank": term.rank, "term": term.term, "docs": term.docs,
                "baseline_docs": term.baseline_docs, "g2": term.g2,
                "example_ids": term.example_ids,
                "examples": hits.iter().map(|h| json!({"id": h.id, "title": h.title})).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({
        "week": view.latest_week().map(week_json),
        "terms": terms,
    })))
}

pub(crate) async fn health(State(state): State<Arc<AppState>>) -> ApiResult {
    let snapshot = state.live.current();
    let time = |t: std::time::SystemTime| chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339();
    // What the watcher last wrote about its feeds and inboxes (`nhip watch --status`), when
    // one follows this index.
    let watch = state
        .watch_status
        .as_ref()
        .and_then(|path| std::fs::read(path).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
    Ok(Json(json!({
        "status": "ok",
        "documents": snapshot.index.num_docs(),
        "generation": snapshot.commit.opstamp,
        "last_commit": snapshot.commit.committed_at.map(time),
        "segments": snapshot.index.segments(),
        "loaded_at": time(snapshot.opened_at),
        "alerts": {
            "total": state.alerts.all().len(),
            "recent": state.alerts.recent(chrono::Utc::now()).len(),
        },
        "watch": watch,
    })))
}

/// Every alert the watcher raised, newest first.
pub(crate) async fn alerts(State(state): State<Arc<AppState>>) -> ApiResult {
    Ok(Json(json!({ "alerts": *state.alerts.all() })))
}

/// Rows written per chunk of an export's streamed body.
const EXPORT_CHUNK_ROWS: usize = 256;
/// Chunks buffered ahead of a slow client.
const EXPORT_CHUNKS_AHEAD: usize = 4;

#[derive(Clone, Copy, PartialEq, Eq)]
enum ExportFormat {
    Csv,
    Jsonl,
}

fn write_row(out: &mut Vec<u8>, format: ExportFormat, hit: &Hit) -> Result<(), String> {
    match format {
        ExportFormat::Jsonl => {
            serde_json::to_writer(&mut *out, hit).map_err(|e| e.to_string())?;
            out.push(b'\n');
        }
        ExportFormat::Csv => {
            let mut writer = csv::WriterBuilder::new().from_writer(&mut *out);
            writer
                .write_record(hit.export_row())
                .map_err(|e| e.to_string())?;
            writer.flush().map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Every hit of a search as CSV (the columns of `nhip search --export`) or JSON Lines, streamed
/// in result order, however many.
pub(crate) async fn export(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let format = match params.get("format") {
        Some("csv") => ExportFormat::Csv,
        Some("jsonl") | None => ExportFormat::Jsonl,
        Some(other) => {
            return Err(ApiError::bad_request(
                "format",
                format!("format: must be csv or jsonl, not {other:?}"),
            ))
        }
    };
    let req = SearchRequest::from_params(&params, 10)?;
    let node = req.node_with(|q| state.live.current().index.parse(q))?;
    let options = req.options();
    let export_permit = state
        .export_slots
        .clone()
        .try_acquire_owned()
        .map_err(|_| ApiError::busy("other exports are running: try again in a moment"))?;
    let snapshot = state.live.current();
    let matches = state
        .search({
            let snapshot = snapshot.clone();
            let node = node.clone();
            let options = options.clone();
            move || Ok(snapshot.index.all_matches(&node, &options)?)
        })
        .await?;
    let (sender, mut receiver) =
        tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(EXPORT_CHUNKS_AHEAD);
    tokio::task::spawn_blocking(move || {
        let _export = export_permit;
        let highlighter = MatchHighlighter::for_search(&node, &options);
        let mut chunk = Vec::new();
        if format == ExportFormat::Csv {
            let _ = writeln!(chunk, "{}", Hit::EXPORT_COLUMNS.join(","));
        }
        for (n, &(score, address)) in matches.iter().enumerate() {
            let row = snapshot
                .index
                .export_hit(address, score, &highlighter)
                .map_err(|e| e.to_string())
                .and_then(|hit| write_row(&mut chunk, format, &hit));
            if let Err(e) = row {
                let _ = sender.blocking_send(Err(std::io::Error::other(e)));
                return;
            }
            if (n + 1) % EXPORT_CHUNK_ROWS == 0
                && sender
                    .blocking_send(Ok(std::mem::take(&mut chunk)))
                    .is_err()
            {
                // The client went away.
                return;
            }
        }
        if !chunk.is_empty() {
            let _ = sender.blocking_send(Ok(chunk));
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    let (content_type, file) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "nhip-search.csv"),
        ExportFormat::Jsonl => ("application/x-ndjson", "nhip-search.jsonl"),
    };
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
