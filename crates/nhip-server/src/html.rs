//! The pages, rendered on the server with maud: every document field is text to maud, which
//! escapes it wherever it lands (element text or attribute), so a title holding `<script>`
//! shows as those characters. Charts are inline SVG made of presentation attributes (no inline
//! style or script, which the Content-Security-Policy forbids).

use crate::labels::Labels;
use crate::params::{percent_encode, SearchRequest};
use crate::trends::{EmergingTerm, TopicTrend, TopicWeek, TrendsView};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use nhip_index::{ExploreResults, FacetCount, Hit, SortOrder, WeekCount, WordReadings};
use nhip_trends::alert::Alert;

/// Which part of the site a page belongs to (the highlighted tab).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Search,
    Topics,
    Emerging,
    Brief,
    Alerts,
    None,
}

pub fn layout(l: &Labels, title: &str, section: Section, body: Markup) -> Markup {
    let tab = |href: &str, label: &str, this: Section| {
        html! { a href=(href) aria-current=[(section == this).then_some("page")] { (label) } }
    };
    html! {
        (DOCTYPE)
        html lang=(l.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · nhịp" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "nhịp" }
                    nav {
                        (tab("/", l.nav_search, Section::Search))
                        (tab("/topics", l.nav_topics, Section::Topics))
                        (tab("/emerging", l.nav_emerging, Section::Emerging))
                        (tab("/brief", l.nav_brief, Section::Brief))
                        (tab("/alerts", l.nav_alerts, Section::Alerts))
                    }
                }
                main { (body) }
            }
        }
    }
}

/// Text with byte ranges marked (ranges that are out of bounds or not on character boundaries
/// are skipped, never a panic).
pub fn marked(text: &str, spans: &[(usize, usize)]) -> Markup {
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut last = 0;
    for &(start, end) in spans {
        if start < last || end <= start {
            continue;
        }
        let (Some(before), Some(hit)) = (text.get(last..start), text.get(start..end)) else {
            continue;
        };
        parts.push((false, before));
        parts.push((true, hit));
        last = end;
    }
    parts.push((false, text.get(last..).unwrap_or("")));
    html! {
        @for (is_hit, part) in parts {
            @if is_hit { mark { (part) } } @else { (part) }
        }
    }
}

fn date_label(l: &Labels, hit: &Hit) -> String {
    hit.published_at.map_or_else(
        || l.no_date.to_string(),
        |d| d.format("%d/%m/%Y %H:%M").to_string(),
    )
}

fn document_href(id: &str, q: &str) -> String {
    let mut href = format!("/documents/{}", percent_encode(id));
    if !q.trim().is_empty() {
        href.push_str("?q=");
        href.push_str(&percent_encode(q));
    }
    href
}

/// A link target for a URL field: only http(s) becomes a link.
fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(url)
}

fn search_form(l: &Labels, req: &SearchRequest) -> Markup {
    let sort = |value: &str, label: &str, this: SortOrder| {
        html! { option value=(value) selected[req.sort == this] { (label) } }
    };
    html! {
        form.search method="get" action="/" role="search" {
            div.query {
                label for="q" { (l.query) }
                input #q type="search" name="q" value=(req.q) placeholder=(l.query_placeholder)
                    autocomplete="off" maxlength="1000" autofocus;
                button type="submit" { (l.search_button) }
            }
            div.filters {
                label { (l.since) " " input type="date" name="since" value=[req.since.map(|d| d.to_string())]; }
                label { (l.until) " " input type="date" name="until" value=[req.until.map(|d| d.to_string())]; }
                label { (l.source) " " input type="text" name="source" value=[req.source.as_deref()] size="14"; }
                label { (l.unit) " " input type="text" name="unit" value=[req.unit.as_deref()] size="14"; }
                label { (l.kind) " "
                    select name="kind" data-autosubmit {
                        option value="" { (l.any_kind) }
                        option value="report" selected[req.kind.as_deref() == Some("report")] { (l.kind_report) }
                        option value="press" selected[req.kind.as_deref() == Some("press")] { (l.kind_press) }
                    }
                }
                label { (l.sort) " "
                    select name="sort" data-autosubmit {
                        (sort("relevance", l.sort_relevance, SortOrder::Relevance))
                        (sort("newest", l.sort_newest, SortOrder::Newest))
                        (sort("oldest", l.sort_oldest, SortOrder::Oldest))
                    }
                }
                input type="hidden" name="limit" value=(req.limit);
                @for reading in &req.readings { input type="hidden" name="reading" value=(reading); }
            }
            details.help {
                summary { (l.syntax_help) }
                dl {
                    @for (example, meaning) in l.syntax_lines {
                        dt { code { (example) } } dd { (meaning) }
                    }
                }
            }
        }
    }
}

