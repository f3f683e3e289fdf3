//! Bank answers built the way banks write them, for the payments of a batch
//! the tests made: pain.002 status reports (.001.03 and .001.12, with group,
//! block and transaction statuses), camt.054 notifications and camt.053
//! statements (.001.08: single bookings, returns, reversals, batch-booked
//! blocks, netted entries), and the business application header envelope.
//! The shapes are modelled on the samples banks publish; the XSD test
//! validates every one built here against the official schemas.

use super::Workdir;

/// Runs `list` for 2024-01 with the test's ledger into `out`; the summary.
pub fn pay(w: &Workdir, list: &str, out: &str) -> serde_json::Value {
    let outcome = w.ok(&[
        "run",
        list,
        "--period",
        "2024-01",
        "--ledger",
        "ledger.sqlite",
        "--out",
        out,
        "--json",
    ]);
    serde_json::from_str(&outcome.stdout).unwrap()
}

/// A batch of `rows` generated rows paid with a ledger; its payments.
pub fn paid_batch(w: &Workdir, rows: usize) -> Vec<Sent> {
    w.write("lists/chi-tra-2024-01.csv", super::generated_list(rows, 5));
    pay(w, "lists/chi-tra-2024-01.csv", "out/batch");
    sent(&w.join("ledger.sqlite"))
}

/// The payments of each bank file, largest file first.
pub fn by_message(payments: &[Sent]) -> Vec<Vec<&Sent>> {
    let mut map: std::collections::BTreeMap<&str, Vec<&Sent>> = std::collections::BTreeMap::new();
    for p in payments {
        map.entry(&p.message_id).or_default().push(p);
    }
    let mut files: Vec<Vec<&Sent>> = map.into_values().collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.len()));
    files
}

/// `disburse status --json` for 2024-01.
pub fn status_json(w: &Workdir) -> serde_json::Value {
    let out = w.ok(&[
        "status",
        "--ledger",
        "ledger.sqlite",
        "--period",
        "2024-01",
        "--json",
    ]);
    serde_json::from_str(&out.stdout).unwrap()
}

/// The cells of one column of a CSV read by `csv_records`, header left out.
pub fn column(records: &[Vec<String>], name: &str) -> Vec<String> {
    let i = records[0].iter().position(|h| h == name).unwrap();
    records[1..].iter().map(|r| r[i].clone()).collect()
}

/// One payment as the ledger recorded it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub end_to_end_id: String,
    pub message_id: String,
    pub amount_vnd: i64,
    pub bank_bin: String,
    pub account: String,
    pub name: String,
    pub row: u32,
    pub beneficiary_key: String,
}

/// Every payment of a ledger, in batch and row order.
pub fn sent(ledger: &std::path::Path) -> Vec<Sent> {
    let conn = rusqlite::Connection::open(ledger).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT end_to_end_id, message_id, amount_vnd, bank_bin, account, name, row, beneficiary_key
             FROM payment_details ORDER BY batch_id, row",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok(Sent {
            end_to_end_id: r.get(0)?,
            message_id: r.get(1)?,
            amount_vnd: r.get(2)?,
            bank_bin: r.get(3)?,
            account: r.get(4)?,
            name: r.get(5)?,
            row: r.get(6)?,
            beneficiary_key: r.get(7)?,
        })
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// The status of every payment, by end-to-end id.
pub fn statuses(ledger: &std::path::Path) -> std::collections::BTreeMap<String, (String, String)> {
    let conn = rusqlite::Connection::open(ledger).unwrap();
    let mut stmt = conn
        .prepare("SELECT end_to_end_id, status, reason_code FROM payment_details")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A transaction's status in a pain.002.
pub struct TxStatus<'a> {
    pub payment: &'a Sent,
    pub status: &'a str,
    pub reason: Option<(&'a str, &'a str)>,
    /// The amount to name, when the report names one.
    pub amount: Option<i64>,
}

/// The original message a pain.002 reports on.
pub struct Original {
    pub message_id: String,
    pub count: usize,
    pub sum: i64,
}

impl Original {
    /// The message of these payments (all of one bank file).
    pub fn of(payments: &[&Sent]) -> Original {
        Original {
            message_id: payments[0].message_id.clone(),
            count: payments.len(),
            sum: payments.iter().map(|p| p.amount_vnd).sum(),
        }
    }
}

/// The totals a status report gives for what it reports on: the
/// original number of transactions and control sum.
#[derive(Debug, Clone, Copy)]
pub struct Totals {
    pub count: usize,
    pub sum: i64,
}

impl Totals {
    /// The totals of these payments.
    pub fn of(payments: &[&Sent]) -> Totals {
        Totals {
            count: payments.len(),
            sum: payments.iter().map(|p| p.amount_vnd).sum(),
        }
    }
}

