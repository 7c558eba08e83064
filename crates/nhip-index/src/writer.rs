//! Writing documents: upsert by id, exact duplicates of indexed documents skipped.

use crate::boilerplate::{document_from_stored, find_boilerplate, StoredBoilerplate};
use crate::schema::{filter_key, reference_key, Fields};
use crate::{IndexError, NhipIndex};
use nhip_ingest::Document;
use nhip_text::{Boilerplate, BoilerplateRule};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, OwnedValue, Value};
use tantivy::{DateTime, DocAddress, IndexWriter, Searcher, TantivyDocument, Term};
use xxhash_rust::xxh3::xxh3_64;

/// Documents between commits of a long write.
const COMMIT_EVERY: usize = 5_000;

/// Largest segment (in documents) that merges still grow.
const MAX_DOCS_BEFORE_MERGE: usize = 200_000;

/// Memory budget of the index writer, shared by its threads (tantivy needs ≥ 15 MB a thread).
const WRITER_MEMORY_BYTES: usize = 128 * 1024 * 1024;

/// What one write did to each document.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct WriteSummary {
    /// Documents whose id was new.
    pub added: usize,
    /// Documents whose id existed with other text: the old version is replaced.
    pub replaced: usize,
    /// Documents already indexed with the same id and text: nothing to do.
    pub unchanged: usize,
    /// Documents whose text is already indexed under another id: skipped as exact duplicates.
    pub duplicates: usize,
    /// Documents written again because a sentence of theirs became boilerplate (or stopped
    /// being) after they were first written.
    pub boilerplate_rewritten: usize,
}

/// MinHash bands used as near-duplicate candidate keys: 8 bands of 4 values catch pairs with
/// Jaccard similarity 0.8 with probability 0.985.
const BANDS: usize = 8;
/// Least estimated Jaccard similarity for two documents to be one story.
pub const STORY_SIMILARITY: f64 = 0.5;

