//! Output written past the page cache (`O_DIRECT`, Linux): a file is copied
//! into one aligned block buffer, reused, and each full block goes straight
//! to the disk. A national batch writes 2.4 GB; through the page cache the
//! kernel would first copy every byte into pages it has to find and zero,
//! which on a virtual machine costs more than the disk itself (measured in
//! `docs/PERFORMANCE.md`). The file is still `fsync`ed when finished.
//!
//! A file system that refuses direct writes (tmpfs before Linux 6.6, some
//! network mounts) gets the buffered path: [`DirectFile::create`] says so
//! with `None`; a device that refuses 4 KiB blocks, at the first write.

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

    /// Writes the first `len` held bytes (a multiple of `ALIGN`). A device
    /// whose blocks are larger than `ALIGN` refuses the first write
    /// (`EINVAL`, nothing written): the file then goes on through the page
    /// cache.
    fn write_held(&mut self, len: usize) -> io::Result<()> {
        debug_assert_eq!(len % ALIGN, 0);
        let held = &self.buf[self.start..self.start + len];
        match self.file.write_all(held) {
            Err(e) if e.kind() == io::ErrorKind::InvalidInput && self.written == 0 => {
                buffered(&self.file)?;
                self.file.write_all(held)?;
            }
            result => result?,
        }
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

/// Turns direct writing off for `file`.
#[cfg(target_os = "linux")]
fn buffered(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: the descriptor is open for the calls' duration (borrowed from
    // `file`); F_GETFL and F_SETFL read and write no memory of ours.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_DIRECT) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn buffered(_file: &File) -> io::Result<()> {
    Ok(())
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

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_turned_buffered_keeps_every_byte() {
        let dir = tempfile::tempdir_in(env!("CARGO_MANIFEST_DIR")).unwrap();
        let path = dir.path().join("f");
        let mut file = DirectFile::create(&path).unwrap().expect("O_DIRECT taken");
        buffered(&file.file).unwrap();
        // SAFETY: reads the flags of a descriptor borrowed from `file`.
        let flags =
            unsafe { libc::fcntl(std::os::fd::AsRawFd::as_raw_fd(&file.file), libc::F_GETFL) };
        assert_eq!(flags & libc::O_DIRECT, 0);
        let data: Vec<u8> = (0..(BLOCK + 777)).map(|i| (i % 253) as u8).collect();
        file.write_all(&data).unwrap();
        file.finish().unwrap();
        assert!(std::fs::read(&path).unwrap() == data);
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
