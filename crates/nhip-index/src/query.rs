//! nhip's query language, shared by `nhip search` and topic queries.
//!
//! ```text
//! query    := or ( "OR" or )*            -- lowest precedence
//! or       := unary+                     -- juxtaposition (or "AND") means AND
//! unary    := ("-" | "NOT") unary | primary
//! primary  := "(" query ")" | FIELD ":" value | "quoted phrase" | word
//! FIELD    := source | kind | unit | lang | title
//! ```
//!
//! A word or phrase is split into syllables; a sequence of several must appear in order. With
//! any diacritic it is matched exactly (up to case and tone placement), without any it is
//! matched accent-free.

use crate::schema::{filter_key, Fields};
use crate::{VietnameseTokenizer, VietnameseWordTokenizer};
use nhip_text::has_diacritics;
use tantivy::query::{AllQuery, BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
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
                    if matches!(name.as_str(), "source" | "kind" | "unit" | "lang" | "title") {
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

struct Parser {
    lexemes: Vec<(usize, Lexeme)>,
    pos: usize,
    end_column: usize,
}

impl Parser {
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

fn text_node(text: String, title_only: bool, column: usize) -> Result<QueryNode, QueryError> {
    if (VietnameseTokenizer { fold: true }).terms(&text).is_empty() {
        return Err(QueryError {
            column,
            message: format!("nothing to search for in {text:?}"),
        });
    }
    Ok(QueryNode::Text { text, title_only })
}

/// Parses a query string.
///
/// ```
/// use nhip_index::{parse_query, QueryNode};
/// assert!(matches!(parse_query("lũ OR \"sạt lở\" -bão").unwrap(), QueryNode::Or(_)));
/// let err = parse_query("(giá điện").unwrap_err();
/// assert_eq!((err.column, err.message.as_str()), (1, "unclosed parenthesis"));
/// ```
pub fn parse_query(input: &str) -> Result<QueryNode, QueryError> {
    let lexemes = lex(input)?;
    let mut parser = Parser {
        end_column: input.chars().count() + 1,
        lexemes,
        pos: 0,
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

fn sequence_query(field: Field, terms: &[String]) -> Box<dyn Query> {
    let terms: Vec<Term> = terms
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    if terms.len() == 1 {
        Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(terms))
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

impl QueryNode {
    /// The tantivy query for this node.
    pub fn to_tantivy(&self, fields: &Fields) -> Box<dyn Query> {
        match self {
            QueryNode::Text { text, title_only } => {
                let TextTerms { fold, terms } = text_terms(text);
                let (title, body) = if fold {
                    (fields.title_fold, fields.body_fold)
                } else {
                    (fields.title_exact, fields.body_exact)
                };
                let mut targets = vec![title];
                if !title_only {
                    targets.push(body);
                }
                let syllables: Box<dyn Query> = Box::new(BooleanQuery::new(
                    targets
                        .into_iter()
                        .map(|f| (Occur::Should, sequence_query(f, &terms)))
                        .collect(),
                ));
                // Matching is by syllables; the same text as segmenter words only adds score.
                let words_field = if fold {
                    fields.words_fold
                } else {
                    fields.words_exact
                };
                let words: Vec<String> = (VietnameseWordTokenizer { fold })
                    .terms(&nhip_text::normalize(text))
                    .into_iter()
                    .map(|t| t.text)
                    .collect();
                let mut clauses = vec![(Occur::Must, syllables)];
                if !*title_only && !words.is_empty() {
                    // Word fields keep no positions: every word present as a word adds score.
                    clauses.push((Occur::Should, all_terms_query(words_field, &words)));
                }
                if fold {
                    // Typed without diacritics: a document that has exactly what was typed
                    // (also without diacritics) ranks above accent-free matches.
                    let literal: Vec<String> = (VietnameseTokenizer { fold: false })
                        .terms(text)
                        .into_iter()
                        .map(|t| t.text)
                        .collect();
                    // Terms, not a phrase: the document already matched the sequence, and term
                    // lookups cost far less than positions on common syllables (`tp hcm`).
                    for field in [fields.body_exact, fields.title_exact] {
                        clauses.push((Occur::Should, all_terms_query(field, &literal)));
                    }
                }
                if clauses.len() == 1 {
                    return clauses.remove(0).1;
                }
                Box::new(BooleanQuery::new(clauses))
            }
            QueryNode::Filter { field, value } => {
                let (field, key) = match field {
                    FilterField::Source => (fields.source_key, filter_key(value)),
                    FilterField::Unit => (fields.unit_key, filter_key(value)),
                    FilterField::Kind => (fields.kind, value.to_ascii_lowercase()),
                    FilterField::Lang => (fields.lang, value.to_ascii_lowercase()),
                };
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &key),
                    IndexRecordOption::Basic,
                ))
            }
            QueryNode::And(parts) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = parts
                    .iter()
                    .map(|p| match p {
                        QueryNode::Not(inner) => (Occur::MustNot, inner.to_tantivy(fields)),
                        other => (Occur::Must, other.to_tantivy(fields)),
                    })
                    .collect();
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            QueryNode::Or(parts) => Box::new(BooleanQuery::new(
                parts
                    .iter()
                    .map(|p| (Occur::Should, p.to_tantivy(fields)))
                    .collect(),
            )),
            QueryNode::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, inner.to_tantivy(fields)),
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
        assert_eq!(
            parse_query("tham nhung").unwrap(),
            QueryNode::And(vec![text("tham"), text("nhung")])
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
            parse_query("10:30 2021-2025").unwrap(),
            QueryNode::And(vec![text("10:30"), text("2021-2025")])
        );
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
            ("a , b", 3, "nothing to search for"),
            ("a NOT", 6, "NOT or -"),
        ] {
            let err = parse_query(q).unwrap_err();
            assert_eq!(err.column, column, "{q}: {err}");
            assert!(err.message.contains(needle), "{q}: {err}");
        }
    }
}
