//! Emerging terms: the words whose share of a week's documents rose most against the trailing
//! weeks, scored by log-likelihood (G²).
//!
//! Terms are the segmenter's words as indexed (`tham_nhũng` is one term), counted once per
//! document. A term must appear in at least [`MIN_WEEK_DOCS`] documents of the week, be more
//! frequent than in the [`TRAILING_WEEKS`] weeks before, and rise significantly (G² ≥
//! [`MIN_G2`]); numbers, single letters and the stop words of `data/stopwords.txt` are left out.

use crate::{TrendError, WeeklyReport};
use nhip_index::NhipIndex;
use polars::prelude::*;
use std::collections::{HashMap, HashSet};
use tantivy::DocAddress;

const STOPWORDS: &str = include_str!("../../../data/stopwords.txt");
/// Fewest documents of the week a term must appear in.
pub const MIN_WEEK_DOCS: u32 = 3;
/// Weeks before the week that form its baseline.
pub const TRAILING_WEEKS: usize = 8;
/// Terms reported per week.
pub const TERMS_PER_WEEK: usize = 10;
/// Example documents per term.
pub const EXAMPLES: usize = 3;
const NO_WEEK: u32 = u32::MAX;

/// Least G² reported: a rise significant at p < 0.01 (χ² with one degree of freedom).
pub const MIN_G2: f64 = 6.63;

fn stopwords() -> HashSet<String> {
    STOPWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.replace(' ', "_"))
        .collect()
}

fn is_candidate(term: &str, stop: &HashSet<String>) -> bool {
    term.chars().count() >= 2
        && term.chars().all(|c| c.is_alphabetic() || c == '_')
        && !stop.contains(term)
}

/// One scored term of one week.
struct Emerging {
    week: usize,
    term: String,
    docs: u32,
    baseline: f64,
    g2: f64,
}

/// Documents per week of every candidate term: the counts emerging terms are scored from.
/// The index path reads them from the word postings; the Spark path (`nhip trends --counts`)
/// from its `word_weeks` table.
#[derive(Debug, Clone, Default)]
pub struct WordCounts {
    /// Term (as indexed, `_` inside a word) → (week start, documents), any order.
    pub terms: HashMap<String, Vec<(chrono::NaiveDate, u32)>>,
    /// Example document ids per (term, week start), when the counts carry them.
    pub examples: HashMap<(String, chrono::NaiveDate), Vec<String>>,
}

/// Whether a word is counted for emerging terms at all: at least two letters, letters only,
/// not a stop word. The Spark path applies it to `nhip match`'s words too.
pub fn is_counted_word(term: &str) -> bool {
    static STOP: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
    is_candidate(term, STOP.get_or_init(stopwords))
}

/// The `emerging_terms` table for every week of `report` with some history.
pub fn emerging_terms(index: &NhipIndex, report: &WeeklyReport) -> Result<DataFrame, TrendError> {
    let week_of: HashMap<chrono::NaiveDate, usize> = report
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| (w.start, i))
        .collect();
    // Week of every document, by segment and document number (NO_WEEK when undated).
    let mut doc_week: Vec<Vec<u32>> = Vec::new();
    let mut totals = vec![0u32; report.weeks.len()];
    for m in index.dated_matches(None)? {
        if let Some(&w) = m
            .published_at
            .and_then(crate::week_start_of)
            .and_then(|d| week_of.get(&d))
        {
            let segment = m.address.segment_ord as usize;
            if doc_week.len() <= segment {
                doc_week.resize(segment + 1, Vec::new());
            }
            let docs = &mut doc_week[segment];
            let doc = m.address.doc_id as usize;
            if docs.len() <= doc {
                docs.resize(doc + 1, NO_WEEK);
            }
            docs[doc] = w as u32;
            totals[w] += 1;
        }
    }
    let week_of_doc = |d: &DocAddress| -> Option<usize> {
        let w = *doc_week
            .get(d.segment_ord as usize)?
            .get(d.doc_id as usize)?;
        (w != NO_WEEK).then_some(w as usize)
    };
    let stop = stopwords();
    // Documents per term per week (sparse, weeks ascending), merged over index segments.
    let mut counts: HashMap<String, Vec<(usize, u32)>> = HashMap::new();
    let mut dense = vec![0u32; report.weeks.len()];
    let mut touched: Vec<usize> = Vec::new();
    index.for_each_word(|term, docs| {
        if !is_candidate(term, &stop) {
            return;
        }
        for doc in docs {
            if let Some(w) = week_of_doc(doc) {
                if dense[w] == 0 {
                    touched.push(w);
                }
                dense[w] += 1;
            }
        }
        if touched.is_empty() {
            return;
        }
        let entry = counts.entry(term.to_string()).or_default();
        for &w in &touched {
            match entry.iter_mut().find(|(week, _)| *week == w) {
                Some((_, n)) => *n += dense[w],
                None => entry.push((w, dense[w])),
            }
            dense[w] = 0;
        }
        touched.clear();
    })?;
    let chosen = choose(&counts, &totals);

    // Example documents for the chosen terms only.
    let wanted: HashSet<(&str, usize)> = chosen.iter().map(|e| (e.term.as_str(), e.week)).collect();
    let mut examples: HashMap<(String, usize), Vec<DocAddress>> = HashMap::new();
    index.for_each_word(|term, docs| {
        for doc in docs {
            if let Some(w) = week_of_doc(doc) {
                if wanted.contains(&(term, w)) {
                    examples
                        .entry((term.to_string(), w))
                        .or_default()
                        .push(*doc);
                }
            }
        }
    })?;
    // The examples are the smallest ids of the term's documents that week: where the writer's
    // threads put documents must not choose them, and the Spark path chooses the same.
    table(report, &chosen, |e| {
        let addresses = examples
            .get(&(e.term.clone(), e.week))
            .map_or(&[][..], Vec::as_slice);
        let mut ids = index.ids_of(addresses)?;
        ids.sort();
        ids.dedup();
        ids.truncate(EXAMPLES);
        Ok(ids)
    })
}

