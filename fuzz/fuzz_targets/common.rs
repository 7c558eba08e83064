// Shared by the reader targets (included with `include!`, each target is its own crate).

/// Reads `bytes` as `format` and finishes every document (normalisation, language, dates,
/// ids, MinHash), as ingest does; any panic is a finding.
#[allow(dead_code)]
fn read_and_finish(name: &str, format: nhip_ingest::Format, bytes: &[u8]) {
    let path = std::path::Path::new(name);
    let outcome =
        nhip_ingest::read_bytes(path, format, bytes, &nhip_ingest::IngestOptions::default());
    for document in outcome.documents {
        let document = document.finish();
        std::hint::black_box(document);
    }
    for reject in outcome.rejects {
        assert!(!reject.reason.is_empty());
    }
}
