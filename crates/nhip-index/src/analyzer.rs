//! tantivy tokenizers over nhip-text: one token per syllable or number, offsets into the
//! original text, as exact or accent-free terms.
//!
//! The syllable fields also hold, stacked at the position of its first syllable, a token for
//! each pair of syllables that follow each other inside a sentence (`giá điện`, see
//! [`pair_term`]). Two syllables typed together are then one posting list, and a longer
//! phrase a phrase of pairs: accent-free syllables such as `gia` and `dien` occur in a third
//! of all documents, and checking the positions of every document that holds both cost more
//! than the rest of a search.

use nhip_text::{exact_term, folded_term, tokenize, TokenKind};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::Index;

/// Name under which the exact (diacritics kept) tokenizer is registered.
pub const EXACT_TOKENIZER: &str = "vi_exact";
/// Name under which the accent-free tokenizer is registered.
pub const FOLD_TOKENIZER: &str = "vi_fold";

/// Name of the tokenizer that emits segmenter words with diacritics kept (`tham_nhũng`).
pub const WORDS_EXACT_TOKENIZER: &str = "vi_words_exact";
/// Name of the tokenizer that emits accent-free segmenter words (`tham_nhung`).
pub const WORDS_FOLD_TOKENIZER: &str = "vi_words_fold";

/// Word tokenizer: the segmenter's words, syllable terms joined by `_`. Used for ranking only:
/// a match on word boundaries scores above one inside a longer word.
#[derive(Debug, Clone, Copy)]
pub struct VietnameseWordTokenizer {
    pub fold: bool,
}

impl VietnameseWordTokenizer {
    /// The word terms of a text (already normalised, as stored documents and parsed queries are).
    pub fn terms(&self, text: &str) -> Vec<Token> {
        let analysed = Analysed::of(text);
        if self.fold {
            analysed.words_fold.to_tokens()
        } else {
            analysed.words_exact.to_tokens()
        }
    }
}

/// Syllable tokenizer; `fold` chooses accent-free terms.
#[derive(Debug, Clone, Copy)]
pub struct VietnameseTokenizer {
    pub fold: bool,
}

/// The terms of one text for one field, packed: one string holds every term's text, so a
/// long article costs a few allocations, not one per syllable.
#[derive(Debug, Clone, Default)]
pub(crate) struct TermList {
    text: String,
    terms: Vec<PackedTerm>,
}

/// A term of a [`TermList`]: where its text ends in the list's string (it starts where the
/// previous one ends), its offsets in the original text and its position.
#[derive(Debug, Clone, Copy)]
struct PackedTerm {
    end: usize,
    offset_from: usize,
    offset_to: usize,
    position: usize,
}

impl TermList {
    fn with_capacity(bytes: usize, terms: usize) -> TermList {
        TermList {
            text: String::with_capacity(bytes),
            terms: Vec::with_capacity(terms),
        }
    }

    /// Ends the term whose text was just written to `self.text`.
    fn end_term(&mut self, offset_from: usize, offset_to: usize, position: usize) {
        self.terms.push(PackedTerm {
            end: self.text.len(),
            offset_from,
            offset_to,
            position,
        });
    }

    fn push(&mut self, term: &str, offset_from: usize, offset_to: usize, position: usize) {
        self.text.push_str(term);
        self.end_term(offset_from, offset_to, position);
    }

    fn len(&self) -> usize {
        self.terms.len()
    }

    fn term(&self, index: usize) -> &str {
        let start = index.checked_sub(1).map_or(0, |i| self.terms[i].end);
        &self.text[start..self.terms[index].end]
    }

    /// The terms as tantivy tokens (for queries, which are short).
    pub(crate) fn to_tokens(&self) -> Vec<Token> {
        (0..self.len())
            .map(|i| {
                let t = self.terms[i];
                Token {
                    offset_from: t.offset_from,
                    offset_to: t.offset_to,
                    position: t.position,
                    text: self.term(i).to_string(),
                    position_length: 1,
                }
            })
            .collect()
    }
}

/// The term that stands for two syllables following each other in a sentence: both terms
/// joined by a space, which no syllable term holds.
pub fn pair_term(first: &str, second: &str) -> String {
    let mut pair = String::with_capacity(first.len() + 1 + second.len());
    pair.push_str(first);
    pair.push(' ');
    pair.push_str(second);
    pair
}

