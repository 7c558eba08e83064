//! nhip's query language, shared by `nhip search` and topic queries.
//!
//! ```text
//! query    := or ( "OR" or )*            -- lowest precedence
//! or       := unary+                     -- juxtaposition (or "AND") means AND
//! unary    := ("-" | "NOT") unary | primary
//! primary  := "(" query ")" | FIELD ":" value | "quoted phrase" | word
//! FIELD    := source | kind | unit | lang | title | ref
//! ```
//!
//! Unquoted text is read as **words**: a run of plain words is grouped by the word segmenter
//! (`sat lo mien trung` → `"sat lo"` AND `"mien trung"`), and each word of several syllables
//! must occur as that syllable sequence, like a quoted phrase. `AND` between two words keeps
//! them apart (`tham AND nhung`). A word or phrase with any diacritic is matched exactly (up to
//! case and tone placement), one without any is matched accent-free.
//!
//! [`QueryNode`]'s `Display` is the reading shown to the user (`"sat lo" AND "mien trung"`).

use crate::analyzer::pair_term;
use crate::schema::{filter_key, reference_key, Fields};
use crate::{VietnameseTokenizer, VietnameseWordTokenizer};
use nhip_text::{has_diacritics, Segmenter, TokenKind};
use std::collections::HashMap;
use std::fmt;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// A malformed query: what is wrong and where (1-based character column).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query error at column {column}: {message}")]
pub struct QueryError {
    pub column: usize,
    pub message: String,
}

/// Which metadata field a filter tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    Source,
    Kind,
    Unit,
    Lang,
    /// An administrative document's number (`ref:123/UBND-NL`).
    Reference,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryNode {
    /// Words or a phrase: its syllables must appear in sequence.
    Text {
        text: String,
        title_only: bool,
    },
    Filter {
        field: FilterField,
        value: String,
    },
    And(Vec<QueryNode>),
    Or(Vec<QueryNode>),
    Not(Box<QueryNode>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Open,
    Close,
    Or,
    And,
    Not,
    Phrase(String),
    Word(String),
    Field(String),
}

fn lex(input: &str) -> Result<Vec<(usize, Lexeme)>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push((column, Lexeme::Open));
            i += 1;
        } else if c == ')' {
            out.push((column, Lexeme::Close));
            i += 1;
        } else if c == '"' {
            let end = chars[i + 1..]
                .iter()
                .position(|&d| d == '"')
                .ok_or(QueryError {
                    column,
                    message: "unclosed quote".into(),
                })?;
            out.push((
                column,
                Lexeme::Phrase(chars[i + 1..i + 1 + end].iter().collect()),
            ));
            i += end + 2;
        } else if c == '-'
            && chars.get(i + 1).is_some_and(|d| !d.is_whitespace())
            && (i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(')
        {
            out.push((column, Lexeme::Not));
            i += 1;
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '"')
            {
                i += 1;
                if chars[i - 1] == ':' {
                    let name: String = chars[start..i - 1].iter().collect();
                    if matches!(
                        name.as_str(),
                        "source" | "kind" | "unit" | "lang" | "title" | "ref"
                    ) {
                        out.push((column, Lexeme::Field(name)));
                        break;
                    }
                }
            }
            if matches!(out.last(), Some((c, Lexeme::Field(_))) if *c == column) {
                continue;
            }
            let word: String = chars[start..i].iter().collect();
            out.push((
                column,
                match word.as_str() {
                    "OR" => Lexeme::Or,
                    "AND" => Lexeme::And,
                    "NOT" => Lexeme::Not,
                    _ => Lexeme::Word(word),
                },
            ));
        }
    }
    Ok(out)
}

