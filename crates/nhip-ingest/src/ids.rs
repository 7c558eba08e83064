//! Stable identifiers: the same input always gets the same id, so re-ingesting changes nothing.

use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

/// Hash of a document's normalised text; exact duplicates share it.
pub fn content_hash(title: &str, body: &str) -> String {
    let mut text = String::with_capacity(title.len() + body.len() + 1);
    text.push_str(title.trim());
    text.push('\n');
    text.push_str(body.trim());
    format!("{:032x}", xxh3_128(text.as_bytes()))
}

/// An id for a document whose input gave none: from source and url when there is a url
/// (a re-fetched page keeps its id), else from source and content.
pub(crate) fn stable_id(source: &str, url: Option<&str>, content_hash: &str) -> String {
    let key = match url {
        Some(url) if !url.trim().is_empty() => format!("url\u{1f}{source}\u{1f}{}", url.trim()),
        _ => format!("content\u{1f}{source}\u{1f}{content_hash}"),
    };
    format!("{:016x}", xxh3_64(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        let h = content_hash("T", "B");
        assert_eq!(stable_id("s", None, &h), stable_id("s", None, &h));
        assert_ne!(stable_id("s", None, &h), stable_id("t", None, &h));
        assert_eq!(
            stable_id("s", Some("http://x/1"), &h),
            stable_id("s", Some("http://x/1"), "other")
        );
        assert_eq!(content_hash(" T ", "B\n"), h);
    }
}