/// One 64-bit key per band (the band's number and values hashed): 8-byte terms keep the
/// index's band dictionary small.
pub fn story_band_keys(signature: &[u32]) -> Vec<u64> {
    let rows = signature.len() / BANDS;
    if rows == 0 {
        return Vec::new();
    }
    signature
        .chunks(rows)
        .take(BANDS)
        .enumerate()
        .map(|(band, values)| {
            let mut bytes = Vec::with_capacity(4 * values.len() + 1);
            bytes.push(band as u8);
            for v in values {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            xxh3_64(&bytes)
        })
        .collect()
}

fn signature_bytes(signature: &[u32]) -> Vec<u8> {
    signature.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn signature_of(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// A new story's id: a stable hash of the id of the document that starts it.
fn story_id(document_id: &str) -> u64 {
    document_id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Near-duplicates written in this batch: each signature once, found through its bands.
#[derive(Default)]
struct BatchStories {
    signatures: Vec<(Vec<u32>, u64)>,
    by_band: std::collections::HashMap<u64, Vec<u32>>,
}

impl BatchStories {
    /// The story of the first near-duplicate written in this batch (batches are written in
    /// input order, so "first" is the same on every run). Stopping at the first keeps a batch
    /// of thousands of templated items linear.
    fn find(&self, keys: &[u64], signature: &[u32]) -> Option<u64> {
        keys.iter()
            .filter_map(|k| self.by_band.get(k))
            .flatten()
            .map(|&i| &self.signatures[i as usize])
            .find(|(other, _)| {
                nhip_ingest::minhash_similarity(signature, other) >= STORY_SIMILARITY
            })
            .map(|(_, story)| *story)
    }

    fn add(&mut self, keys: &[u64], signature: &[u32], story: u64) {
        let position = self.signatures.len() as u32;
        self.signatures.push((signature.to_vec(), story));
        for key in keys {
            self.by_band.entry(*key).or_default().push(position);
        }
    }
}

/// Per-segment fast-field columns of the searcher a session looks stories up in.
struct StoryColumns {
    minhash: Option<tantivy::columnar::BytesColumn>,
    story: Option<tantivy::columnar::Column<u64>>,
}

/// The story of an already indexed near-duplicate, if any (the smallest when there are
/// several): candidates share a band, and their signatures come from a fast field (no stored
/// document is decompressed).
fn indexed_story(
    searcher: &Searcher,
    columns: &mut std::collections::HashMap<u32, StoryColumns>,
    fields: &Fields,
    keys: &[u64],
    signature: &[u32],
    exclude: Option<DocAddress>,
) -> Result<Option<u64>, IndexError> {
    if keys.is_empty() || searcher.num_docs() == 0 {
        return Ok(None);
    }
    let clauses: Vec<(Occur, Box<dyn Query>)> = keys
        .iter()
        .map(|&k| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_u64(fields.story_band, k),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    let candidates = searcher.search(
        &BooleanQuery::new(clauses),
        &TopDocs::with_limit(32).order_by_score(),
    )?;
    let mut bytes = Vec::with_capacity(4 * signature.len());
    // The smallest story of the similar candidates: which segment a document landed in
    // (the writer's threads decide) must not decide its story.
    let mut found: Option<u64> = None;
    for (_, address) in candidates {
        if Some(address) == exclude {
            continue;
        }
        let segment = searcher.segment_reader(address.segment_ord);
        let columns = columns
            .entry(address.segment_ord)
            .or_insert_with(|| StoryColumns {
                minhash: segment.fast_fields().bytes("minhash").ok().flatten(),
                story: segment.fast_fields().u64("story").ok(),
            });
        let (Some(minhash), Some(story)) = (&columns.minhash, &columns.story) else {
            continue;
        };
        let Some(ord) = minhash.term_ords(address.doc_id).next() else {
            continue;
        };
        bytes.clear();
        if !minhash.ord_to_bytes(ord, &mut bytes).unwrap_or(false) {
            continue;
        }
        if nhip_ingest::minhash_similarity(signature, &signature_of(&bytes)) < STORY_SIMILARITY {
            continue;
        }
        if let Some(candidate) = story.first(address.doc_id) {
            found = Some(found.map_or(candidate, |f| f.min(candidate)));
        }
    }
    Ok(found)
}

/// A document as the index writer takes it: each value is held once and handed to every
/// field that indexes it (title and body go to five fields each) instead of being copied per
/// field, which matters for full-text articles queued by the thousand.
pub(crate) struct IndexDoc {
    values: Vec<OwnedValue>,
    /// Each field with the index of its value in `values`.
    fields: Vec<(Field, usize)>,
}

impl IndexDoc {
    fn push(&mut self, value: impl Into<OwnedValue>, fields: &[Field]) {
        let at = self.values.len();
        self.values.push(value.into());
        self.fields.extend(fields.iter().map(|&field| (field, at)));
    }
}

/// The (field, value) pairs of an [`IndexDoc`].
pub(crate) struct FieldValues<'a> {
    doc: &'a IndexDoc,
    next: usize,
}

impl<'a> Iterator for FieldValues<'a> {
    type Item = (Field, &'a OwnedValue);

    fn next(&mut self) -> Option<Self::Item> {
        let &(field, at) = self.doc.fields.get(self.next)?;
        self.next += 1;
        Some((field, &self.doc.values[at]))
    }
}

impl tantivy::Document for IndexDoc {
    type Value<'a> = &'a OwnedValue;
    type FieldsValuesIter<'a> = FieldValues<'a>;

    fn iter_fields_and_values(&self) -> FieldValues<'_> {
        FieldValues { doc: self, next: 0 }
    }
}

/// How boilerplate shapes one document's index form.
#[derive(Debug, Default)]
pub(crate) struct Furniture {
    /// Its sentence keys within its source, each once.
    pub(crate) sentences: Vec<u64>,
    /// Byte ranges of its boilerplate sentences in the title and the body (sorted, merged).
    title_cut: Vec<Range<usize>>,
    body_cut: Vec<Range<usize>>,
    /// XOR of the boilerplate sentence keys left out.
    fingerprint: u64,
}

/// The index form of a document; its texts are moved, not copied (the word fields get their
/// own copy without boilerplate when there is some).
pub(crate) fn to_index_doc(
    fields: &Fields,
    doc: Document,
    band_keys: Vec<u64>,
    story: u64,
    signature: &[u32],
    furniture: Furniture,
) -> IndexDoc {
    let mut d = IndexDoc {
        values: Vec::with_capacity(24),
        fields: Vec::with_capacity(40),
    };
    let minhash = signature_bytes(signature);
    d.push(doc.id, &[fields.id]);
    d.push(doc.content_hash, &[fields.content_hash]);
    let words = [fields.words_exact, fields.words_fold];
    for (text, cut, stored, exact, fold) in [
        (
            doc.title,
            &furniture.title_cut,
            fields.title,
            fields.title_exact,
            fields.title_fold,
        ),
        (
            doc.body,
            &furniture.body_cut,
            fields.body,
            fields.body_exact,
            fields.body_fold,
        ),
    ] {
        if cut.is_empty() {
            d.push(text, &[stored, exact, fold, words[0], words[1]]);
        } else {
            d.push(nhip_text::without_ranges(&text, cut).into_owned(), &words);
            d.push(text, &[stored, exact, fold]);
        }
    }
    if let Some(published) = doc.published_at {
        d.push(
            DateTime::from_timestamp_secs(published.timestamp()),
            &[fields.published_at],
        );
    }
    // A document without a source has no source key: no `source:` filter or per-source
    // table row names it.
    if !doc.source.is_empty() {
        d.push(filter_key(&doc.source), &[fields.source_key]);
        d.push(doc.source, &[fields.source]);
    }
    if let Some(reference) = doc.reference {
        d.push(reference_key(&reference), &[fields.reference_key]);
        d.push(reference, &[fields.reference]);
    }
    d.push(doc.kind.as_str(), &[fields.kind]);
    if let Some(unit) = doc.unit {
        d.push(filter_key(&unit), &[fields.unit_key]);
        d.push(unit, &[fields.unit]);
    }
    if let Some(url) = doc.url {
        d.push(url, &[fields.url]);
    }
    d.push(doc.lang, &[fields.lang]);
    d.push(doc.date_source.as_str(), &[fields.date_source]);
    if let Some(author) = doc.author {
        d.push(author, &[fields.author]);
    }
    for key in band_keys {
        d.push(key, &[fields.story_band]);
    }
    d.push(minhash, &[fields.minhash]);
    d.push(story, &[fields.story]);
    for key in furniture.sentences {
        d.push(key, &[fields.sentence]);
    }
    d.push(furniture.fingerprint, &[fields.boilerplate]);
    d
}

/// Boilerplate as a write session knows it: the sentences judged so far, and the documents
/// per sentence since the last commit (the index counts the committed ones).
struct BoilerplateState {
    rule: BoilerplateRule,
    known: Boilerplate,
    since_commit: HashMap<u64, u32>,
}

impl BoilerplateState {
    /// A document's sentences, counted (unless it is being rewritten), and the boilerplate
    /// among them.
    fn furniture(&mut self, doc: &Document, count: bool) -> Furniture {
        let keyed = KeyedSentences::of(doc);
        if count {
            for &key in &keyed.unique {
                let n = self.since_commit.entry(key).or_default();
                *n += 1;
                if *n >= self.rule.min_documents && self.rule.long_enough(key) {
                    self.known.insert(key);
                }
            }
        }
        keyed.furniture(&self.known)
    }
}

/// A document's sentences with their keys within its source.
pub(crate) struct KeyedSentences {
    title: Vec<(nhip_text::Sentence, u64)>,
    body: Vec<(nhip_text::Sentence, u64)>,
    /// Each key once, in order.
    pub unique: Vec<u64>,
}

impl KeyedSentences {
    pub fn of(doc: &Document) -> KeyedSentences {
        let source = nhip_text::source_name_key(&doc.source);
        let keyed = |text: &str| -> Vec<(nhip_text::Sentence, u64)> {
            nhip_text::sentences(text)
                .into_iter()
                .map(|s| (s, nhip_text::source_sentence_key(&source, s.key)))
                .collect()
        };
        let (title, body) = (keyed(&doc.title), keyed(&doc.body));
        let mut seen = HashSet::with_capacity(title.len() + body.len());
        let mut unique = Vec::with_capacity(title.len() + body.len());
        for &(_, key) in title.iter().chain(&body) {
            if seen.insert(key) {
                unique.push(key);
            }
        }
        KeyedSentences {
            title,
            body,
            unique,
        }
    }

    /// How `known` boilerplate shapes the document's index form.
    pub fn furniture(self, known: &Boilerplate) -> Furniture {
        let mut fingerprint = 0;
        let mut applied = HashSet::new();
        let mut cut = |list: &[(nhip_text::Sentence, u64)]| {
            let found: Vec<&nhip_text::Sentence> = list
                .iter()
                .filter(|(_, key)| known.contains(*key))
                .inspect(|(_, key)| {
                    if applied.insert(*key) {
                        fingerprint ^= key;
                    }
                })
                .map(|(s, _)| s)
                .collect();
            nhip_text::covered_ranges(found)
        };
        let title_cut = cut(&self.title);
        let body_cut = cut(&self.body);
        Furniture {
            sentences: self.unique,
            title_cut,
            body_cut,
            fingerprint,
        }
    }
}

/// The story signature of a document given its furniture: its MinHash without boilerplate.
pub(crate) fn story_signature(doc: &mut Document, furniture: &Furniture) -> Vec<u32> {
    if furniture.title_cut.is_empty() && furniture.body_cut.is_empty() {
        std::mem::take(&mut doc.minhash)
    } else {
        nhip_ingest::minhash_excluding(
            &doc.title,
            &furniture.title_cut,
            &doc.body,
            &furniture.body_cut,
        )
    }
}

/// Ids of the live documents whose text hashes to `hash`.
fn ids_with_hash(
    searcher: &Searcher,
    fields: &Fields,
    hash: &str,
) -> Result<Vec<String>, IndexError> {
    let query = TermQuery::new(
        Term::from_field_text(fields.content_hash, hash),
        IndexRecordOption::Basic,
    );
    let found = searcher.search(&query, &TopDocs::with_limit(16).order_by_score())?;
    let mut ids = Vec::with_capacity(found.len());
    for (_, address) in found {
        let stored: TantivyDocument = searcher.doc(address)?;
        if let Some(id) = stored.get_first(fields.id).and_then(|v| v.as_str()) {
            ids.push(id.to_string());
        }
    }
    Ok(ids)
}

/// tantivy's writer lock file (`INDEX_WRITER_LOCK`), an `flock` held while a writer lives.
const WRITER_LOCK_FILE: &str = ".tantivy-writer.lock";

/// The process holding an `flock` on `lock`, from Linux's `/proc/locks`
/// (`1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF`); `None` elsewhere or when not found.
#[cfg(target_os = "linux")]
fn lock_holder(lock: &std::path::Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    let inode = std::fs::metadata(lock).ok()?.ino();
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    locks.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (kind, pid, device) = (fields.get(1)?, fields.get(4)?, fields.get(5)?);
        let held_inode: u64 = device.rsplit(':').next()?.parse().ok()?;
        (*kind == "FLOCK" && held_inode == inode).then(|| pid.parse().ok())?
    })
}

#[cfg(not(target_os = "linux"))]
fn lock_holder(_lock: &std::path::Path) -> Option<u32> {
    None
}

impl NhipIndex {
    /// Adds or replaces documents by id and commits. Re-writing the same documents changes
    /// nothing; a document with the text of another indexed one is skipped.
    pub fn write(&self, documents: &[Document]) -> Result<WriteSummary, IndexError> {
        let mut session = self.session()?;
        session.add(documents.to_vec())?;
        session.finish()
    }

    /// Starts a long write that takes documents chunk by chunk (see [`IndexSession`]), judging
    /// boilerplate by the rule the index was last written with (the default for a new index).
    pub fn session(&self) -> Result<IndexSession<'_>, IndexError> {
        self.session_with(None)
    }

    /// [`Self::session`] with a boilerplate rule: a rule other than the index's own takes
    /// effect for every document when the session finishes.
    pub fn session_with(
        &self,
        rule: Option<BoilerplateRule>,
    ) -> Result<IndexSession<'_>, IndexError> {
        let stored = self.stored_boilerplate();
        let rule =
            rule.unwrap_or_else(|| stored.as_ref().map_or_else(Default::default, |s| s.rule()));
        let known = match stored {
            Some(stored) if stored.rule() == rule => Boilerplate::from_keys(stored.sentences),
            _ => Boilerplate::default(),
        };
        // One writer per index: a second one fails at once, before anything is read or written.
        let writer: IndexWriter<IndexDoc> = match self.index.writer(WRITER_MEMORY_BYTES) {
            Err(tantivy::TantivyError::LockFailure(
                tantivy::directory::error::LockError::LockBusy,
                _,
            )) => {
                let lock = self.path.join(WRITER_LOCK_FILE);
                return Err(IndexError::Locked {
                    path: self.path.clone(),
                    holder: lock_holder(&lock),
                    lock,
                });
            }
            other => other?,
        };
        // An index from before versions were recorded, its fields this version's: record it.
        if crate::recorded_version(&self.path)?.is_none() {
            crate::integrity::record_version(&self.path)?;
        }
        // Segments stop growing by merges at this size: a merge reads its segments whole
        // (through mmap), so capping them caps the memory a long write maps at once.
        let mut merge_policy = tantivy::merge_policy::LogMergePolicy::default();
        merge_policy.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
        writer.set_merge_policy(Box::new(merge_policy));
        Ok(IndexSession {
            index: self,
            writer,
            searcher: self.reader.searcher(),
            before: self.reader.searcher(),
            written: std::collections::HashMap::new(),
            written_ids: std::collections::HashSet::new(),
            story_columns: std::collections::HashMap::new(),
            summary: WriteSummary::default(),
            stories: BatchStories::default(),
            since_commit: 0,
            boilerplate: BoilerplateState {
                rule,
                known,
                since_commit: HashMap::new(),
            },
        })
    }
}