struct Parser<'s> {
    lexemes: Vec<(usize, Lexeme)>,
    pos: usize,
    end_column: usize,
    segmenter: &'s Segmenter,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.pos).map(|(_, l)| l)
    }

    fn column(&self) -> usize {
        self.lexemes
            .get(self.pos)
            .map_or(self.end_column, |(c, _)| *c)
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, QueryError> {
        Err(QueryError {
            column: self.column(),
            message: message.into(),
        })
    }

    fn query(&mut self) -> Result<QueryNode, QueryError> {
        let mut alternatives = vec![self.conjunction()?];
        while self.peek() == Some(&Lexeme::Or) {
            self.pos += 1;
            alternatives.push(self.conjunction()?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.remove(0)
        } else {
            QueryNode::Or(alternatives)
        })
    }

    fn conjunction(&mut self) -> Result<QueryNode, QueryError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Lexeme::Close) | Some(Lexeme::Or) => break,
                Some(Lexeme::And) => self.pos += 1,
                Some(Lexeme::Word(_)) => {
                    let start = self.pos;
                    while matches!(self.peek(), Some(Lexeme::Word(_))) {
                        self.pos += 1;
                    }
                    parts.extend(self.words(start..self.pos)?);
                }
                _ => parts.push(self.unary()?),
            }
        }
        match parts.len() {
            0 if self.peek() == Some(&Lexeme::Or) => {
                self.error("operator without a left-hand side")
            }
            0 => self.error("expected a word, phrase or filter"),
            1 => Ok(parts.remove(0)),
            _ => Ok(QueryNode::And(parts)),
        }
    }

    /// A run of plain words, grouped into words by the segmenter: one text node per word.
    fn words(&self, run: std::ops::Range<usize>) -> Result<Vec<QueryNode>, QueryError> {
        // Each typed word normalised on its own, so a word's start maps back to its column.
        let mut joined = String::new();
        let mut starts: Vec<(usize, usize)> = Vec::new();
        for (column, lexeme) in &self.lexemes[run.clone()] {
            if let Lexeme::Word(word) = lexeme {
                if !joined.is_empty() {
                    joined.push(' ');
                }
                starts.push((joined.len(), *column));
                joined.push_str(&nhip_text::normalize(word));
            }
        }
        let first_column = starts.first().map_or(self.end_column, |s| s.1);
        let segmented = self.segmenter.segment_normalized(&joined);
        // Byte ranges of the words to search for, in `joined`.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        // Whether the last group is a lone syllable that the next lone one may join.
        let mut open_single = false;
        for (i, word) in segmented.words.iter().enumerate() {
            let tokens = &segmented.tokens[word.tokens.clone()];
            if tokens.iter().all(|t| t.kind == TokenKind::Punct) {
                open_single = false;
                continue;
            }
            // A syllable the segmenter leaves alone pairs with the next lone one: a hurried
            // query's short syllables are a compound far more often than not (`gia vang`,
            // `mien trung`, the segmenter's treebank keeps such noun phrases apart).
            let single = tokens.len() == 1
                && tokens[0].kind == TokenKind::Word
                && !is_function_word(word.text);
            let adjacent = i > 0 && segmented.words[i - 1].end < word.start;
            match groups.last_mut() {
                Some(last) if single && open_single && adjacent => {
                    last.1 = word.end;
                    open_single = false;
                }
                _ => {
                    groups.push((word.start, word.end));
                    open_single = single;
                }
            }
        }
        let mut nodes = Vec::new();
        for (start, end) in groups {
            let at = starts.partition_point(|&(s, _)| s <= start);
            let column = starts[at.saturating_sub(1)].1;
            nodes.push(text_node(joined[start..end].to_string(), false, column)?);
        }
        if nodes.is_empty() {
            return Err(QueryError {
                column: first_column,
                message: format!("nothing to search for in {joined:?}"),
            });
        }
        Ok(nodes)
    }

    fn unary(&mut self) -> Result<QueryNode, QueryError> {
        if self.peek() == Some(&Lexeme::Not) {
            self.pos += 1;
            if matches!(
                self.peek(),
                None | Some(Lexeme::Close) | Some(Lexeme::Or) | Some(Lexeme::And)
            ) {
                return self.error("NOT or - must be followed by what to exclude");
            }
            return Ok(QueryNode::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<QueryNode, QueryError> {
        let Some((column, lexeme)) = self.lexemes.get(self.pos).cloned() else {
            return self.error("expected a word, phrase or filter");
        };
        self.pos += 1;
        match lexeme {
            Lexeme::Open => {
                let inner = self.query()?;
                if self.peek() != Some(&Lexeme::Close) {
                    return Err(QueryError {
                        column,
                        message: "unclosed parenthesis".into(),
                    });
                }
                self.pos += 1;
                Ok(inner)
            }
            Lexeme::Close => Err(QueryError {
                column,
                message: "unexpected ')'".into(),
            }),
            Lexeme::Word(text) | Lexeme::Phrase(text) => text_node(text, false, column),
            Lexeme::Field(name) => {
                let value = match self.lexemes.get(self.pos).cloned() {
                    Some((_, Lexeme::Word(v) | Lexeme::Phrase(v))) => v,
                    _ => return self.error(format!("{name}: needs a value")),
                };
                self.pos += 1;
                let field = match name.as_str() {
                    "title" => return text_node(value, true, column),
                    "source" => FilterField::Source,
                    "unit" => FilterField::Unit,
                    "lang" => FilterField::Lang,
                    "ref" => FilterField::Reference,
                    _ => {
                        if !matches!(value.as_str(), "report" | "press") {
                            return Err(QueryError {
                                column,
                                message: format!("kind: must be report or press, not {value:?}"),
                            });
                        }
                        FilterField::Kind
                    }
                };
                Ok(QueryNode::Filter { field, value })
            }
            Lexeme::Or | Lexeme::And | Lexeme::Not => Err(QueryError {
                column,
                message: "operator without a left-hand side".into(),
            }),
        }
    }
}

/// Function words written with their diacritics (`ở`, `và`, `của`): never paired with a
/// neighbour. Without diacritics they cannot be told from content syllables (`o`, `va`, `cua`).
fn is_function_word(syllable: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "của", "và", "là", "các", "những", "được", "trong", "cho", "với", "có", "không", "đã",
        "sẽ", "này", "một", "thì", "mà", "để", "đến", "từ", "theo", "về", "tại", "ở", "do", "bị",
        "khi", "cũng", "như", "nhưng", "hay", "hoặc", "vì", "nên", "rằng", "sau", "trước",
    ];
    let lower = nhip_text::exact_term(syllable);
    FUNCTION_WORDS.contains(&lower.as_str())
}

fn text_node(text: String, title_only: bool, column: usize) -> Result<QueryNode, QueryError> {
    if (VietnameseTokenizer { fold: true }).terms(&text).is_empty() {
        return Err(QueryError {
            column,
            message: format!("nothing to search for in {text:?}"),
        });
    }
    Ok(QueryNode::Text { text, title_only })
}

/// Parses a query string, grouping unquoted words with the shipped segmenter.
///
/// ```
/// use nhip_index::{parse_query, QueryNode};
/// assert!(matches!(parse_query("lũ OR \"sạt lở\" -bão").unwrap(), QueryNode::Or(_)));
/// assert_eq!(parse_query("sat lo mien trung").unwrap().to_string(), r#""sat lo" AND "mien trung""#);
/// assert_eq!(parse_query("tham AND nhung").unwrap().to_string(), "tham AND nhung");
/// let err = parse_query("(giá điện").unwrap_err();
/// assert_eq!((err.column, err.message.as_str()), (1, "unclosed parenthesis"));
/// ```
pub fn parse_query(input: &str) -> Result<QueryNode, QueryError> {
    parse_query_with(input, Segmenter::builtin())
}

/// [`parse_query`] with a segmenter of one's own (one that knows the user's word lists).
pub fn parse_query_with(input: &str, segmenter: &Segmenter) -> Result<QueryNode, QueryError> {
    let lexemes = lex(input)?;
    let mut parser = Parser {
        end_column: input.chars().count() + 1,
        lexemes,
        pos: 0,
        segmenter,
    };
    if parser.lexemes.is_empty() {
        return parser.error("empty query");
    }
    let node = parser.query()?;
    if parser.pos < parser.lexemes.len() {
        return parser.error("unexpected ')'");
    }
    Ok(node)
}

/// The terms a text node matches, and the fields to look in.
#[derive(Debug, Clone)]
pub(crate) struct TextTerms {
    pub fold: bool,
    pub terms: Vec<String>,
}

pub(crate) fn text_terms(text: &str) -> TextTerms {
    let fold = !has_diacritics(text);
    let terms = VietnameseTokenizer { fold }
        .terms(text)
        .into_iter()
        .map(|t| t.text)
        .collect();
    TextTerms { fold, terms }
}

/// The segmenter-word terms of a text, accent-free or exact (`tham_nhung`).
pub(crate) fn word_terms(text: &str, fold: bool) -> Vec<String> {
    (VietnameseWordTokenizer { fold })
        .terms(&nhip_text::normalize(text))
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// Documents holding these syllable terms one after the other in a sentence of the field.
pub(crate) fn sequence_query(field: Field, terms: &[String]) -> Box<dyn Query> {
    let term = |text: &str| Term::from_field_text(field, text);
    match terms {
        [] => Box::new(EmptyQuery),
        [one] => Box::new(TermQuery::new(term(one), IndexRecordOption::WithFreqs)),
        // The field holds each pair of neighbours as one term (see `analyzer`): two syllables
        // are one posting list, more a phrase of the pairs at consecutive positions.
        [first, second] => Box::new(TermQuery::new(
            term(&pair_term(first, second)),
            IndexRecordOption::WithFreqs,
        )),
        _ => Box::new(PhraseQuery::new_with_offset(
            terms
                .windows(2)
                .enumerate()
                .map(|(offset, pair)| (offset, term(&pair_term(&pair[0], &pair[1]))))
                .collect(),
        )),
    }
}

/// Every term present in the field, in any order (for ranking clauses).
fn all_terms_query(field: Field, terms: &[String]) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|t| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            ));
            (Occur::Must, q)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// The syllable sequence in the title or the body (in the title only for `title:`).
