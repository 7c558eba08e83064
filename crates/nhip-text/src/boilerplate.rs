//! Page furniture: sentences a source repeats verbatim across its documents ("Lưu bài viết
//! thành công", "Nguồn: [Link nguồn]", a bulletin's standing lead, a report's salutation).
//!
//! A text is cut into sentences: at sentence-ending punctuation (`.` `!` `?` `;` `…`, the
//! same ends that stop a phrase match), at line breaks, and before a capitalised function word
//! that follows a lower-case word (`… thành công Bạn có thể …`: a sentence start whose full
//! stop was lost when a page's blocks were glued together). Each sentence gets a key: a hash
//! of its lower-case syllables with every number replaced by one placeholder (so a bulletin's
//! lead matches whatever its date), and its syllable count in the low byte.
//!
//! A sentence is *boilerplate* when the documents of one source that contain it reach
//! [`BoilerplateRule::min_documents`] and it has at least [`BoilerplateRule::min_syllables`]
//! syllables. Boilerplate stays searchable; term statistics, emerging terms and story
//! fingerprints leave it out. The same rule serves `nhip terms` (counted in memory over the
//! input, [`BoilerplateCounter`]) and the index (counted through one term per sentence).

use crate::token::{tokenize, TokenKind};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// How often a sentence must recur, and how long it must be, to count as boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoilerplateRule {
    /// Fewest documents of one source that contain the sentence.
    pub min_documents: u32,
    /// Fewest syllables (words of letters; numbers do not count) in the sentence, at least 2.
    pub min_syllables: usize,
}

impl Default for BoilerplateRule {
    fn default() -> Self {
        BoilerplateRule {
            min_documents: 10,
            min_syllables: 3,
        }
    }
}

impl BoilerplateRule {
    /// Whether a sentence with this key is long enough to be boilerplate.
    pub fn long_enough(&self, key: u64) -> bool {
        key_syllables(key) >= self.min_syllables.max(MIN_SENTENCE_SYLLABLES)
    }
}

/// Sentences shorter than this are never keyed: they cannot hold a multi-syllable term.
pub const MIN_SENTENCE_SYLLABLES: usize = 2;

/// Function words that begin sentences and are not capitalised inside one (outside names).
const SENTENCE_STARTS: &[&str] = &[
    "bạn", "theo", "khi", "trong", "sau", "tuy", "nhưng", "và", "các", "những", "nếu", "vì", "để",
    "với", "tại", "từ", "ngoài", "hiện", "đây", "đó", "còn", "cũng", "do",
];

/// One sentence of a text: `text[start..end]`, with its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// Hash of the lower-case syllables (numbers as one placeholder), syllable count in the
    /// low byte (see [`key_syllables`]).
    pub key: u64,
}

/// The syllable count a sentence key carries (capped at 255).
pub fn key_syllables(key: u64) -> usize {
    (key & 0xFF) as usize
}

/// Punctuation that ends a sentence (abbreviations and numbers keep their dots inside tokens).
pub fn is_sentence_end(punct: &str) -> bool {
    punct.starts_with(['.', '!', '?', ';', '…'])
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
    }
    h
}

