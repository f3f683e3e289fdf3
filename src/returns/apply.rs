//! Applying an answer to the ledger: every statement is matched to the
//! payments it names and checked (message, payment information block,
//! amount) before anything changes; the status changes of one file are
//! written in one transaction, with a record of the file, so that reading it
//! again changes nothing.
//!
//! Statuses only move forward: `sent` → `pending` → `accepted` → `settled`
//! or `rejected`, and `returned` after any of the paid ones. A late interim
//! status (accepted after settled) is kept out; a contradiction (settled
//! after rejected) is reported, never applied.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use super::parse::{self, Answer, Item, Meaning, Scope, Status};
use crate::ledger::{
    AnswerRecord, BankFileRecord, Ledger, LedgerError, LedgerTx, PaymentFilter, PaymentRecord,
    StatusChange,
};

/// What an answer did to one payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Its status changed.
    Updated,
    /// It already had this status.
    Unchanged,
    /// A later status was already recorded; this one is older news.
    Kept,
    /// The answer contradicts a final status; nothing was changed.
    Conflict,
}

impl Change {
    /// The name written in `outcomes.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Updated => "updated",
            Change::Unchanged => "unchanged",
            Change::Kept => "kept",
            Change::Conflict => "conflict",
        }
    }
}

/// One payment an answer spoke of.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The payment as sent.
    pub payment: PaymentRecord,
    /// Its status before the answer.
    pub before: StatusChange,
    /// Its status after.
    pub after: StatusChange,
    /// What happened.
    pub change: Change,
    /// The status code the bank gave.
    pub reported: String,
    /// Where in the answer.
    pub location: String,
}

/// A statement that could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    /// Where in the answer (or `file`).
    pub location: String,
    /// The end-to-end id it names.
    pub end_to_end_id: String,
    /// The original message id it names.
    pub message_id: String,
    /// The status code it gives.
    pub code: String,
    /// The amount it names, as written.
    pub amount: String,
    /// Why it was not applied.
    pub reason: String,
}

impl Unmatched {
    /// A whole file that cannot be read.
    pub fn file(error: &dyn std::fmt::Display) -> Unmatched {
        Unmatched {
            location: "file".to_owned(),
            end_to_end_id: String::new(),
            message_id: String::new(),
            code: String::new(),
            amount: String::new(),
            reason: format!("the file cannot be read: {error}"),
        }
    }
}

/// What reading one file did.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    /// The file's name.
    pub file: String,
    /// Its sha256.
    pub sha256: String,
    /// The answer, when the file could be read.
    pub answer: Option<(parse::Kind, String)>,
    /// When the same file was read before, if it was (nothing changed now).
    pub read_before: Option<String>,
    /// The payments it spoke of, in file order.
    pub outcomes: Vec<Outcome>,
    /// What could not be applied.
    pub unmatched: Vec<Unmatched>,
}

impl FileOutcome {
    /// Payments whose status changed.
    pub fn updated(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| o.change == Change::Updated)
            .count()
    }
}

/// Reads one answer into the ledger. A file that is not a usable answer is
/// one unmatched line and changes nothing; only a ledger failure is an error.
pub fn read_answer(
    ledger: &mut Ledger,
    file_name: &str,
    bytes: &[u8],
) -> Result<FileOutcome, LedgerError> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let mut outcome = FileOutcome {
        file: file_name.to_owned(),
        sha256: sha256.clone(),
        answer: None,
        read_before: None,
        outcomes: Vec::new(),
        unmatched: Vec::new(),
    };
    let answer = match parse::parse(bytes) {
        Ok(answer) => answer,
        Err(e) => {
            outcome.unmatched.push(Unmatched::file(&e));
            return Ok(outcome);
        }
    };
    outcome.answer = Some((answer.kind, answer.message_id.clone()));
    let mut tx = ledger.begin()?;
    outcome.read_before = tx.answer(&sha256)?.map(|a| a.received_at);
    let mut matcher = Matcher::new(&tx);
    matcher.run(&answer)?;
    let Matcher {
        outcomes,
        unmatched,
        ..
    } = matcher;
    outcome.outcomes = outcomes;
    outcome.unmatched = unmatched;
    if outcome.read_before.is_none() {
        let changes: Vec<_> = outcome
            .outcomes
            .iter()
            .filter(|o| o.change == Change::Updated)
            .map(|o| (&o.payment, &o.after))
            .collect();
        tx.set_statuses(&changes)?;
        tx.record_answer(&AnswerRecord {
            sha256,
            file_name: file_name.to_owned(),
            kind: answer.kind.message().to_owned(),
            message_id: answer.message_id.clone(),
            received_at: crate::clock::now()
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
            updated: outcome.updated() as i64,
            unmatched: outcome.unmatched.len() as i64,
        })?;
        tx.commit()?;
    }
    Ok(outcome)
}

