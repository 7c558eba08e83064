//! Writing documents: upsert by id, exact duplicates of indexed documents skipped.

use crate::schema::{filter_key, Fields};
use crate::{IndexError, NhipIndex};
use nhip_ingest::Document;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DateTime, IndexWriter, Searcher, TantivyDocument, Term};

/// Documents between commits of a long write.
const COMMIT_EVERY: usize = 5_000;

/// Memory budget of the index writer, shared by its threads (tantivy needs ≥ 15 MB a thread).
const WRITER_MEMORY_BYTES: usize = 128 * 1024 * 1024;

/// What one write did to each document.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct WriteSummary {
    /// Documents whose id was new.
    pub added: usize,
    /// Documents whose id existed with other text: the old version is replaced.
    pub replaced: usize,
    /// Documents already indexed with the same id and text: nothing to do.
    pub unchanged: usize,
    /// Documents whose text is already indexed under another id: skipped as exact duplicates.
    pub duplicates: usize,
}

/// MinHash bands used as near-duplicate candidate keys: 8 bands of 4 values catch pairs with
/// Jaccard similarity 0.8 with probability 0.985.
const BANDS: usize = 8;
/// Least estimated Jaccard similarity for two documents to be one story.
pub const STORY_SIMILARITY: f64 = 0.5;

fn band_keys(signature: &[u32]) -> Vec<String> {
    let rows = signature.len() / BANDS;
    if rows == 0 {
        return Vec::new();
    }
    signature
        .chunks(rows)
        .take(BANDS)
        .enumerate()
        .map(|(band, values)| {
            let mut key = format!("{band}");
            for v in values {
                key.push_str(&format!(":{v:08x}"));
            }
            key
        })
        .collect()
}

