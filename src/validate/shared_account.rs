//! `SHARED_ACCOUNT`: a bank account receives for more than one beneficiary.
//! A guardian may legitimately receive for several children, so this warns
//! by default; the reviewer confirms.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{Candidate, Code, Diagnostic};
use crate::reference::{BankId, Field};

/// Marks rows whose bank and account appear on a row of another beneficiary.
pub fn check(candidates: &mut [Candidate]) {
    let shared = groups(candidates);
    let notes = notes(candidates, shared);
    for (i, message) in notes {
        candidates[i].diagnostics.push(Diagnostic::new(
            Code::SharedAccount,
            Some(Field::AccountNumber),
            message,
        ));
    }
}

/// The rows that share a bank and account, each group in row order.
fn groups(candidates: &[Candidate]) -> Vec<Vec<usize>> {
    // Built and sorted by hash in parallel; only rows of equal hash are
    // compared (as for duplicates).
    let hash = |bank: BankId, account: &str| {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        (bank, account).hash(&mut h);
        h.finish()
    };
    // A hash and a row (16 bytes) for every row, written where they stand:
    // rows without a bank or an account leave theirs empty, which sorts
    // last and is cut off.
    const EMPTY: (u64, u32) = (u64::MAX, u32::MAX);
    let mut keyed = vec![EMPTY; candidates.len()];
    keyed
        .par_iter_mut()
        .zip(candidates.par_iter())
        .enumerate()
        .for_each(|(i, (place, c))| {
            if let (Some(bank), Some(account)) = (c.bank, c.account.as_deref()) {
                *place = (hash(bank, account), i as u32);
            }
        });
    keyed.par_sort_unstable();
    keyed.truncate(keyed.partition_point(|k| *k != EMPTY));
    let mut shared: Vec<Vec<usize>> = Vec::new();
    for run in keyed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        // Equal hashes: group by bank and account, sorting rather than
        // comparing every pair (a list that pays every row into one account
        // makes one run of every row). Rows stay in order within a group.
        let mut run: Vec<(BankId, &str, usize)> = run
            .iter()
            .map(|&(_, i)| {
                let c = &candidates[i as usize];
                let (bank, account) = (c.bank, c.account.as_deref());
                (
                    bank.expect("hashed with its bank"),
                    account.expect("hashed with its account"),
                    i as usize,
                )
            })
            .collect();
        run.sort_unstable();
        for same in run.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
            if same.len() > 1 {
                shared.push(same.iter().map(|m| m.2).collect());
            }
        }
    }
    shared
}

/// The message of each row whose group holds another beneficiary: the
/// rows of the others.
fn notes(candidates: &[Candidate], shared: Vec<Vec<usize>>) -> Vec<(usize, String)> {
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
    notes
}
