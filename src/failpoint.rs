//! Crash points for the kill-at-any-point tests: when `DISBURSE_FAILPOINT`
//! names a point, the process aborts there at once, like a `SIGKILL` or a
//! power cut (no destructor runs, nothing is cleaned up). Unset, a point
//! costs one environment lookup per batch.

/// The environment variable naming the point to abort at.
pub const VAR: &str = "DISBURSE_FAILPOINT";

/// Aborts the process if `DISBURSE_FAILPOINT` names `point`.
pub fn hit(point: &str) {
    if std::env::var_os(VAR).is_some_and(|v| v == point) {
        std::process::abort();
    }
}
