//! `SHARED_ACCOUNT`: a bank account receives for more than one beneficiary.
//! A guardian may legitimately receive for several children, so this warns
//! by default; the reviewer confirms.

use rustc_hash::FxHashMap as HashMap;

use super::{Candidate, Code, Diagnostic};
use crate::reference::{BankId, Field};

/// Marks rows whose bank and account appear on a row of another beneficiary.
pub fn check(candidates: &mut [Candidate]) {
    let mut by_account: HashMap<(BankId, &str), Vec<usize>> =
        HashMap::with_capacity_and_hasher(candidates.len(), Default::default());
    for (i, c) in candidates.iter().enumerate() {
        if let (Some(bank), Some(account)) = (c.bank, c.account.as_deref()) {
            by_account.entry((bank, account)).or_default().push(i);
        }
    }
    let mut notes: Vec<(usize, String)> = Vec::new();
    for members in by_account.into_values().filter(|m| m.len() > 1) {
        for &i in &members {
            let key = candidates[i].beneficiary_key();
            let others: Vec<String> = members
                .iter()
                .filter(|j| candidates[**j].beneficiary_key() != key)
                .map(|j| candidates[*j].row.to_string())
                .collect();
            if !others.is_empty() {
                notes.push((i, format!("the same account as row {}", others.join(", "))));
            }
        }
    }
    for (i, message) in notes {
        candidates[i].diagnostics.push(Diagnostic::new(
            Code::SharedAccount,
            Some(Field::AccountNumber),
            message,
        ));
    }
}
