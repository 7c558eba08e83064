//! Property: no stage panics on any input, and offsets always point into the input.

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
    fn normalize_is_idempotent(text in "[a-zA-Zđăâêôơưàáảãạèéẻẽẹ\u{300}\u{301}\u{309}\u{303}\u{323} ]{0,60}") {
        let once = normalize(&text).into_owned();
        prop_assert_eq!(normalize(&once), once.as_str());
    }
}
