//! One row read into typed values, with the diagnostics of the row rules.

use std::sync::Arc;

use chrono::NaiveDate;
use compact_str::CompactString;
use rustc_hash::FxHashMap;
use thin_vec::{ThinVec, thin_vec};

use super::bad_citizen_id::CitizenId;
use super::{
    Code, Context, Diagnostic, amount_mismatch, bad_account, bad_amount, bad_birth_date,
    bad_citizen_id, bad_name, coefficient_mismatch, malformed_row, missing_name, unknown_bank,
};
use crate::ingest::{Row, Table};
use crate::reference::{BankId, CategoryId, Field};
use crate::text::{clean, clean_compact, fold_key, fold_key_into};

/// The value of a rule's result, or `None` with its diagnostic recorded.
/// `MISSING_NAME` and `BAD_AMOUNT`: the name and the amount.
fn check_name_and_amount(
    diagnostics: &mut ThinVec<Diagnostic>,
    cells: &crate::ingest::Row<'_>,
    ctx: &Context<'_>,
) -> (Option<CompactString>, Option<i64>) {
    let name = record(
        diagnostics,
        Code::MissingName,
        Some(Field::Name),
        missing_name::check(cells.get(Field::Name)),
    );
    let amount = record(
        diagnostics,
        Code::BadAmount,
        Some(Field::Amount),
        bad_amount::check(cells.get(Field::Amount), ctx.config.payment.max_amount_vnd),
    );
    (name, amount)
}

/// `BAD_BIRTH_DATE` and `BAD_CITIZEN_ID`: the birth date, and the citizen
/// ID checked against it and the sex.
fn check_identity(
    diagnostics: &mut ThinVec<Diagnostic>,
    cells: &crate::ingest::Row<'_>,
    ctx: &Context<'_>,
) -> (Option<NaiveDate>, Option<CitizenId>) {
    let birth_date = record(
        diagnostics,
        Code::BadBirthDate,
        Some(Field::BirthDate),
        bad_birth_date::check(cells.get(Field::BirthDate), ctx.period),
    )
    .flatten();
    let citizen_id = record(
        diagnostics,
        Code::BadCitizenId,
        Some(Field::CitizenId),
        bad_citizen_id::check(
            cells.get(Field::CitizenId),
            birth_date,
            cells.get(Field::Sex),
            &ctx.reference.provinces,
        ),
    )
    .flatten();
    (birth_date, citizen_id)
}

/// `AMOUNT_MISMATCH`: a monthly amount that is not base level ×
/// coefficient (+ arrears).
fn check_amount(
    diagnostics: &mut ThinVec<Diagnostic>,
    amount: i64,
    cells: &crate::ingest::Row<'_>,
    ctx: &Context<'_>,
) {
    let arrears = crate::cells::parse_amount(cells.get(Field::Arrears)).ok();
    if let Some(message) = amount_mismatch::check(
        amount,
        cells.get(Field::Coefficient),
        arrears,
        ctx.base_level(),
    ) {
        diagnostics.push(Diagnostic::new(
            Code::AmountMismatch,
            Some(Field::Amount),
            message,
        ));
    }
}

/// `BAD_NAME`, for the beneficiary's name and the account holder's.
fn check_names(diagnostics: &mut ThinVec<Diagnostic>, name: &str, holder: &str) {
    for (field, text) in [(Field::Name, name), (Field::AccountHolder, holder)] {
        record(
            diagnostics,
            Code::BadName,
            Some(field),
            bad_name::check(text),
        );
    }
}

fn record<T>(
    diagnostics: &mut ThinVec<Diagnostic>,
    code: Code,
    field: Option<Field>,
    result: Result<T, String>,
) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(message) => {
            diagnostics.push(Diagnostic::new(code, field, message));
            None
        }
    }
}

/// A value for each distinct cell of a column the reader held as codes
/// ([`Table::distinct`]), computed once and found by the cell's code: no
/// hashing and no comparing of texts for the columns that repeat a few
/// texts down a list.
pub struct ByCode<V> {
    field: Field,
    /// By code, then the empty cell's.
    values: Vec<V>,
}

impl<V> ByCode<V> {
    /// `None` when the column is not held as codes.
    pub fn new(table: &Table, field: Field, value: impl Fn(&str) -> V) -> Option<ByCode<V>> {
        let texts = table.distinct(field)?;
        let values = texts.iter().map(|t| value(t)).chain([value("")]).collect();
        Some(ByCode { field, values })
    }

    /// The value of the row's cell.
    pub fn get(&self, row: &Row<'_>) -> Option<&V> {
        match row.code(self.field) {
            Some(code) => self.values.get(code as usize),
            None => self.values.last(),
        }
    }
}

