#![no_main]
include!("common.rs");

// pdf-extract and its font parsers panic on some malformed files; nhip's PDF reader catches
// that (`catch_unwind`) and rejects the file with its reason. libfuzzer-sys's panic hook
// aborts on every panic, caught or not, so the default hook is put back: a panic that escapes
// nhip still aborts (libfuzzer-sys's `catch_unwind` around each input), a caught one is a reject.
libfuzzer_sys::fuzz_target!(
    init: {
        let _ = std::panic::take_hook();
    },
    |bytes: &[u8]| {
        read_and_finish("bao-cao.pdf", nhip_ingest::Format::Pdf, bytes);
    }
);
