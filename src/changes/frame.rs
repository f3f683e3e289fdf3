//! The two months as dataframes, joined on the beneficiary key: each pair
//! says which sides it has and which fields differ.

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
    /// Bank or account differ.
    pub account: bool,
    /// Amount differs.
    pub amount: bool,
    /// Name differs (case aside).
    pub name: bool,
    /// Commune differs (case, marks and spacing aside), both known.
    pub commune: bool,
    /// Category differs (the same Decree 20 category in other words is
    /// the same), both known.
    pub category: bool,
    /// Coefficient differs, both known.
    pub coefficient: bool,
}

/// The beneficiaries of one month only, and those whose fields differ.
pub struct Pairs {
    /// The pairs, in no particular order (a beneficiary of both months
    /// whose fields agree is not one).
    pub rows: Vec<Pair>,
}

/// One month as a dataframe of comparable values: communes folded and
/// categories as Decree 20 ids, each distinct text worked out once.
fn frame(entries: &[Entry], categories: &Categories) -> PolarsResult<DataFrame> {
    let mut communes: HashMap<&str, Option<String>> = HashMap::new();
    let mut kinds: HashMap<&str, String> = HashMap::new();
    for e in entries {
        if let Some(c) = e.commune.as_deref() {
            communes
                .entry(c)
                .or_insert_with(|| Some(fold_key(c)).filter(|f| !f.is_empty()));
        }
        if let Some(c) = e.category.as_deref() {
            kinds.entry(c).or_insert_with(|| match categories.find(c) {
                Some(id) => categories.get(id).id.clone(),
                None => fold_key(c),
            });
        }
    }
    let commune: StringChunked = entries
        .iter()
        .map(|e| e.commune.as_deref().and_then(|c| communes[c].as_deref()))
        .collect();
    let category: StringChunked = entries
        .iter()
        .map(|e| e.category.as_deref().map(|c| kinds[c].as_str()))
        .collect();
    // An empty cell (an account the row's rule rejected) is unknown, never
    // a change.
    let text = |f: fn(&Entry) -> &str| -> StringChunked {
        entries
            .iter()
            .map(|e| Some(f(e)).filter(|t| !t.is_empty()))
            .collect()
    };
    DataFrame::new_infer_height(vec![
        Column::new("key".into(), text(|e| &e.key).into_series()),
        Column::new(
            "idx".into(),
            (0..entries.len() as u32).collect::<Vec<u32>>(),
        ),
        Column::new("bank".into(), text(|e| &e.bank_bin).into_series()),
        Column::new("account".into(), text(|e| &e.account).into_series()),
        Column::new(
            "amount".into(),
            // No amount (`BAD_AMOUNT`) is unknown, like an empty cell.
            entries
                .iter()
                .map(|e| Some(e.amount).filter(|a| *a > 0))
                .collect::<Vec<Option<i64>>>(),
        ),
        Column::new("name".into(), text(|e| &e.name).into_series()),
        Column::new("commune".into(), commune.into_series()),
        Column::new("category".into(), category.into_series()),
        Column::new(
            "coefficient".into(),
            entries.iter().map(|e| e.coefficient).collect::<Vec<_>>(),
        ),
    ])
}

/// The compared columns, each true where both months have a value and the
/// values differ.
fn differences(joined: &DataFrame) -> PolarsResult<[BooleanChunked; 7]> {
    let differs = |name: &str| -> PolarsResult<BooleanChunked> {
        let now = joined.column(name)?.as_materialized_series();
        let before = joined
            .column(&format!("{name}_prev"))?
            .as_materialized_series();
        // Null where either side is missing: not a difference.
        now.not_equal(before)?.fill_null_with_values(false)
    };
    Ok([
        differs("bank")?,
        differs("account")?,
        differs("amount")?,
        differs("name")?,
        differs("commune")?,
        differs("category")?,
        differs("coefficient")?,
    ])
}

/// Joins the two months on the beneficiary key and compares each field.
pub fn pair(earlier: &[Entry], later: &[Entry], categories: &Categories) -> PolarsResult<Pairs> {
    let started = std::time::Instant::now();
    let (earlier_df, later_df) =
        rayon::join(|| frame(earlier, categories), || frame(later, categories));
    tracing::debug!(elapsed = ?started.elapsed(), "months framed");
    let joined = later_df?.join(
        &earlier_df?,
        ["key"],
        ["key"],
        JoinArgs::new(JoinType::Full).with_suffix(Some("_prev".into())),
        None,
    )?;
    tracing::debug!(elapsed = ?started.elapsed(), "months joined");
    // Only the beneficiaries of one month, or whose fields differ, are
    // looked at row by row.
    let changed = differences(&joined)?;
    let mut mask = joined.column("idx")?.is_null() | joined.column("idx_prev")?.is_null();
    for c in changed.iter() {
        mask = &mask | c;
    }
    let joined = joined.filter(&mask)?;
    let [bank, account, amount, name, commune, category, coefficient] = differences(&joined)?;
    tracing::debug!(elapsed = ?started.elapsed(), rows = joined.height(), "months compared");
    let later_idx = joined.column("idx")?.u32()?;
    let earlier_idx = joined.column("idx_prev")?.u32()?;
    let yes = |c: &BooleanChunked, i: usize| c.get(i).unwrap_or(false);
    let rows = (0..joined.height())
        .map(|i| Pair {
            earlier: earlier_idx.get(i).map(|x| x as usize),
            later: later_idx.get(i).map(|x| x as usize),
            account: yes(&bank, i) || yes(&account, i),
            amount: yes(&amount, i),
            // Polars compares the names as written; case aside is checked
            // for the few that differ.
            name: yes(&name, i) && {
                let (e, l) = (earlier_idx.get(i), later_idx.get(i));
                let (e, l) = (
                    &earlier[e.unwrap_or(0) as usize],
                    &later[l.unwrap_or(0) as usize],
                );
                e.name.to_lowercase() != l.name.to_lowercase()
            },
            commune: yes(&commune, i),
            category: yes(&category, i),
            coefficient: yes(&coefficient, i),
        })
        .collect();
    Ok(Pairs { rows })
}
