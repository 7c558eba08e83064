//! Single-thread throughput of normalisation + word segmentation, model load time and peak
//! memory, with tokenisation alone as the baseline measured in the same run. The input is the
//! file's lines repeated (by reference) until it reaches the requested size.
//!
//!     cargo run --release -p nhip-text --example segment_speed -- \
//!       ../shared/data/ud-vtb/vi_vtb-ud-dev.raw.txt 50 [--fused-only | --lines-only]
//!
//! `--lines-only` measures `Segmenter::segment_lines` alone (the library path of `nhip
//! tokenize`: the lines in memory, one output buffer, no I/O).

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

/// `Segmenter::segment_lines` over the lines joined into one text: what `nhip tokenize` does
/// with each block it reads.
fn segment_lines_speed(segmenter: &nhip_text::Segmenter, lines: &[&str], mb: f64) {
    let block: String = lines.iter().flat_map(|l| [*l, "\n"]).collect();
    let mut out = String::with_capacity(block.len() + block.len() / 4);
    let started = Instant::now();
    segmenter.segment_lines(&block, &mut out);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "segment lines into one buffer (the library path of `nhip tokenize`): {:.1} MB/s ({} words)",
        mb / secs,
        out.split_ascii_whitespace().count()
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: segment_speed FILE [MIB] [--fused-only | --lines-only]");
    let target_mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let only = args.next();
    let fused_only = only.as_deref() == Some("--fused-only");
    let lines_only = only.as_deref() == Some("--lines-only");
    let sample = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let mut lines: Vec<&str> = Vec::new();
    let mut bytes = 0;
    while bytes < target_mib << 20 {
        for line in sample.lines() {
            lines.push(line);
            bytes += line.len() + 1;
        }
    }
    let (mb, mib) = (bytes as f64 / 1e6, bytes as f64 / (1 << 20) as f64);

    let started = Instant::now();
    let segmenter = nhip_text::Segmenter::builtin();
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;

    if lines_only {
        segment_lines_speed(segmenter, &lines, mb);
        return;
    }
    // The headline figure first, before the other measurements fill memory.
    let started = Instant::now();
    let words: usize = lines
        .iter()
        .map(|l| segmenter.normalize_segment(l, |_, s| s.words.len()))
        .sum();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "normalize + segment: {:.1} MB/s = {:.1} MiB/s ({words} words)",
        mb / secs,
        mib / secs
    );
    if fused_only {
        return;
    }

    let started = Instant::now();
    let raw_words: usize = lines.iter().map(|l| segmenter.segment(l).words.len()).sum();
    let raw_secs = started.elapsed().as_secs_f64();
    println!(
        "segment raw text (as `nhip tokenize`): {:.1} MB/s ({raw_words} words)",
        mb / raw_secs
    );

    segment_lines_speed(segmenter, &lines, mb);

    let started = Instant::now();
    let tokens: usize = lines.iter().map(|l| nhip_text::tokenize(l).count()).sum();
    let tokenize_secs = started.elapsed().as_secs_f64();
    println!(
        "baseline, tokenize only: {:.1} MB/s ({tokens} tokens)",
        mb / tokenize_secs
    );

    let started = Instant::now();
    let normalized: Vec<String> = lines
        .iter()
        .map(|l| nhip_text::normalize(l).into_owned())
        .collect();
    let normalize_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let segmented: usize = normalized
        .iter()
        .map(|l| segmenter.segment_normalized(l).words.len())
        .sum();
    let segment_secs = started.elapsed().as_secs_f64();
    drop(normalized);
    println!(
        "stages alone: normalize {:.1} MB/s, segment normalised text {:.1} MB/s ({segmented} words)",
        mb / normalize_secs,
        mb / segment_secs
    );
    println!("input: {mb:.1} MB = {mib:.1} MiB ({} lines)", lines.len());
    println!("model load: {load_ms:.1} ms");
    println!(
        "peak memory (VmHWM): {:.0} MiB, including the stage measurement's own normalised copy",
        peak_rss_mib()
    );
}