/// Where a status change leads from the current status.
pub fn transition(current: &str, new: Status) -> Change {
    let rank = |s: &str| match s {
        "sent" => 0,
        "pending" => 1,
        "accepted" => 2,
        "settled" | "rejected" => 3,
        _ => 4,
    };
    if current == new.as_str() {
        return Change::Unchanged;
    }
    match (current, new) {
        ("returned", _) => Change::Kept,
        ("rejected", Status::Settled | Status::Returned) => Change::Conflict,
        ("settled", Status::Rejected) => Change::Conflict,
        _ if rank(new.as_str()) > rank(current) => Change::Updated,
        _ => Change::Kept,
    }
}

/// Matching state for one answer.
struct Matcher<'t, 'c> {
    tx: &'t LedgerTx<'c>,
    files: HashMap<String, Option<BankFileRecord>>,
    index: HashMap<String, usize>,
    outcomes: Vec<Outcome>,
    unmatched: Vec<Unmatched>,
    named: HashSet<String>,
}

impl<'t, 'c> Matcher<'t, 'c> {
    fn new(tx: &'t LedgerTx<'c>) -> Self {
        Matcher {
            tx,
            files: HashMap::new(),
            index: HashMap::new(),
            outcomes: Vec::new(),
            unmatched: Vec::new(),
            named: HashSet::new(),
        }
    }

    /// Statements about single payments first, then about payment blocks,
    /// then about whole messages: the narrower statement wins.
    fn run(&mut self, answer: &Answer) -> Result<(), LedgerError> {
        for scope in [Scope::Transaction, Scope::PaymentInfo, Scope::Message] {
            for item in answer.items.iter().filter(|i| i.scope == Some(scope)) {
                match scope {
                    Scope::Transaction => self.transaction(item)?,
                    Scope::PaymentInfo | Scope::Message => self.block(item, scope)?,
                }
            }
        }
        Ok(())
    }

    fn unmatched(&mut self, item: &Item, reason: String) {
        self.unmatched.push(Unmatched {
            location: item.location.clone(),
            end_to_end_id: item.end_to_end_id.clone().unwrap_or_default(),
            message_id: item.message_id.clone().unwrap_or_default(),
            code: item.code.clone(),
            amount: item
                .amount
                .as_ref()
                .map(|a| format!("{} {}", a.text, a.currency))
                .unwrap_or_default(),
            reason,
        });
    }

    fn bank_file(&mut self, message_id: &str) -> Result<Option<BankFileRecord>, LedgerError> {
        if let Some(found) = self.files.get(message_id) {
            return Ok(found.clone());
        }
        let found = self.tx.bank_file(message_id)?;
        self.files.insert(message_id.to_owned(), found.clone());
        Ok(found)
    }

    /// The status an item gives; `None` when it gives none to record
    /// (listed as unmatched when that is a problem).
    fn status(&mut self, item: &Item) -> Option<Status> {
        let reason = match (&item.problem, item.meaning) {
            (Some(problem), _) => problem.clone(),
            (None, Some(Meaning::Status(s))) => return Some(s),
            (None, Some(Meaning::Informative) | None) => return None,
            (None, Some(Meaning::Unknown)) => {
                format!("status code `{}` is not one disburse knows", item.code)
            }
        };
        self.unmatched(item, reason);
        None
    }

    fn transaction(&mut self, item: &Item) -> Result<(), LedgerError> {
        let Some(status) = self.status(item) else {
            return Ok(());
        };
        let Some(e2e) = item.end_to_end_id.as_deref().filter(|e| !e.is_empty()) else {
            self.unmatched(item, "no end-to-end id to match".to_owned());
            return Ok(());
        };
        let Some((payment, current)) = self.tx.payment(e2e)? else {
            let reason = match item.message_id.as_deref() {
                Some(m) if self.bank_file(m)?.is_none() => format!(
                    "message `{m}` was not sent from this ledger (another office's report?)"
                ),
                _ => format!("end-to-end id `{e2e}` is not in the ledger"),
            };
            self.unmatched(item, reason);
            return Ok(());
        };
        if let Some(m) = item.message_id.as_deref()
            && m != payment.message_id
        {
            self.unmatched(
                item,
                format!(
                    "end-to-end id `{e2e}` was sent in message `{}`, not `{m}`",
                    payment.message_id
                ),
            );
            return Ok(());
        }
        let block = crate::ids::payment_info_id(&payment.message_id);
        if let Some(p) = item.payment_info_id.as_deref()
            && p != block
        {
            self.unmatched(
                item,
                format!("end-to-end id `{e2e}` was sent in payment block `{block}`, not `{p}`"),
            );
            return Ok(());
        }
        if let Some(amount) = &item.amount
            && amount.vnd() != Some(payment.amount_vnd)
        {
            self.unmatched(
                item,
                format!(
                    "the bank names {} {} but {} VND was sent; check with the bank",
                    amount.text, amount.currency, payment.amount_vnd
                ),
            );
            return Ok(());
        }
        self.named.insert(e2e.to_owned());
        self.apply(payment, current, status, item);
        Ok(())
    }

