//! Word segmentation: grouping syllables into words.
//!
//! A learned model decides, for every gap between two syllables, whether they belong to one
//! word: an averaged perceptron over syllable n-grams, letter-case shapes and dictionary
//! matches, trained on the UD Vietnamese-VTB treebank by `nhip segmenter train` (see
//! ARCHITECTURE.md for the choice). Fixed rules decide the rest: tokens glued by inner
//! punctuation (`COVID-19`, `TP.HCM`) stay together, punctuation between spaces stands alone,
//! and words the user adds are always kept whole. The segmenter only groups whole tokens, so
//! byte offsets into the input stay exact.

mod dictionary;
mod features;
mod hash;
mod model;
mod train;

pub use train::{accent_free, evaluate, read_gold, train, GoldSentence, Scores, TrainOptions};

use crate::token::{may_start_word, tokenize, tokenize_from, word_candidate_len, Token, TokenKind};
use dictionary::{word_ends, Dictionary, MAX_DICT_SYLLABLES};
use features::{
    analyze, gap_rule, gap_scores, gap_slots_in, next_start_window, shape, start_window, GapRule,
    Syllable,
};
use hash::{normalized_syllable_hash, syllable_hash};
use model::Model;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub(crate) const RDR_VOCAB: &str =
    include_str!("../../../../data/lexicon/rdrsegmenter_VnVocab.txt");
pub(crate) const PYVI_WORDS: &str = include_str!("../../../../data/lexicon/pyvi_words.txt");
const SHIPPED_MODEL: &[u8] = include_bytes!("../../../../data/model/segmenter.bin");
const SHIPPED_DICTIONARY: &[u8] = include_bytes!("../../../../data/model/dictionary.bin");

/// Errors of loading word lists and models, and of reading training data.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid segmenter model: {0}")]
    Model(String),
    #[error("{path}:{line}: {message}")]
    Gold {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// One word: `tokens` indexes [`Segmented::tokens`]; `text` is `input[start..end]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    pub tokens: Range<usize>,
}

/// A segmented text: its tokens and the words they form, in order.
#[derive(Debug, Clone, Default)]
pub struct Segmented<'a> {
    pub tokens: Vec<Token<'a>>,
    pub words: Vec<Word<'a>>,
}

impl Segmented<'_> {
    /// Syllables of a word joined by `_` (tokens glued without space stay glued: `TP.HCM`).
    pub fn joined(&self, word: &Word) -> String {
        let mut out = String::with_capacity(word.text.len());
        let mut last_end = None;
        for token in &self.tokens[word.tokens.clone()] {
            if last_end.is_some_and(|end| end < token.start) {
                out.push('_');
            }
            out.push_str(token.text);
            last_end = Some(token.end);
        }
        out
    }

    /// The `nhip tokenize` line: words separated by spaces, syllables joined by `_`.
    pub fn to_line(&self) -> String {
        let words: Vec<String> = self.words.iter().map(|w| self.joined(w)).collect();
        words.join(" ")
    }
}

/// A word segmenter: a model plus dictionaries. Build once, share between threads.
#[derive(Debug, Clone)]
pub struct Segmenter {
    model: Arc<Model>,
    dictionary: Dictionary,
    user_words: Dictionary,
    longest_user_word: usize,
}

