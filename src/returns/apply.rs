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

use super::parse::{self, Amount, Answer, Item, Meaning, Scope};
use crate::ledger::{
    AnswerRecord, BankFileRecord, Ledger, LedgerError, LedgerTx, PaymentFilter, PaymentRecord,
    PaymentStatus, StatusChange,
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
    let started = std::time::Instant::now();
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
    tracing::debug!(elapsed = ?started.elapsed(), items = answer.items.len(), "answer parsed");
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
    tracing::debug!(elapsed = ?started.elapsed(), "answer matched");
    if outcome.read_before.is_some() {
        // Nothing changes now; the reports say what the answer changed when
        // it was read (a crash may have kept them from being written then).
        let changes = tx.answer_changes(&sha256)?;
        restate(&mut outcome, changes);
    } else {
        let changes: Vec<_> = outcome
            .outcomes
            .iter()
            .filter(|o| o.change == Change::Updated)
            .map(|o| (&o.payment, &o.after))
            .collect();
        tx.set_statuses(&changes)?;
        tracing::debug!(elapsed = ?started.elapsed(), "statuses recorded");
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
        crate::failpoint::hit("answer-matched");
        tx.commit()?;
        tracing::debug!(elapsed = ?started.elapsed(), "answer committed");
        crate::failpoint::hit("answer-committed");
    }
    Ok(outcome)
}

/// The outcomes of an answer read again, as it changed them when it was
/// first read: `changes` are the journal's before and after of each
/// payment it updated then. Without them (a journal that cannot tell),
/// every outcome says that nothing changed, and one line says why.
fn restate(outcome: &mut FileOutcome, changes: Option<Vec<(StatusChange, StatusChange)>>) {
    let Some(changes) = changes else {
        outcome.unmatched.push(Unmatched {
            location: "file".to_owned(),
            end_to_end_id: String::new(),
            message_id: String::new(),
            code: String::new(),
            amount: String::new(),
            reason: "this answer was read before, and the ledger's journal no longer tells what it changed then; the statuses shown are today's".to_owned(),
        });
        for o in &mut outcome.outcomes {
            o.after = o.before.clone();
            if o.change == Change::Updated {
                o.change = Change::Unchanged;
            }
        }
        return;
    };
    let then: HashMap<&str, &(StatusChange, StatusChange)> = changes
        .iter()
        .map(|c| (c.1.end_to_end_id.as_str(), c))
        .collect();
    for o in &mut outcome.outcomes {
        match then.get(o.payment.end_to_end_id.as_str()) {
            Some((before, after)) => {
                o.before = before.clone();
                o.after = after.clone();
                o.change = Change::Updated;
            }
            None => {
                o.after = o.before.clone();
                if o.change == Change::Updated {
                    o.change = Change::Unchanged;
                }
            }
        }
    }
}