/// Bars of hits per week; each bar links to the search limited to its week.
/// Bars drawn at most: a longer span gives each bar several consecutive weeks, so the page
/// stays small (a query over decades of archive would otherwise draw thousands of bars).
const MAX_BARS: usize = 156;

fn weeks_chart(l: &Labels, req: &SearchRequest, weeks: &[WeekCount], undated: u64) -> Markup {
    const HEIGHT: f64 = 90.0;
    let per_bar = weeks.len().div_ceil(MAX_BARS).max(1);
    // (first week's start, last week's end, hits) of each bar.
    let bars: Vec<(chrono::NaiveDate, chrono::NaiveDate, u64)> = weeks
        .chunks(per_bar)
        .map(|group| {
            let first = group[0].week_start;
            let last = group[group.len() - 1].week_start + chrono::Duration::days(6);
            (first, last, group.iter().map(|w| w.docs).sum())
        })
        .collect();
    let most = bars.iter().map(|b| b.2).max().unwrap_or(0).max(1) as f64;
    let bar = (720.0 / bars.len().max(1) as f64).clamp(2.0, 40.0);
    let width = bar * bars.len() as f64;
    html! {
        section.weeks aria-label=(l.weeks_chart) {
            h3 { (l.weeks_chart)
                @if per_bar > 1 { small { " (" (per_bar) " " (l.weeks_per_bar) ")" } }
                @if undated > 0 { small { " (" (undated) " " (l.undated) ")" } }
            }
            svg #weeks-chart viewBox={ "0 0 " (width) " " (HEIGHT + 14.0) } width=(width) height=(HEIGHT + 14.0) role="img" aria-label=(l.weeks_chart) {
                @for (i, (first, last, docs)) in bars.iter().enumerate() {
                    // An empty bar draws nothing: a gap says it.
                    @if *docs > 0 {
                        @let h = (*docs as f64 / most * HEIGHT).max(1.5);
                        @let since = first.to_string();
                        @let until = last.to_string();
                        a href={ "/?" (req.to_query_string(&[("since", Some(&since)), ("until", Some(&until)), ("offset", None)])) } {
                            rect x=(i as f64 * bar) y=(HEIGHT - h) width=((bar - 1.0).max(1.0)) height=(h) fill="#3465a4" {
                                title {
                                    (first.format("%d/%m/%Y"))
                                    @if per_bar > 1 { "–" (last.format("%d/%m/%Y")) }
                                    ": " (docs)
                                }
                            }
                        }
                    }
                }
                @if let (Some(first), Some(last)) = (bars.first(), bars.last()) {
                    text x="0" y=(HEIGHT + 12.0) font-size="10" fill="#555" { (first.0.format("%d/%m/%Y")) }
                    text x=(width) y=(HEIGHT + 12.0) font-size="10" fill="#555" text-anchor="end" { (last.0.format("%d/%m/%Y")) }
                }
            }
        }
    }
}

fn facet_list(
    l: &Labels,
    req: &SearchRequest,
    name: &'static str,
    title: &str,
    values: &[FacetCount],
    active: Option<&str>,
) -> Markup {
    html! {
        @if !values.is_empty() || active.is_some() {
            div.facet data-facet=(name) {
                h4 { (title) }
                @if let Some(active) = active {
                    p.active { (if name == "kind" { l.kind_name(active) } else { active }) " · "
                        a href={ "/?" (req.to_query_string(&[(name, None), ("offset", None)])) } { (l.remove_filter) } }
                }
                ul {
                    @for value in values.iter().take(12) {
                        li {
                            a href={ "/?" (req.to_query_string(&[(name, Some(&value.value)), ("offset", None)])) } {
                                (if name == "kind" { l.kind_name(&value.value) } else { &value.value })
                            }
                            " " span.count { (value.docs) }
                        }
                    }
                }
            }
        }
    }
}