impl Segmenter {
    /// The shipped model with the shipped word lists.
    pub fn builtin() -> &'static Segmenter {
        static BUILTIN: OnceLock<Segmenter> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // Compiled in and checked by `shipped_model_loads`: not user input.
            let model =
                Model::from_bytes(SHIPPED_MODEL).expect("the shipped segmenter model is valid");
            Segmenter::with_model(model)
        })
    }

    /// Loads a model file (from `nhip segmenter train`) with the shipped word lists.
    pub fn from_model_file(path: &Path) -> Result<Segmenter, SegmentError> {
        let bytes = std::fs::read(path).map_err(|source| SegmentError::Read {
            path: path.to_owned(),
            source,
        })?;
        Ok(Segmenter::with_model(Model::from_bytes(&bytes)?))
    }

    fn with_model(model: Model) -> Segmenter {
        Segmenter {
            model: Arc::new(model),
            dictionary: shipped_dictionary(),
            user_words: Dictionary::default(),
            longest_user_word: 0,
        }
    }

    /// Adds user words (syllables separated by spaces or `_`): they are always kept whole and
    /// also inform the model's dictionary features. Single syllables are ignored.
    pub fn add_words<'w>(&mut self, words: impl IntoIterator<Item = &'w str>) {
        for word in words {
            if let Some(len) = self.user_words.add(word) {
                self.longest_user_word = self.longest_user_word.max(len);
                self.dictionary.add(word);
            }
        }
        self.user_words.freeze();
        self.dictionary.freeze();
    }

    /// Adds the words of a file (one per line, `#` starts a comment).
    pub fn add_word_file(&mut self, path: &Path) -> Result<(), SegmentError> {
        let text = std::fs::read_to_string(path).map_err(|source| SegmentError::Read {
            path: path.to_owned(),
            source,
        })?;
        self.add_words(
            text.lines()
                .map(|l| l.split('#').next().unwrap_or("").trim()),
        );
        Ok(())
    }

    /// Whether the dictionary (shipped or user) holds this multi-syllable word.
    pub fn contains(&self, word: &str) -> bool {
        let normalized = crate::normalize(word);
        let hashes: Vec<u64> = normalized
            .split(|c: char| c.is_whitespace() || c == '_')
            .filter(|s| !s.is_empty())
            .map(syllable_hash)
            .collect();
        hashes.len() >= 2 && self.dictionary.contains(&hashes)
    }

    /// Decides every gap of `b.syllables`: `b.joins[i]` is true when tokens `i` and `i + 1`
    /// belong to one word. Reuses the buffers' allocations.
    fn decide(&self, b: &mut Buffers) {
        let syllables = &b.syllables;
        let gaps = syllables.len().saturating_sub(1);
        b.joins.clear();
        b.joins.resize(gaps, false);
        // Gaps fixed by user words; empty when there are none.
        b.forced.clear();
        if self.longest_user_word >= 2 {
            b.forced.resize(gaps, false);
            b.hashes.clear();
            b.hashes.extend(syllables.iter().map(|s| s.hash));
            self.mark_user_words(syllables, &b.hashes, &mut b.joins, &mut b.forced);
        }
        self.dictionary.word_starts(syllables, &mut b.starts);
        word_ends(&b.starts, &mut b.ends);
        // Greedily left to right with the previous decision. Both scores of a gap are read
        // whatever the decision before it, so no gap's weight reads wait for another's.
        let (joins, forced) = (&mut b.joins, &b.forced);
        let mut prev = false;
        self.score_gaps(syllables, &b.starts, &b.ends, |i, scores| {
            if let Some(join) = joins.get_mut(i) {
                if !forced.get(i).copied().unwrap_or(false) {
                    *join = scores[usize::from(prev)] > 0;
                }
                prev = *join;
            }
        });
    }

    /// Calls `f` with every gap's scores when the gap before it is split (`[0]`) and joined
    /// (`[1]`), left to right; positive joins. `starts` and `ends` are the dictionary's word
    /// starts and ends of `syllables`.
    #[inline(always)]
    fn score_gaps(
        &self,
        syllables: &[Syllable],
        starts: &[u8],
        ends: &[u8],
        mut f: impl FnMut(usize, [i32; 2]),
    ) {
        let mut window = start_window(starts, 0);
        for i in 0..syllables.len().saturating_sub(1) {
            f(
                i,
                match gap_rule(syllables, i) {
                    GapRule::Join => [1, 1],
                    GapRule::Split => [0, 0],
                    GapRule::Model => gap_scores(
                        &self.model,
                        &gap_slots_in(syllables, window, starts, ends, i),
                    ),
                },
            );
            window = next_start_window(window, starts, i);
        }
    }

    fn mark_user_words(
        &self,
        s: &[Syllable],
        hashes: &[u64],
        joins: &mut [bool],
        forced: &mut [bool],
    ) {
        if self.longest_user_word < 2 {
            return;
        }
        let mut i = 0;
        while i < s.len() {
            let mut matched = 1;
            for len in (2..=self.longest_user_word.min(MAX_DICT_SYLLABLES)).rev() {
                let end = i + len;
                if end <= s.len()
                    && s[i..end].iter().all(|x| x.kind != TokenKind::Punct)
                    && s[i + 1..end].iter().all(|x| x.space_before)
                    && self.user_words.contains(&hashes[i..end])
                {
                    matched = len;
                    break;
                }
            }
            for gap in i..i + matched - 1 {
                joins[gap] = true;
                forced[gap] = true;
            }
            if matched > 1 {
                if i > 0 {
                    forced[i - 1] = true;
                }
                if let Some(after) = forced.get_mut(i + matched - 1) {
                    *after = true;
                }
            }
            i += matched;
        }
    }

    /// Segments a text into words.
    ///
    /// ```
    /// let seg = nhip_text::Segmenter::builtin();
    /// let out = seg.segment("Cộng tác viên báo cáo tình hình dư luận xã hội");
    /// assert_eq!(out.to_line(), "Cộng_tác_viên báo_cáo tình_hình dư_luận xã_hội");
    /// ```
    pub fn segment<'a>(&self, text: &'a str) -> Segmented<'a> {
        let tokens: Vec<Token<'a>> = tokenize(text).collect();
        let analysed: Vec<(u64, u8)> = tokens
            .iter()
            .map(|t| match analyze(t.text, t.kind) {
                (hash, shape, true) => (hash, shape),
                // Tone mark elsewhere than canonical: hash the canonical form.
                (_, shape, false) => (syllable_hash(t.text), shape),
            })
            .collect();
        self.segment_analysed(text, tokens, &analysed)
    }

    /// [`Segmenter::segment`] for text that already went through [`crate::normalize`]
    /// (documents in the index do): skips re-canonicalising tone marks, same result.
    pub fn segment_normalized<'a>(&self, text: &'a str) -> Segmented<'a> {
        self.segment_with(text, normalized_syllable_hash)
    }

    fn segment_with<'a>(&self, text: &'a str, hash: fn(&str) -> u64) -> Segmented<'a> {
        let tokens: Vec<Token<'a>> = tokenize(text).collect();
        let analysed: Vec<(u64, u8)> = tokens
            .iter()
            .map(|t| (hash(t.text), shape(t.text, t.kind)))
            .collect();
        self.segment_analysed(text, tokens, &analysed)
    }

    /// Segments tokens whose (hash, shape) are known.
    fn segment_analysed<'a>(
        &self,
        text: &'a str,
        tokens: Vec<Token<'a>>,
        analysed: &[(u64, u8)],
    ) -> Segmented<'a> {
        let mut b = Buffers::default();
        fill_syllables(&tokens, analysed.iter().copied(), &mut b.syllables);
        self.decide(&mut b);
        let joins = b.joins;
        let mut words = Vec::with_capacity(tokens.len());
        let mut first = 0;
        for i in 0..tokens.len() {
            if i + 1 == tokens.len() || !joins[i] {
                words.push(Word {
                    text: &text[tokens[first].start..tokens[i].end],
                    start: tokens[first].start,
                    end: tokens[i].end,
                    kind: tokens[first].kind,
                    tokens: first..i + 1,
                });
                first = i + 1;
            }
        }
        Segmented { tokens, words }
    }

    /// Normalises a text ([`crate::normalize`]) and segments the result, in one pass when the
    /// text is already clean (the common case), and hands both to `f`.
    ///
    /// ```
    /// let seg = nhip_text::Segmenter::builtin();
    /// let line = seg.normalize_segment("Uỷ ban hoà giải", |text, s| (text.to_string(), s.to_line()));
    /// assert_eq!(line, ("Ủy ban hòa giải".to_string(), "Ủy_ban hòa_giải".to_string()));
    /// ```
    pub fn normalize_segment<R>(&self, text: &str, f: impl FnOnce(&str, &Segmented) -> R) -> R {
        let mut reader = tokenize(text);
        let tokens: Vec<Token> = reader.by_ref().collect();
        // Punctuation runs are not checked by the tokenizer character by character.
        if reader.saw_only_normal_text()
            && tokens
                .iter()
                .filter(|t| t.kind == TokenKind::Punct)
                .all(|t| crate::normalize::is_clean(t.text))
        {
            let mut analysed = Vec::with_capacity(tokens.len());
            for t in &tokens {
                let (hash, shape, canonical) = analyze(t.text, t.kind);
                if !canonical {
                    break;
                }
                analysed.push((hash, shape));
            }
            if analysed.len() == tokens.len() {
                let segmented = self.segment_analysed(text, tokens, &analysed);
                return f(text, &segmented);
            }
        }
        let normalized = crate::normalize(text);
        let segmented = self.segment_normalized(&normalized);
        f(&normalized, &segmented)
    }

    /// Segments one line into the form of `nhip tokenize`.
    pub fn segment_line(&self, line: &str) -> String {
        self.segment(line).to_line()
    }

    /// Segments every line of `text` (lines end with `\n`; a last line may lack it) and
    /// appends each in the form of [`Segmenter::segment_line`], followed by `\n`, to `out`:
    /// the same result as `segment_line` line by line, without allocating per line.
    /// Returns the number of lines.
    ///
    /// ```
    /// let seg = nhip_text::Segmenter::builtin();
    /// let mut out = String::new();
    /// let lines = seg.segment_lines("Phụ huynh băn khoăn\r\n\nGiá 1.250.000 đồng", &mut out);
    /// assert_eq!((lines, out.as_str()), (3, "Phụ_huynh băn_khoăn\n\nGiá 1.250.000 đồng\n"));
    /// ```
    pub fn segment_lines(&self, text: &str, out: &mut String) -> usize {
        let mut tokens: Vec<Token> = Vec::new();
        let mut b = Buffers::default();
        let mut cache = AnalysisCache::new();
        let mut lines = 0;
        let mut line_start = 0;
        for line in text.split_terminator('\n') {
            lines += 1;
            read_line(
                text,
                line_start,
                line,
                &mut cache,
                &mut tokens,
                &mut b.syllables,
            );
            line_start += line.len() + 1;
            self.decide(&mut b);
            write_joined(line, &tokens, &b.joins, out);
        }
        lines
    }
}

