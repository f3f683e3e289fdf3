//! `schemas/bank_templates/<name>.toml`: a bank's upload workbook as data
//! (sheet, title rows, one column per field, a totals row), so that an
//! office adds a bank's portal by writing a file, not code. A template that
//! cannot be used is refused with its file and line.

use serde::Deserialize;
use toml::Spanned;

use super::ReferenceError;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateField {
    /// The line's number, from 1.
    Sequence,
    /// The beneficiary's account (always a text cell).
    Account,
    /// The creditor's name, in the bank's name style.
    Name,
    /// The amount in đồng (a number cell).
    Amount,
    /// The remittance text.
    Remittance,
    /// The bank's short name.
    Bank,
    /// The bank's full name.
    BankFullName,
    /// The bank's NAPAS BIN.
    Bin,
    /// The bank's BIC.
    Bic,
    /// The payment's end-to-end id, which answers quote.
    EndToEndId,
}

impl TemplateField {
    fn parse(name: &str) -> Option<TemplateField> {
        Some(match name {
            "sequence" => TemplateField::Sequence,
            "account" => TemplateField::Account,
            "name" => TemplateField::Name,
            "amount" => TemplateField::Amount,
            "remittance" => TemplateField::Remittance,
            "bank" => TemplateField::Bank,
            "bank_full_name" => TemplateField::BankFullName,
            "bin" => TemplateField::Bin,
            "bic" => TemplateField::Bic,
            "end_to_end_id" => TemplateField::EndToEndId,
            _ => return None,
        })
    }
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateColumn {
    /// Its header text.
    pub header: String,
    /// What it holds.
    pub field: TemplateField,
}

/// A bank's upload workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The file's name (`generic.toml`).
    pub file: String,
    /// What it is.
    pub name: String,
    /// Whether its layout is documented from the bank's public material.
    pub documented: bool,
    /// Where the layout comes from.
    pub source: String,
    /// The sheet's name.
    pub sheet: String,
    /// Title rows above the header (`{office}`, `{period}`, `{bank}`,
    /// `{batch}`, `{count}` filled in).
    pub title: Vec<String>,
    /// The columns, left to right.
    pub columns: Vec<TemplateColumn>,
    /// The totals row: its label and the column it goes in.
    pub totals: Option<(String, usize)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    name: String,
    #[serde(default)]
    documented: bool,
    source: String,
    sheet: Spanned<String>,
    #[serde(default)]
    title: Vec<String>,
    columns: Vec<RawColumn>,
    totals: Option<RawTotals>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    header: Spanned<String>,
    field: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTotals {
    label: String,
    label_column: Spanned<String>,
}

/// The line (from 1) of a byte offset.
fn line_of(text: &str, offset: usize) -> u64 {
    text[..offset.min(text.len())].matches('\n').count() as u64 + 1
}

impl Template {
    /// Parses the template `file` (`bank_templates/<file>`).
    pub fn parse(file: &str, text: &str) -> Result<Template, ReferenceError> {
        let name = format!("bank_templates/{file}");
        let malformed = |offset: usize, message: String| ReferenceError::Malformed {
            file: name.clone(),
            line: line_of(text, offset),
            message,
        };
        let raw: Raw = toml::from_str(text)
            .map_err(|e| malformed(e.span().map_or(0, |s| s.start), e.message().to_owned()))?;
        let sheet = raw.sheet.get_ref();
        if sheet.is_empty()
            || sheet.chars().count() > 31
            || sheet.contains(['[', ']', ':', '*', '?', '/', '\\'])
        {
            return Err(malformed(
                raw.sheet.span().start,
                format!(
                    "sheet `{sheet}` is not a sheet name Excel takes (1 to 31 characters, none of []:*?/\\)"
                ),
            ));
        }
        if raw.columns.is_empty() {
            return Err(malformed(0, "a template needs [[columns]]".to_owned()));
        }
        let mut columns = Vec::with_capacity(raw.columns.len());
        for c in &raw.columns {
            let field = TemplateField::parse(c.field.get_ref()).ok_or_else(|| {
                malformed(
                    c.field.span().start,
                    format!(
                        "field `{}` is not one of sequence, account, name, amount, remittance, bank, bank_full_name, bin, bic, end_to_end_id",
                        c.field.get_ref()
                    ),
                )
            })?;
            if c.header.get_ref().trim().is_empty() {
                return Err(malformed(
                    c.header.span().start,
                    "a column needs a header".to_owned(),
                ));
            }
            columns.push(TemplateColumn {
                header: c.header.get_ref().clone(),
                field,
            });
        }
        for needed in [TemplateField::Account, TemplateField::Amount] {
            if !columns.iter().any(|c| c.field == needed) {
                return Err(malformed(
                    0,
                    format!("a template must have a column for `{needed:?}`").to_lowercase(),
                ));
            }
        }
        let totals = match raw.totals {
            None => None,
            Some(t) => {
                let at = columns
                    .iter()
                    .position(|c| c.header == *t.label_column.get_ref())
                    .ok_or_else(|| {
                        malformed(
                            t.label_column.span().start,
                            format!(
                                "totals.label_column `{}` is not a column's header",
                                t.label_column.get_ref()
                            ),
                        )
                    })?;
                Some((t.label, at))
            }
        };
        Ok(Template {
            file: file.to_owned(),
            name: raw.name,
            documented: raw.documented,
            source: raw.source,
            sheet: sheet.clone(),
            title: raw.title,
            columns,
            totals,
        })
    }

    /// Whether `file` may name a template: a plain `.toml` file name, never
    /// a path.
    pub fn is_file_name(file: &str) -> bool {
        file.ends_with(".toml")
            && file.len() > 5
            && file
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && !file.starts_with('.')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENERIC: &str = include_str!("../../schemas/bank_templates/generic.toml");

    #[test]
    fn the_generic_template_reads() {
        let t = Template::parse("generic.toml", GENERIC).unwrap();
        assert!(!t.documented);
        assert_eq!(t.columns[1].field, TemplateField::Account);
        assert_eq!(t.totals.as_ref().unwrap().1, 2);
    }

    #[test]
    fn a_template_that_cannot_be_used_is_named_with_its_line() {
        for (edit, line, says) in [
            (
                GENERIC.replace("field = \"amount\"", "field = \"amout\""),
                "field `amout`",
            ),
            (
                GENERIC.replace("sheet = \"Danh sach\"", "sheet = \"Danh/sach\""),
                "sheet `Danh/sach`",
            ),
            (
                GENERIC.replace(
                    "label_column = \"Tên người thụ hưởng\"",
                    "label_column = \"Tên\"",
                ),
                "label_column `Tên`",
            ),
            (
                GENERIC.replace("documented = false", "documented = maybe"),
                "must be quoted",
            ),
        ]
        .into_iter()
        .map(|(text, says)| {
            let line = text
                .lines()
                .position(|l| {
                    l.contains("amout")
                        || l.contains("Danh/sach")
                        || l.contains("\"Tên\"")
                        || l.contains("maybe")
                })
                .unwrap()
                + 1;
            (text, line as u64, says)
        }) {
            let err = Template::parse("vcb.toml", &edit).unwrap_err().to_string();
            assert!(
                err.contains(&format!("bank_templates/vcb.toml` line {line}"))
                    && err.contains(says),
                "{err}"
            );
        }
        assert!(Template::is_file_name("vietinbank-efast.toml"));
        assert!(!Template::is_file_name("../x.toml") && !Template::is_file_name("a/b.toml"));
    }
}
