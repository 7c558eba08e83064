//! tantivy tokenizers over nhip-text: one token per syllable or number, offsets into the
//! original text, as exact or accent-free terms.

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
            analysed.words_fold
        } else {
            analysed.words_exact
        }
    }
}

/// Syllable tokenizer; `fold` chooses accent-free terms.
#[derive(Debug, Clone, Copy)]
pub struct VietnameseTokenizer {
    pub fold: bool,
}

/// Tokens of one text, computed up front.
pub struct VietnameseTokenStream {
    tokens: Vec<Token>,
    current: usize,
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
        self.terms_of(text, tokenize(text), false).0
    }

    /// [`Self::terms`] over tokens already cut from `text`, with the index of each token's
    /// term (`None` for punctuation).
    /// `normalized` text (as every stored document is) needs only lower-casing per token.
    fn terms_of<'t>(
        &self,
        text: &str,
        tokens: impl Iterator<Item = nhip_text::Token<'t>>,
        normalized: bool,
    ) -> (Vec<Token>, Vec<Option<usize>>) {
        let mut terms = Vec::new();
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
            if !terms.is_empty() && text[last_end..t.start].contains('\n') {
                position += 1;
            }
            terms.push(Token {
                offset_from: t.start,
                offset_to: t.end,
                position,
                text: if normalized && !self.fold {
                    lower_term(t.text)
                } else {
                    self.term(t.text)
                },
                position_length: 1,
            });
            position += 1;
            last_end = t.end;
        }
        (terms, term_of)
    }
}

/// One text analysed once for every field that indexes it: syllable terms exact and
/// accent-free (same positions and offsets), and segmenter words exact and accent-free.
pub(crate) struct Analysed {
    pub exact: Vec<Token>,
    pub fold: Vec<Token>,
    pub words_exact: Vec<Token>,
    pub words_fold: Vec<Token>,
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
        let fold: Vec<Token> = exact
            .iter()
            .map(|t| Token {
                text: nhip_text::fold(&t.text).into_owned(),
                ..t.clone()
            })
            .collect();
        let words_exact: Vec<Token> = segmented
            .words
            .iter()
            .filter(|w| w.kind != TokenKind::Punct)
            .enumerate()
            .map(|(position, w)| Token {
                offset_from: w.start,
                offset_to: w.end,
                position,
                text: joined(&term_of[w.tokens.clone()], &exact),
                position_length: 1,
            })
            .collect();
        // The same words from the accent-free syllables: nothing is folded twice.
        let words_fold = segmented
            .words
            .iter()
            .filter(|w| w.kind != TokenKind::Punct)
            .zip(&words_exact)
            .map(|(w, exact_word)| Token {
                text: joined(&term_of[w.tokens.clone()], &fold),
                ..exact_word.clone()
            })
            .collect();
        Analysed {
            exact,
            fold,
            words_exact,
            words_fold,
        }
    }
}

/// A word's term: the terms of its syllables joined by `_`.
fn joined(term_indices: &[Option<usize>], terms: &[Token]) -> String {
    let mut word = String::new();
    for &i in term_indices.iter().flatten() {
        if !word.is_empty() {
            word.push('_');
        }
        word.push_str(&terms[i].text);
    }
    word
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

/// A text's hash and length, and the token lists not yet taken by a tokenizer.
type CacheEntry = (u64, usize, [Option<Vec<Token>>; 4]);

const CACHE_ENTRIES: usize = 8;

thread_local! {
    static CACHE: std::cell::RefCell<AnalysisCache> =
        const { std::cell::RefCell::new(AnalysisCache { entries: Vec::new() }) };
}

fn cached_tokens(text: &str, part: Part) -> Vec<Token> {
    let key = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let index = part as usize;
        if let Some(entry) = cache
            .entries
            .iter_mut()
            .find(|(k, len, _)| *k == key && *len == text.len())
        {
            if let Some(tokens) = entry.2[index].take() {
                return tokens;
            }
        }
        let analysed = Analysed::of(text);
        let mut parts = [
            Some(analysed.exact),
            Some(analysed.fold),
            Some(analysed.words_exact),
            Some(analysed.words_fold),
        ];
        let tokens = parts[index].take().unwrap_or_default();
        if cache.entries.len() >= CACHE_ENTRIES {
            cache.entries.remove(0);
        }
        cache.entries.push((key, text.len(), parts));
        tokens
    })
}

/// The exact term of a token of normalised text: lower case, an abbreviation's dot dropped.
fn lower_term(token: &str) -> String {
    let token = token.strip_suffix('.').unwrap_or(token);
    if token.is_ascii() {
        token.to_ascii_lowercase()
    } else {
        token.to_lowercase()
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
        VietnameseTokenStream {
            tokens: cached_tokens(text, part),
            current: usize::MAX,
        }
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
        VietnameseTokenStream {
            tokens: cached_tokens(text, part),
            current: usize::MAX,
        }
    }
}

impl TokenStream for VietnameseTokenStream {
    fn advance(&mut self) -> bool {
        self.current = self.current.wrapping_add(1);
        self.current < self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.current]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.current]
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

    #[test]
    fn stream_yields_terms_with_offsets() {
        let text = "Đà Nẵng, hoà bình";
        let mut tokenizer = VietnameseTokenizer { fold: false };
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
        ] {
            let analysed = Analysed::of(text);
            let plain = |tokens: &[Token]| {
                tokens
                    .iter()
                    .map(|t| (t.text.clone(), t.position, t.offset_from, t.offset_to))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                plain(&analysed.exact),
                plain(&VietnameseTokenizer { fold: false }.terms(text))
            );
            assert_eq!(
                plain(&analysed.fold),
                plain(&VietnameseTokenizer { fold: true }.terms(text))
            );
            assert_eq!(
                plain(&analysed.words_exact),
                plain(&VietnameseWordTokenizer { fold: false }.terms(text))
            );
            assert_eq!(
                plain(&analysed.words_fold),
                plain(&VietnameseWordTokenizer { fold: true }.terms(text))
            );
        }
    }
}
