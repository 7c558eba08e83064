//! Trains the segmenter on one gold file and scores it on another, on the text as written and
//! typed without diacritics: the accuracy side of a change to the segmenter's features, in
//! seconds (BENCHMARKS.md gives these figures for UD-VTB train → dev).
//!
//!     cargo run --release -p nhip-text --example segmenter_dev -- \
//!       ../shared/data/ud-vtb/vi_vtb-ud-train.conllu ../shared/data/ud-vtb/vi_vtb-ud-dev.conllu \
//!       [--write MODEL]
//!
//! `--write MODEL` also trains on both files together and writes that model: the same bytes as
//! `nhip segmenter train --gold TRAIN --gold TEST --out MODEL` (the shipped model).

use nhip_text::{accent_free, evaluate, read_gold, train, Scores, TrainOptions};

fn print(label: &str, scores: &Scores) {
    println!(
        "{label}: F1 {:.2} (P {:.2}, R {:.2})",
        scores.f1(),
        scores.precision(),
        scores.recall()
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(train_path), Some(test_path)) = (args.next(), args.next()) else {
        return Err("usage: segmenter_dev TRAIN.conllu TEST.conllu".into());
    };
    let training = read_gold(train_path.as_ref())?;
    let test = read_gold(test_path.as_ref())?;
    // NHIP_SEED: another shuffling order, to see how much of a difference is noise.
    let options = TrainOptions {
        seed: std::env::var("NHIP_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(TrainOptions::default().seed),
        ..TrainOptions::default()
    };
    let segmenter = train(&training, &options);
    print("as written", &evaluate(&segmenter, &test));
    let folded: Vec<_> = test.iter().map(accent_free).collect();
    print("without diacritics", &evaluate(&segmenter, &folded));
    if let (Some(flag), Some(out)) = (args.next(), args.next()) {
        if flag != "--write" {
            return Err(format!("unknown argument {flag}").into());
        }
        let both: Vec<_> = training.into_iter().chain(test).collect();
        std::fs::write(&out, train(&both, &TrainOptions::default()).model_bytes())?;
        println!("wrote {out}");
    }
    Ok(())
}
