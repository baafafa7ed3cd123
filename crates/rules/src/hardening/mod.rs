//! Container hardening beyond the Pod Security Standards (K8S-040 ... K8S-055).

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[];
