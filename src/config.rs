//! The settings of one paying office (`--config FILE`, TOML): who pays, from
//! which account, when, and how strict each validation rule is. The defaults
//! in `schemas/config.default.toml` are compiled in and serve the sample.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::rules::{Code, Severity};

const DEFAULT: &str = include_str!("../schemas/config.default.toml");

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the configuration `{path}`")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// Not valid TOML or not the expected keys.
    #[error("the configuration `{file}` is invalid: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}

/// The paying office.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// 1 to 8 capital letters or digits, used in every identifier.
    pub code: String,
    /// The office's name (initiating party).
    pub name: String,
}

/// The account the money leaves from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Debtor {
    /// Account holder.
    pub name: String,
    /// Account number.
    pub account: String,
    /// The debtor's bank by BIC.
    pub agent_bic: Option<String>,
    /// The debtor's bank by name, when it has no BIC.
    pub agent_name: Option<String>,
    /// The debtor's bank by its NAPAS member id (six digits), when it has
    /// no BIC: banks route on an id, never on a name.
    pub agent_member_id: Option<String>,
}

/// How payments are requested.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentSettings {
    /// Day of the paid month to request execution on.
    #[serde(default = "default_execution_day")]
    pub execution_day: u32,
    /// A fixed execution date instead.
    pub execution_date: Option<NaiveDate>,
    /// Opening words of every remittance text.
    #[serde(default = "default_remittance")]
    pub remittance: String,
    /// Ask the bank to book the batch as one debit.
    #[serde(default = "default_true")]
    pub batch_booking: bool,
    /// A base level that replaces the national one (provinces may pay more).
    pub base_level_vnd: Option<i64>,
    /// The most one payment may be; a row above it is `BAD_AMOUNT`.
    #[serde(default = "default_max_amount")]
    pub max_amount_vnd: i64,
    /// What to do when the requested execution date is already past.
    #[serde(default)]
    pub past_execution_date: PastExecution,
}

/// What to do with a requested execution date already past when the batch
/// is made (a January list run in March).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PastExecution {
    /// Keep the date and warn in the summary, report and manifest.
    #[default]
    Warn,
    /// Ask for the next business day (Monday to Friday) after today.
    NextBusinessDay,
}

/// The default ceiling of one payment: 100 million đồng, above several
/// years of arrears at the highest coefficient. A typing error of a few
/// zeros (or a cell of another column) is far above it.
pub const DEFAULT_MAX_AMOUNT_VND: i64 = 100_000_000;

/// The highest ceiling an office may set: a trillion đồng. Even then no
/// list of up to 4 billion rows overflows a total.
pub const HIGHEST_MAX_AMOUNT_VND: i64 = 1_000_000_000_000;

fn default_max_amount() -> i64 {
    DEFAULT_MAX_AMOUNT_VND
}

fn default_execution_day() -> u32 {
    10
}
fn default_remittance() -> String {
    "Trợ cấp xã hội".to_owned()
}
fn default_true() -> bool {
    true
}

impl Default for PaymentSettings {
    fn default() -> Self {
        PaymentSettings {
            execution_day: default_execution_day(),
            execution_date: None,
            remittance: default_remittance(),
            batch_booking: true,
            base_level_vnd: None,
            max_amount_vnd: DEFAULT_MAX_AMOUNT_VND,
            past_execution_date: PastExecution::Warn,
        }
    }
}

/// Everything a run is configured with.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The paying office.
    pub office: Office,
    /// The paying account.
    pub debtor: Debtor,
    /// How payments are requested.
    #[serde(default)]
    pub payment: PaymentSettings,
    /// Severity per rule code, for the rules that may be downgraded.
    #[serde(default)]
    pub rules: BTreeMap<String, Severity>,
    /// Payment types and their aliases; an empty cell is `monthly`.
    #[serde(default = "default_payment_types")]
    pub payment_types: BTreeMap<String, Vec<String>>,
    /// A directory of edited reference tables laid out like `schemas/`.
    pub schemas_dir: Option<PathBuf>,
    /// The payment ledger used when `--ledger` is not given.
    pub ledger: Option<PathBuf>,
    /// The treasury's forms.
    #[serde(default)]
    pub treasury: TreasurySettings,
    /// Which roles must sign a batch before its files go to the banks.
    #[serde(default)]
    pub approval: ApprovalSettings,
    /// The people who sign, each with their role and public key.
    #[serde(default)]
    pub approvers: Vec<Approver>,
}

/// `[treasury]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreasurySettings {
    /// The most payment lines Mẫu 09 lists one by one; a larger batch's
    /// form lists each bank's count and total (its lines are
    /// `accepted.csv`'s).
    #[serde(default = "default_mau_09_lines")]
    pub mau_09_max_lines: usize,
}

/// Mẫu 09's lines by default: more than any district pays, and about as
/// many as a form a person prints and signs can hold.
pub const DEFAULT_MAU_09_LINES: usize = 50_000;

fn default_mau_09_lines() -> usize {
    DEFAULT_MAU_09_LINES
}

impl Default for TreasurySettings {
    fn default() -> Self {
        TreasurySettings {
            mau_09_max_lines: DEFAULT_MAU_09_LINES,
        }
    }
}

