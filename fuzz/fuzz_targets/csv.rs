#![no_main]
include!("common.rs");

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    read_and_finish("export.csv", nhip_ingest::Format::Csv, bytes);
});
