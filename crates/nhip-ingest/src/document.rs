use crate::ids::{content_hash, stable_id};
use crate::lang::detect_language;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Whether a document is a collaborator report or a press item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Report,
    Press,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Report => "report",
            DocKind::Press => "press",
        }
    }

    /// Parses `report` or `press` (any case).
    pub fn parse(value: &str) -> Option<DocKind> {
        match value.trim().to_ascii_lowercase().as_str() {
            "report" => Some(DocKind::Report),
            "press" => Some(DocKind::Press),
            _ => None,
        }
    }
}

/// A document as a reader found it, already normalised, before it gets its id and hash.
#[derive(Debug, Clone)]
pub struct RawDocument {
    pub id: Option<String>,
    pub title: String,
    pub body: String,
    pub published_at: Option<DateTime<FixedOffset>>,
    pub source: String,
    pub kind: DocKind,
    pub unit: Option<String>,
    pub url: Option<String>,
    /// `file:line` (or just `file`) where the document was read.
    pub origin: String,
}

/// A normalised document, ready for the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The input's id when it gave one, else derived from source and url or content.
    pub id: String,
    pub title: String,
    pub body: String,
    /// When the document was published; `None` for undated documents (searchable, not trended).
    pub published_at: Option<DateTime<FixedOffset>>,
    pub source: String,
    pub kind: DocKind,
    pub unit: Option<String>,
    pub url: Option<String>,
    /// ISO 639-3 code from whatlang (`vie`, `eng`, …) or `und` when unsure.
    pub lang: String,
    /// Hash of the normalised title and body: equal for exact duplicates.
    pub content_hash: String,
    /// MinHash signature of the text (see [`crate::minhash`]): near-duplicates share most values.
    pub minhash: Vec<u32>,
    pub origin: String,
}

impl RawDocument {
    /// Gives the document its id, content hash and language.
    pub fn finish(self) -> Document {
        let content_hash = content_hash(&self.title, &self.body);
        let minhash = crate::minhash(&self.title, &self.body);
        let id = self
            .id
            .unwrap_or_else(|| stable_id(&self.source, self.url.as_deref(), &content_hash));
        let lang = detect_language(&format!("{}\n{}", self.title, self.body)).to_string();
        Document {
            id,
            title: self.title,
            body: self.body,
            published_at: self.published_at,
            source: self.source,
            kind: self.kind,
            unit: self.unit,
            url: self.url,
            lang,
            content_hash,
            minhash,
            origin: self.origin,
        }
    }
}