/// Tokenizes `line` (`text[line_start..]`) and analyses its tokens into `tokens` and
/// `syllables`, as [`tokenize`] and [`analyze_token`] would. A word seen recently is known
/// without reading its letters: the bytes up to the next ASCII byte that is neither letter nor
/// digit (space, mark or control) are looked up in the cache, and a word of exactly those
/// bytes found there is that token (a word cannot hold such a byte, and one that could go on
/// past it never starts with those same bytes ending there). Only words of up to 15 bytes with
/// 16 bytes of `text` from their start are found this way; anything else goes through the
/// tokenizer.
fn read_line<'t>(
    text: &'t str,
    line_start: usize,
    line: &'t str,
    cache: &mut AnalysisCache,
    tokens: &mut Vec<Token<'t>>,
    syllables: &mut Vec<Syllable>,
) {
    tokens.clear();
    syllables.clear();
    let bytes = line.as_bytes();
    let mut pos = 0;
    let mut last_end = 0;
    loop {
        while bytes.get(pos) == Some(&b' ') {
            pos += 1;
        }
        let Some(&first) = bytes.get(pos) else {
            break;
        };
        let space_before = !tokens.is_empty() && pos > last_end;
        if may_start_word(first) {
            let at = line_start + pos;
            let known = AnalysisCache::window(text.as_bytes(), at)
                .and_then(|window| Some((window, word_candidate_len(window)?)))
                // A dot after it may belong to an abbreviation: the tokenizer decides.
                .filter(|&(_, len)| bytes.get(pos + len) != Some(&b'.'))
                .and_then(|(window, len)| {
                    let place = AnalysisCache::place_of(window, len, TokenKind::Word);
                    Some((len, cache.get(&place)?))
                });
            if let Some((len, (hash, shape))) = known {
                let end = pos + len;
                tokens.push(Token {
                    text: &line[pos..end],
                    start: pos,
                    end,
                    kind: TokenKind::Word,
                });
                syllables.push(Syllable {
                    hash,
                    shape,
                    kind: TokenKind::Word,
                    space_before,
                });
                pos = end;
                last_end = end;
                continue;
            }
        }
        let Some(t) = tokenize_from(line, pos).next() else {
            break;
        };
        let (hash, shape) = cache.analyze(text.as_bytes(), line_start + t.start, &t);
        syllables.push(Syllable {
            hash,
            shape,
            kind: t.kind,
            space_before: !tokens.is_empty() && t.start > last_end,
        });
        tokens.push(t);
        pos = t.end;
        last_end = t.end;
    }
}

