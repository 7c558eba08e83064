//! Single-thread throughput of normalisation + word segmentation, model load time and peak
//! memory, with tokenisation alone as the baseline measured in the same run. The input is the
//! file's lines repeated (by reference) until it reaches the requested size.
//!
//!     cargo run --release -p nhip-text --example segment_speed -- \
//!       ../shared/data/ud-vtb/vi_vtb-ud-dev.raw.txt 50

use std::time::Instant;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: segment_speed FILE [MIB]");
    let target_mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let sample = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let mut lines: Vec<&str> = Vec::new();
    let mut bytes = 0;
    while bytes < target_mib << 20 {
        for line in sample.lines() {
            lines.push(line);
            bytes += line.len() + 1;
        }
    }
    let mib = bytes as f64 / (1 << 20) as f64;

    let started = Instant::now();
    let segmenter = nhip_text::Segmenter::builtin();
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;

    if args.next().as_deref() == Some("--fused-only") {
        // For profiling the full path alone.
        let started = Instant::now();
        let words: usize = lines
            .iter()
            .map(|l| segmenter.normalize_segment(l, |_, s| s.words.len()))
            .sum();
        println!(
            "normalize + segment: {:.1} MiB/s ({words} words)",
            mib / started.elapsed().as_secs_f64()
        );
        return;
    }
    let started = Instant::now();
    let mut tokens = 0usize;
    for line in &lines {
        tokens += nhip_text::tokenize(line).count();
    }
    let tokenize_secs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let normalized: Vec<String> = lines
        .iter()
        .map(|l| nhip_text::normalize(l).into_owned())
        .collect();
    let normalize_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut segmented_words = 0usize;
    for line in &normalized {
        segmented_words += segmenter.segment_normalized(line).words.len();
    }
    let segment_only_secs = started.elapsed().as_secs_f64();
    drop(normalized);
    println!(
        "stages: normalize {:.1} MiB/s, segment {:.1} MiB/s ({segmented_words} words)",
        mib / normalize_secs,
        mib / segment_only_secs
    );

    let started = Instant::now();
    let mut words = 0usize;
    for line in &lines {
        words += segmenter.normalize_segment(line, |_, s| s.words.len());
    }
    let segment_secs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut raw_words = 0usize;
    for line in &lines {
        raw_words += segmenter.segment(line).words.len();
    }
    let raw_secs = started.elapsed().as_secs_f64();
    println!(
        "segment raw text (as `nhip tokenize`): {:.1} MiB/s ({raw_words} words)",
        mib / raw_secs
    );
    println!(
        "input: {mib:.1} MiB ({} lines, {tokens} tokens, {words} words)",
        lines.len()
    );
    println!("model load: {load_ms:.1} ms");
    println!("baseline, tokenize only: {:.1} MiB/s", mib / tokenize_secs);
    println!("normalize + segment: {:.1} MiB/s", mib / segment_secs);
    println!("peak memory (VmHWM): {:.0} MiB", peak_rss_mib());
}