fn text_match(
    fields: &Fields,
    terms: &[String],
    fold: bool,
    title_only: bool,
) -> Vec<Box<dyn Query>> {
    let (title, body) = if fold {
        (fields.title_fold, fields.body_fold)
    } else {
        (fields.title_exact, fields.body_exact)
    };
    let mut targets = vec![sequence_query(title, terms)];
    if !title_only {
        targets.push(sequence_query(body, terms));
    }
    targets
}

/// Documents holding this exact form of a word (a reading, or the word as typed), for ranking
/// tiers. A form the segmenter reads as one word is looked up in the word field, so that
/// documents holding it as that word rank first (`thông báo` does not hold the word `báo`);
/// otherwise, and in the title only, the exact syllable sequence.
fn form_query(fields: &Fields, form: &str, title_only: bool) -> Box<dyn Query> {
    if !title_only {
        if let [word] = word_terms(form, false).as_slice() {
            if word.contains('_') {
                return Box::new(TermQuery::new(
                    Term::from_field_text(fields.words_exact, word),
                    IndexRecordOption::Basic,
                ));
            }
        }
    }
    union(text_match(
        fields,
        &text_terms_exact(form),
        false,
        title_only,
    ))
}

/// Documents matching any of the queries.
fn union(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.remove(0);
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// A query that only ranks: a fixed score for every document it matches.
fn bonus(query: Box<dyn Query>, score: f32) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(ConstScoreQuery::new(query, score)))
}

