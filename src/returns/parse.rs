//! Reading the banks' answers: pain.002 status reports (.001.03 and
//! .001.10 or later) and camt.054 notifications or camt.053 statements
//! (whose entries have the same shape), told apart by the namespace of their
//! `Document`. The reader keeps what matching needs (references, status,
//! reason, amount) and nothing else; element prefixes are ignored.

use quick_xml::Reader;
use quick_xml::events::Event;

/// The kind of answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// pain.002 customer payment status report.
    StatusReport,
    /// camt.054 debit/credit notification.
    Notification,
    /// camt.053 account statement.
    Statement,
}

impl Kind {
    /// The message name (`pain.002`).
    pub fn message(self) -> &'static str {
        match self {
            Kind::StatusReport => "pain.002",
            Kind::Notification => "camt.054",
            Kind::Statement => "camt.053",
        }
    }
}

/// What a bank says about one payment (or a whole message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Received or being checked; no decision yet.
    Pending,
    /// Accepted for execution, not yet settled.
    Accepted,
    /// Settled: the money reached the beneficiary's bank.
    Settled,
    /// Refused by the bank; nothing was paid.
    Rejected,
    /// Paid, then sent back by the beneficiary's bank.
    Returned,
}

impl Status {
    /// The ledger's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Accepted => "accepted",
            Status::Settled => "settled",
            Status::Rejected => "rejected",
            Status::Returned => "returned",
        }
    }
}

/// What a status code means for the payments it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// A status to record.
    Status(Status),
    /// Says nothing per payment (`PART`: look at the transactions).
    Informative,
    /// A code this reader does not know.
    Unknown,
}

/// The meaning of a pain.002 status code (`TxSts`, `PmtInfSts`, `GrpSts`).
pub fn pain002_meaning(code: &str) -> Meaning {
    match code {
        "RCVD" | "ACTC" | "PDNG" | "PATC" => Meaning::Status(Status::Pending),
        "ACCP" | "ACSP" | "ACWC" | "ACWP" | "ACFC" => Meaning::Status(Status::Accepted),
        "ACSC" | "ACCC" => Meaning::Status(Status::Settled),
        "RJCT" | "CANC" => Meaning::Status(Status::Rejected),
        "PART" => Meaning::Informative,
        _ => Meaning::Unknown,
    }
}

/// What an item of an answer applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every payment of the original message not reported one by one.
    Message,
    /// Every payment of one payment information block not reported one by one.
    PaymentInfo,
    /// One payment.
    Transaction,
}

/// An amount as written, with its currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    /// The text (`1000000` or `1000000.00`).
    pub text: String,
    /// The `Ccy` attribute.
    pub currency: String,
}

impl Amount {
    /// The amount in whole đồng, when it is VND and has no fraction.
    pub fn vnd(&self) -> Option<i64> {
        if self.currency != "VND" {
            return None;
        }
        let (whole, fraction) = self.text.split_once('.').unwrap_or((&self.text, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b == b'0')
        {
            return None;
        }
        whole.parse().ok()
    }
}

/// One statement of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Item {
    /// Where in the file (`TxInfAndSts 3`, `Ntry 2/TxDtls 1`), for people.
    pub location: String,
    /// What it applies to.
    pub scope: Option<Scope>,
    /// The original `MsgId`.
    pub message_id: Option<String>,
    /// The original `PmtInfId`.
    pub payment_info_id: Option<String>,
    /// The original `EndToEndId`.
    pub end_to_end_id: Option<String>,
    /// The status code as written (`RJCT`; for camt, `BOOK` or `RRTN`).
    pub code: String,
    /// What it means; `None` when the item carries no status.
    pub meaning: Option<Meaning>,
    /// Why the item cannot be used as it is, when it cannot.
    pub problem: Option<String>,
    /// ISO 20022 reason code.
    pub reason_code: String,
    /// The bank's additional text.
    pub reason_text: String,
    /// The amount the bank names, if any.
    pub amount: Option<Amount>,
    /// `OrgnlNbOfTxs` of a message-level item.
    pub count: Option<String>,
}

