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
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Alignment of the buffer's address, of every write's length and of every
/// file offset: the largest logical block size of common disks.
const ALIGN: usize = 4096;

/// Bytes gathered before each write to the disk.
const BLOCK: usize = 4 << 20;

/// One aligned block buffer: `BLOCK + ALIGN` bytes, of which `BLOCK` from
/// `start` are aligned.
struct Block {
    buf: Vec<u8>,
    start: usize,
}

impl Block {
    fn new() -> Block {
        let buf = vec![0; BLOCK + ALIGN];
        let start = buf.as_ptr().align_offset(ALIGN);
        Block { buf, start }
    }

    fn space(&mut self) -> &mut [u8] {
        &mut self.buf[self.start..self.start + BLOCK]
    }

    fn bytes(&self, len: usize) -> &[u8] {
        &self.buf[self.start..self.start + len]
    }
}

/// A file being written with `O_DIRECT`. Full blocks go to a thread that
/// writes them while the next block fills (two blocks take turns), so that
/// the disk's time overlaps the rendering and hashing of what follows.
pub struct DirectFile {
    /// The block being filled.
    block: Block,
    /// Bytes in it.
    held: usize,
    /// Bytes handed to the writer (a multiple of `ALIGN`).
    sent: u64,
    /// Blocks made so far (at most two).
    blocks: usize,
    to_disk: Option<SyncSender<(Block, usize)>>,
    written: Receiver<Block>,
    writer: Option<JoinHandle<io::Result<File>>>,
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
        let (to_disk, full) = sync_channel(1);
        let (done, written) = sync_channel(2);
        let writer = std::thread::Builder::new()
            .name("disburse-disk".into())
            .spawn(move || write_blocks(file, full, done))?;
        Ok(Some(DirectFile {
            block: Block::new(),
            held: 0,
            sent: 0,
            blocks: 1,
            to_disk: Some(to_disk),
            written,
            writer: Some(writer),
        }))
    }

    /// Direct writes are Linux's here: elsewhere every file is buffered.
    #[cfg(not(target_os = "linux"))]
    pub fn create(_path: &Path) -> io::Result<Option<DirectFile>> {
        Ok(None)
    }

    /// Hands the first `len` bytes of the block (a multiple of `ALIGN`) to
    /// the writer and takes a block to fill next.
    fn send(&mut self, len: usize) -> io::Result<()> {
        debug_assert_eq!(len % ALIGN, 0);
        let next = if self.blocks < 2 {
            self.blocks += 1;
            Block::new()
        } else {
            match self.written.recv() {
                Ok(block) => block,
                Err(_) => return Err(self.stopped()),
            }
        };
        let full = std::mem::replace(&mut self.block, next);
        let to_disk = self.to_disk.as_ref().expect("open until finished");
        if to_disk.send((full, len)).is_err() {
            return Err(self.stopped());
        }
        self.sent += len as u64;
        self.held = 0;
        Ok(())
    }

    /// Waits for the writer and returns the file (or what stopped it).
    fn join(&mut self) -> io::Result<File> {
        self.to_disk = None;
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the disk writer thread panicked")),
            None => Err(io::Error::other("the file was already finished")),
        }
    }

    /// Why the writer stopped before it was told to.
    fn stopped(&mut self) -> io::Error {
        match self.join() {
            Err(e) => e,
            Ok(_) => io::Error::other("the disk writer stopped early"),
        }
    }

    /// Writes what is held, the last block padded with zeros to the
    /// alignment, waits for every block to be written, then cuts the file
    /// to its true length. Returns the file, to be synced.
    pub fn finish(mut self) -> io::Result<File> {
        let size = self.sent + self.held as u64;
        if self.held > 0 {
            let padded = self.held.next_multiple_of(ALIGN);
            let held = self.held;
            self.block.space()[held..padded].fill(0);
            self.send(padded)?;
        }
        let file = self.join()?;
        file.set_len(size)?;
        Ok(file)
    }
}

impl Drop for DirectFile {
    /// A file given up (an error elsewhere) still waits for its writer, so
    /// that no thread writes on after its staging directory is gone.
    fn drop(&mut self) {
        if self.writer.is_some() {
            let _ = self.join();
        }
    }
}

/// The writer thread: writes each block it is given, in order, and hands
/// it back. A device whose blocks are larger than `ALIGN` refuses the first
/// write (`EINVAL`, nothing written): the file then goes on through the
/// page cache.
fn write_blocks(
    mut file: File,
    full: Receiver<(Block, usize)>,
    done: SyncSender<Block>,
) -> io::Result<File> {
    let mut first = true;
    for (block, len) in full {
        let bytes = block.bytes(len);
        match file.write_all(bytes) {
            Err(e) if e.kind() == io::ErrorKind::InvalidInput && first => {
                buffered(&file)?;
                file.write_all(bytes)?;
            }
            result => result?,
        }
        first = false;
        // The filler keeps at most two blocks: this send never waits, and
        // fails only when the filler is gone.
        let _ = done.send(block);
    }
    Ok(file)
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
        let held = self.held;
        self.block.space()[held..held + n].copy_from_slice(&data[..n]);
        self.held += n;
        if self.held == BLOCK {
            self.send(BLOCK)?;
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
    fn a_file_turned_buffered_takes_what_a_direct_one_refuses() {
        use std::os::unix::fs::OpenOptionsExt;
        let dir = tempfile::tempdir_in(env!("CARGO_MANIFEST_DIR")).unwrap();
        let path = dir.path().join("f");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .custom_flags(libc::O_DIRECT)
            .open(&path)
            .expect("the project's disk takes O_DIRECT");
        let refused = file.write_all(b"abc").unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::InvalidInput);
        buffered(&file).unwrap();
        file.write_all(b"abc").unwrap();
        drop(file);
        assert_eq!(std::fs::read(&path).unwrap(), b"abc");
    }

    #[test]
    fn a_dropped_file_waits_for_its_writer() {
        let dir = tempfile::tempdir_in(env!("CARGO_MANIFEST_DIR")).unwrap();
        let path = dir.path().join("f");
        let mut file = DirectFile::create(&path).unwrap().expect("O_DIRECT taken");
        file.write_all(&vec![7; 3 * BLOCK]).unwrap();
        drop(file);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 3 * BLOCK as u64);
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