/// What ranking knows beyond the query itself: for each accent-free word or phrase (its folded
/// syllables joined by spaces), the readings found in the collection that rank first.
#[derive(Debug, Default)]
pub(crate) struct Ranking {
    pub preferred: HashMap<String, Vec<String>>,
}

/// Score of a document holding a preferred reading of a query word: above anything else, so
/// those documents come first ("tham nhũng" before "thăm nhung").
const READING_SCORE: f32 = 100.0;
/// Score of a match in the title: above the usual spread of body scores, without letting the
/// length of a very short title decide (BM25 would make a rare syllable dominate).
const TITLE_SCORE: f32 = 8.0;
/// Score of query words that occur one after the other, as typed (`sáp nhập tỉnh`): as
/// strong as a preferred reading, since the sequence settles what each word meant.
const ADJACENT_SCORE: f32 = READING_SCORE;
/// Score of query words that occur close together in the body.
const PROXIMITY_SCORE: f32 = 4.0;
/// How far apart (in syllables, beyond the words themselves) "close together" reaches.
const PROXIMITY_SLOP: u32 = 8;
/// Score of a document with exactly what was typed without diacritics (a report typed so).
const LITERAL_SCORE: f32 = 1.0;

impl QueryNode {
    /// The tantivy query that decides which documents match (no ranking clauses).
    pub fn to_tantivy(&self, fields: &Fields) -> Box<dyn Query> {
        self.build(fields, None)
    }