/// The accented readings of each accent-free word, each a link that searches with it picked.
fn readings(l: &Labels, req: &SearchRequest, words: &[WordReadings]) -> Markup {
    let link = |change: &dyn Fn(&mut Vec<String>)| {
        let mut picked = req.clone();
        change(&mut picked.readings);
        format!("/?{}", picked.to_query_string(&[("offset", None)]))
    };
    html! {
        div #readings.readings {
            (l.readings) ": "
            @for word in words.iter().filter(|w| !w.readings.is_empty()) {
                span.word {
                    code { (word.word) } " → "
                    @for (i, reading) in word.readings.iter().take(6).enumerate() {
                        @if i > 0 { " · " }
                        @if req.readings.contains(&reading.text) {
                            strong { (reading.text) } " (" (reading.docs) ") "
                            a href=(link(&|r| r.retain(|x| *x != reading.text))) { (l.remove_filter) }
                        } @else {
                            a href=(link(&|r| r.push(reading.text.clone()))) { (reading.text) }
                            " (" (reading.docs) ")"
                        }
                    }
                }
            }
        }
    }
}

fn hit_item(l: &Labels, q: &str, hit: &Hit) -> Markup {
    html! {
        li.hit {
            a.title href=(document_href(&hit.id, q)) { (if hit.title.is_empty() { hit.id.as_str() } else { hit.title.as_str() }) }
            div.meta {
                (date_label(l, hit)) " · " (hit.source) " · " (l.kind_name(&hit.kind))
                @if let Some(unit) = &hit.unit { " · " (unit) }
            }
            @if !hit.snippet.text.is_empty() {
                p.snippet { (marked(&hit.snippet.text, &hit.snippet.highlights)) }
            }
        }
    }
}

fn pager(l: &Labels, req: &SearchRequest, total: usize) -> Markup {
    let limit = req.limit.max(1);
    let page = req.offset / limit + 1;
    let pages = total.div_ceil(limit).max(1);
    let link = |offset: usize| {
        let offset = offset.to_string();
        format!("/?{}", req.to_query_string(&[("offset", Some(&offset))]))
    };
    html! {
        nav.pager {
            @if req.offset > 0 {
                a rel="prev" href=(link(req.offset.saturating_sub(limit))) { (l.previous) }
            }
            span { (l.page) " " (page) " / " (pages) }
            @if req.offset + limit < total && req.offset + limit <= crate::params::MAX_OFFSET {
                a rel="next" href=(link(req.offset + limit)) { (l.next) }
            }
        }
    }
}

