//! The pages.

use crate::error::ApiError;
use crate::html::{self, SearchOutcome};
use crate::live::Snapshot;
use crate::params::{Params, SearchRequest};
use crate::trends::TrendsView;
use crate::{blocking, error_response, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use nhip_index::{ExploreOptions, ExploreResults, Hit, MatchHighlighter, QueryNode, SearchOptions};
use std::sync::Arc;

/// Hits on a search page unless `limit` says otherwise.
pub(crate) const PAGE_SIZE: usize = 20;
/// Documents of a story listed under a document.
const STORY_DOCUMENTS: usize = 50;
/// Representative documents on a topic page.
const REPRESENTATIVE: usize = 5;

/// Runs one search in a search slot: a page of hits, the total, and facets and weeks if asked.
pub(crate) async fn explore(
    state: &Arc<AppState>,
    req: &SearchRequest,
    facets: bool,
    weeks: bool,
) -> Result<(Arc<Snapshot>, ExploreResults), ApiError> {
    let snapshot = state.live.current();
    let node = req.node_with(|q| snapshot.index.parse(q))?;
    let options = ExploreOptions {
        search: req.options(),
        facets,
        weeks,
    };
    let results = state
        .search({
            let snapshot = snapshot.clone();
            move || {
                Ok(snapshot
                    .index
                    .explore(&node, &options, Some(&snapshot.facets))?)
            }
        })
        .await?;
    Ok((snapshot, results))
}

/// The id of a path like `/documents/{id}`, or a 400 when it is not valid UTF-8.
pub(crate) fn path_value(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(v)| v)
        .map_err(|e| ApiError::bad_request("path", format!("invalid path: {e}")))
}

pub(crate) async fn search(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let l = state.labels;
    let documents = state.live.current().index.num_docs();
    let params = match Params::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return error_response(&state, false, e),
    };
    let req = match SearchRequest::from_params(&params, PAGE_SIZE) {
        Ok(req) => req,
        Err(e) => {
            let shown = SearchRequest {
                limit: PAGE_SIZE,
                ..SearchRequest::default()
            };
            let page = html::search_page(l, &shown, SearchOutcome::Error(&e), documents);
            return (e.status, page).into_response();
        }
    };
    if req.is_empty() {
        return html::search_page(l, &req, SearchOutcome::Nothing, documents).into_response();
    }
    match explore(&state, &req, true, true).await {
        Ok((_, results)) => {
            html::search_page(l, &req, SearchOutcome::Results(&results), documents).into_response()
        }
        Err(e) if e.status.is_client_error() => (
            e.status,
            html::search_page(l, &req, SearchOutcome::Error(&e), documents),
        )
            .into_response(),
        Err(e) => error_response(&state, false, e),
    }
}

/// A document with its body, its matches of `q`, and the other documents of its story.
pub(crate) struct DocumentView {
    pub hit: Hit,
    pub body_spans: Vec<(usize, usize)>,
    pub title_spans: Vec<(usize, usize)>,
    pub story: Vec<Hit>,
}

pub(crate) async fn load_document(
    state: &Arc<AppState>,
    id: String,
    q: Option<String>,
) -> Result<DocumentView, ApiError> {
    let snapshot = state.live.current();
    blocking(move || {
        let Some(hit) = snapshot.index.get(&id)? else {
            return Err(ApiError::not_found(format!("no document with id {id:?}")));
        };
        // Highlights are a courtesy: a query that does not parse highlights nothing.
        let highlighter = q
            .as_deref()
            .and_then(|q| snapshot.index.parse(q).ok())
            .map(|node| MatchHighlighter::new(&node));
        let (body_spans, title_spans) = highlighter
            .map(|h| (h.spans(&hit.body), h.spans(&hit.title)))
            .unwrap_or_default();
        let story = match &hit.story {
            Some(story) => snapshot
                .index
                .story_documents(story, &hit.id, STORY_DOCUMENTS)?,
            None => Vec::new(),
        };
        Ok(DocumentView {
            hit,
            body_spans,
            title_spans,
            story,
        })
    })
    .await
}

pub(crate) async fn document(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let result = async {
        let id = path_value(path)?;
        let params = Params::parse(raw.as_deref())?;
        let q = params.get("q").map(str::to_string);
        let view = load_document(&state, id, q.clone()).await?;
        Ok::<_, ApiError>(
            html::document_page(
                state.labels,
                &view.hit,
                q.as_deref().unwrap_or(""),
                &view.body_spans,
                &view.title_spans,
                &view.story,
            )
            .into_response(),
        )
    }
    .await;
    result.unwrap_or_else(|e| error_response(&state, false, e))
}