    /// The matching query with the ranking clauses of a search.
    pub(crate) fn to_ranked(&self, fields: &Fields, ranking: &Ranking) -> Box<dyn Query> {
        self.build(fields, Some(ranking))
    }

    fn build(&self, fields: &Fields, ranking: Option<&Ranking>) -> Box<dyn Query> {
        match self {
            QueryNode::Text { text, title_only } => {
                let TextTerms { fold, terms } = text_terms(text);
                let mut targets = text_match(fields, &terms, fold, *title_only);
                let Some(ranking) = ranking else {
                    return union(targets);
                };
                // A title match scores a fixed amount, a body match by BM25.
                let mut either = vec![bonus(targets.remove(0), TITLE_SCORE)];
                either.extend(targets.into_iter().map(|q| (Occur::Should, q)));
                let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                    vec![(Occur::Must, Box::new(BooleanQuery::new(either)))];
                if !*title_only {
                    // Word fields keep no positions: every word present as a word adds score.
                    let words = word_terms(text, fold);
                    if !words.is_empty() {
                        let field = if fold {
                            fields.words_fold
                        } else {
                            fields.words_exact
                        };
                        clauses.push((Occur::Should, all_terms_query(field, &words)));
                    }
                }
                // A word without readings has one form in the collection (or none): every
                // match holds it, and the tiers below would add the same to each.
                if let Some(preferred) = ranking.preferred.get(&terms.join(" ")).filter(|_| fold) {
                    for reading in preferred {
                        clauses.push(bonus(
                            form_query(fields, reading, *title_only),
                            READING_SCORE,
                        ));
                    }
                    // Exactly what was typed, without diacritics (a report typed so): ties
                    // go to it. It is a reading like any other for the tiers above.
                    clauses.push(bonus(form_query(fields, text, *title_only), LITERAL_SCORE));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            QueryNode::Filter { field, value } => {
                let (field, key) = match field {
                    FilterField::Source => (fields.source_key, filter_key(value)),
                    FilterField::Unit => (fields.unit_key, filter_key(value)),
                    FilterField::Kind => (fields.kind, value.to_ascii_lowercase()),
                    FilterField::Lang => (fields.lang, value.to_ascii_lowercase()),
                    FilterField::Reference => (fields.reference_key, reference_key(value)),
                };
                let query: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(field, &key),
                    IndexRecordOption::Basic,
                ));
                // A filter narrows; it adds nothing to the score.
                match ranking {
                    Some(_) => Box::new(ConstScoreQuery::new(query, 0.0)),
                    None => query,
                }
            }
            QueryNode::And(parts) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = parts
                    .iter()
                    .map(|p| match p {
                        QueryNode::Not(inner) => (Occur::MustNot, inner.build(fields, None)),
                        other => (Occur::Must, other.build(fields, ranking)),
                    })
                    .collect();
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                if ranking.is_some() {
                    if let Some(adjacent) = in_sequence(parts, fields, 0) {
                        clauses.push(bonus(adjacent, ADJACENT_SCORE));
                    }
                    if let Some(near) = in_sequence(parts, fields, PROXIMITY_SLOP) {
                        clauses.push(bonus(near, PROXIMITY_SCORE));
                    }
                }
                Box::new(BooleanQuery::new(clauses))
            }
            QueryNode::Or(parts) => Box::new(BooleanQuery::new(
                parts
                    .iter()
                    .map(|p| (Occur::Should, p.build(fields, ranking)))
                    .collect(),
            )),
            QueryNode::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, inner.build(fields, None)),
            ])),
        }
    }

    /// Every text node that a matching document contains (not under NOT), for highlighting.
    pub(crate) fn positive_texts(&self, out: &mut Vec<String>) {
        match self {
            QueryNode::Text { text, .. } => out.push(text.clone()),
            QueryNode::And(parts) | QueryNode::Or(parts) => {
                parts.iter().for_each(|p| p.positive_texts(out))
            }
            QueryNode::Filter { .. } | QueryNode::Not(_) => {}
        }
    }

    /// The query with chosen readings: every accent-free word or phrase whose folded form is
    /// that of a reading becomes that reading, matched exactly (`tham nhung` → `tham nhũng`).
    pub fn with_readings(&self, readings: &[String]) -> QueryNode {
        if readings.is_empty() {
            return self.clone();
        }
        match self {
            QueryNode::Text { text, title_only } => {
                let TextTerms { fold, terms } = text_terms(text);
                let chosen = readings
                    .iter()
                    .find(|r| fold && has_diacritics(r) && text_terms_folded(r) == terms);
                QueryNode::Text {
                    text: chosen
                        .map_or_else(|| text.clone(), |r| nhip_text::normalize(r).into_owned()),
                    title_only: *title_only,
                }
            }
            QueryNode::Filter { .. } => self.clone(),
            QueryNode::And(parts) => {
                QueryNode::And(parts.iter().map(|p| p.with_readings(readings)).collect())
            }
            QueryNode::Or(parts) => {
                QueryNode::Or(parts.iter().map(|p| p.with_readings(readings)).collect())
            }
            QueryNode::Not(inner) => QueryNode::Not(Box::new(inner.with_readings(readings))),
        }
    }

    /// The accent-free texts a matching document contains (not under NOT): the words whose
    /// readings are looked up.
    pub(crate) fn accent_free_texts(&self, out: &mut Vec<String>) {
        match self {
            QueryNode::Text { text, .. } if !has_diacritics(text) => out.push(text.clone()),
            QueryNode::And(parts) | QueryNode::Or(parts) => {
                parts.iter().for_each(|p| p.accent_free_texts(out))
            }
            _ => {}
        }
    }
}