/// A [`TermList`] streamed through one reused token; with `pairs`, each term that the next one
/// follows in the same sentence is followed by their [`pair_term`], at the same position.
pub struct VietnameseTokenStream {
    terms: TermList,
    next: usize,
    pairs: bool,
    /// The pair of the term just emitted and the next one is due.
    pair_due: bool,
    token: Token,
}

impl VietnameseTokenStream {
    fn new(terms: TermList, pairs: bool) -> VietnameseTokenStream {
        VietnameseTokenStream {
            terms,
            next: 0,
            pairs,
            pair_due: false,
            token: Token::default(),
        }
    }
}

impl VietnameseTokenizer {
    /// The term of one token (`TP.` is indexed as `tp`, so `TP` finds it).
    pub fn term(&self, token: &str) -> String {
        let text = token.strip_suffix('.').unwrap_or(token);
        if self.fold {
            folded_term(text)
        } else {
            exact_term(text)
        }
    }

    /// The index terms of a text with their offsets, in order.
    ///
    /// Positions are consecutive within a sentence; a sentence end (`.` `!` `?` `;` `…`) or a
    /// line break leaves a gap, so a phrase never matches across sentences.
    pub fn terms(&self, text: &str) -> Vec<Token> {
        self.terms_of(text, tokenize(text), false).0.to_tokens()
    }

    /// [`Self::terms`] over tokens already cut from `text`, with the index of each token's
    /// term (`None` for punctuation).
    /// `normalized` text (as every stored document is) needs only lower-casing per token.
    fn terms_of<'t>(
        &self,
        text: &str,
        tokens: impl Iterator<Item = nhip_text::Token<'t>>,
        normalized: bool,
    ) -> (TermList, Vec<Option<usize>>) {
        let mut terms = TermList::with_capacity(text.len(), text.len() / 4);
        let mut term_of = Vec::new();
        let mut position = 0;
        let mut last_end = 0;
        for t in tokens {
            if t.kind == TokenKind::Punct {
                term_of.push(None);
                position += usize::from(is_sentence_end(t.text));
                continue;
            }
            term_of.push(Some(terms.len()));
            if terms.len() > 0 && text[last_end..t.start].contains('\n') {
                position += 1;
            }
            if normalized && !self.fold {
                push_lower_term(&mut terms.text, t.text);
            } else {
                terms.text.push_str(&self.term(t.text));
            }
            terms.end_term(t.start, t.end, position);
            position += 1;
            last_end = t.end;
        }
        (terms, term_of)
    }
}

/// One text analysed once for every field that indexes it: syllable terms exact and
/// accent-free (same positions and offsets), and segmenter words exact and accent-free.
pub(crate) struct Analysed {
    pub exact: TermList,
    pub fold: TermList,
    pub words_exact: TermList,
    pub words_fold: TermList,
}

impl Analysed {
    pub fn of(text: &str) -> Analysed {
        // One tokenisation and one exact term per syllable serve all four fields.
        let segmented = nhip_text::Segmenter::builtin().segment_normalized(text);
        // Stored documents are normalised already; anything else takes the full path per token.
        let normalized = nhip_text::is_normalized(text, &segmented.tokens);
        let (exact, term_of) = VietnameseTokenizer { fold: false }.terms_of(
            text,
            segmented.tokens.iter().cloned(),
            normalized,
        );
        // Folding an exact term equals folding the original: case and tone placement fold away.
        let mut fold = TermList::with_capacity(exact.text.len(), exact.len());
        for (i, t) in exact.terms.iter().enumerate() {
            fold.push(
                &nhip_text::fold(exact.term(i)),
                t.offset_from,
                t.offset_to,
                t.position,
            );
        }
        let words = || {
            segmented
                .words
                .iter()
                .filter(|w| w.kind != TokenKind::Punct)
                .enumerate()
        };
        // A word's term: the terms of its syllables joined by `_`.
        let join = |syllables: &TermList| {
            let mut list = TermList::with_capacity(syllables.text.len(), syllables.len());
            for (position, w) in words() {
                for (n, &i) in term_of[w.tokens.clone()].iter().flatten().enumerate() {
                    if n > 0 {
                        list.text.push('_');
                    }
                    list.text.push_str(syllables.term(i));
                }
                list.end_term(w.start, w.end, position);
            }
            list
        };
        Analysed {
            words_exact: join(&exact),
            words_fold: join(&fold),
            exact,
            fold,
        }
    }
}

