//! Proposing new multi-syllable terms from a user's own corpus.
//!
//! Syllable pairs and triples that occur together far more often than chance are candidates
//! for words the dictionary lacks (unit names, place names, local jargon). Association is the
//! log-likelihood ratio G² (Dunning 1993), robust for rare events; a triple is scored as the
//! pair (first two syllables, third). Candidates are aligned on the segmenter's word
//! boundaries, so a candidate never cuts a word the segmenter knows in half.
//!
//! What is proposed is what a word list would change: candidates that neither the dictionary
//! nor the user's word lists hold, weighted by the share of their occurrences the model splits.
//! Collocations of general language (`bên cạnh`, `năm nay`) are as strongly associated as
//! names, so the ranking also weighs what sets a term apart ([`Candidate::rank`]): names and
//! organisations are capitalised inside sentences, and a topic's terms gather in the documents
//! about it (their residual IDF, the log ratio of the documents a Poisson spread of their
//! occurrences would reach to the documents they do reach; Church and Gale 1995), while general
//! words spread evenly. Phrases built around a term rather than being one are left out: those
//! that begin or end with a function word, hold one in the middle, repeat a syllable, mostly
//! follow a number (`tỷ đồng`), put a person's title or a lower-case common noun before a name
//! (`ông Trump`, `tỉnh Gia Lai`: the name is the term), put lower-case words after a
//! one-syllable name (`Iran tuyên bố`), or are a piece of a longer unit that nearly always
//! comes with the same neighbour (`đồng hồ đếm` of `Đồng hồ đếm ngược`).

use crate::normalize::exact_term;
use crate::segment::Segmenter;
use crate::token::{tokenize, TokenKind};
use std::collections::HashMap;

/// Function words: they do not begin or end a term.
const FUNCTION_WORDS: &[&str] = &[
    "của", "và", "là", "các", "những", "được", "trong", "cho", "với", "có", "không", "đã", "sẽ",
    "này", "một", "thì", "mà", "để", "đến", "từ", "theo", "về", "tại", "ở", "do", "bị", "khi",
    "cũng", "đang", "nhiều", "như", "nên", "vì", "nhưng", "hay", "hoặc", "rất", "lại", "ra", "vào",
    "đó", "ấy", "người", "việc", "sau", "trước", "trên", "dưới", "nào", "gì",
];

/// Classifiers, quantifiers, degree words and modifiers: they make phrases of the words they
/// go with (`cuộc tấn công`, `cao nhất`, `năm nay`, `phía đông`, `nữ ca sĩ`), so they do not
/// begin or end a term either.
const PHRASE_EDGES: &[&str] = &[
    "cuộc", "vụ", "mối", "vài", "chiếc", "cơn", "nhất", "hơn", "rồi", "còn", "vẫn", "chưa", "đây",
    "nay", "phía", "nữ",
];

/// Syllables that join two parts of a phrase (or mark a verb) rather than sit inside a term.
const MIDDLE_STOP: &[&str] = &[
    "và", "của", "là", "với", "cho", "hoặc", "hay", "thì", "mà", "ở", "tại", "từ", "đến", "vào",
    "rất", "đã", "sẽ", "đang", "bị", "được", "cũng", "vẫn", "không",
];

/// Titles that come before a person's name (`ông Trump`, `HLV Arteta`): the name is the term.
const PERSON_TITLES: &[&str] = &[
    "ông",
    "bà",
    "anh",
    "chị",
    "cô",
    "chú",
    "bác",
    "cụ",
    "em",
    "tổng thống",
    "thủ tướng",
    "chủ tịch",
    "bộ trưởng",
    "thứ trưởng",
    "giám đốc",
    "tổng giám đốc",
    "tổng bí thư",
    "bí thư",
    "ngoại trưởng",
    "đại sứ",
    "hlv",
    "nsưt",
    "nsnd",
    "ca sĩ",
    "diễn viên",
    "đạo diễn",
    "nhạc sĩ",
    "nghệ sĩ",
    "người mẫu",
    "hoa hậu",
    "á hậu",
    "tiền đạo",
    "tiền vệ",
    "hậu vệ",
    "thủ môn",
    "cầu thủ",
    "danh thủ",
    "luật sư",
    "bác sĩ",
    "tiến sĩ",
    "giáo sư",
    "nhà báo",
    "tỷ phú",
    "đại tá",
    "thượng tá",
    "trung tá",
    "thiếu tá",
    "đại úy",
    "thượng úy",
    "trung úy",
    "tướng",
];

