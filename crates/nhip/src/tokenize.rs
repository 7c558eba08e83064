//! `nhip tokenize`: word segmentation of a text stream. The input is read in blocks of whole
//! lines, each block segmented into one reused buffer (no allocation per line) on one of
//! several threads, and the blocks written in input order; a few blocks are in flight at once,
//! so memory stays bounded whatever the input's size.

use anyhow::{Context, Result};
use nhip_text::Segmenter;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{mpsc, Mutex};

/// Bytes read at a time; a block is then cut after its last line end.
const BLOCK_BYTES: usize = 4 << 20;

/// Segments every line of `input` (standard input when `None`) to standard output, on
/// `threads` threads. Invalid UTF-8 is an error naming the line, after the lines before it
/// were written; write errors (a closed pipe) are returned as they are.
pub fn run(input: Option<&Path>, segmenter: &Segmenter, threads: usize) -> Result<()> {
    let name = input.map_or_else(|| "standard input".to_string(), |p| p.display().to_string());
    let reader: Box<dyn Read + Send> = match input {
        Some(path) => Box::new(
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
        ),
        None => Box::new(std::io::stdin()),
    };
    let blocks = Blocks::new(reader, BLOCK_BYTES);
    let mut out = std::io::stdout().lock();
    if threads <= 1 {
        one_thread(blocks, segmenter, &name, &mut out)
    } else {
        in_parallel(blocks, segmenter, threads, &name, &mut out)
    }
}

/// The input cut into blocks of whole lines.
struct Blocks<R> {
    reader: R,
    /// Bytes read after the last line end of the previous block.
    rest: Vec<u8>,
    at_end: bool,
    block_bytes: usize,
}

impl<R: Read> Blocks<R> {
    fn new(reader: R, block_bytes: usize) -> Blocks<R> {
        Blocks {
            reader,
            rest: Vec::new(),
            at_end: false,
            block_bytes,
        }
    }

    /// Fills `block` with the next lines, each ending with `\n` except perhaps the input's
    /// last; false when the input is exhausted.
    fn next_into(&mut self, block: &mut Vec<u8>) -> std::io::Result<bool> {
        block.clear();
        block.append(&mut self.rest);
        let mut wanted = self.block_bytes.max(1);
        loop {
            if !self.at_end && block.len() < wanted {
                let missing = (wanted - block.len()) as u64;
                (&mut self.reader).take(missing).read_to_end(block)?;
                self.at_end = block.len() < wanted;
            }
            if self.at_end {
                return Ok(!block.is_empty());
            }
            match block.iter().rposition(|&b| b == b'\n') {
                Some(last) => {
                    self.rest.extend_from_slice(&block[last + 1..]);
                    block.truncate(last + 1);
                    return Ok(true);
                }
                // A line longer than a block: read on until it ends.
                None => wanted += self.block_bytes,
            }
        }
    }
}

/// What segmenting a block gave: its lines' count, and whether it stopped at a line of invalid
/// UTF-8 (then `lines` counts the lines before it, which are segmented).
struct Segmented {
    lines: usize,
    invalid: bool,
}

fn segment_block(segmenter: &Segmenter, block: &[u8], out: &mut String) -> Segmented {
    // simdutf8 checks several bytes an instruction (std's check cost 6% of the run); on an
    // error, std's finds where it is.
    let checked = simdutf8::basic::from_utf8(block).map_err(|_| std::str::from_utf8(block));
    match checked {
        Ok(text) => Segmented {
            lines: segmenter.segment_lines(text, out),
            invalid: false,
        },
        Err(found) => {
            let valid_up_to = found.err().map_or(block.len(), |e| e.valid_up_to());
            let valid = &block[..valid_up_to];
            let whole_lines = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            // A prefix of valid UTF-8 cut after a `\n` is valid UTF-8.
            let text = std::str::from_utf8(&block[..whole_lines]).unwrap_or_default();
            Segmented {
                lines: segmenter.segment_lines(text, out),
                invalid: true,
            }
        }
    }
}