/// Which of an [`Analysed`] text's token lists a tokenizer streams.
#[derive(Clone, Copy)]
enum Part {
    Exact,
    Fold,
    WordsExact,
    WordsFold,
}

/// Texts analysed recently on this thread. tantivy runs every field's tokenizer over the same
/// text in turn (exact, accent-free, words exact, words accent-free), on one indexing thread
/// per document: the first analyses, the other three take their part, so each text is
/// tokenised and segmented once however many fields index it.
struct AnalysisCache {
    entries: Vec<CacheEntry>,
}

/// A text's hash and length, and the term lists not yet taken by a tokenizer.
type CacheEntry = (u64, usize, [Option<TermList>; 4]);

const CACHE_ENTRIES: usize = 8;

thread_local! {
    static CACHE: std::cell::RefCell<AnalysisCache> =
        const { std::cell::RefCell::new(AnalysisCache { entries: Vec::new() }) };
}

fn cached_terms(text: &str, part: Part) -> TermList {
    let key = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let index = part as usize;
        if let Some(entry) = cache
            .entries
            .iter_mut()
            .find(|(k, len, _)| *k == key && *len == text.len())
        {
            if let Some(terms) = entry.2[index].take() {
                return terms;
            }
        }
        let analysed = Analysed::of(text);
        let mut parts = [
            Some(analysed.exact),
            Some(analysed.fold),
            Some(analysed.words_exact),
            Some(analysed.words_fold),
        ];
        let terms = parts[index].take().unwrap_or_default();
        if cache.entries.len() >= CACHE_ENTRIES {
            cache.entries.remove(0);
        }
        cache.entries.push((key, text.len(), parts));
        terms
    })
}

