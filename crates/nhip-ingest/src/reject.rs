use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An input item that could not become a document, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reject {
    pub file: String,
    /// 1-based line for line-oriented formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based position of the item in a feed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<usize>,
    pub reason: String,
}

impl Reject {
    pub fn file(path: &Path, reason: impl Into<String>) -> Reject {
        Reject {
            file: path.display().to_string(),
            line: None,
            item: None,
            reason: reason.into(),
        }
    }

    pub fn item(path: &Path, item: usize, reason: impl Into<String>) -> Reject {
        Reject {
            file: path.display().to_string(),
            line: None,
            item: Some(item),
            reason: reason.into(),
        }
    }

    pub fn line(path: &Path, line: usize, reason: impl Into<String>) -> Reject {
        Reject {
            file: path.display().to_string(),
            line: Some(line),
            item: None,
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.item) {
            (Some(line), _) => write!(f, "{}:{}: {}", self.file, line, self.reason),
            (None, Some(item)) => write!(f, "{}#item{}: {}", self.file, item, self.reason),
            (None, None) => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// Failure to write the rejects file.
#[derive(Debug, thiserror::Error)]
#[error("cannot write rejects to {path}: {source}")]
pub struct RejectWriteError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Writes rejects as JSON Lines (`{"file", "line", "reason"}`), replacing the file
/// atomically.
pub fn write_rejects(path: &Path, rejects: &[Reject]) -> Result<(), RejectWriteError> {
    let wrap = |source| RejectWriteError {
        path: path.to_owned(),
        source,
    };
    // Atomically: a killed run leaves the previous rejects file or the new one, whole.
    crate::atomic::write_atomically_with(path, |out| {
        for reject in rejects {
            let line = serde_json::to_string(reject)?;
            writeln!(out, "{line}")?;
        }
        Ok(())
    })
    .map_err(wrap)
}
