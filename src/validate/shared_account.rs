//! `SHARED_ACCOUNT`: a bank account receives for more than one beneficiary.
//! A guardian may legitimately receive for several children, so this warns
//! by default; the reviewer confirms.

use rayon::prelude::*;

use super::{Candidate, Code, Diagnostic};
use crate::reference::{BankId, Field};

/// Marks rows whose bank and account appear on a row of another beneficiary.
pub fn check(candidates: &mut [Candidate]) {
    // Built and sorted by hash in parallel; only rows of equal hash are
    // compared (as for duplicates).
    let hash = |bank: BankId, account: &str| {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        (bank, account).hash(&mut h);
        h.finish()
    };
    let mut keyed: Vec<(u64, usize, BankId, &str)> = candidates
        .par_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let (bank, account) = (c.bank?, c.account.as_deref()?);
            Some((hash(bank, account), i, bank, account))
        })
        .collect();
    keyed.par_sort_unstable_by_key(|(h, i, _, _)| (*h, *i));
    let mut shared: Vec<Vec<usize>> = Vec::new();
    for run in keyed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        let mut done = vec![false; run.len()];
        for a in 0..run.len() {
            if done[a] {
                continue;
            }
            let mut members = vec![run[a].1];
            for b in a + 1..run.len() {
                if !done[b] && run[a].2 == run[b].2 && run[a].3 == run[b].3 {
                    done[b] = true;
                    members.push(run[b].1);
                }
            }
            if members.len() > 1 {
                shared.push(members);
            }
        }
    }
    drop(keyed);
    let mut notes: Vec<(usize, String)> = Vec::new();
    for members in shared {
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
