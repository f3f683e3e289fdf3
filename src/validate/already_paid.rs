//! `ALREADY_PAID`: the ledger already holds a live payment of the same type
//! to the same beneficiary for the period (sent, pending, accepted or
//! settled). A supplementary list (bổ sung) therefore pays only the new
//! people; someone whose earlier payment was rejected or returned may be
//! paid again.
//!
//! The same beneficiary is found by every identifier a payment was recorded
//! with, not only the key it was recorded under (the citizen ID, else the
//! office's code, else name, birth date and account): a list that leaves
//! the ID blank, or adds an ID column, still names the same people. Where
//! both sides have a citizen ID, it decides; else where both have a code,
//! the code decides; else the same name and birth date, or the same bank
//! account, is taken for the same person, since a doubt must refuse, never
//! pay. A row found that way under another key takes that key, so that a
//! re-issue is attempt n+1 of the same beneficiary and the schema's one
//! live payment holds. `IDENTITY_CONFLICT`: the identifiers find more than
//! one beneficiary.
//!
//! `FAILED_BEFORE`: that earlier payment failed for a reason a new payment
//! would meet again: the beneficiary died (never paid again), or the
//! account was closed, blocked or not the beneficiary's and the new row
//! names the same account at the same bank.

use std::collections::{BTreeSet, HashMap};

use super::{Candidate, Code, Diagnostic};
use crate::ledger::{FailedPayment, PaidIndex, Person};
use crate::reference::{Reference, Reissue};

/// The keys some rows take from the ledger: candidate index to the key of
/// the beneficiary their identifiers found.
pub type Adopted = HashMap<u32, String>;

/// An identifier a payment can be found by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Ident<'a> {
    CitizenId(&'a str),
    Code(&'a str),
    NameAndBirth(&'a str, &'a str),
    Account(&'a str, &'a str),
}

fn idents(p: &Person) -> impl Iterator<Item = Ident<'_>> {
    [
        p.citizen_id.as_deref().map(Ident::CitizenId),
        p.code.as_deref().map(Ident::Code),
        p.birth_date
            .as_deref()
            .map(|b| Ident::NameAndBirth(&p.name, b)),
        (!p.account.is_empty()).then_some(Ident::Account(&p.bank_bin, &p.account)),
    ]
    .into_iter()
    .flatten()
}

/// Whether `a` and `b` are the same person, and by what.
fn same(a: &Person, b: &Person) -> Option<&'static str> {
    if let (Some(x), Some(y)) = (&a.citizen_id, &b.citizen_id) {
        return (x == y).then_some("the same citizen ID");
    }
    if let (Some(x), Some(y)) = (&a.code, &b.code) {
        return (x == y).then_some("the same beneficiary code");
    }
    if a.birth_date.is_some() && a.birth_date == b.birth_date && a.name == b.name {
        return Some("the same name and birth date");
    }
    (!a.account.is_empty() && a.bank_bin == b.bank_bin && a.account == b.account)
        .then_some("the same bank account")
}

