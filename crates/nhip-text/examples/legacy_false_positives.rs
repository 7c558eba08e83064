//! Counts how often legacy-encoding repair would change real Unicode text.
//!
//! Reads JSON Lines with `title` and `body` on standard input and prints how many fields
//! `nhip_text::repair` converted (each one a false positive on genuine UTF-8 news):
//!
//!     zstd -dc ../shared/data/corpus/news_headlines_2025_2026.jsonl.zst \
//!       | cargo run --release -p nhip-text --example legacy_false_positives

use std::io::BufRead;

fn main() {
    let (mut fields, mut converted) = (0usize, 0usize);
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        for key in ["title", "body"] {
            if let Some(text) = value.get(key).and_then(|v| v.as_str()) {
                fields += 1;
                if let (_, Some(encoding)) = nhip_text::repair(text) {
                    converted += 1;
                    if converted <= 10 {
                        eprintln!("converted as {}: {text}", encoding.name());
                    }
                }
            }
        }
    }
    println!("{converted} of {fields} fields converted");
}
