//! Writing documents: upsert by id, exact duplicates of indexed documents skipped.

use crate::schema::{filter_key, Fields};
use crate::{IndexError, NhipIndex};
use nhip_ingest::Document;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DateTime, IndexWriter, Searcher, TantivyDocument, Term};

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

fn to_tantivy(fields: &Fields, doc: &Document) -> TantivyDocument {
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
            writer.delete_term(id_term);
            writer.add_document(to_tantivy(fields, doc))?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(summary)
    }
}