fn finish_key(h: u64, syllables: usize) -> u64 {
    let h = (h ^ (h >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    let h = h ^ (h >> 33);
    (h & !0xFF) | syllables.min(255) as u64
}

/// A sentence key within one source: documents of one source share it, other sources'
/// copies of the same sentence do not. `source` is any string naming the source; callers
/// pass [`source_name_key`] of the source's name.
pub fn source_sentence_key(source: &str, sentence_key: u64) -> u64 {
    let h = fnv(fnv(FNV_OFFSET, source.as_bytes()) ^ sentence_key, &[0xff]);
    finish_key(h, key_syllables(sentence_key))
}

/// The key under which a source is grouped: folded, lower case, single spaces (`Thanh Niên`,
/// `thanh nien` and `THANH  NIÊN` are one source), as `source:` filters match it.
pub fn source_name_key(name: &str) -> String {
    crate::fold(&crate::normalize(name))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Prefixes keyed per block sentence (see [`sentences`]).
const PREFIXES_PER_BLOCK: usize = 4;

/// The sentence being read.
struct Open {
    start: usize,
    end: usize,
    hash: u64,
    syllables: usize,
    /// Opened by a lost full stop (a glued page block): its prefixes are keyed too.
    block: bool,
    prefixes: usize,
}

impl Open {
    fn new(start: usize, block: bool) -> Open {
        Open {
            start,
            end: start,
            hash: FNV_OFFSET,
            syllables: 0,
            block,
            prefixes: 0,
        }
    }

    /// Adds a syllable or number (`term` lower case, digits replaced) ending at `end`.
    fn push(&mut self, term: &[u8], is_word: bool, end: usize) {
        self.hash = fnv(fnv(self.hash, term), b" ");
        self.syllables += usize::from(is_word);
        self.end = end;
    }

    fn sentence(&self) -> Option<Sentence> {
        (self.syllables >= MIN_SENTENCE_SYLLABLES).then(|| Sentence {
            start: self.start,
            end: self.end,
            key: finish_key(self.hash, self.syllables),
        })
    }
}

/// The lower-case term of a syllable for keys, digit runs as one `#` (`17h` → `#h`).
fn key_term(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Where a token glues two syllables by a case change without a space (`trangTin`: a page
/// block ending in `trang` and the next starting with `Tin`); `None` for names written that
/// way (`VnExpress`, `iPhone`, `TikTok`), whose parts are not both Vietnamese syllables.
fn glue_point(word: &str) -> Option<usize> {
    let mut previous_lower = false;
    let mut found = None;
    for (i, c) in word.char_indices() {
        if previous_lower && c.is_uppercase() {
            if found.is_some() {
                return None;
            }
            found = Some(i);
        }
        previous_lower = c.is_lowercase();
    }
    let at = found?;
    (crate::is_vietnamese_syllable(&word[..at]) && crate::is_vietnamese_syllable(&word[at..]))
        .then_some(at)
}

/// A dot glued between a short capitalised abbreviation and the next word (`TP.HCM`,
/// `Q.1`), which the tokenizer leaves as punctuation: not a sentence end.
fn abbreviation_dot(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let abbreviation = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    text[at..].starts_with('.')
        && text[at + 1..].starts_with(|c: char| c.is_alphanumeric())
        && (1..=3).contains(&abbreviation.chars().count())
        && abbreviation.chars().all(|c| c.is_uppercase())
}

/// The sentences of a text, in order, as boilerplate detection keys them; sentences under
/// [`MIN_SENTENCE_SYLLABLES`] syllables are left out.
///
/// A sentence ends at sentence-ending punctuation and at a line break. Text scraped from web
/// pages often glues page blocks without a stop (`… thành công Bạn có thể …`, `… ở trangTin
/// bài đã lưu Bộ phim …`): a capitalised function word after a lower-case word, or a case
/// change inside a token between two syllables, also starts a sentence, a *block* sentence.
/// Since the block's own end may be glued to the next one, a block sentence's prefixes that
/// end before a capitalised word following a lower-case word (up to four) are keyed as well;
/// they overlap the block sentence and share its start.
///
/// ```
/// use nhip_text::sentences;
/// let text = "Lưu bài viết thành công Bạn có thể xem lại bài viết. Nguồn: [Link nguồn]";
/// let found: Vec<&str> = sentences(text).iter().map(|s| &text[s.start..s.end]).collect();
/// assert_eq!(found, ["Lưu bài viết thành công", "Bạn có thể xem lại bài viết.", "Nguồn: [Link nguồn]"]);
/// ```
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    let close = |open: &mut Option<Open>, out: &mut Vec<Sentence>| {
        if let Some(sentence) = open.take().and_then(|s| s.sentence()) {
            out.push(sentence);
        }
    };
    let mut last_end = 0;
    let mut last_lower_word = false;
    let mut term = String::new();
    for token in tokenize(text) {
        let line_break = text[last_end..token.start].contains('\n');
        last_end = token.end;
        if line_break {
            close(&mut open, &mut out);
            last_lower_word = false;
        }
        match token.kind {
            TokenKind::Punct => {
                last_lower_word = false;
                if let Some(s) = open.as_mut() {
                    s.end = token.end;
                }
                if is_sentence_end(token.text) && !abbreviation_dot(text, token.start) {
                    close(&mut open, &mut out);
                }
            }
            TokenKind::Number => {
                last_lower_word = false;
                open.get_or_insert_with(|| Open::new(token.start, false))
                    .push(b"#", false, token.end);
            }
            TokenKind::Word => {
                let word = token.text.strip_suffix('.').unwrap_or(token.text);
                let mut rest_start = token.start;
                if let Some(at) = glue_point(word) {
                    key_term(&word[..at], &mut term);
                    open.get_or_insert_with(|| Open::new(token.start, false))
                        .push(term.as_bytes(), true, token.start + at);
                    close(&mut open, &mut out);
                    open = Some(Open::new(token.start + at, true));
                    rest_start += at;
                }
                let rest = &text[rest_start..token.start + word.len()];
                key_term(rest, &mut term);
                let capitalised = rest.starts_with(char::is_uppercase);
                if capitalised && last_lower_word {
                    if SENTENCE_STARTS.contains(&term.as_str()) {
                        close(&mut open, &mut out);
                        open = Some(Open::new(rest_start, true));
                    } else if let Some(s) = open.as_mut().filter(|s| s.block) {
                        if s.prefixes < PREFIXES_PER_BLOCK {
                            s.prefixes += 1;
                            out.extend(s.sentence());
                        }
                    }
                }
                last_lower_word = rest.ends_with(char::is_lowercase);
                open.get_or_insert_with(|| Open::new(rest_start, false))
                    .push(term.as_bytes(), true, token.end);
            }
        }
    }
    close(&mut open, &mut out);
    out
}

/// `text` with the given byte ranges (sorted, not overlapping) replaced by line breaks, so
/// that nothing on either side of a removed sentence joins into one word or phrase.
pub fn without_ranges<'t>(text: &'t str, ranges: &[Range<usize>]) -> Cow<'t, str> {
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        out.push_str(&text[at..range.start]);
        out.push('\n');
        at = range.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// The byte ranges covered by some of a text's sentences (which may overlap: a block
/// sentence and its prefixes), sorted and merged, for [`without_ranges`].
pub fn covered_ranges<'s>(sentences: impl IntoIterator<Item = &'s Sentence>) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = sentences.into_iter().map(|s| s.start..s.end).collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Sentences judged boilerplate: keys within their source ([`source_sentence_key`]).
#[derive(Debug, Clone, Default)]
pub struct Boilerplate {
    keys: HashSet<u64>,
}

impl Boilerplate {
    /// A set of source sentence keys judged boilerplate.
    pub fn from_keys(keys: impl IntoIterator<Item = u64>) -> Boilerplate {
        Boilerplate {
            keys: keys.into_iter().collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn contains(&self, source_key: u64) -> bool {
        self.keys.contains(&source_key)
    }

    /// Judges one more source sentence key boilerplate.
    pub fn insert(&mut self, source_key: u64) {
        self.keys.insert(source_key);
    }

    pub fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.keys.iter().copied()
    }

    /// The boilerplate sentences of one text of a source (named by [`source_name_key`]).
    pub fn find<'s>(&'s self, source: &'s str, text: &str) -> Vec<(Sentence, u64)> {
        if self.keys.is_empty() {
            return Vec::new();
        }
        sentences(text)
            .into_iter()
            .map(|s| (s, source_sentence_key(source, s.key)))
            .filter(|(_, key)| self.keys.contains(key))
            .collect()
    }
}

/// Counts, over a collection held in memory, the documents of each source that contain each
/// sentence, and judges boilerplate by a [`BoilerplateRule`].
///
/// ```
/// use nhip_text::{BoilerplateCounter, BoilerplateRule};
/// let rule = BoilerplateRule { min_documents: 3, min_syllables: 3 };
/// let mut counter = BoilerplateCounter::new(rule);
/// for news in ["Mưa lũ ở xã.", "Giá lúa tăng.", "Đường làng mới."] {
///     counter.add("Báo X", &[&format!("{news} Xem thêm tin trên trang chủ.")]);
/// }
/// let boilerplate = counter.boilerplate();
/// assert_eq!(boilerplate.len(), 1);
/// let found = boilerplate.find("bao x", "Mưa lớn. Xem thêm tin trên trang chủ.");
/// assert_eq!(found.len(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct BoilerplateCounter {
    rule: BoilerplateRule,
    documents: HashMap<u64, u32>,
    seen: HashSet<u64>,
}

impl BoilerplateCounter {
    pub fn new(rule: BoilerplateRule) -> BoilerplateCounter {
        BoilerplateCounter {
            rule,
            documents: HashMap::new(),
            seen: HashSet::new(),
        }
    }

    /// Counts one document of `source` (its name as the input gives it), made of `texts`
    /// (title, body, …). A sentence counts once per document.
    pub fn add(&mut self, source: &str, texts: &[&str]) {
        let source = source_name_key(source);
        self.seen.clear();
        for text in texts {
            for s in sentences(text) {
                if self.rule.long_enough(s.key) {
                    self.seen.insert(source_sentence_key(&source, s.key));
                }
            }
        }
        for &key in &self.seen {
            *self.documents.entry(key).or_default() += 1;
        }
    }

    /// The sentences that reach the rule's document count.
    pub fn boilerplate(&self) -> Boilerplate {
        Boilerplate::from_keys(
            self.documents
                .iter()
                .filter(|(_, &n)| n >= self.rule.min_documents)
                .map(|(&k, _)| k),
        )
    }
}

/// The boilerplate of one source, for run summaries: its sentences (one example text each,
/// with the documents that contain it, most first) and the documents that carry any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceBoilerplate {
    pub source: String,
    pub sentences: Vec<(String, u64)>,
    pub documents: u64,
}

