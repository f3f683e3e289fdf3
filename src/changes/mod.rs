//! Month-over-month control: this month's beneficiaries against the most
//! recent earlier period the ledger recorded for the office. Money paid
//! wrongly is rarely recovered, and the cases that cost most show up here:
//! someone new, someone who stopped, an account or amount that changed.
//!
//! Both months are dataframes keyed by beneficiary; a full join pairs them
//! and column comparisons find what changed. Only the monthly allowance is
//! compared: separate payments (arrears, funeral support) are one-offs.

mod frame;
pub mod listing;

use std::collections::BTreeMap;
use std::sync::Arc;

use compact_str::CompactString;

use serde::Serialize;

use crate::ledger::PaymentStatus;
use crate::period::Period;
use crate::reference::{Categories, Reference};
use crate::validate::coefficient_mismatch::Birth;

/// What changed for a beneficiary since the earlier period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// Paid now (the row is not rejected), not paid in the earlier period.
    New,
    /// Paid in the earlier period, absent now.
    Stopped,
    /// Another bank or account.
    AccountChanged,
    /// Another amount.
    AmountChanged,
    /// Another name.
    NameChanged,
    /// Another commune.
    CommuneChanged,
    /// Another category.
    CategoryChanged,
    /// Another coefficient.
    CoefficientChanged,
    /// A birthday moved them to another coefficient of their category.
    AgeBandChanged,
}

impl Change {
    /// Every change, in the order listings show them.
    pub const ALL: [Change; 9] = [
        Change::New,
        Change::Stopped,
        Change::AccountChanged,
        Change::AmountChanged,
        Change::NameChanged,
        Change::CommuneChanged,
        Change::CategoryChanged,
        Change::CoefficientChanged,
        Change::AgeBandChanged,
    ];

    /// The change as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "NEW",
            Change::Stopped => "STOPPED",
            Change::AccountChanged => "ACCOUNT_CHANGED",
            Change::AmountChanged => "AMOUNT_CHANGED",
            Change::NameChanged => "NAME_CHANGED",
            Change::CommuneChanged => "COMMUNE_CHANGED",
            Change::CategoryChanged => "CATEGORY_CHANGED",
            Change::CoefficientChanged => "COEFFICIENT_CHANGED",
            Change::AgeBandChanged => "AGE_BAND_CHANGED",
        }
    }

    /// The change in a few words: Vietnamese, English.
    pub fn title(self) -> (&'static str, &'static str) {
        match self {
            Change::New => ("Người hưởng mới", "New beneficiaries"),
            Change::Stopped => (
                "Thôi hưởng (tháng trước có, tháng này không)",
                "Stopped (paid last period, absent now)",
            ),
            Change::AccountChanged => ("Đổi tài khoản", "Account changed"),
            Change::AmountChanged => ("Đổi số tiền", "Amount changed"),
            Change::NameChanged => ("Đổi họ tên", "Name changed"),
            Change::CommuneChanged => ("Đổi xã/phường", "Commune changed"),
            Change::CategoryChanged => ("Đổi đối tượng", "Category changed"),
            Change::CoefficientChanged => ("Đổi hệ số", "Coefficient changed"),
            Change::AgeBandChanged => ("Sang mức tuổi khác", "Moved to another age band"),
        }
    }
}

impl Serialize for Change {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One beneficiary of a period, as compared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// The beneficiary key the ledger records.
    pub key: CompactString,
    /// Spreadsheet row in its list.
    pub row: u32,
    /// Name as written.
    pub name: CompactString,
    /// Receiving bank's BIN.
    pub bank_bin: CompactString,
    /// Account number.
    pub account: CompactString,
    /// Amount in đồng.
    pub amount: i64,
    /// Commune, when known (shared by the entries that write it alike).
    pub commune: Option<Arc<str>>,
    /// Category as written, when known (shared likewise).
    pub category: Option<Arc<str>>,
    /// Coefficient in thousandths, when known.
    pub coefficient: Option<u32>,
    /// When the beneficiary was born, as far as the row tells.
    pub birth: Option<Birth>,
    /// The payment's status (recorded periods only).
    pub status: Option<PaymentStatus>,
    /// The list's row index (this month's list only).
    pub candidate: Option<u32>,
    /// The row is rejected this month (this month's list only): not paid,
    /// so not new, though it still matches the earlier month's payment.
    pub rejected: bool,
}