/// Share of occurrences at which a pattern decides (after a number, before a name, always
/// with one neighbour).
const MOSTLY: f64 = 0.8;

/// Fewest documents a proposal occurs in (all of them when there are fewer).
const MIN_DOCUMENTS: u64 = 3;

/// How steeply the ranking discounts general language: G² is multiplied by the termhood
/// (0–1) to this power.
const TERMHOOD_POWER: i32 = 3;

/// Candidates examined for fragments and examples, per candidate asked for.
const SHORTLIST_FACTOR: usize = 4;

/// Whether the segmenter already knows a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// Neither the dictionary nor the user's word lists hold it, and the model splits it in
    /// some of its occurrences: adding it to a word list changes the segmentation.
    New,
    /// The model keeps it whole in most of its occurrences (a name it learned, such as
    /// `hà nội`): a word list would change little.
    Model,
    /// The shipped dictionary or a user word list holds it.
    Dictionary,
}

impl Known {
    pub fn as_str(self) -> &'static str {
        match self {
            Known::New => "new",
            Known::Model => "model",
            Known::Dictionary => "dictionary",
        }
    }
}

/// A proposed term.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Syllables in lower case, separated by spaces.
    pub term: String,
    pub count: u64,
    /// Texts it occurs in.
    pub documents: u64,
    /// Occurrences the model keeps as one word.
    pub joined: u64,
    /// G² of the association; higher is stronger.
    pub score: f64,
    /// What the ranking orders by: G² × the share the model splits × how much it looks like
    /// a term rather than general language (the larger of its capitalised share inside
    /// sentences and half its residual IDF, at most 1).
    pub rank: f64,
    pub known: Known,
    /// The sentence of its first occurrence, as the text has it (shortened around the term
    /// when long).
    pub example: String,
}

impl Candidate {
    /// Share of its occurrences the model splits.
    pub fn split_share(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            1.0 - self.joined as f64 / self.count as f64
        }
    }
}

/// Options of [`propose_terms`].
#[derive(Debug, Clone)]
pub struct ProposeOptions {
    pub min_count: u64,
    pub limit: usize,
    /// Also return candidates the segmenter already knows ([`Known::Model`],
    /// [`Known::Dictionary`]), ranked with the rest.
    pub all: bool,
}

