//! Training the segmenter on gold segmentations, and scoring it.
//!
//! Training is an averaged perceptron over the model-decided gaps, decoded greedily left to
//! right exactly as at run time (the previous decision is a feature). Sentences are visited in
//! an order drawn from a fixed seed, so the same data always gives the same model.

use super::dictionary::word_ends;
use super::features::{gap_feature_slots, gap_rule, shape, GapRule, Syllable, FEATURES_PER_GAP};
use super::hash::syllable_hash;
use super::model::{Model, TABLE_BITS};
use super::{SegmentError, Segmenter};
use crate::token::tokenize;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// One gold sentence: its words, syllables separated by single spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSentence {
    pub words: Vec<String>,
}

impl GoldSentence {
    /// The raw text: words joined by spaces.
    pub fn raw(&self) -> String {
        self.words.join(" ")
    }

    /// Byte spans of the gold words in [`GoldSentence::raw`].
    fn spans(&self) -> HashSet<(usize, usize)> {
        let mut spans = HashSet::with_capacity(self.words.len());
        let mut at = 0;
        for word in &self.words {
            spans.insert((at, at + word.len()));
            at += word.len() + 1;
        }
        spans
    }
}

/// Reads gold sentences from a `.conllu` file (FORM column) or a segmented text file (one
/// sentence a line, words separated by spaces, syllables joined by `_`).
pub fn read_gold(path: &Path) -> Result<Vec<GoldSentence>, SegmentError> {
    let text = std::fs::read_to_string(path).map_err(|source| SegmentError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut sentences = Vec::new();
    if path.extension().is_some_and(|e| e == "conllu") {
        let mut words = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                if !words.is_empty() {
                    sentences.push(GoldSentence {
                        words: std::mem::take(&mut words),
                    });
                }
                continue;
            }
            if line.starts_with('#') {
                continue;
            }
            let mut columns = line.split('\t');
            let id = columns.next().unwrap_or("");
            let form = columns.next().ok_or_else(|| SegmentError::Gold {
                path: path.to_owned(),
                line: n + 1,
                message: "expected tab-separated CoNLL-U columns".into(),
            })?;
            if id.contains('-') || id.contains('.') {
                continue;
            }
            words.push(form.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        if !words.is_empty() {
            sentences.push(GoldSentence { words });
        }
    } else {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            sentences.push(GoldSentence {
                words: line
                    .split_whitespace()
                    .map(|w| w.replace('_', " "))
                    .collect(),
            });
        }
    }
    Ok(sentences)
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub seed: u64,
    /// Also train on an accent-free copy of every sentence, for text typed without diacritics.
    pub accent_free_copies: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 10,
            seed: 2026,
            accent_free_copies: true,
        }
    }
}

struct Example {
    syllables: Vec<Syllable>,
    gold_joins: Vec<bool>,
}

fn example(sentence: &GoldSentence) -> Example {
    let raw = sentence.raw();
    let gold_ends: HashSet<usize> = sentence.spans().into_iter().map(|(_, end)| end).collect();
    let mut syllables = Vec::new();
    let mut gold_joins = Vec::new();
    let mut last_end = 0;
    for (i, t) in tokenize(&raw).enumerate() {
        if i > 0 {
            gold_joins.push(!gold_ends.contains(&last_end));
        }
        syllables.push(Syllable {
            hash: syllable_hash(t.text),
            shape: shape(t.text, t.kind),
            kind: t.kind,
            space_before: i > 0 && t.start > last_end,
        });
        last_end = t.end;
    }
    Example {
        syllables,
        gold_joins,
    }
}

/// The sentence as typed without diacritics (case kept).
pub fn accent_free(sentence: &GoldSentence) -> GoldSentence {
    let fold_keep_case = |c: char| {
        let mut buffer = [0; 4];
        let folded = crate::fold(c.encode_utf8(&mut buffer));
        let mut chars = folded.chars();
        match (chars.next(), chars.next()) {
            (Some(f), None) if c.is_uppercase() => f.to_ascii_uppercase(),
            (Some(f), None) => f,
            _ => c,
        }
    };
    GoldSentence {
        words: sentence
            .words
            .iter()
            .map(|w| w.chars().map(fold_keep_case).collect())
            .collect(),
    }
}

