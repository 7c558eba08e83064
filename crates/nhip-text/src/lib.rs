//! Vietnamese text handling for nhip: everything that turns raw characters into comparable terms.
//!
//! The same functions serve documents and queries, so a document and a query that differ only in
//! Unicode form, letter case or tone-mark placement meet on the same terms.
//!
//! Stages, each usable alone:
//! - [`normalize`]: clean look-alike characters, NFC, canonical tone-mark placement
//!   (`hoà` → `hòa`, `thuỷ` → `thủy`, misplaced marks such as `baỏ` → `bảo` repaired).
//! - [`tokenize`]: syllables, numbers and punctuation with byte offsets into the original text.
//! - [`exact_term`] / [`folded_term`]: the indexable form of one token, with diacritics kept
//!   (lower case, canonical) or removed (`Đà` → `da`).
//! - [`Segmenter`]: groups syllables into words (a learned model with dictionary features).
//! - [`decode`] / [`repair`]: legacy encodings (TCVN3, VNI, Windows-1258, VIQR, UTF-16),
//!   as raw bytes or as mojibake pasted into UTF-8, whole texts or runs inside Unicode text;
//!   [`repair_with_font`] where the legacy font is known.
//!
//! ```
//! use nhip_text::{folded_term, normalize, tokenize};
//!
//! assert_eq!(normalize("Hoà bình"), "Hòa bình");
//! let terms: Vec<String> = tokenize("Đà Nẵng, 24-7").map(|t| folded_term(t.text)).collect();
//! assert_eq!(terms, ["da", "nang", ",", "24-7"]);
//! ```

mod boilerplate;
mod chars;
mod collocation;
mod encoding;
mod fold;
mod normalize;
mod segment;
mod syllable;
mod token;
mod tone;

pub use boilerplate::{
    covered_ranges, is_sentence_end, key_syllables, sentences, source_name_key,
    source_sentence_key, strip_boilerplate, without_ranges, Boilerplate, BoilerplateCounter,
    BoilerplateRule, BoilerplateTally, Sentence, SourceBoilerplate, MIN_SENTENCE_SYLLABLES,
};
pub use collocation::{g2, propose_terms, Candidate, Known, ProposeOptions};
pub use encoding::{decode, repair, repair_with_font, Decoded, LegacyFont, SourceEncoding};
pub use fold::{fold, folded_term, has_diacritics};
pub use normalize::{clean_lookalikes, exact_term, is_normalized, nfc, normalize};
pub use segment::{
    accent_free, evaluate, read_gold, train, GoldSentence, Scores, SegmentError, Segmented,
    Segmenter, TrainOptions, Word,
};
pub use syllable::is_vietnamese_syllable;
pub use token::{tokenize, Token, TokenKind, Tokens};
pub use tone::canonical_syllable;
