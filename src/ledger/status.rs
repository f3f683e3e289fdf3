//! The status of a payment in the ledger, and the order statuses move in.
//! Stored in SQL as a small number (the `payments.status` column, whose
//! `CHECK` allows the six), and in the journal's `status` records as its
//! lower-case name.

use std::fmt;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

/// Where a payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentStatus {
    /// In a bank file; no answer yet.
    Sent,
    /// The bank received it or is checking it; no decision yet.
    Pending,
    /// Accepted for execution, not yet settled.
    Accepted,
    /// Settled: the money reached the beneficiary's bank.
    Settled,
    /// Refused by the bank; nothing was paid.
    Rejected,
    /// Paid, then sent back by the beneficiary's bank.
    Returned,
}

impl PaymentStatus {
    /// Every status, in the order they are listed to people.
    pub const ALL: [PaymentStatus; 6] = [
        PaymentStatus::Sent,
        PaymentStatus::Pending,
        PaymentStatus::Accepted,
        PaymentStatus::Settled,
        PaymentStatus::Rejected,
        PaymentStatus::Returned,
    ];

    /// The number the ledger's `payments.status` column stores: the
    /// position in [`PaymentStatus::ALL`], 0 for `sent` to 5 for
    /// `returned` (the schema's `CHECK` and the failed ones, 4 and 5, are
    /// written in these numbers).
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The name the journal and people read (`sent`).
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Sent => "sent",
            PaymentStatus::Pending => "pending",
            PaymentStatus::Accepted => "accepted",
            PaymentStatus::Settled => "settled",
            PaymentStatus::Rejected => "rejected",
            PaymentStatus::Returned => "returned",
        }
    }

    /// How far along it is: statuses only move to a higher rank. Settled
    /// and rejected are both final answers; returned comes after payment.
    pub fn rank(self) -> u8 {
        match self {
            PaymentStatus::Sent => 0,
            PaymentStatus::Pending => 1,
            PaymentStatus::Accepted => 2,
            PaymentStatus::Settled | PaymentStatus::Rejected => 3,
            PaymentStatus::Returned => 4,
        }
    }

    /// Whether the payment failed: nothing reached the beneficiary, so it
    /// may be paid again (a re-issue).
    pub fn is_failed(self) -> bool {
        matches!(self, PaymentStatus::Rejected | PaymentStatus::Returned)
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a payment status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a payment status")]
pub struct UnknownStatus(pub String);

impl std::str::FromStr for PaymentStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PaymentStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

impl ToSql for PaymentStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

impl FromSql for PaymentStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let code = value.as_i64()?;
        PaymentStatus::ALL
            .into_iter()
            .find(|s| i64::from(s.code()) == code)
            .ok_or(FromSqlError::OutOfRange(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_reads_back_as_its_number_in_sql_and_its_name_in_json_and_text() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for (code, status) in PaymentStatus::ALL.into_iter().enumerate() {
            let back: PaymentStatus = conn.query_row("SELECT ?1", [status], |r| r.get(0)).unwrap();
            assert_eq!(back, status);
            let number: i64 = conn.query_row("SELECT ?1", [status], |r| r.get(0)).unwrap();
            assert_eq!(number, code as i64);
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{status}\"")
            );
            assert_eq!(status.as_str().parse::<PaymentStatus>(), Ok(status));
        }
        for unknown in ["SELECT 6", "SELECT -1", "SELECT 'sent'"] {
            let read: rusqlite::Result<PaymentStatus> = conn.query_row(unknown, [], |r| r.get(0));
            assert!(read.is_err(), "{unknown}");
        }
        assert!("Sent".parse::<PaymentStatus>().is_err());
    }

    #[test]
    fn failed_statuses_are_the_ones_that_may_be_paid_again() {
        let failed: Vec<_> = PaymentStatus::ALL
            .into_iter()
            .filter(|s| s.is_failed())
            .collect();
        assert_eq!(failed, [PaymentStatus::Rejected, PaymentStatus::Returned]);
        // The schema's `slot` check names the failed ones by number.
        for s in PaymentStatus::ALL {
            assert_eq!(s.is_failed(), matches!(s.code(), 4 | 5), "{s}");
        }
    }
}