/// The `emerging_terms` table from counts (`nhip trends --counts`): the same scoring, weekly
/// totals from `report` (every dated document of the week).
pub fn emerging_from_counts(
    report: &WeeklyReport,
    words: &WordCounts,
) -> Result<DataFrame, TrendError> {
    let week_of: HashMap<chrono::NaiveDate, usize> = report
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| (w.start, i))
        .collect();
    let totals: Vec<u32> = report
        .week_totals()
        .into_iter()
        .map(|t| u32::try_from(t).unwrap_or(0))
        .collect();
    let mut counts: HashMap<String, Vec<(usize, u32)>> = HashMap::new();
    for (term, weeks) in &words.terms {
        if !is_counted_word(term) {
            continue;
        }
        let mut list: Vec<(usize, u32)> = Vec::new();
        for (day, docs) in weeks {
            if let Some(&w) = week_of.get(day) {
                match list.iter_mut().find(|(week, _)| *week == w) {
                    Some((_, n)) => *n += docs,
                    None => list.push((w, *docs)),
                }
            }
        }
        if !list.is_empty() {
            counts.insert(term.clone(), list);
        }
    }
    let chosen = choose(&counts, &totals);
    table(report, &chosen, |e| {
        let start = report.weeks[e.week].start;
        Ok(words
            .examples
            .get(&(e.term.clone(), start))
            .map(|ids| ids.iter().take(EXAMPLES).cloned().collect())
            .unwrap_or_default())
    })
}

/// The best [`TERMS_PER_WEEK`] rising terms of every week, weeks in order.
fn choose(counts: &HashMap<String, Vec<(usize, u32)>>, totals: &[u32]) -> Vec<Emerging> {
    let mut best: Vec<Vec<Emerging>> = (0..totals.len()).map(|_| Vec::new()).collect();
    for (term, weeks) in counts {
        for &(w, docs) in weeks {
            if docs < MIN_WEEK_DOCS {
                continue;
            }
            let start = w.saturating_sub(TRAILING_WEEKS);
            let before: u32 = weeks
                .iter()
                .filter(|(b, _)| (start..w).contains(b))
                .map(|(_, n)| n)
                .sum();
            let (n1, n2) = (
                f64::from(totals[w]),
                (start..w).map(|b| f64::from(totals[b])).sum::<f64>(),
            );
            let (a, c) = (f64::from(docs), f64::from(before));
            if docs < MIN_WEEK_DOCS || n2 == 0.0 || a / n1 <= c / n2 {
                continue;
            }
            let g2 = nhip_text::g2(a, n1 - a, c, n2 - c);
            if g2 >= MIN_G2 {
                best[w].push(Emerging {
                    week: w,
                    term: term.clone(),
                    docs,
                    baseline: c / (w - start) as f64,
                    g2,
                });
            }
        }
    }
    let mut chosen: Vec<Emerging> = Vec::new();
    for mut week in best {
        week.sort_by(|x, y| y.g2.total_cmp(&x.g2).then_with(|| x.term.cmp(&y.term)));
        chosen.extend(week.into_iter().take(TERMS_PER_WEEK));
    }
    chosen
}

/// The table of the chosen terms, with each one's example document ids.
fn table(
    report: &WeeklyReport,
    chosen: &[Emerging],
    mut examples: impl FnMut(&Emerging) -> Result<Vec<String>, TrendError>,
) -> Result<DataFrame, TrendError> {
    let (mut years, mut numbers, mut starts, mut ranks) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut terms, mut docs, mut baselines, mut scores, mut ids) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, e) in chosen.iter().enumerate() {
        let same_week_before = i > 0 && chosen[i - 1].week == e.week;
        ranks.push(if same_week_before {
            ranks[i - 1] + 1
        } else {
            1i32
        });
        let week = report.weeks[e.week];
        years.push(week.year);
        numbers.push(week.week as i32);
        starts.push(week.start);
        let example_ids = examples(e)?;
        terms.push(e.term.replace('_', " "));
        docs.push(i64::from(e.docs));
        baselines.push(e.baseline);
        scores.push(e.g2);
        ids.push(example_ids.join(" "));
    }
    Ok(df!(
        "iso_year" => years,
        "iso_week" => numbers,
        "week_start" => starts,
        "rank" => ranks,
        "term" => terms,
        "docs" => docs,
        "baseline_docs" => baselines,
        "g2" => scores,
        "example_ids" => ids,
    )?)
}
