#![no_main]
include!("common.rs");

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    read_and_finish("bao-cao.txt", nhip_ingest::Format::Text, bytes);
});
