//! The index schema: stored display fields, filter fields, a date fast field, and the exact and
//! accent-free text fields that the matching rules query.

use crate::analyzer::{
    EXACT_TOKENIZER, FOLD_TOKENIZER, WORDS_EXACT_TOKENIZER, WORDS_FOLD_TOKENIZER,
};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing,
    TextOptions, FAST, INDEXED, STORED, STRING,
};

/// Handles of every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub content_hash: Field,
    pub title: Field,
    pub body: Field,
    pub title_exact: Field,
    pub title_fold: Field,
    pub body_exact: Field,
    pub body_fold: Field,
    /// Title and body as segmenter words, for ranking word-boundary matches higher.
    pub words_exact: Field,
    pub words_fold: Field,
    pub published_at: Field,
    pub source: Field,
    /// Folded, lower-case source name, for `source:` filters.
    pub source_key: Field,
    pub kind: Field,
    pub unit: Field,
    pub unit_key: Field,
    pub url: Field,
    pub lang: Field,
    /// MinHash band keys (`band:value`): candidates for near-duplicate detection.
    pub story_band: Field,
    /// The MinHash signature, little-endian `u32`s.
    pub minhash: Field,
    /// Near-duplicate cluster: documents of one story share it.
    pub story: Field,
    /// How `published_at` was found (`metadata`, `text`, `text_year_from_file`, …, `none`).
    pub date_source: Field,
    /// A press item's byline.
    pub author: Field,
    /// Keys of the document's sentences within its source (`nhip_text::source_sentence_key`):
    /// a key's document frequency is how many documents of that source repeat the sentence.
    pub sentence: Field,
    /// The boilerplate sentences left out of the word fields and the story fingerprint when
    /// the document was written, as the XOR of their keys (0: none).
    pub boilerplate: Field,
    /// An administrative document's number and symbol (`123/UBND-NL`), as written.
    pub reference: Field,
    /// The same, as `ref:` filters match it: folded, lower case, without spaces.
    pub reference_key: Field,
}

fn text_indexed(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

fn words_indexed(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stored_only = TextOptions::default().set_stored();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        content_hash: b.add_text_field("content_hash", STRING | STORED),
        title: b.add_text_field("title", stored_only.clone()),
        body: b.add_text_field("body", stored_only.clone()),
        title_exact: b.add_text_field("title_exact", text_indexed(EXACT_TOKENIZER)),
        title_fold: b.add_text_field("title_fold", text_indexed(FOLD_TOKENIZER)),
        body_exact: b.add_text_field("body_exact", text_indexed(EXACT_TOKENIZER)),
        body_fold: b.add_text_field("body_fold", text_indexed(FOLD_TOKENIZER)),
        // Words only rank (and feed emerging terms): frequencies, no positions.
        words_exact: b.add_text_field("words_exact", words_indexed(WORDS_EXACT_TOKENIZER)),
        words_fold: b.add_text_field("words_fold", words_indexed(WORDS_FOLD_TOKENIZER)),
        published_at: b.add_date_field(
            "published_at",
            DateOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        source: b.add_text_field("source", stored_only.clone()),
        source_key: b.add_text_field("source_key", STRING | FAST),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        unit: b.add_text_field("unit", stored_only.clone()),
        unit_key: b.add_text_field("unit_key", STRING),
        url: b.add_text_field("url", stored_only),
        lang: b.add_text_field("lang", STRING | STORED),
        story_band: b.add_u64_field("story_band", INDEXED),
        minhash: b.add_bytes_field("minhash", FAST),
        story: b.add_u64_field("story", STORED | FAST),
        date_source: b.add_text_field("date_source", STRING | STORED),
        author: b.add_text_field("author", TextOptions::default().set_stored()),
        sentence: b.add_u64_field("sentence", INDEXED),
        boilerplate: b.add_u64_field("boilerplate", FAST),
        reference: b.add_text_field("ref", TextOptions::default().set_stored()),
        reference_key: b.add_text_field("ref_key", STRING),
    };
    (b.build(), fields)
}

impl Fields {
    /// Field handles of an existing index; an error naming the first missing field.
    pub fn from_schema(schema: &Schema) -> Result<Fields, String> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| format!("not an nhip index of this version (no field `{name}`): index the documents again into a new folder"))
        };
        Ok(Fields {
            id: get("id")?,
            content_hash: get("content_hash")?,
            title: get("title")?,
            body: get("body")?,
            title_exact: get("title_exact")?,
            title_fold: get("title_fold")?,
            body_exact: get("body_exact")?,
            body_fold: get("body_fold")?,
            words_exact: get("words_exact")?,
            words_fold: get("words_fold")?,
            published_at: get("published_at")?,
            source: get("source")?,
            source_key: get("source_key")?,
            kind: get("kind")?,
            unit: get("unit")?,
            unit_key: get("unit_key")?,
            url: get("url")?,
            lang: get("lang")?,
            story_band: get("story_band")?,
            minhash: get("minhash")?,
            story: get("story")?,
            date_source: get("date_source")?,
            author: get("author")?,
            sentence: get("sentence")?,
            boilerplate: get("boilerplate")?,
            reference: get("ref")?,
            reference_key: get("ref_key")?,
        })
    }
}

/// The key under which a source or unit name is filtered: folded, lower case, single spaces.
pub(crate) fn filter_key(name: &str) -> String {
    nhip_text::source_name_key(name)
}

/// The key under which a document number is filtered: folded, lower case, no spaces
/// (`123 / UBND-NL` and `123/ubnd-nl` are one number).
pub(crate) fn reference_key(reference: &str) -> String {
    nhip_text::fold(&nhip_text::normalize(reference))
        .split_whitespace()
        .collect()
}
