//! Readings: the accented forms that the collection holds for a word typed without diacritics
//! (`tham nhung` → "tham nhũng" 209 · "thăm nhung" 3), found in the index itself.
//!
//! Candidates come from the term dictionaries: an automaton walks the segmenter-word field and
//! the syllable fields and keeps the terms whose accent-free form is the typed word or
//! syllable, so only forms that occur are visited. A form that is one segmenter word is
//! counted by the word field's document frequency, which the dictionary holds: documents
//! holding it as that word, which is what a one-word query means. Any other candidate is
//! counted exactly, as the phrase a search for it would match (one or a few posting lists of
//! pair terms, see `analyzer`), segment by segment. The readings of a word are
//! kept until the next commit; the phrase counts of a segment as long as the segment lives
//! unchanged, so after a commit of a live index only its new segments are counted.

use crate::query::{sequence_query, text_terms_folded, word_terms};
use crate::{IndexError, NhipIndex};
use serde::Serialize;
use std::collections::HashMap;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query};
use tantivy_fst::Automaton;

/// Forms of a segmenter word taken as candidates (the most frequent in the word field).
const WORD_FORMS: usize = 4;
/// Forms of each syllable combined into candidates.
const SYLLABLE_FORMS: usize = 3;
/// Syllable combinations counted, the most frequent first.
const SYLLABLE_CANDIDATES: usize = 6;
/// A reading is preferred (ranks first) when it has at least this share of the top reading's
/// documents: one clear reading usually, two when the text is truly ambiguous (`bien dong`).
const PREFERRED_SHARE: f64 = 0.3;

/// One accented form of a typed word and the documents that hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reading {
    /// The form, syllables separated by spaces, lower case (`tham nhũng`).
    pub text: String,
    /// Documents that contain it: as a word (`tham_nhũng` in the word field) when the form is
    /// one segmenter word, else as the phrase `"thăm nhung"` would match.
    pub docs: u64,
    /// Documents holding a preferred reading rank first.
    pub preferred: bool,
}

/// The readings of one accent-free word or phrase of a query, most frequent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordReadings {
    /// The word as it was typed (and grouped).
    pub word: String,
    pub readings: Vec<Reading>,
}

/// Accepts the terms whose accent-free form is `target` (folded syllables joined by `_`).
#[derive(Debug, Clone)]
struct FoldsTo<'a> {
    target: &'a [u8],
}

/// Where the automaton is: bytes of `target` matched, and a character being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FoldState {
    Dead,
    At {
        matched: usize,
        pending: [u8; 4],
        pending_len: u8,
    },
}

impl Automaton for FoldsTo<'_> {
    type State = FoldState;

    fn start(&self) -> FoldState {
        FoldState::At {
            matched: 0,
            pending: [0; 4],
            pending_len: 0,
        }
    }

    fn is_match(&self, state: &FoldState) -> bool {
        matches!(state, FoldState::At { matched, pending_len: 0, .. } if *matched == self.target.len())
    }

    fn can_match(&self, state: &FoldState) -> bool {
        *state != FoldState::Dead
    }

    fn accept(&self, state: &FoldState, byte: u8) -> FoldState {
        let FoldState::At {
            matched,
            mut pending,
            pending_len,
        } = *state
        else {
            return FoldState::Dead;
        };
        let rest = &self.target[matched..];
        if pending_len == 0 && byte.is_ascii() {
            // Terms are lower case already; ASCII folds to itself.
            return match rest.first() {
                Some(&b) if b == byte.to_ascii_lowercase() => FoldState::At {
                    matched: matched + 1,
                    pending,
                    pending_len: 0,
                },
                _ => FoldState::Dead,
            };
        }
        let Some(slot) = pending.get_mut(usize::from(pending_len)) else {
            return FoldState::Dead;
        };
        *slot = byte;
        let pending_len = pending_len + 1;
        let bytes = &pending[..usize::from(pending_len)];
        match std::str::from_utf8(bytes) {
            Ok(character) => {
                let folded = nhip_text::fold(character);
                match rest.strip_prefix(folded.as_bytes()) {
                    Some(_) => FoldState::At {
                        matched: matched + folded.len(),
                        pending: [0; 4],
                        pending_len: 0,
                    },
                    None => FoldState::Dead,
                }
            }
            // Incomplete: wait for the rest of the character.
            Err(e) if e.error_len().is_none() => FoldState::At {
                matched,
                pending,
                pending_len,
            },
            Err(_) => FoldState::Dead,
        }
    }
}

/// Readings already counted, for the index as one reader generation sees it: paging, facet
/// clicks and re-run queries do not count them again. Cleared when the reader moves on.
#[derive(Debug, Default)]
pub(crate) struct ReadingsCache {
    inner: std::sync::Mutex<(u64, HashMap<String, Vec<Reading>>)>,
}