/// What the search page shows under the form.
pub enum SearchOutcome<'a> {
    Nothing,
    Error(&'a crate::error::ApiError),
    Results(&'a ExploreResults),
}

pub fn search_page(
    l: &Labels,
    req: &SearchRequest,
    outcome: SearchOutcome,
    documents: u64,
) -> Markup {
    let title = if req.q.is_empty() {
        l.nav_search.to_string()
    } else {
        req.q.clone()
    };
    let body = html! {
        (search_form(l, req))
        @match outcome {
            SearchOutcome::Nothing => {
                p.muted { (documents) " " (l.documents_in_index) }
            }
            SearchOutcome::Error(error) => {
                p.error role="alert" {
                    (l.error) ": " (error.message)
                    @if let Some(column) = error.column {
                        br; code.query-error { (req.q) } br; code.query-error { (" ".repeat(column.saturating_sub(1))) "^" }
                    }
                }
            }
            SearchOutcome::Results(results) => {
                div.summary {
                    p #total { strong { (results.total) } " " (l.results) }
                    p.searched { (l.searched) ": " code #understood { (if results.understood.is_empty() { req.q.as_str() } else { results.understood.as_str() }) }
                        @if let Some(s) = &req.source { " · " (l.source) ": " (s) }
                        @if let Some(k) = &req.kind { " · " (l.kind) ": " (l.kind_name(k)) }
                        @if let Some(u) = &req.unit { " · " (l.unit) ": " (u) }
                    }
                    p.downloads { (l.download) ": "
                        a href={ "/api/search/export?format=csv&" (req.to_query_string(&[("offset", None), ("limit", None)])) } download { "CSV" }
                        " · "
                        a href={ "/api/search/export?format=jsonl&" (req.to_query_string(&[("offset", None), ("limit", None)])) } download { "JSON Lines" }
                    }
                }
                @if results.readings.iter().any(|w| !w.readings.is_empty()) {
                    (readings(l, req, &results.readings))
                }
                div.results {
                    aside.facets aria-label=(l.facets) {
                        @if let Some(facets) = &results.facets {
                            (facet_list(l, req, "source", l.source, &facets.source, req.source.as_deref()))
                            (facet_list(l, req, "kind", l.kind, &facets.kind, req.kind.as_deref()))
                            (facet_list(l, req, "unit", l.unit, &facets.unit, req.unit.as_deref()))
                        }
                    }
                    section.hits {
                        @if let Some(weeks) = &results.weeks {
                            @if !weeks.weeks.is_empty() { (weeks_chart(l, req, &weeks.weeks, weeks.undated)) }
                        }
                        @if results.hits.is_empty() {
                            p { (l.no_results) }
                        } @else {
                            ol.hits start=(req.offset + 1) {
                                @for hit in &results.hits { (hit_item(l, &req.q, hit)) }
                            }
                            (pager(l, req, results.total))
                        }
                    }
                }
            }
        }
    };
    layout(l, &title, Section::Search, body)
}

pub fn document_page(
    l: &Labels,
    hit: &Hit,
    q: &str,
    body_spans: &[(usize, usize)],
    title_spans: &[(usize, usize)],
    story: &[Hit],
) -> Markup {
    // Paragraphs by line, each keeping the spans that fall inside it.
    let mut paragraphs: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for line in hit.body.split('\n') {
        paragraphs.push((at, line));
        at += line.len() + 1;
    }
    let body = html! {
        article.document {
            h1 #doc-title { (marked(&hit.title, title_spans)) }
            dl.metadata {
                dt { (l.date) } dd { (date_label(l, hit)) }
                dt { (l.date_source) } dd { code { (hit.date_source) } }
                dt { (l.source) } dd { (hit.source) }
                dt { (l.kind) } dd { (l.kind_name(&hit.kind)) }
                @if let Some(unit) = &hit.unit { dt { (l.unit) } dd { (unit) } }
                @if let Some(author) = &hit.author { dt { (l.author) } dd { (author) } }
                @if let Some(url) = &hit.url {
                    dt { (l.url) }
                    dd {
                        @if let Some(link) = safe_url(url) {
                            a href=(link) rel="noopener noreferrer nofollow" { (url) }
                        } @else { code { (url) } }
                    }
                }
                dt { (l.language) } dd { (hit.lang) }
                dt { (l.id) } dd { code { (hit.id) } }
            }
            div #doc-body.body {
                @for (start, line) in &paragraphs {
                    @let end = start + line.len();
                    @let spans: Vec<(usize, usize)> = body_spans.iter()
                        .filter(|(s, e)| *s >= *start && *e <= end)
                        .map(|(s, e)| (s - start, e - start)).collect();
                    @if !line.trim().is_empty() { p { (marked(line, &spans)) } }
                }
            }
            section.story {
                h2 { (l.story) }
                @if story.is_empty() {
                    p.muted { (l.story_none) }
                } @else {
                    ul {
                        @for other in story {
                            li { a href=(document_href(&other.id, q)) { (other.title) } " · " (date_label(l, other)) " · " (other.source) }
                        }
                    }
                }
            }
        }
    };
    layout(l, &hit.title, Section::Search, body)
}

/// A line through the last weeks' counts.
pub fn sparkline(counts: &[i64], flags: &[&str]) -> Markup {
    const W: f64 = 120.0;
    const H: f64 = 24.0;
    let most = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = if counts.len() > 1 {
        W / (counts.len() - 1) as f64
    } else {
        W
    };
    let y = |c: i64| H - 2.0 - (c as f64 / most) * (H - 4.0);
    let points: Vec<String> = counts
        .iter()
        .enumerate()
        .map(|(i, &c)| format!("{:.1},{:.1}", i as f64 * step, y(c)))
        .collect();
    html! {
        svg.spark viewBox={ "0 0 " (W) " " (H) } width=(W) height=(H) role="img" aria-hidden="true" {
            polyline points=(points.join(" ")) fill="none" stroke="#3465a4" stroke-width="1.5" {}
            @for (i, (&c, flag)) in counts.iter().zip(flags).enumerate() {
                @if *flag == "rising" { circle cx=(format!("{:.1}", i as f64 * step)) cy=(format!("{:.1}", y(c))) r="2.5" fill="#cc0000" {} }
            }
        }
    }
}

