//! The article's lead (the *sapo*: the bold paragraph under the title) of an HTML page.
//!
//! Several Vietnamese outlets put the lead in its own element of the article header, outside the
//! node Readability keeps, and it is the most informative sentence of the article. The lead is
//! found by the element's class or id (`sapo`, `chapeau`, then `lead`, `description`, `summary`
//! as the last part of a name such as `article__sapo`, `detail-sapo`, `the-article-summary`),
//! else from the `og:description` / `description` meta; the reader puts it first in the body
//! unless the body already holds it (compared folded, word by word, so a truncated meta or a
//! copy with other spacing counts as present).
//!
//! The search is a bounded, iterative walk: hostile pages (a million nested elements, a page of
//! class names) cost a bounded amount of work and no stack.

use nhip_text::{fold, normalize};
use std::collections::HashSet;

/// Elements looked at, in document order, before the search gives up.
const MAX_ELEMENTS: usize = 500_000;
/// Elements with a lead-like name whose text is read, at most.
const MAX_CANDIDATES: usize = 16;
/// Ancestors checked for a list, sidebar or related box around a candidate.
const MAX_ANCESTORS: usize = 32;
/// A lead has at least this many characters...
const MIN_LEAD_CHARS: usize = 40;
/// ... and at most this many (a longer "summary" is a container, not a lead).
const MAX_LEAD_CHARS: usize = 1_200;
/// Share of the lead's three-word sequences found in the body above which it is already there.
const PRESENT_SHARE: f64 = 0.8;
/// Share of a weakly named candidate's words that the title and body must hold: a site-wide
/// description ("Tin tức 24h, thời sự, kinh tế…") shares few words with one article.
const ON_TOPIC_SHARE: f64 = 0.5;

/// How sure the name of an element makes it a lead.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Naming {
    /// `sapo`, `chapeau` anywhere in a class or id: only ever a lead.
    Strong,
    /// `lead`, `description`, `summary` as the last part of a name: usually a lead.
    Weak,
}

/// Where a lead was found, which decides how much checking it needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum LeadOrigin {
    StrongElement,
    WeakElement,
    Meta,
}

/// A lead candidate of a page, its text normalised.
#[derive(Clone, Debug)]
pub(crate) struct Lead {
    pub text: String,
    pub origin: LeadOrigin,
}

/// The page's lead candidates, best first: the first strongly named element, the first weakly
/// named one, then the `og:description` / `description` meta.
pub(crate) fn lead_candidates(document: &dom_query::Document) -> Vec<Lead> {
    let mut strong: Option<String> = None;
    let mut weak: Option<String> = None;
    let mut read = 0usize;
    for node in document.root().descendants_it().take(MAX_ELEMENTS) {
        if strong.is_some() || read >= MAX_CANDIDATES {
            break;
        }
        if !node.is_element() {
            continue;
        }
        let Some(naming) = naming(&node) else {
            continue;
        };
        if naming == Naming::Weak && weak.is_some() {
            continue;
        }
        read += 1;
        if !lead_tag(&node) || in_furniture(&node) {
            continue;
        }
        let Some(text) = clean_text(&node.text()) else {
            continue;
        };
        match naming {
            Naming::Strong => strong = Some(text),
            Naming::Weak => weak = Some(text),
        }
    }
    let meta = [
        "meta[property=\"og:description\"]",
        "meta[name=\"description\"]",
    ]
    .iter()
    .find_map(|selector| {
        document
            .select(selector)
            .attr("content")
            .and_then(|c| clean_text(&c))
    });
    strong
        .map(|text| Lead {
            text,
            origin: LeadOrigin::StrongElement,
        })
        .into_iter()
        .chain(weak.map(|text| Lead {
            text,
            origin: LeadOrigin::WeakElement,
        }))
        .chain(meta.map(|text| Lead {
            text,
            origin: LeadOrigin::Meta,
        }))
        .collect()
}

/// The body with the page's lead first, when the body does not hold it yet. `candidates` are
/// tried best first; the first one that belongs to the article decides (added, or found already
/// present), so an element and a meta holding the same lead never both go in.
pub(crate) fn with_lead(candidates: &[Lead], title: &str, body: &str) -> String {
    let body_words = words(body);
    let body_shingles = shingles(&body_words);
    let title_words = words(title);
    for lead in candidates {
        let mut lead_words = words(&lead.text);
        if lead.origin == LeadOrigin::Meta && is_truncated(&lead.text) {
            // The last word of a cut meta is often cut too ("… tại xã Tân P...").
            lead_words.pop();
        }
        if lead_words.len() < 3 {
            continue;
        }
        // A lead that only repeats the title adds nothing.
        if share_present(&lead_words, &shingles(&title_words)) >= PRESENT_SHARE {
            continue;
        }
        if lead.origin != LeadOrigin::StrongElement
            && !on_topic(&lead_words, &title_words, &body_words)
        {
            continue;
        }
        if share_present(&lead_words, &body_shingles) >= PRESENT_SHARE {
            return body.to_string();
        }
        return format!("{}\n\n{body}", lead.text);
    }
    body.to_string()
}

