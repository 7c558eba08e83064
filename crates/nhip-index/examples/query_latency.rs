//! Query latency: each query of a file (one per line, `#` comments) run for top-10 hits with
//! snippets, once to warm up and then in `ROUNDS` rounds of every query in turn; prints the
//! mean, p50, p90, p99 and max over all runs, and the slowest queries.
//!
//! `cargo run --release -p nhip-index --example query_latency -- INDEX_DIR benches/queries.txt [--fresh|--uncached|--facets]`
//!
//! With `--fresh` every timed run searches a newly opened index (opening is not timed), so
//! nothing a previous search counted (the readings of its words) is reused: the latency of a
//! query's first search, as a new `nhip search` process sees it. With `--uncached` the index
//! stays open (its caches warm, as in the server) but the readings are counted again before
//! every timed run: a query's first search in a running server. With `--facets` each run also
//! counts the hits by source, kind and unit, as `/api/search` of `nhip serve` does, and then
//! measures the throughput of as many threads as cores running the same searches at once.

use nhip_index::{ExploreOptions, NhipIndex, SearchOptions};
use std::io::Write;

const ROUNDS: usize = 5;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, queries, mode) = match args.as_slice() {
        [_, dir, queries] => (dir, queries, ""),
        [_, dir, queries, flag]
            if flag == "--fresh" || flag == "--uncached" || flag == "--facets" =>
        {
            (dir, queries, flag.as_str())
        }
        _ => {
            return Err(
                "usage: query_latency INDEX_DIR QUERIES.txt [--fresh|--uncached|--facets]".into(),
            )
        }
    };
    let fresh = mode == "--fresh";
    let dir = std::path::Path::new(dir);
    let index = NhipIndex::open(dir)?;
    let queries: Vec<String> = std::fs::read_to_string(queries)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let options = SearchOptions {
        limit: 10,
        ..SearchOptions::default()
    };
    // Built once per opened index, as the server does.
    let facet_table = std::sync::Arc::new(index.facet_table()?);
    let totals = queries
        .iter()
        .map(|query| Ok(index.search(query, &options)?.total))
        .collect::<Result<Vec<usize>, nhip_index::IndexError>>()?;
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); queries.len()];
    // Round after round of every query in turn, as a server sees them (a query repeated at
    // once would find its data in the processor's caches).
    for _ in 0..ROUNDS {
        for (n, query) in queries.iter().enumerate() {
            let reopened = if fresh {
                Some(NhipIndex::open(dir)?)
            } else {
                None
            };
            let searched = reopened.as_ref().unwrap_or(&index);
            if mode == "--uncached" {
                searched.forget_readings();
            }
            let started = std::time::Instant::now();
            let found = if mode == "--facets" {
                let explore = ExploreOptions {
                    search: options.clone(),
                    facets: true,
                    weeks: false,
                };
                let node = searched.parse(query)?;
                searched.explore(&node, &explore, Some(&facet_table))?.total
            } else {
                searched.search(query, &options)?.total
            };
            times[n].push(started.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(found, totals[n]);
        }
    }
    let mut all: Vec<f64> = times.iter().flatten().copied().collect();
    let mut per_query = Vec::new();
    for ((query, mut times), total) in queries.iter().zip(times).zip(totals) {
        times.sort_by(f64::total_cmp);
        per_query.push((times[ROUNDS / 2], query.clone(), total));
    }
    all.sort_by(f64::total_cmp);
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    // Printed with writeln!: `| head` closing the pipe ends the program quietly.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{} documents, {} queries × {ROUNDS} runs{} (top 10 with snippets): mean {mean:.2} ms, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        index.num_docs(),
        queries.len(),
        match mode {
            "--fresh" => ", each on a newly opened index",
            "--uncached" => ", readings counted anew each run",
            "--facets" => ", with facets",
            _ => "",
        },
        percentile(&all, 50.0),
        percentile(&all, 90.0),
        percentile(&all, 99.0),
        all[all.len() - 1]
    );
    per_query.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (median, query, total) in per_query.iter().take(5) {
        let _ = writeln!(
            out,
            "  slowest: {median:7.2} ms median  {total:>8} hits  {query}"
        );
    }
    if mode == "--facets" {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let explore = ExploreOptions {
            search: options.clone(),
            facets: true,
            weeks: false,
        };
        let started = std::time::Instant::now();
        let searched: usize = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|thread| {
                    let (index, queries, explore, facet_table) =
                        (&index, &queries, &explore, &facet_table);
                    scope.spawn(move || -> Result<usize, nhip_index::IndexError> {
                        // Each thread starts elsewhere in the list: different queries at once.
                        let offset = thread * queries.len() / threads;
                        for i in 0..ROUNDS * queries.len() {
                            let query = &queries[(offset + i) % queries.len()];
                            let node = index.parse(query)?;
                            index.explore(&node, explore, Some(facet_table))?;
                        }
                        Ok(ROUNDS * queries.len())
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().map_or(0, |r| r.unwrap_or(0)))
                .sum()
        });
        let seconds = started.elapsed().as_secs_f64();
        let _ = writeln!(
            out,
            "concurrent, with facets: {threads} threads, {searched} searches in {seconds:.2} s = {:.0} queries/s",
            searched as f64 / seconds
        );
    }
    Ok(())
}
