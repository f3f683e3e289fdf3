//! ISO 20022 pain.001.001.09 (CustomerCreditTransferInitiation): one message
//! per receiving bank, one payment information block, one credit transfer
//! per payment. Streamed through a writer: memory does not grow with the
//! file.
//!
//! What the schema cannot check is guaranteed here: `NbOfTxs` and `CtrlSum`
//! are the exact count and sum (group and payment level), amounts are whole
//! đồng with `Ccy="VND"`, names and texts are upper-case ASCII of the SWIFT
//! set within their length limits.

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset, NaiveDate};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::route::BankBatch;
use crate::text::bank_ascii;

/// The message namespace.
pub const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

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
    /// Debtor agent name, when there is no BIC.
    pub debtor_agent_name: Option<String>,
    /// `ReqdExctnDt`.
    pub execution_date: NaiveDate,
    /// `BtchBookg`.
    pub batch_booking: bool,
}

type Xml<'w> = Writer<&'w mut dyn Write>;

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
pub fn write(out: &mut dyn Write, batch: &BankBatch, header: &MessageHeader) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let count = batch.payments.len().to_string();
    let total = batch.total.to_string();
    w.create_element("Document")
        .with_attribute(("xmlns", NAMESPACE))
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
                    nest(w, "ReqdExctnDt", |w| {
                        text(w, "Dt", &header.execution_date.to_string())
                    })?;
                    nest(w, "Dbtr", |w| {
                        text(w, "Nm", &bank_ascii(&header.debtor_name, 140))
                    })?;
                    nest(w, "DbtrAcct", |w| {
                        other_account(w, &header.debtor_account)?;
                        text(w, "Ccy", "VND")
                    })?;
                    nest(w, "DbtrAgt", |w| {
                        nest(w, "FinInstnId", |w| {
                            match (&header.debtor_agent_bic, &header.debtor_agent_name) {
                                (Some(bic), _) => text(w, "BICFI", bic),
                                (None, Some(name)) => text(w, "Nm", &bank_ascii(name, 140)),
                                (None, None) => Ok(()),
                            }
                        })
                    })?;
                    text(w, "ChrgBr", "DEBT")?;
                    for p in &batch.payments {
                        nest(w, "CdtTrfTxInf", |w| {
                            nest(w, "PmtId", |w| {
                                text(w, "InstrId", &p.end_to_end_id)?;
                                text(w, "EndToEndId", &p.end_to_end_id)
                            })?;
                            nest(w, "Amt", |w| {
                                w.create_element("InstdAmt")
                                    .with_attribute(("Ccy", "VND"))
                                    .write_text_content(BytesText::new(&p.amount.to_string()))?;
                                Ok(())
                            })?;
                            nest(w, "CdtrAgt", |w| {
                                nest(w, "FinInstnId", |w| match &batch.bank.bic {
                                    Some(bic) => text(w, "BICFI", bic),
                                    None => nest(w, "ClrSysMmbId", |w| {
                                        nest(w, "ClrSysId", |w| text(w, "Prtry", "NAPAS"))?;
                                        text(w, "MmbId", &batch.bank.bin)
                                    }),
                                })
                            })?;
                            nest(w, "Cdtr", |w| text(w, "Nm", &p.creditor_name))?;
                            nest(w, "CdtrAcct", |w| other_account(w, &p.account))?;
                            nest(w, "RmtInf", |w| text(w, "Ustrd", &p.remittance))
                        })?;
                    }
                    Ok(())
                })
            })
        })?;
    w.get_mut().write_all(b"\n")
}
