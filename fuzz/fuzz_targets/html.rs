#![no_main]
include!("common.rs");

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    read_and_finish("bai-bao.html", nhip_ingest::Format::Html, bytes);
});
