//! Crash safety of `nhip run`'s outputs: the built binary is killed (`SIGKILL`) at many
//! points of the weekly job on the shipped sample, and after every kill each output file
//! present must be whole: tables read as CSV and Parquet, charts are complete XML, the brief
//! and the summary are complete, the index opens at its last commit.

use polars_io::parquet::read::ParquetReader;
use polars_io::SerReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Copies the sample pipeline and its inputs into `dir` (the job writes next to its file).
fn copy_sample(dir: &Path) -> PathBuf {
    let copy = |from: &Path, to: &Path| {
        let status = Command::new("cp")
            .args(["-a"])
            .arg(from)
            .arg(to)
            .status()
            .expect("cp runs");
        assert!(status.success());
    };
    std::fs::create_dir_all(dir.join("data")).unwrap();
    copy(&root().join("pipelines"), dir);
    copy(&root().join("data/sample"), &dir.join("data"));
    // `stopwords.txt` and the lexicon are compiled in; the pipeline needs only these.
    dir.join("pipelines/weekly.toml")
}

fn run(pipeline: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_nhip"))
        .arg("run")
        .arg(pipeline)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nhip starts")
}

/// The output files (not the index's own, not hidden temporary files), sorted.
fn outputs(out: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![out.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name == "index" || name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                folders.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Why `path` is not a whole output file, if it is not.
fn damage(path: &Path, headings: &[String]) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let ext = path.extension().map(|e| e.to_string_lossy().into_owned());
    let text = || String::from_utf8(bytes.clone()).map_err(|e| e.to_string());
    let problem: Result<(), String> = match ext.as_deref() {
        Some("csv") => (|| {
            let mut reader = csv::Reader::from_reader(&bytes[..]);
            let width = reader.headers().map_err(|e| e.to_string())?.len();
            let mut rows = 0;
            for record in reader.records() {
                let record = record.map_err(|e| e.to_string())?;
                if record.len() != width {
                    return Err(format!("row of {} cells", record.len()));
                }
                rows += 1;
            }
            if !bytes.ends_with(b"\n") {
                return Err(format!("no final newline after {rows} rows"));
            }
            Ok(())
        })(),
        Some("parquet") => ParquetReader::new(std::io::Cursor::new(bytes.clone()))
            .finish()
            .map(drop)
            .map_err(|e| e.to_string()),
        Some("svg") => (|| {
            let text = text()?;
            let mut reader = quick_xml::Reader::from_str(&text);
            let mut depth = 0i64;
            loop {
                match reader.read_event().map_err(|e| e.to_string())? {
                    quick_xml::events::Event::Start(_) => depth += 1,
                    quick_xml::events::Event::End(_) => depth -= 1,
                    quick_xml::events::Event::Eof => break,
                    _ => {}
                }
            }
            if depth != 0 || !text.trim_end().ends_with("</svg>") {
                return Err(format!("unclosed elements: {depth}"));
            }
            Ok(())
        })(),
        Some("json") => serde_json::from_slice::<serde_json::Value>(&bytes)
            .map(drop)
            .map_err(|e| e.to_string()),
        Some("jsonl") => text().and_then(|t| {
            t.lines().try_for_each(|line| {
                serde_json::from_str::<serde_json::Value>(line)
                    .map(drop)
                    .map_err(|e| e.to_string())
            })
        }),
        Some("html") => text().and_then(|t| {
            (t.trim_end().ends_with("</html>"))
                .then_some(())
                .ok_or_else(|| "no </html>".to_owned())
        }),
        Some("md") => text().and_then(|t| {
            let found: Vec<String> = t
                .lines()
                .filter(|l| l.starts_with('#'))
                .map(str::to_owned)
                .collect();
            (found == headings && t.ends_with('\n'))
                .then_some(())
                .ok_or_else(|| format!("headings {found:?}"))
        }),
        _ => Err(format!("unexpected output {name}")),
    };
    problem.err()
}

#[test]
fn killed_runs_leave_only_whole_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = copy_sample(dir.path());
    let out = dir.path().join("out");

    // A complete run first: the files every later run replaces, and how long a run takes.
    let started = Instant::now();
    let status = run(&pipeline, &out).wait().unwrap();
    assert!(status.success());
    let full = started.elapsed();
    let expected = outputs(&out);
    assert!(expected.len() >= 15, "outputs: {expected:?}");
    let brief = std::fs::read_to_string(out.join("brief.md")).unwrap();
    let headings: Vec<String> = brief
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    for path in &expected {
        assert_eq!(damage(path, &headings), None, "{}", path.display());
    }

    // Kill points spread over a whole run, from its start to past its usual end.
    const KILLS: u32 = 20;
    let mut damaged = Vec::new();
    for i in 0..KILLS {
        let delay = full.mul_f64(1.1 * f64::from(i) / f64::from(KILLS - 1));
        let mut child = run(&pipeline, &out);
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        let present = outputs(&out);
        assert_eq!(present, expected, "after a kill at {delay:?}");
        for path in &present {
            if let Some(why) = damage(path, &headings) {
                damaged.push(format!("{} after {delay:?}: {why}", path.display()));
            }
        }
    }
    assert!(damaged.is_empty(), "damaged outputs: {damaged:#?}");

    // The index opens at its last commit, and a run after all the kills completes.
    let status = run(&pipeline, &out).wait().unwrap();
    assert!(status.success());
    let search = Command::new(env!("CARGO_BIN_EXE_nhip"))
        .args(["search", "--json", "--index"])
        .arg(out.join("index"))
        .arg("lũ lụt")
        .output()
        .unwrap();
    assert!(search.status.success());
    let hits: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    assert!(hits["total"].as_u64().unwrap() > 0);
}