/// Writes a segmented block; counts lines to name the one of invalid UTF-8.
fn write_block(
    out: &mut impl Write,
    text: &str,
    segmented: &Segmented,
    lines_before: &mut usize,
    name: &str,
) -> Result<()> {
    out.write_all(text.as_bytes())?;
    *lines_before += segmented.lines;
    if segmented.invalid {
        out.flush()?;
        anyhow::bail!("{name}:{}: invalid UTF-8", *lines_before + 1);
    }
    Ok(())
}

fn one_thread<R: Read>(
    mut blocks: Blocks<R>,
    segmenter: &Segmenter,
    name: &str,
    out: &mut impl Write,
) -> Result<()> {
    let (mut block, mut text) = (Vec::new(), String::new());
    let mut lines_before = 0;
    while blocks
        .next_into(&mut block)
        .with_context(|| format!("cannot read {name}"))?
    {
        text.clear();
        let segmented = segment_block(segmenter, &block, &mut text);
        write_block(out, &text, &segmented, &mut lines_before, name)?;
    }
    out.flush()?;
    Ok(())
}

/// Messages to the writer, each for one block number.
enum Done {
    Block {
        input: Vec<u8>,
        output: String,
        segmented: Segmented,
    },
    /// No block of this number or after.
    End,
    ReadFailed(std::io::Error),
}