/// A write in progress: documents arrive in chunks, are committed every [`COMMIT_EVERY`]
/// documents (durable progress a killed run keeps), and memory stays bounded: after each
/// commit the committed documents are found through the index, not kept in memory.
pub struct IndexSession<'a> {
    index: &'a NhipIndex,
    writer: IndexWriter<IndexDoc>,
    /// The index as of the last commit (for near-duplicates written earlier in this session).
    searcher: Searcher,
    /// The index as it was before this session (for ids and texts already indexed).
    before: Searcher,
    /// Content hash → id hash of what this session wrote: exact checks without a search.
    written: std::collections::HashMap<u64, u64>,
    /// Id hashes this session wrote.
    written_ids: std::collections::HashSet<u64>,
    /// Fast-field columns of `searcher`'s segments, opened on first use.
    story_columns: std::collections::HashMap<u32, StoryColumns>,
    summary: WriteSummary,
    /// Near-duplicate candidates written since the last commit.
    stories: BatchStories,
    since_commit: usize,
    boilerplate: BoilerplateState,
}

impl IndexSession<'_> {
    /// What was done so far.
    pub fn summary(&self) -> &WriteSummary {
        &self.summary
    }

    /// Adds or replaces the documents by id. (Analysis happens in tantivy's indexing threads,
    /// one per core.)
    pub fn add(&mut self, documents: Vec<Document>) -> Result<(), IndexError> {
        let fields = &self.index.fields;
        let indexed_before = self.before.num_docs() > 0;
        for doc in documents {
            let content_key = xxh3_64(doc.content_hash.as_bytes());
            let id_key = xxh3_64(doc.id.as_bytes());
            if let Some(&writer_id) = self.written.get(&content_key) {
                if writer_id == id_key {
                    self.summary.unchanged += 1;
                } else {
                    self.summary.duplicates += 1;
                }
                continue;
            }
            if indexed_before {
                let same_text = ids_with_hash(&self.before, fields, &doc.content_hash)?;
                if same_text.iter().any(|id| id == &doc.id) {
                    self.summary.unchanged += 1;
                    continue;
                }
                if !same_text.is_empty() {
                    self.summary.duplicates += 1;
                    continue;
                }
            }
            let id_term = Term::from_field_text(fields.id, &doc.id);
            let written_here = self.written_ids.contains(&id_key);
            let existed = written_here
                || (indexed_before
                    && self.before.search(
                        &TermQuery::new(id_term.clone(), IndexRecordOption::Basic),
                        &Count,
                    )? > 0);
            if existed {
                self.summary.replaced += 1;
            } else {
                self.summary.added += 1;
            }
            self.written.insert(content_key, id_key);
            self.written_ids.insert(id_key);
            self.write_document(doc, None)?;
            if self.since_commit >= COMMIT_EVERY {
                self.commit()?;
            }
        }
        Ok(())
    }

    /// Writes one document (replacing any with its id): its boilerplate left out of the word
    /// fields and the fingerprint, its story found. `rewriting` is the document's own
    /// address when it is written again: it is not counted again, nor its own near-duplicate.
    fn write_document(
        &mut self,
        mut doc: Document,
        rewriting: Option<DocAddress>,
    ) -> Result<(), IndexError> {
        let fields = &self.index.fields;
        let furniture = self.boilerplate.furniture(&doc, rewriting.is_none());
        let signature = story_signature(&mut doc, &furniture);
        // Join the story of a near-duplicate written earlier (in this run or before).
        let keys = story_band_keys(&signature);
        let story = match self.stories.find(&keys, &signature) {
            Some(story) => story,
            None => indexed_story(
                &self.searcher,
                &mut self.story_columns,
                fields,
                &keys,
                &signature,
                rewriting,
            )?
            .unwrap_or_else(|| story_id(&doc.id)),
        };
        self.stories.add(&keys, &signature, story);
        self.writer
            .delete_term(Term::from_field_text(fields.id, &doc.id));
        self.writer.add_document(to_index_doc(
            fields, doc, keys, story, &signature, furniture,
        ))?;
        self.since_commit += 1;
        Ok(())
    }

    /// Durable progress: a killed run keeps what it committed, and running it again finds
    /// those documents unchanged and adds the rest.
    fn commit(&mut self) -> Result<(), IndexError> {
        let payload =
            StoredBoilerplate::new(&self.boilerplate.rule, &self.boilerplate.known).payload();
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.index.reader.reload()?;
        self.searcher = self.index.reader.searcher();
        self.story_columns.clear();
        self.stories = BatchStories::default();
        self.since_commit = 0;
        // A sentence seen again since the last commit may now reach the rule's count with
        // the documents committed before: the index counts them.
        let rule = self.boilerplate.rule;
        let counts = std::mem::take(&mut self.boilerplate.since_commit);
        for (key, seen) in counts {
            if seen < 2 || self.boilerplate.known.contains(key) || !rule.long_enough(key) {
                continue;
            }
            let term = Term::from_field_u64(self.index.fields.sentence, key);
            if self.searcher.doc_freq(&term)? >= u64::from(rule.min_documents) {
                self.boilerplate.known.insert(key);
            }
        }
        Ok(())
    }

    /// Commits the rest, brings every document in line with the boilerplate the whole index
    /// now shows, and waits for merges.
    ///
    /// While documents stream in, a sentence is judged boilerplate once enough documents
    /// carrying it were seen, so the first of them were written with it; and a rule changed
    /// since the last write, or documents deleted, change what is boilerplate. Here the
    /// index is counted exactly, and the documents whose recorded boilerplate differs
    /// (usually a few per sentence) are written again.
    pub fn finish(mut self) -> Result<WriteSummary, IndexError> {
        self.commit()?;
        let fields = self.index.fields;
        let searcher = self.index.reader.searcher();
        let exact = find_boilerplate(&searcher, &fields, &self.boilerplate.rule)?;
        let mut expected: HashMap<DocAddress, u64> = HashMap::new();
        for (&key, docs) in &exact {
            for &doc in docs {
                *expected.entry(doc).or_default() ^= key;
            }
        }
        let mut stale = Vec::new();
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let recorded = segment.fast_fields().u64("boilerplate").ok();
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let address = DocAddress::new(ordinal as u32, doc);
                let recorded = recorded.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                if recorded != expected.get(&address).copied().unwrap_or(0) {
                    stale.push(address);
                }
            }
        }
        self.boilerplate.known = Boilerplate::from_keys(exact.into_keys());
        // Written again in the order of their ids: a rewritten document may join the story
        // of one rewritten before it, and the order the index holds them in (which the
        // writer's threads decide) must not decide stories.
        let mut rewrites = Vec::with_capacity(stale.len());
        for address in stale {
            let stored: TantivyDocument = searcher.doc(address)?;
            if let Some(doc) = document_from_stored(&fields, &stored) {
                rewrites.push((doc, address));
            }
        }
        rewrites.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        for (doc, address) in rewrites {
            self.write_document(doc, Some(address))?;
            self.summary.boilerplate_rewritten += 1;
        }
        self.commit()?;
        self.writer.wait_merging_threads()?;
        self.index.reader.reload()?;
        Ok(self.summary)
    }
}
