//! `REPEATED_FAILURE`: the beneficiary's monthly payments of each of the
//! three previous months all failed or were returned. Three months unpaid
//! is a review for suspension (Circular 02/2021/TT-BLĐTBXH); paying a
//! fourth time the same way rarely reaches them. A warning by default.

use std::collections::HashSet;

use super::{Candidate, Code, Diagnostic};
use crate::changes::Side;

/// Adds the diagnostic to every row of a beneficiary in `failed`.
pub fn check(candidates: &mut [Candidate], later: &Side, failed: &HashSet<String>) {
    if failed.is_empty() {
        return;
    }
    let one = later.period.previous();
    let (two, three) = (one.previous(), one.previous().previous());
    let message = format!(
        "every payment of {three}, {two} and {one} failed or was returned: review the \
         beneficiary for suspension before paying again"
    );
    let failing = later
        .entries
        .iter()
        .filter(|e| failed.contains(e.key.as_str()));
    for at in failing.filter_map(|e| e.candidate) {
        candidates[at as usize].diagnostics.push(Diagnostic::new(
            Code::RepeatedFailure,
            None,
            message.clone(),
        ));
    }
}