impl Default for ProposeOptions {
    fn default() -> Self {
        ProposeOptions {
            min_count: 5,
            limit: 100,
            all: false,
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

/// Residual IDF: log₂ of the documents a Poisson spread of `count` occurrences over
/// `total_documents` would reach, over the `documents` they do reach. About 0 for words used
/// evenly everywhere, larger for words that gather in some documents.
fn residual_idf(count: u64, documents: u64, total_documents: usize) -> f64 {
    let n = total_documents.max(1) as f64;
    let expected = n * (1.0 - (-(count as f64) / n).exp());
    (expected / documents.max(1) as f64).log2()
}

/// Counts n-grams of syllables over `texts` and returns the strongest new terms, each with
/// an example sentence. Leave boilerplate out of `texts` first ([`crate::Boilerplate`]): a
/// page's furniture repeated in hundreds of documents is the strongest collocation there is.
///
/// ```
/// use nhip_text::{propose_terms, ProposeOptions, Segmenter};
/// let places = ["Minh Tân", "Đông Hòa", "Tân Lập", "Hòa Bình", "Phước Sơn", "An Khê"];
/// let texts: Vec<String> = places
///     .iter()
///     .enumerate()
///     .map(|(i, p)| match i % 2 {
///         0 => format!("Rét đậm kéo dài ở xã {p}."),
///         _ => format!("Xã {p} che chắn cho trâu bò qua đợt rét đậm."),
///     })
///     .collect();
/// let found = propose_terms(&texts, Segmenter::builtin(), &ProposeOptions::default());
/// let term = found.iter().find(|c| c.term == "rét đậm").unwrap();
/// assert_eq!(term.example, "Rét đậm kéo dài ở xã Minh Tân.");
/// ```
pub fn propose_terms<T: AsRef<str>>(
    texts: &[T],
    segmenter: &Segmenter,
    options: &ProposeOptions,
) -> Vec<Candidate> {
    let mut counts = Counts::default();
    for (text_index, text) in texts.iter().enumerate() {
        let text = text.as_ref();
        let segmented = segmenter.segment(text);
        let mut word_start = vec![false; segmented.tokens.len() + 1];
        for word in &segmented.words {
            word_start[word.tokens.start] = true;
        }
        word_start[segmented.tokens.len()] = true;
        let mut run: Vec<Syllable> = Vec::new();
        let mut last_end = 0;
        let mut after_number = false;
        for (i, token) in segmented.tokens.iter().enumerate() {
            let line_break = text[last_end..token.start].contains('\n');
            // Punctuation, numbers and line breaks end a run: terms do not cross them.
            if token.kind != TokenKind::Word || line_break {
                counts.add_run(&run, text_index);
                run.clear();
            }
            if token.kind == TokenKind::Word {
                run.push(Syllable {
                    text: exact_term(token.text),
                    capital: token.text.starts_with(char::is_uppercase),
                    after_number: run.is_empty() && after_number && !line_break,
                    starts_word: word_start[i],
                    ends_word: word_start[i + 1],
                });
            }
            after_number = token.kind == TokenKind::Number;
            last_end = token.end;
        }
        counts.add_run(&run, text_index);
    }
    let mut shortlist = counts.candidates(segmenter, options, texts.len());
    shortlist.truncate(options.limit.saturating_mul(SHORTLIST_FACTOR).max(200));
    let contexts = contexts(texts, &shortlist);
    let mut chosen: Vec<Candidate> = Vec::new();
    for (mut c, context) in shortlist.into_iter().zip(contexts) {
        // A pair inside a triple (or the other way round) that occurs about as often is one
        // unit: the better ranked stands for both.
        let overlaps = chosen.iter().any(|other| {
            let (short, long) = if other.term.len() < c.term.len() {
                (other, &c)
            } else {
                (&c, other)
            };
            short.term != long.term
                && format!(" {} ", long.term).contains(&format!(" {} ", short.term))
                && long.count as f64 >= MOSTLY * short.count as f64
        });
        if overlaps || context.is_fragment() {
            continue;
        }
        if let Some((text, start, end)) = context.first {
            c.example = example_sentence(texts[text].as_ref(), start, end);
        }
        chosen.push(c);
        if chosen.len() == options.limit {
            break;
        }
    }
    chosen
}

/// Longest example shown, in characters on each side of the term.
const EXAMPLE_CONTEXT: usize = 80;

/// The sentence around `text[start..end]`, cut to [`EXAMPLE_CONTEXT`] characters each side.
fn example_sentence(text: &str, start: usize, end: usize) -> String {
    let sentence = crate::boilerplate::sentences(text)
        .into_iter()
        .find(|s| s.start <= start && end <= s.end)
        .map_or(start..end, |s| s.start..s.end);
    let before: Vec<(usize, char)> = text[sentence.start..start].char_indices().collect();
    let from = if before.len() > EXAMPLE_CONTEXT {
        sentence.start + before[before.len() - EXAMPLE_CONTEXT].0
    } else {
        sentence.start
    };
    let to = text[end..sentence.end]
        .char_indices()
        .nth(EXAMPLE_CONTEXT)
        .map_or(sentence.end, |(i, _)| end + i);
    let mut out = String::new();
    if from > sentence.start {
        out.push('…');
    }
    out.push_str(&text[from..to].replace('\n', " "));
    if to < sentence.end {
        out.push('…');
    }
    out
}

/// A candidate's neighbours and first occurrence, from a second pass over the texts.
#[derive(Debug, Default)]
struct Context {
    /// Syllable before and after each occurrence (inside a run).
    before: HashMap<String, u64>,
    after: HashMap<String, u64>,
    /// Text, start and end byte of the first occurrence.
    first: Option<(usize, usize, usize)>,
    occurrences: u64,
}

impl Context {
    /// Whether nearly every occurrence comes with the same neighbour (`Đồng hồ đếm` +
    /// `ngược`, `A` + `Di Đà Phật`): a piece of a longer unit.
    /// A function word as the neighbour does not count (`ở` + `TP HCM`).
    fn is_fragment(&self) -> bool {
        [&self.before, &self.after].into_iter().any(|side| {
            side.iter().any(|(syllable, &n)| {
                !FUNCTION_WORDS.contains(&syllable.as_str())
                    && n as f64 >= MOSTLY * self.occurrences as f64
            })
        })
    }
}

/// Neighbours and first occurrences of `candidates`, tokenising the texts again (without
/// segmenting: every occurrence counts, on word boundaries or not).
fn contexts<T: AsRef<str>>(texts: &[T], candidates: &[Candidate]) -> Vec<Context> {
    let index: HashMap<&str, usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (c.term.as_str(), i))
        .collect();
    let mut out: Vec<Context> = candidates.iter().map(|_| Context::default()).collect();
    let mut run: Vec<(String, bool, usize, usize)> = Vec::new();
    let mut key = String::new();
    for (text_index, text) in texts.iter().enumerate() {
        let text = text.as_ref();
        let mut last_end = 0;
        let mut tokens = tokenize(text).peekable();
        loop {
            let token = tokens.next();
            let ends_run = token.is_none_or(|t| {
                t.kind != TokenKind::Word || text[last_end..t.start].contains('\n')
            });
            if ends_run {
                for start in 0..run.len() {
                    for len in 2..=3 {
                        let Some(gram) = run.get(start..start + len) else {
                            break;
                        };
                        key.clear();
                        for (n, (syllable, ..)) in gram.iter().enumerate() {
                            if n > 0 {
                                key.push(' ');
                            }
                            key.push_str(syllable);
                        }
                        let Some(&i) = index.get(key.as_str()) else {
                            continue;
                        };
                        let context = &mut out[i];
                        context.occurrences += 1;
                        context
                            .first
                            .get_or_insert((text_index, gram[0].2, gram[len - 1].3));
                        // A lower-case word before a name is not part of it (`tàu sân bay` +
                        // `USS Abraham Lincoln`), unless it is a title that belongs to the
                        // longer name (`ông` + `Công ông Táo`).
                        if let Some(before) = start.checked_sub(1).map(|b| &run[b]) {
                            if before.1 || !gram[0].1 || PERSON_TITLES.contains(&before.0.as_str())
                            {
                                *context.before.entry(before.0.clone()).or_default() += 1;
                            }
                        }
                        if let Some(after) = run.get(start + len) {
                            *context.after.entry(after.0.clone()).or_default() += 1;
                        }
                    }
                }
                run.clear();
            }
            let Some(token) = token else { break };
            if token.kind == TokenKind::Word {
                run.push((
                    exact_term(token.text),
                    token.text.starts_with(char::is_uppercase),
                    token.start,
                    token.end,
                ));
            }
            last_end = token.end;
        }
    }
    out
}

struct Syllable {
    text: String,
    capital: bool,
    /// First of a run that a number ends right before (`51 tỷ đồng`).
    after_number: bool,
    starts_word: bool,
    ends_word: bool,
}

/// A candidate n-gram's occurrences.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    count: u64,
    documents: u64,
    /// The text of the latest occurrence (to count texts).
    last_text: usize,
    /// Occurrences that are one segmenter word.
    joined: u64,
    /// Occurrences after another word of the same run (not at a sentence's start), and those
    /// of them that begin with a capital: names and organisations are capitalised there.
    inside: u64,
    capitalised: u64,
    /// Occurrences right after a number.
    after_number: u64,
    /// Occurrences whose first syllable is lower case and a later one capitalised.
    before_name: u64,
    /// Occurrences whose last syllable is capitalised.
    last_capital: u64,
    /// Occurrences that are a one-syllable word followed by lower-case words only: with a
    /// first syllable that is a name (`Iran tuyên bố`, `Mỹ có thể`), a name and what it does.
    alone_then_lower: u64,
}

impl Seen {
    fn add(&mut self, gram: &[Syllable], text: usize, inside: bool) {
        let (first, last) = (&gram[0], &gram[gram.len() - 1]);
        if self.count == 0 || self.last_text != text {
            self.documents += 1;
            self.last_text = text;
        }
        self.count += 1;
        self.inside += u64::from(inside);
        self.capitalised += u64::from(inside && first.capital);
        let inner = &gram[..gram.len() - 1];
        self.joined += u64::from(inner.iter().all(|s| !s.ends_word));
        self.after_number += u64::from(first.after_number);
        self.before_name += u64::from(!first.capital && gram[1..].iter().any(|s| s.capital));
        self.last_capital += u64::from(last.capital);
        self.alone_then_lower += u64::from(first.ends_word && gram[1..].iter().all(|s| !s.capital));
    }