/// A payment-block statement of a pain.002 (`OrgnlPmtInfAndSts`).
pub struct Block<'a> {
    /// `OrgnlPmtInfId`.
    pub id: String,
    /// `OrgnlNbOfTxs` and `OrgnlCtrlSum`, when given.
    pub totals: Option<Totals>,
    /// `PmtInfSts`, when given, with its reason code and text.
    pub status: Option<(&'a str, Option<(&'a str, &'a str)>)>,
    /// The transactions it names.
    pub txs: Vec<TxStatus<'a>>,
}

/// A pain.002 status report about one original message.
pub struct Report<'a> {
    /// `"03"` or `"12"`.
    pub version: &'a str,
    /// Its own `MsgId`.
    pub msg_id: &'a str,
    /// `OrgnlMsgId`.
    pub original: String,
    /// The group's `OrgnlNbOfTxs` and `OrgnlCtrlSum`, when given.
    pub totals: Option<Totals>,
    /// `GrpSts`, when given, with its reason code.
    pub status: Option<(&'a str, Option<&'a str>)>,
    /// The payment blocks it reports on.
    pub blocks: Vec<Block<'a>>,
}

impl Report<'_> {
    /// The XML, as banks write it.
    pub fn xml(&self) -> String {
        let mut xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.{}">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>{}</MsgId>
      <CreDtTm>2024-01-10T16:00:00+07:00</CreDtTm>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>{}</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
"#,
            self.version, self.msg_id, self.original
        );
        if let Some(t) = self.totals {
            xml.push_str(&format!(
                "      <OrgnlNbOfTxs>{}</OrgnlNbOfTxs>\n      <OrgnlCtrlSum>{}</OrgnlCtrlSum>\n",
                t.count, t.sum
            ));
        }
        if let Some((status, reason)) = self.status {
            xml.push_str(&format!("      <GrpSts>{status}</GrpSts>\n"));
            if let Some(code) = reason {
                xml.push_str(&format!(
                    "      <StsRsnInf><Rsn><Cd>{code}</Cd></Rsn><AddtlInf>TEP BI TU CHOI</AddtlInf></StsRsnInf>\n"
                ));
            }
        }
        xml.push_str("    </OrgnlGrpInfAndSts>\n");
        for b in &self.blocks {
            xml.push_str(&format!(
                "    <OrgnlPmtInfAndSts>\n      <OrgnlPmtInfId>{}</OrgnlPmtInfId>\n",
                b.id
            ));
            if let Some(t) = b.totals {
                xml.push_str(&format!(
                    "      <OrgnlNbOfTxs>{}</OrgnlNbOfTxs>\n      <OrgnlCtrlSum>{}</OrgnlCtrlSum>\n",
                    t.count, t.sum
                ));
            }
            if let Some((status, reason)) = b.status {
                xml.push_str(&format!("      <PmtInfSts>{status}</PmtInfSts>\n"));
                if let Some((code, text)) = reason {
                    xml.push_str(&format!(
                        "      <StsRsnInf><Rsn><Cd>{code}</Cd></Rsn><AddtlInf>{text}</AddtlInf></StsRsnInf>\n"
                    ));
                }
            }
            for t in &b.txs {
                xml.push_str(&format!(
                    "      <TxInfAndSts>\n        <OrgnlEndToEndId>{}</OrgnlEndToEndId>\n",
                    t.payment.end_to_end_id
                ));
                if !t.status.is_empty() {
                    xml.push_str(&format!("        <TxSts>{}</TxSts>\n", t.status));
                }
                if let Some((code, text)) = t.reason {
                    xml.push_str(&format!(
                        "        <StsRsnInf>\n          <Rsn><Cd>{code}</Cd></Rsn>\n          <AddtlInf>{text}</AddtlInf>\n        </StsRsnInf>\n"
                    ));
                }
                if let Some(amount) = t.amount {
                    xml.push_str(&format!(
                        "        <OrgnlTxRef><Amt><InstdAmt Ccy=\"VND\">{amount}</InstdAmt></Amt></OrgnlTxRef>\n"
                    ));
                }
                xml.push_str("      </TxInfAndSts>\n");
            }
            xml.push_str("    </OrgnlPmtInfAndSts>\n");
        }
        xml.push_str("  </CstmrPmtStsRpt>\n</Document>\n");
        xml
    }
}