/// Appends `line`'s tokens in the form of [`Segmented::to_line`] and a `\n` to `out`: the
/// line's own text in runs, changed only where a gap is written otherwise than it reads
/// (`_` in a word, one space between words, none at the ends).
fn write_joined(line: &str, tokens: &[Token], joins: &[bool], out: &mut String) {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        out.push('\n');
        return;
    };
    let bytes = line.as_bytes();
    let mut copied = first.start;
    for (pair, &join) in tokens.windows(2).zip(joins) {
        let (end, next) = (pair[0].end, pair[1].start);
        let gap = match (join, next - end) {
            // Glued and joined, or one space between words: as the line has it.
            (true, 0) => continue,
            (false, 1) if bytes[end] == b' ' => continue,
            (true, _) => "_",
            (false, _) => " ",
        };
        out.push_str(&line[copied..end]);
        out.push_str(gap);
        copied = next;
    }
    out.push_str(&line[copied..last.end]);
    out.push('\n');
}

/// Scratch space of one segmentation, kept between lines by [`Segmenter::segment_lines`].
#[derive(Default)]
struct Buffers {
    syllables: Vec<Syllable>,
    joins: Vec<bool>,
    starts: Vec<u8>,
    ends: Vec<u8>,
    forced: Vec<bool>,
    hashes: Vec<u64>,
}