/// A parsed answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Which message.
    pub kind: Kind,
    /// Its namespace (`urn:iso:std:iso:20022:tech:xsd:pain.002.001.12`).
    pub namespace: String,
    /// Its `GrpHdr/MsgId`.
    pub message_id: String,
    /// Its `GrpHdr/CreDtTm`.
    pub created: String,
    /// What it says, in document order.
    pub items: Vec<Item>,
}

/// Why a file is not an answer this reader can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

const NS_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:";

/// The kind of answer a namespace names, if it is one this reader knows:
/// pain.002.001.03 or .10 and later, camt.054 and camt.053 of any version.
pub fn kind_of(namespace: &str) -> Result<Kind, ParseError> {
    let name = namespace.strip_prefix(NS_PREFIX).unwrap_or("");
    let version = |prefix: &str| -> Option<u32> { name.strip_prefix(prefix)?.parse().ok() };
    if let Some(v) = version("pain.002.001.") {
        return if v == 3 || v >= 10 {
            Ok(Kind::StatusReport)
        } else {
            Err(ParseError(format!(
                "pain.002 version .001.{v:02} is not supported (only .001.03 and .001.10 or later)"
            )))
        };
    }
    if version("camt.054.001.").is_some() {
        return Ok(Kind::Notification);
    }
    if version("camt.053.001.").is_some() {
        return Ok(Kind::Statement);
    }
    if name.starts_with("pain.001.") {
        return Err(ParseError(
            "this is a payment file (pain.001), not a bank's answer".to_owned(),
        ));
    }
    Err(ParseError(format!(
        "`{namespace}` is not a pain.002, camt.054 or camt.053 namespace"
    )))
}

/// The namespace of an XML document's root element when it is an ISO 20022
/// `Document`, without reading further (for telling answers from lists).
pub fn sniff_namespace(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(strip_bom(bytes)).ok()?;
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                if e.local_name().as_ref() != "Document" {
                    return None;
                }
                return e
                    .attributes()
                    .flatten()
                    .filter(|a| a.key.as_ref().starts_with("xmlns"))
                    .map(|a| a.value.into_owned())
                    .find(|v| v.starts_with(NS_PREFIX));
            }
            Ok(Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_)) => {}
            Ok(Event::Text(t)) if t.trim().is_empty() => {}
            _ => return None,
        }
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Parses an answer.
pub fn parse(bytes: &[u8]) -> Result<Answer, ParseError> {
    let text = std::str::from_utf8(strip_bom(bytes))
        .map_err(|e| ParseError(format!("not UTF-8 text (byte {})", e.valid_up_to())))?;
    let namespace = sniff_namespace(bytes).ok_or_else(|| {
        ParseError(
            "not an ISO 20022 document (no `Document` root with an ISO 20022 namespace)".to_owned(),
        )
    })?;
    let kind = kind_of(&namespace)?;
    let mut state = State::new(kind, namespace);
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut content = String::new();
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| ParseError(format!("not well-formed XML near byte {position}: {e}")))?;
        match event {
            Event::Start(e) => {
                stack.push(e.local_name().as_ref().to_owned());
                content.clear();
                let currency = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "Ccy")
                    .map(|a| a.value.into_owned());
                state.start(&stack, currency);
            }
            Event::Empty(e) => {
                stack.push(e.local_name().as_ref().to_owned());
                state.end(&stack, "");
                stack.pop();
            }
            Event::Text(t) => content.push_str(&t.xml10_content()),
            Event::CData(t) => content.push_str(&t),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::unescape(&format!("&{};", &*r))
                        .map_err(|e| ParseError(format!("near byte {position}: {e}")))?
                        .into_owned(),
                };
                content.push_str(&resolved);
            }
            Event::End(_) => {
                let value = std::mem::take(&mut content);
                state.end(&stack, value.trim());
                stack.pop();
            }
            Event::Eof if !stack.is_empty() => {
                return Err(ParseError(format!(
                    "not well-formed XML: the file ends inside `{}` (cut short?)",
                    stack.join("/")
                )));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    state.finish()
}

