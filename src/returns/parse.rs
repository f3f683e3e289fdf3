//! Reading the banks' answers: pain.002 status reports (.001.03 and
//! .001.10 or later) and camt.054 notifications or camt.053 statements
//! (whose entries have the same shape). The message is the ISO 20022
//! `Document` at the root of the file, or inside an envelope beside its
//! business application header (`AppHdr`, as CBPR+ sends it); its namespace
//! names the message, in the ISO form or a country's variant of it
//! (`http://www.six-interbank-clearing.com/de/pain.002.001.03.ch.02.xsd`).
//! The reader keeps what matching needs (references, status, reason,
//! amounts, counts) and nothing else; element prefixes are ignored.
//!
//! How a camt entry is read, following the standard's usage: the entry's
//! `CdtDbtInd` is the booking on the treasury's account and governs. A
//! transaction's own indicator counts only inside an entry whose
//! transactions go both ways (a netted entry), and then only when they net
//! to the entry's amount. A return is money coming back: a booked credit carrying return
//! information (`RtrInf` or the return code `RRTN`), whether or not it is
//! flagged as a reversal. Anything else that disagrees is listed, not
//! applied.

use quick_xml::Reader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::ledger::PaymentStatus;

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

    /// The element the message's content opens with, inside `Document`.
    fn element(self) -> &'static str {
        match self {
            Kind::StatusReport => "CstmrPmtStsRpt",
            Kind::Notification => "BkToCstmrDbtCdtNtfctn",
            Kind::Statement => "BkToCstmrStmt",
        }
    }
}

/// What a status code means for the payments it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// A status to record.
    Status(PaymentStatus),
    /// Says nothing per payment (`PART`: look at the transactions).
    Informative,
    /// A code this reader does not know.
    Unknown,
}

/// The meaning of a pain.002 status code (`TxSts`, `PmtInfSts`, `GrpSts`).
pub fn pain002_meaning(code: &str) -> Meaning {
    match code {
        "RCVD" | "ACTC" | "PDNG" | "PATC" => Meaning::Status(PaymentStatus::Pending),
        "ACCP" | "ACSP" | "ACWC" | "ACWP" | "ACFC" => Meaning::Status(PaymentStatus::Accepted),
        "ACSC" | "ACCC" => Meaning::Status(PaymentStatus::Settled),
        "RJCT" | "CANC" => Meaning::Status(PaymentStatus::Rejected),
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
    /// A payment information block booked as one camt entry (`Btch`).
    Batch,
    /// One payment.
    Transaction,
}

/// An amount as written, with its currency when the message gives one
/// (a control sum has none: it adds up amounts of the file's currency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    /// The text (`1000000` or `1000000.00`).
    pub text: String,
    /// The `Ccy` attribute; `None` for a control sum.
    pub currency: Option<String>,
}

impl Amount {
    /// An amount with its currency.
    pub fn in_currency(text: &str, currency: Option<String>) -> Amount {
        Amount {
            text: text.to_owned(),
            currency: Some(currency.unwrap_or_default()),
        }
    }

    /// A control sum, which has no currency of its own.
    pub fn sum(text: &str) -> Amount {
        Amount {
            text: text.to_owned(),
            currency: None,
        }
    }

