//! Boilerplate in the index: which sentences a source repeats across its documents.
//!
//! Every document indexes one `sentence` term per sentence (`nhip_text::sentences`), keyed
//! within its source, so a term's document frequency is the number of documents of that
//! source that repeat the sentence: the index itself keeps the counts, for documents written
//! in any run, and deleted or replaced documents stop counting. The writer leaves the
//! sentences judged boilerplate out of the word fields and the story fingerprint; the rule and
//! the sentences it judged are recorded with each commit (the commit payload), so the next
//! session and `nhip trends` read them without recounting.

use crate::schema::Fields;
use crate::{IndexError, NhipIndex};
use nhip_text::{Boilerplate, BoilerplateRule, SourceBoilerplate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument, Term, TERMINATED};

/// What a commit records about boilerplate (inside the commit payload's JSON object).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct StoredBoilerplate {
    pub min_documents: u32,
    pub min_syllables: usize,
    /// Source sentence keys judged boilerplate.
    pub sentences: Vec<u64>,
}

impl StoredBoilerplate {
    pub fn new(rule: &BoilerplateRule, sentences: &Boilerplate) -> StoredBoilerplate {
        let mut keys: Vec<u64> = sentences.keys().collect();
        keys.sort_unstable();
        StoredBoilerplate {
            min_documents: rule.min_documents,
            min_syllables: rule.min_syllables,
            sentences: keys,
        }
    }

    pub fn rule(&self) -> BoilerplateRule {
        BoilerplateRule {
            min_documents: self.min_documents,
            min_syllables: self.min_syllables,
        }
    }

    /// The commit payload carrying this record.
    pub fn payload(&self) -> String {
        serde_json::json!({ "boilerplate": self }).to_string()
    }

    /// The record in a commit payload, if any.
    pub fn from_payload(payload: &str) -> Option<StoredBoilerplate> {
        let value: serde_json::Value = serde_json::from_str(payload).ok()?;
        serde_json::from_value(value.get("boilerplate")?.clone()).ok()
    }
}

/// Every sentence that is boilerplate under `rule`, with the live documents that contain it.
/// Reads every segment's sentence terms once, in order (a merge of the sorted term
/// dictionaries), so a sentence counts across segments without a table of all sentences.
pub(crate) fn find_boilerplate(
    searcher: &Searcher,
    fields: &Fields,
    rule: &BoilerplateRule,
) -> Result<HashMap<u64, Vec<DocAddress>>, IndexError> {
    let mut inverted = Vec::new();
    for segment in searcher.segment_readers() {
        inverted.push(segment.inverted_index(fields.sentence)?);
    }
    let mut streams = Vec::with_capacity(inverted.len());
    for index in &inverted {
        streams.push(
            index
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?,
        );
    }
    let mut merger = tantivy::termdict::TermMerger::new(streams);
    let mut found = HashMap::new();
    while merger.advance() {
        let Ok(bytes) = <[u8; 8]>::try_from(merger.key()) else {
            continue;
        };
        let key = u64::from_be_bytes(bytes);
        let infos: Vec<_> = merger.current_segment_ords_and_term_infos().collect();
        let upper_bound: u32 = infos.iter().map(|(_, info)| info.doc_freq).sum();
        if upper_bound < rule.min_documents || !rule.long_enough(key) {
            continue;
        }
        let mut docs = Vec::with_capacity(upper_bound as usize);
        for (segment, info) in infos {
            let alive = searcher.segment_reader(segment as u32).alive_bitset();
            let mut postings = inverted[segment]
                .read_postings_from_terminfo(&info, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            while postings.doc() != TERMINATED {
                let doc = postings.doc();
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    docs.push(DocAddress::new(segment as u32, doc));
                }
                postings.advance();
            }
        }
        if docs.len() >= rule.min_documents as usize {
            found.insert(key, docs);
        }
    }
    Ok(found)
}

/// Live documents containing a sentence key, over every segment.
fn documents_with(
    searcher: &Searcher,
    fields: &Fields,
    key: u64,
) -> Result<Vec<DocAddress>, IndexError> {
    let term = Term::from_field_u64(fields.sentence, key);
    let mut docs = Vec::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(fields.sentence)?;
        let Some(mut postings) = inverted
            .read_postings(&term, IndexRecordOption::Basic)
            .map_err(tantivy::TantivyError::from)?
        else {
            continue;
        };
        let alive = segment.alive_bitset();
        while postings.doc() != TERMINATED {
            let doc = postings.doc();
            if alive.is_none_or(|a| a.is_alive(doc)) {
                docs.push(DocAddress::new(ordinal as u32, doc));
            }
            postings.advance();
        }
    }
    Ok(docs)
}

