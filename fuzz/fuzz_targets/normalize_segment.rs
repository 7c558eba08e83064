#![no_main]
//! Normalisation (look-alikes, NFC, tone placement), folding, tokens and word segmentation.
libfuzzer_sys::fuzz_target!(|text: &str| {
    let normalized = nhip_text::normalize(text);
    std::hint::black_box(nhip_text::fold(&normalized));
    let segmenter = nhip_text::Segmenter::builtin();
    let segmented = segmenter.segment(text);
    for word in &segmented.words {
        assert_eq!(&text[word.start..word.end], word.text);
        std::hint::black_box(segmented.joined(word));
    }
    std::hint::black_box(segmenter.segment_line(text));
    for token in nhip_text::tokenize(&normalized) {
        // Byte offsets into the text must be valid: snippets slice with them.
        std::hint::black_box(&normalized[token.start..token.end]);
    }
});
