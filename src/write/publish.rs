//! Atomic publication of a batch directory: every file is written and
//! `fsync`ed in a hidden staging directory beside the target, which is then
//! renamed into place. A crash leaves at most a staging directory, never a
//! half batch under the target's name.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::direct::DirectFile;
use super::hashing::{HashingWriter, WrittenFile};

/// Why a batch directory cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The target already holds files.
    #[error("the output directory `{0}` is not empty")]
    NotEmpty(PathBuf),
    /// The target exists and is a file.
    #[error("the output path `{0}` is not a directory")]
    NotADirectory(PathBuf),
    /// The target cannot receive a batch by a rename: a symbolic link, or
    /// the root of another file system (a mount point, a USB stick).
    #[error("the output path `{path}` is {what}: a batch cannot be put in its place")]
    CannotReplace {
        /// The target.
        path: PathBuf,
        /// What it is.
        what: &'static str,
    },
    /// A file system operation failed.
    #[error("cannot write `{path}`")]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
}

impl PublishError {
    /// How to fix it, where that can be said.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            PublishError::NotEmpty(_) => {
                Some("choose a new directory: a batch is never written over another")
            }
            PublishError::CannotReplace { .. } => {
                Some("name a new directory inside it (for a USB stick: `--out /media/usb/2024-01`)")
            }
            PublishError::Io { source, .. } if is_disk_full(source) => Some(
                "the disk is full (no space left on the device): free space, then run the list again",
            ),
            _ => None,
        }
    }
}

/// True for a write refused because the file system has no space left.
pub fn is_disk_full(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::StorageFull
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> PublishError + '_ {
    move |source| PublishError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Checks that `target` may receive a batch: absent, or an empty directory.
pub fn check_target(target: &Path) -> Result<(), PublishError> {
    // The batch arrives by renaming its staging directory (beside the
    // target) onto it: that cannot replace a link, nor the root of another
    // file system. Refused here, before anything is recorded.
    if fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(PublishError::CannotReplace {
            path: target.to_owned(),
            what: "a symbolic link",
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if let (Ok(t), Ok(p)) = (fs::metadata(target), fs::metadata(parent))
            && t.is_dir()
            && t.dev() != p.dev()
        {
            return Err(PublishError::CannotReplace {
                path: target.to_owned(),
                what: "the root of another file system (a mount point)",
            });
        }
    }
    match fs::read_dir(target) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                Err(PublishError::NotEmpty(target.to_owned()))
            } else {
                Ok(())
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory || target.is_file() => {
            Err(PublishError::NotADirectory(target.to_owned()))
        }
        Err(e) => Err(io_err(target)(e)),
    }
}

/// A batch being written.
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Staging {
    /// Creates the staging directory beside `target`, after checking it.
    pub fn new(target: &Path) -> Result<Staging, PublishError> {
        check_target(target)?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let name = target
            .file_name()
            .map_or_else(|| "batch".into(), |n| n.to_string_lossy().into_owned());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
            .tempdir_in(&parent)
            .map_err(io_err(&parent))?;
        Ok(Staging {
            dir,
            target: target.to_owned(),
        })
    }

    /// The staging directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes one file at `relative`, hashing it, and syncs it to disk.
    pub fn write_file<F>(&self, relative: &str, fill: F) -> Result<WrittenFile, PublishError>
    where
        F: FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
    {
        self.write_file_with(relative, fill, true)
    }

    /// [`Staging::write_file`], past the page cache if `direct` and the file
    /// system allows it.
    fn write_file_with<F>(
        &self,
        relative: &str,
        fill: F,
        direct: bool,
    ) -> Result<WrittenFile, PublishError>
    where
        F: FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
    {
        let path = self.dir.path().join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let opened = if direct {
            DirectFile::create(&path).map_err(io_err(&path))?
        } else {
            None
        };
        let sink = match opened {
            Some(direct) => Sink::Direct(direct),
            None => Sink::Buffered(EarlyWriteback {
                file: File::create(&path).map_err(io_err(&path))?,
                written: 0,
                started: 0,
            }),
        };
        // Hash beneath the buffer: the hasher sees 1 MiB blocks, not every
        // small write of the XML and CSV writers.
        let mut writer = BufWriter::with_capacity(1 << 20, HashingWriter::new(sink));
        fill(&mut writer).map_err(io_err(&path))?;
        let hashing = writer
            .into_inner()
            .map_err(|e| io_err(&path)(e.into_error()))?;
        let (sink, written) = hashing.finish().map_err(io_err(&path))?;
        let file = match sink {
            Sink::Direct(direct) => direct.finish().map_err(io_err(&path))?,
            Sink::Buffered(buffered) => buffered.file,
        };
        file.sync_all().map_err(io_err(&path))?;
        Ok(written)
    }

    /// Syncs every file and directory and keeps the staging directory on
    /// disk, ready to be renamed into place by [`Staged::publish`].
    pub fn seal(self) -> Result<Staged, PublishError> {
        sync_tree(self.dir.path())?;
        Ok(Staged {
            dir: self.dir.keep(),
            target: self.target,
        })
    }

    /// Seals and publishes at once.
    pub fn publish(self) -> Result<PathBuf, PublishError> {
        self.seal()?.publish()
    }
}

/// A complete, synced batch directory waiting beside its target.
#[derive(Debug)]
pub struct Staged {
    dir: PathBuf,
    target: PathBuf,
}

impl Staged {
    /// The staging directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The target.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the staging directory into place.
    pub fn publish(self) -> Result<PathBuf, PublishError> {
        rename_into_place(&self.dir, &self.target)?;
        Ok(self.target)
    }

    /// Removes the staging directory (the batch is not to be published).
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Renames a staged directory onto `target` (absent or empty) and syncs the
/// parent directory so that the rename is durable.
pub fn rename_into_place(staged: &Path, target: &Path) -> Result<(), PublishError> {
    check_target(target)?;
    fs::rename(staged, target).map_err(io_err(target))?;
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(parent)
            .and_then(|d| d.sync_all())
            .map_err(io_err(parent))?;
    }
    Ok(())
}

/// Where a file's bytes go: past the page cache where the file system
/// allows it, else through it with early writeback.
enum Sink {
    Direct(DirectFile),
    Buffered(EarlyWriteback),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Direct(f) => f.write(buf),
            Sink::Buffered(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Direct(f) => f.flush(),
            Sink::Buffered(f) => f.flush(),
        }
    }
}