/// What every worker reading rows shares: the verdict on each distinct
/// bank cell, and the bank, category and payment type of each distinct
/// cell where those columns are held as codes.
pub struct Shared<'t> {
    banks: super::BankMemo<'t>,
    bank_codes: Option<ByCode<Result<BankId, String>>>,
    categories: Option<ByCode<Arc<str>>>,
    category_ids: Option<ByCode<Option<CategoryId>>>,
    payment_types: Option<ByCode<Result<Arc<str>, String>>>,
}

impl<'t> Shared<'t> {
    /// Resolves what the list's rows share.
    pub fn new(table: &'t Table, ctx: &Context<'_>) -> Shared<'t> {
        let bank_codes = ByCode::new(table, Field::Bank, |cell| {
            unknown_bank::check(cell, &ctx.reference.banks)
        });
        Shared {
            // Read by text only when the bank column is not held as codes.
            banks: if bank_codes.is_some() {
                Default::default()
            } else {
                super::bank_memo(table, ctx)
            },
            bank_codes,
            categories: ByCode::new(table, Field::Category, |cell| Arc::from(clean(cell))),
            category_ids: ByCode::new(table, Field::Category, |cell| {
                ctx.reference.categories.find(cell)
            }),
            payment_types: ByCode::new(table, Field::PaymentType, |cell| {
                ctx.config.payment_type(cell).map(Arc::from)
            }),
        }
    }

    fn bank(&self, row: &Row<'t>) -> Option<&Result<BankId, String>> {
        match &self.bank_codes {
            Some(codes) => codes.get(row),
            None => self.banks.get(row.get(Field::Bank)),
        }
    }
}

/// What the rows read by one worker share: a list writes a few categories
/// and payment types a million times, each read once here (where the
/// columns are not held as codes, see [`Shared`]).
#[derive(Default)]
pub struct RowMemo<'t> {
    categories: FxHashMap<&'t str, Arc<str>>,
    category_ids: FxHashMap<&'t str, Option<CategoryId>>,
    payment_types: FxHashMap<&'t str, Result<Arc<str>, String>>,
}

impl<'t> RowMemo<'t> {
    /// The row's payment type: by its cell's code where the column holds
    /// codes, else looked up once per distinct text.
    fn payment_type(
        &mut self,
        cells: &crate::ingest::Row<'t>,
        ctx: &Context<'_>,
        shared: &Shared<'t>,
    ) -> Result<Arc<str>, String> {
        match shared.payment_types.as_ref().and_then(|p| p.get(cells)) {
            Some(known) => known.clone(),
            None => self
                .payment_types
                .entry(cells.get(Field::PaymentType))
                .or_insert_with_key(|cell| ctx.config.payment_type(cell).map(Arc::from))
                .clone(),
        }
    }

    /// The Decree 20 category the row's category cell names.
    fn category_id(
        &mut self,
        cells: &crate::ingest::Row<'t>,
        ctx: &Context<'_>,
        shared: &Shared<'t>,
    ) -> Option<CategoryId> {
        match shared.category_ids.as_ref().and_then(|c| c.get(cells)) {
            Some(known) => *known,
            None => *self
                .category_ids
                .entry(cells.get(Field::Category))
                .or_insert_with_key(|cell| ctx.reference.categories.find(cell)),
        }
    }

    /// The row's category, shared with every row that writes it alike.
    fn category(&mut self, cells: &crate::ingest::Row<'t>, shared: &Shared<'t>) -> Arc<str> {
        Arc::clone(
            match shared.categories.as_ref().and_then(|c| c.get(cells)) {
                Some(known) => known,
                None => self
                    .categories
                    .entry(cells.get(Field::Category))
                    .or_insert_with_key(|cell| Arc::from(clean(cell))),
            },
        )
    }
}

/// A row on its way to becoming a payment.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Data row index in the table (a table has at most `u32::MAX` rows).
    pub index: u32,
    /// Spreadsheet row number.
    pub row: u32,
    /// Beneficiary name (NFC, single spaces).
    pub name: CompactString,
    /// Account holder when not the beneficiary.
    pub holder: Option<Box<str>>,
    /// Citizen ID (12 digits) or legacy CMND (9), when valid.
    pub citizen_id: Option<CitizenId>,
    /// The office's beneficiary code.
    pub code: Option<CompactString>,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Receiving bank.
    pub bank: Option<BankId>,
    /// Account number (upper case, no spaces).
    pub account: Option<CompactString>,
    /// Amount in đồng.
    pub amount: Option<i64>,
    /// Category, as written (shared by the rows that write it alike).
    pub category: Arc<str>,
    /// Coefficient in thousandths.
    pub coefficient: Option<u32>,
    /// Payment type (`monthly` unless the row says otherwise).
    pub payment_type: Arc<str>,
    /// Problems found.
    pub diagnostics: ThinVec<Diagnostic>,
    /// Not to be paid.
    pub rejected: bool,
}

