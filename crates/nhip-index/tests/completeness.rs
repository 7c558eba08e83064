//! Completeness: on a generated corpus full of accent variants, NFD text, tone-placement
//! variants, upper case and text typed without diacritics, every query's hits must equal a
//! brute-force scan of the same documents under README.md's matching rules. Nothing missed,
//! nothing extra.
//!
//! The scan shares no code with nhip: it decomposes text with `unicode-normalization`, keys
//! syllables by their letters and the set of tone marks (so tone placement cannot matter),
//! folds by dropping every mark, and splits sentences itself.

use nhip_index::{parse_query, NhipIndex, QueryNode, SearchOptions};
use nhip_ingest::{ingest_paths, IngestOptions};
use std::collections::BTreeSet;
use unicode_normalization::UnicodeNormalization;

mod generator;
use generator::{corpus, folded, modern_placement, spell, Doc, Rng, SYLLABLES, TONE_MARKS};

/// A syllable's exact key: its letters without tone mark, plus its tone marks (placement
/// ignored), lower case.
fn exact_key(syllable: &str) -> String {
    let lower: String = syllable.nfd().collect::<String>().to_lowercase();
    let letters: String = lower.chars().filter(|c| !TONE_MARKS.contains(c)).collect();
    let marks: String = lower.chars().filter(|c| TONE_MARKS.contains(c)).collect();
    format!("{letters}|{marks}")
}

fn has_diacritics(word: &str) -> bool {
    word.nfd()
        .any(|c| ('\u{300}'..='\u{36f}').contains(&c) || c == 'đ' || c == 'Đ')
}