impl std::fmt::Display for SourceBoilerplate {
    /// `boilerplate: 3 sentences from Thanh Niên, 887 documents`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.sentences.len();
        write!(
            f,
            "boilerplate: {n} sentence{} from {}, {} document{}",
            if n == 1 { "" } else { "s" },
            self.source,
            self.documents,
            if self.documents == 1 { "" } else { "s" }
        )
    }
}

/// One source in a [`BoilerplateTally`]: its display name, sentence key → (example text,
/// documents), and the documents that carry any.
type SourceTally = (String, HashMap<u64, (String, u64)>, u64);

/// Collects [`SourceBoilerplate`] summaries while a collection's texts are stripped.
#[derive(Debug, Default)]
pub struct BoilerplateTally {
    /// Source key → its tally.
    sources: HashMap<String, SourceTally>,
}

impl BoilerplateTally {
    /// Records the boilerplate found in one document of `source`: `found` pairs each text with
    /// its boilerplate sentences (from [`Boilerplate::find`]).
    pub fn add(&mut self, source: &str, found: &[(&str, Vec<(Sentence, u64)>)]) {
        if found.iter().all(|(_, f)| f.is_empty()) {
            return;
        }
        let entry = self
            .sources
            .entry(source_name_key(source))
            .or_insert_with(|| (source.to_string(), HashMap::new(), 0));
        entry.2 += 1;
        let mut counted = HashSet::new();
        for (text, sentences) in found {
            for (s, key) in sentences {
                if counted.insert(*key) {
                    entry
                        .1
                        .entry(*key)
                        .or_insert_with(|| (text[s.start..s.end].trim().to_string(), 0))
                        .1 += 1;
                }
            }
        }
    }