    /// A statement about every payment of a message or payment block that
    /// the answer did not name one by one.
    fn block(&mut self, item: &Item, scope: Scope) -> Result<(), LedgerError> {
        let message_id = match scope {
            Scope::PaymentInfo => item
                .payment_info_id
                .as_deref()
                .and_then(|p| p.strip_suffix("-1"))
                .or(item.message_id.as_deref()),
            _ => item.message_id.as_deref(),
        };
        let Some(message_id) = message_id.map(str::to_owned) else {
            self.unmatched(item, "no original message id to match".to_owned());
            return Ok(());
        };
        let Some(file) = self.bank_file(&message_id)? else {
            self.unmatched(
                item,
                format!(
                    "message `{message_id}` was not sent from this ledger (another office's report?)"
                ),
            );
            return Ok(());
        };
        if scope == Scope::PaymentInfo
            && let Some(p) = item.payment_info_id.as_deref()
            && p != crate::ids::payment_info_id(&file.message_id)
        {
            self.unmatched(item, format!("payment block `{p}` is not in the ledger"));
            return Ok(());
        }
        if scope == Scope::Message {
            let count_differs = item
                .count
                .as_deref()
                .is_some_and(|c| c.parse::<i64>().ok() != Some(file.transactions));
            let sum_differs = item
                .amount
                .as_ref()
                .is_some_and(|a| a.vnd() != Some(file.total_vnd));
            if count_differs || sum_differs {
                self.unmatched(
                    item,
                    format!(
                        "the report's totals ({} payments, {} VND) differ from the file sent ({} payments, {} VND); its message-level status was not applied",
                        item.count.as_deref().unwrap_or("?"),
                        item.amount.as_ref().map_or("?", |a| a.text.as_str()),
                        file.transactions,
                        file.total_vnd
                    ),
                );
                return Ok(());
            }
        }
        let Some(status) = self.status(item) else {
            return Ok(());
        };
        for (payment, current) in self.tx.payments(PaymentFilter::Message(&message_id))? {
            if self.named.contains(&payment.end_to_end_id) {
                continue;
            }
            self.apply(payment, current, status, item);
        }
        // A payment block's statement covers its payments against a later
        // message-level one.
        if scope == Scope::PaymentInfo {
            for o in &self.outcomes {
                if o.payment.message_id == message_id {
                    self.named.insert(o.payment.end_to_end_id.clone());
                }
            }
        }
        Ok(())
    }

    /// Records what a statement does to a payment; several statements about
    /// one payment in one file are taken in order.
    fn apply(
        &mut self,
        payment: PaymentRecord,
        current: StatusChange,
        status: Status,
        item: &Item,
    ) {
        let index = match self.index.get(&payment.end_to_end_id) {
            Some(&i) => i,
            None => {
                self.index
                    .insert(payment.end_to_end_id.clone(), self.outcomes.len());
                self.outcomes.push(Outcome {
                    after: current.clone(),
                    before: current,
                    payment,
                    change: Change::Unchanged,
                    reported: String::new(),
                    location: String::new(),
                });
                self.outcomes.len() - 1
            }
        };
        let outcome = &mut self.outcomes[index];
        let change = transition(&outcome.after.status, status);
        outcome.reported = item.code.clone();
        outcome.location = item.location.clone();
        match change {
            Change::Updated => {
                outcome.after = StatusChange {
                    end_to_end_id: outcome.payment.end_to_end_id.clone(),
                    status: status.as_str().to_owned(),
                    reason_code: item.reason_code.clone(),
                    reason_text: item.reason_text.clone(),
                };
            }
            Change::Conflict => {
                let reason = format!(
                    "the bank now says {} but the ledger has it {}{}; nothing changed, ask the bank",
                    status.as_str(),
                    outcome.after.status,
                    if outcome.after.reason_code.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", outcome.after.reason_code)
                    }
                );
                self.unmatched(item, reason);
            }
            Change::Unchanged | Change::Kept => {}
        }
        let outcome = &mut self.outcomes[index];
        outcome.change = if outcome.after != outcome.before {
            Change::Updated
        } else if change == Change::Conflict || outcome.change == Change::Conflict {
            Change::Conflict
        } else if change == Change::Kept || outcome.change == Change::Kept {
            Change::Kept
        } else {
            Change::Unchanged
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_only_move_forward_and_contradictions_are_refused() {
        assert_eq!(transition("sent", Status::Accepted), Change::Updated);
        assert_eq!(transition("accepted", Status::Settled), Change::Updated);
        assert_eq!(transition("accepted", Status::Returned), Change::Updated);
        assert_eq!(transition("settled", Status::Returned), Change::Updated);
        assert_eq!(transition("sent", Status::Rejected), Change::Updated);
        assert_eq!(transition("settled", Status::Accepted), Change::Kept);
        assert_eq!(transition("rejected", Status::Pending), Change::Kept);
        assert_eq!(transition("returned", Status::Settled), Change::Kept);
        assert_eq!(transition("settled", Status::Rejected), Change::Conflict);
        assert_eq!(transition("rejected", Status::Settled), Change::Conflict);
        assert_eq!(transition("rejected", Status::Returned), Change::Conflict);
        assert_eq!(transition("settled", Status::Settled), Change::Unchanged);
    }
}
