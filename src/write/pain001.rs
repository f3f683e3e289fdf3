//! ISO 20022 pain.001 (CustomerCreditTransferInitiation), version .09 or,
//! for a bank whose profile asks for it, .03: one message per receiving
//! bank (or per part of one), one payment information block, one credit
//! transfer per payment. The two versions differ here only in the
//! namespace, the agents' BIC element (`BICFI`, `BIC`) and the requested
//! execution date (`<Dt>` inside it in .09). Streamed through a writer: memory does not grow with the
//! file.
//!
//! The group header and payment information are written with quick-xml's
//! writer; the credit transfers, which are nearly all of a file, are rendered
//! in chunks in parallel (the same layout, text escaped by quick-xml) and
//! streamed in order.
//!
//! What the schema cannot check is guaranteed here: `NbOfTxs` and `CtrlSum`
//! are the exact count and sum (group and payment level), amounts are whole
//! đồng with `Ccy="VND"`, names and texts are upper-case ASCII of the SWIFT
//! set within their length limits.

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset, NaiveDate};
use quick_xml::Writer;
use quick_xml::escape::escape;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::reference::BankFormat;
use crate::route::BankBatch;
use crate::text::bank_ascii;
use crate::validate::Candidate;

/// The message namespace of .09.
pub const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

/// The message namespace of .03.
pub const NAMESPACE_V03: &str = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03";

/// The namespace and the BIC element of a version.
fn version(format: BankFormat) -> (&'static str, &'static str) {
    match format {
        // A template bank's file is a workbook, never written here.
        BankFormat::Pain001V09 | BankFormat::Template => (NAMESPACE, "BICFI"),
        BankFormat::Pain001V03 => (NAMESPACE_V03, "BIC"),
    }
}

/// What every message of a batch shares.
#[derive(Debug, Clone)]
pub struct MessageHeader {
    /// `CreDtTm`.
    pub created: DateTime<FixedOffset>,
    /// Initiating party (the office).
    pub initiating_party: String,
    /// Debtor name.
    pub debtor_name: String,
    /// Debtor account.
    pub debtor_account: String,
    /// Debtor agent BIC.
    pub debtor_agent_bic: Option<String>,
    /// Debtor agent name.
    pub debtor_agent_name: Option<String>,
    /// Debtor agent's NAPAS member id.
    pub debtor_agent_member_id: Option<String>,
    /// `ReqdExctnDt`.
    pub execution_date: NaiveDate,
    /// `BtchBookg`.
    pub batch_booking: bool,
}

type Xml<'w> = Writer<&'w mut (dyn Write + Send)>;

