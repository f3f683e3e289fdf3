//! The layout offices give their lists around the data: a row of column
//! numbers `(1) (2) (3)` under the header, subtotal rows (`Cộng xã ...`), the
//! totals row (`Tổng cộng`), and signature blocks (`Người lập biểu`,
//! `Kế toán`, `Thủ trưởng đơn vị`) below. None of them is a beneficiary.
//! The totals row's amount is the office's declared total: a control total
//! the rows must add up to.

use crate::cells::parse_amount;
use crate::reference::Field;
use crate::text::fold_key;

/// What the office declared on its totals row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Declared {
    /// The spreadsheet row of the totals row.
    pub row: u32,
    /// The declared amount, when readable.
    pub amount: Option<i64>,
    /// The declared number of beneficiaries, when written (`3.631 người`).
    pub count: Option<usize>,
}

/// Rows that are part of the layout, not beneficiaries.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// The column-number row under the header.
    pub numbering: usize,
    /// Subtotal rows inside the data.
    pub subtotals: usize,
    /// Rows after the data: totals, signatures, notes.
    pub footer: usize,
}

/// A row of column numbers: `(1) (2) (3)` or `1 2 3`.
pub fn is_numbering_row<S: AsRef<str>>(cells: &[S]) -> bool {
    let numbers: Vec<&str> = cells
        .iter()
        .map(|c| c.as_ref().trim())
        .filter(|c| !c.is_empty())
        .collect();
    numbers.len() >= 3
        && numbers.iter().all(|c| {
            let inner = c.trim_start_matches('(').trim_end_matches(')');
            !inner.is_empty() && inner.len() <= 3 && inner.bytes().all(|b| b.is_ascii_digit())
        })
}

/// `Some(true)` for a grand total (`Tổng cộng`, `Tổng số`, `Tổng`),
/// `Some(false)` for a subtotal (`Cộng`, `Cộng xã Yên Ninh`), from a label.
/// A label written with diacritics must have these words' own (`Tống Công
/// Minh` is a person, not `Tổng cộng`); one written without any is read
/// without them (`TONG CONG`).
pub fn totals_label(label: &str) -> Option<bool> {
    let first = label.trim_start().chars().next()?;
    if !matches!(first.to_ascii_lowercase(), 't' | 'c') {
        return None;
    }
    if !label.is_ascii() {
        let lower = label.trim().to_lowercase();
        let mut words = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty());
        match (words.next(), words.next()) {
            (Some("tổng"), None | Some("cộng" | "số")) | (Some("cộng"), _) => {}
            _ => return None,
        }
    }
    let key = fold_key(label);
    let starts = |p: &str| key == p || key.starts_with(&format!("{p} "));
    // A subtotal names what it adds up ("Cộng xã Yên Ninh"): a bare
    // "Công ..." is a name, never taken for a subtotal.
    const SUBTOTAL_OF: [&str; 8] = [
        "xa", "phuong", "thi tran", "thon", "to", "nhom", "trang", "muc",
    ];
    if starts("tong cong") || starts("tong so") || key == "tong" {
        Some(true)
    } else if key == "cong" || SUBTOTAL_OF.iter().any(|w| starts(&format!("cong {w}"))) {
        Some(false)
    } else {
        None
    }
}

