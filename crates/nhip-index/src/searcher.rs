//! Searching: ranked hits with snippets, and the dated match lists that trend tables count.

use crate::query::{parse_query_with, QueryNode};
use crate::readings::WordReadings;
use crate::snippet::{Highlighter, Snippet};
use crate::{IndexError, NhipIndex};
use chrono::{DateTime as ChronoDateTime, FixedOffset, NaiveDate, TimeZone};
use serde::Serialize;
use std::ops::Bound;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery};
use tantivy::schema::Value;
use tantivy::{
    DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// Options of one search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub limit: usize,
    /// Hits skipped before the first one returned (for paging).
    pub offset: usize,
    /// First day included (Asia/Ho_Chi_Minh).
    pub since: Option<NaiveDate>,
    /// Last day included (Asia/Ho_Chi_Minh).
    pub until: Option<NaiveDate>,
    pub sort: SortOrder,
    /// Readings the user chose (`tham nhũng`): each replaces the accent-free query word it is
    /// a reading of, which is then matched exactly.
    pub readings: Vec<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            since: None,
            until: None,
            sort: SortOrder::Relevance,
            readings: Vec::new(),
        }
    }
}

/// One search hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub published_at: Option<ChronoDateTime<FixedOffset>>,
    pub source: String,
    pub kind: String,
    pub unit: Option<String>,
    pub url: Option<String>,
    pub lang: String,
    /// How the date was found: `metadata`, `text`, `text_year_from_…`, or `none`.
    pub date_source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// An administrative document's number and symbol (`123/UBND-NL`).
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The near-duplicate cluster, in hex (syndicated copies share it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    pub score: f32,
    pub snippet: Snippet,
    /// The full text (for `nhip show`); left empty in search results.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub body: String,
}

impl Hit {
    /// The columns of a CSV export (`nhip search --export FILE.csv`, the web workspace's
    /// export), in the order of [`Hit::export_row`].
    pub const EXPORT_COLUMNS: [&'static str; 13] = [
        "id",
        "title",
        "published_at",
        "date_source",
        "source",
        "kind",
        "unit",
        "ref",
        "url",
        "lang",
        "story",
        "score",
        "snippet",
    ];

    /// The hit as one CSV export row: empty where the document has no value.
    pub fn export_row(&self) -> [String; 13] {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        [
            self.id.clone(),
            self.title.clone(),
            self.published_at
                .map(|d| d.to_rfc3339())
                .unwrap_or_default(),
            self.date_source.clone(),
            self.source.clone(),
            self.kind.clone(),
            text(&self.unit),
            text(&self.reference),
            text(&self.url),
            self.lang.clone(),
            text(&self.story),
            self.score.to_string(),
            self.snippet.text.clone(),
        ]
    }

    /// The hit as `nhip search --json` and the web workspace's API give it: every field,
    /// `null` where the document has none, the snippet as `snippet` text and `highlights`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "title": self.title,
            "published_at": self.published_at.map(|d| d.to_rfc3339()),
            "date_source": self.date_source,
            "source": self.source,
            "kind": self.kind,
            "unit": self.unit,
            "ref": self.reference,
            "author": self.author,
            "url": self.url,
            "lang": self.lang,
            "story": self.story,
            "score": self.score,
            "snippet": self.snippet.text,
            "highlights": self.snippet.highlights,
        })
    }
}

/// Hits of a search and how many documents matched in all.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// How the query was understood, in the query language (`"sat lo" AND "mien trung"`).
    pub understood: String,
    /// For each word typed without diacritics, the accented forms the collection holds.
    pub readings: Vec<WordReadings>,
}

/// A matching document and its publication time (seconds since the epoch), if dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatedMatch {
    pub address: DocAddress,
    pub published_at: Option<i64>,
    /// The document's near-duplicate cluster.
    pub story: Option<u64>,
}

fn vietnam() -> FixedOffset {
    nhip_ingest::dates::vietnam_offset()
}

fn day_start(day: NaiveDate) -> Option<DateTime> {
    let local = vietnam()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .single()?;
    Some(DateTime::from_timestamp_secs(local.timestamp()))
}

pub(crate) struct DatedMatchCollector;

pub(crate) struct DatedSegmentCollector {
    segment: SegmentOrdinal,
    dates: Option<Column<DateTime>>,
    stories: Option<Column<u64>>,
    matches: Vec<DatedMatch>,
}

