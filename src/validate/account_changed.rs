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
    let by_row: std::collections::HashMap<u32, &crate::changes::Line> = changes
        .lines
        .iter()
        .filter(|l| l.change == Change::AccountChanged)
        .filter_map(|l| Some((l.row?, l)))
        .collect();
    for at in &changes.account_changed {
        let c = &mut candidates[*at as usize];
        let Some(line) = by_row.get(&c.row) else {
            continue;
        };
        let previous = line
            .previous_row
            .map(|r| format!(" (row {r})"))
            .unwrap_or_default();
        c.diagnostics.push(Diagnostic::new(
            Code::AccountChanged,
            Some(Field::AccountNumber),
            format!(
                "the account is `{}`; {} was paid into `{}`{previous}",
                line.after, changes.from, line.before
            ),
        ));
    }
}