fn text(w: &mut Xml<'_>, tag: &str, value: &str) -> io::Result<()> {
    w.create_element(tag)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn nest<F>(w: &mut Xml<'_>, tag: &str, inner: F) -> io::Result<()>
where
    F: FnOnce(&mut Xml<'_>) -> io::Result<()>,
{
    w.create_element(tag).write_inner_content(|w| inner(w))?;
    Ok(())
}

/// `<Id><Othr><Id>account</Id></Othr></Id>`: a non-IBAN account.
fn other_account(w: &mut Xml<'_>, account: &str) -> io::Result<()> {
    nest(w, "Id", |w| nest(w, "Othr", |w| text(w, "Id", account)))
}

/// Writes the message for one bank.
pub fn write(
    out: &mut (dyn Write + Send),
    batch: &BankBatch,
    candidates: &[Candidate],
    header: &MessageHeader,
) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let count = batch.payments.len().to_string();
    let total = batch.total.to_string();
    let (namespace, bic_tag) = version(batch.format);
    w.create_element("Document")
        .with_attribute(("xmlns", namespace))
        .write_inner_content(|w| {
            nest(w, "CstmrCdtTrfInitn", |w| {
                nest(w, "GrpHdr", |w| {
                    text(w, "MsgId", &batch.message_id)?;
                    text(
                        w,
                        "CreDtTm",
                        &header.created.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                    )?;
                    text(w, "NbOfTxs", &count)?;
                    text(w, "CtrlSum", &total)?;
                    nest(w, "InitgPty", |w| {
                        text(w, "Nm", &bank_ascii(&header.initiating_party, 140))
                    })
                })?;
                nest(w, "PmtInf", |w| {
                    text(w, "PmtInfId", &batch.payment_info_id)?;
                    text(w, "PmtMtd", "TRF")?;
                    text(
                        w,
                        "BtchBookg",
                        if header.batch_booking {
                            "true"
                        } else {
                            "false"
                        },
                    )?;
                    text(w, "NbOfTxs", &count)?;
                    text(w, "CtrlSum", &total)?;
                    nest(w, "PmtTpInf", |w| {
                        nest(w, "CtgyPurp", |w| text(w, "Cd", "SSBE"))
                    })?;
                    let date = header.execution_date.to_string();
                    match batch.format {
                        BankFormat::Pain001V09 | BankFormat::Template => {
                            nest(w, "ReqdExctnDt", |w| text(w, "Dt", &date))?
                        }
                        BankFormat::Pain001V03 => text(w, "ReqdExctnDt", &date)?,
                    }
                    nest(w, "Dbtr", |w| {
                        text(w, "Nm", &bank_ascii(&header.debtor_name, 140))
                    })?;
                    nest(w, "DbtrAcct", |w| {
                        other_account(w, &header.debtor_account)?;
                        text(w, "Ccy", "VND")
                    })?;
                    nest(w, "DbtrAgt", |w| {
                        nest(w, "FinInstnId", |w| {
                            // By BIC, else by NAPAS member id; the name
                            // only when neither is given.
                            if let Some(bic) = &header.debtor_agent_bic {
                                return text(w, bic_tag, bic);
                            }
                            if let Some(id) = &header.debtor_agent_member_id {
                                return nest(w, "ClrSysMmbId", |w| {
                                    nest(w, "ClrSysId", |w| text(w, "Prtry", "NAPAS"))?;
                                    text(w, "MmbId", id)
                                });
                            }
                            match &header.debtor_agent_name {
                                Some(name) => text(w, "Nm", &bank_ascii(name, 140)),
                                None => Ok(()),
                            }
                        })
                    })?;
                    text(w, "ChrgBr", "DEBT")?;
                    write_transactions(w.get_mut(), batch, candidates)?;
                    Ok(())
                })
            })
        })?;
    w.get_mut().write_all(b"\n")
}

/// Payments rendered per parallel chunk.
const CHUNK: usize = 4096;

/// Writes every `CdtTrfTxInf` of the batch, rendered in parallel chunks.
fn write_transactions(
    out: &mut &mut (dyn Write + Send),
    batch: &BankBatch,
    candidates: &[Candidate],
) -> io::Result<()> {
    let agent = creditor_agent(batch);
    crate::write::chunked::write_chunked(*out, &batch.payments, CHUNK, |_, chunk, buf| {
        buf.reserve(chunk.len() * 512);
        for p in chunk {
            render_transaction(buf, p, batch, candidates, &agent);
        }
        Ok(())
    })
}

/// The `CdtrAgt` block, the same for every payment of a bank's file: by BIC
/// where the bank has one, else by its NAPAS BIN.
fn creditor_agent(batch: &BankBatch) -> String {
    let (_, tag) = version(batch.format);
    let inner = match &batch.bank.bic {
        Some(bic) => format!("<{tag}>{}</{tag}>", escape(bic.as_str())),
        None => format!(
            "<ClrSysMmbId><ClrSysId><Prtry>NAPAS</Prtry></ClrSysId><MmbId>{}</MmbId></ClrSysMmbId>",
            escape(batch.bank.bin.as_str())
        ),
    };
    format!("<CdtrAgt><FinInstnId>{inner}</FinInstnId></CdtrAgt>")
}

/// `text` escaped for XML content. Ids, account numbers and bank-form
/// names seldom hold anything to escape: a quick scan finds that, and
/// quick-xml escapes the rest.
fn xml_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .bytes()
        .any(|b| matches!(b, b'<' | b'>' | b'&' | b'\'' | b'"'))
    {
        escape(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// One credit transfer on one line: a file of a million payments is half
/// the size it would be indented, and a line is a payment for `grep`.
fn render_transaction(
    buf: &mut Vec<u8>,
    p: &crate::route::Payment,
    batch: &BankBatch,
    candidates: &[Candidate],
    agent: &str,
) {
    let c = &candidates[p.candidate()];
    let (Some(account), Some(paid)) = (c.account.as_deref(), c.amount) else {
        unreachable!("a payment's row has an account and an amount");
    };
    let id = xml_text(p.end_to_end_id.as_str());
    let mut amount = itoa::Buffer::new();
    let parts: [&str; 15] = [
        "\n      <CdtTrfTxInf><PmtId><InstrId>",
        &id,
        "</InstrId><EndToEndId>",
        &id,
        "</EndToEndId></PmtId><Amt><InstdAmt Ccy=\"VND\">",
        amount.format(paid),
        "</InstdAmt></Amt>",
        agent,
        "<Cdtr><Nm>",
        &xml_text(p.creditor_name.as_str()),
        "</Nm></Cdtr><CdtrAcct><Id><Othr><Id>",
        &xml_text(account),
        "</Id></Othr></Id></CdtrAcct><RmtInf><Ustrd>",
        &xml_text(batch.remittance(p)),
        "</Ustrd></RmtInf></CdtTrfTxInf>",
    ];
    for part in parts {
        buf.extend_from_slice(part.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_is_escaped_as_quick_xml_escapes_it() {
        for text in ["O'NEIL", "A & B", "<x>", "\"q\"", "NGUYEN VAN AN", ""] {
            assert_eq!(super::xml_text(text), quick_xml::escape::escape(text));
        }
    }
}
