//! Exploring hits the way a search page does: one pass over the matches gives a page of hits at
//! any offset, the total, facet counts by source, kind and unit, and hits per ISO week; every
//! match can also be listed in result order for an export.
//!
//! Facets read a [`FacetTable`], built once per opened index from the filter keys' postings
//! (`source_key`, `kind`, `unit_key`), so no schema change and no stored document is needed
//! while counting.

use crate::query::{QueryNode, Ranking};
use crate::readings::WordReadings;
use crate::searcher::{Hit, SearchOptions, SortOrder};
use crate::snippet::Highlighter;
use crate::{IndexError, NhipIndex};
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime, DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader};

/// Seconds east of UTC of Asia/Ho_Chi_Minh (no daylight saving since 1975).
const VIETNAM_SECONDS: i64 = 7 * 3600;
const NO_VALUE: u32 = u32::MAX;

/// A metadata field hits are counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FacetField {
    Source,
    Kind,
    Unit,
}

impl FacetField {
    pub const ALL: [FacetField; 3] = [FacetField::Source, FacetField::Kind, FacetField::Unit];

    fn position(self) -> usize {
        self as usize
    }
}

/// One value of a facet: as documents write it, and how many hits have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The name as written on one of its documents (what a filter on it matches).
    pub value: String,
    pub docs: u64,
}

/// Hit counts by source, kind and unit, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub source: Vec<FacetCount>,
    pub kind: Vec<FacetCount>,
    pub unit: Vec<FacetCount>,
}

impl Facets {
    pub fn get(&self, field: FacetField) -> &[FacetCount] {
        match field {
            FacetField::Source => &self.source,
            FacetField::Kind => &self.kind,
            FacetField::Unit => &self.unit,
        }
    }
}

/// Hits of one ISO week (Monday start, Asia/Ho_Chi_Minh).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WeekCount {
    pub week_start: NaiveDate,
    pub docs: u64,
}

/// Hits per week, every week from the first hit to the last (zero-filled), and the undated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WeekCounts {
    pub weeks: Vec<WeekCount>,
    pub undated: u64,
}

/// What one exploring pass computes besides the page of hits (`search.offset` pages).
#[derive(Debug, Clone, Default)]
pub struct ExploreOptions {
    pub search: SearchOptions,
    pub facets: bool,
    pub weeks: bool,
}

/// A page of hits with the total and, when asked, facets and weeks.
#[derive(Debug, Clone, Serialize)]
pub struct ExploreResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// How the query was understood, as [`crate::SearchResults::understood`].
    pub understood: String,
    /// Readings of the accent-free words, as [`crate::SearchResults::readings`].
    pub readings: Vec<WordReadings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weeks: Option<WeekCounts>,
}

/// The facet value of every document of every segment of an opened index.
pub struct FacetTable {
    /// Per segment, per facet field: the value's ordinal for each document (`NO_VALUE` if none).
    segments: Vec<[Arc<Vec<u32>>; 3]>,
    /// Per facet field, the display names by ordinal.
    names: [Vec<String>; 3],
}

impl FacetTable {
    /// Distinct values of a field (display names), in no particular order.
    pub fn values(&self, field: FacetField) -> &[String] {
        &self.names[field.position()]
    }
}

/// The Monday (day number since 1970-01-01) of the week of a time, in Vietnam.
fn monday_of(timestamp: i64) -> i64 {
    let day = (timestamp + VIETNAM_SECONDS).div_euclid(86_400);
    // 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday.
    day - (day + 3).rem_euclid(7)
}

fn day_of(number: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(Duration::days(number))
}

struct PassCollector {
    facets: Option<Arc<FacetTable>>,
    weeks: bool,
}

struct PassFruit {
    facet_counts: [Vec<u64>; 3],
    weeks: HashMap<i64, u64>,
    undated: u64,
}

struct PassSegment {
    facet_docs: Option<[Arc<Vec<u32>>; 3]>,
    dates: Option<Column<DateTime>>,
    fruit: PassFruit,
}

