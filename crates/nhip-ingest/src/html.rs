//! HTML article pages: the main text through `dom_smoothie` (a port of Mozilla's Readability),
//! then the Vietnamese press boilerplate Readability keeps inside articles is cut: follow-us
//! lines ("Theo dõi … trên Google News"), share and comment prompts, and everything from a
//! related-articles heading ("Có thể bạn quan tâm", "Tin liên quan", "Xem thêm") on. Title,
//! author and publication date come from meta tags and JSON-LD; the URL from the canonical link.
//!
//! The article's lead (the *sapo*), when the page marks one outside the node Readability keeps,
//! goes first in the body (see [`crate::lead`]).
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

/// Deepest element nesting a page may have. Readability walks the tree recursively, so a hostile
/// page of a million nested elements would overflow the stack and abort the whole run; real
/// article pages nest a few dozen levels.
const MAX_NESTING: usize = 400;

/// Nesting of the markup, estimated before parsing, beyond which a page is rejected unparsed.
/// The parser checks each new `<div>`, `<p>`… against the elements open around it, so a page
/// of a million nested `<div>`s takes it minutes (quadratic); real pages stay far below this,
/// and anything between here and [`MAX_NESTING`] is still measured on the parsed tree.
const MAX_MARKUP_NESTING: usize = 5_000;

/// Elements the parser closes by itself or that take no children: not counted as nesting.
const UNCOUNTED: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "rtc",
    "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body", "area", "base", "br",
    "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param",
    "keygen", "frame",
];

/// Elements whose content is text, not markup (skipped to their end tag).
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// The first `needle` (ASCII, lower case) in `haystack` at or after `from`, any case.
fn find_ascii_ci(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let rest = haystack.get(from..)?;
    rest.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|at| from + at)
}