    /// The amount in whole đồng, when it is VND (or a control sum) and has
    /// no fraction.
    pub fn vnd(&self) -> Option<i64> {
        if self.currency.as_deref().is_some_and(|c| c != "VND") {
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

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.currency {
            Some(currency) if !currency.is_empty() => write!(f, "{} {currency}", self.text),
            _ => f.write_str(&self.text),
        }
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
    /// The amount the bank names: a transaction's amount, or the control
    /// sum (or batch total) of a message, block or batch.
    pub amount: Option<Amount>,
    /// The original number of transactions of a message, block or batch.
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

/// How deep in an envelope the message's `Document` may sit.
const MAX_ENVELOPE_DEPTH: usize = 3;

/// The message identifier a namespace names (`pain.002.001.03`), in the ISO
/// form (`urn:iso:std:iso:20022:tech:xsd:pain.002.001.03`) or a country's
/// variant of it (`http://…/de/pain.002.001.03.ch.02.xsd`).
pub fn message_identifier(namespace: &str) -> Option<&str> {
    let b = namespace.as_bytes();
    let shape = |s: &[u8]| {
        s.len() == 15
            && s[..4].iter().all(u8::is_ascii_lowercase)
            && [4, 8, 12].iter().all(|&i| s[i] == b'.')
            && [5..8, 9..12, 13..15]
                .into_iter()
                .all(|r| s[r].iter().all(u8::is_ascii_digit))
    };
    (0..b.len().saturating_sub(14))
        .filter(|&i| i == 0 || !b[i - 1].is_ascii_alphanumeric())
        .find(|&i| shape(&b[i..i + 15]) && b.get(i + 15).is_none_or(|c| !c.is_ascii_digit()))
        .map(|i| &namespace[i..i + 15])
}

/// The kind of answer a message identifier names, if it is one this reader
/// knows: pain.002.001.03 or .10 and later, camt.054 and camt.053 of any
/// version. `place` says where it was found, for the message.
fn kind_of(identifier: &str, place: &str) -> Result<Kind, ParseError> {
    let version = |prefix: &str| -> Option<u32> { identifier.strip_prefix(prefix)?.parse().ok() };
    if let Some(v) = version("pain.002.001.") {
        return if v == 3 || v >= 10 {
            Ok(Kind::StatusReport)
        } else {
            Err(ParseError(format!(
                "pain.002 version .001.{v:02} is not supported (only .001.03 and .001.10 or later; {place})"
            )))
        };
    }
    if version("camt.054.001.").is_some() {
        return Ok(Kind::Notification);
    }
    if version("camt.053.001.").is_some() {
        return Ok(Kind::Statement);
    }
    if identifier.starts_with("pain.001.") {
        return Err(ParseError(format!(
            "this is a payment file (pain.001), not a bank's answer ({place})"
        )));
    }
    Err(ParseError(format!(
        "`{identifier}` is not a bank answer disburse reads ({place}); it reads pain.002, camt.054 and camt.053"
    )))
}

/// Where the message of a file is.
#[derive(Debug)]
struct Located<'a> {
    /// The `Document`'s namespace.
    namespace: String,
    /// The root element's name: `Document`, or an envelope's.
    root: String,
    /// The text from the `Document`'s start tag on.
    body: &'a str,
}

impl Located<'_> {
    /// Where the message is, for messages: "namespace `…`, root `…`".
    fn place(&self) -> String {
        if self.root == "Document" {
            format!("namespace `{}`, root `Document`", self.namespace)
        } else {
            format!(
                "namespace `{}`, in a `{}` envelope",
                self.namespace, self.root
            )
        }
    }
}

fn namespace_of(result: ResolveResult<'_>) -> Result<String, ParseError> {
    match result {
        ResolveResult::Bound(ns) => Ok(ns.as_ref().to_owned()),
        ResolveResult::Unbound => Ok(String::new()),
        ResolveResult::Unknown(prefix) => Err(ParseError(format!(
            "not well-formed XML: the prefix `{prefix}` is not declared"
        ))),
    }
}

/// Finds the message's `Document`: the root, or inside an envelope (whose
/// business application header is passed over).
fn locate(text: &str) -> Result<Located<'_>, ParseError> {
    const NOT_ISO: &str = "not an ISO 20022 document";
    let mut reader = NsReader::from_str(text);
    let mut root: Option<(String, String)> = None;
    let mut depth = 0usize;
    loop {
        let position = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| {
            ParseError(format!(
                "{NOT_ISO}: not well-formed XML near byte {position}: {e}"
            ))
        })?;
        let (start, empty) = match &event {
            Event::Start(e) => (e.clone(), false),
            Event::Empty(e) => (e.clone(), true),
            Event::End(_) if depth <= 1 => break,
            Event::End(_) => {
                depth -= 1;
                continue;
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => continue,
            Event::Text(t) if t.trim().is_empty() => continue,
            Event::Eof => break,
            _ if depth == 0 => {
                return Err(ParseError(format!(
                    "{NOT_ISO} (the file does not open with an XML element)"
                )));
            }
            _ => continue,
        };
        let (ns, local) = reader.resolver().resolve_element(start.name());
        let local = local.as_ref().to_owned();
        let namespace = namespace_of(ns)?;
        if root.is_none() {
            root = Some((local.clone(), namespace.clone()));
        }
        if local == "Document" {
            // The start tag begins where the reader stood before it.
            let Some(body) = text.get(position..).filter(|b| b.starts_with('<')) else {
                return Err(ParseError(format!(
                    "{NOT_ISO}: the `Document` element near byte {position} cannot be read"
                )));
            };
            return Ok(Located {
                namespace,
                root: root.map(|(name, _)| name).unwrap_or_default(),
                body,
            });
        }
        if empty {
            if depth == 0 {
                break;
            }
            continue;
        }
        if local == "AppHdr" || depth >= MAX_ENVELOPE_DEPTH {
            reader
                .read_to_end(start.name())
                .map_err(|e| ParseError(format!("{NOT_ISO}: not well-formed XML: {e}")))?;
            if depth == 0 {
                break;
            }
            continue;
        }
        depth += 1;
    }
    Err(ParseError(match root {
        Some((name, ns)) if ns.is_empty() => {
            format!("{NOT_ISO}: the root element `{name}` holds no ISO 20022 `Document`")
        }
        Some((name, ns)) => format!(
            "{NOT_ISO}: the root element `{name}` (namespace `{ns}`) holds no ISO 20022 `Document`"
        ),
        None => format!("{NOT_ISO} (no XML element in the file)"),
    }))
}