    /// One summary per source, the source with most documents first.
    pub fn summaries(self) -> Vec<SourceBoilerplate> {
        let mut out: Vec<SourceBoilerplate> = self
            .sources
            .into_values()
            .map(|(source, sentences, documents)| {
                let mut sentences: Vec<(String, u64)> = sentences.into_values().collect();
                sentences.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                SourceBoilerplate {
                    source,
                    sentences,
                    documents,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.documents
                .cmp(&a.documents)
                .then_with(|| a.source.cmp(&b.source))
        });
        out
    }
}

/// A collection held in memory with each source's boilerplate left out: for each document
/// (its source and its texts: title, body, …), its texts without boilerplate sentences (each
/// replaced by a line break), and what was left out, per source. This is what `nhip terms`
/// counts; the index applies the same rule as documents stream in.
///
/// ```
/// use nhip_text::{strip_boilerplate, BoilerplateRule};
/// let footer = "Quét mã để tải ứng dụng của báo về điện thoại.";
/// let news = ["mưa", "lũ", "gió", "rét", "nắng", "sạt lở", "triều cường", "lốc", "hạn", "mặn"];
/// let bodies: Vec<String> = news.iter().map(|n| format!("Tin về {n} ở xã. {footer}")).collect();
/// let documents: Vec<(&str, Vec<&str>)> = bodies.iter().map(|b| ("Báo X", vec![b.as_str()])).collect();
/// let (texts, summaries) = strip_boilerplate(&documents, BoilerplateRule::default());
/// assert!(!texts[0][0].contains("ứng dụng"));
/// assert_eq!(summaries[0].to_string(), "boilerplate: 1 sentence from Báo X, 10 documents");
/// ```
pub fn strip_boilerplate(
    documents: &[(&str, Vec<&str>)],
    rule: BoilerplateRule,
) -> (Vec<Vec<String>>, Vec<SourceBoilerplate>) {
    let mut counter = BoilerplateCounter::new(rule);
    for (source, texts) in documents {
        counter.add(source, texts);
    }
    let boilerplate = counter.boilerplate();
    let mut tally = BoilerplateTally::default();
    let stripped = documents
        .iter()
        .map(|(source, texts)| {
            let source_key = source_name_key(source);
            let found: Vec<(&str, Vec<(Sentence, u64)>)> = texts
                .iter()
                .map(|text| (*text, boilerplate.find(&source_key, text)))
                .collect();
            tally.add(source, &found);
            found
                .iter()
                .map(|(text, sentences)| {
                    let ranges = covered_ranges(sentences.iter().map(|(s, _)| s));
                    without_ranges(text, &ranges).into_owned()
                })
                .collect()
        })
        .collect();
    (stripped, tally.summaries())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        sentences(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn splits_at_ends_lines_and_lost_stops() {
        assert_eq!(
            texts("Mưa lớn ở TP. Huế, TP.HCM; nước dâng.\nTin bài đã lưu Theo diễn viên, ca mổ ổn"),
            [
                "Mưa lớn ở TP. Huế, TP.HCM;",
                "nước dâng.",
                "Tin bài đã lưu",
                "Theo diễn viên, ca mổ ổn"
            ]
        );
        // Names are capitalised mid-sentence: only a function word marks a lost stop.
        assert_eq!(
            texts("đoàn công tác Hà Nội và Huế"),
            ["đoàn công tác Hà Nội và Huế"]
        );
        // One-syllable sentences are not keyed.
        assert_eq!(texts("Ảnh. Video: ok"), ["Video: ok"]);
        // Page blocks glued by a case change inside a token; a block's prefixes are keyed.
        let glued =
            "Lưu bài viết thành công Bạn xem lại bài đã lưu ở trangTin bài đã lưu Bộ phim Mai hay";
        assert_eq!(
            texts(glued),
            [
                "Lưu bài viết thành công",
                "Bạn xem lại bài đã lưu ở trang",
                "Tin bài đã lưu",
                "Tin bài đã lưu Bộ phim",
                "Tin bài đã lưu Bộ phim Mai hay"
            ]
        );
        // Names glued that way are not split.
        assert_eq!(texts("báo VnExpress đưa tin"), ["báo VnExpress đưa tin"]);
        let found = sentences(glued);
        let covered = covered_ranges(&found[2..4]);
        assert_eq!(covered.len(), 1);
        assert_eq!(covered[0], found[2].start..found[3].end);
    }

    #[test]
    fn keys_ignore_case_punctuation_and_numbers() {
        let key = |t: &str| sentences(t)[0].key;
        assert_eq!(
            key("Bản tin 17h ngày 21/1/2026"),
            key("bản tin 12h, ngày 3/2/2026")
        );
        assert_ne!(key("Bản tin sáng nay"), key("Bản tin tối nay"));
        assert_eq!(key_syllables(key("Bản tin 17h ngày 21/1/2026")), 4);
        // The same sentence from two sources is two keys; the low byte is kept.
        let k = key("Xem thêm tin trên trang chủ");
        assert_ne!(source_sentence_key("a", k), source_sentence_key("b", k));
        assert_eq!(key_syllables(source_sentence_key("a", k)), 6);
    }

    #[test]
    fn counter_finds_a_footer_of_one_source_only() {
        let rule = BoilerplateRule {
            min_documents: 4,
            min_syllables: 3,
        };
        let mut counter = BoilerplateCounter::new(rule);
        for topic in ["đê điều", "mưa lũ", "giá lúa", "trường học", "bệnh viện"] {
            let body = format!("Bài này nói về {topic}. Theo dõi chúng tôi trên mạng xã hội.");
            counter.add("Báo Một", &["Tiêu đề", &body]);
            // Another source quotes the same sentence less often than the rule asks.
            if topic.starts_with('đ') || topic.starts_with('m') {
                counter.add("Báo Hai", &[&body]);
            }
        }
        let boilerplate = counter.boilerplate();
        assert_eq!(boilerplate.len(), 1);
        let text = "Nước lên. Theo dõi chúng tôi trên mạng xã hội.";
        let found = boilerplate.find(&source_name_key("BÁO MỘT"), text);
        assert_eq!(found.len(), 1);
        let ranges = covered_ranges(found.iter().map(|(s, _)| s));
        assert_eq!(without_ranges(text, &ranges), "Nước lên. \n");
        assert!(boilerplate.find("bao hai", text).is_empty());
        let mut tally = BoilerplateTally::default();
        tally.add("Báo Một", &[(text, found)]);
        let summaries = tally.summaries();
        assert_eq!(
            summaries[0].to_string(),
            "boilerplate: 1 sentence from Báo Một, 1 document"
        );
        assert_eq!(
            summaries[0].sentences[0].0,
            "Theo dõi chúng tôi trên mạng xã hội."
        );
    }
}