/// A token's (hash, shape) as [`Segmenter::segment`] computes them.
#[inline]
fn analyze_token(t: &Token) -> (u64, u8) {
    match analyze(t.text, t.kind) {
        (hash, shape, true) => (hash, shape),
        // Tone mark elsewhere than canonical: hash the canonical form.
        (_, shape, false) => (syllable_hash(t.text), shape),
    }
}

/// Remembers the (hash, shape) of recent short tokens: running text repeats a few thousand
/// syllables, and a lookup costs less than reading a syllable's letters again.
struct AnalysisCache {
    entries: Vec<CachedToken>,
}

#[derive(Clone, Copy, Default)]
struct CachedToken {
    /// The token's bytes, little-endian, zero above its length.
    key: u128,
    /// Length and kind; 0 marks an empty entry (tokens are never empty).
    len_kind: u16,
    shape: u8,
    hash: u64,
}

const CACHED_TOKEN_BYTES: usize = 16;
/// 1 MiB of entries: on news text, 32,768 entries ran about 5% faster than 8,192 (4% fewer
/// instructions: fewer words read letter by letter), though they do not fit the second
/// cache level.
const CACHE_ENTRIES: usize = 32768;

/// The low `len` bytes of a `u128`, by `len` (a table: cheaper than shifting 128 bits).
static KEY_MASKS: [u128; CACHED_TOKEN_BYTES + 1] = {
    let mut masks = [0; CACHED_TOKEN_BYTES + 1];
    let mut len = 1;
    while len <= CACHED_TOKEN_BYTES {
        masks[len] = u128::MAX >> (128 - 8 * len);
        len += 1;
    }
    masks
};

impl AnalysisCache {
    fn new() -> AnalysisCache {
        AnalysisCache {
            entries: vec![CachedToken::default(); CACHE_ENTRIES],
        }
    }

    /// The 16 bytes of `text` from `at`, little-endian; `None` where the text ends sooner.
    #[inline]
    fn window(text: &[u8], at: usize) -> Option<u128> {
        let window = text.get(at..at + CACHED_TOKEN_BYTES)?;
        Some(u128::from_le_bytes(window.try_into().ok()?))
    }