/// Where a status change leads from the current status.
pub fn transition(current: PaymentStatus, new: PaymentStatus) -> Change {
    use PaymentStatus::{Rejected, Returned, Settled};
    if current == new {
        return Change::Unchanged;
    }
    match (current, new) {
        (Returned, _) => Change::Kept,
        (Rejected, Settled | Returned) | (Settled, Rejected) => Change::Conflict,
        _ if new.rank() > current.rank() => Change::Updated,
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
    /// Payments of the bank files this answer names many transactions of,
    /// read in one pass rather than one lookup each.
    prefetched: HashMap<String, (PaymentRecord, StatusChange)>,
    /// Bank files to read whole at their first named transaction, and
    /// whether they were.
    to_prefetch: HashMap<String, bool>,
    /// Whether each batch named so far was released for the banks.
    released: HashMap<String, bool>,
}

/// Transactions of one bank file an answer must name for the file's
/// payments to be read in one pass.
const PREFETCH_FROM: usize = 1024;

impl<'t, 'c> Matcher<'t, 'c> {
    fn new(tx: &'t LedgerTx<'c>) -> Self {
        Matcher {
            tx,
            files: HashMap::new(),
            index: HashMap::new(),
            outcomes: Vec::new(),
            unmatched: Vec::new(),
            named: HashSet::new(),
            prefetched: HashMap::new(),
            to_prefetch: HashMap::new(),
            released: HashMap::new(),
        }
    }

    /// Whether the batch is released, else lists the item: an answer about
    /// a payment whose files were never handed over is not believed.
    fn released(&mut self, item: &Item, batch_id: &str) -> Result<bool, LedgerError> {
        let released = match self.released.get(batch_id) {
            Some(&r) => r,
            None => {
                let r = self.tx.released(batch_id)?.unwrap_or(false);
                self.released.insert(batch_id.to_owned(), r);
                r
            }
        };
        if !released {
            self.unmatched(
                item,
                format!(
                    "batch `{batch_id}` has not been released: its files were never handed over for the banks (it awaits approval); nothing changed"
                ),
            );
        }
        Ok(released)
    }

    /// The payment with this end-to-end id and its recorded status.
    fn payment(
        &mut self,
        e2e: &str,
        message_id: Option<&str>,
    ) -> Result<Option<(PaymentRecord, StatusChange)>, LedgerError> {
        if let Some(m) = message_id
            && let Some(done) = self.to_prefetch.get_mut(m)
            && !*done
        {
            *done = true;
            for (p, s) in self.tx.payments_in_table_order(PaymentFilter::Message(m))? {
                self.prefetched.insert(p.end_to_end_id.clone(), (p, s));
            }
        }
        // Taken, not copied: a payment the answer names again is looked up.
        match self.prefetched.remove(e2e) {
            Some(found) => Ok(Some(found)),
            None => self.tx.payment(e2e),
        }
    }

    /// Statements about single payments first, then about booked
    /// batches, payment blocks and whole messages: the narrower statement
    /// wins.
    fn run(&mut self, answer: &Answer) -> Result<(), LedgerError> {
        let mut named: HashMap<&str, usize> = HashMap::new();
        for item in answer
            .items
            .iter()
            .filter(|i| i.scope == Some(Scope::Transaction))
        {
            if let Some(m) = item.message_id.as_deref() {
                *named.entry(m).or_default() += 1;
            }
        }
        self.to_prefetch = named
            .into_iter()
            .filter(|&(_, n)| n >= PREFETCH_FROM)
            .map(|(m, _)| (m.to_owned(), false))
            .collect();
        for scope in [
            Scope::Transaction,
            Scope::Batch,
            Scope::PaymentInfo,
            Scope::Message,
        ] {
            for item in answer.items.iter().filter(|i| i.scope == Some(scope)) {
                match scope {
                    Scope::Transaction => self.transaction(item)?,
                    Scope::Batch => self.batch(item)?,
                    Scope::PaymentInfo => self.payment_block(item)?,
                    Scope::Message => self.message(item)?,
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
                .map(ToString::to_string)
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

    /// The bank file a message id names, or `None` after listing the item.
    fn sent_file(
        &mut self,
        item: &Item,
        message_id: &str,
    ) -> Result<Option<BankFileRecord>, LedgerError> {
        let found = self.bank_file(message_id)?;
        if found.is_none() {
            self.unmatched(
                item,
                format!(
                    "message `{message_id}` was not sent from this ledger (another office's report?)"
                ),
            );
        }
        Ok(found)
    }

    /// The bank file whose payment block this is, or `None` after listing
    /// the item: the block must be one this ledger sent, and belong to the
    /// message the item names, if it names one.
    fn block_file(
        &mut self,
        item: &Item,
        block: &str,
    ) -> Result<Option<BankFileRecord>, LedgerError> {
        let file = match crate::ids::message_of_payment_info(block) {
            Some(message_id) => self.bank_file(message_id)?,
            None => None,
        };
        let Some(file) = file else {
            self.unmatched(
                item,
                format!("payment block `{block}` was not sent from this ledger"),
            );
            return Ok(None);
        };
        if let Some(m) = item.message_id.as_deref()
            && m != file.message_id
        {
            self.unmatched(
                item,
                format!(
                    "payment block `{block}` belongs to message `{}`, not to `{m}` that the answer names; nothing changed",
                    file.message_id
                ),
            );
            return Ok(None);
        }
        Ok(Some(file))
    }

    /// The status an item gives; `None` when it gives none to record
    /// (listed as unmatched when that is a problem).
    fn status(&mut self, item: &Item) -> Option<PaymentStatus> {
        let reason = match (&item.problem, item.meaning) {
            (Some(problem), _) => problem.clone(),
            (None, Some(Meaning::Status(s))) => return Some(s),
            (None, Some(Meaning::Informative)) => return None,
            (None, None) if item.scope != Some(Scope::Transaction) => return None,
            (None, None) => "the report names this payment but gives it no status (no `TxSts`, and its block's and group's statuses say nothing per payment)".to_owned(),
            (None, Some(Meaning::Unknown)) => {
                format!("status code `{}` is not one disburse knows", item.code)
            }
        };
        self.unmatched(item, reason);
        None
    }

    /// The status a payment has now, counting what this answer already did.
    fn current(&self, payment: &PaymentRecord, recorded: &StatusChange) -> PaymentStatus {
        self.index
            .get(&payment.end_to_end_id)
            .map_or(recorded.status, |&i| self.outcomes[i].after.status)
    }

    fn transaction(&mut self, item: &Item) -> Result<(), LedgerError> {
        let Some(status) = self.status(item) else {
            return Ok(());
        };
        let Some(e2e) = item.end_to_end_id.as_deref().filter(|e| !e.is_empty()) else {
            self.unmatched(item, "no end-to-end id to match".to_owned());
            return Ok(());
        };
        let Some((payment, current)) = self.payment(e2e, item.message_id.as_deref())? else {
            // An unknown message is listed as such by `sent_file`.
            if let Some(m) = item.message_id.as_deref()
                && self.sent_file(item, m)?.is_none()
            {
                return Ok(());
            }
            self.unmatched(item, format!("end-to-end id `{e2e}` is not in the ledger"));
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
                    "the bank names {amount} but {} VND was sent; check with the bank",
                    payment.amount_vnd
                ),
            );
            return Ok(());
        }
        if !self.released(item, &payment.batch_id)? {
            return Ok(());
        }
        self.named.insert(e2e.to_owned());
        self.apply(payment, current, status, item);
        Ok(())
    }

    /// A payment-block status (`PmtInfSts`): the block must be one this
    /// ledger sent, in the message the report is about.
    fn payment_block(&mut self, item: &Item) -> Result<(), LedgerError> {
        let Some(block) = item.payment_info_id.as_deref() else {
            self.unmatched(
                item,
                "no original payment information id to match".to_owned(),
            );
            return Ok(());
        };
        let Some(file) = self.block_file(item, block)? else {
            return Ok(());
        };
        self.covering(item, &file, "payment-block")?;
        // The block's statement covers its payments against a later
        // message-level one.
        for o in &self.outcomes {
            if o.payment.message_id == file.message_id {
                self.named.insert(o.payment.end_to_end_id.clone());
            }
        }
        Ok(())
    }

    /// A message-level status (`GrpSts`).
    fn message(&mut self, item: &Item) -> Result<(), LedgerError> {
        let Some(message_id) = item.message_id.as_deref() else {
            self.unmatched(item, "no original message id to match".to_owned());
            return Ok(());
        };
        let Some(file) = self.sent_file(item, message_id)? else {
            return Ok(());
        };
        self.covering(item, &file, "message-level")
    }

    /// A block or message status applies to the payments of `file` the
    /// report did not name one by one, but only when its original count
    /// and control sum are those of the file sent: a status that counts
    /// only what it lists (or counts nothing) changes nothing else.
    fn covering(
        &mut self,
        item: &Item,
        file: &BankFileRecord,
        level: &str,
    ) -> Result<(), LedgerError> {
        let Some(status) = self.status(item) else {
            return Ok(());
        };
        if !self.released(item, &file.batch_id)? {
            return Ok(());
        }
        let unnamed: Vec<_> = self
            .tx
            .payments(PaymentFilter::Message(&file.message_id))?
            .into_iter()
            .filter(|(p, _)| !self.named.contains(&p.end_to_end_id))
            .collect();
        if unnamed.is_empty() {
            return Ok(());
        }
        let count = item.count.as_deref().and_then(|c| c.parse::<i64>().ok());
        let sum = item.amount.as_ref().and_then(Amount::vnd);
        if count != Some(file.transactions) || sum != Some(file.total_vnd) {
            let said = match (&item.count, &item.amount) {
                (Some(c), Some(a)) => format!("covers {c} payments, {a} in total"),
                _ => "gives no original number of transactions and control sum".to_owned(),
            };
            self.unmatched(
                item,
                format!(
                    "the {level} status `{}` {said}, but the file sent has {} payments, {} VND: it was applied only to the payments the report names; the other {} stay as they are, ask the bank",
                    item.code,
                    file.transactions,
                    file.total_vnd,
                    unnamed.len()
                ),
            );
            return Ok(());
        }
        for (payment, current) in unnamed {
            self.apply(payment, current, status, item);
        }
        Ok(())
    }

    /// A payment block booked as one camt entry: it settles the block's
    /// payments when its references, count and total are those of the
    /// file sent, or of the file's payments the bank did not reject.
    fn batch(&mut self, item: &Item) -> Result<(), LedgerError> {
        let Some(status) = self.status(item) else {
            return Ok(());
        };
        let file = match (item.message_id.as_deref(), item.payment_info_id.as_deref()) {
            (_, Some(block)) => self.block_file(item, block)?,
            (Some(m), None) => self.sent_file(item, m)?,
            (None, None) => {
                self.unmatched(
                    item,
                    "the batch entry names no message or payment block; nothing changed, ask the bank for the details".to_owned(),
                );
                None
            }
        };
        let Some(file) = file else {
            return Ok(());
        };
        if !self.released(item, &file.batch_id)? {
            return Ok(());
        }
        let count = item.count.as_deref().and_then(|c| c.parse::<i64>().ok());
        let total = item.amount.as_ref().and_then(Amount::vnd);
        let (Some(count), Some(total)) = (count, total) else {
            self.unmatched(
                item,
                "the batch entry gives no number of transactions or no total in VND, so what it books cannot be checked; nothing changed".to_owned(),
            );
            return Ok(());
        };
        let (open, rejected): (Vec<_>, Vec<_>) = self
            .tx
            .payments(PaymentFilter::Message(&file.message_id))?
            .into_iter()
            .partition(|(p, s)| self.current(p, s) != PaymentStatus::Rejected);
        let open_vnd: i64 = open.iter().map(|(p, _)| p.amount_vnd).sum();
        if (count, total) != (open.len() as i64, open_vnd) {
            let reason = if (count, total) == (file.transactions, file.total_vnd) {
                format!(
                    "the batch entry books the whole file sent ({count} payments, {total} VND), but {} of its payments were rejected: ambiguous; nothing changed, ask the bank",
                    rejected.len()
                )
            } else {
                format!(
                    "the batch entry books {count} payments, {total} VND, but the file sent has {} payments, {} VND ({} not rejected, {open_vnd} VND): a partial booking; nothing changed, ask the bank",
                    file.transactions,
                    file.total_vnd,
                    open.len(),
                )
            };
            self.unmatched(item, reason);
            return Ok(());
        }
        for (payment, current) in open {
            self.apply(payment, current, status, item);
        }
        Ok(())
    }

    /// Records what a statement does to a payment; several statements about
    /// one payment in one file are taken in order.
    fn apply(
        &mut self,
        payment: PaymentRecord,
        current: StatusChange,
        status: PaymentStatus,
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
        let change = transition(outcome.after.status, status);
        outcome.reported = item.code.clone();
        outcome.location = item.location.clone();
        match change {
            Change::Updated => {
                outcome.after = StatusChange {
                    end_to_end_id: outcome.payment.end_to_end_id.clone(),
                    status,
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
        assert_eq!(
            transition(PaymentStatus::Sent, PaymentStatus::Accepted),
            Change::Updated
        );
        assert_eq!(
            transition(PaymentStatus::Accepted, PaymentStatus::Settled),
            Change::Updated
        );
        assert_eq!(
            transition(PaymentStatus::Accepted, PaymentStatus::Returned),
            Change::Updated
        );
        assert_eq!(
            transition(PaymentStatus::Settled, PaymentStatus::Returned),
            Change::Updated
        );
        assert_eq!(
            transition(PaymentStatus::Sent, PaymentStatus::Rejected),
            Change::Updated
        );
        assert_eq!(
            transition(PaymentStatus::Settled, PaymentStatus::Accepted),
            Change::Kept
        );
        assert_eq!(
            transition(PaymentStatus::Rejected, PaymentStatus::Pending),
            Change::Kept
        );
        assert_eq!(
            transition(PaymentStatus::Returned, PaymentStatus::Settled),
            Change::Kept
        );
        assert_eq!(
            transition(PaymentStatus::Settled, PaymentStatus::Rejected),
            Change::Conflict
        );
        assert_eq!(
            transition(PaymentStatus::Rejected, PaymentStatus::Settled),
            Change::Conflict
        );
        assert_eq!(
            transition(PaymentStatus::Rejected, PaymentStatus::Returned),
            Change::Conflict
        );
        assert_eq!(
            transition(PaymentStatus::Settled, PaymentStatus::Settled),
            Change::Unchanged
        );
    }
}
