//! Bank answers built the way banks write them, for the payments of a batch
//! the tests made: pain.002 status reports (.001.03 and .001.12) and
//! camt.054 notifications (.001.08). The XSD test validates every shape
//! built here against the official schemas.

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
             FROM payments ORDER BY batch_id, row",
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
        .prepare("SELECT end_to_end_id, status, reason_code FROM payments")
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

/// A pain.002 (`version` "03" or "12") about one original message, with a
/// group status (and reason) and transaction statuses.
pub fn pain002(
    version: &str,
    msg_id: &str,
    original: &Original,
    (group_status, group_reason): (&str, Option<&str>),
    txs: &[TxStatus<'_>],
) -> String {
    let Original {
        message_id: original_message,
        count: original_count,
        sum: original_sum,
    } = original;
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.{version}">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>{msg_id}</MsgId>
      <CreDtTm>2024-01-10T16:00:00+07:00</CreDtTm>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>{original_message}</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
      <OrgnlNbOfTxs>{original_count}</OrgnlNbOfTxs>
      <OrgnlCtrlSum>{original_sum}</OrgnlCtrlSum>
      <GrpSts>{group_status}</GrpSts>
"#
    );
    if let Some(code) = group_reason {
        xml.push_str(&format!(
            "      <StsRsnInf><Rsn><Cd>{code}</Cd></Rsn><AddtlInf>TEP BI TU CHOI</AddtlInf></StsRsnInf>\n"
        ));
    }
    xml.push_str("    </OrgnlGrpInfAndSts>\n");
    if !txs.is_empty() {
        xml.push_str(&format!(
            "    <OrgnlPmtInfAndSts>\n      <OrgnlPmtInfId>{original_message}-1</OrgnlPmtInfId>\n"
        ));
        for t in txs {
            xml.push_str(&format!(
                "      <TxInfAndSts>\n        <OrgnlEndToEndId>{}</OrgnlEndToEndId>\n        <TxSts>{}</TxSts>\n",
                t.payment.end_to_end_id, t.status
            ));
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

/// A camt.054.001.08 entry: a return of a payment (with the reason) or the
/// booking of its debit.
pub enum Entry<'a> {
    Returned(&'a Sent, &'a str, &'a str),
    Booked(&'a Sent),
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
        let (p, indicator, subfamily, return_info) = match e {
            Entry::Returned(p, code, text) => (
                *p,
                "CRDT",
                "RRTN",
                format!(
                    "\n            <RtrInf>\n              <Rsn><Cd>{code}</Cd></Rsn>\n              <AddtlInf>{text}</AddtlInf>\n            </RtrInf>"
                ),
            ),
            Entry::Booked(p) => (*p, "DBIT", "ESCT", String::new()),
        };
        xml.push_str(&format!(
            r#"      <Ntry>
        <Amt Ccy="VND">{amount}</Amt>
        <CdtDbtInd>{indicator}</CdtDbtInd>
        <RvslInd>false</RvslInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2024-01-15</Dt></BookgDt>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>{subfamily}</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs>
              <MsgId>{message}</MsgId>
              <PmtInfId>{message}-1</PmtInfId>
              <EndToEndId>{e2e}</EndToEndId>
            </Refs>
            <Amt Ccy="VND">{amount}</Amt>
            <CdtDbtInd>{indicator}</CdtDbtInd>{return_info}
          </TxDtls>
        </NtryDtls>
      </Ntry>
"#,
            amount = p.amount_vnd,
            message = p.message_id,
            e2e = p.end_to_end_id,
        ));
    }
    xml.push_str("    </Ntfctn>\n  </BkToCstmrDbtCdtNtfctn>\n</Document>\n");
    xml
}
