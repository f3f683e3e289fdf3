//! The two months as dataframes, joined on the beneficiary key: each pair
//! says which sides it has and which fields differ.

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

/// Every beneficiary of either month, paired.
pub struct Pairs {
    /// The pairs, in no particular order.
    pub rows: Vec<Pair>,
}

/// One month as a dataframe of comparable values.
fn frame(entries: &[Entry], categories: &Categories) -> PolarsResult<DataFrame> {
    let category = |e: &Entry| {
        e.category
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .map(|c| match categories.find(c) {
                Some(id) => categories.get(id).id.clone(),
                None => fold_key(c),
            })
    };
    df!(
        "key" => entries.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
        "idx" => (0..entries.len() as u32).collect::<Vec<u32>>(),
        "bank" => entries.iter().map(|e| e.bank_bin.as_str()).collect::<Vec<_>>(),
        "account" => entries.iter().map(|e| e.account.as_str()).collect::<Vec<_>>(),
        "amount" => entries.iter().map(|e| e.amount).collect::<Vec<i64>>(),
        "name" => entries.iter().map(|e| e.name.to_lowercase()).collect::<Vec<_>>(),
        "commune" => entries
            .iter()
            .map(|e| e.commune.as_deref().map(fold_key).filter(|c| !c.is_empty()))
            .collect::<Vec<_>>(),
        "category" => entries.iter().map(category).collect::<Vec<_>>(),
        "coefficient" => entries.iter().map(|e| e.coefficient).collect::<Vec<_>>(),
    )
}

/// Joins the two months on the beneficiary key and compares each field.
pub fn pair(earlier: &[Entry], later: &[Entry], categories: &Categories) -> PolarsResult<Pairs> {
    let (earlier, later) = rayon::join(|| frame(earlier, categories), || frame(later, categories));
    let joined = later?.join(
        &earlier?,
        ["key"],
        ["key"],
        JoinArgs::new(JoinType::Full).with_suffix(Some("_prev".into())),
        None,
    )?;
    // Null where either side is missing: not a difference.
    let differs = |name: &str| -> PolarsResult<BooleanChunked> {
        let now = joined.column(name)?.as_materialized_series();
        let before = joined
            .column(&format!("{name}_prev"))?
            .as_materialized_series();
        now.not_equal(before)
    };
    let bank = differs("bank")?;
    let account = differs("account")?;
    let amount = differs("amount")?;
    let name = differs("name")?;
    let commune = differs("commune")?;
    let category = differs("category")?;
    let coefficient = differs("coefficient")?;
    let later_idx = joined.column("idx")?.u32()?;
    let earlier_idx = joined.column("idx_prev")?.u32()?;
    let yes = |c: &BooleanChunked, i: usize| c.get(i).unwrap_or(false);
    let rows = (0..joined.height())
        .map(|i| Pair {
            earlier: earlier_idx.get(i).map(|x| x as usize),
            later: later_idx.get(i).map(|x| x as usize),
            account: yes(&bank, i) || yes(&account, i),
            amount: yes(&amount, i),
            name: yes(&name, i),
            commune: yes(&commune, i),
            category: yes(&category, i),
            coefficient: yes(&coefficient, i),
        })
        .collect();
    Ok(Pairs { rows })
}
