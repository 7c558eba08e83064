#![no_main]
//! Legacy-encoding detection and decoding of whole files, the run-by-run repair of UTF-8
//! text, and conversion by a known legacy font.
libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    if let Some(decoded) = nhip_text::decode(bytes) {
        let (repaired, _) = nhip_text::repair(&decoded.text);
        std::hint::black_box(repaired);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let (repaired, _) = nhip_text::repair(text);
        std::hint::black_box(repaired);
        for font in [
            nhip_text::LegacyFont::Tcvn3,
            nhip_text::LegacyFont::Tcvn3Capitals,
            nhip_text::LegacyFont::Vni,
        ] {
            std::hint::black_box(nhip_text::repair_with_font(text, font));
        }
    }
});