/// Sentences of syllables: split on sentence ends and line breaks, then on spaces and commas.
fn sentences(text: &str) -> Vec<Vec<String>> {
    text.split(['.', '\n', '!', '?'])
        .map(|s| {
            s.split([' ', ','])
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|s: &Vec<String>| !s.is_empty())
        .collect()
}

/// A text as the scan sees it: sentences of syllables, each keyed exactly and accent-free.
struct Scanned {
    sentences: Vec<Vec<(String, String)>>,
}

impl Scanned {
    fn of(text: &str) -> Scanned {
        Scanned {
            sentences: sentences(text)
                .iter()
                .map(|s| s.iter().map(|w| (exact_key(w), folded(w))).collect())
                .collect(),
        }
    }

    /// Does `phrase` (query words) occur in consecutive syllables of one sentence? A phrase
    /// with a diacritic on any word is matched exactly, word by word; one without any,
    /// accent-free (so `ủy ban` needs `ban` as typed, and `tham nhung` finds `tham nhũng`).
    fn contains(&self, phrase: &[String]) -> bool {
        let exact = phrase.iter().any(|w| has_diacritics(w));
        let keys: Vec<String> = phrase
            .iter()
            .map(|w| if exact { exact_key(w) } else { folded(w) })
            .collect();
        self.sentences.iter().any(|words| {
            words.len() >= keys.len()
                && words.windows(keys.len()).any(|w| {
                    w.iter().zip(&keys).all(|((exact_word, folded_word), key)| {
                        if exact {
                            exact_word == key
                        } else {
                            folded_word == key
                        }
                    })
                })
        })
    }
}

fn contains(text: &str, phrase: &[String]) -> bool {
    Scanned::of(text).contains(phrase)
}

/// Brute force: documents where every term (a phrase) occurs in the title or in the body.
fn brute_force(docs: &[(Doc, Scanned, Scanned)], terms: &[Vec<String>]) -> BTreeSet<String> {
    docs.iter()
        .filter(|(_, title, body)| terms.iter().all(|t| title.contains(t) || body.contains(t)))
        .map(|(d, _, _)| d.id.clone())
        .collect()
}

/// Terms as a query: phrases quoted, terms joined by an explicit AND (without it, adjacent
/// unquoted words would be grouped into words).
fn query_text(terms: &[Vec<String>]) -> String {
    terms
        .iter()
        .map(|t| {
            if t.len() == 1 {
                t[0].clone()
            } else {
                format!("\"{}\"", t.join(" "))
            }
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The words nhip read an unquoted query as: every text node of the parsed query, each a
/// phrase (the grouping is nhip's; the matching is checked here).
fn grouping(query: &str) -> Vec<Vec<String>> {
    fn collect(node: &QueryNode, out: &mut Vec<Vec<String>>) {
        match node {
            QueryNode::Text { text, .. } => {
                out.push(text.split_whitespace().map(str::to_string).collect())
            }
            QueryNode::And(parts) => parts.iter().for_each(|p| collect(p, out)),
            other => panic!("unexpected {other:?}"),
        }
    }
    let mut out = Vec::new();
    collect(&parse_query(query).unwrap(), &mut out);
    out
}

#[test]
fn every_document_the_rules_match_is_returned() {
    let docs = corpus(600);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    let lines: Vec<String> = docs
        .iter()
        .map(|d| serde_json::json!({"id": d.id, "title": d.title, "body": d.body}).to_string())
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let batch = ingest_paths(&[input], &IngestOptions::default());
    assert!(batch.rejects.is_empty(), "{:?}", batch.rejects);
    assert_eq!(
        batch.documents.len(),
        docs.len(),
        "the corpus has no duplicates"
    );
    let index = NhipIndex::open_or_create(&dir.path().join("index")).unwrap();
    index.write(&batch.documents).unwrap();

    let scanned: Vec<(Doc, Scanned, Scanned)> = docs
        .into_iter()
        .map(|d| {
            let (title, body) = (Scanned::of(&d.title), Scanned::of(&d.body));
            (d, title, body)
        })
        .collect();
    let mut rng = Rng(0xfeed_0042_0000_0007);
    let mut checked = 0;
    let mut nonempty = 0;
    for round in 0..500 {
        // Single words, two- and three-syllable phrases, and ANDs of two terms; each word
        // typed in any spelling, with or without its diacritics.
        let term_count = 1 + usize::from(round % 3 == 2);
        let terms: Vec<Vec<String>> = (0..term_count)
            .map(|_| {
                let len = 1 + rng.below(3);
                (0..len)
                    .map(|_| {
                        let s = SYLLABLES[rng.below(SYLLABLES.len())];
                        if rng.below(3) == 0 {
                            folded(s)
                        } else {
                            spell(&mut rng, s)
                        }
                    })
                    .collect()
            })
            .collect();
        // Every fifth query is typed as an analyst types it: its words unquoted, grouped by
        // nhip into words, each word matched as a phrase.
        let (query, terms) = if round % 5 == 4 {
            let typed = terms.concat().join(" ");
            let grouped = grouping(&typed);
            (typed, grouped)
        } else {
            (query_text(&terms), terms)
        };
        let expected = brute_force(&scanned, &terms);
        let options = SearchOptions {
            limit: scanned.len(),
            ..SearchOptions::default()
        };
        let results = index.search(&query, &options).unwrap();
        let found: BTreeSet<String> = results.hits.into_iter().map(|h| h.id).collect();
        let missed: Vec<_> = expected.difference(&found).collect();
        let extra: Vec<_> = found.difference(&expected).collect();
        assert!(
            missed.is_empty() && extra.is_empty(),
            "query {query:?}: missed {missed:?}, extra {extra:?}"
        );
        assert_eq!(results.total, expected.len(), "query {query:?}: total");
        checked += 1;
        nonempty += usize::from(!expected.is_empty());
    }
    assert_eq!(checked, 500);
    // The check means something only if many queries have hits.
    assert!(nonempty > 180, "only {nonempty} queries had hits");
}

#[test]
fn the_scan_itself_follows_the_rules() {
    assert_eq!(modern_placement("hòa"), "hoà");
    assert_eq!(modern_placement("thủy"), "thuỷ");
    assert_eq!(modern_placement("quý"), "quý");
    assert_eq!(exact_key("hoà"), exact_key("HÒA"));
    assert_ne!(exact_key("bàn"), exact_key("bán"));
    assert_eq!(folded("Đà"), "da");
    let phrase = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    assert!(contains("Người dân, tham nhũng lớn", &phrase("tham nhung")));
    assert!(contains("Ủy ban xã", &phrase("uỷ ban")));
    assert!(!contains("ủy bán xã", &phrase("uỷ ban")));
    assert!(contains("người dân tham nhũng", &phrase("tham nhũng")));
    assert!(!contains("người dân tham nhung", &phrase("tham nhũng")));
    assert!(!contains(
        "người dân tham. Nhũng lớn",
        &phrase("tham nhung")
    ));
    assert!(!contains("tham\nnhũng", &phrase("tham nhũng")));
}