/// One period's beneficiaries.
#[derive(Debug, Clone)]
pub struct Side {
    /// The period.
    pub period: Period,
    /// One entry a beneficiary.
    pub entries: Vec<Entry>,
}

/// One line of `changes.csv`: a change of one field of one beneficiary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// What changed.
    pub change: Change,
    /// Row in the later list (none for `STOPPED`).
    pub row: Option<u32>,
    /// Row in the earlier list (none for `NEW`).
    pub previous_row: Option<u32>,
    /// The beneficiary key.
    pub beneficiary: String,
    /// Name (the later one, else the earlier).
    pub name: String,
    /// The field compared.
    pub field: &'static str,
    /// Its earlier value.
    pub before: String,
    /// Its later value.
    pub after: String,
    /// The list's row index of the later row (this month's list only).
    #[serde(skip)]
    pub candidate: Option<u32>,
}

/// What a batch's manifest says of its comparison with the earlier period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The earlier period.
    pub from: String,
    /// Beneficiaries of each change (one beneficiary may have several).
    pub counts: BTreeMap<&'static str, usize>,
    /// Amount of the new beneficiaries' payments.
    pub new_vnd: i64,
    /// Amount the stopped beneficiaries were last paid.
    pub stopped_vnd: i64,
    /// Batches of the earlier period whose listing could not be read, so
    /// their commune, category and coefficient were not compared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_compared: Vec<String>,
}

/// A beneficiary paid in the earlier period and absent from the later:
/// their last payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    /// Row in the earlier list.
    pub row: u32,
    /// The beneficiary key.
    pub key: String,
    /// Name.
    pub name: String,
    /// The bank, by name.
    pub bank: String,
    /// The account.
    pub account: String,
    /// The amount.
    pub amount: i64,
    /// Where the payment stands.
    pub status: Option<PaymentStatus>,
}

/// The comparison of two periods.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Changes {
    /// The earlier period.
    pub from: String,
    /// The later period.
    pub to: String,
    /// Beneficiaries of each change (one beneficiary may have several).
    pub counts: BTreeMap<&'static str, usize>,
    /// Amount of the new beneficiaries' payments.
    pub new_vnd: i64,
    /// Amount the stopped beneficiaries were last paid.
    pub stopped_vnd: i64,
    /// The lines, later rows in order, then the stopped in earlier order.
    #[serde(skip)]
    pub lines: Vec<Line>,
    /// The stopped beneficiaries' last payments, in earlier row order.
    #[serde(skip)]
    pub stopped: Vec<Stopped>,
    /// Batches of the earlier period whose listing could not be read, so
    /// their commune, category and coefficient were not compared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_compared: Vec<String>,
}

impl Changes {
    /// What the manifest says of it.
    pub fn summary(&self) -> Summary {
        Summary {
            from: self.from.clone(),
            counts: self.counts.clone(),
            new_vnd: self.new_vnd,
            stopped_vnd: self.stopped_vnd,
            not_compared: self.not_compared.clone(),
        }
    }

    /// Drops the stopped beneficiaries `paid` says are paid in the later
    /// period all the same (by an earlier list of that month).
    pub fn keep_stopped(&mut self, paid: impl Fn(&str) -> bool) {
        let before = self.stopped.len();
        self.stopped.retain(|e| !paid(&e.key));
        if self.stopped.len() == before {
            return;
        }
        self.lines
            .retain(|l| l.change != Change::Stopped || !paid(&l.beneficiary));
        self.stopped_vnd = self.stopped.iter().map(|e| e.amount).sum();
        self.counts
            .insert(Change::Stopped.as_str(), self.stopped.len());
        self.counts.retain(|_, n| *n > 0);
    }

    /// How many beneficiaries have `change`.
    pub fn count(&self, change: Change) -> usize {
        self.counts.get(change.as_str()).copied().unwrap_or(0)
    }
}