/// The namespace of a file's ISO 20022 message `Document` (at the root or
/// in an envelope), when it names a message, without reading the message
/// (for telling answers from lists).
pub fn sniff_namespace(bytes: &[u8]) -> Option<String> {
    let text = text_of(bytes).ok()?;
    let located = locate(&text).ok()?;
    message_identifier(&located.namespace)?;
    Some(located.namespace)
}

/// The UTF-16 encoding a file's byte order mark names, and the bytes after
/// it; `None` for a file without one.
pub(crate) fn utf16(bytes: &[u8]) -> Option<(&'static encoding_rs::Encoding, &[u8])> {
    match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((encoding_rs::UTF_16LE, rest)),
        [0xFE, 0xFF, rest @ ..] => Some((encoding_rs::UTF_16BE, rest)),
        _ => None,
    }
}

/// The text of an answer: UTF-8 (with or without byte order marks; a file
/// saved twice may have two), or UTF-16 told by its byte order mark, as
/// some banks' systems write XML.
fn text_of(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, ParseError> {
    let text = match utf16(bytes) {
        Some((encoding, rest)) => encoding
            .decode_without_bom_handling_and_without_replacement(rest)
            .ok_or_else(|| ParseError("not UTF-16 text, though it opens like it".to_owned()))?,
        None => std::borrow::Cow::Borrowed(
            std::str::from_utf8(bytes)
                .map_err(|e| ParseError(format!("not UTF-8 text (byte {})", e.valid_up_to())))?,
        ),
    };
    Ok(match text {
        std::borrow::Cow::Borrowed(t) => {
            std::borrow::Cow::Borrowed(t.trim_start_matches('\u{feff}'))
        }
        std::borrow::Cow::Owned(t) => {
            std::borrow::Cow::Owned(t.trim_start_matches('\u{feff}').to_owned())
        }
    })
}

/// Parses an answer.
pub fn parse(bytes: &[u8]) -> Result<Answer, ParseError> {
    let text = text_of(bytes)?;
    let located = locate(&text)?;
    let identifier = message_identifier(&located.namespace).ok_or_else(|| {
        ParseError(format!(
            "not an ISO 20022 document: the `Document` ({}) names no ISO 20022 message",
            located.place()
        ))
    })?;
    let kind = kind_of(identifier, &located.place())?;
    let mut state = State::new(kind, located.namespace.clone());
    let mut reader = Reader::from_str(located.body);
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
                if stack.len() == 2 && stack[1] != kind.element() {
                    return Err(ParseError(format!(
                        "the namespace names `{identifier}`, whose message is `{}`, but the `Document` holds `{}` ({})",
                        kind.element(),
                        stack[1],
                        located.place()
                    )));
                }
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
                if stack.is_empty() {
                    break;
                }
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
                if stack.is_empty() {
                    break;
                }
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
    batches: Vec<Batch>,
    details: Vec<Detail>,
}

/// A camt batch (`NtryDtls/Btch`): a payment block booked as one entry.
#[derive(Default)]
struct Batch {
    message_id: Option<String>,
    payment_info_id: Option<String>,
    count: Option<String>,
    total: Option<Amount>,
    credit_debit: String,
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

impl Detail {
    /// An element of the transaction detail ends.
    fn end(&mut self, stack: &[String], name: &str, value: &str, currency: &mut Option<String>) {
        match name {
            "MsgId" if ends(stack, &["Refs", "MsgId"]) => self.message_id = Some(value.to_owned()),
            "PmtInfId" if ends(stack, &["Refs", "PmtInfId"]) => {
                self.payment_info_id = Some(value.to_owned())
            }
            "EndToEndId" if ends(stack, &["Refs", "EndToEndId"]) => {
                self.end_to_end_id = Some(value.to_owned())
            }
            "Amt"
                if ends(stack, &["TxDtls", "Amt"])
                    || ends(stack, &["AmtDtls", "TxAmt", "Amt"])
                    || (ends(stack, &["AmtDtls", "InstdAmt", "Amt"]) && self.amount.is_none()) =>
            {
                self.amount = Some(Amount::in_currency(value, currency.take()));
            }
            "CdtDbtInd" if ends(stack, &["TxDtls", "CdtDbtInd"]) => {
                self.credit_debit = value.to_owned()
            }
            "SubFmlyCd" if ends(stack, &["TxDtls", "BkTxCd", "Domn", "Fmly", "SubFmlyCd"]) => {
                self.subfamily = value.to_owned()
            }
            "RtrInf" => self.returned = true,
            "Cd" | "Prtry"
                if ends(stack, &["RtrInf", "Rsn", name]) && self.reason_code.is_empty() =>
            {
                self.reason_code = value.to_owned();
            }
            "AddtlInf" if ends(stack, &["RtrInf", "AddtlInf"]) => {
                self.reason_text.push(value.to_owned())
            }
            _ => {}
        }
    }
}

struct State {
    kind: Kind,
    namespace: String,
    message_id: String,
    created: String,
    items: Vec<Item>,
    group_message_id: Option<String>,
    group: Option<Item>,
    /// The group's statement once read, which transactions without a
    /// status of their own inherit.
    group_done: Option<Item>,
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
            group_done: None,
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
            (Kind::Notification | Kind::Statement, "Btch")
                if ends(stack, &["NtryDtls", "Btch"]) =>
            {
                if let Some(e) = self.entry.as_mut() {
                    e.batches.push(Batch::default());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, stack: &[String], value: &str) {
        if ends(stack, &["GrpHdr", "MsgId"]) && stack.len() == 4 {
            self.message_id = value.to_owned();
            return;
        }
        if ends(stack, &["GrpHdr", "CreDtTm"]) && stack.len() == 4 {
            self.created = value.to_owned();
            return;
        }
        match self.kind {
            Kind::StatusReport => self.end_status_report(stack, value),
            Kind::Notification | Kind::Statement => self.end_entry(stack, value),
        }
    }

    /// A status reason (`StsRsnInf`) of the innermost item; whether the
    /// element was one.
    fn status_reason(&mut self, stack: &[String], value: &str) -> bool {
        if ends(stack, &["StsRsnInf", "Rsn", "Cd"]) || ends(stack, &["StsRsnInf", "Rsn", "Prtry"]) {
            if let Some(item) = self.current()
                && item.reason_code.is_empty()
            {
                item.reason_code = value.to_owned();
            }
            return true;
        }
        if ends(stack, &["StsRsnInf", "AddtlInf"]) {
            if let Some(item) = self.current() {
                if !item.reason_text.is_empty() {
                    item.reason_text.push(' ');
                }
                item.reason_text.push_str(value);
            }
            return true;
        }
        false
    }

    /// The original count and sum of the group or of a block; whether the
    /// element was one.
    fn original_totals(&mut self, stack: &[String], value: &str) -> bool {
        let parent = stack.iter().rev().nth(1).map(String::as_str);
        let item = match parent {
            Some("OrgnlGrpInfAndSts") => self.group.as_mut(),
            Some("OrgnlPmtInfAndSts") => self.payment_info.as_mut(),
            _ => None,
        };
        match stack.last().map(String::as_str) {
            Some("OrgnlNbOfTxs") => {
                if let Some(item) = item {
                    item.count = Some(value.to_owned());
                }
                true
            }
            Some("OrgnlCtrlSum") => {
                if let Some(item) = item {
                    item.amount = Some(Amount::sum(value));
                }
                true
            }
            _ => false,
        }
    }

    fn end_status_report(&mut self, stack: &[String], value: &str) {
        let owned = || Some(value.to_owned());
        let name = stack.last().map(String::as_str).unwrap_or("");
        if self.status_reason(stack, value) || self.original_totals(stack, value) {
            return;
        }
        match name {
            "OrgnlMsgId" if ends(stack, &["OrgnlGrpInfAndSts", "OrgnlMsgId"]) => {
                self.group_message_id = owned();
                if let Some(g) = self.group.as_mut() {
                    g.message_id = owned();
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
                let currency = self.pending_currency.take();
                if let Some(t) = self.transaction.as_mut() {
                    t.amount = Some(Amount::in_currency(value, currency));
                }
            }
            "TxInfAndSts" => {
                if let Some(mut t) = self.transaction.take() {
                    if t.meaning.is_none() {
                        self.inherit(&mut t);
                    }
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
                    self.group_done = Some(g.clone());
                    self.items.push(g);
                }
            }
            _ => {}
        }
    }

    /// A transaction the report names without a status of its own has the
    /// status of its block, or else of the group, when that is a status.
    fn inherit(&self, t: &mut Item) {
        let from = [self.payment_info.as_ref(), self.group_done.as_ref()]
            .into_iter()
            .flatten()
            .find(|i| matches!(i.meaning, Some(Meaning::Status(_))));
        if let Some(from) = from {
            t.code = from.code.clone();
            t.meaning = from.meaning;
            t.location = format!("{} (status of {})", t.location, from.location);
            if t.reason_code.is_empty() && t.reason_text.is_empty() {
                t.reason_code = from.reason_code.clone();
                t.reason_text = from.reason_text.clone();
            }
        }
    }

    fn end_entry(&mut self, stack: &[String], value: &str) {
        let name = stack.last().map(String::as_str).unwrap_or("");
        if let Some(d) = self.detail.as_mut() {
            if name == "TxDtls" {
                if let (Some(d), Some(e)) = (self.detail.take(), self.entry.as_mut()) {
                    e.details.push(d);
                }
            } else {
                d.end(stack, name, value, &mut self.pending_currency);
            }
            return;
        }
        let Some(e) = self.entry.as_mut() else {
            return;
        };
        if stack.iter().rev().nth(1).is_some_and(|p| p == "Btch")
            && let Some(b) = e.batches.last_mut()
        {
            match name {
                "MsgId" => b.message_id = Some(value.to_owned()),
                "PmtInfId" => b.payment_info_id = Some(value.to_owned()),
                "NbOfTxs" => b.count = Some(value.to_owned()),
                "TtlAmt" => {
                    b.total = Some(Amount::in_currency(value, self.pending_currency.take()))
                }
                "CdtDbtInd" => b.credit_debit = value.to_owned(),
                _ => {}
            }
            return;
        }
        match name {
            "Amt" if ends(stack, &["Ntry", "Amt"]) => {
                e.amount = Some(Amount::in_currency(value, self.pending_currency.take()));
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

/// What a booking on the treasury's account says of the payments it names.
struct Booking {
    code: String,
    meaning: Option<Meaning>,
    problem: Option<String>,
}

impl Booking {
    fn status(code: &str, meaning: Meaning) -> Booking {
        Booking {
            code: code.to_owned(),
            meaning: Some(meaning),
            problem: None,
        }
    }

    fn problem(code: &str, problem: String) -> Booking {
        Booking {
            code: code.to_owned(),
            meaning: None,
            problem: Some(problem),
        }
    }
}

/// Reads one booking: its direction on the account (`DBIT`, `CRDT`),
/// whether it is a reversal, whether it carries return information, and
/// the entry's status (`BOOK`, `PDNG`, `INFO`).
fn booking(direction: &str, reversal: bool, returned: bool, status: &str) -> Booking {
    match (direction, reversal, returned) {
        ("DBIT", true, _) => Booking::problem(
            "RVSL",
            "a debit reversing an earlier credit (a return undone?); nothing changed, check it with the bank by hand".to_owned(),
        ),
        ("CRDT", true, false) => Booking::problem(
            "RVSL",
            "a reversal of a debit with no return reason or return code; nothing changed, check it with the bank by hand".to_owned(),
        ),
        ("CRDT", _, true) => match status {
            "BOOK" => Booking::status("RRTN", Meaning::Status(PaymentStatus::Returned)),
            other => Booking::problem(
                "RRTN",
                format!(
                    "a return not booked yet (entry status `{other}`); nothing changed until the bank books it"
                ),
            ),
        },
        ("DBIT", false, true) => Booking::problem(
            "RRTN",
            "return information on a debit, which takes money out of the account: ambiguous; nothing changed, ask the bank".to_owned(),
        ),
        ("DBIT", false, false) => {
            let meaning = match status {
                "BOOK" => Meaning::Status(PaymentStatus::Settled),
                "PDNG" => Meaning::Status(PaymentStatus::Pending),
                "INFO" => Meaning::Informative,
                _ => Meaning::Unknown,
            };
            Booking::status(status, meaning)
        }
        ("CRDT", false, false) => Booking::problem(
            "CRDT",
            "a credit to the account that is not a return".to_owned(),
        ),
        (other, ..) => Booking::problem(
            other,
            format!("the credit/debit indicator `{other}` is neither CRDT nor DBIT"),
        ),
    }
}

/// The amount in signed đồng: a credit adds to the account, a debit takes.
fn signed(direction: &str, amount: Option<&Amount>) -> Option<i64> {
    let vnd = amount?.vnd()?;
    match direction {
        "CRDT" => Some(vnd),
        "DBIT" => vnd.checked_neg(),
        _ => None,
    }
}

/// The items of one camt entry: one per transaction detail, one per batch
/// of an entry without details, or one for an entry with neither (which
/// cannot be matched).
fn entry_items(entry: Entry) -> Vec<Item> {
    if !entry.details.is_empty() {
        return detail_items(entry);
    }
    if !entry.batches.is_empty() {
        return batch_items(entry);
    }
    vec![Item {
        location: format!("Ntry {}", entry.number),
        scope: Some(Scope::Transaction),
        code: entry.status.clone(),
        amount: entry.amount,
        problem: Some("the entry has no transaction details to match".to_owned()),
        ..Item::default()
    }]
}

/// One item per transaction detail. The entry's indicator governs; only
/// when the transactions of an entry go both ways (a netted entry) does
/// each one's own indicator govern it, provided they net to the entry's
/// amount.
fn detail_items(entry: Entry) -> Vec<Item> {
    let single = entry.details.len() == 1;
    let own = |d: &Detail| -> String {
        if d.credit_debit.is_empty() {
            entry.credit_debit.clone()
        } else {
            d.credit_debit.clone()
        }
    };
    // Transactions that all go one way describe the entry's booking, even
    // when their own indicator says otherwise (banks write `CRDT` on the
    // transactions of a debited batch of credit transfers).
    let mixed = !single && {
        let first = own(&entry.details[0]);
        entry.details.iter().any(|d| own(d) != first)
    };
    let nets = || -> bool {
        let mut net = 0i64;
        for d in &entry.details {
            match signed(&own(d), d.amount.as_ref()).and_then(|a| net.checked_add(a)) {
                Some(n) => net = n,
                None => return false,
            }
        }
        signed(&entry.credit_debit, entry.amount.as_ref()) == Some(net)
    };
    let unbalanced = mixed && !nets();
    entry
        .details
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let direction = if mixed { own(&d) } else { entry.credit_debit.clone() };
            let returned = d.returned || d.subfamily == "RRTN" || entry.subfamily == "RRTN";
            let mut b = booking(&direction, entry.reversal, returned, &entry.status);
            if unbalanced {
                b = Booking::problem(
                    &direction,
                    "the entry's transactions go both ways and do not net to the entry's amount: ambiguous; nothing in this entry was applied".to_owned(),
                );
            } else if let Some(problem) = b.problem.as_mut()
                && !d.credit_debit.is_empty()
                && d.credit_debit != entry.credit_debit
            {
                problem.push_str(&format!(
                    " (the entry says {} and its transaction {})",
                    entry.credit_debit, d.credit_debit
                ));
            }
            Item {
                location: format!("Ntry {}/TxDtls {}", entry.number, i + 1),
                scope: Some(Scope::Transaction),
                message_id: d.message_id,
                payment_info_id: d.payment_info_id,
                end_to_end_id: d.end_to_end_id,
                code: b.code,
                meaning: b.meaning,
                problem: b.problem,
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

/// One item per batch of an entry without transaction details: a payment
/// block booked as one debit. Returns booked that way cannot be told apart,
/// so they are listed, never applied.
fn batch_items(entry: Entry) -> Vec<Item> {
    let single = entry.batches.len() == 1;
    entry
        .batches
        .into_iter()
        .enumerate()
        .map(|(i, batch)| {
            let direction = if batch.credit_debit.is_empty() {
                entry.credit_debit.as_str()
            } else {
                batch.credit_debit.as_str()
            };
            let returned = entry.subfamily == "RRTN";
            let mut b = booking(direction, entry.reversal, returned, &entry.status);
            if b.meaning == Some(Meaning::Status(PaymentStatus::Returned)) {
                b = Booking::problem(
                    "RRTN",
                    "returns booked as one entry without transaction details: which payments came back cannot be told; nothing changed, ask the bank for the details".to_owned(),
                );
            }
            let total = match (batch.total, single.then_some(entry.amount.as_ref()).flatten()) {
                (Some(total), Some(entry_amount)) if total.vnd() != entry_amount.vnd() => {
                    b.problem.get_or_insert_with(|| {
                        format!(
                            "the batch's total {total} differs from the entry's amount {entry_amount}; nothing changed, ask the bank"
                        )
                    });
                    Some(total)
                }
                (Some(total), _) => Some(total),
                (None, entry_amount) => entry_amount.cloned(),
            };
            Item {
                location: format!("Ntry {}/Btch {}", entry.number, i + 1),
                scope: Some(Scope::Batch),
                message_id: batch.message_id,
                payment_info_id: batch.payment_info_id,
                end_to_end_id: None,
                code: b.code,
                meaning: b.meaning,
                problem: b.problem,
                reason_code: String::new(),
                reason_text: String::new(),
                amount: total,
                count: batch.count,
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
        assert_eq!(
            rejected.meaning,
            Some(Meaning::Status(PaymentStatus::Rejected))
        );
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
        assert_eq!(item.meaning, Some(Meaning::Status(PaymentStatus::Returned)));
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
            Some(Meaning::Status(PaymentStatus::Rejected))
        );
        assert_eq!(answer.items[0].reason_text, "LỖI <1>");
        let amount = |text: &str, currency: &str| Amount {
            text: text.to_owned(),
            currency: Some(currency.to_owned()),
        };
        assert_eq!(amount("1000000.00", "VND").vnd(), Some(1_000_000));
        assert_eq!(amount("1000000.50", "VND").vnd(), None);
        assert_eq!(amount("1000000", "USD").vnd(), None);
        // A control sum has no currency of its own, and shows none.
        assert_eq!(Amount::sum("1080000").vnd(), Some(1_080_000));
        assert_eq!(Amount::sum("1080000").to_string(), "1080000");
        assert_eq!(amount("720000", "VND").to_string(), "720000 VND");
    }

    #[test]
    fn namespaces_name_their_message_in_the_iso_form_or_a_country_variant() {
        for (namespace, expected) in [
            (
                "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03",
                Some("pain.002.001.03"),
            ),
            (
                "http://www.six-interbank-clearing.com/de/pain.002.001.03.ch.02.xsd",
                Some("pain.002.001.03"),
            ),
            ("urn:swift:xsd:camt.053.001.02", Some("camt.053.001.02")),
            (
                "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08",
                Some("camt.054.001.08"),
            ),
            (
                "urn:iso:std:iso:20022:tech:xsd:head.001.001.02",
                Some("head.001.001.02"),
            ),
            ("urn:example:foo", None),
            ("xpain.002.001.03", None),
            ("pain.002.001.031", None),
            ("", None),
        ] {
            assert_eq!(message_identifier(namespace), expected, "{namespace}");
        }
    }

    #[test]
    fn an_answer_in_utf16_is_read_like_one_in_utf8() {
        let xml = PAIN002.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
        let utf8 = parse(PAIN002.as_bytes()).unwrap();
        for (bom, big_endian) in [([0xFF, 0xFE], false), ([0xFE, 0xFF], true)] {
            let mut bytes = bom.to_vec();
            for unit in xml.encode_utf16() {
                bytes.extend(if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                });
            }
            assert_eq!(parse(&bytes).unwrap(), utf8);
            assert!(sniff_namespace(&bytes).is_some());
        }
        assert!(parse(&[0xFF, 0xFE, 0x3C]).is_err());
    }

    #[test]
    fn odd_openings_are_refused_or_read_never_a_crash() {
        for text in [
            "</Document>",
            "</x><Document/>",
            "\u{feff}\u{feff}<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\"/>",
            "\u{a0}<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\"/>",
            "\u{feff}\u{feff} <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\"/>",
            " \u{feff}<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\"/>",
            "<",
            "<a></a></a>",
            "<a><b><c><d><Document/></d></c></b></a>",
        ] {
            let _ = parse(text.as_bytes());
            let _ = sniff_namespace(text.as_bytes());
        }
        assert!(
            sniff_namespace(
                "\u{feff}\u{feff}<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\"/>"
                    .as_bytes()
            )
            .is_some()
        );
    }

    #[test]
    fn a_message_in_an_envelope_is_found_beside_its_header() {
        let enveloped = format!(
            "<?xml version=\"1.0\"?>\n<Envelope xmlns=\"urn:swift:xsd:envelope\">\
             <AppHdr xmlns=\"urn:iso:std:iso:20022:tech:xsd:head.001.001.02\"><MsgDefIdr>pain.002.001.12</MsgDefIdr>\
             <Rltd><Document>not this</Document></Rltd></AppHdr>{}</Envelope>",
            PAIN002.trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        );
        let answer = parse(enveloped.as_bytes()).unwrap();
        assert_eq!(answer.message_id, "STS-1");
        assert_eq!(answer.items.len(), 3);
        assert_eq!(
            sniff_namespace(enveloped.as_bytes()).as_deref(),
            Some("urn:iso:std:iso:20022:tech:xsd:pain.002.001.12")
        );
        // The message's element must be the one its namespace names.
        let swapped = PAIN002.replace("CstmrPmtStsRpt", "BkToCstmrStmt");
        let error = parse(swapped.as_bytes()).unwrap_err().0;
        assert!(error.contains("holds `BkToCstmrStmt`"), "{error}");
        // A prefixed document with a country namespace.
        let swiss = r#"<p:Document xmlns:p="http://www.six-interbank-clearing.com/de/pain.002.001.03.ch.02.xsd"><p:CstmrPmtStsRpt><p:GrpHdr><p:MsgId>CH</p:MsgId></p:GrpHdr></p:CstmrPmtStsRpt></p:Document>"#;
        assert_eq!(parse(swiss.as_bytes()).unwrap().message_id, "CH");
    }

    #[test]
    fn a_block_gives_its_totals_and_a_transaction_without_status_inherits_its_blocks() {
        let xml = PAIN002
            .replace("<GrpSts>PART</GrpSts>", "")
            .replace(
                "<OrgnlPmtInfId>OFFICE-202407-AAAA0000-970405-1</OrgnlPmtInfId>",
                "<OrgnlPmtInfId>OFFICE-202407-AAAA0000-970405-1</OrgnlPmtInfId><OrgnlNbOfTxs>1</OrgnlNbOfTxs><OrgnlCtrlSum>720000</OrgnlCtrlSum><PmtInfSts>RJCT</PmtInfSts><StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf>",
            )
            .replace("<TxSts>ACSC</TxSts>", "");
        let answer = parse(xml.as_bytes()).unwrap();
        let block = answer
            .items
            .iter()
            .find(|i| i.scope == Some(Scope::PaymentInfo))
            .unwrap();
        assert_eq!(block.count.as_deref(), Some("1"));
        assert_eq!(block.amount, Some(Amount::sum("720000")));
        let first = &answer.items[1];
        assert_eq!(first.end_to_end_id.as_deref(), Some("OFFICE202407-01"));
        assert_eq!(
            first.meaning,
            Some(Meaning::Status(PaymentStatus::Rejected))
        );
        assert_eq!(first.reason_code, "AC04");
        assert!(first.location.contains("status of OrgnlPmtInfAndSts"));
        // The group without a status gives the block nothing.
        assert_eq!(answer.items[0].meaning, None);
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