impl Collector for PassCollector {
    type Fruit = PassFruit;
    type Child = PassSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<PassSegment> {
        let facet_docs = self
            .facets
            .as_ref()
            .and_then(|t| t.segments.get(segment as usize).cloned());
        let sizes = self
            .facets
            .as_ref()
            .map_or([0; 3], |t| t.names.each_ref().map(Vec::len));
        Ok(PassSegment {
            facet_docs,
            dates: if self.weeks {
                reader.fast_fields().date("published_at").ok()
            } else {
                None
            },
            fruit: PassFruit {
                facet_counts: sizes.map(|n| vec![0; n]),
                weeks: HashMap::new(),
                undated: 0,
            },
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<PassFruit>) -> tantivy::Result<PassFruit> {
        let sizes = self
            .facets
            .as_ref()
            .map_or([0; 3], |t| t.names.each_ref().map(Vec::len));
        let mut all = PassFruit {
            facet_counts: sizes.map(|n| vec![0; n]),
            weeks: HashMap::new(),
            undated: 0,
        };
        for fruit in fruits {
            for (total, part) in all.facet_counts.iter_mut().zip(&fruit.facet_counts) {
                for (t, p) in total.iter_mut().zip(part) {
                    *t += p;
                }
            }
            for (week, n) in fruit.weeks {
                *all.weeks.entry(week).or_default() += n;
            }
            all.undated += fruit.undated;
        }
        Ok(all)
    }
}

impl SegmentCollector for PassSegment {
    type Fruit = PassFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(docs) = &self.facet_docs {
            for (field, counts) in docs.iter().zip(self.fruit.facet_counts.iter_mut()) {
                if let Some(&ordinal) = field.get(doc as usize) {
                    if let Some(count) = counts.get_mut(ordinal as usize) {
                        *count += 1;
                    }
                }
            }
        }
        if let Some(dates) = &self.dates {
            match dates.first(doc) {
                Some(date) => {
                    *self
                        .fruit
                        .weeks
                        .entry(monday_of(date.into_timestamp_secs()))
                        .or_default() += 1
                }
                None => self.fruit.undated += 1,
            }
        }
    }

    fn harvest(self) -> PassFruit {
        self.fruit
    }
}

/// Rank of a match in date order: the greatest is shown first. Newest first ranks by (time,
/// address); oldest first by the reverse. Undated documents count as the earliest time, so they
/// come last when newest first and first when oldest first, as `nhip search --sort` orders them.
type DateRank = (i64, DocAddress);

fn date_rank(dates: Option<&Column<DateTime>>, address: DocAddress) -> DateRank {
    let time = dates
        .and_then(|c| c.first(address.doc_id))
        .map_or(i64::MIN, |d| d.into_timestamp_secs());
    (time, address)
}

/// Keeps the `keep` best ranks seen (greatest when `newest_first`, least otherwise).
struct BestRanks {
    keep: usize,
    newest_first: bool,
    greatest: BinaryHeap<Reverse<DateRank>>,
    least: BinaryHeap<DateRank>,
}

impl BestRanks {
    fn new(keep: usize, newest_first: bool) -> BestRanks {
        BestRanks {
            keep,
            newest_first,
            greatest: BinaryHeap::new(),
            least: BinaryHeap::new(),
        }
    }

    fn offer(&mut self, rank: DateRank) {
        if self.keep == 0 {
            return;
        }
        if self.newest_first {
            if self.greatest.len() < self.keep {
                self.greatest.push(Reverse(rank));
            } else if self
                .greatest
                .peek()
                .is_some_and(|Reverse(worst)| rank > *worst)
            {
                self.greatest.pop();
                self.greatest.push(Reverse(rank));
            }
        } else if self.least.len() < self.keep {
            self.least.push(rank);
        } else if self.least.peek().is_some_and(|worst| rank < *worst) {
            self.least.pop();
            self.least.push(rank);
        }
    }