/// Whether `stack` ends with `suffix`.
fn ends(stack: &[String], suffix: &[&str]) -> bool {
    stack.len() >= suffix.len()
        && stack[stack.len() - suffix.len()..]
            .iter()
            .zip(suffix)
            .all(|(a, b)| a == b)
}

/// A camt entry being read.
#[derive(Default)]
struct Entry {
    number: usize,
    amount: Option<Amount>,
    credit_debit: String,
    reversal: bool,
    status: String,
    subfamily: String,
    details: Vec<Detail>,
}

/// A camt transaction detail being read.
#[derive(Default)]
struct Detail {
    message_id: Option<String>,
    payment_info_id: Option<String>,
    end_to_end_id: Option<String>,
    amount: Option<Amount>,
    credit_debit: String,
    subfamily: String,
    returned: bool,
    reason_code: String,
    reason_text: Vec<String>,
}

struct State {
    kind: Kind,
    namespace: String,
    message_id: String,
    created: String,
    items: Vec<Item>,
    group_message_id: Option<String>,
    group: Option<Item>,
    payment_info: Option<Item>,
    transaction: Option<Item>,
    transactions: usize,
    pending_currency: Option<String>,
    entry: Option<Entry>,
    entries: usize,
    detail: Option<Detail>,
}

impl State {
    fn new(kind: Kind, namespace: String) -> State {
        State {
            kind,
            namespace,
            message_id: String::new(),
            created: String::new(),
            items: Vec::new(),
            group_message_id: None,
            group: None,
            payment_info: None,
            transaction: None,
            transactions: 0,
            pending_currency: None,
            entry: None,
            entries: 0,
            detail: None,
        }
    }

    /// The innermost pain.002 item being read.
    fn current(&mut self) -> Option<&mut Item> {
        self.transaction
            .as_mut()
            .or(self.payment_info.as_mut())
            .or(self.group.as_mut())
    }

    fn start(&mut self, stack: &[String], currency: Option<String>) {
        self.pending_currency = currency;
        let name = stack.last().map(String::as_str).unwrap_or("");
        match (self.kind, name) {
            (Kind::StatusReport, "OrgnlGrpInfAndSts") => {
                self.group = Some(Item {
                    location: "OrgnlGrpInfAndSts".to_owned(),
                    scope: Some(Scope::Message),
                    ..Item::default()
                });
            }
            (Kind::StatusReport, "OrgnlPmtInfAndSts") => {
                self.payment_info = Some(Item {
                    location: "OrgnlPmtInfAndSts".to_owned(),
                    scope: Some(Scope::PaymentInfo),
                    message_id: self.group_message_id.clone(),
                    ..Item::default()
                });
            }
            (Kind::StatusReport, "TxInfAndSts") => {
                self.transactions += 1;
                self.transaction = Some(Item {
                    location: format!("TxInfAndSts {}", self.transactions),
                    scope: Some(Scope::Transaction),
                    message_id: self.group_message_id.clone(),
                    payment_info_id: self
                        .payment_info
                        .as_ref()
                        .and_then(|p| p.payment_info_id.clone()),
                    ..Item::default()
                });
            }
            (Kind::Notification | Kind::Statement, "Ntry") => {
                self.entries += 1;
                self.entry = Some(Entry {
                    number: self.entries,
                    ..Entry::default()
                });
            }
            (Kind::Notification | Kind::Statement, "TxDtls") if self.entry.is_some() => {
                self.detail = Some(Detail::default());
            }
            _ => {}
        }
    }