    fn share(&self, n: u64) -> f64 {
        n as f64 / self.count.max(1) as f64
    }
}

#[derive(Default)]
struct Counts {
    unigrams: HashMap<String, u64>,
    /// Per syllable: occurrences inside a sentence (after another word), and those of them
    /// capitalised. At a sentence's start every word is capitalised; only inside one does a
    /// capital say "name".
    inside_case: HashMap<String, (u64, u64)>,
    /// Pairs that begin and end on word boundaries: bigram candidates.
    bigrams: HashMap<(String, String), Seen>,
    /// Every adjacent pair: the marginal of a triple's first two syllables.
    all_bigrams: HashMap<(String, String), u64>,
    trigrams: HashMap<(String, String, String), Seen>,
    total: u64,
}

impl Counts {
    /// Counts syllables and pairs, and the candidate pairs and triples that begin and end on
    /// word boundaries.
    fn add_run(&mut self, run: &[Syllable], text: usize) {
        for (i, s) in run.iter().enumerate() {
            self.total += 1;
            *self.unigrams.entry(s.text.clone()).or_default() += 1;
            if i > 0 {
                let case = self.inside_case.entry(s.text.clone()).or_default();
                case.0 += 1;
                case.1 += u64::from(s.capital);
            }
            if let Some(b) = run.get(i + 1) {
                *self
                    .all_bigrams
                    .entry((s.text.clone(), b.text.clone()))
                    .or_default() += 1;
            }
            if !s.starts_word {
                continue;
            }
            let inside = i > 0;
            if let Some(b) = run.get(i + 1).filter(|b| b.ends_word) {
                let seen = self
                    .bigrams
                    .entry((s.text.clone(), b.text.clone()))
                    .or_default();
                seen.add(&run[i..i + 2], text, inside);
            }
            if let (Some(b), Some(c)) = (run.get(i + 1), run.get(i + 2).filter(|c| c.ends_word)) {
                let seen = self
                    .trigrams
                    .entry((s.text.clone(), b.text.clone(), c.text.clone()))
                    .or_default();
                seen.add(&run[i..i + 3], text, inside);
            }
        }
    }

