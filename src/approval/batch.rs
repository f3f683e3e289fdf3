//! A batch directory as approval, release and verification see it: its
//! `manifest.json` (read as bytes, hashed, then parsed) and every file it
//! names checked against its size and sha256. Paths come from the file's
//! contents: each must be a plain relative path inside the directory, and
//! nothing on the way may be a symbolic link.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The largest manifest read (a national batch's is a few KiB).
const MAX_MANIFEST: u64 = 16 << 20;

/// The directory the approvals are written in, beside the manifest.
pub const APPROVALS: &str = "approvals";

/// A batch directory that cannot be read as one.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// No readable manifest.
    #[error("`{dir}` is not a batch: {why}")]
    NotABatch {
        /// The directory.
        dir: PathBuf,
        /// Why.
        why: String,
    },
}

/// What the manifest says of the batch, as approval needs it.
#[derive(Debug, Clone, Deserialize)]
pub struct ManifestView {
    /// Batch id.
    pub batch_id: String,
    /// Paid month.
    pub period: String,
    /// Office code.
    pub office: String,
    /// Requested execution date.
    pub execution_date: String,
    /// Counts and amounts.
    pub totals: TotalsView,
    /// Every file of the batch but the manifest.
    pub files: Vec<FileView>,
    /// The roles that must sign, as the batch was prepared.
    #[serde(default)]
    pub approval: Option<RequiredView>,
    /// Present when the batch was recorded in a ledger.
    #[serde(default)]
    pub journal_head: Option<serde_json::Value>,
}

/// The manifest's totals.
#[derive(Debug, Clone, Deserialize)]
pub struct TotalsView {
    /// Beneficiary rows.
    pub rows: u64,
    /// Rows paid.
    pub accepted: u64,
    /// Rows not paid.
    pub rejected: u64,
    /// Sum paid, đồng.
    pub accepted_vnd: i64,
}

/// The manifest's approval requirement.
#[derive(Debug, Clone, Deserialize)]
pub struct RequiredView {
    /// Roles, in signing order.
    pub required: Vec<String>,
}

/// One file the manifest names.
#[derive(Debug, Clone, Deserialize)]
pub struct FileView {
    /// Path relative to the batch directory.
    pub path: String,
    /// `pain.001` for a bank file.
    pub kind: String,
    /// sha256, hex.
    pub sha256: String,
    /// Size.
    pub bytes: u64,
    /// Receiving bank (bank files).
    #[serde(default)]
    pub bank_bin: Option<String>,
    /// `MsgId` (bank files).
    #[serde(default)]
    pub message_id: Option<String>,
    /// Transactions (bank files).
    #[serde(default)]
    pub transactions: Option<u64>,
    /// Control sum (bank files).
    #[serde(default)]
    pub total_vnd: Option<i64>,
}

impl FileView {
    /// Whether it is a file for a bank.
    pub fn is_bank_file(&self) -> bool {
        crate::write::manifest::is_bank_kind(&self.kind)
    }
}

/// A batch directory with its manifest read.
#[derive(Debug, Clone)]
pub struct BatchDir {
    /// The directory.
    pub dir: PathBuf,
    /// What the manifest says.
    pub manifest: ManifestView,
    /// sha256 of `manifest.json` as read.
    pub manifest_sha256: String,
    /// Its bytes.
    pub manifest_bytes: Vec<u8>,
}

/// Whether a directory holds a whole batch or what a release carries (the
/// bank files, the manifest and the approvals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents {
    /// Every file of the manifest.
    Batch,
    /// Bank files only.
    Package,
}

impl BatchDir {
    /// Reads `dir/manifest.json`.
    pub fn open(dir: &Path) -> Result<BatchDir, BatchError> {
        let not = |why: String| BatchError::NotABatch {
            dir: dir.to_owned(),
            why,
        };
        let path = dir.join("manifest.json");
        let meta =
            std::fs::symlink_metadata(&path).map_err(|e| not(format!("no manifest.json ({e})")))?;
        if !meta.is_file() {
            return Err(not("manifest.json is not a plain file".to_owned()));
        }
        if meta.len() > MAX_MANIFEST {
            return Err(not("manifest.json is too large to be a manifest".to_owned()));
        }
        let bytes =
            std::fs::read(&path).map_err(|e| not(format!("cannot read manifest.json: {e}")))?;
        let manifest: ManifestView = serde_json::from_slice(&bytes)
            .map_err(|e| not(format!("manifest.json cannot be read: {e}")))?;
        Ok(BatchDir {
            dir: dir.to_owned(),
            manifest_sha256: hex::encode(Sha256::digest(&bytes)),
            manifest_bytes: bytes,
            manifest,
        })
    }