    fn end(&mut self, stack: &[String], value: &str) {
        let owned = || Some(value.to_owned());
        if ends(stack, &["GrpHdr", "MsgId"]) && stack.len() == 4 {
            self.message_id = value.to_owned();
            return;
        }
        if ends(stack, &["GrpHdr", "CreDtTm"]) && stack.len() == 4 {
            self.created = value.to_owned();
            return;
        }
        match self.kind {
            Kind::StatusReport => self.end_status_report(stack, value, owned),
            Kind::Notification | Kind::Statement => self.end_entry(stack, value),
        }
    }

    fn end_status_report(
        &mut self,
        stack: &[String],
        value: &str,
        owned: impl Fn() -> Option<String>,
    ) {
        let name = stack.last().map(String::as_str).unwrap_or("");
        if ends(stack, &["StsRsnInf", "Rsn", "Cd"]) || ends(stack, &["StsRsnInf", "Rsn", "Prtry"]) {
            if let Some(item) = self.current()
                && item.reason_code.is_empty()
            {
                item.reason_code = value.to_owned();
            }
            return;
        }
        if ends(stack, &["StsRsnInf", "AddtlInf"]) {
            if let Some(item) = self.current() {
                if !item.reason_text.is_empty() {
                    item.reason_text.push(' ');
                }
                item.reason_text.push_str(value);
            }
            return;
        }
        match name {
            "OrgnlMsgId" if ends(stack, &["OrgnlGrpInfAndSts", "OrgnlMsgId"]) => {
                self.group_message_id = owned();
                if let Some(g) = self.group.as_mut() {
                    g.message_id = owned();
                }
            }
            "OrgnlNbOfTxs" if ends(stack, &["OrgnlGrpInfAndSts", "OrgnlNbOfTxs"]) => {
                if let Some(g) = self.group.as_mut() {
                    g.count = owned();
                }
            }
            "OrgnlCtrlSum" if ends(stack, &["OrgnlGrpInfAndSts", "OrgnlCtrlSum"]) => {
                if let Some(g) = self.group.as_mut() {
                    g.amount = Some(Amount {
                        text: value.to_owned(),
                        currency: "VND".to_owned(),
                    });
                }
            }
            "GrpSts" => {
                if let Some(g) = self.group.as_mut() {
                    g.code = value.to_owned();
                    g.meaning = Some(pain002_meaning(value));
                }
            }
            "OrgnlPmtInfId" => {
                if let Some(p) = self.payment_info.as_mut() {
                    p.payment_info_id = owned();
                }
            }
            "PmtInfSts" => {
                if let Some(p) = self.payment_info.as_mut() {
                    p.code = value.to_owned();
                    p.meaning = Some(pain002_meaning(value));
                }
            }
            "OrgnlEndToEndId" => {
                if let Some(t) = self.transaction.as_mut() {
                    t.end_to_end_id = owned();
                }
            }
            "TxSts" => {
                if let Some(t) = self.transaction.as_mut() {
                    t.code = value.to_owned();
                    t.meaning = Some(pain002_meaning(value));
                }
            }
            "InstdAmt" if ends(stack, &["OrgnlTxRef", "Amt", "InstdAmt"]) => {
                let currency = self.pending_currency.take().unwrap_or_default();
                if let Some(t) = self.transaction.as_mut() {
                    t.amount = Some(Amount {
                        text: value.to_owned(),
                        currency,
                    });
                }
            }
            "TxInfAndSts" => {
                if let Some(t) = self.transaction.take() {
                    self.items.push(t);
                }
            }
            "OrgnlPmtInfAndSts" => {
                if let Some(p) = self.payment_info.take()
                    && p.meaning.is_some()
                {
                    self.items.push(p);
                }
            }
            "OrgnlGrpInfAndSts" => {
                if let Some(g) = self.group.take() {
                    self.items.push(g);
                }
            }
            _ => {}
        }
    }

