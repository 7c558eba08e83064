//! CSV reader: a header row, then one document per row. Columns are matched by name through
//! the [`crate::ColumnMap`] (by default `id, title, body, published_at, source, kind, unit,
//! url`); other columns are ignored. The file may be in any encoding nhip-text detects.

use crate::document::DocKind;
use crate::record::{build, RecordValues};
use crate::reject::Reject;
use crate::{FileOutcome, IngestOptions};
use std::collections::HashMap;
use std::path::Path;

struct CsvRecord<'r> {
    columns: &'r HashMap<String, usize>,
    row: &'r csv::StringRecord,
}

impl RecordValues for CsvRecord<'_> {
    fn value(&self, name: &str) -> Result<Option<String>, String> {
        Ok(self
            .columns
            .get(name)
            .and_then(|&i| self.row.get(i))
            .map(str::to_string)
            .filter(|v| !v.trim().is_empty()))
    }
}

/// Reads a CSV file; each bad row becomes a reject with its line number.
pub fn read(path: &Path, bytes: &[u8], options: &IngestOptions) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    let Some(decoded) = nhip_text::decode(bytes) else {
        outcome.records = 1;
        outcome.rejects.push(Reject::file(
            path,
            "neither UTF-8 nor a recognised Vietnamese legacy encoding",
        ));
        return outcome;
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(decoded.text.as_bytes());
    let columns: HashMap<String, usize> = match reader.headers() {
        Ok(headers) => headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().to_string(), i))
            .collect(),
        Err(e) => {
            outcome.records = 1;
            outcome
                .rejects
                .push(Reject::line(path, 1, format!("invalid CSV header: {e}")));
            return outcome;
        }
    };
    let map = &options.columns;
    if !columns.contains_key(&map.title) && !columns.contains_key(&map.body) {
        outcome.records = 1;
        outcome.rejects.push(Reject::line(
            path,
            1,
            format!(
                "no {:?} or {:?} column in the header (map yours with `columns` in the pipeline's [[source]])",
                map.title, map.body
            ),
        ));
        return outcome;
    }
    for result in reader.records() {
        outcome.records += 1;
        match result {
            Ok(row) => {
                let line = row.position().map_or(0, |p| p.line() as usize);
                let record = CsvRecord {
                    columns: &columns,
                    row: &row,
                };
                match build(
                    &record,
                    format!("{}:{line}", path.display()),
                    options,
                    DocKind::Press,
                ) {
                    Ok(doc) => outcome.documents.push(doc),
                    Err(reason) => outcome.rejects.push(Reject::line(path, line, reason)),
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                outcome
                    .rejects
                    .push(Reject::line(path, line, format!("invalid CSV: {e}")));
            }
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::RawDocument;
    use crate::ColumnMap;

    fn parse(path: &Path, text: &str, options: &IngestOptions) -> (Vec<RawDocument>, Vec<Reject>) {
        let outcome = read(path, text.as_bytes(), options);
        (outcome.documents, outcome.rejects)
    }

    #[test]
    fn standard_columns() {
        let (docs, rejects) = parse(
            Path::new("s.csv"),
            "id,title,body,published_at,kind,extra\n7,Giá điện,\"Tăng, lại tăng\",2026-03-02,report,x\n8,,,2026-03-02,press,\n9,A,b,hôm qua,press,\n",
            &IngestOptions::default(),
        );
        assert_eq!(docs.len(), 1);
        assert_eq!(
            (docs[0].id.as_deref(), docs[0].body.as_str(), docs[0].kind),
            (Some("7"), "Tăng, lại tăng", DocKind::Report)
        );
        let lines: Vec<Option<usize>> = rejects.iter().map(|r| r.line).collect();
        assert_eq!(lines, [Some(3), Some(4)]);
        assert!(rejects[1].reason.contains("published_at"));
    }

    #[test]
    fn mapped_columns_and_missing_ones() {
        let options = IngestOptions {
            columns: ColumnMap {
                title: "Tiêu đề".into(),
                body: "Nội dung".into(),
                published_at: "Ngày".into(),
                unit: "Đơn vị".into(),
                ..ColumnMap::default()
            },
            default_kind: Some(DocKind::Report),
            default_source: Some("Cộng tác viên".into()),
        };
        let (docs, rejects) = parse(
            Path::new("r.csv"),
            "Tiêu đề,Nội dung,Ngày,Đơn vị\nBáo cáo tuần,Người dân phản ánh,21/01/2026,Xã Minh Tân\n",
            &options,
        );
        assert!(rejects.is_empty(), "{rejects:?}");
        assert_eq!(docs[0].unit.as_deref(), Some("Xã Minh Tân"));
        assert_eq!(
            (docs[0].kind, docs[0].source.as_str()),
            (DocKind::Report, "Cộng tác viên")
        );
        let (_, rejects) = parse(Path::new("x.csv"), "a,b\n1,2\n", &IngestOptions::default());
        assert!(
            rejects[0]
                .reason
                .contains("no \"title\" or \"body\" column"),
            "{rejects:?}"
        );
    }
}
