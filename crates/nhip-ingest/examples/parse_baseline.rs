//! Baseline for the ingest benchmark: reading a JSON Lines file and parsing every line with
//! serde_json on all cores (rayon), nothing else. nhip's ingest adds normalisation, legacy
//! repair, dates, language, hashing, MinHash and de-duplication on top of this floor.
//!
//! `cargo run --release -p nhip-ingest --example parse_baseline -- DOCS.jsonl`

use rayon::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: parse_baseline DOCS.jsonl")?;
    let started = std::time::Instant::now();
    let bytes = std::fs::read(&path)?;
    let lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let parsed = lines
        .par_iter()
        .filter(|l| serde_json::from_slice::<serde_json::Value>(l).is_ok())
        .count();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "serde_json parse only: {parsed} lines, {:.1} MB in {seconds:.2} s: {:.1} MB/s",
        bytes.len() as f64 / 1e6,
        bytes.len() as f64 / 1e6 / seconds
    );
    Ok(())
}
