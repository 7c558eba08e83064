//! Measures a list of proposed terms (the output of `nhip terms`, any version) against the
//! corpus it came from: for each of the top N, the share of its occurrences inside boilerplate
//! sentences (the default rule), whether the shipped dictionary holds it, and the share of its
//! occurrences the shipped model keeps as one word. Used for BENCHMARKS.md.
//!
//!     cargo run --release -p nhip --example terms_quality -- CORPUS.jsonl PROPOSALS.txt [N]

use nhip_ingest::{ingest_paths, IngestOptions};
use nhip_text::{exact_term, BoilerplateRule, Segmenter, TokenKind};
use std::collections::HashMap;
use std::path::PathBuf;

/// Occurrences of each term in `text`, and how many of them the segmenter keeps as one word.
fn count(text: &str, terms: &HashMap<Vec<String>, usize>, counts: &mut [(u64, u64)]) {
    let segmented = Segmenter::builtin().segment(text);
    let mut word_start = vec![false; segmented.tokens.len() + 1];
    for word in &segmented.words {
        word_start[word.tokens.start] = true;
    }
    let mut run: Vec<(String, usize)> = Vec::new();
    let mut last_end = 0;
    let mut flush = |run: &mut Vec<(String, usize)>| {
        for start in 0..run.len() {
            for len in 2..=3 {
                let Some(gram) = run.get(start..start + len) else {
                    break;
                };
                let key: Vec<String> = gram.iter().map(|(s, _)| s.clone()).collect();
                if let Some(&i) = terms.get(&key) {
                    counts[i].0 += 1;
                    let joined = gram[1..].iter().all(|&(_, t)| !word_start[t]);
                    counts[i].1 += u64::from(joined);
                }
            }
        }
        run.clear();
    };
    for (i, token) in segmented.tokens.iter().enumerate() {
        if token.kind != TokenKind::Word || text[last_end..token.start].contains('\n') {
            flush(&mut run);
        }
        if token.kind == TokenKind::Word {
            run.push((exact_term(token.text), i));
        }
        last_end = token.end;
    }
    flush(&mut run);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(corpus), Some(proposals)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: terms_quality CORPUS PROPOSALS.txt [N]");
        std::process::exit(2);
    };
    let top: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(50);
    let list: Vec<String> = std::fs::read_to_string(proposals)
        .expect("proposals readable")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split("  #").next().unwrap_or(l).trim().to_string())
        .take(top)
        .collect();
    let terms: HashMap<Vec<String>, usize> = list
        .iter()
        .enumerate()
        .map(|(i, t)| (t.split(' ').map(str::to_string).collect(), i))
        .collect();
    let batch = ingest_paths(&[PathBuf::from(corpus)], &IngestOptions::default());
    let documents: Vec<(&str, Vec<&str>)> = batch
        .documents
        .iter()
        .map(|d| (d.source.as_str(), vec![d.title.as_str(), d.body.as_str()]))
        .collect();
    let (stripped, _) = nhip_text::strip_boilerplate(&documents, BoilerplateRule::default());
    let mut raw = vec![(0u64, 0u64); list.len()];
    let mut kept = vec![(0u64, 0u64); list.len()];
    for ((_, texts), stripped) in documents.iter().zip(&stripped) {
        count(&texts.join("\n"), &terms, &mut raw);
        count(&stripped.join("\n"), &terms, &mut kept);
    }
    let (mut boilerplate, mut dictionary, mut model) = (0, 0, 0);
    println!("rank\tterm\tin_boilerplate\tdictionary\tmodel_joins");
    for (i, term) in list.iter().enumerate() {
        let (n, joined) = raw[i];
        let in_boilerplate = 1.0 - kept[i].0 as f64 / n.max(1) as f64;
        let in_dictionary = Segmenter::builtin().contains(term);
        let joins = joined as f64 / n.max(1) as f64;
        boilerplate += usize::from(in_boilerplate >= 0.5);
        dictionary += usize::from(in_dictionary);
        model += usize::from(joins >= 0.5);
        println!(
            "{}\t{term}\t{:.0}%\t{}\t{:.0}%",
            i + 1,
            100.0 * in_boilerplate,
            if in_dictionary { "yes" } else { "no" },
            100.0 * joins
        );
    }
    println!(
        "top {}: {boilerplate} mostly in boilerplate, {dictionary} in the dictionary, {model} kept whole by the model in most occurrences",
        list.len()
    );
}