/// The exact syllable terms of a text, whatever its diacritics.
fn text_terms_exact(text: &str) -> Vec<String> {
    VietnameseTokenizer { fold: false }
        .terms(text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// The accent-free syllable terms of a text.
pub(crate) fn text_terms_folded(text: &str) -> Vec<String> {
    VietnameseTokenizer { fold: true }
        .terms(text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// The query's words in order, at most `slop` syllables apart in all (0: the words as one
/// phrase), in the title or the body, accent-free (ranking only needs the sequence): a
/// clause for an AND of two or more words.
fn in_sequence(parts: &[QueryNode], fields: &Fields, slop: u32) -> Option<Box<dyn Query>> {
    let mut terms = Vec::new();
    let mut words = 0;
    for part in parts {
        if let QueryNode::Text {
            text,
            title_only: false,
        } = part
        {
            terms.extend(text_terms_folded(text));
            words += 1;
        }
    }
    if words < 2 {
        return None;
    }
    let phrase = |field| -> Box<dyn Query> {
        if slop == 0 {
            return sequence_query(field, &terms);
        }
        let mut phrase = PhraseQuery::new(
            terms
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        );
        phrase.set_slop(slop);
        Box::new(phrase)
    };
    let mut targets = vec![phrase(fields.body_fold)];
    if slop == 0 {
        targets.push(phrase(fields.title_fold));
    }
    Some(union(targets))
}

/// Quotes a text when it holds more than one token or a character the query language reads.
fn quoted(text: &str) -> String {
    if text.split_whitespace().count() > 1
        || text.contains(['"', '(', ')', ':'])
        || text.starts_with('-')
        || matches!(text, "OR" | "AND" | "NOT")
    {
        format!("\"{}\"", text.replace('"', ""))
    } else {
        text.to_string()
    }
}

impl fmt::Display for QueryNode {
    /// How the query was understood, in the query language itself: every word or phrase as
    /// it is matched, `AND`, `OR` and `NOT` written out (`"sat lo" AND "mien trung"`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryNode::Text { text, title_only } => {
                if *title_only {
                    f.write_str("title:")?;
                }
                f.write_str(&quoted(text))
            }
            QueryNode::Filter { field, value } => {
                let name = match field {
                    FilterField::Source => "source",
                    FilterField::Kind => "kind",
                    FilterField::Unit => "unit",
                    FilterField::Lang => "lang",
                    FilterField::Reference => "ref",
                };
                write!(f, "{name}:{}", quoted(value))
            }
            QueryNode::And(parts) => {
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" AND ")?;
                    }
                    match part {
                        QueryNode::Or(_) => write!(f, "({part})")?,
                        _ => write!(f, "{part}")?,
                    }
                }
                Ok(())
            }
            QueryNode::Or(parts) => {
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    match part {
                        QueryNode::And(_) => write!(f, "({part})")?,
                        _ => write!(f, "{part}")?,
                    }
                }
                Ok(())
            }
            QueryNode::Not(inner) => match inner.as_ref() {
                QueryNode::And(_) | QueryNode::Or(_) => write!(f, "NOT ({inner})"),
                _ => write!(f, "NOT {inner}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> QueryNode {
        QueryNode::Text {
            text: t.into(),
            title_only: false,
        }
    }

    #[test]
    fn grammar() {
        // Unquoted words are grouped into words; AND keeps syllables apart.
        assert_eq!(parse_query("tham nhung").unwrap(), text("tham nhung"));
        assert_eq!(
            parse_query("tham AND nhung").unwrap(),
            QueryNode::And(vec![text("tham"), text("nhung")])
        );
        assert_eq!(
            parse_query("sat lo mien trung").unwrap(),
            QueryNode::And(vec![text("sat lo"), text("mien trung")])
        );
        assert_eq!(
            parse_query("lu lut Gia Lai").unwrap(),
            QueryNode::And(vec![text("lu lut"), text("Gia Lai")])
        );
        assert_eq!(
            parse_query("giá vàng -\"tăng giá\" OR hoc phi").unwrap(),
            QueryNode::Or(vec![
                QueryNode::And(vec![
                    text("giá vàng"),
                    QueryNode::Not(Box::new(text("tăng giá")))
                ]),
                text("hoc phi"),
            ])
        );
        // Punctuation between words splits them and is dropped.
        assert_eq!(
            parse_query("tham nhung, hoc phi").unwrap(),
            QueryNode::And(vec![text("tham nhung"), text("hoc phi")])
        );
        assert_eq!(parse_query("\"tham nhũng\"").unwrap(), text("tham nhũng"));
        assert_eq!(
            parse_query("lũ OR lụt -bão").unwrap(),
            QueryNode::Or(vec![
                text("lũ"),
                QueryNode::And(vec![text("lụt"), QueryNode::Not(Box::new(text("bão")))])
            ])
        );
        assert_eq!(
            parse_query("source:\"Báo A\" kind:report").unwrap(),
            QueryNode::And(vec![
                QueryNode::Filter {
                    field: FilterField::Source,
                    value: "Báo A".into()
                },
                QueryNode::Filter {
                    field: FilterField::Kind,
                    value: "report".into()
                },
            ])
        );
        assert_eq!(
            parse_query("title:giá").unwrap(),
            QueryNode::Text {
                text: "giá".into(),
                title_only: true
            }
        );
        assert_eq!(
            parse_query("ref:123/UBND-NL").unwrap(),
            QueryNode::Filter {
                field: FilterField::Reference,
                value: "123/UBND-NL".into()
            }
        );
        assert_eq!(
            parse_query("10:30 2021-2025").unwrap(),
            QueryNode::And(vec![text("10:30"), text("2021-2025")])
        );
    }

    #[test]
    fn the_reading_is_the_query_as_matched() {
        for (typed, read) in [
            ("sat lo mien trung", r#""sat lo" AND "mien trung""#),
            ("tham AND nhung", "tham AND nhung"),
            ("\"tham nhũng\" OR hối lộ", r#""tham nhũng" OR "hối lộ""#),
            (
                "lũ -bão source:\"Báo A\"",
                r#"lũ AND NOT bão AND source:"Báo A""#,
            ),
            ("(lũ OR lụt) sạt lở", r#"(lũ OR lụt) AND "sạt lở""#),
            ("title:giá kind:report", "title:giá AND kind:report"),
        ] {
            let node = parse_query(typed).unwrap();
            assert_eq!(node.to_string(), read, "{typed}");
            // The reading is itself a query that parses to the same thing.
            assert_eq!(parse_query(read).unwrap(), node, "{read}");
        }
    }

    #[test]
    fn user_words_group_queries() {
        let mut segmenter = Segmenter::builtin().clone();
        segmenter.add_words(["ban tuyên giáo"]);
        assert_eq!(
            parse_query_with("ban tuyen giao tinh", &segmenter)
                .unwrap()
                .to_string(),
            r#""ban tuyen giao" AND tinh"#
        );
        // A compound of several segmenter words, kept whole by the office's word list.
        assert_eq!(
            parse_query("tai nan giao thong").unwrap().to_string(),
            r#""tai nan" AND "giao thong""#
        );
        segmenter.add_words(["tai nạn giao thông"]);
        assert_eq!(
            parse_query_with("tai nan giao thong", &segmenter)
                .unwrap()
                .to_string(),
            r#""tai nan giao thong""#
        );
    }

    #[test]
    fn chosen_readings_replace_accent_free_words() {
        let node = parse_query("tham nhung hoc phi").unwrap();
        let chosen = node.with_readings(&["tham nhũng".to_string()]);
        assert_eq!(chosen.to_string(), r#""tham nhũng" AND "hoc phi""#);
        // A reading that is not a reading of any word changes nothing.
        assert_eq!(node.with_readings(&["thăm".to_string()]), node);
    }

    #[test]
    fn errors_name_the_column() {
        for (q, column, needle) in [
            ("", 1, "empty"),
            ("(a", 1, "unclosed parenthesis"),
            ("a )", 3, "unexpected ')'"),
            ("a \"b", 3, "unclosed quote"),
            ("OR a", 1, "left-hand side"),
            ("a OR", 5, "expected"),
            ("kind:blog", 1, "report or press"),
            ("source:", 8, "needs a value"),
            (", ;", 1, "nothing to search for"),
            ("a \"…\"", 3, "nothing to search for"),
            ("a NOT", 6, "NOT or -"),
        ] {
            let err = parse_query(q).unwrap_err();
            assert_eq!(err.column, column, "{q}: {err}");
            assert!(err.message.contains(needle), "{q}: {err}");
        }
    }
}
