//! Finds the header row and decides which column holds which field.

use crate::reference::{ColumnAliases, Field};

/// Fields every list must have.
pub const REQUIRED: [Field; 4] = [
    Field::Name,
    Field::AccountNumber,
    Field::Bank,
    Field::Amount,
];

/// Which column (0-based) holds which field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    columns: [Option<usize>; Field::ALL.len()],
}

impl ColumnMap {
    /// The column holding `field`. A list without an `amount` column but with
    /// a monthly amount (`Mức hưởng`) pays the monthly amount.
    pub fn column(&self, field: Field) -> Option<usize> {
        let own = self.columns[field as usize];
        match field {
            Field::Amount => own.or(self.columns[Field::MonthlyAmount as usize]),
            _ => own,
        }
    }

    /// The field column `col` holds, if any.
    pub fn field_of(&self, col: usize) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| self.columns[*f as usize] == Some(col))
    }

    /// How many fields were recognised.
    pub fn recognised(&self) -> usize {
        self.columns.iter().filter(|c| c.is_some()).count()
    }

    /// The first required field the header lacks.
    pub fn first_missing(&self) -> Option<Field> {
        REQUIRED.into_iter().find(|f| self.column(*f).is_none())
    }
}

/// Two header cells naming the same field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The field.
    pub field: Field,
    /// Column of the first header cell.
    pub first: usize,
    /// Column of the second.
    pub second: usize,
}

/// The columns of the header `cells` on `row`, refused when a field is
/// named twice or a required one is missing.
pub fn header_columns(
    file_name: &str,
    row: u32,
    cells: &[String],
    aliases: &ColumnAliases,
) -> Result<ColumnMap, super::IngestError> {
    use super::IngestError;
    let columns = map_header(cells, aliases).map_err(|d| IngestError::DuplicateColumn {
        file: file_name.to_owned(),
        row,
        field: d.field,
        first: cells[d.first].clone(),
        second: cells[d.second].clone(),
    })?;
    if let Some(missing) = columns.first_missing() {
        return Err(IngestError::MissingColumn {
            file: file_name.to_owned(),
            row,
            missing,
            looked_for: aliases.aliases(missing).to_vec(),
        });
    }
    Ok(columns)
}

/// Maps header cells to fields.
pub fn map_header<S: AsRef<str>>(
    cells: &[S],
    aliases: &ColumnAliases,
) -> Result<ColumnMap, Duplicate> {
    let mut map = ColumnMap::default();
    for (col, cell) in cells.iter().enumerate() {
        if let Some(field) = aliases.field(cell.as_ref()) {
            if let Some(first) = map.columns[field as usize] {
                return Err(Duplicate {
                    field,
                    first,
                    second: col,
                });
            }
            map.columns[field as usize] = Some(col);
        }
    }
    Ok(map)
}

/// True when a row's cells look like the header: at least three known
/// fields, two of them required.
pub fn looks_like_header<S: AsRef<str>>(cells: &[S], aliases: &ColumnAliases) -> bool {
    let fields: Vec<Field> = cells
        .iter()
        .filter_map(|c| aliases.field(c.as_ref()))
        .collect();
    let required = REQUIRED.iter().filter(|f| fields.contains(f)).count()
        + usize::from(!fields.contains(&Field::Amount) && fields.contains(&Field::MonthlyAmount));
    fields.len() >= 3 && required >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Reference;

    #[test]
    fn columns_are_found_in_any_order() {
        let aliases = Reference::builtin().unwrap().columns;
        let map = map_header(
            &["Ngân hàng", "Số tiền", "STT", "Họ và tên", "Số tài khoản"],
            &aliases,
        )
        .unwrap();
        assert_eq!(map.column(Field::Bank), Some(0));
        assert_eq!(map.column(Field::Amount), Some(1));
        assert_eq!(map.column(Field::Name), Some(3));
        assert_eq!(map.first_missing(), None);
        assert_eq!(map.field_of(2), Some(Field::Seq));
    }

    #[test]
    fn monthly_amount_stands_in_for_a_missing_amount() {
        let aliases = Reference::builtin().unwrap().columns;
        let map = map_header(&["Họ tên", "Mức hưởng", "STK", "NH"], &aliases).unwrap();
        assert_eq!(map.column(Field::Amount), Some(1));
        assert!(looks_like_header(
            &["Họ tên", "Mức hưởng", "STK", "NH"],
            &aliases
        ));
    }

    #[test]
    fn a_field_named_twice_is_refused() {
        let aliases = Reference::builtin().unwrap().columns;
        let err = map_header(&["Họ và tên", "Tên đối tượng", "bank"], &aliases).unwrap_err();
        assert_eq!(
            err,
            Duplicate {
                field: Field::Name,
                first: 0,
                second: 1
            }
        );
    }

    #[test]
    fn titles_do_not_look_like_headers() {
        let aliases = Reference::builtin().unwrap().columns;
        assert!(!looks_like_header(
            &["DANH SÁCH CHI TRẢ THÁNG 07/2024"],
            &aliases
        ));
        assert!(!looks_like_header(&["(1)", "(2)", "(3)"], &aliases));
    }
}
