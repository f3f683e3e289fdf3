//! `DUPLICATE_BENEFICIARY`: two or more rows of the same payment type share a
//! citizen ID or a beneficiary code (or, lacking both, name, birth date and
//! account). Every such row is rejected: nobody can tell which one is right,
//! and paying either could pay the person twice. Rows of different payment
//! types (the monthly allowance and separate arrears) are not duplicates.

use std::borrow::Cow;

use rayon::prelude::*;

use super::{Candidate, Code, Diagnostic};
use crate::reference::Field;
use crate::text::fold_key;

/// One identity of a row: which field, the payment type, the key.
struct Identity<'a> {
    field: Field,
    kind: &'a str,
    key: Cow<'a, str>,
    row: usize,
}

impl Identity<'_> {
    fn hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        (self.field as u8, self.kind, self.key.as_ref()).hash(&mut h);
        h.finish()
    }

    fn same(&self, other: &Identity<'_>) -> bool {
        self.field == other.field && self.kind == other.kind && self.key == other.key
    }
}

/// The identities of a row: citizen ID, beneficiary code, or (lacking
/// both) name, birth date and account.
fn identities(i: usize, c: &Candidate) -> impl Iterator<Item = Identity<'_>> {
    let kind = c.payment_type.as_str();
    let id = c.citizen_id.as_deref().map(|id| Identity {
        field: Field::CitizenId,
        kind,
        key: Cow::Borrowed(id),
        row: i,
    });
    let code = c.code.as_deref().map(|code| Identity {
        field: Field::BeneficiaryCode,
        kind,
        key: Cow::Owned(fold_key(code)),
        row: i,
    });
    let name =
        (c.citizen_id.is_none() && c.code.is_none() && !c.name.is_empty()).then(|| Identity {
            field: Field::Name,
            kind,
            key: Cow::Owned(c.beneficiary_key()),
            row: i,
        });
    id.into_iter().chain(code).chain(name)
}

/// Marks every row that shares an identity with another of the same
/// payment type.
pub fn check(candidates: &mut [Candidate]) {
    // A million rows make two million identities: they are built and
    // sorted by hash in parallel, and only rows of equal hash are compared.
    let mut ids: Vec<(u64, Identity<'_>)> = candidates
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, c)| identities(i, c).map(|id| (id.hash(), id)))
        .collect();
    ids.par_sort_unstable_by_key(|(h, id)| (*h, id.row));
    let mut groups: Vec<(Field, Vec<usize>)> = Vec::new();
    for run in ids.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        // Equal hashes: group by the identity itself (rows stay in order).
        let mut done = vec![false; run.len()];
        for (a, (_, first)) in run.iter().enumerate() {
            if done[a] {
                continue;
            }
            let mut members = vec![first.row];
            for (b, (_, other)) in run.iter().enumerate().skip(a + 1) {
                if !done[b] && first.same(other) {
                    done[b] = true;
                    members.push(other.row);
                }
            }
            if members.len() > 1 {
                groups.push((first.field, members));
            }
        }
    }
    drop(ids);
    groups.sort();
    for (field, members) in groups {
        let rows: Vec<u32> = members.iter().map(|i| candidates[*i].row).collect();
        for &i in &members {
            let c = &mut candidates[i];
            let others: Vec<String> = rows
                .iter()
                .filter(|r| **r != c.row)
                .map(u32::to_string)
                .collect();
            let what = match field {
                Field::CitizenId => "citizen ID",
                Field::BeneficiaryCode => "beneficiary code",
                _ => "name, birth date and account",
            };
            let message = format!("the same {what} as row {}", others.join(", "));
            if !c
                .diagnostics
                .iter()
                .any(|d| d.code == Code::DuplicateBeneficiary && d.message == message)
            {
                c.diagnostics.push(Diagnostic::new(
                    Code::DuplicateBeneficiary,
                    Some(field),
                    message,
                ));
            }
        }
    }
}
