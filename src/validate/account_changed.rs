//! `ACCOUNT_CHANGED`: the row pays another bank or account than the
//! beneficiary's payment of the ledger's most recent earlier period. A new
//! account number slipped in for someone else's allowance is how money is
//! diverted; a warning by default, `reject` holds such rows until the
//! office confirms them in a later list.

use super::{Candidate, Code, Diagnostic};
use crate::changes::{Change, Changes};
use crate::reference::Field;

/// Adds the diagnostic to every row whose account changed.
pub fn check(candidates: &mut [Candidate], changes: &Changes) {
    let changed = changes
        .lines
        .iter()
        .filter(|l| l.change == Change::AccountChanged);
    for line in changed {
        let Some(at) = line.candidate else { continue };
        let previous = line
            .previous_row
            .map(|r| format!(" (row {r})"))
            .unwrap_or_default();
        candidates[at as usize].diagnostics.push(Diagnostic::new(
            Code::AccountChanged,
            Some(Field::AccountNumber),
            format!(
                "the account is `{}`; {} was paid into `{}`{previous}",
                line.after, changes.from, line.before
            ),
        ));
    }
}