/// Whether the markup opens more than `limit` elements inside each other, by one linear scan
/// of the tags (comments, declarations and raw text skipped; an end tag closes the nearest
/// open element of its name among the last 64, as the parser would; others are ignored).
fn markup_nesting_exceeds(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut open: Vec<&[u8]> = Vec::new();
    let mut at = 0;
    while let Some(lt) = bytes[at..].iter().position(|&b| b == b'<').map(|p| at + p) {
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            at = find_ascii_ci(bytes, b"-->", lt + 4).map_or(bytes.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with(b"!") || rest.starts_with(b"?") {
            at = find_ascii_ci(bytes, b">", lt + 1).map_or(bytes.len(), |e| e + 1);
            continue;
        }
        let closing = rest.starts_with(b"/");
        let name_start = lt + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 {
            at = lt + 1;
            continue;
        }
        let name = &bytes[name_start..name_start + name_len];
        let Some(gt) = find_ascii_ci(bytes, b">", name_start + name_len) else {
            break;
        };
        at = gt + 1;
        let is = |list: &[&str]| list.iter().any(|n| n.as_bytes().eq_ignore_ascii_case(name));
        if closing {
            let window = open.len().saturating_sub(64);
            if let Some(found) = open[window..]
                .iter()
                .rposition(|n| n.eq_ignore_ascii_case(name))
            {
                open.truncate(window + found);
            }
        } else if is(RAW_TEXT) {
            let end = [b"</".as_slice(), &name.to_ascii_lowercase()].concat();
            at = find_ascii_ci(bytes, &end, at).unwrap_or(bytes.len());
        } else if !is(UNCOUNTED) && bytes[gt - 1] != b'/' {
            open.push(name);
            if open.len() > limit {
                return true;
            }
        }
    }
    false
}

/// Whether the tree nests deeper than `limit` nodes, found by an iterative walk.
fn nesting_exceeds(document: &dom_query::Document, limit: usize) -> bool {
    let root = document.root();
    let mut next = root.first_child();
    let mut depth = 1usize;
    while let Some(node) = next {
        if depth > limit {
            return true;
        }
        if let Some(child) = node.first_child() {
            next = Some(child);
            depth += 1;
            continue;
        }
        // Up to the nearest ancestor with a next sibling: each node is left once, so the walk
        // stays linear in the size of the page.
        let mut at = node;
        next = loop {
            if let Some(sibling) = at.next_sibling() {
                break Some(sibling);
            }
            match at.parent() {
                Some(parent) if parent.id != root.id => {
                    at = parent;
                    depth -= 1;
                }
                _ => break None,
            }
        };
    }
    false
}

/// Reads one HTML page.
pub fn read(path: &Path, bytes: &[u8], options: &IngestOptions) -> FileOutcome {
    FileOutcome::single(parse(path, bytes, options).map_err(|reason| Reject::file(path, reason)))
}

fn parse(path: &Path, bytes: &[u8], options: &IngestOptions) -> Result<RawDocument, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let html = nhip_text::decode(bytes)
        .ok_or("invalid UTF-8, and not a recognised Vietnamese legacy encoding")?
        .text;
    if markup_nesting_exceeds(&html, MAX_MARKUP_NESTING) {
        return Err(format!(
            "HTML page nested deeper than {MAX_NESTING} elements (not an article page)"
        ));
    }
    // One parse: the head is read for meta data, then the same tree goes to Readability.
    let document = dom_query::Document::from(html.as_ref());
    if nesting_exceeds(&document, MAX_NESTING) {
        return Err(format!(
            "HTML page nested deeper than {MAX_NESTING} elements (not an article page)"
        ));
    }
    let page = PageMeta::read(&document);
    // Read before Readability takes the tree (and removes what it judges not article).
    let leads = crate::lead::lead_candidates(&document);
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
    let body = crate::lead::with_lead(&leads, &title, &body);
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

    /// Paragraphs of an article body, written for these tests.
    const PARAGRAPHS: &[&str] = &[
        "Theo Sở Nông nghiệp và Môi trường, mưa lớn kéo dài từ đêm 12-9 làm nước sông Đà dâng cao, nhiều đoạn bờ sông ở các xã ven sông bị sạt lở nghiêm trọng.",
        "Chính quyền địa phương đã di dời khẩn cấp 48 hộ dân ra khỏi vùng nguy hiểm, bố trí chỗ ở tạm tại nhà văn hóa và trường học gần đó.",
        "Lực lượng công an, quân sự xã cùng đoàn thanh niên hỗ trợ người dân chuyển đồ đạc, gia súc lên vùng cao trước khi nước tiếp tục lên.",
        "Ông Nguyễn Văn Bình, chủ tịch UBND xã, cho biết xã đã cắm biển cảnh báo và cử người trực 24/24 giờ tại các điểm có nguy cơ sạt lở.",
    ];

    /// The lead of the test pages.
    const SAPO: &str = "Hàng chục hộ dân ven sông Đà phải sơ tán trong đêm sau khi một đoạn bờ sông dài hơn 200 mét bị sạt lở, cuốn trôi ba căn nhà.";

    fn article_paragraphs() -> String {
        PARAGRAPHS.iter().map(|p| format!("<p>{p}</p>\n")).collect()
    }

    fn page(head: &str, body: &str) -> String {
        format!(
            r#"<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Sạt lở bờ sông Đà, hàng chục hộ dân sơ tán trong đêm</title>
<meta property="og:site_name" content="Báo Thử Nghiệm">
<meta property="article:published_time" content="2026-09-13T06:00:00+07:00">
{head}</head><body>
<header class="site-header"><nav><a href="/">Trang chủ</a> <a href="/thoi-su">Thời sự</a></nav></header>
{body}
<footer>© Báo Thử Nghiệm</footer></body></html>"#
        )
    }

    fn body_of(page: &str) -> String {
        let outcome = read(
            Path::new("page.html"),
            page.as_bytes(),
            &IngestOptions::default(),
        );
        assert!(outcome.rejects.is_empty(), "{:?}", outcome.rejects);
        outcome.documents[0].body.clone()
    }

    /// What Readability alone keeps of a page, to show a test exercises the lead.
    fn readability_text(page: &str) -> String {
        let mut readability = Readability::new(page, None, None).unwrap();
        readability.parse().unwrap().text_content.to_string()
    }

    /// The lead once, at the start of the body, and the article after it.
    fn assert_lead_first_once(body: &str) {
        assert!(body.starts_with(SAPO), "lead not first:\n{body}");
        assert_lead_once_before_the_article(body);
    }

    /// The lead once, before the article's first paragraph (Readability may keep a date line
    /// above it).
    fn assert_lead_once_before_the_article(body: &str) {
        assert_eq!(body.matches(SAPO).count(), 1, "lead not once:\n{body}");
        let lead = body.find(SAPO).unwrap_or(usize::MAX);
        assert!(lead < body.find(PARAGRAPHS[0]).unwrap_or(0), "{body}");
        assert!(body.contains(PARAGRAPHS[3]), "{body}");
    }

    #[test]
    fn nhan_dan_like_sapo_outside_the_kept_node_goes_first() {
        // The lead sits in the page's header band beside the title, in another branch of the
        // page than the body node, which starts with a photo and its caption.
        let html = page(
            "",
            &format!(
                r#"<div class="detail-top"><div class="container">
<h1 class="article__title">Sạt lở bờ sông Đà, hàng chục hộ dân sơ tán trong đêm</h1>
<div class="article__meta"><span class="time">13/09/2026 06:00</span></div>
<div class="article__sapo cms-desc">{SAPO}</div></div></div>
<div class="detail-main"><div class="container"><div class="main-col">
<div class="article__body cms-body">
<table class="picture"><tr><td><img src="/a.jpg" alt=""></td></tr><tr><td class="caption">Bờ sông bị sạt lở. Ảnh: TTXVN</td></tr></table>
{}</div></div>
<aside class="sidebar"><h3>Đọc nhiều</h3><ul><li><a href="/c">Bão số 3 đổ bộ</a></li></ul></aside></div></div>"#,
                article_paragraphs()
            ),
        );
        assert!(
            !readability_text(&html).contains(&SAPO.chars().take(60).collect::<String>()),
            "this page must be one where Readability drops the lead"
        );
        assert_lead_first_once(&body_of(&html));
    }

    #[test]
    fn vnexpress_like_description_paragraph_goes_first() {
        let html = page(
            &format!(r#"<meta name="description" content="{SAPO}">"#),
            &format!(
                r#"<section class="section page-detail"><div class="container"><div class="sidebar-1">
<div class="header-content"><span class="date">Chủ nhật, 13/9/2026, 06:00 (GMT+7)</span></div>
<h1 class="title-detail">Sạt lở bờ sông Đà, hàng chục hộ dân sơ tán trong đêm</h1>
<p class="description">{SAPO}</p>
<article class="fck_detail">{}<p style="text-align:right;"><strong>Minh Anh</strong></p></article>
</div></div></section>"#,
                article_paragraphs()
            ),
        );
        // Readability keeps this header with the date line: the lead stays where it is, once.
        assert_lead_once_before_the_article(&body_of(&html));
    }

    #[test]
    fn tuoi_tre_like_h2_sapo_goes_first() {
        let html = page(
            &format!(
                r#"<meta property="og:description" content="{}...">"#,
                SAPO.chars().take(80).collect::<String>()
            ),
            &format!(
                r#"<div class="detail__cmain"><h1 class="detail-title article-title">Sạt lở bờ sông Đà, hàng chục hộ dân sơ tán trong đêm</h1>
<div class="detail-top"><div class="detail-author">Minh Anh</div><div class="detail-time">13/09/2026 06:00 GMT+7</div></div>
<h2 class="detail-sapo" data-role="sapo">{SAPO}</h2>
<div class="detail-cmain"><div class="detail-content afcbc-body" data-role="content">{}</div></div>
<div class="box-related-news"><div class="box-category-item"><h3><a href="/b">Mưa lớn ở miền núi phía Bắc</a></h3><p class="sapo">Mưa lớn kéo dài nhiều ngày gây ngập úng nhiều tuyến đường ở các tỉnh miền núi.</p></div></div>
</div>"#,
                article_paragraphs()
            ),
        );
        let body = body_of(&html);
        assert_lead_first_once(&body);
        assert!(!body.contains("ngập úng nhiều tuyến đường"), "{body}");
    }

    #[test]
    fn a_lead_readability_keeps_is_not_repeated() {
        // The shipped fixture keeps its `p.sapo` inside the article, and its meta repeats it.
        let html = ARTICLE_PAGE.replace(
            "<meta property=\"og:site_name\"",
            "<meta property=\"og:description\" content=\"Sáng 3-3, nhiều hộ nông dân ở xã Tân Phú cho biết đã chuyển một phần diện tích lúa kém...\">\n<meta property=\"og:site_name\"",
        );
        for page in [ARTICLE_PAGE.to_string(), html] {
            let body = body_of(&page);
            assert!(body.starts_with("Sáng 3-3, nhiều hộ nông dân"), "{body}");
            assert_eq!(body.matches("nhiều hộ nông dân").count(), 1, "{body}");
        }
    }

    #[test]
    fn a_meta_description_alone_goes_first() {
        let html = page(
            &format!(
                r#"<meta property="og:description" content="{SAPO}"><meta name="description" content="{SAPO}">"#
            ),
            &format!(
                "<main><article><h1>Sạt lở bờ sông Đà, hàng chục hộ dân sơ tán trong đêm</h1>\n{}</article></main>",
                article_paragraphs()
            ),
        );
        assert_lead_first_once(&body_of(&html));
    }

    #[test]
    fn a_site_wide_meta_description_stays_out() {
        let html = page(
            r#"<meta name="description" content="Báo Thử Nghiệm: tin tức 24h, thời sự, thế giới, thể thao, giải trí, công nghệ mới nhất.">"#,
            &format!("<main><article>{}</article></main>", article_paragraphs()),
        );
        let body = body_of(&html);
        assert!(body.starts_with(PARAGRAPHS[0]), "{body}");
    }

    /// A page whose body is wrapped `depth` elements deep around the article.
    fn nested_page(depth: usize) -> String {
        nested_page_of("span", depth)
    }

    fn nested_page_of(element: &str, depth: usize) -> String {
        let mut html = String::from("<html><body>");
        for _ in 0..depth {
            html.push_str(&format!("<{element}>"));
        }
        html.push_str(&format!(
            r#"<article><p class="sapo">{SAPO}</p>{}</article></body></html>"#,
            article_paragraphs()
        ));
        html
    }

    #[test]
    fn deep_nesting_is_read_up_to_a_bound_then_rejected_without_overflow() {
        // Within the bound, on a test thread's ordinary stack, the page is read.
        let outcome = read(
            Path::new("deep.html"),
            nested_page(MAX_NESTING - 20).as_bytes(),
            &IngestOptions::default(),
        );
        assert!(outcome.rejects.is_empty(), "{:?}", outcome.rejects);
        assert!(outcome.documents[0].body.contains(PARAGRAPHS[3]));
        // A million levels: rejected with the reason, no stack overflow (which would abort).
        let outcome = read(
            Path::new("hostile.html"),
            nested_page(1_000_000).as_bytes(),
            &IngestOptions::default(),
        );
        assert!(outcome.documents.is_empty());
        assert!(
            outcome.rejects[0].reason.contains("nested deeper"),
            "{}",
            outcome.rejects[0]
        );
    }

    #[test]
    fn a_million_nested_divs_are_rejected_before_parsing() {
        // The parser is quadratic in the nesting of `<div>`s (minutes for a million).
        let started = std::time::Instant::now();
        let outcome = read(
            Path::new("hostile.html"),
            nested_page_of("div", 1_000_000).as_bytes(),
            &IngestOptions::default(),
        );
        assert!(outcome.documents.is_empty());
        assert!(outcome.rejects[0].reason.contains("nested deeper"));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn markup_nesting_counts_what_the_parser_would_nest() {
        let deep = |n: usize, open: &str, close: &str| open.repeat(n) + &close.repeat(n);
        assert!(markup_nesting_exceeds(&deep(101, "<div>", "</div>"), 100));
        assert!(!markup_nesting_exceeds(&deep(100, "<div>", "</div>"), 100));
        // Closed, self-closing, void and implicitly closed elements do not nest.
        assert!(!markup_nesting_exceeds(
            &"<div><b>x</b></div>".repeat(500),
            100
        ));
        assert!(!markup_nesting_exceeds(
            &"<p>x<br><img src=a><li>y<span/>".repeat(500),
            100
        ));
        // Comments, declarations and script text are no markup.
        let script = format!(
            "<!DOCTYPE html><!-- {} --><script>{}</script>",
            "<div>".repeat(500),
            "'<div>'".repeat(500)
        );
        assert!(!markup_nesting_exceeds(&script, 100));
        // Upper case end tags close lower case start tags.
        assert!(!markup_nesting_exceeds(&deep(200, "<div>", "</DIV>"), 300));
    }
}