/// A file that asks the kernel to start writing every 8 MiB to disk as soon
/// as it is written: a large bank file is then mostly on disk when it is
/// synced, instead of the sync waiting for all of it.
struct EarlyWriteback {
    file: File,
    written: u64,
    started: u64,
}

impl EarlyWriteback {
    const STEP: u64 = 8 << 20;
}

impl Write for EarlyWriteback {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= Self::STEP {
            start_writeback(&self.file, self.started, self.written - self.started);
            self.started = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Starts (without waiting for) the writing of a range of `file` to disk.
/// Only a hint: a failure shows in the `sync_all` that follows.
#[cfg(target_os = "linux")]
fn start_writeback(file: &File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
        return;
    };
    // SAFETY: the descriptor is open for the call's duration (borrowed
    // from `file`); the call reads no memory of ours.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _offset: u64, _len: u64) {}

/// `fsync`s every directory of the tree so that its entries are durable.
fn sync_tree(dir: &Path) -> Result<(), PublishError> {
    for entry in fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        if entry.file_type().map_err(io_err(dir))?.is_dir() {
            sync_tree(&entry.path())?;
        }
    }
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_staging_leaves_nothing_behind() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        {
            let staging = Staging::new(&target).unwrap();
            staging
                .write_file("banks/a.xml", |w| w.write_all(b"<x/>"))
                .unwrap();
        }
        assert!(!target.exists());
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 0);
    }

    #[test]
    fn publish_moves_everything_into_an_empty_target() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        fs::create_dir(&target).unwrap();
        let staging = Staging::new(&target).unwrap();
        let written = staging
            .write_file("a.txt", |w| w.write_all(b"abc"))
            .unwrap();
        assert_eq!(written.bytes, 3);
        staging.publish().unwrap();
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"abc");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn direct_and_buffered_files_hold_the_same_bytes_and_digest() {
        let root = tempfile::tempdir_in(env!("CARGO_MANIFEST_DIR")).unwrap();
        let staging = Staging::new(&root.path().join("out")).unwrap();
        // 20 MiB and a bit: several blocks, writeback steps and a tail.
        let data: Vec<u8> = (0..(20 << 20) + 4097).map(|i| (i % 241) as u8).collect();
        let direct = staging
            .write_file_with("direct.bin", |w| w.write_all(&data), true)
            .unwrap();
        let buffered = staging
            .write_file_with("buffered.bin", |w| w.write_all(&data), false)
            .unwrap();
        assert_eq!(direct, buffered);
        assert_eq!(direct.bytes, data.len() as u64);
        for name in ["direct.bin", "buffered.bin"] {
            assert!(
                fs::read(staging.path().join(name)).unwrap() == data,
                "{name}"
            );
        }
    }

    #[test]
    fn a_non_empty_target_is_refused_untouched() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("keep.txt"), "x").unwrap();
        assert!(matches!(
            Staging::new(root.path()),
            Err(PublishError::NotEmpty(_))
        ));
        assert_eq!(
            fs::read_to_string(root.path().join("keep.txt")).unwrap(),
            "x"
        );
    }
}