    /// Every candidate that passes the filters, strongest first.
    fn candidates(
        self,
        segmenter: &Segmenter,
        options: &ProposeOptions,
        total_documents: usize,
    ) -> Vec<Candidate> {
        let Counts {
            unigrams,
            inside_case,
            bigrams,
            all_bigrams,
            trigrams,
            total,
        } = self;
        let n = total as f64;
        let unigram = |s: &String| unigrams.get(s).copied().unwrap_or(0) as f64;
        let pair = |x: &String, y: &String| {
            all_bigrams
                .get(&(x.clone(), y.clone()))
                .copied()
                .unwrap_or(0) as f64
        };
        let stop = |s: &String| {
            FUNCTION_WORDS.contains(&s.as_str())
                || PHRASE_EDGES.contains(&s.as_str())
                || s.chars().count() < 2 && s.is_ascii()
        };
        let min_documents = (MIN_DOCUMENTS as usize).min(total_documents) as u64;
        let mut scored: Vec<(Vec<&String>, Seen, f64)> = Vec::new();
        for ((a, b), seen) in &bigrams {
            if seen.count < options.min_count || stop(a) || stop(b) {
                continue;
            }
            let (ca, cb, k) = (unigram(a), unigram(b), seen.count as f64);
            if k * n > ca * cb {
                scored.push((vec![a, b], *seen, g2(k, ca - k, cb - k, n - ca - cb + k)));
            }
        }
        for ((a, b, c), seen) in &trigrams {
            if seen.count < options.min_count
                || stop(a)
                || stop(c)
                || MIDDLE_STOP.contains(&b.as_str())
            {
                continue;
            }
            let (cab, cc, k) = (pair(a, b), unigram(c), seen.count as f64);
            if k * n > cab * cc {
                scored.push((
                    vec![a, b, c],
                    *seen,
                    g2(k, cab - k, cc - k, n - cab - cc + k),
                ));
            }
        }
        let mut candidates: Vec<Candidate> = scored
            .into_iter()
            .filter(|(syllables, seen, _)| {
                let (inside, capitalised) =
                    inside_case.get(syllables[0]).copied().unwrap_or((0, 0));
                let first_is_name = capitalised as f64 >= MOSTLY * inside.max(1) as f64;
                seen.documents >= min_documents && !is_phrase(syllables, seen, first_is_name)
            })
            .filter_map(|(syllables, seen, score)| {
                let term = syllables
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let known = if segmenter.contains(&term) {
                    Known::Dictionary
                } else if seen.share(seen.joined) >= 0.5 {
                    Known::Model
                } else {
                    Known::New
                };
                if !options.all && known != Known::New {
                    return None;
                }
                // A capitalised share from a handful of occurrences proves little.
                let capitalised = seen.capitalised as f64 / (seen.inside + 3) as f64;
                let gathered = residual_idf(seen.count, seen.documents, total_documents) / 2.0;
                let termhood = capitalised.max(gathered).clamp(0.0, 1.0);
                let split = 1.0 - seen.share(seen.joined);
                Some(Candidate {
                    term,
                    count: seen.count,
                    documents: seen.documents,
                    joined: seen.joined,
                    score,
                    rank: score * split * termhood.powi(TERMHOOD_POWER),
                    known,
                    example: String::new(),
                })
            })
            .collect();
        candidates.sort_by(|x, y| {
            y.rank
                .total_cmp(&x.rank)
                .then_with(|| y.score.total_cmp(&x.score))
                .then_with(|| x.term.cmp(&y.term))
        });
        candidates
    }
}

/// Whether a candidate is a phrase built around a term rather than a term: a repeated
/// syllable, mostly after a number, a person's title or a lower-case word before a name, or
/// a one-syllable name (`first_is_name`: capitalised inside sentences) before lower-case words.
fn is_phrase(syllables: &[&String], seen: &Seen, first_is_name: bool) -> bool {
    let repeated = syllables
        .iter()
        .enumerate()
        .any(|(i, s)| syllables[..i].contains(s));
    let titled = (1..syllables.len()).any(|cut| {
        let head = syllables[..cut]
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        PERSON_TITLES.contains(&head.as_str())
    }) && seen.share(seen.last_capital) >= 0.5;
    repeated
        || seen.share(seen.after_number) >= MOSTLY
        || seen.share(seen.before_name) >= 0.5
        || first_is_name && seen.share(seen.alone_then_lower) >= 0.5
        || titled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g2_is_zero_for_independence() {
        assert!(g2(25.0, 25.0, 25.0, 25.0).abs() < 1e-9);
        assert!(g2(40.0, 10.0, 10.0, 40.0) > 10.0);
    }
}