/// Compares `later` with `earlier`.
pub fn compare(
    earlier: &Side,
    later: &Side,
    reference: &Reference,
) -> Result<Changes, polars::prelude::PolarsError> {
    let categories = &reference.categories;
    let bank = |bin: &str| reference.bank_name(bin);
    let pairs = frame::pair(&earlier.entries, &later.entries, categories)?;
    let mut changes = Changes {
        from: earlier.period.to_string(),
        to: later.period.to_string(),
        ..Changes::default()
    };
    let mut counted: BTreeMap<&'static str, usize> = BTreeMap::new();
    for pair in &pairs.rows {
        let line = |change: Change, field: &'static str, before: String, after: String| {
            let (e, l) = (
                pair.earlier.map(|i| &earlier.entries[i]),
                pair.later.map(|i| &later.entries[i]),
            );
            let named = l.or(e).expect("a pair has a side");
            Line {
                change,
                row: l.map(|l| l.row),
                previous_row: e.map(|e| e.row),
                beneficiary: named.key.to_string(),
                name: named.name.to_string(),
                field,
                before,
                after,
                candidate: l.and_then(|l| l.candidate),
            }
        };
        let mut found: Vec<Line> = Vec::new();
        match (pair.earlier, pair.later) {
            (None, Some(l)) if later.entries[l].rejected => {}
            (None, Some(l)) => {
                let l = &later.entries[l];
                changes.new_vnd += l.amount;
                found.push(line(
                    Change::New,
                    "amount_vnd",
                    String::new(),
                    l.amount.to_string(),
                ));
            }
            (Some(e), None) => {
                let e = &earlier.entries[e];
                changes.stopped_vnd += e.amount;
                changes.stopped.push(Stopped {
                    row: e.row,
                    key: e.key.to_string(),
                    name: e.name.to_string(),
                    bank: bank(&e.bank_bin),
                    account: e.account.to_string(),
                    amount: e.amount,
                    status: e.status,
                });
                found.push(line(
                    Change::Stopped,
                    "amount_vnd",
                    e.amount.to_string(),
                    String::new(),
                ));
            }
            (Some(ei), Some(li)) => {
                let (e, l) = (&earlier.entries[ei], &later.entries[li]);
                if pair.account {
                    found.push(line(
                        Change::AccountChanged,
                        "account",
                        format!("{} {}", bank(&e.bank_bin), e.account),
                        format!("{} {}", bank(&l.bank_bin), l.account),
                    ));
                }
                if pair.amount {
                    found.push(line(
                        Change::AmountChanged,
                        "amount_vnd",
                        e.amount.to_string(),
                        l.amount.to_string(),
                    ));
                }
                if pair.name {
                    found.push(line(
                        Change::NameChanged,
                        "name",
                        e.name.to_string(),
                        l.name.to_string(),
                    ));
                }
                let text = |v: &Option<Arc<str>>| v.as_deref().unwrap_or("").to_owned();
                if pair.commune {
                    found.push(line(
                        Change::CommuneChanged,
                        "commune",
                        text(&e.commune),
                        text(&l.commune),
                    ));
                }
                if pair.category {
                    found.push(line(
                        Change::CategoryChanged,
                        "category",
                        text(&e.category),
                        text(&l.category),
                    ));
                }
                let coefficient =
                    |c: Option<u32>| c.map(crate::cells::format_coefficient).unwrap_or_default();
                if pair.coefficient {
                    found.push(line(
                        Change::CoefficientChanged,
                        "coefficient",
                        coefficient(e.coefficient),
                        coefficient(l.coefficient),
                    ));
                }
                if !pair.category
                    && let Some((before, after)) =
                        band_change(l, earlier.period, later.period, categories)
                {
                    found.push(line(Change::AgeBandChanged, "age_band", before, after));
                }
            }
            (None, None) => unreachable!("a pair has a side"),
        }
        for l in &found {
            *counted.entry(l.change.as_str()).or_default() += 1;
        }
        changes.lines.extend(found);
    }
    changes
        .lines
        .sort_by_key(|l| (l.row.is_none(), l.row, l.previous_row, l.change));
    changes.stopped.sort_by_key(|e| e.row);
    changes.counts = counted;
    Ok(changes)
}

