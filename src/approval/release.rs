//! Handing an approved batch over for the banks: its bank files, its
//! manifest and its approvals copied into a directory that appears whole or
//! not at all (written beside it under a temporary name, synced, renamed).
//! Every byte copied is hashed on the way and must be what the manifest
//! says, so a file changed after the checks is never released.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::Signed;
use super::batch::{APPROVALS, BatchDir, FileView};
use crate::write::{PublishError, Staging};

/// One directory of a release and the bank files it carries.
#[derive(Debug, Clone)]
pub struct Package {
    /// Where it goes.
    pub dir: PathBuf,
    /// The bank files (manifest paths).
    pub files: Vec<String>,
}

/// Why a release could not be made; nothing was recorded.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// A file changed between the checks and the copy.
    #[error("`{0}` changed while it was being released; nothing was released")]
    Changed(String),
    /// The destination holds something else.
    #[error("`{0}` already holds files that are not this batch's release")]
    Occupied(PathBuf),
    /// The copy could not be written.
    #[error(transparent)]
    Publish(#[from] PublishError),
}

/// Whether `dir` already holds exactly this package (a release that was
/// interrupted after it was copied, before the ledger recorded it).
fn holds(dir: &Path, batch: &BatchDir, package: &Package, signed: &[Signed]) -> bool {
    let Ok(there) = BatchDir::open(dir) else {
        return false;
    };
    if there.manifest_sha256 != batch.manifest_sha256 {
        return false;
    }
    let (_, problems) = there.check_files();
    problems.is_empty()
        && package.files.iter().all(|f| there.file(f).is_ok())
        && signed.iter().all(|s| {
            std::fs::read(dir.join(APPROVALS).join(format!("{}.json", s.role)))
                .is_ok_and(|b| b == s.bytes)
        })
}

/// Copies each package into place; the directories written (or found
/// already written by an interrupted release of the same batch).
pub fn copy(
    batch: &BatchDir,
    packages: &[Package],
    signed: &[Signed],
) -> Result<Vec<PathBuf>, ReleaseError> {
    let mut done = Vec::new();
    for package in packages {
        if std::fs::symlink_metadata(&package.dir).is_ok()
            && std::fs::read_dir(&package.dir).is_ok_and(|mut d| d.next().is_some())
        {
            if holds(&package.dir, batch, package, signed) {
                done.push(package.dir.clone());
                continue;
            }
            return Err(ReleaseError::Occupied(package.dir.clone()));
        }
        let staging = Staging::new(&package.dir)?;
        for path in &package.files {
            let entry: &FileView = batch
                .manifest
                .files
                .iter()
                .find(|f| &f.path == path)
                .ok_or_else(|| ReleaseError::Changed(path.clone()))?;
            let source = batch
                .file(path)
                .map_err(|_| ReleaseError::Changed(path.clone()))?;
            let written = staging.write_file(path, |w| {
                let mut file = std::fs::File::open(&source)?;
                let mut buffer = vec![0u8; 1 << 20];
                loop {
                    let n = file.read(&mut buffer)?;
                    if n == 0 {
                        return Ok(());
                    }
                    w.write_all(&buffer[..n])?;
                }
            })?;
            if written.sha256 != entry.sha256 || written.bytes != entry.bytes {
                return Err(ReleaseError::Changed(path.clone()));
            }
        }
        staging.write_file("manifest.json", |w| w.write_all(&batch.manifest_bytes))?;
        for s in signed {
            staging.write_file(&format!("{APPROVALS}/{}.json", s.role), |w| {
                w.write_all(&s.bytes)
            })?;
        }
        let staged = staging.seal()?;
        crate::failpoint::hit("release-staged");
        done.push(staged.publish()?);
        crate::failpoint::hit("release-copied");
    }
    Ok(done)
}
