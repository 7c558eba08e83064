//! The per-document matcher behind `nhip match`: documents in (JSON Lines, as `nhip ingest`
//! writes them), one line of facts per document out — its week, kind, source, content hash,
//! MinHash bands, the topics it matches and its segmenter words. A cluster job counts these
//! lines; the topic decisions are the index's own, because every batch is matched in an
//! in-memory index built by [`nhip_index::match_batch`] with the index's schema and analyzers,
//! and the topics' queries are parsed by the same parser as `nhip trends` parses them.
//!
//! Memory is bounded by one batch (and one line, at most [`MAX_LINE_BYTES`]); a line that is
//! not a document is written as a reject, and the stream goes on.

use crate::{iso_week_of, week_start_of, Topic, TrendError};
use nhip_ingest::Document;
use serde::Serialize;
use std::io::{BufRead, Write};

/// Documents matched per in-memory index.
pub const DEFAULT_BATCH: usize = 2_000;
/// Longest input line read; a longer one is rejected (and skipped without being held).
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// How documents are matched.
#[derive(Debug, Clone)]
pub struct MatchOptions {
    /// Documents per in-memory index.
    pub batch: usize,
    /// Whether each output line carries the document's segmenter words (only those emerging
    /// terms count: [`crate::emerging::is_counted_word`]).
    pub words: bool,
    /// Rejects go to the output stream, as `{"rejected": reason, "line": n}` lines, instead
    /// of the rejects writer (a cluster job then counts them with the documents).
    pub inline_rejects: bool,
    /// Boilerplate sentence keys (counted over the whole collection): left out of the words
    /// and the story signature, as the index leaves them out.
    pub boilerplate: nhip_text::Boilerplate,
    /// Instead of matching, write each document's sentence keys that are long enough to be
    /// boilerplate under this rule (the first pass of a cluster job, which counts them).
    pub sentences_only: Option<nhip_text::BoilerplateRule>,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            batch: DEFAULT_BATCH,
            words: true,
            inline_rejects: false,
            boilerplate: Default::default(),
            sentences_only: None,
        }
    }
}

/// What a matching run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MatchSummary {
    pub lines: u64,
    pub documents: u64,
    pub rejected: u64,
    pub undated: u64,
}

/// One output line.
#[derive(Debug, Serialize)]
struct Matched<'a> {
    id: &'a str,
    /// ISO year and week and the week's Monday, in Asia/Ho_Chi_Minh; null when undated.
    iso_year: Option<i32>,
    iso_week: Option<u32>,
    week_start: Option<String>,
    kind: &'a str,
    source: &'a str,
    content_hash: &'a str,
    /// Story band keys (as signed 64-bit integers, which JSON readers such as Spark's keep
    /// exact): documents sharing one are near-duplicate candidates.
    bands: Vec<i64>,
    /// The story signature: near-duplicates are documents sharing a band whose signatures
    /// agree on at least half their values (`nhip_index::STORY_SIMILARITY`).
    minhash: &'a [u32],
    topics: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    words: Option<&'a [String]>,
}

/// One line of the sentences pass.
#[derive(Debug, Serialize)]
struct SentenceKeys<'a> {
    id: &'a str,
    content_hash: &'a str,
    /// Sentence keys within the document's source (as signed 64-bit integers).
    sentences: Vec<i64>,
}

/// One reject line.
#[derive(Debug, Serialize)]
struct Rejected<'a> {
    line: u64,
    #[serde(rename = "rejected")]
    reason: &'a str,
}

fn io_error(e: std::io::Error) -> TrendError {
    TrendError::Match(e.to_string())
}

/// Reads one line into `buffer` (without its newline), at most [`MAX_LINE_BYTES`]; returns
/// `None` at the end, `Some(false)` for a line too long (consumed, not kept).
fn read_line(input: &mut impl BufRead, buffer: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
    buffer.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(any.then_some(!too_long));
        }
        any = true;
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (&available[..at], Some(at + 1)),
            None => (available, None),
        };
        if !too_long && buffer.len() + chunk.len() <= MAX_LINE_BYTES {
            buffer.extend_from_slice(chunk);
        } else {
            too_long = true;
            buffer.clear();
        }
        let used = done.unwrap_or(chunk.len());
        input.consume(used);
        if done.is_some() {
            return Ok(Some(!too_long));
        }
    }
}

