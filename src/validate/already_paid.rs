//! `ALREADY_PAID`: the ledger already holds a live payment of the same type
//! to the same beneficiary for the period (sent, pending, accepted or
//! settled). A supplementary list (bổ sung) therefore pays only the new
//! people; someone whose earlier payment was rejected or returned may be
//! paid again.
//!
//! `FAILED_BEFORE`: that earlier payment failed for a reason a new payment
//! would meet again: the beneficiary died (never paid again), or the
//! account was closed, blocked or not the beneficiary's and the new row
//! names the same account at the same bank.

use super::{Candidate, Code, Diagnostic};
use crate::ledger::PaidIndex;
use crate::reference::{Reference, Reissue};

/// Marks every candidate the ledger says was already paid, or may not be
/// paid again as written.
pub fn check(candidates: &mut [Candidate], paid: &PaidIndex, period: &str, reference: &Reference) {
    for c in candidates.iter_mut() {
        let key = (c.payment_type.to_string(), c.beneficiary_key());
        if let Some(failed) = paid.failed.get(&key) {
            let reason = reference.reasons.get(&failed.reason_code);
            let what = reason.map_or(failed.reason_code.clone(), |r| {
                format!("{}: {}", r.code, r.en.to_lowercase())
            });
            let same_account = c.bank.map(|b| reference.banks.get(b).bin.as_str())
                == Some(failed.bank_bin.as_str())
                && c.account.as_deref() == Some(failed.account.as_str());
            let refuse = match reference.reasons.reissue(&failed.reason_code) {
                Reissue::No => Some("it may not be paid again"),
                Reissue::NewAccount if same_account => {
                    Some("this row names the same account; give the corrected one")
                }
                _ => None,
            };
            if let Some(refuse) = refuse {
                let message = format!(
                    "this month's payment `{}` was {} ({what}); {refuse}",
                    failed.end_to_end_id, failed.status
                );
                c.diagnostics
                    .push(Diagnostic::new(Code::FailedBefore, None, message));
            }
        }
        if let Some(prior) = paid.live.get(&key) {
            let message = format!(
                "already paid for {period} in batch `{}` (payment `{}`, {})",
                prior.batch_id, prior.end_to_end_id, prior.status
            );
            c.diagnostics
                .push(Diagnostic::new(Code::AlreadyPaid, None, message));
        }
    }
}
