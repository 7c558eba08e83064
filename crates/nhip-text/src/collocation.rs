//! Proposing new multi-syllable terms from a user's own corpus.
//!
//! Syllable pairs and triples that occur together far more often than chance are candidates
//! for words the dictionary lacks (unit names, place names, local jargon). Association is the
//! log-likelihood ratio G² (Dunning 1993), robust for rare events; a triple is scored as the
//! pair (first two syllables, third). Candidates the dictionary already knows, and those that
//! begin or end with a function word, are left out. The user accepts candidates by adding them
//! to a word list.

use crate::normalize::exact_term;
use crate::segment::Segmenter;
use crate::token::TokenKind;
use std::collections::HashMap;

/// Syllables that do not begin or end a term: function words and classifiers.
const EDGE_STOP: &[&str] = &[
    "của", "và", "là", "các", "những", "được", "trong", "cho", "với", "có", "không", "đã", "sẽ",
    "này", "một", "thì", "mà", "để", "đến", "từ", "theo", "về", "tại", "ở", "do", "bị", "khi",
    "cũng", "đang", "nhiều", "như", "nên", "vì", "nhưng", "hay", "hoặc", "rất", "lại", "ra", "vào",
    "đó", "này", "ấy", "người", "việc", "sau", "trước", "trên", "dưới", "nào", "gì",
];

/// A proposed term.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Syllables in lower case, separated by spaces.
    pub term: String,
    pub count: u64,
    /// G² of the association; higher is stronger.
    pub score: f64,
}

/// Options of [`propose_terms`].
#[derive(Debug, Clone)]
pub struct ProposeOptions {
    pub min_count: u64,
    pub limit: usize,
}

impl Default for ProposeOptions {
    fn default() -> Self {
        ProposeOptions {
            min_count: 5,
            limit: 100,
        }
    }
}

/// Dunning's log-likelihood ratio G² of a 2×2 contingency table: `k11` events of interest in
/// the first sample, `k12` others in it; `k21`, `k22` likewise in the second. 0 for
/// independence (or an impossible table), growing with the strength of the association.
///
/// ```
/// assert!(nhip_text::g2(25.0, 25.0, 25.0, 25.0).abs() < 1e-9);
/// assert!(nhip_text::g2(40.0, 10.0, 10.0, 40.0) > 10.0);
/// ```
pub fn g2(k11: f64, k12: f64, k21: f64, k22: f64) -> f64 {
    if k11.min(k12).min(k21).min(k22) < 0.0 {
        return 0.0;
    }
    let n = k11 + k12 + k21 + k22;
    let term = |k: f64, row: f64, col: f64| {
        if k > 0.0 {
            k * (k * n / (row * col)).ln()
        } else {
            0.0
        }
    };
    let (r1, r2, c1, c2) = (k11 + k12, k21 + k22, k11 + k21, k12 + k22);
    2.0 * (term(k11, r1, c1) + term(k12, r1, c2) + term(k21, r2, c1) + term(k22, r2, c2))
}

