//! Baseline for the indexing benchmark: the same JSON Lines documents indexed by plain tantivy
//! with its default tokenizer (title and body as TEXT, stored; id as STRING), the same writer
//! memory and threads as nhip, one commit every 5,000 documents.
//!
//! `cargo run --release -p nhip-index --example index_baseline -- DOCS.jsonl INDEX_DIR`

use std::io::BufRead;
use tantivy::schema::{Schema, STORED, STRING, TEXT};
use tantivy::{doc, Index};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, dir] = args.as_slice() else {
        return Err("usage: index_baseline DOCS.jsonl INDEX_DIR".into());
    };
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let title = builder.add_text_field("title", TEXT | STORED);
    let body = builder.add_text_field("body", TEXT | STORED);
    std::fs::create_dir_all(dir)?;
    let index = Index::create_in_dir(dir, builder.build())?;
    let mut writer = index.writer(128 * 1024 * 1024)?;
    let started = std::time::Instant::now();
    let (mut docs, mut bytes) = (0u64, 0u64);
    for line in std::io::BufReader::new(std::fs::File::open(input)?).lines() {
        let line = line?;
        bytes += line.len() as u64 + 1;
        let value: serde_json::Value = serde_json::from_str(&line)?;
        let text = |key: &str| value[key].as_str().unwrap_or_default().to_string();
        writer
            .add_document(doc!(id => text("id"), title => text("title"), body => text("body")))?;
        docs += 1;
        if docs % 5_000 == 0 {
            writer.commit()?;
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "tantivy default tokenizer: {docs} documents, {:.1} MB in {seconds:.1} s: {:.2} MB/s, {:.0} docs/s",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds,
        docs as f64 / seconds
    );
    Ok(())
}