/// Appends the exact term of a token of normalised text: lower case, an abbreviation's dot
/// dropped.
fn push_lower_term(out: &mut String, token: &str) {
    let token = token.strip_suffix('.').unwrap_or(token);
    if token.is_ascii() {
        out.extend(token.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else if token.contains('Σ') {
        // A final sigma lower-cases by context, as queries' `str::to_lowercase` does it.
        out.push_str(&token.to_lowercase());
    } else {
        out.extend(token.chars().flat_map(char::to_lowercase));
    }
}

/// Punctuation that ends a sentence (abbreviations and numbers keep their dots inside tokens).
fn is_sentence_end(punct: &str) -> bool {
    punct.starts_with(['.', '!', '?', ';', '…'])
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = VietnameseTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietnameseTokenStream {
        let part = if self.fold { Part::Fold } else { Part::Exact };
        VietnameseTokenStream::new(cached_terms(text, part), true)
    }
}

impl Tokenizer for VietnameseWordTokenizer {
    type TokenStream<'a> = VietnameseTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietnameseTokenStream {
        let part = if self.fold {
            Part::WordsFold
        } else {
            Part::WordsExact
        };
        VietnameseTokenStream::new(cached_terms(text, part), false)
    }
}

impl TokenStream for VietnameseTokenStream {
    fn advance(&mut self) -> bool {
        if self.pair_due {
            // `next` is the second syllable; the token still holds the first.
            self.pair_due = false;
            let second = self.terms.terms[self.next];
            self.token.text.push(' ');
            self.token.text.push_str(self.terms.term(self.next));
            self.token.offset_to = second.offset_to;
            self.token.position_length = 2;
            return true;
        }
        let Some(&term) = self.terms.terms.get(self.next) else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push_str(self.terms.term(self.next));
        self.token.offset_from = term.offset_from;
        self.token.offset_to = term.offset_to;
        self.token.position = term.position;
        self.token.position_length = 1;
        self.next += 1;
        self.pair_due = self.pairs
            && self
                .terms
                .terms
                .get(self.next)
                .is_some_and(|second| second.position == term.position + 1);
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Registers both tokenizers; tantivy does not store them, so this runs on every open.
pub(crate) fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(EXACT_TOKENIZER, VietnameseTokenizer { fold: false });
    manager.register(FOLD_TOKENIZER, VietnameseTokenizer { fold: true });
    manager.register(
        WORDS_EXACT_TOKENIZER,
        VietnameseWordTokenizer { fold: false },
    );
    manager.register(WORDS_FOLD_TOKENIZER, VietnameseWordTokenizer { fold: true });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every token of `text`: its term, the text its offsets cover, its position.
    fn tokens<'a>(tokenizer: &mut impl Tokenizer, text: &'a str) -> Vec<(String, &'a str, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((
                t.text.clone(),
                &text[t.offset_from..t.offset_to],
                t.position,
            ));
        }
        seen
    }

    #[test]
    fn stream_stacks_pairs_of_neighbours_inside_a_sentence() {
        let text = "Giá điện. Tăng, giá\nđiện";
        let seen = tokens(&mut VietnameseTokenizer { fold: true }, text);
        // No pair across the sentence end or the line break; one across the comma.
        assert_eq!(
            seen,
            [
                ("gia".to_string(), "Giá", 0),
                ("gia dien".to_string(), "Giá điện", 0),
                ("dien".to_string(), "điện", 1),
                ("tang".to_string(), "Tăng", 3),
                ("tang gia".to_string(), "Tăng, giá", 3),
                ("gia".to_string(), "giá", 4),
                ("dien".to_string(), "điện", 6),
            ]
        );
        // Word fields hold no pairs.
        let words = tokens(&mut VietnameseWordTokenizer { fold: true }, text);
        assert!(words.iter().all(|(t, ..)| !t.contains(' ')), "{words:?}");
    }

    #[test]
    fn stream_yields_terms_with_offsets() {
        let text = "Đà Nẵng, hoà bình";
        let mut seen = tokens(&mut VietnameseTokenizer { fold: false }, text);
        // Pairs are the test above's.
        seen.retain(|(t, ..)| !t.contains(' '));
        assert_eq!(
            seen,
            [
                ("đà".to_string(), "Đà", 0),
                ("nẵng".to_string(), "Nẵng", 1),
                ("hòa".to_string(), "hoà", 2),
                ("bình".to_string(), "bình", 3)
            ]
        );
        let gaps: Vec<usize> = VietnameseTokenizer { fold: true }
            .terms("Xe lật. Xe tải\nlật, xe TP. Huế")
            .into_iter()
            .map(|t| t.position)
            .collect();
        // xe lật | xe tải | lật xe tp huế: gaps after "." and the line break, none at "," or "TP.".
        assert_eq!(gaps, [0, 1, 3, 4, 6, 7, 8, 9]);
        let folded: Vec<String> = VietnameseTokenizer { fold: true }
            .terms(text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(folded, ["da", "nang", "hoa", "binh"]);
    }

    #[test]
    fn analysing_once_gives_what_each_tokenizer_gives() {
        for text in [
            "Đà Nẵng, hoà bình. TP. HCM\nThuỷ điện Hoà Bình xả lũ",
            "Người dân xã Tân Phú phản ánh về giá điện tăng cao; UBND tỉnh trả lời.",
            "tham nhung va lang phi o cap xa",
            "ĐƯỜNG PHỐ Ở ATHENS: ΟΔΟΣ ΕΡΜΟΥ, ΟΔΟΣ. Σ",
        ] {
            let analysed = Analysed::of(text);
            let plain = |tokens: &[Token]| {
                tokens
                    .iter()
                    .map(|t| (t.text.clone(), t.position, t.offset_from, t.offset_to))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                plain(&analysed.exact.to_tokens()),
                plain(&VietnameseTokenizer { fold: false }.terms(text))
            );
            assert_eq!(
                plain(&analysed.fold.to_tokens()),
                plain(&VietnameseTokenizer { fold: true }.terms(text))
            );
            assert_eq!(
                plain(&analysed.words_exact.to_tokens()),
                plain(&VietnameseWordTokenizer { fold: false }.terms(text))
            );
            assert_eq!(
                plain(&analysed.words_fold.to_tokens()),
                plain(&VietnameseWordTokenizer { fold: true }.terms(text))
            );
        }
    }
}