    fn end_entry(&mut self, stack: &[String], value: &str) {
        let name = stack.last().map(String::as_str).unwrap_or("");
        if let Some(d) = self.detail.as_mut() {
            match name {
                "MsgId" if ends(stack, &["Refs", "MsgId"]) => d.message_id = Some(value.to_owned()),
                "PmtInfId" if ends(stack, &["Refs", "PmtInfId"]) => {
                    d.payment_info_id = Some(value.to_owned())
                }
                "EndToEndId" if ends(stack, &["Refs", "EndToEndId"]) => {
                    d.end_to_end_id = Some(value.to_owned())
                }
                "Amt"
                    if ends(stack, &["TxDtls", "Amt"])
                        || ends(stack, &["AmtDtls", "TxAmt", "Amt"])
                        || (ends(stack, &["AmtDtls", "InstdAmt", "Amt"]) && d.amount.is_none()) =>
                {
                    d.amount = Some(Amount {
                        text: value.to_owned(),
                        currency: self.pending_currency.take().unwrap_or_default(),
                    });
                }
                "CdtDbtInd" if ends(stack, &["TxDtls", "CdtDbtInd"]) => {
                    d.credit_debit = value.to_owned()
                }
                "SubFmlyCd" if ends(stack, &["TxDtls", "BkTxCd", "Domn", "Fmly", "SubFmlyCd"]) => {
                    d.subfamily = value.to_owned()
                }
                "RtrInf" => d.returned = true,
                "Cd" | "Prtry"
                    if ends(stack, &["RtrInf", "Rsn", name]) && d.reason_code.is_empty() =>
                {
                    d.reason_code = value.to_owned();
                }
                "AddtlInf" if ends(stack, &["RtrInf", "AddtlInf"]) => {
                    d.reason_text.push(value.to_owned())
                }
                "TxDtls" => {
                    if let (Some(d), Some(e)) = (self.detail.take(), self.entry.as_mut()) {
                        e.details.push(d);
                    }
                }
                _ => {}
            }
            return;
        }
        let Some(e) = self.entry.as_mut() else {
            return;
        };
        match name {
            "Amt" if ends(stack, &["Ntry", "Amt"]) => {
                e.amount = Some(Amount {
                    text: value.to_owned(),
                    currency: self.pending_currency.take().unwrap_or_default(),
                });
            }
            "CdtDbtInd" if ends(stack, &["Ntry", "CdtDbtInd"]) => e.credit_debit = value.to_owned(),
            "RvslInd" if ends(stack, &["Ntry", "RvslInd"]) => {
                e.reversal = value == "true" || value == "1"
            }
            "Cd" if ends(stack, &["Ntry", "Sts", "Cd"]) => e.status = value.to_owned(),
            "Sts" if ends(stack, &["Ntry", "Sts"]) && !value.is_empty() => {
                e.status = value.to_owned()
            }
            "SubFmlyCd" if ends(stack, &["Ntry", "BkTxCd", "Domn", "Fmly", "SubFmlyCd"]) => {
                e.subfamily = value.to_owned()
            }
            "Ntry" => {
                if let Some(entry) = self.entry.take() {
                    self.items.extend(entry_items(entry));
                }
            }
            _ => {}
        }
    }

    fn finish(self) -> Result<Answer, ParseError> {
        if self.message_id.is_empty() {
            return Err(ParseError(format!(
                "the {} has no GrpHdr/MsgId",
                self.kind.message()
            )));
        }
        Ok(Answer {
            kind: self.kind,
            namespace: self.namespace,
            message_id: self.message_id,
            created: self.created,
            items: self.items,
        })
    }
}

