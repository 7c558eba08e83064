#![no_main]
//! The topics file (TOML, each topic's query parsed by the search query parser).
libfuzzer_sys::fuzz_target!(|text: &str| {
    let parsed = nhip_trends::parse_topics(text, std::path::Path::new("topics.toml"));
    std::hint::black_box(parsed.map_err(|e| e.to_string()));
});
