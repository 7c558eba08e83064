//! Documents as Parquet (`nhip ingest --format parquet`): the fields of the JSON Lines output
//! as columns, for cluster jobs that read Parquet. A row read back as JSON (Spark's `toJSON`)
//! is a document `nhip match` takes.

use crate::TrendError;
use nhip_ingest::Document;
use polars::prelude::*;
use polars_io::parquet::write::{BatchedWriter, ParquetWriter};
use std::path::{Path, PathBuf};

/// Writes documents chunk by chunk into one Parquet file (one row group per chunk).
pub struct DocumentsParquet {
    path: PathBuf,
    writer: Option<BatchedWriter<std::fs::File>>,
    file: Option<std::fs::File>,
}

fn fail(path: &Path, e: impl std::fmt::Display) -> TrendError {
    TrendError::Write {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// The columns of a chunk of documents.
fn frame(documents: &[Document]) -> Result<DataFrame, TrendError> {
    let text = |f: fn(&Document) -> Option<&str>| -> Vec<Option<&str>> {
        documents.iter().map(f).collect()
    };
    let minhash: ListChunked = documents
        .iter()
        .map(|d| {
            Some(Series::new(
                "".into(),
                d.minhash
                    .iter()
                    .map(|&v| i64::from(v))
                    .collect::<Vec<i64>>(),
            ))
        })
        .collect();
    let published: Vec<Option<String>> = documents
        .iter()
        .map(|d| d.published_at.map(|t| t.to_rfc3339()))
        .collect();
    let mut df = df!(
        "id" => text(|d| Some(&d.id)),
        "title" => text(|d| Some(&d.title)),
        "body" => text(|d| Some(&d.body)),
        "published_at" => published,
        "date_source" => text(|d| Some(d.date_source.as_str())),
        "source" => text(|d| Some(&d.source)),
        "ref" => text(|d| d.reference.as_deref()),
        "kind" => text(|d| Some(d.kind.as_str())),
        "unit" => text(|d| d.unit.as_deref()),
        "url" => text(|d| d.url.as_deref()),
        "author" => text(|d| d.author.as_deref()),
        "lang" => text(|d| Some(&d.lang)),
        "content_hash" => text(|d| Some(&d.content_hash)),
        "origin" => text(|d| Some(&d.origin)),
    )?;
    df.with_column(
        minhash
            .with_name("minhash".into())
            .into_series()
            .into_column(),
    )?;
    Ok(df)
}

impl DocumentsParquet {
    pub fn create(path: &Path) -> Result<DocumentsParquet, TrendError> {
        let file = std::fs::File::create(path).map_err(|e| fail(path, e))?;
        Ok(DocumentsParquet {
            path: path.to_owned(),
            writer: None,
            file: Some(file),
        })
    }

    /// Appends a chunk.
    pub fn write(&mut self, documents: &[Document]) -> Result<(), TrendError> {
        let df = frame(documents)?;
        if self.writer.is_none() {
            let file = self.file.take().ok_or_else(|| fail(&self.path, "closed"))?;
            let writer = ParquetWriter::new(file)
                .batched(df.schema())
                .map_err(|e| fail(&self.path, e))?;
            self.writer = Some(writer);
        }
        if let Some(writer) = &mut self.writer {
            writer.write_batch(&df).map_err(|e| fail(&self.path, e))?;
        }
        Ok(())
    }

    /// Finishes the file (an empty input still gives a valid file with the columns).
    pub fn finish(mut self) -> Result<(), TrendError> {
        if self.writer.is_none() {
            self.write(&[])?;
        }
        if let Some(writer) = &self.writer {
            writer.finish().map_err(|e| fail(&self.path, e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars_io::parquet::read::ParquetReader;
    use polars_io::SerReader;

    #[test]
    fn documents_written_in_chunks_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.jsonl");
        std::fs::write(
            &input,
            "{\"id\":\"a\",\"title\":\"Mưa lũ\",\"body\":\"Lũ lụt ở Quảng Nam.\",\"published_at\":\"2026-03-02T08:00:00+07:00\"}\n{\"id\":\"b\",\"title\":\"Giá xăng\",\"body\":\"Giá xăng tăng.\"}\n",
        )
        .unwrap();
        let docs = nhip_ingest::ingest_paths(&[input], &Default::default()).documents;
        let path = dir.path().join("docs.parquet");
        let mut out = DocumentsParquet::create(&path).unwrap();
        out.write(&docs[..1]).unwrap();
        out.write(&docs[1..]).unwrap();
        out.finish().unwrap();
        let df = ParquetReader::new(std::fs::File::open(&path).unwrap())
            .finish()
            .unwrap();
        assert_eq!(df.height(), 2);
        let ids: Vec<_> = df.column("id").unwrap().str().unwrap().iter().collect();
        assert_eq!(ids, [Some("a"), Some("b")]);
        let dates: Vec<_> = df
            .column("published_at")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(dates, [Some("2026-03-02T08:00:00+07:00"), None]);
        let minhash = df
            .column("minhash")
            .unwrap()
            .list()
            .unwrap()
            .get_as_series(0);
        assert_eq!(minhash.unwrap().len(), docs[0].minhash.len());
    }
}
