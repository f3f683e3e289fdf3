//! Crash points for the kill-at-any-point tests: when `DISBURSE_FAILPOINT`
//! names a point, the process aborts there at once, like a `SIGKILL` or a
//! power cut (no destructor runs, nothing is cleaned up). Unset, a point
//! costs one environment lookup per batch.

/// The environment variable naming the point to abort at.
pub const VAR: &str = "DISBURSE_FAILPOINT";

/// Aborts the process if `DISBURSE_FAILPOINT` names `point`; pauses it
/// for three seconds if it names `point:pause` (for the tests of what
/// another process may do meanwhile).
pub fn hit(point: &str) {
    let Some(v) = std::env::var_os(VAR) else {
        return;
    };
    if v == point {
        std::process::abort();
    }
    if v.to_str()
        .and_then(|v| v.strip_suffix(":pause"))
        .is_some_and(|p| p == point)
    {
        std::thread::sleep(std::time::Duration::from_secs(3));
    }
}
