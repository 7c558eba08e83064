//! Counts how often legacy-encoding repair would change real Unicode text.
//!
//! Reads JSON Lines with `title` and `body` on standard input and prints how many fields
//! `nhip_text::repair` converted, with the words it changed in the first 20 of them, so each
//! can be checked by hand: a conversion of genuine Unicode text is a false positive, one of a
//! legacy fragment pasted into the text is a repair.
//!
//!     zstd -dc ../shared/data/corpus/news_headlines_2025_2026.jsonl.zst \
//!       | cargo run --release -p nhip-text --example legacy_false_positives
//!
//! With `--inject`, two items that legacy text is made of but Unicode news also holds (a
//! foreign name, a unit, a lone symbol: `Müller`, `30°C`, `©`, `Ø`…) are first inserted
//! into each field, three words apart, at a position that varies from field to field: the
//! hardest case for the run-by-run judgment.

use std::io::BufRead;

const INSERTS: &[&str] = &[
    "©",
    "30°C",
    "Müller",
    "São Paulo",
    "Muñoz",
    "±5",
    "×2",
    "Ø",
    "®",
    "Ðà",
    "½",
    "Häkkinen",
    "Göteborg",
    "Björn",
    "Ñ",
    "«",
    "»",
    "µm",
    "¼",
    "Zoë",
    "Françoise",
    "naïve",
    "Åland",
    "Æ",
];

/// `text` with two of [`INSERTS`] inserted, chosen and placed by the field's number.
fn injected(text: &str, field: usize) -> Option<String> {
    let mut words: Vec<&str> = text.split(' ').collect();
    if words.len() < 2 {
        return None;
    }
    let at = field.wrapping_mul(7919) % words.len();
    words.insert(at, INSERTS[field % INSERTS.len()]);
    let second = (at + 3).min(words.len());
    words.insert(second, INSERTS[(field / INSERTS.len()) % INSERTS.len()]);
    Some(words.join(" "))
}

fn main() {
    let inject = std::env::args().any(|a| a == "--inject");
    let (mut fields, mut converted) = (0usize, 0usize);
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        for key in ["title", "body"] {
            let Some(text) = value.get(key).and_then(|v| v.as_str()) else {
                continue;
            };
            let text = if inject {
                match injected(text, fields) {
                    Some(text) => text,
                    None => continue,
                }
            } else {
                text.to_string()
            };
            fields += 1;
            if let (repaired, Some(encoding)) = nhip_text::repair(&text) {
                converted += 1;
                if converted <= 20 {
                    let changed: Vec<String> = text
                        .split_whitespace()
                        .zip(repaired.split_whitespace())
                        .filter(|(before, after)| before != after)
                        .map(|(before, after)| format!("{before} → {after}"))
                        .collect();
                    eprintln!(
                        "converted as {} ({} words): {}",
                        encoding.name(),
                        changed.len(),
                        changed.join(", ")
                    );
                }
            }
        }
    }
    println!("{converted} of {fields} fields converted");
}