fn number(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.digits$}"))
}

fn flag_cell(l: &Labels, flag: &str) -> Markup {
    html! { span class={ "flag " (flag) } { (l.flag_name(flag)) } }
}

fn week_title(l: &Labels, week: &TopicWeek) -> String {
    format!(
        "{} {}-W{:02} ({} – {})",
        l.week,
        week.iso_year,
        week.iso_week,
        week.week_start.format("%d/%m/%Y"),
        (week.week_start + chrono::Duration::days(6)).format("%d/%m/%Y")
    )
}

pub fn topics_page(l: &Labels, view: Result<&TrendsView, &str>, has_topics: bool) -> Markup {
    let body = html! {
        h1 { (l.topics_title) }
        @if !has_topics {
            p.muted { (l.topics_none) }
        }
        @match view {
            Err(message) => { p.error { (l.trends_failed) ": " (message) } }
            Ok(view) => {
                @if let Some(w) = view.latest {
                    @if let Some(first) = view.topics.first() { p.week { (week_title(l, &first.weeks[w])) } }
                    table #topics-table.data {
                        thead { tr {
                            th { (l.topic) } th.num { (l.docs) } th.num { (l.stories) } th.num { (l.change) }
                            th.num { (l.baseline) } th.num { (l.p_value) } th { (l.flag) } th { (l.last_weeks) }
                        } }
                        tbody {
                            @for t in view.dashboard_order() {
                                @let topic = &view.topics[t];
                                @let week = &topic.weeks[w];
                                @let from = (w + 1).saturating_sub(26);
                                @let counts: Vec<i64> = topic.weeks[from..=w].iter().map(|x| x.docs).collect();
                                @let flags: Vec<&str> = topic.weeks[from..=w].iter().map(|x| x.flag.as_str()).collect();
                                tr class=(week.flag) {
                                    td { a href={ "/topics/" (percent_encode(&topic.name)) } { (topic.label) } }
                                    td.num { (week.docs) } td.num { (week.stories) }
                                    td.num { (week.change.map_or_else(|| "—".to_string(), |c| format!("{c:+}"))) }
                                    td.num { (number(week.baseline, 1)) } td.num { (number(week.p_value, 3)) }
                                    td { (flag_cell(l, &week.flag)) }
                                    td { (sparkline(&counts, &flags)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(l, l.topics_title, Section::Topics, body)
}

pub fn topic_page(
    l: &Labels,
    view: &TrendsView,
    topic: &TopicTrend,
    representative: &[Hit],
) -> Markup {
    let latest = view.latest.and_then(|w| topic.weeks.get(w));
    let forecast_points = view
        .topic(&topic.name)
        .and_then(|(i, _)| view.forecasts.get(i))
        .map(|f| nhip_trends::forecast::trusted(f))
        .unwrap_or_default();
    let body = html! {
        h1 { (topic.label) }
        p { (l.topic_query) ": " code #topic-query { (topic.query) }
            @if let Some(week) = latest {
                @let end = week.week_start + chrono::Duration::days(6);
                " · " a #run-week href={ "/?q=" (percent_encode(&topic.query)) "&since=" (week.week_start) "&until=" (end) } { (l.run_query_week) }
            }
        }
        figure.chart {
            img #topic-chart src={ "/topics/" (percent_encode(&topic.name)) "/chart.svg" } alt=(topic.label) width="900" height="360";
        }
        @if !forecast_points.is_empty() {
            h2 { (l.forecast) }
            table.data {
                thead { tr { th { (l.week) } th.num { (l.forecast) } th.num { "80%" } th.num { "95%" } } }
                tbody {
                    @for p in &forecast_points {
                        tr {
                            td { (p.week.year) "-W" (format!("{:02}", p.week.week)) " (" (p.week.start.format("%d/%m")) ")" }
                            td.num { (format!("{:.1}", p.forecast)) }
                            td.num { (format!("{:.1}–{:.1}", p.lower_80, p.upper_80)) }
                            td.num { (format!("{:.1}–{:.1}", p.lower_95, p.upper_95)) }
                        }
                    }
                }
            }
        }
        @if let Some(week) = latest {
            h2 { (l.representative) " — " (week_title(l, week)) }
            @if representative.is_empty() { p.muted { (l.no_results) } }
            ul.hits {
                @for hit in representative { (hit_item(l, &topic.query, hit)) }
            }
        }
        h2 { (l.weekly_table) }
        table.data {
            thead { tr {
                th { (l.week) } th.num { (l.docs) } th.num { (l.stories) } th.num { (l.reports) } th.num { (l.press) }
                th.num { (l.total_docs) } th.num { (l.share) } th.num { (l.change) } th.num { (l.baseline) }
                th.num { (l.p_value) } th { (l.flag) }
            } }
            tbody {
                @for week in topic.weeks.iter().rev() {
                    tr class=(week.flag) {
                        td { (week.iso_year) "-W" (format!("{:02}", week.iso_week)) " · " (week.week_start.format("%d/%m/%Y")) }
                        td.num { (week.docs) } td.num { (week.stories) } td.num { (week.reports) } td.num { (week.press) }
                        td.num { (week.total_docs) } td.num { (format!("{:.1}%", week.share * 100.0)) }
                        td.num { (week.change.map_or_else(|| "—".to_string(), |c| format!("{c:+}"))) }
                        td.num { (number(week.baseline, 1)) } td.num { (number(week.p_value, 3)) }
                        td { (flag_cell(l, &week.flag)) }
                    }
                }
            }
        }
    };
    layout(l, &topic.label, Section::Topics, body)
}

pub fn emerging_page(
    l: &Labels,
    view: Result<&TrendsView, &str>,
    examples: &[(EmergingTerm, Vec<Hit>)],
) -> Markup {
    let body = html! {
        h1 { (l.emerging_title) }
        @match view {
            Err(message) => { p.error { (l.trends_failed) ": " (message) } }
            Ok(view) => {
                @if let Some(w) = view.latest_week() {
                    p.week { (l.week) " " (w.year) "-W" (format!("{:02}", w.week)) " (" (w.start.format("%d/%m/%Y")) ")" }
                }
                @if examples.is_empty() {
                    p.muted { (l.emerging_none) }
                } @else {
                    table #emerging-table.data {
                        thead { tr { th.num { "#" } th { (l.term) } th.num { (l.docs) } th.num { (l.baseline_docs) } th.num { "G²" } th { (l.examples) } } }
                        tbody {
                            @for (term, hits) in examples {
                                tr {
                                    td.num { (term.rank) }
                                    td { a href={ "/?q=" (percent_encode(&format!("\"{}\"", term.term))) } { (term.term) } }
                                    td.num { (term.docs) } td.num { (format!("{:.1}", term.baseline_docs)) }
                                    td.num { (format!("{:.1}", term.g2)) }
                                    td { ul.examples { @for hit in hits { li { a href=(document_href(&hit.id, &term.term)) { (hit.title) } } } } }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(l, l.emerging_title, Section::Emerging, body)
}

pub fn brief_page(l: &Labels, brief: Option<&str>, downloads: &[String]) -> Markup {
    let body = html! {
        h1 { (l.brief_title) }
        @if !downloads.is_empty() {
            p.downloads { (l.downloads) ": "
                @for (i, name) in downloads.iter().enumerate() {
                    @if i > 0 { " · " }
                    a href={ "/downloads/" (name) } download { (name) }
                }
            }
        }
        @match brief {
            Some(html) => { div.brief { (PreEscaped(html)) } }
            None => { p.muted { (l.brief_none) } }
        }
    };
    layout(l, l.brief_title, Section::Brief, body)
}

fn alert_level(l: &Labels, level: u8) -> Markup {
    html! {
        span.flag.rising { @if level >= 2 { (l.alert_strong) } @else { (l.flag_rising) } }
    }
}

fn topic_week_href(alert: &Alert) -> String {
    format!("/topics/{}", percent_encode(&alert.topic))
}

/// The banner shown above every page while alerts are recent.
pub fn alerts_banner(l: &Labels, recent: &[Alert]) -> Markup {
    html! {
        div.alerts-banner role="status" {
            strong { (l.alerts_banner) } " "
            @for (i, alert) in recent.iter().enumerate() {
                @if i > 0 { " · " }
                a href=(topic_week_href(alert)) { (alert.label) } " (" (alert.week) ", " (alert.docs) " " (l.docs.to_lowercase()) ")"
            }
            " — " a href="/alerts" { (l.alerts_see_all) }
        }
    }
}

pub fn alerts_page(l: &Labels, alerts: &[Alert]) -> Markup {
    let number =
        |x: Option<f64>, digits: usize| x.map_or_else(String::new, |x| format!("{x:.digits$}"));
    let body = html! {
        h1 { (l.alerts_title) }
        @if alerts.is_empty() {
            p.muted { (l.alerts_none) }
        } @else {
            table.alerts {
                thead { tr {
                    th { (l.raised_at) } th { (l.week) } th { (l.topic) } th { (l.flag) }
                    th.num { (l.docs) } th.num { (l.baseline) } th.num { (l.p_value) } th { (l.examples) }
                } }
                tbody {
                    @for alert in alerts {
                        tr {
                            td { (alert.raised_at.get(..16).unwrap_or(&alert.raised_at).replace('T', " ")) }
                            td { (alert.week) }
                            td { a href=(topic_week_href(alert)) { (alert.label) } }
                            td { (alert_level(l, alert.level)) }
                            td.num { (alert.docs) }
                            td.num { (number(alert.baseline, 1)) }
                            td.num { (number(alert.p_value, 4)) }
                            td {
                                @for document in &alert.documents {
                                    div { a href=(document_href(&document.id, "")) { (document.title) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(l, l.alerts_title, Section::Alerts, body)
}

pub fn login_page(l: &Labels, next: &str, failed: bool) -> Markup {
    let body = html! {
        h1 { (l.login_title) }
        @if failed { p.error role="alert" { (l.login_failed) } }
        form.login method="post" action="/login" {
            input type="hidden" name="next" value=(next);
            label { (l.login_token) " " input type="password" name="token" autocomplete="current-password" autofocus; }
            button type="submit" { (l.login_button) }
        }
    };
    layout(l, l.login_title, Section::None, body)
}

pub fn message_page(l: &Labels, title: &str, message: &str) -> Markup {
    let body = html! { h1 { (title) } p { (message) } };
    layout(l, title, Section::None, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_escape_and_never_panic() {
        let text = "Vụ <script>x</script> tham nhũng";
        let start = text.find("tham").unwrap();
        let html = marked(text, &[(start, text.len()), (1, 2), (500, 600)]).into_string();
        assert_eq!(
            html,
            "Vụ &lt;script&gt;x&lt;/script&gt; <mark>tham nhũng</mark>"
        );
    }

    #[test]
    fn a_long_span_of_weeks_is_drawn_in_at_most_max_bars() {
        let start = chrono::NaiveDate::from_ymd_opt(1998, 1, 5).unwrap();
        let weeks: Vec<WeekCount> = (0..1500)
            .map(|i| WeekCount {
                week_start: start + chrono::Duration::weeks(i),
                docs: u64::from(i % 3 == 0),
            })
            .collect();
        let req = SearchRequest {
            q: "lũ".into(),
            ..SearchRequest::default()
        };
        let html = weeks_chart(&crate::VI, &req, &weeks, 0).into_string();
        // 1,500 weeks in bars of 10 weeks: 150 bars, each holding hits.
        assert_eq!(html.matches("<rect").count(), 150);
        assert!(html.contains("10 tuần mỗi cột"));
        assert!(
            html.contains("05/01/1998–15/03/1998: 4"),
            "{}",
            &html[..600]
        );
        assert!(html.len() < 60_000, "{}", html.len());
        // A short span: one bar per week, empty weeks drawn as gaps.
        let html = weeks_chart(&crate::VI, &req, &weeks[..9], 0).into_string();
        assert_eq!(html.matches("<rect").count(), 3);
    }

    #[test]
    fn only_web_links_are_links() {
        assert!(safe_url("https://a.vn/x").is_some());
        assert!(safe_url(" JavaScript:alert(1)").is_none());
        assert!(safe_url("data:text/html,x").is_none());
    }
}