    /// Where a token of `len` bytes and `kind` that starts `window` is kept.
    #[inline]
    fn place_of(window: u128, len: usize, kind: TokenKind) -> CachePlace {
        let key = window & KEY_MASKS[len.min(CACHED_TOKEN_BYTES)];
        let mixed = ((key as u64) ^ ((key >> 64) as u64).rotate_left(23) ^ len as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        CachePlace {
            key,
            len_kind: (len as u16) << 8 | kind as u16,
            entry: (mixed >> (64 - CACHE_ENTRIES.trailing_zeros())) as usize,
        }
    }

    /// Where token `t` (`text[at..at + t.text.len()]`) is kept; `None` for a token too long
    /// to keep.
    #[inline]
    fn place(text: &[u8], at: usize, t: &Token) -> Option<CachePlace> {
        let len = t.text.len();
        if len > CACHED_TOKEN_BYTES {
            return None;
        }
        // One 16-byte load from the text where the text goes on that far.
        let window = Self::window(text, at).unwrap_or_else(|| {
            let mut padded = [0u8; CACHED_TOKEN_BYTES];
            padded[..len].copy_from_slice(t.text.as_bytes());
            u128::from_le_bytes(padded)
        });
        Some(Self::place_of(window, len, t.kind))
    }

    /// The (hash, shape) kept at `place`, if that token is there.
    #[inline]
    fn get(&self, place: &CachePlace) -> Option<(u64, u8)> {
        let entry = self.entries.get(place.entry)?;
        (entry.key == place.key && entry.len_kind == place.len_kind)
            .then_some((entry.hash, entry.shape))
    }

    /// The (hash, shape) of token `t`, which is `text[at..at + t.text.len()]`.
    #[inline]
    fn analyze(&mut self, text: &[u8], at: usize, t: &Token) -> (u64, u8) {
        let Some(place) = Self::place(text, at, t) else {
            return analyze_token(t);
        };
        if let Some(known) = self.get(&place) {
            return known;
        }
        let (hash, shape) = analyze_token(t);
        if let Some(entry) = self.entries.get_mut(place.entry) {
            *entry = CachedToken {
                key: place.key,
                len_kind: place.len_kind,
                shape,
                hash,
            };
        }
        (hash, shape)
    }
}

/// A token's key in the [`AnalysisCache`] and the entry that may hold it.
#[derive(Clone, Copy)]
struct CachePlace {
    /// The token's bytes, little-endian, zero above its length.
    key: u128,
    /// Length and kind.
    len_kind: u16,
    entry: usize,
}

/// Starts loading `item` into the cache without waiting for it (the dictionary lookups of up to
/// 64 syllable pairs ask first, so their misses overlap).
#[inline]
fn prefetch<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch never faults; SSE is part of every x86_64 processor.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(item).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}

/// The model's view of each token, from its (hash, shape).
fn fill_syllables(
    tokens: &[Token],
    analysed: impl Iterator<Item = (u64, u8)>,
    out: &mut Vec<Syllable>,
) {
    out.clear();
    let mut last_end = 0;
    for (i, (t, (hash, shape))) in tokens.iter().zip(analysed).enumerate() {
        out.push(Syllable {
            hash,
            shape,
            kind: t.kind,
            space_before: i > 0 && t.start > last_end,
        });
        last_end = t.end;
    }
}

