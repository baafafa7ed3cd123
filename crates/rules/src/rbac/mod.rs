//! RBAC (RBAC-001 ... RBAC-029).

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[];
