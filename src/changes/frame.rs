//! The two months joined on the beneficiary key: a polars full join of
//! each month's keys, then each pair's fields compared. Only the keys and
//! row positions go into the frames; the fields are compared in place, so
//! a national month costs little more memory than its entries.

use std::collections::HashMap;

use polars::prelude::*;

use super::Entry;
use crate::reference::Categories;
use crate::text::fold_key;

/// A beneficiary of either month, or both.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pair {
    /// Position in the earlier month's entries.
    pub earlier: Option<usize>,
    /// Position in the later month's entries.
    pub later: Option<usize>,
    /// Bank or account differ, both known.
    pub account: bool,
    /// Amount differs, both known.
    pub amount: bool,
    /// Name differs (case aside), both known.
    pub name: bool,
    /// Commune differs (case, marks and spacing aside), both known.
    pub commune: bool,
    /// Category differs (the same Decree 20 category in other words is
    /// the same), both known.
    pub category: bool,
    /// Coefficient differs, both known.
    pub coefficient: bool,
}

impl Pair {
    fn changed(&self) -> bool {
        self.earlier.is_none()
            || self.later.is_none()
            || self.account
            || self.amount
            || self.name
            || self.commune
            || self.category
            || self.coefficient
    }
}

/// The beneficiaries of one month only, and those whose fields differ.
pub struct Pairs {
    /// The pairs, in no particular order (a beneficiary of both months
    /// whose fields agree is not one).
    pub rows: Vec<Pair>,
}

/// One month's keys and row positions.
fn frame(entries: &[Entry]) -> PolarsResult<DataFrame> {
    let keys: StringChunked = entries.iter().map(|e| Some(e.key.as_str())).collect();
    DataFrame::new_infer_height(vec![
        Column::new("key".into(), keys.into_series()),
        Column::new(
            "idx".into(),
            (0..entries.len() as u32).collect::<Vec<u32>>(),
        ),
    ])
}

/// The comparable forms of the texts that are written many ways: communes
/// folded, categories as their Decree 20 id, each distinct text worked out
/// once and numbered, for both months alike.
#[derive(Default)]
struct Forms<'a> {
    numbers: HashMap<String, u32>,
    communes: HashMap<&'a str, Option<u32>>,
    categories: HashMap<&'a str, u32>,
}

impl<'a> Forms<'a> {
    fn number(numbers: &mut HashMap<String, u32>, form: String) -> u32 {
        let next = numbers.len() as u32;
        *numbers.entry(form).or_insert(next)
    }

    fn commune(&mut self, e: &'a Entry) -> Option<u32> {
        let c = e.commune.as_deref()?;
        let numbers = &mut self.numbers;
        *self.communes.entry(c).or_insert_with(|| {
            let folded = fold_key(c);
            (!folded.is_empty()).then(|| Forms::number(numbers, format!("commune:{folded}")))
        })
    }

    fn category(&mut self, e: &'a Entry, categories: &Categories) -> Option<u32> {
        let c = e.category.as_deref()?;
        let numbers = &mut self.numbers;
        Some(*self.categories.entry(c).or_insert_with(|| {
            let form = match categories.find(c) {
                Some(id) => format!("id:{}", categories.get(id).id),
                None => format!("text:{}", fold_key(c)),
            };
            Forms::number(numbers, form)
        }))
    }
}

/// Whether two values differ, both being known.
fn differ<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a != b)
}

/// A text that is known: an empty cell (an account the row's rule
/// rejected) is unknown, never a change.
fn known(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// Joins the two months on the beneficiary key and compares each field.
pub fn pair(earlier: &[Entry], later: &[Entry], categories: &Categories) -> PolarsResult<Pairs> {
    let started = std::time::Instant::now();
    let (earlier_df, later_df) = rayon::join(|| frame(earlier), || frame(later));
    let joined = later_df?.join(
        &earlier_df?,
        ["key"],
        ["key"],
        JoinArgs::new(JoinType::Full).with_suffix(Some("_prev".into())),
        None,
    )?;
    tracing::debug!(elapsed = ?started.elapsed(), rows = joined.height(), "months joined");
    let later_idx = joined.column("idx")?.u32()?;
    let earlier_idx = joined.column("idx_prev")?.u32()?;
    let mut forms = Forms::default();
    let mut rows = Vec::new();
    for (l, e) in later_idx.iter().zip(earlier_idx.iter()) {
        let mut pair = Pair {
            earlier: e.map(|e| e as usize),
            later: l.map(|l| l as usize),
            ..Pair::default()
        };
        if let (Some(e), Some(l)) = (e, l) {
            let (e, l) = (&earlier[e as usize], &later[l as usize]);
            pair.account = differ(known(&e.bank_bin), known(&l.bank_bin))
                || differ(known(&e.account), known(&l.account));
            // No amount (`BAD_AMOUNT`) is unknown, like an empty cell.
            let amount = |x: &Entry| Some(x.amount).filter(|a| *a > 0);
            pair.amount = differ(amount(e), amount(l));
            pair.name = differ(known(&e.name), known(&l.name))
                && e.name.to_lowercase() != l.name.to_lowercase();
            pair.commune = differ(forms.commune(e), forms.commune(l));
            pair.category = differ(forms.category(e, categories), forms.category(l, categories));
            pair.coefficient = differ(e.coefficient, l.coefficient);
        }
        if pair.changed() {
            rows.push(pair);
        }
    }
    tracing::debug!(elapsed = ?started.elapsed(), rows = rows.len(), "months compared");
    Ok(Pairs { rows })
}