/// The shipped word lists' dictionary, read from its precomputed form (building it from the
/// lists costs about 50 ms, most of a short run's time; `dictionary_file_matches_the_word_lists`
/// keeps the two equal).
fn shipped_dictionary() -> Dictionary {
    static SHIPPED: OnceLock<Dictionary> = OnceLock::new();
    SHIPPED
        .get_or_init(|| {
            // Compiled in and checked by `dictionary_file_matches_the_word_lists`: not user input.
            Dictionary::from_bytes(SHIPPED_DICTIONARY)
                .expect("the shipped dictionary file is valid")
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dictionary of the shipped word lists, built from their text.
    fn dictionary_of_word_lists() -> Dictionary {
        let mut dictionary = Dictionary::default();
        for word in RDR_VOCAB.lines().chain(PYVI_WORDS.lines()) {
            dictionary.add(word);
        }
        dictionary.freeze();
        dictionary
    }

    #[test]
    fn shipped_model_loads_and_segments_our_sentences() {
        assert!(Model::from_bytes(SHIPPED_MODEL).is_ok());
        let seg = Segmenter::builtin();
        for (input, expected) in [
            // The treebank writes "người dân" as two words.
            (
                "Người dân xã Minh Tân phản ánh giá điện tăng cao",
                "Người dân xã Minh_Tân phản_ánh giá điện tăng cao",
            ),
            (
                "Ủy ban nhân dân huyện tổ chức đối thoại với các hộ dân",
                "Ủy_ban_nhân_dân huyện tổ_chức đối_thoại với các hộ dân",
            ),
            (
                "Phụ huynh băn khoăn về mức học phí mới",
                "Phụ_huynh băn_khoăn về mức học_phí mới",
            ),
        ] {
            assert_eq!(seg.segment_line(input), expected);
        }
    }

    /// `NHIP_BLESS=1 cargo test -p nhip-text dictionary_file` rewrites the file after the word
    /// lists or the hashing change.
    #[test]
    fn dictionary_file_matches_the_word_lists() {
        let built = dictionary_of_word_lists().to_bytes();
        if std::env::var_os("NHIP_BLESS").is_some() {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../data/model/dictionary.bin"
            );
            std::fs::write(path, &built).expect("data/model is writable");
            return;
        }
        assert!(
            built == SHIPPED_DICTIONARY,
            "data/model/dictionary.bin differs from the word lists: rerun with NHIP_BLESS=1"
        );
        let shipped = shipped_dictionary();
        assert!(shipped.contains(&[syllable_hash("tình"), syllable_hash("hình")]));
        assert!(shipped.contains(&[syllable_hash("tinh"), syllable_hash("hinh")]));
        assert!(Dictionary::from_bytes(&built[..built.len() - 1]).is_none());
    }

    #[test]
    fn user_words_are_kept_whole() {
        let mut seg = Segmenter::builtin().clone();
        seg.add_words(["Ban Tuyên giáo Tỉnh ủy"]);
        assert_eq!(
            seg.segment_line("Ban Tuyên giáo Tỉnh uỷ họp"),
            "Ban_Tuyên_giáo_Tỉnh_uỷ họp"
        );
        assert!(seg.contains("ban tuyên giáo tỉnh ủy"));
    }

    #[test]
    fn normalized_path_agrees() {
        let seg = Segmenter::builtin();
        let text = crate::normalize("Uỷ ban nhân dân TP. HCM hoà giải tranh chấp đất đai năm 2025");
        assert_eq!(
            seg.segment_normalized(&text).words,
            seg.segment(&text).words
        );
    }

    #[test]
    fn glued_tokens_stay_together() {
        let seg = Segmenter::builtin();
        assert_eq!(
            seg.segment_line("ca COVID-19 ở TP.HCM."),
            "ca COVID-19 ở TP.HCM ."
        );
        assert_eq!(
            seg.segment_line(
                "Xem https://baotinhnha.example/tin/a-b?x=1, gửi ctv.dlxh@tinh.gov.vn (COVID-19)."
            ),
            "Xem https://baotinhnha.example/tin/a-b?x=1 , gửi ctv.dlxh@tinh.gov.vn ( COVID-19 ) ."
        );
        assert_eq!(
            seg.segment_line("giá 1.250.000 đồng, (tăng)"),
            "giá 1.250.000 đồng , ( tăng )"
        );
    }

    #[test]
    fn offsets_cover_the_word() {
        let text = "Người dân Đà Nẵng, giá 1.250.000 đồng";
        let out = Segmenter::builtin().segment(text);
        for w in &out.words {
            assert_eq!(&text[w.start..w.end], w.text);
        }
        assert_eq!(out.words.last().map(|w| w.text), Some("đồng"));
    }

    #[test]
    fn empty_and_odd_input() {
        let seg = Segmenter::builtin();
        assert!(seg.segment("").words.is_empty());
        assert_eq!(seg.segment_line("   "), "");
        assert_eq!(
            seg.segment_line("a\u{300}\u{300}\u{301} !!"),
            "a\u{300}\u{300}\u{301} !!"
        );
    }

    /// Lines written for these tests: glued tokens, numbers, abbreviations, odd spacing.
    const LINES: &str = "Người dân xã Minh Tân phản ánh giá điện tăng cao\r\n\n  \
        Uỷ ban nhân dân TP. HCM hoà giải tranh chấp đất đai năm 2025  \n\
        ca COVID-19 ở TP.HCM... giá 1.250.000 đồng, (tăng)!!\r\r\n\
        Ban Tuyên giáo Tỉnh uỷ họp\tvới Phụ huynh băn khoăn về mức học phí mới\n\
        nguoi dan xa minh tan phan anh gia dien tang cao";

    #[test]
    fn segment_lines_writes_what_segment_line_gives() {
        let mut with_words = Segmenter::builtin().clone();
        with_words.add_words(["Ban Tuyên giáo Tỉnh ủy", "tranh chấp đất đai"]);
        for seg in [Segmenter::builtin(), &with_words] {
            for text in [LINES, "", "\n", "một dòng", "a\n\nb\n"] {
                let expected: String = text
                    .split_terminator('\n')
                    .map(|l| seg.segment_line(l) + "\n")
                    .collect();
                let mut out = String::from("kept ");
                let lines = seg.segment_lines(text, &mut out);
                assert_eq!(out, format!("kept {expected}"));
                assert_eq!(lines, text.split_terminator('\n').count());
            }
        }
    }

    #[test]
    fn gap_scores_equal_the_feature_scores() {
        let seg = Segmenter::builtin();
        let mut b = Buffers::default();
        let mut features = [0u32; features::FEATURES_PER_GAP];
        let mut gaps = 0;
        for line in LINES.lines() {
            let tokens: Vec<Token> = tokenize(line).collect();
            let analysed = tokens
                .iter()
                .map(|t| (syllable_hash(t.text), shape(t.text, t.kind)));
            fill_syllables(&tokens, analysed, &mut b.syllables);
            // Decoding rolls the window of word starts along the line; training reads it
            // for every gap anew.
            seg.dictionary.word_starts(&b.syllables, &mut b.starts);
            word_ends(&b.starts, &mut b.ends);
            let mut all_scores = Vec::new();
            seg.score_gaps(&b.syllables, &b.starts, &b.ends, |_, scores| {
                all_scores.push(scores)
            });
            for (i, &scores) in all_scores.iter().enumerate() {
                if gap_rule(&b.syllables, i) != GapRule::Model {
                    continue;
                }
                for prev in [false, true] {
                    features::gap_feature_slots(
                        &b.syllables,
                        &b.starts,
                        &b.ends,
                        i,
                        prev,
                        &mut features,
                    );
                    assert_eq!(scores[usize::from(prev)], seg.model.score(&features));
                }
                gaps += 1;
            }
        }
        assert!(gaps > 50);
    }

    /// `text` through [`Segmenter::segment_lines`], and line by line through
    /// [`Segmenter::segment_line`].
    fn lines_together_and_one_by_one(text: &str) -> (String, String) {
        let seg = Segmenter::builtin();
        let mut together = String::new();
        seg.segment_lines(text, &mut together);
        let one_by_one = text
            .split_terminator('\n')
            .map(|l| seg.segment_line(l) + "\n")
            .collect();
        (together, one_by_one)
    }

    proptest::proptest! {
        #[test]
        fn segment_lines_agrees_on_any_text(text in "[a-zA-ZđĐơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ0-9 .,:/()\\-\r\n\u{300}\u{301}]{0,200}") {
            let (together, one_by_one) = lines_together_and_one_by_one(&text);
            proptest::prop_assert_eq!(together, one_by_one);
        }

        /// Words repeat, so most are read from the analysis cache, beside pieces that look
        /// like them: a known word glued to letters, marks, digits or a dot.
        #[test]
        fn segment_lines_agrees_on_repeated_words(
            pieces in proptest::collection::vec(
                "(người|dân|ủy|ban|TP|Q|Hà|Nội|ngày|Ðà|COVID|x|ß|×|\u{300}|ạ|1|2025|\\.|,|…|“|”|-| |  |\t|\u{a0}|\r\n|\n)",
                0..120,
            )
        ) {
            let text: String = pieces.concat();
            let (together, one_by_one) = lines_together_and_one_by_one(&text);
            proptest::prop_assert_eq!(together, one_by_one);
        }
    }
}