/// Words kept before the cache starts over (a day of an office's queries is far fewer).
const CACHED_WORDS: usize = 4096;

impl ReadingsCache {
    fn get(&self, generation: u64, word: &str) -> Option<Vec<Reading>> {
        let inner = self.inner.lock().ok()?;
        (inner.0 == generation)
            .then(|| inner.1.get(word).cloned())
            .flatten()
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.1.clear();
        }
    }

    fn put(&self, generation: u64, word: &str, readings: &[Reading]) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.0 != generation || inner.1.len() >= CACHED_WORDS {
            inner.1.clear();
            inner.0 = generation;
        }
        inner.1.insert(word.to_string(), readings.to_vec());
    }
}

impl NhipIndex {
    /// The readings of every accent-free word or phrase in `texts` that the index holds.
    pub(crate) fn readings_of(&self, texts: &[String]) -> Result<Vec<WordReadings>, IndexError> {
        let generation = self.reader.searcher().generation().generation_id();
        let mut out: Vec<WordReadings> = Vec::new();
        for text in texts {
            let word = text_terms_folded(text).join(" ");
            if out.iter().any(|w| w.word == word) {
                continue;
            }
            let cached = self.readings_cache.get(generation, &word);
            let readings = match cached {
                Some(readings) => readings,
                None => {
                    let readings = self.text_readings(text)?;
                    self.readings_cache.put(generation, &word, &readings);
                    readings
                }
            };
            if !readings.is_empty() {
                out.push(WordReadings { word, readings });
            }
        }
        Ok(out)
    }

    /// Readings of one accent-free text. Candidates come from two places: the forms its
    /// segmenter words take in the word field, and combinations of each syllable's most
    /// frequent forms (a reading need not be a word of the documents: `thăm nhưng`). Each
    /// candidate is counted exactly, as the phrase a search for it would match.
    fn text_readings(&self, text: &str) -> Result<Vec<Reading>, IndexError> {
        let syllables = text_terms_folded(text);
        let mut candidates: Vec<Vec<String>> = Vec::new();
        let mut add = |candidate: Vec<String>| {
            let folded: Vec<String> = candidate
                .iter()
                .map(|s| nhip_text::fold(s).into_owned())
                .collect();
            // The phrase must be exactly the text's syllables (a word may hold glued tokens).
            if folded == syllables && !candidates.contains(&candidate) {
                candidates.push(candidate);
            }
        };
        let words = word_terms(text, true);
        let per_word = if words.len() > 1 { 2 } else { WORD_FORMS };
        // A one-word text's forms are counted already, as the documents holding each as that
        // word: an analyst typing `bao` means the word `bão`, not the `báo` of `thông báo`.
        let mut known: HashMap<Vec<String>, u64> = HashMap::new();
        let mut from_words: Vec<Vec<String>> = vec![Vec::new()];
        for word in &words {
            let forms = self.forms_in(&[self.fields.words_exact], word)?;
            if words.len() == 1 {
                for (form, docs) in forms.iter().take(per_word) {
                    known.insert(form.split('_').map(str::to_string).collect(), *docs);
                }
            }
            let mut next = Vec::new();
            for prefix in &from_words {
                for (form, _) in forms.iter().take(per_word) {
                    let mut combination = prefix.clone();
                    combination.extend(form.split('_').map(str::to_string));
                    next.push(combination);
                }
            }
            from_words = next;
        }
        from_words.into_iter().for_each(&mut add);
        // Syllable forms: combinations ordered by the product of their frequencies.
        let mut from_syllables: Vec<(Vec<String>, f64)> = vec![(Vec::new(), 1.0)];
        for syllable in &syllables {
            let forms =
                self.forms_in(&[self.fields.title_exact, self.fields.body_exact], syllable)?;
            let mut next = Vec::new();
            for (prefix, weight) in &from_syllables {
                for (form, frequency) in forms.iter().take(SYLLABLE_FORMS) {
                    let mut combination = prefix.clone();
                    combination.push(form.clone());
                    next.push((combination, weight * *frequency as f64));
                }
            }
            next.sort_by(|a, b| b.1.total_cmp(&a.1));
            next.truncate(SYLLABLE_CANDIDATES);
            from_syllables = next;
        }
        from_syllables.into_iter().for_each(|(c, _)| add(c));
        // Only the typed form occurs (`tp hcm`): there is nothing to choose between.
        if candidates.len() <= 1 && candidates.iter().all(|c| *c == syllables) {
            return Ok(Vec::new());
        }
        let mut readings = Vec::new();
        for candidate in candidates {
            let docs = match known.get(&candidate) {
                Some(&docs) => docs,
                None => self.phrase_docs(&candidate)?,
            };
            if docs > 0 {
                readings.push(Reading {
                    text: candidate.join(" "),
                    docs,
                    preferred: false,
                });
            }
        }
        readings.sort_by(|a, b| b.docs.cmp(&a.docs).then_with(|| a.text.cmp(&b.text)));
        let top = readings.first().map_or(0, |r| r.docs) as f64;
        for reading in &mut readings {
            reading.preferred = reading.docs as f64 >= PREFERRED_SHARE * top;
        }
        Ok(readings)
    }

