//! `ALREADY_PAID`: the ledger already holds a live payment of the same type
//! to the same beneficiary for the period (sent, pending, accepted or
//! settled). A supplementary list (bổ sung) therefore pays only the new
//! people; someone whose earlier payment was rejected or returned may be
//! paid again.

use super::{Candidate, Code, Diagnostic};
use crate::ledger::PaidIndex;

/// Marks every candidate the ledger says was already paid.
pub fn check(candidates: &mut [Candidate], paid: &PaidIndex, period: &str) {
    for c in candidates.iter_mut() {
        let key = (c.payment_type.clone(), c.beneficiary_key());
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
