//! The time stamped into messages (`CreDtTm`) and manifests, in Vietnam's
//! time zone. Tests pin it through `DISBURSE_NOW` (RFC 3339) so that output
//! is byte-identical from run to run.

use chrono::{DateTime, FixedOffset, Utc};

/// The environment variable that pins the clock.
pub const PIN_VAR: &str = "DISBURSE_NOW";

/// Now, or the pinned time. A malformed pin is an error, never ignored.
pub fn now() -> Result<DateTime<FixedOffset>, String> {
    let vietnam = FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    match std::env::var(PIN_VAR) {
        Ok(pinned) => DateTime::parse_from_rfc3339(&pinned)
            .map_err(|e| format!("{PIN_VAR}=`{pinned}` is not an RFC 3339 time: {e}")),
        Err(_) => Ok(Utc::now().with_timezone(&vietnam)),
    }
}
