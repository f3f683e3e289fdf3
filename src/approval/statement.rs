//! What an approver signs: a statement of the batch (its id, its
//! manifest's sha256, its totals and each bank's file), the role, the
//! signer and the time. It is signed as its canonical JSON (RFC 8785: keys
//! sorted, no spaces; its fields are declared in that order and amounts
//! are strings of digits, so its plain serialisation is the canonical
//! one), and kept in `approvals/<role>.json` beside the manifest with the
//! signature, so that signing never changes what was signed.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use serde::{Deserialize, Serialize};

use super::batch::BatchDir;
use crate::config::Approver;

/// The statement's format.
pub const FORMAT: &str = "disburse-approval/1";

/// One bank's file as the statement names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankLine {
    /// The receiving bank's BIN.
    pub bin: String,
    /// The file, relative to the batch.
    pub file: String,
    /// Its `MsgId`.
    pub message_id: String,
    /// Its sha256.
    pub sha256: String,
    /// Its control sum, đồng, as digits.
    pub total_vnd: String,
    /// Its payments.
    pub transactions: u64,
}

/// The signed statement. Fields in code-point order of their names: the
/// canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Rows paid.
    pub accepted: u64,
    /// Sum paid, đồng, as digits (JSON numbers lose digits beyond 2^53
    /// in some readers).
    pub accepted_vnd: String,
    /// Each bank's file.
    pub banks: Vec<BankLine>,
    /// The batch.
    pub batch_id: String,
    /// [`FORMAT`].
    pub format: String,
    /// sha256 of the batch's `manifest.json`.
    pub manifest_sha256: String,
    /// The paying office.
    pub office: String,
    /// The paid month.
    pub period: String,
    /// The signer's public key, hex.
    pub public_key: String,
    /// Rows not paid.
    pub rejected: u64,
    /// The role signed in.
    pub role: String,
    /// Beneficiary rows of the list.
    pub rows: u64,
    /// When (RFC 3339).
    pub signed_at: String,
    /// Who, as the configuration names them.
    pub signer: String,
}

impl Statement {
    /// The statement of `batch` for a signer.
    pub fn of(batch: &BatchDir, approver: &Approver, signed_at: String) -> Statement {
        let m = &batch.manifest;
        Statement {
            accepted: m.totals.accepted,
            accepted_vnd: m.totals.accepted_vnd.to_string(),
            banks: batch
                .bank_files()
                .map(|f| BankLine {
                    bin: f.bank_bin.clone().unwrap_or_default(),
                    file: f.path.clone(),
                    message_id: f.message_id.clone().unwrap_or_default(),
                    sha256: f.sha256.clone(),
                    total_vnd: f.total_vnd.unwrap_or_default().to_string(),
                    transactions: f.transactions.unwrap_or_default(),
                })
                .collect(),
            batch_id: m.batch_id.clone(),
            format: FORMAT.to_owned(),
            manifest_sha256: batch.manifest_sha256.clone(),
            office: m.office.clone(),
            period: m.period.clone(),
            public_key: approver.public_key.trim().to_ascii_lowercase(),
            rejected: m.totals.rejected,
            role: approver.role.clone(),
            rows: m.totals.rows,
            signed_at,
            signer: approver.name.clone(),
        }
    }

    /// The bytes signed.
    pub fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a statement serialises")
    }

    /// Signs it.
    pub fn sign(self, key: &SigningKey) -> Approval {
        let signature = key.sign(&self.canonical());
        Approval {
            statement: self,
            signature: hex::encode(signature.to_bytes()),
        }
    }
}

/// An approval file: the statement and its signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// What was signed.
    pub statement: Statement,
    /// The Ed25519 signature of its canonical form, hex.
    pub signature: String,
}

impl Approval {
    /// Reads an approval file: the approval and the bytes it was read
    /// from.
    pub fn read(path: &std::path::Path) -> Result<(Approval, Vec<u8>), String> {
        let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
        if !meta.is_file() || meta.len() > 1 << 20 {
            return Err("is not an approval file".to_owned());
        }
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let approval =
            serde_json::from_slice(&bytes).map_err(|e| format!("cannot be read: {e}"))?;
        Ok((approval, bytes))
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("an approval serialises");
        text.push('\n');
        text
    }

