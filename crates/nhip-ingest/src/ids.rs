//! Stable identifiers: the same input always gets the same id, so re-ingesting changes nothing.

use std::ops::Range;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

/// Hash of a document's normalised text; exact duplicates share it.
pub fn content_hash(title: &str, body: &str) -> String {
    let mut text = String::with_capacity(title.len() + body.len() + 1);
    text.push_str(title.trim());
    text.push('\n');
    text.push_str(body.trim());
    format!("{:032x}", xxh3_128(text.as_bytes()))
}

/// Values in a MinHash signature.
pub const MINHASH_SIZE: usize = 32;

/// A MinHash signature of a document's text over shingles of three consecutive accent-free
/// syllables: the share of equal positions between two signatures estimates the Jaccard
/// similarity of their shingle sets, so syndicated copies with small edits score high.
///
/// ```
/// use nhip_ingest::{minhash, minhash_similarity};
/// let a = minhash("Mưa lớn gây ngập", "Nhiều tuyến đường tại xã Minh Tân bị ngập sâu, giao thông bị chia cắt. Người dân được hỗ trợ di dời tài sản đến nơi an toàn trong đêm.");
/// let b = minhash("Mưa lớn gây ngập úng", "Nhiều tuyến đường tại xã Minh Tân bị ngập sâu, giao thông bị chia cắt. Người dân được hỗ trợ di dời tài sản tới nơi an toàn trong đêm.");
/// let c = minhash("Giá vàng tăng", "Giá vàng trong nước tăng mạnh theo giá thế giới, nhiều người xếp hàng chờ mua.");
/// assert!(minhash_similarity(&a, &b) > 0.6 && minhash_similarity(&a, &c) < 0.2);
/// ```
pub fn minhash(title: &str, body: &str) -> Vec<u32> {
    minhash_excluding(title, &[], body, &[])
}

/// [`minhash`] of a text without some of its parts: the syllables inside `title_cut` and
/// `body_cut` (byte ranges, sorted, not overlapping; a source's boilerplate sentences) are
/// left out, and shingles run across the gaps. With nothing cut, the same as [`minhash`].
///
/// ```
/// use nhip_ingest::{minhash, minhash_excluding};
/// let body = "Mưa lớn gây ngập. Theo dõi chúng tôi trên mạng xã hội.";
/// let footer = body.find("Theo").unwrap()..body.len();
/// assert_eq!(minhash_excluding("Tin", &[], body, &[footer]), minhash("Tin", "Mưa lớn gây ngập."));
/// assert_eq!(minhash_excluding("Tin", &[], body, &[]), minhash("Tin", body));
/// ```
pub fn minhash_excluding(
    title: &str,
    title_cut: &[Range<usize>],
    body: &str,
    body_cut: &[Range<usize>],
) -> Vec<u32> {
    // Fold each piece once and hash syllables in place: no allocation per syllable.
    let mut syllables: Vec<u64> = Vec::new();
    for (text, cut) in [(title, title_cut), (body, body_cut)] {
        let mut at = 0;
        for range in cut.iter().chain(std::iter::once(&(text.len()..text.len()))) {
            let folded = nhip_text::fold(&text[at..range.start]);
            syllables.extend(
                nhip_text::tokenize(&folded)
                    .filter(|t| t.kind != nhip_text::TokenKind::Punct)
                    .map(|t| xxh3_64(t.text.as_bytes())),
            );
            at = range.end;
        }
    }
    let width = syllables.len().clamp(1, 3);
    let mut signature = vec![u32::MAX; MINHASH_SIZE];
    for shingle in syllables.windows(width) {
        let base = shingle.iter().fold(0x243F_6A88_85A3_08D3u64, |h, &s| {
            (h ^ s).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
        });
        for (i, slot) in signature.iter_mut().enumerate() {
            // Independent hash functions from one: multiply by distinct odd constants, mix.
            let h = (base ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
                .wrapping_mul(0xBF58_476D_1CE4_E5B9);
            *slot = (*slot).min((h ^ (h >> 31)) as u32);
        }
    }
    signature
}

/// Estimated Jaccard similarity of two MinHash signatures (0 when their sizes differ).
pub fn minhash_similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
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