    /// The kept ranks, best first.
    fn into_sorted(self) -> Vec<DateRank> {
        if self.newest_first {
            let mut ranks: Vec<DateRank> = self.greatest.into_iter().map(|Reverse(r)| r).collect();
            ranks.sort_unstable_by(|a, b| b.cmp(a));
            ranks
        } else {
            self.least.into_sorted_vec()
        }
    }
}

impl NhipIndex {
    /// The facet table of this index as opened (documents committed later are not in it).
    pub fn facet_table(&self) -> Result<FacetTable, IndexError> {
        let searcher = self.reader.searcher();
        let fields: [Field; 3] = [
            self.fields.source_key,
            self.fields.kind,
            self.fields.unit_key,
        ];
        let mut keys: [HashMap<String, u32>; 3] = Default::default();
        // The first document seen with each key, to read its display name from.
        let mut examples: [Vec<DocAddress>; 3] = Default::default();
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let mut per_field: [Vec<u32>; 3] = Default::default();
            for (f, &field) in fields.iter().enumerate() {
                let docs = &mut per_field[f];
                docs.resize(segment.max_doc() as usize, NO_VALUE);
                let inverted = segment.inverted_index(field)?;
                let mut terms = inverted
                    .terms()
                    .stream()
                    .map_err(tantivy::TantivyError::from)?;
                while terms.advance() {
                    let Ok(key) = std::str::from_utf8(terms.key()) else {
                        continue;
                    };
                    let mut postings = inverted
                        .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                        .map_err(tantivy::TantivyError::from)?;
                    let first = postings.doc();
                    if first == tantivy::TERMINATED {
                        continue;
                    }
                    let next = keys[f].len() as u32;
                    let ordinal_of_key = *keys[f].entry(key.to_string()).or_insert_with(|| {
                        examples[f].push(DocAddress::new(ordinal as u32, first));
                        next
                    });
                    while postings.doc() != tantivy::TERMINATED {
                        docs[postings.doc() as usize] = ordinal_of_key;
                        postings.advance();
                    }
                }
            }
            segments.push(per_field.map(Arc::new));
        }
        let mut names: [Vec<String>; 3] = Default::default();
        for field in FacetField::ALL {
            let f = field.position();
            let mut list = Vec::with_capacity(examples[f].len());
            // Ordinals were given in the order the examples were pushed.
            for address in &examples[f] {
                let hit = self.load(*address)?;
                list.push(match field {
                    FacetField::Source => hit.source,
                    FacetField::Kind => hit.kind,
                    FacetField::Unit => hit.unit.unwrap_or_default(),
                });
            }
            names[f] = list;
        }
        Ok(FacetTable { segments, names })
    }

    /// The query as a search runs it (`search_node`): the readings the user picked applied,
    /// ranked with the collection's preferred readings when ordered by relevance.
    pub(crate) fn prepared(
        &self,
        node: &QueryNode,
        options: &SearchOptions,
    ) -> Result<Prepared, IndexError> {
        let mut typed = Vec::new();
        node.accent_free_texts(&mut typed);
        let readings = self.readings_of(&typed)?;
        let node = node.with_readings(&options.readings);
        let query = match options.sort {
            SortOrder::Relevance => {
                let mut ranking = Ranking::default();
                for word in &readings {
                    let preferred = word
                        .readings
                        .iter()
                        .filter(|r| r.preferred)
                        .map(|r| r.text.clone())
                        .collect();
                    ranking.preferred.insert(word.word.clone(), preferred);
                }
                node.to_ranked(&self.fields, &ranking)
            }
            SortOrder::Newest | SortOrder::Oldest => node.to_tantivy(&self.fields),
        };
        let query = self.filtered_query(query, options);
        Ok(Prepared {
            node,
            query,
            readings,
        })
    }

