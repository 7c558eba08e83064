//! Baseline for the indexing benchmark: the same JSON Lines documents indexed by plain tantivy
//! with its default tokenizer (title and body as TEXT, stored; id as STRING), the same writer
//! memory and threads as nhip, one commit every 5,000 documents.
//!
//! With `--nhip-layout`, title and body are indexed into as many fields, with the same
//! postings options, as nhip's schema has (exact and accent-free copies with positions, two
//! word fields with frequencies only), still by the default tokenizer, and the positional
//! fields also hold a term for each pair of neighbouring tokens at the first one's position, as
//! nhip's syllable fields do: tantivy's own cost for that layout, so the rest of the difference
//! is Vietnamese analysis.
//!
//! `cargo run --release -p nhip-index --example index_baseline -- DOCS.jsonl INDEX_DIR [--nhip-layout]`

use std::io::BufRead;
use tantivy::schema::{
    IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING, TEXT,
};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{doc, Index};

/// tantivy's default analysis with a pair term (`a b`) stacked on each pair of neighbours.
#[derive(Clone)]
struct PairedDefault(TextAnalyzer);

struct PairedStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for PairedDefault {
    type TokenStream<'a> = PairedStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairedStream {
        let mut single = Vec::new();
        let mut stream = self.0.token_stream(text);
        while stream.advance() {
            single.push(stream.token().clone());
        }
        let mut tokens = Vec::with_capacity(single.len() * 2);
        for (i, token) in single.iter().enumerate() {
            tokens.push(token.clone());
            if let Some(second) = single.get(i + 1) {
                let mut pair = token.clone();
                pair.text.push(' ');
                pair.text.push_str(&second.text);
                pair.offset_to = second.offset_to;
                pair.position_length = 2;
                tokens.push(pair);
            }
        }
        PairedStream { tokens, next: 0 }
    }
}

impl TokenStream for PairedStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (input, dir, nhip_layout) = match args.as_slice() {
        [_, input, dir] => (input, dir, false),
        [_, input, dir, flag] if flag == "--nhip-layout" => (input, dir, true),
        _ => return Err("usage: index_baseline DOCS.jsonl INDEX_DIR [--nhip-layout]".into()),
    };
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let positional = if nhip_layout {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("paired")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    } else {
        TEXT
    };
    let title = builder.add_text_field("title", positional.clone() | STORED);
    let body = builder.add_text_field("body", positional.clone() | STORED);
    let freqs_only = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("default")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    // nhip's layout: title and body again accent-free (positions), and both as words twice.
    let copies = nhip_layout.then(|| {
        (
            builder.add_text_field("title_fold", positional.clone()),
            builder.add_text_field("body_fold", positional.clone()),
            builder.add_text_field("words_exact", freqs_only.clone()),
            builder.add_text_field("words_fold", freqs_only.clone()),
        )
    });
    std::fs::create_dir_all(dir)?;
    let index = Index::create_in_dir(dir, builder.build())?;
    let default = index
        .tokenizers()
        .get("default")
        .ok_or("tantivy has no default tokenizer")?;
    index
        .tokenizers()
        .register("paired", TextAnalyzer::from(PairedDefault(default)));
    let mut writer = index.writer(128 * 1024 * 1024)?;
    let started = std::time::Instant::now();
    let (mut docs, mut bytes) = (0u64, 0u64);
    for line in std::io::BufReader::new(std::fs::File::open(input)?).lines() {
        let line = line?;
        bytes += line.len() as u64 + 1;
        let value: serde_json::Value = serde_json::from_str(&line)?;
        let text = |key: &str| value[key].as_str().unwrap_or_default().to_string();
        let mut document = doc!(id => text("id"), title => text("title"), body => text("body"));
        if let Some((title_fold, body_fold, words_exact, words_fold)) = copies {
            document.add_text(title_fold, text("title"));
            document.add_text(body_fold, text("body"));
            for words in [words_exact, words_fold] {
                document.add_text(words, text("title"));
                document.add_text(words, text("body"));
            }
        }
        writer.add_document(document)?;
        docs += 1;
        if docs % 5_000 == 0 {
            writer.commit()?;
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "tantivy default tokenizer{}: {docs} documents, {:.1} MB in {seconds:.1} s: {:.2} MB/s, {:.0} docs/s",
        if nhip_layout { ", nhip's field layout" } else { "" },
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds,
        docs as f64 / seconds
    );
    Ok(())
}
