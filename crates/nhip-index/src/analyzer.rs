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
        let segmented = nhip_text::Segmenter::builtin().segment_normalized(text);
        let syllable = VietnameseTokenizer { fold: self.fold };
        segmented
            .words
            .iter()
            .filter(|w| w.kind != TokenKind::Punct)
            .enumerate()
            .map(|(position, w)| Token {
                offset_from: w.start,
                offset_to: w.end,
                position,
                text: segmented.tokens[w.tokens.clone()]
                    .iter()
                    .filter(|t| t.kind != TokenKind::Punct)
                    .map(|t| syllable.term(t.text))
                    .collect::<Vec<_>>()
                    .join("_"),
                position_length: 1,
            })
            .collect()
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
        let mut terms = Vec::new();
        let mut position = 0;
        let mut last_end = 0;
        for t in tokenize(text) {
            if t.kind == TokenKind::Punct {
                position += usize::from(is_sentence_end(t.text));
                continue;
            }
            if !terms.is_empty() && text[last_end..t.start].contains('\n') {
                position += 1;
            }
            terms.push(Token {
                offset_from: t.start,
                offset_to: t.end,
                position,
                text: self.term(t.text),
                position_length: 1,
            });
            position += 1;
            last_end = t.end;
        }
        terms
    }
}

/// Punctuation that ends a sentence (abbreviations and numbers keep their dots inside tokens).
fn is_sentence_end(punct: &str) -> bool {
    punct.starts_with(['.', '!', '?', ';', '…'])
}

/// Both tokenizers compute their terms up front and stream them.
macro_rules! streaming_tokenizer {
    ($tokenizer:ty) => {
        impl Tokenizer for $tokenizer {
            type TokenStream<'a> = VietnameseTokenStream;

            fn token_stream<'a>(&'a mut self, text: &'a str) -> VietnameseTokenStream {
                VietnameseTokenStream {
                    tokens: self.terms(text),
                    current: usize::MAX,
                }
            }
        }
    };
}

streaming_tokenizer!(VietnameseTokenizer);
streaming_tokenizer!(VietnameseWordTokenizer);

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
}
