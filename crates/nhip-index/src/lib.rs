//! The nhip search index: a tantivy index with Vietnamese analyzers, an upserting writer and a
//! searcher that applies nhip's matching rules.
//!
//! Text is indexed twice, syllable by syllable with positions: once exact (normalised, lower
//! case, canonical tone placement) and once accent-free. A query word with diacritics is matched
//! against the exact field, one without against the accent-free field, so `tham nhung` finds
//! `tham nhũng` while `bàn` does not find `bán`. Phrases are position-checked syllable
//! sequences, so no match depends on how a word segmenter grouped syllables.
//!
//! ```
//! use nhip_index::{NhipIndex, SearchOptions};
//! use nhip_ingest::{ingest_paths, IngestOptions};
//! let dir = tempfile::tempdir().unwrap();
//! let input = dir.path().join("in.jsonl");
//! std::fs::write(&input, r#"{"id":"d1","title":"Xử lý tham nhũng","body":"Vụ án tham nhũng đất đai.","published_at":"2026-03-02T08:00:00+07:00"}"#).unwrap();
//! let batch = ingest_paths(&[input], &IngestOptions::default());
//! let index = NhipIndex::open_or_create(&dir.path().join("index")).unwrap();
//! index.write(&batch.documents).unwrap();
//! let results = index.search("tham nhung", &SearchOptions::default()).unwrap();
//! assert_eq!(results.total, 1);
//! assert_eq!(results.hits[0].id, "d1");
//! ```

mod analyzer;
mod batch;
mod boilerplate;
mod error;
mod explore;
mod integrity;
mod live;
mod query;
mod readings;
mod schema;
mod searcher;
mod snippet;
mod writer;

pub use analyzer::{
    VietnameseTokenizer, VietnameseWordTokenizer, EXACT_TOKENIZER, FOLD_TOKENIZER,
    WORDS_EXACT_TOKENIZER, WORDS_FOLD_TOKENIZER,
};
pub use batch::{match_batch, sentence_keys, BatchMatches};
pub use error::IndexError;
pub use explore::{
    ExploreOptions, ExploreResults, FacetCount, FacetField, FacetTable, Facets, MatchHighlighter,
    WeekCount, WeekCounts,
};
pub use integrity::{check_index, recorded_version, IndexCheck, SCHEMA_VERSION, VERSION_FILE};
pub use live::CommitInfo;
pub use query::{parse_query, parse_query_with, FilterField, QueryError, QueryNode};
pub use readings::{Reading, WordReadings};
pub use schema::Fields;
pub use searcher::{DatedMatch, Hit, SearchOptions, SearchResults, SortOrder};
pub use snippet::Snippet;
pub use writer::{story_band_keys, WriteSummary, STORY_SIMILARITY};

use std::path::{Path, PathBuf};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy};

/// The word list an index keeps for grouping query words (see [`NhipIndex::keep_word_list`]).
const WORD_LIST: &str = "nhip-words.txt";

/// An opened nhip index: schema handles, tokenizers registered, a reader ready.
pub struct NhipIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    path: PathBuf,
    /// Groups unquoted query words into words.
    segmenter: std::sync::Arc<nhip_text::Segmenter>,
    readings_cache: readings::ReadingsCache,
    /// Phrase counts of reading candidates per segment (they outlive a commit).
    segment_counts: readings::SegmentCounts,
}

impl NhipIndex {
    /// Opens the index in `dir`, creating the folder and an empty index when there is none.
    pub fn open_or_create(dir: &Path) -> Result<NhipIndex, IndexError> {
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let directory = MmapDirectory::open(dir).map_err(|e| IndexError::Open {
            path: dir.to_owned(),
            message: e.to_string(),
        })?;
        let exists = Index::exists(&directory).map_err(|e| IndexError::Open {
            path: dir.to_owned(),
            message: e.to_string(),
        })?;
        if exists {
            // An index written by an older nhip lacks fields: say so, rather than tantivy's
            // schema mismatch.
            return Self::open(dir);
        }
        let (schema, fields) = schema::build();
        let index =
            Index::create(directory, schema, tantivy::IndexSettings::default()).map_err(|e| {
                IndexError::Open {
                    path: dir.to_owned(),
                    message: e.to_string(),
                }
            })?;
        integrity::record_version(dir)?;
        Self::ready(index, fields, dir)
    }

    /// Opens an existing index; an error when `dir` holds none.
    pub fn open(dir: &Path) -> Result<NhipIndex, IndexError> {
        integrity::check_version(dir)?;
        let index = Index::open_in_dir(dir).map_err(|e| integrity::opening_error(dir, e))?;
        integrity::check_presence(&index, dir)?;
        let fields = Fields::from_schema(&index.schema()).map_err(|message| IndexError::Open {
            path: dir.to_owned(),
            message,
        })?;
        Self::ready(index, fields, dir)
    }

    fn ready(index: Index, fields: Fields, dir: &Path) -> Result<NhipIndex, IndexError> {
        analyzer::register(&index);
        // Opening the reader opens every segment file (and checks its footer).
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| integrity::opening_error(dir, e))?;
        let mut opened = NhipIndex {
            index,
            fields,
            reader,
            path: dir.to_owned(),
            segmenter: std::sync::Arc::new(nhip_text::Segmenter::builtin().clone()),
            readings_cache: Default::default(),
            segment_counts: Default::default(),
        };
        let words = dir.join(WORD_LIST);
        if words.is_file() {
            opened.add_word_file(&words)?;
        }
        Ok(opened)
    }

    /// Keeps a copy of a word list in the index folder: every later search, topic count and
    /// server over this index groups query words with it, without being told again.
    pub fn keep_word_list(&mut self, path: &Path) -> Result<(), IndexError> {
        let kept = self.path.join(WORD_LIST);
        let io = |source| IndexError::Io {
            path: path.to_owned(),
            source,
        };
        let text = std::fs::read_to_string(path).map_err(io)?;
        let temporary = self.path.join(format!("{WORD_LIST}.tmp"));
        std::fs::write(&temporary, text).map_err(io)?;
        std::fs::rename(&temporary, &kept).map_err(io)?;
        self.add_word_file(&kept)
    }

    /// Adds the words of a word list (one per line, as `nhip tokenize --words` reads them) to
    /// the segmenter that groups query words: `ban tuyen giao` is then one word.
    pub fn add_word_file(&mut self, path: &Path) -> Result<(), IndexError> {
        self.readings_cache = Default::default();
        Ok(std::sync::Arc::make_mut(&mut self.segmenter).add_word_file(path)?)
    }

    /// Forgets the readings counted so far: the next search of each word counts them again,
    /// as a query's first search does (the latency benchmark measures that case with it).
    pub fn forget_readings(&self) {
        self.readings_cache.clear();
        self.segment_counts.clear();
    }

    /// The folder the index lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of live documents.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_of_an_older_version_is_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        // An index whose schema lacks this version's fields (here: everything but `id`).
        let mut builder = tantivy::schema::Schema::builder();
        builder.add_text_field("id", tantivy::schema::STRING);
        Index::create_in_dir(dir.path(), builder.build()).unwrap();
        for opened in [
            NhipIndex::open(dir.path()),
            NhipIndex::open_or_create(dir.path()),
        ] {
            let message = opened.err().expect("an old index is refused").to_string();
            assert!(
                message.contains("not an nhip index of this version")
                    && message.contains("index the documents again"),
                "{message}"
            );
        }
    }
}