/// `[approval]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalSettings {
    /// The roles that must each sign; by default the chief accountant and
    /// the head of the unit, once any approver is configured.
    pub roles: Option<Vec<String>>,
}

/// The roles Decree 11/2020 and the treasury's rules ask to sign a payment.
pub const DEFAULT_ROLES: [&str; 2] = ["chief_accountant", "head"];

/// The office's signatories: `[approval]` and `[[approvers]]`, from its
/// configuration or, for a bank or an auditor, from a file of these two
/// alone.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Signatories {
    /// The roles required.
    #[serde(default)]
    pub approval: ApprovalSettings,
    /// The approvers.
    #[serde(default)]
    pub approvers: Vec<Approver>,
}

impl Signatories {
    /// The roles that must sign, in signing order; empty when no approver
    /// is configured.
    pub fn required_roles(&self) -> Vec<String> {
        if self.approvers.is_empty() {
            return Vec::new();
        }
        match &self.approval.roles {
            Some(roles) => roles.clone(),
            None => DEFAULT_ROLES.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    /// Reads `[approval]` and `[[approvers]]` from a TOML file, whatever
    /// else it holds, and checks them.
    pub fn load(path: &Path) -> Result<Signatories, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let invalid = |message: String| ConfigError::Invalid {
            file: path.display().to_string(),
            message,
        };
        let found: Signatories =
            toml::from_str(&text).map_err(|e| invalid(e.message().to_owned()))?;
        check_approval(&found).map_err(invalid)?;
        Ok(found)
    }
}

/// One `[[approvers]]` entry: a person who may sign in a role.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approver {
    /// Their name, as signatures and reports show it.
    pub name: String,
    /// The role they sign in.
    pub role: String,
    /// Their Ed25519 public key: 64 hexadecimal digits.
    pub public_key: String,
}

fn default_payment_types() -> BTreeMap<String, Vec<String>> {
    BTreeMap::from([("monthly".to_owned(), Vec::new())])
}

impl Config {
    /// The compiled-in defaults.
    pub fn builtin() -> Config {
        Config::parse("config.default.toml", DEFAULT).expect("the shipped configuration is valid")
    }

    /// Reads and checks a configuration file. A relative `schemas_dir` is
    /// taken relative to the file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config = Config::parse(&path.display().to_string(), &text)?;
        let base = path.parent().unwrap_or(Path::new("."));
        for p in [&mut config.schemas_dir, &mut config.ledger]
            .into_iter()
            .flatten()
        {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        Ok(config)
    }

