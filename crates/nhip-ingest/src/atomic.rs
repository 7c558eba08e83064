//! Crash-safe output files: written beside their final name, synced, then renamed over it.
//!
//! A `kill -9` (or a full disk) at any moment leaves either the previous file or the new one
//! under the final name, never a truncated one; a leftover temporary file is hidden (`.name…`)
//! and removed when its writer fails normally.

use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically (see the module docs), creating its folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, |out| out.write_all(bytes))
}

/// Writes `path` atomically through `write`, which gets a buffered writer on a temporary file
/// in the same folder; the file replaces `path` only when `write` succeeds.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    let folder = folder.unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    // Hidden, so a folder walk (and a user) does not take a half-written file for an output.
    let name = path.file_name().map_or_else(
        || ".nhip-".to_owned(),
        |n| format!(".{}.", n.to_string_lossy()),
    );
    let temp = tempfile::Builder::new()
        .prefix(&name)
        .suffix(".tmp")
        .tempfile_in(folder)?;
    {
        let mut out = BufWriter::new(temp.as_file());
        write(&mut out)?;
        out.flush()?;
    }
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("table.csv");
        write_atomically(&path, b"old\n").unwrap();
        write_atomically(&path, b"new\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new\n");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("table.csv")]);
    }

    #[test]
    fn a_failed_write_keeps_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("brief.md");
        write_atomically(&path, b"previous").unwrap();
        let failed = write_atomically_with(&path, |out| {
            out.write_all(b"half of the new")?;
            Err(std::io::Error::other("disk full"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "disk full");
        assert_eq!(std::fs::read(&path).unwrap(), b"previous");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