/// One reader thread, `threads` segmenting threads, and the calling thread writing blocks in
/// input order. Buffers circulate: at most `threads + 2` blocks exist at once.
fn in_parallel<R: Read + Send>(
    mut blocks: Blocks<R>,
    segmenter: &Segmenter,
    threads: usize,
    name: &str,
    out: &mut impl Write,
) -> Result<()> {
    let in_flight = threads + 2;
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Vec<u8>, String)>(in_flight);
    let work_rx = Mutex::new(work_rx);
    std::thread::scope(|scope| {
        let (free_tx, free_rx) = mpsc::channel::<(Vec<u8>, String)>();
        for _ in 0..in_flight {
            // The receiver is alive here.
            let _ = free_tx.send((Vec::new(), String::new()));
        }
        let (done_tx, done_rx) = mpsc::channel::<(usize, Done)>();

        let reader_done = done_tx.clone();
        scope.spawn(move || {
            for number in 0.. {
                // Waits for a free buffer; fails when the writer stopped.
                let Ok((mut input, output)) = free_rx.recv() else {
                    return;
                };
                let message = match blocks.next_into(&mut input) {
                    Ok(true) => {
                        if work_tx.send((number, input, output)).is_err() {
                            return;
                        }
                        continue;
                    }
                    Ok(false) => Done::End,
                    Err(error) => Done::ReadFailed(error),
                };
                let _ = reader_done.send((number, message));
                return;
            }
        });
        for _ in 0..threads {
            let (done_tx, work_rx) = (done_tx.clone(), &work_rx);
            scope.spawn(move || loop {
                let job = match work_rx.lock() {
                    Ok(receiver) => receiver.recv(),
                    Err(_) => return,
                };
                let Ok((number, input, mut output)) = job else {
                    return;
                };
                output.clear();
                let segmented = segment_block(segmenter, &input, &mut output);
                let done = Done::Block {
                    input,
                    output,
                    segmented,
                };
                if done_tx.send((number, done)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);

        let mut waiting = BTreeMap::new();
        let (mut next, mut lines_before) = (0, 0);
        for (number, done) in done_rx.iter() {
            waiting.insert(number, done);
            while let Some(done) = waiting.remove(&next) {
                match done {
                    Done::Block {
                        input,
                        output,
                        segmented,
                    } => {
                        write_block(out, &output, &segmented, &mut lines_before, name)?;
                        let _ = free_tx.send((input, output));
                        next += 1;
                    }
                    Done::End => {
                        out.flush()?;
                        return Ok(());
                    }
                    Done::ReadFailed(error) => {
                        return Err(error).with_context(|| format!("cannot read {name}"));
                    }
                }
            }
        }
        anyhow::bail!("nhip tokenize: a segmenting thread stopped")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads at most `step` bytes per call, as a pipe does.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn all_blocks(data: &[u8], block_bytes: usize, step: usize) -> Vec<Vec<u8>> {
        let mut blocks = Blocks::new(Trickle { data, step }, block_bytes);
        let mut found = Vec::new();
        let mut block = Vec::new();
        while blocks.next_into(&mut block).unwrap() {
            found.push(block.clone());
        }
        found
    }

    #[test]
    fn blocks_hold_whole_lines_and_lose_nothing() {
        let data = "Người dân phản ánh\ngiá điện tăng cao\n\nmột dòng rất dài không có điểm dừng nào cả\nhết";
        for block_bytes in [1, 5, 16, 64, 1000] {
            for step in [1, 3, 7, 4096] {
                let blocks = all_blocks(data.as_bytes(), block_bytes, step);
                assert_eq!(blocks.concat(), data.as_bytes(), "{block_bytes} {step}");
                for block in &blocks[..blocks.len() - 1] {
                    assert_eq!(block.last(), Some(&b'\n'), "{block_bytes} {step}");
                }
            }
        }
        assert!(all_blocks(b"", 16, 16).is_empty());
    }

    /// Our own sentences, many lines, segmented line by line as the reference.
    fn sample() -> String {
        let sentences = [
            "Cộng tác viên báo cáo tình hình dư luận xã hội.",
            "",
            "Giá 1.250.000 đồng, (tăng) ở TP. Hồ Chí Minh\r",
            "Uỷ ban nhân dân huyện tổ chức đối thoại với các hộ dân",
            "Xem https://baotinhnha.example/tin/a-b?x=1, gửi ctv.dlxh@tinh.gov.vn",
        ];
        (0..400)
            .map(|i| format!("{} {i}\n", sentences[i % sentences.len()]))
            .collect()
    }

    fn expected(text: &str) -> String {
        let seg = Segmenter::builtin();
        text.lines().map(|l| seg.segment_line(l) + "\n").collect()
    }

    #[test]
    fn threads_write_blocks_in_input_order() {
        let text = sample();
        for threads in [1, 2, 3, 8] {
            let mut out = Vec::new();
            let blocks = Blocks::new(text.as_bytes(), 200);
            if threads == 1 {
                one_thread(blocks, Segmenter::builtin(), "test", &mut out).unwrap();
            } else {
                in_parallel(blocks, Segmenter::builtin(), threads, "test", &mut out).unwrap();
            }
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected(&text),
                "{threads}"
            );
        }
    }

    #[test]
    fn invalid_utf8_names_its_line_after_writing_the_lines_before() {
        let mut data = sample().into_bytes();
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(
                data.iter()
                    .enumerate()
                    .filter(|(_, &b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        // Line 123 (1-based) gets a lone continuation byte in its middle.
        let at = line_starts[122] + 3;
        data.insert(at, 0x80);
        let before = String::from_utf8(data[..line_starts[122]].to_vec()).unwrap();
        for threads in [1, 2] {
            let mut out = Vec::new();
            let blocks = Blocks::new(&data[..], 300);
            let error = if threads == 1 {
                one_thread(blocks, Segmenter::builtin(), "in.txt", &mut out)
            } else {
                in_parallel(blocks, Segmenter::builtin(), threads, "in.txt", &mut out)
            }
            .unwrap_err();
            assert_eq!(error.to_string(), "in.txt:123: invalid UTF-8");
            assert_eq!(String::from_utf8(out).unwrap(), expected(&before));
        }
    }

    /// Accepts `limit` bytes, then fails as a closed pipe does.
    struct ClosedAfter {
        limit: usize,
    }

    impl Write for ClosedAfter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.limit == 0 {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            let n = buf.len().min(self.limit);
            self.limit -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_output_is_an_io_error_not_a_panic() {
        let text = sample();
        for threads in [1, 2] {
            let mut out = ClosedAfter { limit: 100 };
            let blocks = Blocks::new(text.as_bytes(), 200);
            let error = if threads == 1 {
                one_thread(blocks, Segmenter::builtin(), "test", &mut out)
            } else {
                in_parallel(blocks, Segmenter::builtin(), threads, "test", &mut out)
            }
            .unwrap_err();
            let io = error.downcast_ref::<std::io::Error>().unwrap();
            assert_eq!(io.kind(), std::io::ErrorKind::BrokenPipe);
        }
    }
}