impl Collector for DatedMatchCollector {
    type Fruit = Vec<DatedMatch>;
    type Child = DatedSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<DatedSegmentCollector> {
        Ok(DatedSegmentCollector {
            segment,
            dates: reader.fast_fields().date("published_at").ok(),
            stories: reader.fast_fields().u64("story").ok(),
            matches: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<DatedMatch>>) -> tantivy::Result<Vec<DatedMatch>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for DatedSegmentCollector {
    type Fruit = Vec<DatedMatch>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let published_at = self
            .dates
            .as_ref()
            .and_then(|c| c.first(doc))
            .map(|d| d.into_timestamp_secs());
        let story = self.stories.as_ref().and_then(|c| c.first(doc));
        self.matches.push(DatedMatch {
            address: DocAddress::new(self.segment, doc),
            published_at,
            story,
        });
    }

    fn harvest(self) -> Vec<DatedMatch> {
        self.matches
    }
}

impl NhipIndex {
    fn filtered(&self, node: Option<&QueryNode>, options: &SearchOptions) -> Box<dyn Query> {
        let query = node.map_or_else(
            || Box::new(AllQuery) as Box<dyn Query>,
            |n| n.to_tantivy(&self.fields),
        );
        self.filtered_query(query, options)
    }

    /// A query restricted to the options' date range.
    pub(crate) fn filtered_query(
        &self,
        query: Box<dyn Query>,
        options: &SearchOptions,
    ) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
        if options.since.is_some() || options.until.is_some() {
            let field = self.fields.published_at;
            let bound = |day: Option<NaiveDate>, included: bool| match day.and_then(day_start) {
                Some(t) if included => Bound::Included(Term::from_field_date(field, t)),
                Some(t) => Bound::Excluded(Term::from_field_date(field, t)),
                None => Bound::Unbounded,
            };
            let lower = bound(options.since, true);
            let upper = bound(options.until.and_then(|d| d.succ_opt()), false);
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Parses a query with this index's segmenter (its word list included).
    pub fn parse(&self, query: &str) -> Result<QueryNode, IndexError> {
        Ok(parse_query_with(query, &self.segmenter)?)
    }

    /// Parses and runs a query.
    pub fn search(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<SearchResults, IndexError> {
        let node = self.parse(query)?;
        self.search_node(&node, options)
    }

    /// Runs a parsed query: the top hits in the requested order, with snippets, how the query
    /// was understood and the readings of its accent-free words.
    pub fn search_node(
        &self,
        node: &QueryNode,
        options: &SearchOptions,
    ) -> Result<SearchResults, IndexError> {
        let crate::explore::Prepared {
            node,
            query,
            readings,
        } = self.prepared(node, options)?;
        let node = &node;
        let searcher = self.reader.searcher();
        let limit = options.limit.max(1);
        let (total, ranked): (usize, Vec<(f32, DocAddress)>) = match options.sort {
            SortOrder::Relevance => {
                let (top, total) = searcher.search(
                    &query,
                    &(
                        TopDocs::with_limit(limit)
                            .and_offset(options.offset)
                            .order_by_score(),
                        Count,
                    ),
                )?;
                (total, top)
            }
            SortOrder::Newest | SortOrder::Oldest => {
                let mut all = searcher.search(&query, &DatedMatchCollector)?;
                all.sort_by_key(|m| m.published_at.unwrap_or(i64::MIN));
                if options.sort == SortOrder::Newest {
                    all.reverse();
                }
                (
                    all.len(),
                    all.iter()
                        .skip(options.offset)
                        .take(limit)
                        .map(|m| (0.0, m.address))
                        .collect(),
                )
            }
        };
        let mut texts = Vec::new();
        node.positive_texts(&mut texts);
        let highlighter = Highlighter::new(&texts);
        let hits = ranked
            .into_iter()
            .map(|(score, address)| {
                let mut hit = self.hit(&searcher.doc(address)?, score);
                hit.snippet = highlighter.snippet(&hit.body);
                hit.body.clear();
                Ok(hit)
            })
            .collect::<Result<Vec<Hit>, IndexError>>()?;
        Ok(SearchResults {
            total,
            hits,
            understood: node.to_string(),
            readings,
        })
    }

    /// Every document matching a query under the same date filters as a search, with its date.
    pub fn matches(
        &self,
        node: &QueryNode,
        options: &SearchOptions,
    ) -> Result<Vec<DatedMatch>, IndexError> {
        let query = self.filtered(Some(node), options);
        Ok(self
            .reader
            .searcher()
            .search(&query, &DatedMatchCollector)?)
    }

    /// Every document matching `node` (all documents when `None`), with its date.
    pub fn dated_matches(&self, node: Option<&QueryNode>) -> Result<Vec<DatedMatch>, IndexError> {
        let query = self.filtered(node, &SearchOptions::default());
        Ok(self
            .reader
            .searcher()
            .search(&query, &DatedMatchCollector)?)
    }

    /// Visits every word of the segmenter-word field (exact forms, syllables joined by `_`) with
    /// the live documents that contain it, one segment at a time: a word in several segments is
    /// visited once per segment.
    pub fn for_each_word(
        &self,
        mut visit: impl FnMut(&str, &[DocAddress]),
    ) -> Result<(), IndexError> {
        use tantivy::schema::IndexRecordOption;
        use tantivy::{DocSet, TERMINATED};
        let searcher = self.reader.searcher();
        let mut docs = Vec::new();
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let inverted = segment.inverted_index(self.fields.words_exact)?;
            let alive = segment.alive_bitset();
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
                docs.clear();
                while postings.doc() != TERMINATED {
                    let doc = postings.doc();
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        docs.push(DocAddress::new(ordinal as u32, doc));
                    }
                    postings.advance();
                }
                if !docs.is_empty() {
                    visit(word, &docs);
                }
            }
        }
        Ok(())
    }

    /// Every distinct source, as written on one of its documents, in the order of their
    /// accent-free names (the keys `source:` filters match).
    pub fn sources(&self) -> Result<Vec<String>, IndexError> {
        let searcher = self.reader.searcher();
        let mut keys = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.source_key)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                if let Ok(key) = std::str::from_utf8(terms.key()) {
                    keys.insert(key.to_string());
                }
            }
        }
        let mut names = Vec::with_capacity(keys.len());
        for key in keys {
            let query = tantivy::query::TermQuery::new(
                Term::from_field_text(self.fields.source_key, &key),
                tantivy::schema::IndexRecordOption::Basic,
            );
            if let Some(&(_, address)) = searcher
                .search(&query, &TopDocs::with_limit(1).order_by_score())?
                .first()
            {
                names.push(self.hit(&searcher.doc(address)?, 0.0).source);
            }
        }
        Ok(names)
    }

    /// The document with this id, body included.
    pub fn get(&self, id: &str) -> Result<Option<Hit>, IndexError> {
        let searcher = self.reader.searcher();
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        match found.first() {
            Some(&(_, address)) => Ok(Some(self.hit(&searcher.doc(address)?, 0.0))),
            None => Ok(None),
        }
    }

    /// Stored fields of the document at `address`, body included.
    /// The ids of documents, read from the id column (no stored document is decompressed);
    /// an empty string for an address that holds none.
    pub fn ids_of(&self, addresses: &[DocAddress]) -> Result<Vec<String>, IndexError> {
        let searcher = self.reader.searcher();
        let mut columns: std::collections::HashMap<u32, Option<tantivy::columnar::StrColumn>> =
            std::collections::HashMap::new();
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let column = match columns.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(
                    searcher
                        .segment_reader(address.segment_ord)
                        .fast_fields()
                        .str("id")?,
                ),
            };
            let mut id = String::new();
            if let Some(column) = column {
                if let Some(ord) = column.term_ords(address.doc_id).next() {
                    column
                        .ord_to_str(ord, &mut id)
                        .map_err(tantivy::TantivyError::from)?;
                }
            }
            ids.push(id);
        }
        Ok(ids)
    }

    pub fn load(&self, address: DocAddress) -> Result<Hit, IndexError> {
        Ok(self.hit(&self.reader.searcher().doc(address)?, 0.0))
    }

    fn hit(&self, doc: &TantivyDocument, score: f32) -> Hit {
        let f = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let optional = |field| Some(text(field)).filter(|s: &String| !s.is_empty());
        let published_at = doc
            .get_first(f.published_at)
            .and_then(|v| v.as_datetime())
            .and_then(|d| vietnam().timestamp_opt(d.into_timestamp_secs(), 0).single());
        Hit {
            id: text(f.id),
            title: text(f.title),
            published_at,
            source: text(f.source),
            kind: text(f.kind),
            unit: optional(f.unit),
            url: optional(f.url),
            lang: text(f.lang),
            date_source: text(f.date_source),
            author: optional(f.author),
            reference: optional(f.reference),
            story: doc
                .get_first(f.story)
                .and_then(|v| v.as_u64())
                .map(|s| format!("{s:016x}")),
            score,
            snippet: Snippet::default(),
            body: text(f.body),
        }
    }
}
