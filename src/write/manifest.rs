//! `manifest.json`: what a batch is (period, office, input and its sha256,
//! totals) and every file it holds with its sha256 and size, so that anyone
//! can check later that nothing was changed.

use serde::Serialize;

/// The batch's manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// Manifest format version.
    pub format: u32,
    /// The `disburse` version that wrote it.
    pub generator: String,
    /// Batch id.
    pub batch_id: String,
    /// Paid month, `YYYY-MM`.
    pub period: String,
    /// Office code.
    pub office: String,
    /// When the batch was made (the messages' `CreDtTm`).
    pub created: String,
    /// Requested execution date.
    pub execution_date: String,
    /// The input list.
    pub input: InputInfo,
    /// Counts and amounts.
    pub totals: Totals,
    /// Every file of the batch but the manifest.
    pub files: Vec<FileEntry>,
    /// With a ledger: the journal's head the batch was recorded after, an
    /// anchor of the journal outside the database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub journal_head: Option<crate::ledger::Head>,
    /// With a ledger that holds an earlier period: what changed since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<crate::changes::Summary>,
    /// Who must sign before the bank files may go to the banks.
    pub approval: ApprovalRequirement,
    /// What to know before the files are sent (a past execution date, a
    /// debtor's bank given only by name).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<crate::prepared::Notice>,
}

/// The roles that must sign a batch (`disburse approve`) before its bank
/// files are released; none when the office configures no approvers.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovalRequirement {
    /// Roles, in signing order; empty: the batch needs no approval.
    pub required: Vec<String>,
}

/// The input list.
#[derive(Debug, Clone, Serialize)]
pub struct InputInfo {
    /// File name.
    pub file: String,
    /// sha256 of its bytes.
    pub sha256: String,
    /// Beneficiary rows (blank rows not counted).
    pub rows: usize,
    /// `csv`.
    pub format: &'static str,
    /// Text encoding (CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<crate::ingest::Encoding>,
    /// CSV delimiter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Worksheet (workbooks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Spreadsheet row of the header.
    pub header_row: u32,
    /// Layout rows that are not beneficiaries (column numbers, subtotals,
    /// totals and signatures).
    pub layout_rows: crate::ingest::Skipped,
    /// The spreadsheet row of the totals row, when the list has one.
    pub totals_row: Option<u32>,
}

/// Counts and amounts of a batch.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    /// Beneficiary rows in the input.
    pub rows: usize,
    /// Rows paid.
    pub accepted: usize,
    /// Rows not paid.
    pub rejected: usize,
    /// Sum paid, đồng.
    pub accepted_vnd: i64,
    /// Sum of the readable amounts of rejected rows, đồng.
    pub rejected_vnd: i64,
    /// Rejected rows without a readable amount.
    pub rejected_without_amount: usize,
    /// Accepted rows with warnings.
    pub warned: usize,
    /// Blank rows skipped.
    pub blank_rows: usize,
    /// Total declared on the list's totals row, when it has one.
    pub declared_vnd: Option<i64>,
    /// Row count declared on the list, when it has one.
    pub declared_rows: Option<usize>,
}

impl Totals {
    /// What the rows add up to: the accepted amount and the readable
    /// amounts of the rejected rows.
    pub fn rows_vnd(&self) -> i64 {
        self.accepted_vnd + self.rejected_vnd
    }

    /// Whether the rows add up to the declared total; `None` when the list
    /// declares none. Rows without a readable amount never add up.
    pub fn adds_up(&self) -> Option<bool> {
        self.declared_vnd
            .map(|declared| declared == self.rows_vnd() && self.rejected_without_amount == 0)
    }
}

/// Whether a manifest kind is a bank file's.
pub fn is_bank_kind(kind: &str) -> bool {
    kind == "pain.001" || kind == "bank-workbook"
}

/// One file of the batch.
#[derive(Debug, Clone, Serialize)]
pub struct FileEntry {
    /// Path relative to the batch directory.
    pub path: String,
    /// `pain.001`, `accepted`, `rejected`, `reconciliation`.
    pub kind: &'static str,
    /// sha256, hex.
    pub sha256: String,
    /// Size.
    pub bytes: u64,
    /// Receiving bank's BIN (bank files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_bin: Option<String>,
    /// The message version when not pain.001.001.09, or
    /// `template:<file>` for a bank's own workbook (bank files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The part, when a bank's payments are split over several files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<u32>,
    /// `MsgId` (bank files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Number of transactions (bank files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transactions: Option<usize>,
    /// Control sum (bank files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_vnd: Option<i64>,
}

impl FileEntry {
    /// Whether it is a file for a bank: a pain.001 message or a bank's own
    /// upload workbook.
    pub fn is_bank_file(&self) -> bool {
        is_bank_kind(self.kind)
    }

    /// A file that is not a bank file (listing, report, workbook).
    pub fn document(
        path: &str,
        kind: &'static str,
        written: super::hashing::WrittenFile,
    ) -> FileEntry {
        FileEntry {
            path: path.to_owned(),
            kind,
            sha256: written.sha256,
            bytes: written.bytes,
            bank_bin: None,
            format: None,
            part: None,
            message_id: None,
            transactions: None,
            total_vnd: None,
        }
    }
}