    /// Checks the approval for `role` of `batch` against the configured
    /// approvers: the statement is this batch's as it is now, the key is
    /// configured for the role under the name signed, and the signature is
    /// the key's. The approver, or why not.
    pub fn check<'a>(
        &self,
        batch: &BatchDir,
        role: &str,
        approvers: &'a [Approver],
    ) -> Result<&'a Approver, String> {
        let s = &self.statement;
        if s.format != FORMAT {
            return Err(format!("its format `{}` is not {FORMAT}", s.format));
        }
        if s.role != role {
            return Err(format!("it is signed as `{}`, not `{role}`", s.role));
        }
        if s.batch_id != batch.manifest.batch_id {
            return Err(format!("it signs batch {}, not this one", s.batch_id));
        }
        if s.manifest_sha256 != batch.manifest_sha256 {
            return Err(
                "it signs another manifest: manifest.json was changed after it was signed"
                    .to_owned(),
            );
        }
        let approver = super::approver_with_key(approvers, &s.public_key).ok_or_else(|| {
            format!(
                "its key ({}) is not a configured approver's",
                short_key(&s.public_key)
            )
        })?;
        if approver.role != role {
            return Err(format!(
                "its key is configured for `{}`, not `{role}`",
                approver.role
            ));
        }
        let expected = Statement::of(batch, approver, s.signed_at.clone());
        if *s != expected {
            return Err(
                "its statement does not describe this batch (totals, bank files or signer differ)"
                    .to_owned(),
            );
        }
        let key = super::key::public_key(&approver.public_key)?;
        let mut bytes = [0u8; 64];
        hex::decode_to_slice(&self.signature, &mut bytes)
            .map_err(|_| "its signature is not 128 hexadecimal digits".to_owned())?;
        key.verify(&s.canonical(), &Signature::from_bytes(&bytes))
            .map_err(|_| {
                format!(
                    "its signature is not {}'s: the statement was altered",
                    approver.name
                )
            })?;
        Ok(approver)
    }
}

/// The start of a public key, to name it in messages.
pub fn short_key(key: &str) -> String {
    format!("{}…", &key[..key.len().min(16)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_serialisation_is_the_canonical_one() {
        let s = Statement {
            accepted: 2,
            accepted_vnd: "1000000".into(),
            banks: vec![BankLine {
                bin: "970405".into(),
                file: "banks/970405-AGRIBANK.xml".into(),
                message_id: "M".into(),
                sha256: "ab".into(),
                total_vnd: "1000000".into(),
                transactions: 2,
            }],
            batch_id: "B".into(),
            format: FORMAT.into(),
            manifest_sha256: "cd".into(),
            office: "HUYENX".into(),
            period: "2024-01".into(),
            public_key: "ef".into(),
            rejected: 0,
            role: "head".into(),
            rows: 2,
            signed_at: "2024-01-05T09:00:00+07:00".into(),
            signer: "Trần \"Văn\" An\n".into(),
        };
        let text = String::from_utf8(s.canonical()).unwrap();
        // Every key, at every level, comes after the one before it in
        // code-point order, and no space separates anything.
        let keys = |names: &[&str], within: &str| {
            let mut sorted = names.to_vec();
            sorted.sort_unstable();
            assert_eq!(sorted, names, "declared in order");
            let at: Vec<usize> = names
                .iter()
                .map(|k| within.find(&format!("\"{k}\":")).expect(k))
                .collect();
            assert!(at.windows(2).all(|w| w[0] < w[1]), "{within}");
        };
        keys(
            &[
                "accepted",
                "accepted_vnd",
                "banks",
                "batch_id",
                "format",
                "manifest_sha256",
                "office",
                "period",
                "public_key",
                "rejected",
                "role",
                "rows",
                "signed_at",
                "signer",
            ],
            &text,
        );
        keys(
            &[
                "bin",
                "file",
                "message_id",
                "sha256",
                "total_vnd",
                "transactions",
            ],
            &text,
        );
        assert!(!text.contains(": ") && !text.contains(", "), "{text}");
        assert!(text.ends_with(r#""signer":"Trần \"Văn\" An\n"}"#), "{text}");
    }
}