    /// The bank files, in the manifest's order.
    pub fn bank_files(&self) -> impl Iterator<Item = &FileView> {
        self.manifest.files.iter().filter(|f| f.is_bank_file())
    }

    /// The roles the manifest says must sign.
    pub fn required_by_manifest(&self) -> &[String] {
        self.manifest
            .approval
            .as_ref()
            .map_or(&[], |a| a.required.as_slice())
    }

    /// The file a manifest path names, when it is a plain relative path
    /// inside the directory with no link on the way.
    pub fn file(&self, relative: &str) -> Result<PathBuf, String> {
        let path = Path::new(relative);
        let plain = !relative.is_empty()
            && !relative.contains('\\')
            && path.components().all(|c| matches!(c, Component::Normal(_)));
        if !plain {
            return Err(format!(
                "the manifest names `{relative}`, which is not a path inside the batch"
            ));
        }
        let mut at = self.dir.clone();
        for part in path.components() {
            at.push(part);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(format!(
                        "`{relative}` is a symbolic link, not the batch's file"
                    ));
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(format!("`{relative}` is missing"));
                }
                Err(e) => return Err(format!("`{relative}` cannot be read: {e}")),
            }
        }
        Ok(at)
    }

    /// Checks the files against the manifest; the problems, the first bad
    /// file first. A bank file must be present and as recorded; so must
    /// every other file in a whole batch, while a release carries only bank
    /// files. A file the manifest does not name (outside `approvals/`) is a
    /// problem: nothing unsigned travels with a batch.
    pub fn check_files(&self) -> (Contents, Vec<String>) {
        let mut problems = Vec::new();
        let present = |f: &FileView| std::fs::symlink_metadata(self.dir.join(&f.path)).is_ok();
        let contents = if self
            .manifest
            .files
            .iter()
            .any(|f| !f.is_bank_file() && present(f))
        {
            Contents::Batch
        } else {
            Contents::Package
        };
        let mut named = BTreeSet::new();
        let mut banks_present = 0;
        for f in &self.manifest.files {
            named.insert(f.path.clone());
            if contents == Contents::Package && !f.is_bank_file() {
                continue;
            }
            if contents == Contents::Package && !present(f) {
                // A bank's release carries its own file only.
                continue;
            }
            if f.is_bank_file() {
                banks_present += 1;
            }
            if let Err(why) = self.check_file(f) {
                problems.push(why);
            }
        }
        if banks_present == 0 {
            problems.push("no bank file of the manifest is here".to_owned());
        }
        self.unlisted(&self.dir, "", &named, &mut problems);
        (contents, problems)
    }

    /// One file against its manifest entry.
    pub fn check_file(&self, f: &FileView) -> Result<(), String> {
        let path = self.file(&f.path)?;
        let unreadable = |e: std::io::Error| format!("`{}` cannot be read: {e}", f.path);
        let bytes = std::fs::symlink_metadata(&path).map_err(unreadable)?.len();
        let sha256 = crate::ingest::file_sha256(&path).map_err(unreadable)?;
        if bytes != f.bytes || sha256 != f.sha256 {
            return Err(format!(
                "`{}` was changed after the batch was made: its sha256 is not the manifest's",
                f.path
            ));
        }
        Ok(())
    }

    fn unlisted(
        &self,
        dir: &Path,
        prefix: &str,
        named: &BTreeSet<String>,
        problems: &mut Vec<String>,
    ) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = format!("{prefix}{name}");
            if relative == "manifest.json" || relative == APPROVALS {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                self.unlisted(&entry.path(), &format!("{relative}/"), named, problems);
            } else if !named.contains(&relative) {
                problems.push(format!(
                    "`{relative}` is not in the manifest: nothing unsigned may travel with the batch"
                ));
            }
        }
    }
}
