//! Output written past the page cache (`O_DIRECT`, Linux): a file is copied
//! into one aligned block buffer, reused, and each full block goes straight
//! to the disk. A national batch writes 2.4 GB; through the page cache the
//! kernel would first copy every byte into pages it has to find and zero,
//! which on a virtual machine costs more than the disk itself (measured in
//! `docs/PERFORMANCE.md`). The file is still `fsync`ed when finished.
//!
//! A file system that refuses direct writes (tmpfs, some network mounts)
//! gets the buffered path: [`DirectFile::create`] says so with `None`.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// Alignment of the buffer's address, of every write's length and of every
/// file offset: the largest logical block size of common disks.
const ALIGN: usize = 4096;

/// Bytes gathered before each write to the disk.
const BLOCK: usize = 4 << 20;

/// A file being written with `O_DIRECT`.
pub struct DirectFile {
    file: File,
    /// `BLOCK + ALIGN` bytes, of which `BLOCK` from `start` are aligned.
    buf: Vec<u8>,
    start: usize,
    /// Bytes waiting in the block.
    held: usize,
    /// Bytes written to the file (a multiple of `ALIGN`).
    written: u64,
}

impl DirectFile {
    /// Creates (or truncates) `path` for direct writing; `None` when its
    /// file system does not take direct writes.
    #[cfg(target_os = "linux")]
    pub fn create(path: &Path) -> io::Result<Option<DirectFile>> {
        use std::os::unix::fs::OpenOptionsExt;
        let opened = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .custom_flags(libc::O_DIRECT)
            .open(path);
        let file = match opened {
            Ok(file) => file,
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => return Ok(None),
            Err(e) => return Err(e),
        };
        let buf = vec![0; BLOCK + ALIGN];
        let start = buf.as_ptr().align_offset(ALIGN);
        Ok(Some(DirectFile {
            file,
            buf,
            start,
            held: 0,
            written: 0,
        }))
    }

    /// Direct writes are Linux's here: elsewhere every file is buffered.
    #[cfg(not(target_os = "linux"))]
    pub fn create(_path: &Path) -> io::Result<Option<DirectFile>> {
        Ok(None)
    }

    /// Writes the first `len` held bytes (a multiple of `ALIGN`).
    fn write_held(&mut self, len: usize) -> io::Result<()> {
        debug_assert_eq!(len % ALIGN, 0);
        self.file
            .write_all(&self.buf[self.start..self.start + len])?;
        self.written += len as u64;
        Ok(())
    }

    /// Writes what is held, the last block padded with zeros to the
    /// alignment, then cuts the file to its true length. Returns the file,
    /// to be synced.
    pub fn finish(mut self) -> io::Result<File> {
        let size = self.written + self.held as u64;
        if self.held > 0 {
            let padded = self.held.next_multiple_of(ALIGN);
            self.buf[self.start + self.held..self.start + padded].fill(0);
            self.write_held(padded)?;
            self.held = 0;
        }
        self.file.set_len(size)?;
        Ok(self.file)
    }
}

impl Write for DirectFile {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = data.len().min(BLOCK - self.held);
        let at = self.start + self.held;
        self.buf[at..at + n].copy_from_slice(&data[..n]);
        self.held += n;
        if self.held == BLOCK {
            self.write_held(BLOCK)?;
            self.held = 0;
        }
        Ok(n)
    }

    /// Held bytes stay until the block is full or the file is finished:
    /// a direct write must be whole blocks.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `data` in pieces of `piece` bytes and reads the file back.
    fn round_trip(data: &[u8], piece: usize) -> Option<Vec<u8>> {
        // On the project's disk, not in a /tmp that may be a tmpfs.
        let dir = tempfile::tempdir_in(env!("CARGO_MANIFEST_DIR")).unwrap();
        let path = dir.path().join("f");
        let mut file = DirectFile::create(&path).unwrap()?;
        for part in data.chunks(piece.max(1)) {
            file.write_all(part).unwrap();
        }
        file.finish().unwrap().sync_all().unwrap();
        Some(std::fs::read(&path).unwrap())
    }

    #[test]
    fn every_byte_arrives_whatever_the_sizes() {
        let data: Vec<u8> = (0..(2 * BLOCK + 12_345))
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        let sizes = [
            0,
            1,
            ALIGN - 1,
            ALIGN,
            ALIGN + 1,
            BLOCK,
            BLOCK + 1,
            data.len(),
        ];
        for len in sizes {
            for piece in [1000, ALIGN, BLOCK + 3] {
                match round_trip(&data[..len], piece) {
                    Some(read) => assert!(read == data[..len], "{len} bytes in pieces of {piece}"),
                    None => panic!(
                        "the build directory's file system refuses O_DIRECT: \
                         this test needs one that takes it (ext4, xfs, btrfs)"
                    ),
                }
            }
        }
    }
}
