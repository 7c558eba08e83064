#![no_main]
include!("common.rs");

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    read_and_finish("export.jsonl", nhip_ingest::Format::JsonLines, bytes);
});