impl Candidate {
    /// Reads data row `i` and applies the row rules.
    pub fn read<'t>(
        table: &'t Table,
        i: usize,
        ctx: &Context<'_>,
        shared: &Shared<'t>,
        memo: &mut RowMemo<'t>,
    ) -> Candidate {
        let mut diagnostics = ThinVec::new();
        let cells = table.row(i);
        let cell = |f: Field| cells.get(f);

        if let Err(message) = malformed_row::check(table, i) {
            // The cells are shifted: reading them would only add noise.
            let diagnostic = Diagnostic::new(Code::MalformedRow, None, message);
            return Candidate::malformed(table, i, diagnostic);
        }
        let bank = record(
            &mut diagnostics,
            Code::UnknownBank,
            Some(Field::Bank),
            shared
                .bank(&cells)
                .cloned()
                .unwrap_or_else(|| unknown_bank::check(cell(Field::Bank), &ctx.reference.banks)),
        );
        let account = record(
            &mut diagnostics,
            Code::BadAccount,
            Some(Field::AccountNumber),
            bad_account::check(
                cell(Field::AccountNumber),
                bank.map(|id| ctx.reference.banks.get(id)),
                table.is_numeric(Field::AccountNumber, i),
            ),
        );
        let (name, amount) = check_name_and_amount(&mut diagnostics, &cells, ctx);
        let (birth_date, citizen_id) = check_identity(&mut diagnostics, &cells, ctx);
        let coefficient = crate::cells::parse_coefficient(cell(Field::Coefficient));
        let payment_type = record(
            &mut diagnostics,
            Code::UnknownPaymentType,
            Some(Field::PaymentType),
            memo.payment_type(&cells, ctx, shared),
        );
        // Only the monthly allowance follows base level × coefficient.
        if payment_type.as_deref() == Some("monthly") {
            if let Some(amount) = amount {
                check_amount(&mut diagnostics, amount, &cells, ctx);
            }
            let birth = coefficient_mismatch::Birth::of(birth_date, citizen_id.as_ref());
            if let Some(message) = coefficient_mismatch::check(
                cell(Field::Category),
                memo.category_id(&cells, ctx, shared),
                cell(Field::Coefficient),
                birth,
                ctx.period,
                &ctx.reference.categories,
            ) {
                diagnostics.push(Diagnostic::new(
                    Code::CoefficientMismatch,
                    Some(Field::Coefficient),
                    message,
                ));
            }
        }
        let holder = clean_compact(cell(Field::AccountHolder));
        check_names(&mut diagnostics, name.as_deref().unwrap_or(""), &holder);
        let code = clean_compact(cell(Field::BeneficiaryCode));
        Candidate {
            index: u32::try_from(i).expect("polars tables have at most u32::MAX rows"),
            row: table.row_number(i),
            name: name.unwrap_or_default(),
            holder: (!fold_key(&holder).is_empty()).then(|| Box::from(holder.as_str())),
            citizen_id,
            code: (!code.is_empty()).then_some(code),
            birth_date,
            bank,
            account,
            amount,
            category: memo.category(&cells, shared),
            coefficient,
            // An unknown type stays apart, so it never makes a monthly row a
            // duplicate; the row is rejected anyway.
            payment_type: payment_type.unwrap_or_else(|| {
                Arc::from(format!("unknown:{}", fold_key(cell(Field::PaymentType))))
            }),
            diagnostics,
            rejected: false,
        }
    }

    /// A row whose cells cannot be trusted.
    fn malformed(table: &Table, i: usize, diagnostic: Diagnostic) -> Candidate {
        Candidate {
            index: u32::try_from(i).expect("polars tables have at most u32::MAX rows"),
            row: table.row_number(i),
            name: CompactString::default(),
            holder: None,
            citizen_id: None,
            code: None,
            birth_date: None,
            bank: None,
            account: None,
            amount: None,
            category: Arc::from(""),
            coefficient: None,
            payment_type: Arc::from("monthly"),
            diagnostics: thin_vec![diagnostic],
            rejected: true,
        }
    }

    /// Its data row index in the table.
    pub fn index(&self) -> usize {
        self.index as usize
    }

    /// Who this row pays, as the ledger and the duplicate rules know them:
    /// the citizen ID, else the office's code, else name, birth date and
    /// account together.
    pub fn beneficiary_key(&self) -> String {
        let mut key = String::new();
        self.beneficiary_key_into(&mut key);
        key
    }

    /// [`Candidate::beneficiary_key`] written into `key` (cleared first),
    /// for loops that reuse one buffer.
    pub fn beneficiary_key_into(&self, key: &mut String) {
        use std::fmt::Write;
        key.clear();
        if let Some(id) = &self.citizen_id {
            key.push_str("cid:");
            key.push_str(id);
        } else if let Some(code) = &self.code {
            key.push_str("code:");
            fold_key_into(code, key);
        } else {
            key.push_str("name:");
            fold_key_into(&self.name, key);
            key.push('|');
            if let Some(d) = self.birth_date {
                let _ = write!(key, "{d}");
            }
            key.push('|');
            if let Some(b) = self.bank {
                let _ = write!(key, "{b}");
            }
            key.push('|');
            key.push_str(self.account.as_deref().unwrap_or(""));
        }
    }

    /// The identifiers of this row's beneficiary that `key` (the key it is
    /// recorded under) does not hold, as the ledger records them:
    /// `cid:<id>`, `code:<folded code>`, `birth:<YYYY-MM-DD>`, `;`-separated,
    /// written into `out` (cleared first). With them a later list that
    /// names the person by another identifier still finds the payment.
    pub fn identifiers_into(&self, key: &str, out: &mut String) {
        use std::fmt::Write;
        out.clear();
        let sep = |out: &mut String| {
            if !out.is_empty() {
                out.push(';');
            }
        };
        if let Some(id) = &self.citizen_id
            && !key.starts_with("cid:")
        {
            sep(out);
            out.push_str("cid:");
            out.push_str(id.as_str());
        }
        if let Some(code) = &self.code
            && !key.starts_with("code:")
        {
            sep(out);
            out.push_str("code:");
            fold_key_into(code, out);
        }
        if let Some(d) = self.birth_date
            && !key.starts_with("name:")
        {
            sep(out);
            let _ = write!(out, "birth:{d}");
        }
    }

    /// The codes of every diagnostic, `;`-separated, in rule order.
    pub fn codes(&self) -> String {
        let mut codes: Vec<_> = self.diagnostics.iter().map(|d| d.code).collect();
        codes.sort();
        codes.dedup();
        codes
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Every diagnostic's message, `; `-separated.
    pub fn messages(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values found by code are those the texts give, the empty cell's
    /// included, and a column held as text has none.
    #[test]
    fn values_by_code_are_the_values_of_the_texts() {
        let text = "name,account_number,bank,amount,category,payment_type,ward\n\
                    An,1,agribank,5,Người cao tuổi,,x\n\
                    Bình,2,VCB,6,,monthly,y\n\
                    Chi,3,,7,Người cao tuổi,arrears,z\n\
                    Dũng,4,không có,8, Trẻ em ,Monthly,x\n";
        let reference = crate::reference::Reference::builtin().unwrap();
        let config = crate::config::Config::builtin();
        let table = crate::ingest::read_bytes(
            "list.csv",
            text.as_bytes(),
            &reference.columns,
            &Default::default(),
        )
        .unwrap();
        let ctx = Context {
            reference: &reference,
            config: &config,
            period: crate::period::Period::new(2024, 1).unwrap(),
        };
        let shared = Shared::new(&table, &ctx);
        assert!(shared.bank_codes.is_some() && shared.categories.is_some());
        assert!(shared.payment_types.is_some());
        assert!(ByCode::new(&table, Field::Name, |c| c.to_owned()).is_none());
        for i in 0..table.height() {
            let row = table.row(i);
            assert_eq!(
                shared.bank(&row),
                Some(&unknown_bank::check(row.get(Field::Bank), &reference.banks)),
                "row {i}"
            );
            let category = shared.categories.as_ref().unwrap().get(&row).unwrap();
            assert_eq!(**category, *clean(row.get(Field::Category)));
            let payment_type = shared.payment_types.as_ref().unwrap().get(&row).unwrap();
            assert_eq!(
                payment_type.as_deref().ok(),
                config
                    .payment_type(row.get(Field::PaymentType))
                    .ok()
                    .as_deref()
            );
        }
    }

    /// A national list holds a candidate for each of 3,350,000 rows: each
    /// 8 bytes are 27 MB of peak memory.
    #[test]
    fn a_candidate_stays_small() {
        assert!(
            std::mem::size_of::<Candidate>() <= 184,
            "{} bytes",
            std::mem::size_of::<Candidate>()
        );
    }
}