/// How a class or id names the element, if it names a lead.
fn naming(node: &dom_query::NodeRef) -> Option<Naming> {
    let mut best: Option<Naming> = None;
    for attr in ["class", "id"] {
        let Some(value) = node.attr(attr) else {
            continue;
        };
        // Bounded: a class attribute of a million names is read no further than this.
        for name in value.split_ascii_whitespace().take(32) {
            let name = name.to_ascii_lowercase();
            let parts: Vec<&str> = name.split(['-', '_']).filter(|p| !p.is_empty()).collect();
            if parts.iter().any(|p| matches!(*p, "sapo" | "chapeau")) {
                return Some(Naming::Strong);
            }
            if matches!(
                parts.last().copied(),
                Some("lead" | "description" | "summary" | "desc")
            ) {
                best = Some(Naming::Weak);
            }
        }
    }
    best
}

/// Elements that hold a paragraph of text (not a link, a list, an image or a control).
fn lead_tag(node: &dom_query::NodeRef) -> bool {
    node.node_name().is_some_and(|name| {
        matches!(
            name.to_ascii_lowercase().as_str(),
            "p" | "div" | "h2" | "h3" | "h4" | "h5" | "h6" | "span" | "section" | "strong" | "b"
        )
    })
}

/// Folded parts of class names of boxes that list other articles or hold page furniture: a
/// teaser's `sapo` inside them is another article's lead.
const FURNITURE_NAMES: &[&str] = &[
    "related", "relate", "lienquan", "sidebar", "comment", "widget", "popular", "trending", "list",
    "teaser", "footer", "menu", "nav",
];

/// Whether the element sits in a list, sidebar, footer, caption or box of other articles.
fn in_furniture(node: &dom_query::NodeRef) -> bool {
    node.ancestors_it(Some(MAX_ANCESTORS)).any(|ancestor| {
        let tag = ancestor
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(
            tag.as_str(),
            "nav" | "footer" | "aside" | "figure" | "figcaption" | "li" | "form" | "a"
        ) {
            return true;
        }
        let class = ancestor
            .attr("class")
            .unwrap_or_default()
            .to_ascii_lowercase();
        class.split_ascii_whitespace().take(32).any(|name| {
            name.split(['-', '_'])
                .any(|part| FURNITURE_NAMES.contains(&part))
        })
    })
}

/// Normalised text of a candidate, spaces collapsed; `None` when too short or too long.
fn clean_text(raw: &str) -> Option<String> {
    // Stop early on a huge container: its text is no lead anyway.
    let raw: String = raw.chars().take(MAX_LEAD_CHARS * 4).collect();
    let repaired = nhip_text::repair(&raw).0;
    let text = normalize(&repaired)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let chars = text.chars().count();
    (MIN_LEAD_CHARS..=MAX_LEAD_CHARS)
        .contains(&chars)
        .then_some(text)
}

fn is_truncated(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with("...") || text.ends_with('…')
}