/// The items of one camt entry: one per transaction detail, or one for an
/// entry without details (which cannot be matched).
fn entry_items(entry: Entry) -> Vec<Item> {
    let single = entry.details.len() == 1;
    if entry.details.is_empty() {
        return vec![Item {
            location: format!("Ntry {}", entry.number),
            scope: Some(Scope::Transaction),
            code: entry.status.clone(),
            amount: entry.amount,
            problem: Some("the entry has no transaction details to match".to_owned()),
            ..Item::default()
        }];
    }
    entry
        .details
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let credit_debit = if d.credit_debit.is_empty() {
                entry.credit_debit.as_str()
            } else {
                d.credit_debit.as_str()
            };
            let returned = d.returned || d.subfamily == "RRTN" || entry.subfamily == "RRTN";
            let (code, meaning, problem) = if entry.reversal {
                (
                    "RVSL".to_owned(),
                    None,
                    Some("a reversal entry; check it with the bank by hand".to_owned()),
                )
            } else if returned {
                (
                    "RRTN".to_owned(),
                    Some(Meaning::Status(Status::Returned)),
                    None,
                )
            } else if credit_debit == "DBIT" {
                let meaning = match entry.status.as_str() {
                    "BOOK" => Meaning::Status(Status::Settled),
                    "PDNG" => Meaning::Status(Status::Pending),
                    "INFO" => Meaning::Informative,
                    _ => Meaning::Unknown,
                };
                (entry.status.clone(), Some(meaning), None)
            } else {
                (
                    credit_debit.to_owned(),
                    None,
                    Some("a credit to the account that is not a return".to_owned()),
                )
            };
            Item {
                location: format!("Ntry {}/TxDtls {}", entry.number, i + 1),
                scope: Some(Scope::Transaction),
                message_id: d.message_id,
                payment_info_id: d.payment_info_id,
                end_to_end_id: d.end_to_end_id,
                code,
                meaning,
                problem,
                reason_code: d.reason_code,
                reason_text: d.reason_text.join(" "),
                amount: d
                    .amount
                    .or_else(|| single.then(|| entry.amount.clone()).flatten()),
                count: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIN002: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.12">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2024-07-10T16:00:00+07:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>OFFICE-202407-AAAA0000-970405</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
      <OrgnlNbOfTxs>2</OrgnlNbOfTxs>
      <OrgnlCtrlSum>1080000</OrgnlCtrlSum>
      <GrpSts>PART</GrpSts>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>OFFICE-202407-AAAA0000-970405-1</OrgnlPmtInfId>
      <TxInfAndSts><OrgnlEndToEndId>OFFICE202407-01</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>
      <TxInfAndSts>
        <OrgnlEndToEndId>OFFICE202407-02</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>TAI KHOAN</AddtlInf><AddtlInf>DA DONG</AddtlInf></StsRsnInf>
        <OrgnlTxRef><Amt><InstdAmt Ccy="VND">720000</InstdAmt></Amt></OrgnlTxRef>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>"#;

    const CAMT054: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>NTF-1</MsgId><CreDtTm>2024-07-15T09:00:00+07:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>NTF-1-1</Id>
      <Acct><Id><Othr><Id>3761012345678</Id></Othr></Id></Acct>
      <Ntry>
        <Amt Ccy="VND">360000</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>false</RvslInd>
        <Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2024-07-15</Dt></BookgDt>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><MsgId>OFFICE-202407-AAAA0000-970405</MsgId><EndToEndId>OFFICE202407-01</EndToEndId></Refs>
          <CdtDbtInd>CRDT</CdtDbtInd>
          <RtrInf><Rsn><Cd>MD07</Cd></Rsn><AddtlInf>NGUOI HUONG DA CHET</AddtlInf></RtrInf>
        </TxDtls></NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>"#;

    #[test]
    fn a_status_report_gives_its_group_and_transactions() {
        let answer = parse(PAIN002.as_bytes()).unwrap();
        assert_eq!(answer.kind, Kind::StatusReport);
        assert_eq!(answer.message_id, "STS-1");
        let group = &answer.items[0];
        assert_eq!(group.scope, Some(Scope::Message));
        assert_eq!(group.meaning, Some(Meaning::Informative));
        assert_eq!(group.count.as_deref(), Some("2"));
        let rejected = &answer.items[2];
        assert_eq!(rejected.end_to_end_id.as_deref(), Some("OFFICE202407-02"));
        assert_eq!(
            rejected.payment_info_id.as_deref(),
            Some("OFFICE-202407-AAAA0000-970405-1")
        );
        assert_eq!(
            rejected.message_id.as_deref(),
            Some("OFFICE-202407-AAAA0000-970405")
        );
        assert_eq!(rejected.meaning, Some(Meaning::Status(Status::Rejected)));
        assert_eq!(rejected.reason_code, "AC04");
        assert_eq!(rejected.reason_text, "TAI KHOAN DA DONG");
        assert_eq!(
            rejected.amount.as_ref().and_then(Amount::vnd),
            Some(720_000)
        );
    }

    #[test]
    fn a_return_in_a_notification_is_returned_with_its_reason() {
        let answer = parse(CAMT054.as_bytes()).unwrap();
        assert_eq!(answer.kind, Kind::Notification);
        let item = &answer.items[0];
        assert_eq!(item.meaning, Some(Meaning::Status(Status::Returned)));
        assert_eq!(item.reason_code, "MD07");
        assert_eq!(item.end_to_end_id.as_deref(), Some("OFFICE202407-01"));
        assert_eq!(item.reason_text, "NGUOI HUONG DA CHET");
        assert_eq!(item.amount.as_ref().and_then(Amount::vnd), Some(360_000));
    }

    #[test]
    fn prefixes_entities_and_decimals_are_read() {
        let xml = r#"<?xml version="1.0"?>
<p:Document xmlns:p="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><p:CstmrPmtStsRpt>
<p:GrpHdr><p:MsgId>A&amp;B</p:MsgId><p:CreDtTm>2024-07-10T16:00:00</p:CreDtTm></p:GrpHdr>
<p:OrgnlGrpInfAndSts><p:OrgnlMsgId>M1</p:OrgnlMsgId><p:OrgnlMsgNmId>pain.001.001.09</p:OrgnlMsgNmId><p:GrpSts>RJCT</p:GrpSts>
<p:StsRsnInf><p:Rsn><p:Cd>FF01</p:Cd></p:Rsn><p:AddtlInf>L&#7894;I &lt;1&gt;</p:AddtlInf></p:StsRsnInf></p:OrgnlGrpInfAndSts>
</p:CstmrPmtStsRpt></p:Document>"#;
        let answer = parse(xml.as_bytes()).unwrap();
        assert_eq!(answer.message_id, "A&B");
        assert_eq!(answer.items.len(), 1);
        assert_eq!(
            answer.items[0].meaning,
            Some(Meaning::Status(Status::Rejected))
        );
        assert_eq!(answer.items[0].reason_text, "LỖI <1>");
        let amount = |text: &str, currency: &str| Amount {
            text: text.to_owned(),
            currency: currency.to_owned(),
        };
        assert_eq!(amount("1000000.00", "VND").vnd(), Some(1_000_000));
        assert_eq!(amount("1000000.50", "VND").vnd(), None);
        assert_eq!(amount("1000000", "USD").vnd(), None);
    }

    #[test]
    fn what_is_not_an_answer_says_what_it_is() {
        let pain001 = PAIN002.replace("pain.002.001.12", "pain.001.001.09");
        assert!(
            parse(pain001.as_bytes())
                .unwrap_err()
                .0
                .contains("pain.001")
        );
        assert!(
            parse(b"STT,Ho ten\n1,A\n")
                .unwrap_err()
                .0
                .contains("not an ISO 20022")
        );
        let broken = PAIN002.replace("</TxSts>", "");
        assert!(
            parse(broken.as_bytes())
                .unwrap_err()
                .0
                .contains("not well-formed")
        );
        let old = PAIN002.replace("pain.002.001.12", "pain.002.001.05");
        assert!(parse(old.as_bytes()).unwrap_err().0.contains(".001.05"));
    }
}
