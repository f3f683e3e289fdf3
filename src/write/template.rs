//! A bank's own upload workbook (`banks/<BIN>-<SHORTNAME>.xlsx`), laid out
//! by its template (`schemas/bank_templates/<name>.toml`): title rows, the
//! header, one row per payment, and the totals row. Accounts and ids are
//! text cells, amounts whole đồng; nothing from the list is ever a formula.

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook};

use crate::reference::{Template, TemplateField};
use crate::route::BankBatch;
use crate::validate::Candidate;

/// What the title rows may name.
pub struct Context<'a> {
    /// The office's name.
    pub office: &'a str,
    /// The paid month, `MM/YYYY`.
    pub period: &'a str,
    /// The batch id.
    pub batch: &'a str,
    /// When the batch was made (the workbook's creation time).
    pub created: chrono::DateTime<chrono::FixedOffset>,
}

/// Writes the workbook of one bank's payments.
pub fn write(
    out: &mut (dyn Write + Send),
    batch: &BankBatch,
    candidates: &[Candidate],
    template: &Template,
    context: &Context<'_>,
) -> std::io::Result<()> {
    let bytes = build(batch, candidates, template, context).map_err(std::io::Error::other)?;
    out.write_all(&bytes)
}

fn build(
    batch: &BankBatch,
    candidates: &[Candidate],
    template: &Template,
    context: &Context<'_>,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let header = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let amount = Format::new().set_num_format("#,##0");
    let total = Format::new().set_bold().set_num_format("#,##0");
    let mut book = Workbook::new();
    book.set_zip_compression_level(1);
    book.set_properties(
        &crate::report::workbook::properties(Some(context.created))?
            .set_title(format!("{} {}", template.name, batch.message_id)),
    );
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name(&template.sheet)?;
    for (col, c) in template.columns.iter().enumerate() {
        sheet.set_column_width(
            col as u16,
            (c.header.chars().count() as f64 + 4.0).max(12.0),
        )?;
    }
    let mut row = 0u32;
    for line in &template.title {
        let filled = line
            .replace("{office}", context.office)
            .replace("{period}", context.period)
            .replace("{bank}", &batch.bank.short_name)
            .replace("{batch}", context.batch)
            .replace("{count}", &batch.payments.len().to_string());
        sheet.write_string_with_format(row, 0, crate::report::workbook::cell(&filled), &header)?;
        row += 1;
    }
    for (col, c) in template.columns.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, &c.header, &header)?;
    }
    row += 1;
    for (i, p) in batch.payments.iter().enumerate() {
        for (col, c) in template.columns.iter().enumerate() {
            let col = col as u16;
            match c.field {
                TemplateField::Sequence => {
                    sheet.write_number(row, col, (i + 1) as f64)?;
                }
                TemplateField::Account => {
                    sheet.write_string_with_format(row, col, p.account(candidates), &text)?;
                }
                TemplateField::Name => {
                    sheet.write_string(row, col, p.creditor_name.as_str())?;
                }
                TemplateField::Amount => {
                    crate::report::workbook::write_money(
                        sheet,
                        row,
                        col,
                        p.amount(candidates),
                        &amount,
                    )?;
                }
                TemplateField::Remittance => {
                    sheet.write_string(row, col, batch.remittance(p))?;
                }
                TemplateField::Bank => {
                    sheet.write_string(row, col, &batch.bank.short_name)?;
                }
                TemplateField::BankFullName => {
                    sheet.write_string(row, col, &batch.bank.full_name)?;
                }
                TemplateField::Bin => {
                    sheet.write_string_with_format(row, col, &batch.bank.bin, &text)?;
                }
                TemplateField::Bic => {
                    sheet.write_string(row, col, batch.bank.bic.as_deref().unwrap_or(""))?;
                }
                TemplateField::EndToEndId => {
                    sheet.write_string_with_format(row, col, p.end_to_end_id.as_str(), &text)?;
                }
            }
        }
        row += 1;
    }
    if let Some((label, at)) = &template.totals {
        // Left to right, as constant memory writes.
        for (col, c) in template.columns.iter().enumerate() {
            if col == *at {
                sheet.write_string_with_format(row, col as u16, label, &header)?;
            } else if c.field == TemplateField::Amount {
                crate::report::workbook::write_money(sheet, row, col as u16, batch.total, &total)?;
            }
        }
    }
    book.save_to_buffer()
}
