#![no_main]
include!("common.rs");

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    read_and_finish("bao-cao.pdf", nhip_ingest::Format::Pdf, bytes);
});