/// Matches every document of `input` against `topics`, writing one JSON line per document to
/// `output` and one per rejected line to `rejects`.
pub fn match_documents(
    mut input: impl BufRead,
    mut output: impl Write,
    mut rejects: impl Write,
    topics: &[Topic],
    options: &MatchOptions,
) -> Result<MatchSummary, TrendError> {
    let batch_size = options.batch.max(1);
    let queries: Vec<_> = topics.iter().map(|t| t.parsed.clone()).collect();
    let mut summary = MatchSummary::default();
    let mut batch: Vec<Document> = Vec::with_capacity(batch_size);
    let mut buffer = Vec::new();
    let mut line_number = 0u64;
    let inline = options.inline_rejects;
    let reject = |line: u64,
                  reason: &str,
                  summary: &mut MatchSummary,
                  output: &mut dyn Write,
                  rejects: &mut dyn Write| {
        summary.rejected += 1;
        let mut text = serde_json::to_vec(&Rejected { line, reason })
            .map_err(|e| TrendError::Match(e.to_string()))?;
        text.push(b'\n');
        if inline {
            output.write_all(&text)
        } else {
            rejects.write_all(&text)
        }
        .map_err(io_error)
    };
    while let Some(fits) = read_line(&mut input, &mut buffer).map_err(io_error)? {
        line_number += 1;
        summary.lines += 1;
        if !fits {
            reject(
                line_number,
                "line longer than 64 MB",
                &mut summary,
                &mut output,
                &mut rejects,
            )?;
            continue;
        }
        let text = match std::str::from_utf8(&buffer) {
            Ok(text) => text.trim(),
            Err(_) => {
                reject(
                    line_number,
                    "not UTF-8",
                    &mut summary,
                    &mut output,
                    &mut rejects,
                )?;
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        match serde_json::from_str::<Document>(text) {
            Ok(doc) => batch.push(doc),
            Err(e) => {
                reject(
                    line_number,
                    &format!("not a document of `nhip ingest`: {e}"),
                    &mut summary,
                    &mut output,
                    &mut rejects,
                )?;
                continue;
            }
        }
        if batch.len() >= batch_size {
            write_batch(&batch, topics, &queries, options, &mut output, &mut summary)?;
            batch.clear();
        }
    }
    write_batch(&batch, topics, &queries, options, &mut output, &mut summary)?;
    output.flush().map_err(io_error)?;
    rejects.flush().map_err(io_error)?;
    Ok(summary)
}

fn write_batch(
    batch: &[Document],
    topics: &[Topic],
    queries: &[nhip_index::QueryNode],
    options: &MatchOptions,
    output: &mut impl Write,
    summary: &mut MatchSummary,
) -> Result<(), TrendError> {
    if batch.is_empty() {
        return Ok(());
    }
    if let Some(rule) = options.sentences_only {
        for doc in batch {
            summary.documents += 1;
            let line = SentenceKeys {
                id: &doc.id,
                content_hash: &doc.content_hash,
                sentences: nhip_index::sentence_keys(doc)
                    .into_iter()
                    .filter(|&k| rule.long_enough(k))
                    .map(|k| k as i64)
                    .collect(),
            };
            serde_json::to_writer(&mut *output, &line)
                .map_err(|e| TrendError::Match(e.to_string()))?;
            output.write_all(b"\n").map_err(io_error)?;
        }
        return Ok(());
    }
    let mut matched = nhip_index::match_batch(batch, queries, options.words, &options.boilerplate)?;
    for words in &mut matched.words {
        words.retain(|w| crate::emerging::is_counted_word(w));
    }
    for (i, doc) in batch.iter().enumerate() {
        let week = doc
            .published_at
            .and_then(|d| week_start_of(d.timestamp()))
            .map(iso_week_of);
        summary.documents += 1;
        summary.undated += u64::from(week.is_none());
        let line = Matched {
            id: &doc.id,
            iso_year: week.map(|w| w.year),
            iso_week: week.map(|w| w.week),
            week_start: week.map(|w| w.start.format("%Y-%m-%d").to_string()),
            kind: doc.kind.as_str(),
            source: &doc.source,
            content_hash: &doc.content_hash,
            bands: nhip_index::story_band_keys(&matched.signatures[i])
                .into_iter()
                .map(|k| k as i64)
                .collect(),
            minhash: &matched.signatures[i],
            topics: matched.queries[i]
                .iter()
                .map(|&q| topics[q].name.as_str())
                .collect(),
            words: options.words.then_some(matched.words[i].as_slice()),
        };
        serde_json::to_writer(&mut *output, &line).map_err(|e| TrendError::Match(e.to_string()))?;
        output.write_all(b"\n").map_err(io_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn documents_matched_and_bad_lines_rejected() {
        let topics = crate::parse_topics(
            "[[topic]]\nname='lu'\nquery='\"lũ lụt\" OR \"sạt lở\"'\n[[topic]]\nname='report'\nquery='kind:report'",
            Path::new("t.toml"),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.jsonl");
        std::fs::write(
            &input,
            concat!(
                r#"{"id":"b","title":"Mưa lũ","body":"Lũ lụt và sạt lở ở Quảng Nam.","source":"Sở B","kind":"report","published_at":"2026-03-01T20:00:00Z"}"#,
                "\n",
                r#"{"id":"c","title":"Giá xăng","body":"Giá xăng tăng.","source":"Báo A","kind":"press"}"#,
                "\n"
            ),
        )
        .unwrap();
        let docs = nhip_ingest::ingest_paths(&[input], &Default::default()).documents;
        let mut text = String::new();
        for (i, doc) in docs.iter().enumerate() {
            text.push_str(&serde_json::to_string(doc).unwrap());
            text.push('\n');
            if i == 0 {
                text.push_str("{not json\n\n{\"id\":\"x\"}\n");
            }
        }
        let (mut out, mut rejects) = (Vec::new(), Vec::new());
        let options = MatchOptions {
            batch: 1,
            ..MatchOptions::default()
        };
        let summary =
            match_documents(text.as_bytes(), &mut out, &mut rejects, &topics, &options).unwrap();
        assert_eq!(
            summary,
            MatchSummary {
                lines: 5,
                documents: 2,
                rejected: 2,
                undated: 1
            }
        );
        let lines: Vec<serde_json::Value> = std::str::from_utf8(&out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        // 20:00 UTC on Sunday 1 March is Monday 03:00 in Hà Nội: week 10.
        assert_eq!(lines[0]["week_start"], "2026-03-02");
        assert_eq!(lines[0]["iso_week"], 10);
        assert_eq!(lines[0]["topics"], serde_json::json!(["lu", "report"]));
        assert_eq!(lines[0]["bands"].as_array().unwrap().len(), 8);
        assert!(lines[0]["words"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "lũ_lụt"));
        assert!(lines[1]["week_start"].is_null());
        assert_eq!(lines[1]["topics"], serde_json::json!([]));
        let rejects = String::from_utf8(rejects).unwrap();
        assert!(rejects.contains("\"line\":2"), "{rejects}");
        assert!(rejects.contains("\"line\":4"), "{rejects}");
        // Inline: the rejects are lines of the output.
        let (mut out, mut rejects) = (Vec::new(), Vec::new());
        let options = MatchOptions {
            inline_rejects: true,
            words: false,
            ..MatchOptions::default()
        };
        match_documents(text.as_bytes(), &mut out, &mut rejects, &topics, &options).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(rejects.is_empty());
        assert_eq!(out.lines().count(), 4);
        assert_eq!(out.matches("\"rejected\"").count(), 2);
        assert!(!out.contains("\"words\""));
    }
}