/// Counts n-grams of syllables over `texts` and returns the strongest new terms.
///
/// ```
/// use nhip_text::{propose_terms, ProposeOptions, Segmenter};
/// let texts = vec!["Tổ công tác Minh Hòa kiểm tra đê.".to_string(); 6];
/// let found = propose_terms(texts.iter().map(String::as_str), Segmenter::builtin(), &ProposeOptions::default());
/// assert!(found.iter().any(|c| c.term == "minh hòa"));
/// ```
pub fn propose_terms<'t>(
    texts: impl Iterator<Item = &'t str>,
    segmenter: &Segmenter,
    options: &ProposeOptions,
) -> Vec<Candidate> {
    let mut counts = Counts::default();
    for text in texts {
        let segmented = segmenter.segment(text);
        let mut word_start = vec![false; segmented.tokens.len() + 1];
        for word in &segmented.words {
            word_start[word.tokens.start] = true;
        }
        word_start[segmented.tokens.len()] = true;
        let mut run: Vec<Syllable> = Vec::new();
        let mut last_end = 0;
        for (i, token) in segmented.tokens.iter().enumerate() {
            // Punctuation, numbers and line breaks end a run: terms do not cross them.
            if token.kind != TokenKind::Word || text[last_end..token.start].contains('\n') {
                counts.add_run(&run);
                run.clear();
            }
            if token.kind == TokenKind::Word {
                run.push(Syllable {
                    text: exact_term(token.text),
                    starts_word: word_start[i],
                    ends_word: word_start[i + 1],
                });
            }
            last_end = token.end;
        }
        counts.add_run(&run);
    }
    let Counts {
        unigrams,
        bigrams,
        all_bigrams,
        trigrams,
        total,
    } = counts;
    let n = total as f64;
    let unigram = |s: &String| unigrams.get(s).copied().unwrap_or(0) as f64;
    let stop =
        |s: &String| EDGE_STOP.contains(&s.as_str()) || s.chars().count() < 2 && s.is_ascii();
    let mut candidates = Vec::new();
    for ((a, b), &k) in &bigrams {
        if k < options.min_count || stop(a) || stop(b) {
            continue;
        }
        let (ca, cb, k) = (unigram(a), unigram(b), k as f64);
        if k * n > ca * cb {
            candidates.push(Candidate {
                term: format!("{a} {b}"),
                count: k as u64,
                score: g2(k, ca - k, cb - k, n - ca - cb + k),
            });
        }
    }
    for ((a, b, c), &k) in &trigrams {
        if k < options.min_count || stop(a) || stop(c) {
            continue;
        }
        let cab = all_bigrams
            .get(&(a.clone(), b.clone()))
            .copied()
            .unwrap_or(0) as f64;
        let (cc, k) = (unigram(c), k as f64);
        if k * n > cab * cc {
            candidates.push(Candidate {
                term: format!("{a} {b} {c}"),
                count: k as u64,
                score: g2(k, cab - k, cc - k, n - cab - cc + k),
            });
        }
    }
    candidates.retain(|c| !segmenter.contains(&c.term));
    candidates.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| x.term.cmp(&y.term))
    });
    candidates.truncate(options.limit);
    candidates
}

struct Syllable {
    text: String,
    starts_word: bool,
    ends_word: bool,
}

#[derive(Default)]
struct Counts {
    unigrams: HashMap<String, u64>,
    /// Pairs that begin and end on word boundaries: bigram candidates.
    bigrams: HashMap<(String, String), u64>,
    /// Every adjacent pair: the marginal of a triple's first two syllables.
    all_bigrams: HashMap<(String, String), u64>,
    trigrams: HashMap<(String, String, String), u64>,
    total: u64,
}

impl Counts {
    /// Counts syllables and pairs, and the candidate pairs and triples that begin and end on
    /// word boundaries: a candidate never cuts a word the segmenter knows in half.
    fn add_run(&mut self, run: &[Syllable]) {
        for (i, s) in run.iter().enumerate() {
            self.total += 1;
            *self.unigrams.entry(s.text.clone()).or_default() += 1;
            if let Some(b) = run.get(i + 1) {
                *self
                    .all_bigrams
                    .entry((s.text.clone(), b.text.clone()))
                    .or_default() += 1;
            }
            if !s.starts_word {
                continue;
            }
            if let Some(b) = run.get(i + 1).filter(|b| b.ends_word) {
                *self
                    .bigrams
                    .entry((s.text.clone(), b.text.clone()))
                    .or_default() += 1;
            }
            if let (Some(b), Some(c)) = (run.get(i + 1), run.get(i + 2).filter(|c| c.ends_word)) {
                *self
                    .trigrams
                    .entry((s.text.clone(), b.text.clone(), c.text.clone()))
                    .or_default() += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_new_terms_and_skips_known_ones() {
        let mut texts = Vec::new();
        for i in 0..8 {
            texts.push(format!("Đội xung kích Phú Lộc hỗ trợ bà con lần {i}."));
            texts.push(format!(
                "Cộng tác viên ghi nhận ý kiến số {i}, hỗ trợ kịp thời."
            ));
        }
        let found = propose_terms(
            texts.iter().map(String::as_str),
            Segmenter::builtin(),
            &ProposeOptions::default(),
        );
        let terms: Vec<&str> = found.iter().map(|c| c.term.as_str()).collect();
        assert!(
            terms.contains(&"xung kích phú") || terms.contains(&"phú lộc"),
            "{terms:?}"
        );
        // Known words (hỗ trợ, cộng tác viên) are not proposed.
        assert!(
            !terms.contains(&"hỗ trợ") && !terms.contains(&"cộng tác viên"),
            "{terms:?}"
        );
        assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn g2_is_zero_for_independence() {
        assert!(g2(25.0, 25.0, 25.0, 25.0).abs() < 1e-9);
        assert!(g2(40.0, 10.0, 10.0, 40.0) > 10.0);
    }
}
