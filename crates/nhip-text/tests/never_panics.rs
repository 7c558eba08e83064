//! Property: no stage panics on any input, offsets always point into the input, and a text
//! repair leaves alone is returned unchanged.

use nhip_text::{fold, normalize, tokenize, Segmenter};
use proptest::prelude::*;

proptest! {
    #[test]
    fn pipeline_never_panics(text in "\\PC{0,80}|[a-zđăâêôơư\u{300}-\u{323} .,-/0-9]{0,80}") {
        let normalized = normalize(&text);
        let _ = fold(&normalized);
        for token in tokenize(&text) {
            prop_assert_eq!(&text[token.start..token.end], token.text);
        }
        for word in Segmenter::builtin().segment(&normalized).words {
            prop_assert_eq!(&normalized[word.start..word.end], word.text);
        }
    }

    #[test]
    fn repair_never_panics(text in "\\PC{0,80}|[a-zA-Z ©®«»¸¹µ¶·×ßñøöüïäåæçèéêëìíîòóôõùúûýÐÑØÆ“”‘’–—…\n]{0,120}") {
        let (repaired, found) = nhip_text::repair(&text);
        if found.is_none() {
            prop_assert_eq!(repaired.as_ref(), text.as_str());
        }
        for font in [nhip_text::LegacyFont::Tcvn3, nhip_text::LegacyFont::Tcvn3Capitals, nhip_text::LegacyFont::Vni] {
            let _ = nhip_text::repair_with_font(&text, font);
        }
    }

    #[test]
    fn normalize_is_idempotent(text in "[a-zA-Zđăâêôơưàáảãạèéẻẽẹ\u{300}\u{301}\u{309}\u{303}\u{323} ]{0,60}") {
        let once = normalize(&text).into_owned();
        prop_assert_eq!(normalize(&once), once.as_str());
    }
}

proptest! {
    /// The one-pass path gives exactly what normalising and then segmenting gives.
    #[test]
    fn fused_path_matches_two_passes(
        words in proptest::collection::vec(
            "[A-Za-zđĐ]{0,2}(oà|òa|uỷ|ủy|ươ|ượ|ựơ|iệ|a|á|ê|ô|ơ|ư|y|ý)[a-z]{0,2}|[0-9.,:/-]{1,6}|[.!?(),]|Ð|\u{00A0}|e\u{301}",
            0..14,
        )
    ) {
        let text = words.join(" ");
        let segmenter = Segmenter::builtin();
        let (fused_text, fused_words) = segmenter.normalize_segment(&text, |t, s| {
            (t.to_string(), s.words.iter().map(|w| (w.start, w.end)).collect::<Vec<_>>())
        });
        let normalized = normalize(&text);
        let two_pass: Vec<(usize, usize)> = segmenter
            .segment_normalized(&normalized)
            .words
            .iter()
            .map(|w| (w.start, w.end))
            .collect();
        prop_assert_eq!(fused_text.as_str(), normalized.as_ref());
        prop_assert_eq!(fused_words, two_pass);
    }
}

proptest! {
    /// The indexer's cheap check says "already normalised" exactly when normalising changes
    /// nothing: texts with look-alikes, NFD marks and both tone placements included.
    #[test]
    fn is_normalized_agrees_with_normalize(
        words in proptest::collection::vec(
            "[A-Za-zđĐ]{0,2}(oà|òa|uỷ|ủy|ươ|ượ|ựơ|iệ|a|á|ê|ô|ơ|ư|y|ý)[a-z]{0,2}|[0-9.,:/-]{1,6}|[.!?(),]|Ð|\u{00A0}|\u{200B}|e\u{301}|ｆ",
            0..14,
        )
    ) {
        let text = words.join(" ");
        let tokens: Vec<_> = tokenize(&text).collect();
        let unchanged = matches!(normalize(&text), std::borrow::Cow::Borrowed(_));
        prop_assert_eq!(nhip_text::is_normalized(&text, &tokens), unchanged);
    }
}