/// The band a later entry's category pays in each period, when a birthday
/// between them moved the beneficiary from one to another: `2.5 (under 4)`,
/// `1.5 (from 4 to under 16)`.
fn band_change(
    entry: &Entry,
    earlier: Period,
    later: Period,
    categories: &Categories,
) -> Option<(String, String)> {
    let category = categories.get(categories.find(entry.category.as_deref()?)?);
    let birth = entry.birth?;
    // Only a certain age says which band: a birth year alone gives two.
    let band = |p: Period| category.band(birth.exact_age(p)?);
    let (before, after) = (band(earlier)?, band(later)?);
    (before != after).then(|| {
        let show = |b: &crate::reference::Band| {
            format!(
                "{} ({})",
                crate::cells::format_coefficient(b.coefficient),
                b.describe()
            )
        };
        (show(before), show(after))
    })
}

impl Side {
    /// This month's list as compared: the monthly rows that are not
    /// malformed, the first row of each beneficiary (the rest are
    /// `DUPLICATE_BENEFICIARY`), under the key the ledger records them by
    /// (`adopted` holds the keys found under another identifier).
    pub fn of_list(
        candidates: &[crate::validate::Candidate],
        table: &crate::ingest::Table,
        period: Period,
        adopted: &std::collections::HashMap<u32, String>,
        banks: &crate::reference::BankDirectory,
    ) -> Side {
        use crate::reference::Field;
        use crate::validate::Code;
        use rayon::prelude::*;
        // A list writes a few dozen communes a million times: each once.
        let communes = Interned::new(table, Field::Commune);
        let entries: Vec<Option<Entry>> = candidates
            .par_iter()
            .enumerate()
            .map_init(String::new, |key, (at, c)| {
                if &*c.payment_type != "monthly"
                    || c.diagnostics.iter().any(|d| d.code == Code::MalformedRow)
                {
                    return None;
                }
                match adopted.get(&c.index) {
                    Some(adopted) => adopted.clone_into(key),
                    None => c.beneficiary_key_into(key),
                }
                Some(Entry {
                    key: CompactString::from(key.as_str()),
                    row: c.row,
                    name: c.name.clone(),
                    bank_bin: c
                        .bank
                        .map(|b| CompactString::from(banks.get(b).bin.as_str()))
                        .unwrap_or_default(),
                    account: c.account.clone().unwrap_or_default(),
                    amount: c.amount.unwrap_or(0),
                    commune: communes.get(table, c.index()),
                    category: (!c.category.is_empty()).then(|| Arc::clone(&c.category)),
                    coefficient: c.coefficient,
                    birth: Birth::of(c.birth_date, c.citizen_id.as_ref()),
                    status: None,
                    candidate: Some(at as u32),
                    rejected: c.rejected,
                })
            })
            .collect();
        // The first row of each beneficiary.
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        let keep: Vec<bool> = entries
            .iter()
            .map(|e| e.as_ref().is_some_and(|e| seen.insert(e.key.as_str())))
            .collect();
        drop(seen);
        let mut keep = keep.into_iter();
        let mut entries = entries;
        entries.retain(|_| keep.next().unwrap_or(false));
        // In place: the entries are not held twice.
        let entries = entries.into_iter().flatten().collect();
        Side { period, entries }
    }
}

/// The distinct texts of a column, each held once and shared: by the
/// cell's code where the reader held the column as codes, else by text.
struct Interned {
    by_code: Option<crate::validate::ByCode<Option<Arc<str>>>>,
    by_text: std::sync::Mutex<std::collections::HashMap<String, Arc<str>>>,
    field: crate::reference::Field,
}

impl Interned {
    fn new(table: &crate::ingest::Table, field: crate::reference::Field) -> Interned {
        Interned {
            by_code: crate::validate::ByCode::new(table, field, shared_text),
            by_text: Default::default(),
            field,
        }
    }

    fn get(&self, table: &crate::ingest::Table, index: usize) -> Option<Arc<str>> {
        let row = table.row(index);
        if let Some(known) = self.by_code.as_ref().and_then(|c| c.get(&row)) {
            return known.clone();
        }
        let cell = row.get(self.field);
        let mut by_text = self.by_text.lock().expect("not poisoned");
        if let Some(known) = by_text.get(cell) {
            return Some(Arc::clone(known));
        }
        let shared = shared_text(cell)?;
        by_text.insert(cell.to_owned(), Arc::clone(&shared));
        Some(shared)
    }
}

/// A cell's text, cleaned, unless it is blank.
fn shared_text(cell: &str) -> Option<Arc<str>> {
    (!cell.trim().is_empty()).then(|| Arc::from(crate::text::clean(cell)))
}