/// Trains a model on `sentences` and returns a segmenter using it with the shipped word lists.
pub fn train(sentences: &[GoldSentence], options: &TrainOptions) -> Segmenter {
    let base = Segmenter::with_model(Model::zero());
    let mut examples: Vec<Example> = sentences.iter().map(example).collect();
    if options.accent_free_copies {
        examples.extend(sentences.iter().map(|s| example(&accent_free(s))));
    }
    let mut weights = vec![0f32; 1 << TABLE_BITS];
    let mut totals = vec![0f64; weights.len()];
    let mut step: f64 = 1.0;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut state = options.seed | 1;
    let mut features = [0u32; FEATURES_PER_GAP];
    let (mut starts, mut ends) = (Vec::new(), Vec::new());
    for _ in 0..options.epochs {
        // Fisher–Yates with xorshift: reproducible everywhere.
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        for &index in &order {
            let ex = &examples[index];
            base.dictionary.word_starts(&ex.syllables, &mut starts);
            word_ends(&starts, &mut ends);
            let mut prev = false;
            for (gap, &gold) in ex.gold_joins.iter().enumerate() {
                let decided = match gap_rule(&ex.syllables, gap) {
                    GapRule::Join => true,
                    GapRule::Split => false,
                    GapRule::Model => {
                        gap_feature_slots(&ex.syllables, &starts, &ends, gap, prev, &mut features);
                        let predicted = features
                            .iter()
                            .map(|&slot| weights[slot as usize])
                            .sum::<f32>()
                            > 0.0;
                        if predicted != gold {
                            let delta = if gold { 1.0 } else { -1.0 };
                            for &slot in &features {
                                let slot = slot as usize;
                                weights[slot] += delta;
                                totals[slot] += step * f64::from(delta);
                            }
                        }
                        step += 1.0;
                        predicted
                    }
                };
                prev = decided;
            }
        }
    }
    for (w, total) in weights.iter_mut().zip(&totals) {
        *w -= (*total / step) as f32;
    }
    Segmenter {
        model: Arc::new(Model::from_dense(&weights)),
        ..base
    }
}

impl Segmenter {
    /// The model in its file format, for `data/model/segmenter.bin`.
    pub fn model_bytes(&self) -> Vec<u8> {
        self.model.to_bytes()
    }
}

/// Word precision, recall and F1 against gold, computed like `score_ws.py` (spans of words,
/// punctuation counted as words).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub gold_words: usize,
    pub system_words: usize,
    pub correct: usize,
}

impl Scores {
    pub fn precision(&self) -> f64 {
        100.0 * self.correct as f64 / self.system_words.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        100.0 * self.correct as f64 / self.gold_words.max(1) as f64
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Scores a segmenter on gold sentences.
pub fn evaluate(segmenter: &Segmenter, gold: &[GoldSentence]) -> Scores {
    let mut scores = Scores::default();
    for sentence in gold {
        let raw = sentence.raw();
        let expected = sentence.spans();
        let got = segmenter.segment(&raw);
        scores.gold_words += expected.len();
        scores.system_words += got.words.len();
        scores.correct += got
            .words
            .iter()
            .filter(|w| expected.contains(&(w.start, w.end)))
            .count();
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(lines: &[&str]) -> Vec<GoldSentence> {
        lines
            .iter()
            .map(|l| GoldSentence {
                words: l.split(' ').map(|w| w.replace('_', " ")).collect(),
            })
            .collect()
    }

    #[test]
    fn learns_and_is_reproducible() {
        let data = gold(&[
            "học_sinh đi học .",
            "học_sinh chăm_chỉ .",
            "cô giáo khen học_sinh .",
            "nhà_trường có nhiều học_sinh giỏi .",
        ]);
        let options = TrainOptions {
            epochs: 5,
            seed: 7,
            accent_free_copies: true,
        };
        let a = train(&data, &options);
        let b = train(&data, &options);
        assert_eq!(a.model_bytes(), b.model_bytes());
        let scores = evaluate(&a, &data);
        assert_eq!(scores.gold_words, 18);
        assert!(scores.f1() > 90.0, "{scores:?}");
        let reloaded = Segmenter::with_model(Model::from_bytes(&a.model_bytes()).unwrap());
        assert_eq!(evaluate(&reloaded, &data), scores);
    }

    #[test]
    fn reads_both_gold_formats() {
        let dir = std::env::temp_dir().join(format!("nhip-gold-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let conllu = dir.join("g.conllu");
        std::fs::write(&conllu, "# text = x\n1\tHọc sinh\t_\n2\tđi\t_\n\n1\tA\t_\n").unwrap();
        let seg = dir.join("g.seg.txt");
        std::fs::write(&seg, "Học_sinh đi\nA\n").unwrap();
        assert_eq!(read_gold(&conllu).unwrap(), read_gold(&seg).unwrap());
        assert_eq!(read_gold(&seg).unwrap()[0].words, ["Học sinh", "đi"]);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