/// The trend figures of the current snapshot (computed once per snapshot).
pub(crate) async fn trends_view(state: &Arc<AppState>) -> Result<Arc<TrendsView>, String> {
    let state = state.clone();
    let snapshot = state.live.current();
    tokio::task::spawn_blocking(move || snapshot.trends(&state.topics))
        .await
        .map_err(|e| e.to_string())?
}

pub(crate) async fn topics(State(state): State<Arc<AppState>>) -> Response {
    let view = trends_view(&state).await;
    html::topics_page(
        state.labels,
        view.as_deref().map_err(String::as_str),
        state.has_topics,
    )
    .into_response()
}

/// The representative documents of a topic's latest complete week.
pub(crate) async fn representative(
    state: &Arc<AppState>,
    view: &TrendsView,
    name: &str,
) -> Result<Vec<Hit>, ApiError> {
    let (Some(topic), Some(week)) = (
        state.topics.iter().find(|t| t.name == name),
        view.latest_week(),
    ) else {
        return Ok(Vec::new());
    };
    let node: QueryNode = topic.parsed.clone();
    let options = SearchOptions {
        limit: REPRESENTATIVE,
        since: Some(week.start),
        until: Some(week.start + chrono::Duration::days(6)),
        ..SearchOptions::default()
    };
    let snapshot = state.live.current();
    state
        .search(move || Ok(snapshot.index.search_node(&node, &options)?.hits))
        .await
}

pub(crate) async fn topic(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let result = async {
        let name = path_value(path)?;
        let view = trends_view(&state).await.map_err(ApiError::internal)?;
        let Some((_, trend)) = view.topic(&name) else {
            return Err(ApiError::not_found(format!("no topic named {name:?}")));
        };
        let hits = representative(&state, &view, &name).await?;
        Ok(html::topic_page(state.labels, &view, trend, &hits).into_response())
    }
    .await;
    result.unwrap_or_else(|e| error_response(&state, false, e))
}

pub(crate) async fn topic_chart(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let result = async {
        let name = path_value(path)?;
        let view = trends_view(&state).await.map_err(ApiError::internal)?;
        let (Some((i, _)), Some(topic)) = (
            view.topic(&name),
            state.topics.iter().find(|t| t.name == name),
        ) else {
            return Err(ApiError::not_found(format!("no topic named {name:?}")));
        };
        let report = &view.report;
        let svg = nhip_trends::charts::topic_chart_svg(
            topic,
            &report.weeks,
            &report.topic_docs(i),
            &report.topic_baseline(i),
            &report.topic_flags(i),
            view.forecasts.get(i).map_or(&[][..], Vec::as_slice),
        )
        .map_err(|e| ApiError::internal(e.to_string()))?;
        Ok(svg_response(svg))
    }
    .await;
    result.unwrap_or_else(|e| error_response(&state, false, e))
}

fn svg_response(svg: String) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response();
    // An image: nothing inside it may run or load.
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    response
}

pub(crate) async fn emerging(State(state): State<Arc<AppState>>) -> Response {
    let view = trends_view(&state).await;
    let examples = match &view {
        Ok(view) => match emerging_examples(&state, view).await {
            Ok(e) => e,
            Err(e) => return error_response(&state, false, e),
        },
        Err(_) => Vec::new(),
    };
    html::emerging_page(
        state.labels,
        view.as_deref().map_err(String::as_str),
        &examples,
    )
    .into_response()
}

/// Each emerging term of the latest week with its example documents.
pub(crate) async fn emerging_examples(
    state: &Arc<AppState>,
    view: &Arc<TrendsView>,
) -> Result<Vec<(crate::trends::EmergingTerm, Vec<Hit>)>, ApiError> {
    let snapshot = state.live.current();
    let view = view.clone();
    blocking(move || {
        let mut out = Vec::new();
        for term in &view.emerging {
            let mut hits = Vec::new();
            for id in &term.example_ids {
                if let Some(mut hit) = snapshot.index.get(id)? {
                    hit.body.clear();
                    hits.push(hit);
                }
            }
            out.push((term.clone(), hits));
        }
        Ok(out)
    })
    .await
}