/// A declared count written in the totals row: `3.631 người`, `3631 đối tượng`.
pub fn declared_count<S: AsRef<str>>(cells: &[S]) -> Option<usize> {
    cells.iter().find_map(|c| {
        let text = c.as_ref();
        let lower = text.to_lowercase();
        let at = ["người", "đối tượng", "hộ"]
            .iter()
            .find_map(|u| lower.find(u))?;
        let number: String = lower[..at]
            .trim_end()
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            .filter(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        number.parse().ok()
    })
}

/// Whether a row says anything only a beneficiary's row says.
fn looks_like_beneficiary(table: &dyn Cells, p: usize) -> bool {
    let has = |f| !table.field(f, p).trim().is_empty();
    let seq = table.field(Field::Seq, p).trim();
    [
        Field::AccountNumber,
        Field::Amount,
        Field::Bank,
        Field::CitizenId,
        Field::BeneficiaryCode,
        Field::BirthDate,
        Field::Category,
        Field::Coefficient,
    ]
    .into_iter()
    .any(has)
        || (!seq.is_empty() && seq.bytes().all(|b| b.is_ascii_digit()))
}

/// Access to the cells of a table being laid out.
pub trait Cells {
    /// Physical rows.
    fn physical_rows(&self) -> usize;
    /// The cell of a field in a physical row ("" when absent).
    fn field(&self, field: Field, row: usize) -> &str;
    /// Every cell of a physical row.
    fn row_cells(&self, row: usize) -> Vec<&str>;
}

/// How a table's rows are laid out.
pub struct Laid {
    /// Physical rows holding data.
    pub rows: Vec<u32>,
    /// The totals row (physical) and what it declares.
    pub declared: Option<(usize, Declared)>,
    /// What was set aside.
    pub skipped: Skipped,
}

/// The data rows of a table, the declared totals and what was skipped; or
/// the physical row of a beneficiary found after the totals row.
pub fn lay_out(table: &dyn Cells) -> Result<Laid, usize> {
    let height = table.physical_rows();
    let mut skipped = Skipped::default();
    let mut rows: Vec<u32> = Vec::with_capacity(height);
    let mut start = 0;
    if height > 0 && is_numbering_row(&table.row_cells(0)) {
        skipped.numbering = 1;
        start = 1;
    }
    let mut grand = None;
    for p in start..height {
        if table.field(Field::AccountNumber, p).trim().is_empty() {
            let label = [Field::Seq, Field::Name]
                .into_iter()
                .map(|f| table.field(f, p))
                .chain(table.row_cells(p).into_iter().take(3))
                .find(|c| !c.trim().is_empty())
                .unwrap_or("");
            // Only a row that carries a total may be the totals row.
            let carries_total = parse_amount(table.field(Field::Amount, p)).is_ok()
                || declared_count(&table.row_cells(p)).is_some();
            match totals_label(label) {
                Some(true) if carries_total => {
                    grand = Some(p);
                    break;
                }
                Some(false) if !table.field(Field::Amount, p).trim().is_empty() => {
                    skipped.subtotals += 1;
                    continue;
                }
                _ => {}
            }
        }
        rows.push(p as u32);
    }
    let declared = grand.map(|g| {
        let cells = table.row_cells(g);
        let declared = Declared {
            row: 0,
            amount: parse_amount(table.field(Field::Amount, g)).ok(),
            count: declared_count(&cells),
        };
        (g, declared)
    });
    if let Some(g) = grand {
        for q in g + 1..height {
            let has = |f| !table.field(f, q).trim().is_empty();
            if has(Field::AccountNumber) && has(Field::Amount) {
                return Err(q);
            }
        }
        skipped.footer = height - g;
    }
    // A signature block with no totals row: trailing rows that say nothing
    // a beneficiary's row says (no account, amount, bank, ID, code, birth
    // date, category, coefficient or row number) are not beneficiaries. A
    // row with any of them is one, and is rejected with its reasons.
    while let Some(&last) = rows.last() {
        let p = last as usize;
        let blank = table.row_cells(p).iter().all(|c| c.trim().is_empty());
        if !blank && !looks_like_beneficiary(table, p) && grand.is_none() {
            rows.pop();
            skipped.footer += 1;
        } else if blank {
            rows.pop();
            skipped.footer += usize::from(grand.is_none());
        } else {
            break;
        }
    }
    Ok(Laid {
        rows,
        declared,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_rows_and_totals_labels() {
        assert!(is_numbering_row(&["(1)", "(2)", "(3)", "", "(5)"]));
        assert!(is_numbering_row(&["1", "2", "3"]));
        assert!(!is_numbering_row(&["1", "Nguyễn Văn An", "3"]));
        assert_eq!(totals_label("Tổng cộng"), Some(true));
        assert_eq!(totals_label("TỔNG CỘNG:"), Some(true));
        assert_eq!(totals_label("Tổng số"), Some(true));
        assert_eq!(totals_label("Cộng xã Yên Ninh"), Some(false));
        assert_eq!(totals_label("Cộng"), Some(false));
        assert_eq!(totals_label("Công Tằng Tôn Nữ Hoa"), None);
        assert_eq!(totals_label("Nguyễn Văn Công"), None);
        // A person whose name folds to the words is a person.
        assert_eq!(totals_label("Tống Công Minh"), None);
        assert_eq!(totals_label("Tống Thị Số"), None);
        assert_eq!(totals_label("Tổng Văn Hùng"), None);
        assert_eq!(totals_label("TONG CONG"), Some(true));
        assert_eq!(totals_label("Tổng cộng toàn huyện"), Some(true));
        assert_eq!(totals_label("TỔNG SỐ"), Some(true));
        assert_eq!(totals_label("Tổng"), Some(true));
    }

    #[test]
    fn declared_counts() {
        assert_eq!(declared_count(&["Tổng cộng: 3.631 người", ""]), Some(3631));
        assert_eq!(declared_count(&["Tổng cộng", "25 người"]), Some(25));
        assert_eq!(declared_count(&["Tổng cộng", "1.800.000"]), None);
    }
}