fn signature_bytes(signature: &[u32]) -> Vec<u8> {
    signature.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn signature_of(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// A new story's id: a stable hash of the id of the document that starts it.
fn story_id(document_id: &str) -> u64 {
    document_id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Near-duplicates written in this batch: each signature once, found through its bands.
#[derive(Default)]
struct BatchStories {
    signatures: Vec<(Vec<u32>, u64)>,
    by_band: std::collections::HashMap<u64, Vec<u32>>,
}

fn band_hash(key: &str) -> u64 {
    story_id(key)
}

impl BatchStories {
    fn find(&self, keys: &[String], signature: &[u32]) -> Option<u64> {
        keys.iter()
            .filter_map(|k| self.by_band.get(&band_hash(k)))
            .flatten()
            .map(|&i| &self.signatures[i as usize])
            .find(|(other, _)| {
                nhip_ingest::minhash_similarity(signature, other) >= STORY_SIMILARITY
            })
            .map(|(_, story)| *story)
    }

    fn add(&mut self, keys: &[String], signature: &[u32], story: u64) {
        let position = self.signatures.len() as u32;
        self.signatures.push((signature.to_vec(), story));
        for key in keys {
            self.by_band
                .entry(band_hash(key))
                .or_default()
                .push(position);
        }
    }
}

/// The story of an already indexed near-duplicate, if any.
fn indexed_story(
    searcher: &Searcher,
    fields: &Fields,
    keys: &[String],
    signature: &[u32],
) -> Result<Option<u64>, IndexError> {
    if keys.is_empty() {
        return Ok(None);
    }
    let clauses: Vec<(Occur, Box<dyn Query>)> = keys
        .iter()
        .map(|k| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(fields.story_band, k),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    let candidates = searcher.search(
        &BooleanQuery::new(clauses),
        &TopDocs::with_limit(32).order_by_score(),
    )?;
    for (_, address) in candidates {
        let stored: TantivyDocument = searcher.doc(address)?;
        let other = stored
            .get_first(fields.minhash)
            .and_then(|v| v.as_bytes())
            .map(signature_of);
        if other.is_some_and(|o| nhip_ingest::minhash_similarity(signature, &o) >= STORY_SIMILARITY)
        {
            return Ok(stored.get_first(fields.story).and_then(|v| v.as_u64()));
        }
    }
    Ok(None)
}

fn to_tantivy(fields: &Fields, doc: &Document, story: u64) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(fields.id, &doc.id);
    d.add_text(fields.content_hash, &doc.content_hash);
    d.add_text(fields.title, &doc.title);
    d.add_text(fields.title_exact, &doc.title);
    d.add_text(fields.title_fold, &doc.title);
    d.add_text(fields.body, &doc.body);
    d.add_text(fields.body_exact, &doc.body);
    d.add_text(fields.body_fold, &doc.body);
    for words in [fields.words_exact, fields.words_fold] {
        d.add_text(words, &doc.title);
        d.add_text(words, &doc.body);
    }
    if let Some(published) = doc.published_at {
        d.add_date(
            fields.published_at,
            DateTime::from_timestamp_secs(published.timestamp()),
        );
    }
    d.add_text(fields.source, &doc.source);
    d.add_text(fields.source_key, filter_key(&doc.source));
    d.add_text(fields.kind, doc.kind.as_str());
    if let Some(unit) = &doc.unit {
        d.add_text(fields.unit, unit);
        d.add_text(fields.unit_key, filter_key(unit));
    }
    if let Some(url) = &doc.url {
        d.add_text(fields.url, url);
    }
    d.add_text(fields.lang, &doc.lang);
    for key in band_keys(&doc.minhash) {
        d.add_text(fields.story_band, key);
    }
    d.add_bytes(fields.minhash, &signature_bytes(&doc.minhash));
    d.add_u64(fields.story, story);
    d
}

/// Ids of the live documents whose text hashes to `hash`.
fn ids_with_hash(
    searcher: &Searcher,
    fields: &Fields,
    hash: &str,
) -> Result<Vec<String>, IndexError> {
    let query = TermQuery::new(
        Term::from_field_text(fields.content_hash, hash),
        IndexRecordOption::Basic,
    );
    let found = searcher.search(&query, &TopDocs::with_limit(16).order_by_score())?;
    let mut ids = Vec::with_capacity(found.len());
    for (_, address) in found {
        let stored: TantivyDocument = searcher.doc(address)?;
        if let Some(id) = stored.get_first(fields.id).and_then(|v| v.as_str()) {
            ids.push(id.to_string());
        }
    }
    Ok(ids)
}

impl NhipIndex {
    /// Adds or replaces documents by id and commits once. Re-writing the same documents
    /// changes nothing; a document with the text of another indexed one is skipped.
    pub fn write(&self, documents: &[Document]) -> Result<WriteSummary, IndexError> {
        let mut writer: IndexWriter = self.index.writer(WRITER_MEMORY_BYTES)?;
        let searcher = self.reader.searcher();
        let fields = &self.fields;
        let mut summary = WriteSummary::default();
        let mut batch = BatchStories::default();
        let mut written = 0usize;
        for doc in documents {
            let same_text = ids_with_hash(&searcher, fields, &doc.content_hash)?;
            if same_text.iter().any(|id| id == &doc.id) {
                summary.unchanged += 1;
                continue;
            }
            if !same_text.is_empty() {
                summary.duplicates += 1;
                continue;
            }
            let id_term = Term::from_field_text(fields.id, &doc.id);
            let existed = searcher.search(
                &TermQuery::new(id_term.clone(), IndexRecordOption::Basic),
                &Count,
            )? > 0;
            if existed {
                summary.replaced += 1;
            } else {
                summary.added += 1;
            }
            // Join the story of a near-duplicate written earlier (in this batch or before).
            let keys = band_keys(&doc.minhash);
            let story = match batch.find(&keys, &doc.minhash) {
                Some(story) => story,
                None => indexed_story(&searcher, fields, &keys, &doc.minhash)?
                    .unwrap_or_else(|| story_id(&doc.id)),
            };
            batch.add(&keys, &doc.minhash, story);
            writer.delete_term(id_term);
            writer.add_document(to_tantivy(fields, doc, story))?;
            written += 1;
            if written.is_multiple_of(COMMIT_EVERY) {
                // Durable progress: a killed run keeps what it committed, and running it again
                // finds those documents unchanged and adds the rest.
                writer.commit()?;
            }
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(summary)
    }
}