/// The tables and brief files of a run that may be downloaded: fixed names, nothing else.
const DOWNLOADS: [&str; 8] = [
    "brief.md",
    "brief.html",
    "weekly_topics.csv",
    "weekly_topics.parquet",
    "forecast.csv",
    "forecast.parquet",
    "emerging_terms.csv",
    "emerging_terms.parquet",
];

fn available_downloads(state: &AppState) -> Vec<String> {
    let Some(dir) = &state.out_dir else {
        return Vec::new();
    };
    DOWNLOADS
        .iter()
        .filter(|name| dir.join(name).is_file())
        .map(|name| name.to_string())
        .collect()
}

/// The brief's Markdown as HTML: raw HTML in it is shown as text, chart links point here.
fn brief_html(markdown: &str) -> String {
    use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = match dest_url.strip_prefix("charts/") {
                Some(file) => CowStr::from(format!("/brief/charts/{file}")),
                None => CowStr::from(""),
            };
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let lower = dest_url.to_ascii_lowercase();
            let keep = lower.starts_with("http://") || lower.starts_with("https://");
            Event::Start(Tag::Link {
                link_type,
                dest_url: if keep { dest_url } else { CowStr::from("") },
                title,
                id,
            })
        }
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

pub(crate) async fn brief(State(state): State<Arc<AppState>>) -> Response {
    let markdown = state
        .out_dir
        .as_ref()
        .and_then(|dir| std::fs::read_to_string(dir.join("brief.md")).ok());
    let html = markdown.as_deref().map(brief_html);
    html::brief_page(state.labels, html.as_deref(), &available_downloads(&state)).into_response()
}

/// A file name made only of letters, digits, `-`, `_` and one extension.
fn plain_file_name(name: &str, extension: &str) -> bool {
    name.strip_suffix(extension).is_some_and(|stem| {
        !stem.is_empty()
            && stem
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

pub(crate) async fn brief_chart(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let result = (|| {
        let name = path_value(path)?;
        let dir = state.out_dir.as_ref().map(|d| d.join("charts"));
        let missing = || ApiError::not_found(format!("no chart {name:?}"));
        let (Some(dir), true) = (dir, plain_file_name(&name, ".svg")) else {
            return Err(missing());
        };
        // Only a chart the run wrote (listed in its folder) is served.
        let listed = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .flatten()
                    .any(|e| e.file_name().to_str() == Some(name.as_str()))
            })
            .unwrap_or(false);
        if !listed {
            return Err(missing());
        }
        let svg = std::fs::read_to_string(dir.join(&name)).map_err(|_| missing())?;
        Ok(svg_response(svg))
    })();
    result.unwrap_or_else(|e| error_response(&state, false, e))
}

pub(crate) async fn download(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let result = (|| {
        let name = path_value(path)?;
        let missing = || ApiError::not_found(format!("no download {name:?}"));
        let (Some(dir), Some(&known)) = (
            state.out_dir.as_ref(),
            DOWNLOADS.iter().find(|d| **d == name),
        ) else {
            return Err(missing());
        };
        let bytes = std::fs::read(dir.join(known)).map_err(|_| missing())?;
        let content_type = match known.rsplit('.').next() {
            Some("csv") => "text/csv; charset=utf-8",
            Some("md") => "text/markdown; charset=utf-8",
            Some("html") => "text/html; charset=utf-8",
            _ => "application/octet-stream",
        };
        let disposition = format!("attachment; filename=\"{known}\"");
        let mut response = (StatusCode::OK, bytes).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        Ok(response)
    })();
    result.unwrap_or_else(|e| error_response(&state, false, e))
}

/// Every alert the watcher raised, newest first.
pub(crate) async fn alerts(State(state): State<Arc<AppState>>) -> Response {
    html::alerts_page(state.labels, &state.alerts.all()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brief_markdown_is_defused() {
        let html = brief_html(
            "# T\n\n<script>alert(1)</script>\n\n![c](charts/a.svg) [x](javascript:alert(1))\n",
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("src=\"/brief/charts/a.svg\""), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn file_names() {
        assert!(plain_file_name("flooding.svg", ".svg"));
        for bad in ["../x.svg", ".svg", "a/b.svg", "a.svg.exe", "a b.svg"] {
            assert!(!plain_file_name(bad, ".svg"), "{bad}");
        }
    }
}
