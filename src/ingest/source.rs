//! The input's bytes. A large regular file is mapped rather than copied:
//! the kernel already holds it in its page cache, and a copy costs a fresh
//! page of memory for every page of the list, before anything else can
//! start (at the national caseload, 555 MB and 0.1-0.3 s).
//!
//! A mapped file must not change while it is read. A watched folder claims
//! each list by renaming it into its own `.processing/` directory first, so
//! no one else writes it; for a list named on the command line the size and
//! modification time are compared before and after the read, and a list
//! that changed is refused rather than paid from bytes that may mix two
//! versions ([`Source::unchanged`]). A CSV list is read until its rows are
//! copied into `accepted.csv` (`Table::line`), so the check is made again
//! before the batch is sealed (`Table::check_source`). A file cut short
//! while mapped ends the process (SIGBUS) before anything is published.
//! A file replaced by another (a rename, as editors save) is not a change:
//! the open file keeps the bytes it had.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;
use std::time::SystemTime;

/// Below this size the file is read into memory: mapping saves nothing.
const MAP_FROM: u64 = 1 << 20;

/// The bytes of an input file, mapped or read.
pub struct Source {
    bytes: Bytes,
    file: File,
    path: std::path::PathBuf,
    seen: Stamp,
}

enum Bytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

/// What says a file was not rewritten: its size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(meta: &Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// The sha256 of a file, hex, read in 1 MiB pieces (a list of hundreds of
/// megabytes is never held whole for it).
pub fn file_sha256(path: &Path) -> io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut piece = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut piece) {
            Ok(0) => break,
            Ok(n) => hasher.update(&piece[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(hex::encode(hasher.finalize()))
}

/// The first `len` bytes of a file (fewer if it is shorter).
pub fn file_head(path: &Path, len: u64) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    File::open(path)?.take(len).read_to_end(&mut head)?;
    Ok(head)
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("bytes", &self.bytes().len())
            .field("mapped", &matches!(self.bytes, Bytes::Mapped(_)))
            .finish()
    }
}

impl Source {
    /// Opens `path` and maps or reads it whole.
    pub fn open(path: &Path) -> io::Result<Source> {
        let mut file = File::open(path)?;
        let meta = file.metadata()?;
        let seen = Stamp::of(&meta);
        let bytes = if meta.is_file() && meta.len() >= MAP_FROM {
            // SAFETY: the mapping is read only and private. The file is not
            // expected to change while it is read (see the module's
            // documentation): a change of size or time refuses the list
            // (`unchanged`), and a file cut short ends the process before
            // anything is published.
            let map = unsafe { memmap2::MmapOptions::new().populate().map(&file)? };
            Bytes::Mapped(map)
        } else {
            let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
            file.read_to_end(&mut bytes)?;
            Bytes::Read(bytes)
        };
        Ok(Source {
            bytes,
            file,
            path: path.to_owned(),
            seen,
        })
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Mapped(map) => map,
            Bytes::Read(bytes) => bytes,
        }
    }

    /// Lets the kernel take back the mapped pages of `range` (bytes): they
    /// stay in its page cache, and are read from there again if they are
    /// used, but they stop counting in this process's memory. Nothing for
    /// a file read into memory.
    pub fn release(&self, range: std::ops::Range<usize>) {
        #[cfg(not(unix))]
        let _ = range;
        #[cfg(unix)]
        if let Bytes::Mapped(map) = &self.bytes {
            let end = range.end.min(map.len());
            let start = range.start.min(end);
            // SAFETY: the mapping is private, read-only and never written:
            // a page dropped here reads back as the file's bytes, which are
            // the bytes it held, so a slice of it borrowed elsewhere sees no
            // change. (A file rewritten meanwhile breaks that, as it would
            // break any read of the mapping: see the module's summary.)
            let released = unsafe {
                map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start)
            };
            if let Err(e) = released {
                tracing::debug!(error = %e, "mapped pages not released");
            }
        }
    }

    /// True when the file still has the size and modification time it had
    /// when it was opened.
    pub fn unchanged(&self) -> io::Result<bool> {
        Ok(Stamp::of(&self.file.metadata()?) == self.seen)
    }

    /// [`Source::unchanged`] as the reader reports it: a file that changed
    /// (or can no longer be looked at) is an error naming it.
    pub fn check_unchanged(&self) -> Result<(), super::IngestError> {
        match self.unchanged() {
            Ok(true) => Ok(()),
            Ok(false) => Err(super::IngestError::Changed {
                path: self.path.clone(),
            }),
            Err(source) => Err(super::IngestError::Read {
                path: self.path.clone(),
                source,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_of(len: usize) -> (tempfile::NamedTempFile, Vec<u8>) {
        let bytes: Vec<u8> = (0..len).map(|i| b"abc,\n"[i % 5]).collect();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&bytes).unwrap();
        f.flush().unwrap();
        (f, bytes)
    }

    #[test]
    fn small_files_are_read_and_large_ones_mapped_to_the_same_bytes() {
        for len in [0, 10, MAP_FROM as usize - 1, MAP_FROM as usize, 3 << 20] {
            let (f, bytes) = file_of(len);
            let source = Source::open(f.path()).unwrap();
            assert_eq!(
                matches!(source.bytes, Bytes::Mapped(_)),
                len as u64 >= MAP_FROM,
                "{len} bytes"
            );
            assert_eq!(source.bytes(), &bytes[..], "{len} bytes");
            assert!(source.unchanged().unwrap());
        }
    }

    /// Released pages leave the process's memory and read back as the
    /// file's bytes.
    #[cfg(target_os = "linux")]
    #[test]
    fn released_pages_read_back_as_they_were() {
        fn resident_kib() -> u64 {
            let status = std::fs::read_to_string("/proc/self/status").unwrap();
            let line = status.lines().find(|l| l.starts_with("RssFile:")).unwrap();
            line.split_whitespace().nth(1).unwrap().parse().unwrap()
        }
        let (f, bytes) = file_of(64 << 20);
        let source = Source::open(f.path()).unwrap();
        let before = resident_kib();
        source.release(0..bytes.len());
        let after = resident_kib();
        // Other threads map and unmap files too: most of the 64 MiB must go.
        assert!(before > after + 32 * 1024, "{before} KiB to {after} KiB");
        source.release(1000..5 << 20);
        source.release(bytes.len() - 10..bytes.len() + 10);
        assert_eq!(source.bytes(), &bytes[..]);
        let small = file_of(100);
        let read = Source::open(small.0.path()).unwrap();
        read.release(0..100);
        assert_eq!(read.bytes(), &small.1[..]);
    }

    #[test]
    fn a_file_that_grew_while_read_is_seen() {
        for len in [100, MAP_FROM as usize] {
            let (mut f, _) = file_of(len);
            let source = Source::open(f.path()).unwrap();
            f.write_all(b"one more row\n").unwrap();
            f.flush().unwrap();
            assert!(!source.unchanged().unwrap(), "{len} bytes");
        }
    }
}
