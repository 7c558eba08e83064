//! HTML article pages: the main text through `dom_smoothie` (a port of Mozilla's Readability),
//! then the Vietnamese press boilerplate Readability keeps inside articles is cut: follow-us
//! lines ("Theo dõi … trên Google News"), share and comment prompts, and everything from a
//! related-articles heading ("Có thể bạn quan tâm", "Tin liên quan", "Xem thêm") on. Title,
//! author and publication date come from meta tags and JSON-LD; the URL from the canonical link.
//!
//! A page with no article (a section front, a login page) is rejected with that reason.

use crate::dates::parse_date;
use crate::document::{DocKind, RawDocument};
use crate::reject::Reject;
use crate::{FileOutcome, IngestOptions};
use dom_smoothie::{Config, Readability, TextMode};
use nhip_text::{fold, normalize};
use std::path::Path;

/// An article shorter than this (in characters) is a teaser or a page without an article.
const MIN_ARTICLE_CHARS: usize = 200;

/// Folded openings of headings after which a page lists other articles.
const RELATED_HEADINGS: &[&str] = &[
    "co the ban quan tam",
    "tin lien quan",
    "bai lien quan",
    "bai viet lien quan",
    "tin cung chuyen muc",
    "xem them",
    "doc them",
    "tin khac",
    "tin moi nhat",
    "tin noi bat",
];

/// Folded fragments of lines that are page furniture, not article text.
const FURNITURE: &[&str] = &[
    "google news",
    "chia se bai viet",
    "chia se:",
    "binh luan (",
    "gui binh luan",
    "in bai",
    "theo doi chung toi",
    "tai ung dung",
];

/// Reads one HTML page.
pub fn read(path: &Path, bytes: &[u8], options: &IngestOptions) -> FileOutcome {
    FileOutcome::single(parse(path, bytes, options).map_err(|reason| Reject::file(path, reason)))
}

fn parse(path: &Path, bytes: &[u8], options: &IngestOptions) -> Result<RawDocument, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let html = nhip_text::decode(bytes)
        .ok_or("invalid UTF-8, and not a recognised Vietnamese legacy encoding")?
        .text;
    // One parse: the head is read for meta data, then the same tree goes to Readability.
    let document = dom_query::Document::from(html.as_ref());
    let page = PageMeta::read(&document);
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    // Readability refuses a relative base url; a page with one is still an article.
    let base_url = page.url.as_deref().filter(|u| host(u).is_some());
    let mut readability = Readability::with_document(document, base_url, Some(config))
        .map_err(|e| format!("cannot parse HTML: {e}"))?;
    let article = readability
        .parse()
        .map_err(|e| format!("HTML page with no article: {e}"))?;
    let body =
        normalize(&nhip_text::repair(&strip_furniture(&article.text_content)).0).into_owned();
    if body.chars().count() < MIN_ARTICLE_CHARS {
        return Err(format!(
            "HTML page with no article: {} characters of main text (at least {MIN_ARTICLE_CHARS} expected)",
            body.chars().count()
        ));
    }
    let title = normalize(&nhip_text::repair(article.title.trim()).0).into_owned();
    let published_at = article
        .published_time
        .as_deref()
        .and_then(parse_date)
        .or_else(|| page.published.as_deref().and_then(parse_date));
    let source = options
        .default_source
        .clone()
        .or(article.site_name.clone())
        .or_else(|| page.url.as_deref().and_then(host))
        .unwrap_or_else(|| "web".to_string());
    Ok(RawDocument {
        id: None,
        title,
        body,
        published_at,
        file_date: None,
        reference: None,
        source: normalize(&source).into_owned(),
        kind: options.default_kind.unwrap_or(DocKind::Press),
        unit: None,
        url: page.url,
        author: article
            .byline
            .map(|b| normalize(b.trim()).into_owned())
            .filter(|b| !b.is_empty()),
        origin: path.display().to_string(),
        date_context: None,
    })
}

/// What the page's head says about itself, beyond what Readability returns.
#[derive(Default)]
struct PageMeta {
    url: Option<String>,
    published: Option<String>,
}