    /// Matches of a query ordered by date, best `keep` of them, best first.
    fn date_ordered(
        &self,
        query: &dyn Query,
        keep: usize,
        newest_first: bool,
    ) -> Result<Vec<DocAddress>, IndexError> {
        let searcher = self.reader.searcher();
        let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
            &searcher,
        ))?;
        let mut best = BestRanks::new(keep, newest_first);
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let dates = segment.fast_fields().date("published_at").ok();
            let alive = segment.alive_bitset();
            weight.for_each_no_score(segment, &mut |docs| {
                for &doc in docs {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        best.offer(date_rank(
                            dates.as_ref(),
                            DocAddress::new(ordinal as u32, doc),
                        ));
                    }
                }
            })?;
        }
        Ok(best.into_sorted().into_iter().map(|(_, a)| a).collect())
    }

    /// One page of hits at `offset`, the total, and facets and weeks when asked, in one pass
    /// over the matches.
    pub fn explore(
        &self,
        node: &QueryNode,
        options: &ExploreOptions,
        facets: Option<&Arc<FacetTable>>,
    ) -> Result<ExploreResults, IndexError> {
        let searcher = self.reader.searcher();
        let Prepared {
            node,
            query,
            readings,
        } = self.prepared(node, &options.search)?;
        let node = &node;
        let limit = options.search.limit;
        let offset = options.search.offset;
        let pass = PassCollector {
            facets: facets.filter(|_| options.facets).cloned(),
            weeks: options.weeks,
        };
        let (total, page, fruit): (usize, Vec<(f32, DocAddress)>, PassFruit) =
            match options.search.sort {
                SortOrder::Relevance => {
                    let top = TopDocs::with_limit(limit.max(1))
                        .and_offset(offset)
                        .order_by_score();
                    let (top, total, fruit) = searcher.search(&query, &(top, Count, pass))?;
                    (total, top, fruit)
                }
                SortOrder::Newest | SortOrder::Oldest => {
                    let (total, fruit) = searcher.search(&query, &(Count, pass))?;
                    let ordered = self.date_ordered(
                        query.as_ref(),
                        offset + limit,
                        options.search.sort == SortOrder::Newest,
                    )?;
                    let page = ordered.into_iter().skip(offset).map(|a| (0.0, a)).collect();
                    (total, page, fruit)
                }
            };
        let page = if limit == 0 { Vec::new() } else { page };
        let highlighter = highlighter(node);
        let hits = page
            .into_iter()
            .map(|(score, address)| {
                let mut hit = self.load(address)?;
                hit.score = score;
                hit.snippet = highlighter.snippet(&hit.body);
                hit.body.clear();
                Ok(hit)
            })
            .collect::<Result<Vec<Hit>, IndexError>>()?;
        let facets = match (options.facets, facets) {
            (true, Some(table)) => Some(facet_counts(table, &fruit.facet_counts)),
            _ => None,
        };
        let weeks = options
            .weeks
            .then(|| week_counts(&fruit.weeks, fruit.undated));
        Ok(ExploreResults {
            total,
            hits,
            understood: node.to_string(),
            readings,
            facets,
            weeks,
        })
    }

    /// Every match of a query in result order (relevance with scores, or by date), for exports.
    pub fn all_matches(
        &self,
        node: &QueryNode,
        options: &SearchOptions,
    ) -> Result<Vec<(f32, DocAddress)>, IndexError> {
        let searcher = self.reader.searcher();
        let query = self.prepared(node, options)?.query;
        let total = searcher.search(&query, &Count)?;
        if total == 0 {
            return Ok(Vec::new());
        }
        Ok(match options.sort {
            SortOrder::Relevance => {
                searcher.search(&query, &TopDocs::with_limit(total).order_by_score())?
            }
            SortOrder::Newest | SortOrder::Oldest => self
                .date_ordered(query.as_ref(), total, options.sort == SortOrder::Newest)?
                .into_iter()
                .map(|a| (0.0, a))
                .collect(),
        })
    }

    /// A hit for an export line: stored fields and a snippet for `node`, without the body.
    pub fn export_hit(
        &self,
        address: DocAddress,
        score: f32,
        highlighter: &MatchHighlighter,
    ) -> Result<Hit, IndexError> {
        let mut hit = self.load(address)?;
        hit.score = score;
        hit.snippet = highlighter.0.snippet(&hit.body);
        hit.body.clear();
        Ok(hit)
    }

    /// The other live documents of a near-duplicate story (by its hex id), up to `limit`.
    pub fn story_documents(
        &self,
        story: &str,
        except_id: &str,
        limit: usize,
    ) -> Result<Vec<Hit>, IndexError> {
        let Ok(story) = u64::from_str_radix(story, 16) else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let mut found = Vec::new();
        'segments: for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let Ok(stories) = segment.fast_fields().u64("story") else {
                continue;
            };
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if stories.first(doc) == Some(story) && alive.is_none_or(|a| a.is_alive(doc)) {
                    let hit = self.load(DocAddress::new(ordinal as u32, doc))?;
                    if hit.id != except_id {
                        found.push(hit);
                        if found.len() >= limit {
                            break 'segments;
                        }
                    }
                }
            }
        }
        for hit in &mut found {
            hit.body.clear();
        }
        found.sort_by(|a, b| a.published_at.cmp(&b.published_at).then(a.id.cmp(&b.id)));
        Ok(found)
    }
}

