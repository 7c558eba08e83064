//! RSS 2.0 and Atom feeds (and RSS 1.0, JSON Feed) through `feed-rs`: one document per item,
//! with the item's HTML summary or content turned into text. The feed's own date is the year
//! context for items whose only date is a dateline.

use crate::dateline::{ContextKind, DateContext};
use crate::dates::vietnam_offset;
use crate::document::{DocKind, RawDocument};
use crate::reject::Reject;
use crate::{FileOutcome, IngestOptions};
use nhip_text::normalize;
use std::path::Path;

/// Reads one feed file; an item without text becomes a reject naming its position.
pub fn read(path: &Path, bytes: &[u8], options: &IngestOptions) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(feed) => feed,
        Err(e) => {
            outcome.records = 1;
            outcome.rejects.push(Reject::file(
                path,
                format!("not a readable RSS or Atom feed: {e}"),
            ));
            return outcome;
        }
    };
    let feed_title = feed.title.as_ref().map(|t| html_text(&t.content));
    let context = feed.updated.or(feed.published).map(|d| DateContext {
        date: d.with_timezone(&vietnam_offset()).date_naive(),
        kind: ContextKind::Feed,
    });
    if feed.entries.is_empty() {
        outcome.records = 1;
        outcome
            .rejects
            .push(Reject::file(path, "feed with no items"));
        return outcome;
    }
    for (index, entry) in feed.entries.into_iter().enumerate() {
        outcome.records += 1;
        let title = entry
            .title
            .as_ref()
            .map(|t| html_text(&t.content))
            .unwrap_or_default();
        let body = entry
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .map(html_text)
            .filter(|b| !b.is_empty())
            .or_else(|| entry.summary.as_ref().map(|s| html_text(&s.content)))
            .unwrap_or_default();
        if title.is_empty() && body.is_empty() {
            outcome.rejects.push(Reject::item(
                path,
                index + 1,
                "feed item with neither title nor text",
            ));
            continue;
        }
        let url = entry.links.first().map(|l| l.href.trim().to_string());
        let published_at = entry
            .published
            .or(entry.updated)
            .map(|d| d.with_timezone(&vietnam_offset()));
        let author = entry
            .authors
            .first()
            .and_then(|p| p.name.as_deref())
            .map(|name| normalize(name.trim()).into_owned())
            .filter(|a| !a.is_empty());
        outcome.documents.push(RawDocument {
            // Without a link, the feed's own item id keeps re-reads stable.
            id: url
                .is_none()
                .then(|| entry.id.clone())
                .filter(|i| !i.is_empty()),
            title,
            body,
            published_at,
            file_date: None,
            reference: None,
            source: options
                .default_source
                .clone()
                .or_else(|| feed_title.clone())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "feed".into()),
            kind: options.default_kind.unwrap_or(DocKind::Press),
            unit: None,
            url,
            author,
            origin: format!("{}#item{}", path.display(), index + 1),
            date_context: context,
        });
    }
    outcome
}

/// Text of an HTML fragment (feed summaries are HTML), normalised, paragraphs as lines.
pub(crate) fn html_text(fragment: &str) -> String {
    if !fragment.contains('<') && !fragment.contains('&') {
        return normalize(&nhip_text::repair(fragment.trim()).0).into_owned();
    }
    let with_breaks = fragment
        .replace("</p>", "</p>\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let document = dom_query::Document::fragment(with_breaks);
    let text = document.select("html").text();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    normalize(&nhip_text::repair(&lines.join("\n")).0).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Báo Tỉnh Nhà - Xã hội</title>
<link>https://baotinhnha.example.vn</link>
<lastBuildDate>Fri, 02 Jan 2026 09:00:00 +0700</lastBuildDate>
<item><title>Người dân đón năm mới</title>
<link>https://baotinhnha.example.vn/a-1.html</link>
<description><![CDATA[<p><img src="x.jpg">Đêm 31/12, hàng nghìn người dân xuống phố đón năm mới.</p>]]></description></item>
<item><title>Giá xăng giảm</title><link>https://baotinhnha.example.vn/b-2.html</link>
<pubDate>Thu, 01 Jan 2026 15:00:00 +0700</pubDate>
<description>Giá xăng giảm từ chiều nay &amp; giá dầu đứng yên.</description></item>
<item><title></title><description></description></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Cổng thông tin tỉnh</title>
<id>urn:tinh</id><updated>2026-03-05T10:00:00+07:00</updated>
<entry><title>Thông báo lịch tiếp dân</title><id>urn:tinh:1</id>
<updated>2026-03-05T08:00:00+07:00</updated>
<author><name>Văn phòng UBND</name></author>
<content type="html">&lt;p&gt;Lịch tiếp công dân tháng 3.&lt;/p&gt;</content></entry>
</feed>"#;

    #[test]
    fn rss_items_become_documents() {
        let outcome = read(
            Path::new("feed.rss"),
            RSS.as_bytes(),
            &IngestOptions::default(),
        );
        assert_eq!(outcome.records, 3);
        assert_eq!(outcome.documents.len(), 2);
        assert_eq!(outcome.rejects.len(), 1);
        assert_eq!(outcome.rejects[0].item, Some(3));
        let first = &outcome.documents[0];
        assert_eq!(first.title, "Người dân đón năm mới");
        assert_eq!(
            first.body,
            "Đêm 31/12, hàng nghìn người dân xuống phố đón năm mới."
        );
        assert_eq!(first.source, "Báo Tỉnh Nhà - Xã hội");
        assert!(first.published_at.is_none());
        // The dateline's year comes from the feed date: 31/12 before 2 January 2026.
        let finished = first.clone().finish();
        assert_eq!(
            finished.published_at.unwrap().date_naive().to_string(),
            "2025-12-31"
        );
        assert_eq!(finished.date_source, crate::DateSource::TextYearFromFeed);
        let second = &outcome.documents[1];
        assert_eq!(
            second.body,
            "Giá xăng giảm từ chiều nay & giá dầu đứng yên."
        );
        assert_eq!(
            second.published_at.unwrap().to_rfc3339(),
            "2026-01-01T15:00:00+07:00"
        );
    }

    #[test]
    fn atom_entries_become_documents() {
        let outcome = read(
            Path::new("feed.atom"),
            ATOM.as_bytes(),
            &IngestOptions::default(),
        );
        assert_eq!(outcome.documents.len(), 1, "{:?}", outcome.rejects);
        let doc = &outcome.documents[0];
        assert_eq!(doc.body, "Lịch tiếp công dân tháng 3.");
        assert_eq!(doc.id.as_deref(), Some("urn:tinh:1"));
        assert_eq!(doc.author.as_deref(), Some("Văn phòng UBND"));
        assert_eq!(doc.source, "Cổng thông tin tỉnh");
    }

    #[test]
    fn broken_feed_is_one_reject() {
        let outcome = read(
            Path::new("f.xml"),
            b"<rss><channel><item>",
            &IngestOptions::default(),
        );
        assert_eq!(outcome.records, 1);
        assert!(outcome.documents.is_empty());
        assert_eq!(outcome.rejects.len(), 1);
    }
}