fn stored_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> &str {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("")
}

impl NhipIndex {
    /// The boilerplate rule and sentences recorded by the last commit, if any.
    pub(crate) fn stored_boilerplate(&self) -> Option<StoredBoilerplate> {
        let metas = self.index.load_metas().ok()?;
        StoredBoilerplate::from_payload(metas.payload.as_deref()?)
    }

    /// The rule this index judges boilerplate by: the one its last write used, else the
    /// default.
    pub fn boilerplate_rule(&self) -> BoilerplateRule {
        self.stored_boilerplate()
            .map_or_else(BoilerplateRule::default, |s| s.rule())
    }

    /// The boilerplate of each source as the index holds it now: its sentences (an example
    /// text each, with the documents that repeat it) and the documents that carry any, the
    /// source with most documents first.
    pub fn boilerplate_summaries(&self) -> Result<Vec<SourceBoilerplate>, IndexError> {
        let searcher = self.reader.searcher();
        let sentences: HashMap<u64, Vec<DocAddress>> = match self.stored_boilerplate() {
            Some(stored) => {
                let mut found = HashMap::new();
                for key in stored.sentences {
                    found.insert(key, documents_with(&searcher, &self.fields, key)?);
                }
                found
            }
            None => find_boilerplate(&searcher, &self.fields, &BoilerplateRule::default())?,
        };
        // Source key → (display name, sentences, documents).
        type Entry = (String, Vec<(String, u64)>, HashSet<DocAddress>);
        let mut sources: BTreeMap<String, Entry> = BTreeMap::new();
        for (key, docs) in sentences {
            let Some(&first) = docs.first() else {
                continue;
            };
            let stored: TantivyDocument = searcher.doc(first)?;
            let source = stored_text(&stored, self.fields.source).to_string();
            let source_key = nhip_text::source_name_key(&source);
            let text = [self.fields.title, self.fields.body]
                .into_iter()
                .find_map(|field| {
                    let text = stored_text(&stored, field);
                    nhip_text::sentences(text)
                        .into_iter()
                        .find(|s| nhip_text::source_sentence_key(&source_key, s.key) == key)
                        .map(|s| text[s.start..s.end].trim().to_string())
                })
                .unwrap_or_default();
            let entry = sources
                .entry(source_key)
                .or_insert_with(|| (source, Vec::new(), HashSet::new()));
            entry.1.push((text, docs.len() as u64));
            entry.2.extend(docs);
        }
        let mut out: Vec<SourceBoilerplate> = sources
            .into_values()
            .map(|(source, mut sentences, documents)| {
                sentences.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                SourceBoilerplate {
                    source,
                    sentences,
                    documents: documents.len() as u64,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.documents
                .cmp(&a.documents)
                .then_with(|| a.source.cmp(&b.source))
        });
        Ok(out)
    }
}

/// A stored document as the writer takes it again (to rewrite it when its boilerplate
/// changed); `None` when a field the index always stores is missing.
pub(crate) fn document_from_stored(
    fields: &Fields,
    stored: &TantivyDocument,
) -> Option<nhip_ingest::Document> {
    let text = |field| stored_text(stored, field).to_string();
    let optional = |field| Some(text(field)).filter(|s: &String| !s.is_empty());
    let published_at = stored
        .get_first(fields.published_at)
        .and_then(|v| v.as_datetime())
        .and_then(|d| {
            chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0)
                .map(|t| t.with_timezone(&nhip_ingest::dates::vietnam_offset()))
        });
    let id = text(fields.id);
    let content_hash = text(fields.content_hash);
    if id.is_empty() || content_hash.is_empty() {
        return None;
    }
    let (title, body) = (text(fields.title), text(fields.body));
    let minhash = nhip_ingest::minhash(&title, &body);
    Some(nhip_ingest::Document {
        id,
        title,
        body,
        published_at,
        date_source: nhip_ingest::DateSource::parse(stored_text(stored, fields.date_source))
            .unwrap_or_default(),
        source: text(fields.source),
        reference: optional(fields.reference),
        kind: nhip_ingest::DocKind::parse(stored_text(stored, fields.kind))?,
        unit: optional(fields.unit),
        url: optional(fields.url),
        author: optional(fields.author),
        lang: text(fields.lang),
        content_hash,
        minhash,
        origin: "index".to_string(),
    })
}