    /// Terms of these fields whose accent-free form is `folded`, by document frequency.
    fn forms_in(
        &self,
        fields: &[tantivy::schema::Field],
        folded: &str,
    ) -> Result<Vec<(String, u64)>, IndexError> {
        let searcher = self.reader.searcher();
        let automaton = FoldsTo {
            target: folded.as_bytes(),
        };
        let mut frequency: HashMap<String, u64> = HashMap::new();
        for (segment, &field) in searcher
            .segment_readers()
            .iter()
            .flat_map(|s| fields.iter().map(move |f| (s, f)))
        {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .search(automaton.clone())
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    *frequency.entry(term.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut forms: Vec<(String, u64)> = frequency.into_iter().collect();
        forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(forms)
    }

    /// Live documents with these exact syllables in sequence in the title or the body, counted
    /// segment by segment: a segment's count is kept while the segment lives unchanged, so
    /// after a commit (a live index) only the new segments are counted.
    fn phrase_docs(&self, syllables: &[String]) -> Result<u64, IndexError> {
        let query = BooleanQuery::new(vec![
            (
                Occur::Should,
                sequence_query(self.fields.title_exact, syllables),
            ),
            (
                Occur::Should,
                sequence_query(self.fields.body_exact, syllables),
            ),
        ]);
        let searcher = self.reader.searcher();
        let key = syllables.join(" ");
        let mut weight = None;
        let mut total = 0u64;
        for segment in searcher.segment_readers() {
            let segment_key = (segment.segment_id(), segment.num_deleted_docs());
            if let Some(docs) = self.segment_counts.get(segment_key, &key) {
                total += docs;
                continue;
            }
            let weight = match &mut weight {
                Some(weight) => weight,
                None => {
                    weight.insert(query.weight(EnableScoring::disabled_from_searcher(&searcher))?)
                }
            };
            let docs = u64::from(weight.count(segment)?);
            self.segment_counts.put(segment_key, &key, docs);
            total += docs;
        }
        self.segment_counts.keep_only(
            searcher
                .segment_readers()
                .iter()
                .map(|s| (s.segment_id(), s.num_deleted_docs())),
        );
        Ok(total)
    }
}

/// A segment as counted: its id and how many of its documents were deleted then.
type SegmentKey = (tantivy::index::SegmentId, u32);

/// Phrase counts per segment, kept while the segment is part of the index unchanged.
#[derive(Default)]
pub(crate) struct SegmentCounts {
    inner: std::sync::Mutex<HashMap<SegmentKey, HashMap<String, u64>>>,
}

/// Phrases kept per segment before that segment's counts start over.
const COUNTED_PHRASES: usize = 16_384;

impl SegmentCounts {
    fn get(&self, segment: SegmentKey, phrase: &str) -> Option<u64> {
        let inner = self.inner.lock().ok()?;
        inner.get(&segment)?.get(phrase).copied()
    }

    fn put(&self, segment: SegmentKey, phrase: &str, docs: u64) {
        if let Ok(mut inner) = self.inner.lock() {
            let counts = inner.entry(segment).or_default();
            if counts.len() >= COUNTED_PHRASES {
                counts.clear();
            }
            counts.insert(phrase.to_string(), docs);
        }
    }

    /// Forgets the segments merged away or changed by deletes.
    fn keep_only(&self, live: impl Iterator<Item = SegmentKey>) {
        if let Ok(mut inner) = self.inner.lock() {
            let live: std::collections::HashSet<SegmentKey> = live.collect();
            inner.retain(|segment, _| live.contains(segment));
        }
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy_fst::Automaton;

    fn accepts(target: &str, term: &str) -> bool {
        let automaton = FoldsTo {
            target: target.as_bytes(),
        };
        let mut state = automaton.start();
        for &b in term.as_bytes() {
            state = automaton.accept(&state, b);
            if !automaton.can_match(&state) {
                return false;
            }
        }
        automaton.is_match(&state)
    }

    #[test]
    fn automaton_accepts_every_accented_form_and_nothing_else() {
        for term in ["tham_nhũng", "thăm_nhung", "tham_nhung", "thâm_nhũng"] {
            assert!(accepts("tham_nhung", term), "{term}");
        }
        for term in [
            "tham",
            "tham_nhũng_x",
            "than_nhũng",
            "tham nhũng",
            "thamnhung",
        ] {
            assert!(!accepts("tham_nhung", term), "{term}");
        }
        assert!(accepts("da_nang", "đà_nẵng"));
        assert!(accepts("biet", "biệt"));
    }
}