/// A query as a search runs it.
pub(crate) struct Prepared {
    /// The parsed query with the picked readings applied (what is highlighted).
    pub node: QueryNode,
    /// The tantivy query, date filters included.
    pub query: Box<dyn Query>,
    pub readings: Vec<WordReadings>,
}

/// Marks a query's matches in texts.
pub struct MatchHighlighter(Highlighter);

impl MatchHighlighter {
    pub fn new(node: &QueryNode) -> MatchHighlighter {
        MatchHighlighter(highlighter(node))
    }

    /// The highlighter of a search's hits: `node` with the picked readings applied.
    pub fn for_search(node: &QueryNode, options: &SearchOptions) -> MatchHighlighter {
        MatchHighlighter(highlighter(&node.with_readings(&options.readings)))
    }

    /// Byte ranges of the query's matched words in `text`.
    pub fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        self.0.matched_spans(text)
    }
}

fn highlighter(node: &QueryNode) -> Highlighter {
    let mut texts = Vec::new();
    node.positive_texts(&mut texts);
    Highlighter::new(&texts)
}

fn facet_counts(table: &FacetTable, counts: &[Vec<u64>; 3]) -> Facets {
    let list = |field: FacetField| {
        let f = field.position();
        let mut values: Vec<FacetCount> = counts[f]
            .iter()
            .zip(&table.names[f])
            .filter(|(&n, name)| n > 0 && !name.is_empty())
            .map(|(&docs, name)| FacetCount {
                value: name.clone(),
                docs,
            })
            .collect();
        values.sort_by(|a, b| b.docs.cmp(&a.docs).then_with(|| a.value.cmp(&b.value)));
        values
    };
    Facets {
        source: list(FacetField::Source),
        kind: list(FacetField::Kind),
        unit: list(FacetField::Unit),
    }
}

fn week_counts(weeks: &HashMap<i64, u64>, undated: u64) -> WeekCounts {
    let (Some(&first), Some(&last)) = (weeks.keys().min(), weeks.keys().max()) else {
        return WeekCounts {
            weeks: Vec::new(),
            undated,
        };
    };
    let weeks = (first..=last)
        .step_by(7)
        .filter_map(|monday| {
            Some(WeekCount {
                week_start: day_of(monday)?,
                docs: weeks.get(&monday).copied().unwrap_or(0),
            })
        })
        .collect();
    WeekCounts { weeks, undated }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mondays_in_vietnam() {
        // Sunday 2026-01-04 18:30 UTC is Monday 01:30 in Hà Nội.
        let ts = chrono::DateTime::parse_from_rfc3339("2026-01-04T18:30:00Z")
            .unwrap()
            .timestamp();
        assert_eq!(day_of(monday_of(ts)), NaiveDate::from_ymd_opt(2026, 1, 5));
        let ts = chrono::DateTime::parse_from_rfc3339("2026-01-04T16:59:59Z")
            .unwrap()
            .timestamp();
        assert_eq!(day_of(monday_of(ts)), NaiveDate::from_ymd_opt(2025, 12, 29));
        assert_eq!(
            day_of(monday_of(-86_400 * 400)),
            NaiveDate::from_ymd_opt(1968, 11, 25)
        );
    }
}
