//! Files → index, streaming: a reader thread parses chunks ahead of the index writer.

use crate::PipelineError;
use nhip_index::{NhipIndex, WriteSummary};
use nhip_ingest::{write_rejects, IngestOptions, Progress, Reject, Summary};
use std::path::{Path, PathBuf};

/// Chunks read and parsed ahead of the index writer.
const INGEST_CHUNKS_AHEAD: usize = 2;

/// Documents of one ingest chunk, with the rejects found in it.
type Chunk = (Vec<nhip_ingest::Document>, Vec<Reject>);

/// Follows a run: bytes read (through [`Progress`]), each reject as it is found, documents
/// handed to the writer so far. The CLI draws its progress bar from these.
pub trait IndexObserver: Progress {
    fn rejected(&self, _reject: &Reject) {}
    fn documents(&self, _kept_so_far: usize) {}
}

/// An observer that watches nothing.
pub struct NoObserver;

impl Progress for NoObserver {}
impl IndexObserver for NoObserver {}

/// One run of inputs into an index.
pub struct IndexRun<'a> {
    pub index_dir: &'a Path,
    /// Where the run's rejects are written (replaced).
    pub rejects_path: &'a Path,
    /// Inputs, each with its own options (a pipeline's `[[source]]` tables).
    pub sources: &'a [(PathBuf, IngestOptions)],
    /// Replaces the index's boilerplate rule.
    pub boilerplate: Option<nhip_text::BoilerplateRule>,
}

/// What an index run did.
pub struct IndexOutcome {
    pub ingest: Summary,
    pub rejects: Vec<Reject>,
    pub write: WriteSummary,
    /// Documents in the index after the run.
    pub indexed: u64,
    /// The boilerplate the index holds after the run, per source.
    pub boilerplate: Vec<nhip_text::SourceBoilerplate>,
}

/// The index writer stopped taking chunks (its own error says why).
#[derive(Debug)]
struct WriterStopped;

/// A first pass that stops at the first reject before anything is written (`--strict`).
pub fn check_strict(
    sources: &[(PathBuf, IngestOptions)],
    own_output: &[PathBuf],
    progress: &dyn Progress,
) -> Result<(), PipelineError> {
    nhip_ingest::ingest_streaming_excluding(sources, own_output, progress, |_, rejects| {
        match rejects.first() {
            Some(reject) => Err(PipelineError::Strict(Box::new(reject.clone()))),
            None => Ok(()),
        }
    })
    .map(|_| ())
}

/// Ingests the run's inputs, streaming them into the index (created when missing) chunk by
/// chunk, then settles boilerplate, writes the rejects file and reads the index's boilerplate.
pub fn index_sources(
    run: &IndexRun,
    observer: &dyn IndexObserver,
) -> Result<IndexOutcome, PipelineError> {
    let index_dir = run.index_dir;
    // The index and the rejects file are no input, even inside an input folder.
    let own_output = [index_dir.to_path_buf(), run.rejects_path.to_path_buf()];
    let index = NhipIndex::open_or_create(index_dir).map_err(PipelineError::index(index_dir))?;
    let mut session = index
        .session_with(run.boilerplate)
        .map_err(PipelineError::index(index_dir))?;
    let mut kept = 0usize;
    // Reading and parsing the next chunk overlaps with writing this one (and with the
    // writer's commits, when tantivy's indexing threads would otherwise wait for input).
    let (chunks, received) = std::sync::mpsc::sync_channel::<Chunk>(INGEST_CHUNKS_AHEAD);
    let (ingested, written) = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            nhip_ingest::ingest_streaming_excluding(
                run.sources,
                &own_output,
                observer,
                move |documents, rejects| {
                    chunks
                        .send((documents, rejects.to_vec()))
                        .map_err(|_| WriterStopped)
                },
            )
        });
        let mut written = Ok(());
        for (documents, rejects) in received {
            for reject in &rejects {
                observer.rejected(reject);
            }
            kept += documents.len();
            observer.documents(kept);
            written = session.add(documents);
            if written.is_err() {
                // Dropping the receiver stops the reader at its next chunk.
                break;
            }
        }
        (reader.join(), written)
    });
    written.map_err(PipelineError::index(index_dir))?;
    let (rejects, ingest) = match ingested {
        Ok(Ok(done)) => done,
        // The writer failed first: its error was returned above.
        Ok(Err(WriterStopped)) => return Err(PipelineError::WriterStopped),
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let write = session.finish().map_err(PipelineError::index(index_dir))?;
    write_rejects(run.rejects_path, &rejects)?;
    let boilerplate = index
        .boilerplate_summaries()
        .map_err(PipelineError::index(index_dir))?;
    Ok(IndexOutcome {
        ingest,
        rejects,
        write,
        indexed: index.num_docs(),
        boilerplate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_a_folder_and_writes_its_rejects() {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        std::fs::create_dir(&inbox).unwrap();
        std::fs::write(
            inbox.join("a.jsonl"),
            "{\"id\":\"a1\",\"title\":\"Mưa lớn\",\"body\":\"Mưa lớn gây ngập ở xã Minh Tân.\",\"published_at\":\"2026-01-05\"}\nnot json\n",
        )
        .unwrap();
        let rejects_path = dir.path().join("rejects.jsonl");
        let sources = [(inbox, IngestOptions::default())];
        let run = IndexRun {
            index_dir: &dir.path().join("index"),
            rejects_path: &rejects_path,
            sources: &sources,
            boilerplate: None,
        };
        let outcome = index_sources(&run, &NoObserver).unwrap();
        assert_eq!((outcome.ingest.documents, outcome.rejects.len()), (1, 1));
        assert_eq!((outcome.write.added, outcome.indexed), (1, 1));
        let written = std::fs::read_to_string(&rejects_path).unwrap();
        assert_eq!(written.lines().count(), 1);
        // The same input again changes nothing.
        let again = index_sources(&run, &NoObserver).unwrap();
        assert_eq!(
            (again.write.added, again.write.unchanged, again.indexed),
            (0, 1, 1)
        );
    }
}
