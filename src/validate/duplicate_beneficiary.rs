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

/// The hash of an identity (its field, payment type and key).
fn hash(field: Field, kind: &str, key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (field as u8, kind, key).hash(&mut h);
    h.finish()
}

/// The hashes of row `i`'s identities, in [`identities`]' order, with
/// the position of each: `buf` is reused for folded codes.
fn hashes(i: usize, c: &Candidate, buf: &mut String) -> [Option<(u64, u32, u8)>; 2] {
    let kind = &*c.payment_type;
    let row = i as u32;
    let mut out = [None; 2];
    let mut k = 0;
    if let Some(id) = &c.citizen_id {
        out[k] = Some((hash(Field::CitizenId, kind, id), row, k as u8));
        k += 1;
    }
    if let Some(code) = &c.code {
        buf.clear();
        crate::text::fold_key_into(code, buf);
        out[k] = Some((hash(Field::BeneficiaryCode, kind, buf), row, k as u8));
    } else if k == 0 && !c.name.is_empty() {
        let key = c.beneficiary_key();
        out[k] = Some((hash(Field::Name, kind, &key), row, k as u8));
    }
    out
}

impl Identity<'_> {
    fn same(&self, other: &Identity<'_>) -> bool {
        self.field == other.field && self.kind == other.kind && self.key == other.key
    }
}

/// The identities of a row: citizen ID, beneficiary code, or (lacking
/// both) name, birth date and account.
fn identities(i: usize, c: &Candidate) -> impl Iterator<Item = Identity<'_>> {
    let kind = &*c.payment_type;
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
    // A million rows make two million identities: only their hashes and
    // rows (16 bytes each) are built and sorted, in parallel; the
    // identities themselves are compared only for rows of equal hash. Each
    // row has two places, written where they stand (a row with fewer
    // identities leaves a place empty; the empty places sort last and are
    // cut off), so the list is never gathered and copied.
    const EMPTY: (u64, u32, u8) = (u64::MAX, u32::MAX, u8::MAX);
    let mut hashed = vec![EMPTY; 2 * candidates.len()];
    hashed
        .par_chunks_mut(2)
        .zip(candidates.par_iter())
        .enumerate()
        .for_each_init(String::new, |buf, (i, (places, c))| {
            for (place, found) in places.iter_mut().zip(hashes(i, c, buf)) {
                *place = found.unwrap_or(EMPTY);
            }
        });
    hashed.par_sort_unstable();
    // Every real entry is below EMPTY (its row is below `u32::MAX`).
    hashed.truncate(hashed.partition_point(|h| *h != EMPTY));
    let mut groups: Vec<(Field, Vec<usize>)> = Vec::new();
    for run in hashed.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        // Equal hashes: group by the identity itself, sorting rather than
        // comparing every pair (a list whose code column repeats one value
        // makes one run of every row). Rows stay in order within a group.
        let mut ids: Vec<Identity<'_>> = run
            .iter()
            .map(|&(_, i, k)| {
                identities(i as usize, &candidates[i as usize])
                    .nth(usize::from(k))
                    .expect("the identity hashed")
            })
            .collect();
        ids.sort_by(|a, b| (a.field, a.kind, &a.key, a.row).cmp(&(b.field, b.kind, &b.key, b.row)));
        for same in ids.chunk_by(|a, b| a.same(b)) {
            if same.len() > 1 {
                groups.push((same[0].field, same.iter().map(|id| id.row).collect()));
            }
        }
    }
    drop(hashed);
    groups.sort();
    for (field, members) in groups {
        let rows: Vec<u32> = members.iter().map(|i| candidates[*i].row).collect();
        let what = match field {
            Field::CitizenId => "citizen ID",
            Field::BeneficiaryCode => "beneficiary code",
            _ => "name, birth date and account",
        };
        for &i in &members {
            let c = &mut candidates[i];
            let message = format!("the same {what} as {}", other_rows(&rows, c.row));
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

/// `row 3, 7` for the rows of `group` other than `own`, ten at most
/// ([`super::row_list`]).
fn other_rows(group: &[u32], own: u32) -> String {
    super::row_list(group.iter().copied().filter(|r| *r != own), group.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_names_ten_rows_and_counts_the_rest() {
        assert_eq!(other_rows(&[2, 5], 2), "row 5");
        assert_eq!(other_rows(&[2, 5, 9], 5), "row 2, 9");
        let group: Vec<u32> = (2..=12).collect();
        assert_eq!(other_rows(&group, 12), "row 2, 3, 4, 5, 6, 7, 8, 9, 10, 11");
        let group: Vec<u32> = (2..5002).collect();
        assert_eq!(
            other_rows(&group, 2),
            "row 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 4989 other rows"
        );
        assert_eq!(
            other_rows(&group, 7),
            "row 2, 3, 4, 5, 6, 8, 9, 10, 11, 12 and 4989 other rows"
        );
    }
}