/// Marks every candidate the ledger says was already paid, or may not be
/// paid again as written; returns the keys rows take from the ledger.
pub fn check(
    candidates: &mut [Candidate],
    paid: &PaidIndex,
    period: &str,
    reference: &Reference,
) -> Adopted {
    let mut adopted = Adopted::new();
    if paid.people.is_empty() {
        return adopted;
    }
    let mut by_ident: HashMap<(&str, Ident<'_>), Vec<usize>> = HashMap::new();
    for (i, p) in paid.people.iter().enumerate() {
        for ident in idents(p) {
            by_ident
                .entry((p.payment_type.as_str(), ident))
                .or_default()
                .push(i);
        }
    }
    for c in candidates.iter_mut() {
        let own = c.beneficiary_key();
        let payment_type = c.payment_type.to_string();
        let key = (payment_type.clone(), own.clone());
        if let Some(prior) = paid.live.get(&key) {
            let message = format!(
                "already paid for {period} in batch `{}` (payment `{}`, {})",
                prior.batch_id, prior.end_to_end_id, prior.status
            );
            c.diagnostics
                .push(Diagnostic::new(Code::AlreadyPaid, None, message));
            continue;
        }
        // Who else the ledger knows this row by.
        let mut identifiers = String::new();
        c.identifiers_into(&own, &mut identifiers);
        let bin = c
            .bank
            .map(|b| reference.banks.get(b).bin.clone())
            .unwrap_or_default();
        let me = Person::of(
            &payment_type,
            &own,
            &c.name,
            &identifiers,
            &bin,
            c.account.as_deref().unwrap_or_default(),
        );
        let mut found: BTreeSet<(&str, &'static str)> = BTreeSet::new();
        for ident in idents(&me) {
            for &i in by_ident
                .get(&(payment_type.as_str(), ident))
                .into_iter()
                .flatten()
            {
                let p = &paid.people[i];
                if p.beneficiary_key != own
                    && let Some(how) = same(&me, p)
                {
                    found.insert((p.beneficiary_key.as_str(), how));
                }
            }
        }
        let keys: BTreeSet<&str> = found.iter().map(|(k, _)| *k).collect();
        let live: Vec<_> = found
            .iter()
            .filter_map(|&(k, how)| {
                paid.live
                    .get(&(payment_type.clone(), k.to_owned()))
                    .map(|p| (p, how))
            })
            .collect();
        if let Some((prior, how)) = live.first() {
            let message = format!(
                "already paid for {period} in batch `{}` (payment `{}`, {}), to the beneficiary with {how}",
                prior.batch_id, prior.end_to_end_id, prior.status
            );
            c.diagnostics
                .push(Diagnostic::new(Code::AlreadyPaid, None, message));
            continue;
        }
        let own_history = paid.next_attempt.contains_key(&key);
        if keys.len() > 1 || (keys.len() == 1 && own_history) {
            let payments: Vec<String> = keys
                .iter()
                .map(|k| (payment_type.clone(), (*k).to_owned()))
                .chain(own_history.then(|| key.clone()))
                .filter_map(|k| paid.failed.get(&k))
                .map(|f| format!("`{}`", f.end_to_end_id))
                .collect();
            let message = format!(
                "this row's identifiers find earlier payments of {period} to different beneficiaries ({}); nothing is paid until the row names one",
                payments.join(", ")
            );
            c.diagnostics
                .push(Diagnostic::new(Code::IdentityConflict, None, message));
            continue;
        }
        let key = match keys.first() {
            Some(&k) => {
                adopted.insert(c.index, k.to_owned());
                (payment_type.clone(), k.to_owned())
            }
            None => key,
        };
        if let Some(failed) = paid.failed.get(&key)
            && let Some(d) = failed_before(c, failed, reference)
        {
            c.diagnostics.push(d);
        }
    }
    adopted
}

/// `FAILED_BEFORE` for a row whose beneficiary's latest payment failed, if
/// paying it as written would fail the same way.
fn failed_before(
    c: &Candidate,
    failed: &FailedPayment,
    reference: &Reference,
) -> Option<Diagnostic> {
    let reason = reference.reasons.get(&failed.reason_code);
    let what = reason.map_or(failed.reason_code.clone(), |r| {
        format!("{}: {}", r.code, r.en.to_lowercase())
    });
    let same_account = c.bank.map(|b| reference.banks.get(b).bin.as_str())
        == Some(failed.bank_bin.as_str())
        && c.account.as_deref() == Some(failed.account.as_str());
    let refuse = match reference.reasons.reissue(&failed.reason_code) {
        Reissue::No => "it may not be paid again",
        Reissue::NewAccount if same_account => {
            "this row names the same account; give the corrected one"
        }
        _ => return None,
    };
    let message = format!(
        "this month's payment `{}` was {} ({what}); {refuse}",
        failed.end_to_end_id, failed.status
    );
    Some(Diagnostic::new(Code::FailedBefore, None, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold_key;

    fn person(key: &str, identifiers: &str, name: &str, account: &str) -> Person {
        Person::of("monthly", key, name, identifiers, "970405", account)
    }

    #[test]
    fn the_strongest_identifier_both_sides_have_decides() {
        let by_id = person(
            "cid:019187242840",
            "code:pl1;birth:1987-01-07",
            "Lê Văn A",
            "1",
        );
        // The same ID decides, whatever else differs.
        let same_id = person("cid:019187242840", "", "Le Van B", "2");
        assert_eq!(same(&same_id, &by_id), Some("the same citizen ID"));
        // Two IDs that differ are two people, even on one account (a
        // guardian's).
        let other_id = person("cid:019187242841", "code:pl1", "Lê Văn A", "1");
        assert_eq!(same(&other_id, &by_id), None);
        // No ID on one side: the code decides.
        let by_code = person("code:pl1", "", "Someone", "9");
        assert_eq!(same(&by_code, &by_id), Some("the same beneficiary code"));
        let other_code = person("code:pl2", "birth:1987-01-07", "Lê Văn A", "1");
        assert_eq!(same(&other_code, &by_id), None);
        // Neither: name and birth date, or the account.
        let by_name = person("name:le van a|1987-01-07|970405|3", "", "Lê  Văn A", "3");
        assert_eq!(same(&by_name, &by_id), Some("the same name and birth date"));
        let same_account = person("name:le van c||970405|1", "", "Lê Văn C", "1");
        assert_eq!(same(&same_account, &by_id), Some("the same bank account"));
        let stranger = person("name:tran thi d||970405|4", "", "Trần Thị D", "4");
        assert_eq!(same(&stranger, &by_id), None);
    }

    #[test]
    fn a_person_reads_back_from_the_key_and_identifiers_recorded() {
        let p = person("name:le van a|1987-01-07|970405|3", "", "Lê Văn A", "3");
        assert_eq!(p.birth_date.as_deref(), Some("1987-01-07"));
        assert_eq!((p.citizen_id, p.code), (None, None));
        let p = person("code:pl 1", "cid:019187242840;birth:1987-01-07", "A", "3");
        assert_eq!(p.code.as_deref(), Some("pl 1"));
        assert_eq!(p.citizen_id.as_deref(), Some("019187242840"));
        assert_eq!(p.name, fold_key("A"));
    }
}
