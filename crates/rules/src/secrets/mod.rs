//! Secrets (SEC-001 ... SEC-009).

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[];
