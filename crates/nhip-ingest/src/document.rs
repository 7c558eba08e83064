use crate::dateline::{date_from_text, DateContext};
use crate::dates::vietnam_offset;
use crate::ids::{content_hash, stable_id};
use crate::lang::detect_language;
use crate::official::OfficialHeader;
use chrono::TimeZone;
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

    /// Parses `report` or `press`, or in Vietnamese `báo cáo` or `báo chí` (any case, with
    /// or without diacritics).
    pub fn parse(value: &str) -> Option<DocKind> {
        let words: Vec<String> = value
            .split_whitespace()
            .map(|w| nhip_text::fold(w).into_owned())
            .collect();
        match words.join(" ").as_str() {
            "report" | "bao cao" => Some(DocKind::Report),
            "press" | "bao chi" => Some(DocKind::Press),
            _ => None,
        }
    }
}

/// How a document's publication date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// From the input's metadata: a date field, a header line, a page's meta tags, a feed
    /// item's date.
    Metadata,
    /// The date line of an administrative document (`Gia Lai, ngày 3 tháng 8 năm 2026`).
    TextOfficial,
    /// The file's own dates: a DOCX's created (else modified) property, a PDF's CreationDate.
    /// They say when the file was made, which is why a report's date line wins over them.
    FileMetadata,
    /// A full date in the text (dateline or date phrase).
    Text,
    /// A day and month in the text; the year from a full date or month phrase nearby.
    TextYearFromNearbyDate,
    /// A day and month in the text; the year from the feed's date.
    TextYearFromFeed,
    /// A day and month in the text; the year from the file's modification time.
    TextYearFromFile,
    /// No date found: the document is kept, searchable and flagged undated.
    #[default]
    None,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Metadata => "metadata",
            DateSource::TextOfficial => "text_official",
            DateSource::FileMetadata => "file_metadata",
            DateSource::Text => "text",
            DateSource::TextYearFromNearbyDate => "text_year_from_nearby_date",
            DateSource::TextYearFromFeed => "text_year_from_feed",
            DateSource::TextYearFromFile => "text_year_from_file",
            DateSource::None => "none",
        }
    }

    /// The inverse of [`DateSource::as_str`].
    pub fn parse(value: &str) -> Option<DateSource> {
        [
            DateSource::Metadata,
            DateSource::TextOfficial,
            DateSource::FileMetadata,
            DateSource::Text,
            DateSource::TextYearFromNearbyDate,
            DateSource::TextYearFromFeed,
            DateSource::TextYearFromFile,
            DateSource::None,
        ]
        .into_iter()
        .find(|d| d.as_str() == value)
    }
}

/// A document as a reader found it, already normalised, before it gets its id and hash.
#[derive(Debug, Clone)]
pub struct RawDocument {
    pub id: Option<String>,
    pub title: String,
    pub body: String,
    /// The date the input states (a date field, header line, meta tag, feed date).
    pub published_at: Option<DateTime<FixedOffset>>,
    /// The file's own date (DOCX created or modified, PDF CreationDate): used only when
    /// neither the input nor, for a report, its official date line gives one.
    pub file_date: Option<DateTime<FixedOffset>>,
    /// An administrative document's number (`123/UBND-NL`) when the input states it; a
    /// report's number line gives it otherwise.
    pub reference: Option<String>,
    /// Empty when the input names no source.
    pub source: String,
    pub kind: DocKind,
    pub unit: Option<String>,
    pub url: Option<String>,
    /// The byline of a press item (from meta tags, JSON-LD, feeds). Never read from reports:
    /// a report's author is a collaborator, and nhip does not track people.
    pub author: Option<String>,
    /// `file:line` (or just `file`) where the document was read.
    pub origin: String,
    /// A date around the document (feed date, file time) for inferring a dateline's year.
    pub date_context: Option<DateContext>,
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
    /// Where `published_at` came from.
    #[serde(default)]
    pub date_source: DateSource,
    /// Empty when the input names no source.
    pub source: String,
    /// An administrative document's number and symbol (`123/UBND-NL`), from its `Số:` line.
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub kind: DocKind,
    pub unit: Option<String>,
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// ISO 639-3 code from whatlang (`vie`, `eng`, …) or `und` when unsure.
    pub lang: String,
    /// Hash of the normalised title and body: equal for exact duplicates.
    pub content_hash: String,
    /// MinHash signature of the text (see [`crate::minhash`]): near-duplicates share most values.
    pub minhash: Vec<u32>,
    pub origin: String,
}

impl RawDocument {
    /// Gives the document its id, content hash, language, and a date. The date comes from,
    /// in this order: the input's metadata; for a report, its official date line; the file's
    /// own dates; a dateline or date phrase in the text.
    pub fn finish(self) -> Document {
        let official = if self.kind == DocKind::Report {
            OfficialHeader::read_document(&self.title, &self.body)
        } else {
            OfficialHeader::default()
        };
        let official_date = official.date.and_then(|d| {
            vietnam_offset()
                .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
                .single()
        });
        let (published_at, date_source) = if let Some(date) = self.published_at {
            (Some(date), DateSource::Metadata)
        } else if let Some(date) = official_date {
            (Some(date), DateSource::TextOfficial)
        } else if let Some(date) = self.file_date {
            (Some(date), DateSource::FileMetadata)
        } else {
            match date_from_text(&self.title, &self.body, self.date_context) {
                Some((date, source)) => (Some(date), source),
                None => (None, DateSource::None),
            }
        };
        let reference = self.reference.or(official.number);
        let content_hash = content_hash(&self.title, &self.body);
        let minhash = crate::minhash(&self.title, &self.body);
        let id = self
            .id
            .unwrap_or_else(|| stable_id(&self.source, self.url.as_deref(), &content_hash));
        let lang = detect_language(&language_sample(&self.title, &self.body)).to_string();
        Document {
            id,
            title: self.title,
            body: self.body,
            published_at,
            date_source,
            source: self.source,
            reference,
            kind: self.kind,
            unit: self.unit,
            url: self.url,
            author: self.author,
            lang,
            content_hash,
            minhash,
            origin: self.origin,
        }
    }
}

/// The title and the start of the body: enough for language detection, cheap on long articles.
fn language_sample(title: &str, body: &str) -> String {
    const SAMPLE_BYTES: usize = 2_000;
    let mut end = body.len().min(SAMPLE_BYTES);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("{title}\n{}", &body[..end])
}
