//! `DUPLICATE_BENEFICIARY`: two or more rows of the same payment type share a
//! citizen ID or a beneficiary code (or, lacking both, name, birth date and
//! account). Every such row is rejected: nobody can tell which one is right,
//! and paying either could pay the person twice. Rows of different payment
//! types (the monthly allowance and separate arrears) are not duplicates.

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use super::{Candidate, Code, Diagnostic};
use crate::reference::Field;
use crate::text::fold_key;

/// Marks every row that shares an identity with another of the same
/// payment type.
pub fn check(candidates: &mut [Candidate]) {
    // Keys borrow from the candidates: a million rows make two million
    // entries, and owned keys would double the allocations.
    let mut by_key: HashMap<(Field, &str, Cow<'_, str>), Vec<usize>> =
        HashMap::with_capacity_and_hasher(candidates.len() * 2, Default::default());
    for (i, c) in candidates.iter().enumerate() {
        let kind = c.payment_type.as_str();
        if let Some(id) = &c.citizen_id {
            by_key
                .entry((Field::CitizenId, kind, Cow::Borrowed(id)))
                .or_default()
                .push(i);
        }
        if let Some(code) = &c.code {
            by_key
                .entry((Field::BeneficiaryCode, kind, Cow::Owned(fold_key(code))))
                .or_default()
                .push(i);
        }
        if c.citizen_id.is_none() && c.code.is_none() && !c.name.is_empty() {
            by_key
                .entry((Field::Name, kind, Cow::Owned(c.beneficiary_key())))
                .or_default()
                .push(i);
        }
    }
    let mut groups: Vec<(Field, Vec<usize>)> = by_key
        .into_iter()
        .filter(|(_, rows)| rows.len() > 1)
        .map(|((field, _, _), rows)| (field, rows))
        .collect();
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