/// Folded, lower-case words (letters and digits) of a text.
fn words(text: &str) -> Vec<String> {
    fold(text)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Three-word sequences of a text, as joined strings.
fn shingles(words: &[String]) -> HashSet<String> {
    words.windows(3).map(|w| w.join(" ")).collect()
}

/// Share of the lead's three-word sequences that `haystack` holds.
fn share_present(lead_words: &[String], haystack: &HashSet<String>) -> f64 {
    let lead = shingles(lead_words);
    if lead.is_empty() {
        return 0.0;
    }
    lead.iter().filter(|s| haystack.contains(*s)).count() as f64 / lead.len() as f64
}

/// Whether most of a candidate's words (of two letters or more) occur in the title or body.
fn on_topic(lead_words: &[String], title_words: &[String], body_words: &[String]) -> bool {
    let article: HashSet<&str> = title_words
        .iter()
        .chain(body_words)
        .map(String::as_str)
        .collect();
    let distinct: HashSet<&str> = lead_words
        .iter()
        .map(String::as_str)
        .filter(|w| w.chars().count() >= 2)
        .collect();
    if distinct.is_empty() {
        return false;
    }
    let found = distinct.iter().filter(|w| article.contains(*w)).count();
    found as f64 / distinct.len() as f64 >= ON_TOPIC_SHARE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(text: &str, origin: LeadOrigin) -> Lead {
        Lead {
            text: text.to_string(),
            origin,
        }
    }

    const BODY: &str = "Theo ông Lê Văn Hai, chủ tịch UBND xã, toàn xã có hơn 120 héc-ta đất lúa được chuyển đổi sang trồng sầu riêng.\n\nNgười dân được hướng dẫn kỹ thuật chăm sóc.";
    const SAPO: &str = "Nhiều hộ nông dân ở xã Tân Phú đã chuyển đất lúa kém hiệu quả sang trồng sầu riêng để xuất khẩu.";

    #[test]
    fn names_of_lead_elements() {
        let page = r#"<div class="article__sapo">a</div><h2 class="detail-sapo">b</h2>
            <p class="description">c</p><p class="the-article-summary">d</p><p id="sapo">e</p>
            <div class="leading-image">f</div><p class="lead-in">g</p><p class="desc-box">h</p>"#;
        let doc = dom_query::Document::from(page);
        let got: Vec<Option<Naming>> = doc
            .select("div, h2, p")
            .nodes()
            .iter()
            .map(naming)
            .collect();
        assert_eq!(
            got,
            [
                Some(Naming::Strong),
                Some(Naming::Strong),
                Some(Naming::Weak),
                Some(Naming::Weak),
                Some(Naming::Strong),
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn a_lead_missing_from_the_body_goes_first() {
        let body = with_lead(&[lead(SAPO, LeadOrigin::StrongElement)], "Tiêu đề", BODY);
        assert_eq!(body, format!("{SAPO}\n\n{BODY}"));
    }

    #[test]
    fn a_lead_the_body_holds_is_not_repeated() {
        let body_with = format!("{SAPO}\n\n{BODY}");
        // Other spacing, case and a diacritic variant are the same lead.
        let variant = SAPO
            .replace("Nhiều hộ", "NHIỀU   hộ")
            .replace("xuất", "xuat");
        for candidate in [SAPO.to_string(), variant] {
            let out = with_lead(
                &[lead(&candidate, LeadOrigin::StrongElement)],
                "Tiêu đề",
                &body_with,
            );
            assert_eq!(out, body_with);
        }
    }

    #[test]
    fn a_truncated_meta_of_a_kept_lead_is_not_added() {
        let body_with = format!("{SAPO}\n\n{BODY}");
        let cut = "Nhiều hộ nông dân ở xã Tân Phú đã chuyển đất lúa kém hiệu quả sang trồng sầ...";
        let out = with_lead(&[lead(cut, LeadOrigin::Meta)], "Tiêu đề", &body_with);
        assert_eq!(out, body_with);
    }

    #[test]
    fn a_site_wide_description_is_no_lead() {
        let generic = "Báo điện tử tin tức 24h: thời sự, thế giới, thể thao, giải trí, pháp luật, công nghệ mới nhất.";
        let out = with_lead(&[lead(generic, LeadOrigin::Meta)], "Tiêu đề", BODY);
        assert_eq!(out, BODY);
    }

    #[test]
    fn a_lead_that_repeats_the_title_is_not_added() {
        let title = "Nhiều hộ nông dân ở xã Tân Phú đã chuyển đất lúa kém hiệu quả sang trồng sầu riêng để xuất khẩu";
        let out = with_lead(&[lead(SAPO, LeadOrigin::Meta)], title, BODY);
        assert_eq!(out, BODY);
    }

    #[test]
    fn teasers_in_lists_and_related_boxes_are_not_the_lead() {
        let page = format!(
            r#"<html><body><ul class="hot-news"><li><p class="sapo">{SAPO} Tin khác hẳn.</p></li></ul>
            <div class="box-related-news"><div class="sapo">{SAPO} Tin khác nữa.</div></div>
            <article><h2 class="detail-sapo">{SAPO}</h2></article></body></html>"#
        );
        let found = lead_candidates(&dom_query::Document::from(page.as_str()));
        assert_eq!(found[0].text, SAPO);
        assert_eq!(found[0].origin, LeadOrigin::StrongElement);
    }

    #[test]
    fn a_million_nested_elements_cost_no_stack() {
        let depth = 1_000_000;
        let mut page = String::with_capacity(depth * 12);
        page.push_str("<html><body>");
        for _ in 0..depth {
            page.push_str("<span>");
        }
        page.push_str(r#"<p class="sapo">"#);
        page.push_str(SAPO);
        page.push_str("</p>");
        page.push_str("</body></html>");
        // On a small stack, as a worker thread has.
        let found = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let document = dom_query::Document::from(page.as_str());
                lead_candidates(&document).len()
            })
            .unwrap()
            .join()
            .unwrap();
        // Either way it ends: the lead deep inside is found, or the search stopped at its bound.
        assert!(found <= 3);
    }
}