/// A pain.002 (`version` "03" or "12") about one original message, with a
/// group status (and reason) and transaction statuses (a `status` of ""
/// writes no `TxSts`), all in the message's one payment block.
pub fn pain002(
    version: &str,
    msg_id: &str,
    original: &Original,
    (group_status, group_reason): (&str, Option<&str>),
    txs: &[TxStatus<'_>],
) -> String {
    let blocks = if txs.is_empty() {
        Vec::new()
    } else {
        vec![Block {
            id: format!("{}-1", original.message_id),
            totals: None,
            status: None,
            txs: txs
                .iter()
                .map(|t| TxStatus {
                    payment: t.payment,
                    status: t.status,
                    reason: t.reason,
                    amount: t.amount,
                })
                .collect(),
        }]
    };
    Report {
        version,
        msg_id,
        original: original.message_id.clone(),
        totals: Some(Totals {
            count: original.count,
            sum: original.sum,
        }),
        status: Some((group_status, group_reason)),
        blocks,
    }
    .xml()
}

/// The same message in a business application header envelope, as CBPR+
/// sends it: `AppHdr` (head.001.001.02) beside the `Document`.
pub fn in_envelope(document: &str, message: &str) -> String {
    let body = document
        .strip_prefix(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
        .unwrap_or(document)
        .trim_start();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="urn:swift:xsd:envelope">
  <AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">
    <Fr><FIId><FinInstnId><BICFI>VBAAVNVXXXX</BICFI></FinInstnId></FIId></Fr>
    <To><FIId><FinInstnId><BICFI>KBNNVNVXXXX</BICFI></FinInstnId></FIId></To>
    <BizMsgIdr>ENV-1</BizMsgIdr>
    <MsgDefIdr>{message}</MsgDefIdr>
    <CreDt>2024-01-10T09:00:00Z</CreDt>
  </AppHdr>
  {body}</Envelope>
"#
    )
}

/// The same message as a SWIFT Alliance Access `DataPDU` delivers it: a
/// header of its own, then the `AppHdr` and the `Document` in its body.
pub fn in_saa_envelope(document: &str, message: &str) -> String {
    let enveloped = in_envelope(document, message);
    let inner = enveloped
        .split_once("<Envelope xmlns=\"urn:swift:xsd:envelope\">")
        .and_then(|(_, rest)| rest.rsplit_once("</Envelope>"))
        .map(|(inner, _)| inner)
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Saa:DataPDU xmlns:Saa="urn:swift:saa:xsd:saa.2.0">
  <Saa:Revision>2.0.15</Saa:Revision>
  <Saa:Header>
    <Saa:Message>
      <Saa:SenderReference>SAA-1</Saa:SenderReference>
      <Saa:MessageIdentifier>{message}</Saa:MessageIdentifier>
      <Saa:Format>MX</Saa:Format>
      <Saa:NetworkInfo><Saa:SWIFTNetNetworkInfo><Saa:RequestType>{message}</Saa:RequestType></Saa:SWIFTNetNetworkInfo></Saa:NetworkInfo>
    </Saa:Message>
  </Saa:Header>
  <Saa:Body>{inner}</Saa:Body>
</Saa:DataPDU>
"#
    )
}

/// A reason code and the bank's text.
pub type Reason<'a> = (&'a str, &'a str);

