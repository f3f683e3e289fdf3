//! The input columns `disburse` understands and the header names that
//! identify them, from `schemas/columns.csv`. Headers are compared folded
//! (case, diacritics, punctuation and spacing ignored).

use std::collections::HashMap;

use super::{ReferenceError, read_table};
use crate::text::fold_key;

/// A column of a beneficiary list that `disburse` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Row number written by the office (STT).
    Seq,
    /// The office's beneficiary code (mã đối tượng).
    BeneficiaryCode,
    /// Full name.
    Name,
    /// Date of birth.
    BirthDate,
    /// Sex, when the list has it.
    Sex,
    /// Citizen ID (CCCD) or legacy 9-digit CMND.
    CitizenId,
    /// Commune or ward.
    Commune,
    /// Village or address.
    Village,
    /// Telephone number, informative (for contacting the beneficiary).
    Phone,
    /// Category of beneficiary (đối tượng).
    Category,
    /// Coefficient (hệ số).
    Coefficient,
    /// Monthly entitlement before arrears.
    MonthlyAmount,
    /// Arrears paid with this month (truy lĩnh).
    Arrears,
    /// The amount to pay, in đồng.
    Amount,
    /// Bank account number.
    AccountNumber,
    /// Account holder, when not the beneficiary (a guardian).
    AccountHolder,
    /// Receiving bank: BIN, BIC, name or alias.
    Bank,
    /// Bank branch, informative only.
    Branch,
    /// Payment type for separate payments (arrears, funeral support).
    PaymentType,
    /// Free-text note.
    Note,
}

impl Field {
    /// Every field, in the order listings show them.
    pub const ALL: [Field; 20] = [
        Field::Seq,
        Field::BeneficiaryCode,
        Field::Name,
        Field::BirthDate,
        Field::Sex,
        Field::CitizenId,
        Field::Commune,
        Field::Village,
        Field::Phone,
        Field::Category,
        Field::Coefficient,
        Field::MonthlyAmount,
        Field::Arrears,
        Field::Amount,
        Field::AccountNumber,
        Field::AccountHolder,
        Field::Bank,
        Field::Branch,
        Field::PaymentType,
        Field::Note,
    ];

    /// The canonical (English) column name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Seq => "seq",
            Field::BeneficiaryCode => "beneficiary_code",
            Field::Name => "name",
            Field::BirthDate => "birth_date",
            Field::Sex => "sex",
            Field::CitizenId => "citizen_id",
            Field::Commune => "commune",
            Field::Village => "village",
            Field::Phone => "phone",
            Field::Category => "category",
            Field::Coefficient => "coefficient",
            Field::MonthlyAmount => "monthly_amount",
            Field::Arrears => "arrears",
            Field::Amount => "amount",
            Field::AccountNumber => "account_number",
            Field::AccountHolder => "account_holder",
            Field::Bank => "bank",
            Field::Branch => "branch",
            Field::PaymentType => "payment_type",
            Field::Note => "note",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Folded header name to field.
#[derive(Debug, Clone)]
pub struct ColumnAliases {
    by_key: HashMap<String, Field>,
    examples: HashMap<Field, Vec<String>>,
}

impl ColumnAliases {
    /// Parses `columns.csv`. An alias that folds to the same key as an alias
    /// of another field is an error: a header must never be ambiguous.
    pub fn parse(text: &str) -> Result<ColumnAliases, ReferenceError> {
        let mut by_key = HashMap::new();
        let mut examples: HashMap<Field, Vec<String>> = HashMap::new();
        read_table("columns.csv", text, &["field", "alias"], |r| {
            let name = r.get("field");
            let field = Field::from_name(name).ok_or_else(|| format!("unknown field `{name}`"))?;
            let alias = r.get("alias");
            let key = fold_key(alias);
            if key.is_empty() {
                return Err("empty alias".to_owned());
            }
            if let Some(other) = by_key.insert(key, field)
                && other != field
            {
                return Err(format!(
                    "alias `{alias}` names both `{}` and `{}`",
                    other.name(),
                    field.name()
                ));
            }
            examples.entry(field).or_default().push(alias.to_owned());
            Ok(())
        })?;
        Ok(ColumnAliases { by_key, examples })
    }

    /// The field a header names, if any.
    pub fn field(&self, header: &str) -> Option<Field> {
        self.by_key.get(&fold_key(header)).copied()
    }

    /// The header names accepted for a field, for error messages.
    pub fn aliases(&self, field: Field) -> &[String] {
        self.examples.get(&field).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_headers_match_regardless_of_case_and_marks() {
        let aliases = super::super::Reference::builtin().unwrap().columns;
        assert_eq!(aliases.field(" Họ và tên "), Some(Field::Name));
        assert_eq!(aliases.field("HO VA TEN"), Some(Field::Name));
        assert_eq!(aliases.field("Số CCCD"), Some(Field::CitizenId));
        assert_eq!(aliases.field("Mã đối tượng"), Some(Field::BeneficiaryCode));
        assert_eq!(aliases.field("Đối tượng"), Some(Field::Category));
        assert_eq!(aliases.field("Xã/Phường"), Some(Field::Commune));
        assert_eq!(aliases.field("Số tài khoản"), Some(Field::AccountNumber));
        assert_eq!(aliases.field("Ngân hàng"), Some(Field::Bank));
        assert_eq!(aliases.field("amount_vnd"), Some(Field::Amount));
        assert_eq!(aliases.field("Hệ số"), Some(Field::Coefficient));
        assert_eq!(aliases.field("something else"), None);
    }

    #[test]
    fn an_alias_claimed_by_two_fields_is_refused() {
        let err = ColumnAliases::parse("field,alias\nname,Tên\nbank,ten\n").unwrap_err();
        assert!(
            err.to_string().contains("names both `name` and `bank`"),
            "{err}"
        );
    }
}
