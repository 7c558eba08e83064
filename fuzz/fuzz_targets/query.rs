#![no_main]
//! The search query language: any input parses or fails with a column, never panics.
libfuzzer_sys::fuzz_target!(|text: &str| {
    match nhip_index::parse_query(text) {
        Ok(query) => {
            std::hint::black_box(query);
        }
        Err(e) => {
            std::hint::black_box(e.to_string());
        }
    }
});