    /// Parses configuration text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            file: file.to_owned(),
            message,
        };
        let config: Config = toml::from_str(text).map_err(|e| invalid(e.message().to_owned()))?;
        let code = &config.office.code;
        if code.is_empty()
            || code.len() > 8
            || !code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(invalid(format!(
                "office.code `{code}` must be 1 to 8 capital letters or digits"
            )));
        }
        if !(1..=28).contains(&config.payment.execution_day) {
            return Err(invalid(format!(
                "payment.execution_day `{}` must be from 1 to 28",
                config.payment.execution_day
            )));
        }
        if config.debtor.agent_bic.is_none()
            && config.debtor.agent_name.is_none()
            && config.debtor.agent_member_id.is_none()
        {
            return Err(invalid(
                "debtor needs agent_bic, agent_member_id or agent_name".to_owned(),
            ));
        }
        if let Some(id) = &config.debtor.agent_member_id
            && (id.len() != 6 || !id.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(invalid(format!(
                "debtor.agent_member_id `{id}` is not a 6-digit NAPAS member id"
            )));
        }
        if !config.payment_types.contains_key("monthly") {
            return Err(invalid("payment_types must include `monthly`".to_owned()));
        }
        if !(1..=HIGHEST_MAX_AMOUNT_VND).contains(&config.payment.max_amount_vnd) {
            return Err(invalid(format!(
                "payment.max_amount_vnd must be from 1 to {HIGHEST_MAX_AMOUNT_VND}"
            )));
        }
        if config.payment.base_level_vnd.is_some_and(|b| b <= 0) {
            return Err(invalid(
                "payment.base_level_vnd must be positive".to_owned(),
            ));
        }
        check_approval(&config.signatories()).map_err(invalid)?;
        for (name, severity) in &config.rules {
            let code = Code::from_name(name)
                .ok_or_else(|| invalid(format!("rules: unknown rule `{name}`")))?;
            if *severity == Severity::Warn && !code.may_warn() {
                return Err(invalid(format!(
                    "rules: `{name}` always rejects: {}",
                    code.why_always_rejects()
                )));
            }
        }
        Ok(config)
    }

    /// The payment type a cell names: `monthly` when empty.
    pub fn payment_type(&self, cell: &str) -> Result<String, String> {
        let key = crate::text::fold_key(cell);
        if key.is_empty() {
            return Ok("monthly".to_owned());
        }
        self.payment_types
            .iter()
            .find(|(name, aliases)| {
                crate::text::fold_key(name) == key
                    || aliases.iter().any(|a| crate::text::fold_key(a) == key)
            })
            .map(|(name, _)| name.clone())
            .ok_or_else(|| {
                format!(
                    "the payment type `{}` is not one of: {}",
                    cell.trim(),
                    self.payment_types
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }

    /// The roles that must sign a batch before release, in signing order;
    /// empty when no approver is configured.
    pub fn required_roles(&self) -> Vec<String> {
        self.signatories().required_roles()
    }

    /// Who signs, and in which roles.
    pub fn signatories(&self) -> Signatories {
        Signatories {
            approval: self.approval.clone(),
            approvers: self.approvers.clone(),
        }
    }

    /// The severity in force for a rule.
    pub fn severity(&self, code: Code) -> Severity {
        self.rules
            .get(code.as_str())
            .copied()
            .unwrap_or_else(|| code.default_severity())
    }

    /// The requested execution date for a period.
    pub fn execution_date(&self, period: crate::period::Period) -> NaiveDate {
        self.payment
            .execution_date
            .unwrap_or_else(|| period.day(self.payment.execution_day))
    }
}

/// A role name: a lower-case word (`chief_accountant`), as it names the
/// approval file.
pub fn is_role_name(role: &str) -> bool {
    (1..=32).contains(&role.len())
        && role.starts_with(|c: char| c.is_ascii_lowercase())
        && role
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `[approval]` and `[[approvers]]` make sense together: every role is
/// named once and has someone to sign it, every approver signs a required
/// role with a key of their own, and one person holds one role.
fn check_approval(config: &Signatories) -> Result<(), String> {
    if config.approvers.is_empty() {
        return match &config.approval.roles {
            Some(roles) if !roles.is_empty() => Err(format!(
                "approval.roles names {} but no [[approvers]] are configured to sign",
                roles.join(", ")
            )),
            _ => Ok(()),
        };
    }
    let roles = config.required_roles();
    if roles.is_empty() {
        return Err("approval.roles is empty, but [[approvers]] are configured: name the roles that must sign".to_owned());
    }
    for (i, role) in roles.iter().enumerate() {
        if !is_role_name(role) {
            return Err(format!(
                "approval.roles: `{role}` is not a role name (lower-case letters, digits and _)"
            ));
        }
        if roles[..i].contains(role) {
            return Err(format!("approval.roles names `{role}` twice"));
        }
    }
    let mut keys = std::collections::HashSet::new();
    let mut people: BTreeMap<&str, &str> = BTreeMap::new();
    for (i, a) in config.approvers.iter().enumerate() {
        let at = format!("approvers[{}] ({})", i + 1, a.name);
        if a.name.trim().is_empty()
            || a.name.chars().count() > 140
            || a.name.chars().any(char::is_control)
        {
            return Err(format!(
                "approvers[{}]: `name` must be a person's name, 1 to 140 characters",
                i + 1
            ));
        }
        if !roles.contains(&a.role) {
            return Err(format!(
                "{at}: role `{}` is not one of approval.roles ({})",
                a.role,
                roles.join(", ")
            ));
        }
        crate::approval::key::public_key(&a.public_key)
            .map_err(|why| format!("{at}: public_key {why}"))?;
        if !keys.insert(a.public_key.to_ascii_lowercase()) {
            return Err(format!(
                "{at}: this public key is configured twice; every approver signs with a key of their own"
            ));
        }
        if let Some(other) = people.insert(a.name.trim(), &a.role)
            && other != a.role
        {
            return Err(format!(
                "{at}: {} is configured as `{other}` too; one person signs in one role, so that two people approve every batch",
                a.name
            ));
        }
    }
    for role in &roles {
        if !config.approvers.iter().any(|a| &a.role == role) {
            return Err(format!(
                "approval.roles: no approver is configured for `{role}`"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_defaults_are_valid() {
        let config = Config::builtin();
        assert_eq!(config.office.code, "HUYENX");
        assert_eq!(config.severity(Code::SharedAccount), Severity::Warn);
        assert_eq!(config.severity(Code::UnknownBank), Severity::Reject);
    }

    #[test]
    fn rules_that_make_payment_impossible_cannot_be_warnings() {
        let text = DEFAULT.replace("[rules]", "[rules]\nBAD_AMOUNT = \"warn\"");
        let err = Config::parse("office.toml", &text).unwrap_err();
        assert!(
            err.to_string().contains("`BAD_AMOUNT` always rejects"),
            "{err}"
        );
        let text = DEFAULT.replace("[rules]", "[rules]\nDUPLICATE_BENEFICIARY = \"warn\"");
        assert!(Config::parse("office.toml", &text).is_err());
    }

    #[test]
    fn unknown_keys_and_bad_codes_are_refused() {
        assert!(
            Config::parse("x", &DEFAULT.replace("[payment]", "[payment]\ncolour = 1")).is_err()
        );
        assert!(Config::parse("x", &DEFAULT.replace("\"HUYENX\"", "\"huyen x\"")).is_err());
        assert!(
            Config::parse(
                "x",
                &DEFAULT.replace("[rules]", "[rules]\nNO_SUCH = \"warn\"")
            )
            .is_err()
        );
    }
}
