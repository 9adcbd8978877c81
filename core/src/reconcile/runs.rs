//! One side's entries, sorted in bounded memory: entries gather in memory
//! until their weight passes the budget, are sorted and written to a spill
//! file (a "run"); at the end every run is merged back in order, reading
//! one entry per run at a time.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use super::entry::Entry;
use crate::error::{Error, Result};

static RUN_NUMBER: AtomicU64 = AtomicU64::new(0);

/// A sorted run written to disk. The file is unlinked as soon as it is
/// open where the system allows it, so a killed process leaves nothing.
struct SpillFile {
    file: File,
    /// Still to remove on drop (systems that cannot unlink an open file).
    path: Option<PathBuf>,
}

impl Drop for SpillFile {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn spill_error(dir: &Path, e: std::io::Error) -> Error {
    Error::config(format!(
        "reconciliation could not use its spill directory {}: {e}",
        dir.display()
    ))
}

impl SpillFile {
    fn write(dir: &Path, entries: &[Entry]) -> Result<SpillFile> {
        let n = RUN_NUMBER.fetch_add(1, AtomicOrdering::Relaxed);
        let path = dir.join(format!("wxpay-reconcile-{}-{n}.run", std::process::id()));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| spill_error(dir, e))?;
        let mut spill = SpillFile {
            path: std::fs::remove_file(&path).err().map(|_| path),
            file,
        };
        let mut w = BufWriter::with_capacity(64 * 1024, &spill.file);
        for e in entries {
            e.write_to(&mut w).map_err(|e| spill_error(dir, e))?;
        }
        w.flush().map_err(|e| spill_error(dir, e))?;
        drop(w);
        spill
            .file
            .seek(SeekFrom::Start(0))
            .map_err(|e| spill_error(dir, e))?;
        Ok(spill)
    }
}

/// Where one run is read from.
enum Run {
    Memory(std::vec::IntoIter<Entry>),
    Disk(BufReader<SpillFile>, PathBuf),
}

impl std::io::Read for SpillFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.file.read(buf)
    }
}

impl Run {
    fn next_entry(&mut self) -> Result<Option<Entry>> {
        match self {
            Run::Memory(it) => Ok(it.next()),
            Run::Disk(r, dir) => Entry::read_from(r).map_err(|e| spill_error(dir, e)),
        }
    }
}

/// Collects one side's entries under a memory budget.
pub(crate) struct SortedSide {
    buffer: Vec<Entry>,
    weight: usize,
    budget: usize,
    dir: PathBuf,
    spilled: Vec<SpillFile>,
}

impl SortedSide {
    pub fn new(budget: usize, dir: PathBuf) -> SortedSide {
        SortedSide {
            buffer: Vec::new(),
            weight: 0,
            budget,
            dir,
            spilled: Vec::new(),
        }
    }

    pub fn push(&mut self, entry: Entry) -> Result<()> {
        self.weight += entry.weight();
        self.buffer.push(entry);
        if self.weight > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// How many runs went to disk.
    #[cfg(test)]
    pub fn spilled_runs(&self) -> usize {
        self.spilled.len()
    }

    fn spill(&mut self) -> Result<()> {
        sort(&mut self.buffer);
        self.spilled
            .push(SpillFile::write(&self.dir, &self.buffer)?);
        self.buffer.clear();
        self.buffer.shrink_to(0);
        self.weight = 0;
        Ok(())
    }

    /// Every entry in key order.
    pub fn into_sorted(mut self) -> Result<Merged> {
        sort(&mut self.buffer);
        let mut runs: Vec<Run> = self
            .spilled
            .drain(..)
            .map(|f| Run::Disk(BufReader::with_capacity(64 * 1024, f), self.dir.clone()))
            .collect();
        runs.push(Run::Memory(std::mem::take(&mut self.buffer).into_iter()));
        let mut heap = BinaryHeap::with_capacity(runs.len());
        for (i, run) in runs.iter_mut().enumerate() {
            if let Some(entry) = run.next_entry()? {
                heap.push(Head { entry, run: i });
            }
        }
        Ok(Merged { runs, heap })
    }
}

fn sort(entries: &mut [Entry]) {
    entries.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// The next entry of one run, ordered so the heap's top is the smallest.
struct Head {
    entry: Entry,
    run: usize,
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap pops the largest. Equal keys come out in run
        // order, which is arrival order, so "the first one" is stable.
        (other.entry.sort_key(), other.run).cmp(&(self.entry.sort_key(), self.run))
    }
}

/// The merge of every run of one side.
pub(crate) struct Merged {
    runs: Vec<Run>,
    heap: BinaryHeap<Head>,
}

impl Merged {
    pub fn peek(&self) -> Option<&Entry> {
        self.heap.peek().map(|h| &h.entry)
    }

    pub fn next_entry(&mut self) -> Result<Option<Entry>> {
        let Some(Head { entry, run }) = self.heap.pop() else {
            return Ok(None);
        };
        if let Some(next) = self.runs[run].next_entry()? {
            self.heap.push(Head { entry: next, run });
        }
        Ok(Some(entry))
    }
}

#[cfg(test)]
mod tests {
    use super::super::entry::EntryKind;
    use super::*;

    fn entry(kind: EntryKind, key: &str, fen: u64) -> Entry {
        Entry {
            kind,
            key: key.into(),
            out_trade_no: key.into(),
            fen,
            wechat_id: String::new(),
        }
    }

    #[test]
    fn spilled_runs_merge_back_in_order_with_duplicates_in_arrival_order() {
        let mut side = SortedSide::new(400, std::env::temp_dir());
        let mut expected = Vec::new();
        for i in 0..500u64 {
            let kind = if i % 3 == 0 {
                EntryKind::Refund
            } else {
                EntryKind::Payment
            };
            let key = format!("k{:03}", (i * 7919) % 211);
            side.push(entry(kind, &key, i)).unwrap();
            expected.push(entry(kind, &key, i));
        }
        assert!(side.spilled_runs() > 10);
        expected.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let mut merged = side.into_sorted().unwrap();
        let mut got = Vec::new();
        while let Some(e) = merged.next_entry().unwrap() {
            got.push(e);
        }
        // A stable sort of the input: same keys keep arrival order.
        assert_eq!(got, expected);
    }

    #[test]
    fn a_spill_directory_that_cannot_be_written_is_a_config_error() {
        let mut side = SortedSide::new(0, PathBuf::from("/nonexistent/wxpay-spill"));
        let e = side.push(entry(EntryKind::Payment, "a", 1)).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
    }
}
