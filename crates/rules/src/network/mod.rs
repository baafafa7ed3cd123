//! Network (NET-001 ... NET-017).

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[];
