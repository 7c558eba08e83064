#![no_main]
include!("common.rs");

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    read_and_finish("tin.rss", nhip_ingest::Format::Feed, bytes);
});
