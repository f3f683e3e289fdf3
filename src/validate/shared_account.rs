//! `SHARED_ACCOUNT`: a bank account receives for more than one beneficiary.
//! A guardian may legitimately receive for several children, so this warns
//! by default; the reviewer confirms.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

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
        // Equal hashes: group by bank and account, sorting rather than
        // comparing every pair (a list that pays every row into one account
        // makes one run of every row). Rows stay in order within a group.
        let mut run = run.to_vec();
        run.sort_unstable_by(|a, b| (a.2, a.3, a.1).cmp(&(b.2, b.3, b.1)));
        for same in run.chunk_by(|a, b| a.2 == b.2 && a.3 == b.3) {
            if same.len() > 1 {
                shared.push(same.iter().map(|m| m.1).collect());
            }
        }
    }
    drop(keyed);
    let mut notes: Vec<(usize, String)> = Vec::new();
    for members in shared {
        let keys: Vec<String> = members
            .iter()
            .map(|&i| candidates[i].beneficiary_key())
            .collect();
        let mut per_key: FxHashMap<&str, usize> = FxHashMap::default();
        for key in &keys {
            *per_key.entry(key.as_str()).or_default() += 1;
        }
        // The rows named are the same for every row of one beneficiary.
        let mut lists: FxHashMap<&str, String> = FxHashMap::default();
        for (&i, key) in members.iter().zip(&keys) {
            let others = members.len() - per_key[key.as_str()];
            if others == 0 {
                continue;
            }
            let list = lists.entry(key.as_str()).or_insert_with(|| {
                let rows = members
                    .iter()
                    .zip(&keys)
                    .filter(|(_, k)| *k != key)
                    .map(|(j, _)| candidates[*j].row);
                super::row_list(rows, others)
            });
            notes.push((i, format!("the same account as {list}")));
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