/// A camt entry, as banks book what the treasury sent.
pub enum Entry<'a> {
    /// A return: a credit with the return code `RRTN` and `RtrInf`.
    Returned(&'a Sent, &'a str, &'a str),
    /// The booking of one payment's debit.
    Booked(&'a Sent),
    /// The booking of one payment's debit whose transaction details carry
    /// the indicator given (`CRDT`: "a credit transfer"), and return
    /// information when given.
    BookedSaying(&'a Sent, &'a str, Option<(&'a str, &'a str)>),
    /// A return booked as a reversal (`RvslInd` true) of the debit: a
    /// credit, with `RtrInf` when a reason is given, and the bank
    /// transaction sub-family given (`RRTN`, or `ESCT` as some banks
    /// keep the original's).
    Reversal(&'a Sent, Option<(&'a str, &'a str)>, &'a str),
    /// A reversal of a credit: a debit flagged `RvslInd`.
    DebitReversal(&'a Sent),
    /// A payment block booked as one debit (`BtchBookg`): `NtryDtls/Btch`
    /// with the message, its block, a count and a total, and no
    /// transaction details.
    Batch {
        message_id: &'a str,
        count: usize,
        total: i64,
    },
    /// One entry for several transactions, each with its own indicator
    /// and return information; the entry books `amount` in direction
    /// `indicator`.
    Netted {
        indicator: &'a str,
        amount: i64,
        txs: Vec<(&'a Sent, &'a str, Option<Reason<'a>>)>,
    },
}

fn tx_details(
    p: &Sent,
    indicator: &str,
    return_info: Option<(&str, &str)>,
    subfamily: Option<&str>,
) -> String {
    let code = subfamily
        .map(|s| {
            format!(
                "\n            <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>{s}</SubFmlyCd></Fmly></Domn></BkTxCd>"
            )
        })
        .unwrap_or_default();
    let returned = return_info
        .map(|(code, text)| {
            format!(
                "\n            <RtrInf>\n              <Rsn><Cd>{code}</Cd></Rsn>\n              <AddtlInf>{text}</AddtlInf>\n            </RtrInf>"
            )
        })
        .unwrap_or_default();
    format!(
        r#"
          <TxDtls>
            <Refs>
              <MsgId>{message}</MsgId>
              <PmtInfId>{message}-1</PmtInfId>
              <EndToEndId>{e2e}</EndToEndId>
            </Refs>
            <Amt Ccy="VND">{amount}</Amt>
            <CdtDbtInd>{indicator}</CdtDbtInd>{code}{returned}
          </TxDtls>"#,
        amount = p.amount_vnd,
        message = p.message_id,
        e2e = p.end_to_end_id,
    )
}

fn entry_xml(e: &Entry<'_>) -> String {
    let (amount, indicator, reversal, subfamily, details) = match e {
        Entry::Returned(p, code, text) => (
            p.amount_vnd,
            "CRDT",
            false,
            "RRTN",
            tx_details(p, "CRDT", Some((code, text)), None),
        ),
        Entry::Booked(p) => (
            p.amount_vnd,
            "DBIT",
            false,
            "ESCT",
            tx_details(p, "DBIT", None, None),
        ),
        Entry::BookedSaying(p, says, return_info) => (
            p.amount_vnd,
            "DBIT",
            false,
            "ESCT",
            tx_details(p, says, *return_info, None),
        ),
        Entry::Reversal(p, return_info, subfamily) => (
            p.amount_vnd,
            "CRDT",
            true,
            *subfamily,
            tx_details(p, "CRDT", *return_info, None),
        ),
        Entry::DebitReversal(p) => (
            p.amount_vnd,
            "DBIT",
            true,
            "ESCT",
            tx_details(p, "DBIT", None, None),
        ),
        Entry::Batch {
            message_id,
            count,
            total,
        } => (
            *total,
            "DBIT",
            false,
            "ESCT",
            format!(
                r#"
          <Btch>
            <MsgId>{message_id}</MsgId>
            <PmtInfId>{message_id}-1</PmtInfId>
            <NbOfTxs>{count}</NbOfTxs>
            <TtlAmt Ccy="VND">{total}</TtlAmt>
            <CdtDbtInd>DBIT</CdtDbtInd>
          </Btch>"#
            ),
        ),
        Entry::Netted {
            indicator,
            amount,
            txs,
        } => (
            *amount,
            *indicator,
            false,
            "ESCT",
            txs.iter()
                .map(|(p, ind, ret)| {
                    let sub = if ret.is_some() { "RRTN" } else { "ESCT" };
                    tx_details(p, ind, *ret, Some(sub))
                })
                .collect(),
        ),
    };
    format!(
        r#"      <Ntry>
        <Amt Ccy="VND">{amount}</Amt>
        <CdtDbtInd>{indicator}</CdtDbtInd>
        <RvslInd>{reversal}</RvslInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2024-01-15</Dt></BookgDt>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>{subfamily}</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>{details}
        </NtryDtls>
      </Ntry>
"#
    )
}

/// A camt.054.001.08 notification for the treasury's account.
pub fn camt054(msg_id: &str, entries: &[Entry<'_>]) -> String {
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr>
      <MsgId>{msg_id}</MsgId>
      <CreDtTm>2024-01-15T09:00:00+07:00</CreDtTm>
    </GrpHdr>
    <Ntfctn>
      <Id>{msg_id}-1</Id>
      <Acct><Id><Othr><Id>3761012345678</Id></Othr></Id></Acct>
"#
    );
    for e in entries {
        xml.push_str(&entry_xml(e));
    }
    xml.push_str("    </Ntfctn>\n  </BkToCstmrDbtCdtNtfctn>\n</Document>\n");
    xml
}

/// A camt.053.001.08 end-of-day statement of the treasury's account.
pub fn camt053(msg_id: &str, entries: &[Entry<'_>]) -> String {
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>{msg_id}</MsgId>
      <CreDtTm>2024-01-15T23:00:00+07:00</CreDtTm>
    </GrpHdr>
    <Stmt>
      <Id>{msg_id}-1</Id>
      <Acct><Id><Othr><Id>3761012345678</Id></Othr></Id></Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="VND">1000000000</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2024-01-15</Dt></Dt>
      </Bal>
"#
    );
    for e in entries {
        xml.push_str(&entry_xml(e));
    }
    xml.push_str("    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n");
    xml
}