impl PageMeta {
    fn read(document: &dom_query::Document) -> PageMeta {
        let attr = |selector: &str, name: &str| {
            document
                .select(selector)
                .attr(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        PageMeta {
            url: attr(r#"link[rel="canonical"]"#, "href")
                .or_else(|| attr(r#"meta[property="og:url"]"#, "content")),
            published: attr(r#"meta[property="article:published_time"]"#, "content")
                .or_else(|| attr(r#"meta[itemprop="datePublished"]"#, "content"))
                .or_else(|| attr(r#"meta[name="pubdate"]"#, "content"))
                .or_else(|| attr("time[datetime]", "datetime")),
        }
    }
}

fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| host.trim_start_matches("www.").to_string())
}

/// The article's lines without page furniture, up to a related-articles heading.
fn strip_furniture(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        let folded = fold(trimmed).to_lowercase();
        let short = trimmed.chars().count() <= 80;
        if short && RELATED_HEADINGS.iter().any(|h| folded.starts_with(h)) {
            break;
        }
        if short && FURNITURE.iter().any(|f| folded.contains(f)) {
            continue;
        }
        if trimmed.is_empty() && kept.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        kept.push(trimmed);
    }
    kept.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A news page written for these tests, shaped like a Vietnamese provincial paper's.
    pub(crate) const ARTICLE_PAGE: &str = include_str!("../tests/fixtures/article.html");

    #[test]
    fn main_text_without_navigation_related_or_share_boxes() {
        let outcome = read(
            Path::new("page.html"),
            ARTICLE_PAGE.as_bytes(),
            &IngestOptions::default(),
        );
        assert!(outcome.rejects.is_empty(), "{:?}", outcome.rejects);
        let doc = &outcome.documents[0];
        assert!(
            doc.title
                .starts_with("Nông dân xã Tân Phú chuyển sang trồng sầu riêng"),
            "{}",
            doc.title
        );
        assert!(
            doc.body.contains("Sáng 3-3, nhiều hộ nông dân"),
            "{}",
            doc.body
        );
        assert!(doc
            .body
            .contains("theo dõi tình hình sâu bệnh trong mùa khô."));
        for furniture in [
            "Google News",
            "Có thể bạn quan tâm",
            "Giá lúa tăng nhẹ",
            "Trang chủ",
            "Chia sẻ",
            "Tin mới nhất",
            "Giấy phép",
        ] {
            assert!(
                !doc.body.contains(furniture),
                "{furniture:?} left in body:\n{}",
                doc.body
            );
        }
        assert_eq!(
            doc.published_at.unwrap().to_rfc3339(),
            "2026-03-04T07:45:00+07:00"
        );
        assert_eq!(doc.author.as_deref(), Some("Trần Minh"));
        assert_eq!(doc.source, "Báo Tỉnh Nhà");
        assert_eq!(
            doc.url.as_deref(),
            Some("https://baotinhnha.example.vn/kinh-te/nong-dan-tan-phu-sau-rieng-123.html")
        );
    }

    #[test]
    fn relative_canonical_link_is_no_reason_to_reject() {
        let page = ARTICLE_PAGE.replace(
            "https://baotinhnha.example.vn/kinh-te/nong-dan-tan-phu-sau-rieng-123.html",
            "/kinh-te/nong-dan-tan-phu-sau-rieng-123.html",
        );
        let outcome = read(
            Path::new("page.html"),
            page.as_bytes(),
            &IngestOptions::default(),
        );
        assert!(outcome.rejects.is_empty(), "{:?}", outcome.rejects);
        assert_eq!(
            outcome.documents[0].url.as_deref(),
            Some("/kinh-te/nong-dan-tan-phu-sau-rieng-123.html")
        );
    }

    #[test]
    fn page_without_an_article_is_rejected() {
        let page = r#"<html><head><title>Đăng nhập</title></head><body><nav><a href="/">Trang chủ</a></nav><form><input name="u"><button>Đăng nhập</button></form></body></html>"#;
        let outcome = read(
            Path::new("login.html"),
            page.as_bytes(),
            &IngestOptions::default(),
        );
        assert!(outcome.documents.is_empty());
        assert!(
            outcome.rejects[0].reason.contains("no article"),
            "{}",
            outcome.rejects[0]
        );
    }

    #[test]
    fn furniture_lines_are_cut() {
        let text =
            "Đoạn một.\n\nTheo dõi Báo X trên Google News\nĐoạn hai.\nTin liên quan\nBài khác";
        assert_eq!(strip_furniture(text), "Đoạn một.\n\nĐoạn hai.");
    }
}
