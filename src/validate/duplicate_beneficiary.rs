//! `DUPLICATE_BENEFICIARY`: two or more rows of the same payment type share a
//! citizen ID or a beneficiary code (or, lacking both, name, birth date and
//! account). Every such row is rejected: nobody can tell which one is right,
//! and paying either could pay the person twice. Rows of different payment
//! types (the monthly allowance and separate arrears) are not duplicates.

use rustc_hash::FxHashMap as HashMap;

use super::{Candidate, Code, Diagnostic};
use crate::reference::Field;
use crate::text::fold_key;

/// Marks every row that shares an identity with another of the same
/// payment type.
pub fn check(candidates: &mut [Candidate]) {
    let mut by_key: HashMap<(Field, String, String), Vec<usize>> = HashMap::default();
    for (i, c) in candidates.iter().enumerate() {
        let kind = &c.payment_type;
        let mut add = |field: Field, key: String| {
            by_key
                .entry((field, kind.clone(), key))
                .or_default()
                .push(i);
        };
        if let Some(id) = &c.citizen_id {
            add(Field::CitizenId, id.clone());
        }
        if let Some(code) = &c.code {
            add(Field::BeneficiaryCode, fold_key(code));
        }
        if c.citizen_id.is_none() && c.code.is_none() && !c.name.is_empty() {
            add(Field::Name, c.beneficiary_key());
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
