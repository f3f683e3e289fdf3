//! Approval: nothing reaches a bank unsigned. A batch is *prepared* when
//! written; *approved* when every required role has signed its manifest
//! with a key of its own (`approve`); *released* when its bank files, its
//! manifest and the approvals are handed over for the banks (`release`).
//! Its payments are sent from release on. `verify` checks a batch, or what
//! a bank received, offline against the office's public keys.

pub mod batch;
pub mod key;
pub mod page;
pub mod release;
pub mod statement;

use std::path::PathBuf;

use batch::{APPROVALS, BatchDir};
use statement::Approval;

use crate::config::{Approver, Signatories};

/// A role's name in both languages, as pages and the terminal show it.
pub fn role_label(role: &str) -> (String, String) {
    match role {
        "chief_accountant" => ("Kế toán trưởng".into(), "Chief accountant".into()),
        "head" => ("Thủ trưởng đơn vị".into(), "Head of unit".into()),
        "preparer" => ("Người lập biểu".into(), "Prepared by".into()),
        other => (other.to_owned(), other.to_owned()),
    }
}

/// The roles that must sign a batch: those the office's configuration
/// requires now, and any more its manifest was prepared with.
pub fn required_roles(batch: &BatchDir, config: &Signatories) -> Vec<String> {
    let mut roles = config.required_roles();
    for role in batch.required_by_manifest() {
        if !roles.contains(role) {
            roles.push(role.clone());
        }
    }
    roles
}

/// A valid signature of a role.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The role.
    pub role: String,
    /// Who signed.
    pub signer: String,
    /// When.
    pub signed_at: String,
    /// The approval file's bytes as checked (a release copies these).
    pub bytes: Vec<u8>,
    /// The approval.
    pub approval: Approval,
}

/// Where a batch stands: who signed, and what is missing.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// The roles that must sign, in order.
    pub required: Vec<String>,
    /// The valid signatures, in the roles' order.
    pub signed: Vec<Signed>,
    /// Required roles without a valid signature.
    pub missing: Vec<String>,
    /// Approval files that do not verify, each with why.
    pub problems: Vec<String>,
}

impl State {
    /// Whether every required role signed and no signature is bad.
    pub fn approved(&self) -> bool {
        self.missing.is_empty() && self.problems.is_empty()
    }

    /// Whether the batch needs no approval.
    pub fn needs_none(&self) -> bool {
        self.required.is_empty()
    }
}

/// The approval file of a role.
pub fn approval_path(batch: &BatchDir, role: &str) -> PathBuf {
    batch.dir.join(APPROVALS).join(format!("{role}.json"))
}

/// Reads and checks a batch's approvals against the configured approvers.
pub fn state(batch: &BatchDir, config: &Signatories) -> State {
    let required = required_roles(batch, config);
    let mut state = State {
        required: required.clone(),
        ..State::default()
    };
    if !required.is_empty() && config.approvers.is_empty() {
        state.problems.push(
            "no approvers are configured to check the signatures against: pass the office's configuration (--config)".to_owned(),
        );
    }
    let dir = batch.dir.join(APPROVALS);
    if std::fs::symlink_metadata(&dir).is_ok_and(|m| !m.is_dir()) {
        state
            .problems
            .push(format!("`{APPROVALS}` is not a directory"));
        state.missing = required;
        return state;
    }
    for role in &required {
        let path = approval_path(batch, role);
        let file = format!("{APPROVALS}/{role}.json");
        if std::fs::symlink_metadata(&path).is_err() {
            state.missing.push(role.clone());
            continue;
        }
        let checked = Approval::read(&path).and_then(|(approval, bytes)| {
            approval.check(batch, role, &config.approvers)?;
            Ok((approval, bytes))
        });
        match checked {
            Ok((approval, bytes)) => state.signed.push(Signed {
                role: role.clone(),
                signer: approval.statement.signer.clone(),
                signed_at: approval.statement.signed_at.clone(),
                bytes,
                approval,
            }),
            Err(why) => {
                state.problems.push(format!("`{file}`: {why}"));
                state.missing.push(role.clone());
            }
        }
    }
    state
}

/// The configured approver whose key this is.
pub fn approver_of<'a>(
    config: &'a Signatories,
    public: &ed25519_dalek::VerifyingKey,
) -> Option<&'a Approver> {
    approver_with_key(&config.approvers, &key::public_key_text(public))
}

/// The approver whose public key is `hex` (as a statement writes it).
pub fn approver_with_key<'a>(approvers: &'a [Approver], hex: &str) -> Option<&'a Approver> {
    approvers
        .iter()
        .find(|a| a.public_key.trim().eq_ignore_ascii_case(hex))
}

/// Writes a role's approval file beside the manifest: under a temporary
/// name, synced, then linked into place without replacing one already
/// there. `Ok(false)` when the role had signed meanwhile.
pub fn write_approval(batch: &BatchDir, approval: &Approval) -> std::io::Result<bool> {
    let dir = batch.dir.join(APPROVALS);
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if !m.is_dir() => {
            return Err(std::io::Error::other(format!(
                "`{}` is not a directory",
                dir.display()
            )));
        }
        Ok(_) => {}
        Err(_) => std::fs::create_dir(&dir)?,
    }
    let mut file = tempfile::NamedTempFile::new_in(&dir)?;
    std::io::Write::write_all(file.as_file_mut(), approval.to_json().as_bytes())?;
    file.as_file().sync_all()?;
    let path = approval_path(batch, &approval.statement.role);
    match file.persist_noclobber(&path) {
        Ok(_) => {}
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e.error),
    }
    std::fs::File::open(&dir)?.sync_all()?;
    Ok(true)
}
