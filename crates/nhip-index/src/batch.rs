//! Matching a batch of documents without an index on disk: the batch is written to a small
//! in-memory index with the same schema, analyzers and document form as [`NhipIndex`]'s
//! writer, and the queries run through the same tantivy queries. `nhip match` (the per-document
//! matcher the Spark job calls) is built on this, so its decisions are the index's by
//! construction, not by a second implementation of the rules.

use crate::searcher::DatedMatchCollector;
use crate::writer::{story_band_keys, story_signature, to_index_doc, KeyedSentences};
use crate::{schema, IndexError, QueryNode};
use nhip_ingest::Document;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Index, IndexWriter, ReloadPolicy, TERMINATED};

/// Memory budget of the batch writer: one indexing thread (tantivy's floor is 15 MB); a batch
/// larger than this is flushed into several segments, which changes nothing in the answers.
const BATCH_WRITER_BYTES: usize = 64 * 1024 * 1024;

/// What one batch's documents match: for each document (in input order), the positions of
/// the queries it matches, its segmenter words (exact forms, `_` inside a word, each once,
/// sorted; without boilerplate), its story signature (MinHash without boilerplate) and its
/// sentence keys within its source.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BatchMatches {
    pub queries: Vec<Vec<usize>>,
    pub words: Vec<Vec<String>>,
    pub signatures: Vec<Vec<u32>>,
    pub sentences: Vec<Vec<u64>>,
}

/// Matches `documents` against `queries` as an index holding exactly these documents would.
///
/// Unlike [`NhipIndex::write`], nothing is skipped or merged: exact duplicates and repeated
/// ids each get their own answer (de-duplication is the caller's job, across the whole
/// collection), and boilerplate is what the caller says (`boilerplate`: counted over the
/// whole collection, as the index counts it), since it is a property of a whole source, not of
/// a batch. Neither changes which documents a query matches: matching reads the syllable
/// fields, which always hold the whole text; boilerplate shapes the words and the signature.
pub fn match_batch(
    documents: &[Document],
    queries: &[QueryNode],
    with_words: bool,
    boilerplate: &nhip_text::Boilerplate,
) -> Result<BatchMatches, IndexError> {
    let (schema, fields) = schema::build();
    let index = Index::create_in_ram(schema);
    crate::analyzer::register(&index);
    let mut writer: IndexWriter<crate::writer::IndexDoc> =
        index.writer_with_num_threads(1, BATCH_WRITER_BYTES)?;
    let mut signatures = Vec::with_capacity(documents.len());
    let mut sentences = Vec::with_capacity(documents.len());
    for (position, doc) in documents.iter().enumerate() {
        let mut doc = doc.clone();
        let furniture = KeyedSentences::of(&doc).furniture(boilerplate);
        let signature = story_signature(&mut doc, &furniture);
        signatures.push(signature.clone());
        sentences.push(furniture.sentences.clone());
        let keys = story_band_keys(&signature);
        // The story field carries the document's position in the batch: matches map back
        // through it whatever segments tantivy cut the batch into.
        writer.add_document(to_index_doc(
            &fields,
            doc,
            keys,
            position as u64,
            &signature,
            furniture,
        ))?;
    }
    writer.commit()?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = tantivy::IndexReader::searcher(&reader);
    let mut result = BatchMatches {
        queries: vec![Vec::new(); documents.len()],
        words: vec![Vec::new(); documents.len()],
        signatures,
        sentences,
    };
    for (q, node) in queries.iter().enumerate() {
        let query = node.to_tantivy(&fields);
        for m in searcher.search(&*query, &DatedMatchCollector)? {
            if let Some(list) = m.story.and_then(|p| result.queries.get_mut(p as usize)) {
                list.push(q);
            }
        }
    }
    if with_words {
        // The words as the index holds them (the postings emerging terms read), not a second
        // analysis: each text was analysed once, by the writer.
        for segment in searcher.segment_readers() {
            let positions = segment.fast_fields().u64("story")?;
            let inverted = segment.inverted_index(fields.words_exact)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                let Ok(word) = std::str::from_utf8(terms.key()) else {
                    continue;
                };
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?;
                while postings.doc() != TERMINATED {
                    if let Some(list) = positions
                        .first(postings.doc())
                        .and_then(|p| result.words.get_mut(p as usize))
                    {
                        list.push(word.to_string());
                    }
                    postings.advance();
                }
            }
        }
    }
    Ok(result)
}

/// A document's sentence keys within its source, each once: what the index counts to judge
/// boilerplate (a sentence in enough documents of one source).
pub fn sentence_keys(doc: &Document) -> Vec<u64> {
    KeyedSentences::of(doc).unique
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_query, NhipIndex};
    use nhip_ingest::{ingest_paths, IngestOptions};

    #[test]
    fn batch_matches_equal_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.jsonl");
        std::fs::write(
            &input,
            concat!(
                r#"{"id":"a","title":"Xử lý tham nhũng","body":"Vụ án tham nhũng đất đai ở Đà Nẵng.","source":"Báo A","kind":"press","published_at":"2026-03-02T08:00:00+07:00"}"#,
                "\n",
                r#"{"id":"b","title":"Mưa lũ","body":"Lũ lụt và sạt lở ở Quảng Nam.","source":"Sở B","kind":"report","published_at":"2026-03-03T08:00:00+07:00"}"#,
                "\n",
                r#"{"id":"c","title":"Giá xăng","body":"Giá xăng tăng, tham gia thị trường.","source":"Báo A","kind":"press"}"#,
                "\n"
            ),
        )
        .unwrap();
        let docs = ingest_paths(&[input], &IngestOptions::default()).documents;
        let queries: Vec<QueryNode> = [
            "tham nhung",
            "\"lũ lụt\" OR \"sạt lở\"",
            "kind:report",
            "source:\"bao a\" -đất",
            "tham",
            "title:giá",
        ]
        .iter()
        .map(|q| parse_query(q).unwrap())
        .collect();
        let matched = match_batch(&docs, &queries, true, &Default::default()).unwrap();
        let index = NhipIndex::open_or_create(&dir.path().join("index")).unwrap();
        index.write(&docs).unwrap();
        for (q, node) in queries.iter().enumerate() {
            let mut from_index: Vec<String> = index
                .dated_matches(Some(node))
                .unwrap()
                .into_iter()
                .map(|m| index.load(m.address).unwrap().id)
                .collect();
            from_index.sort();
            let from_batch: Vec<String> = docs
                .iter()
                .zip(&matched.queries)
                .filter(|(_, qs)| qs.contains(&q))
                .map(|(d, _)| d.id.clone())
                .collect();
            assert_eq!(from_batch, from_index, "query {q}");
        }
        assert!(matched.words[0].iter().any(|w| w == "tham_nhũng"));
        assert!(matched.words[1].windows(2).all(|w| w[0] < w[1]));
    }
}
