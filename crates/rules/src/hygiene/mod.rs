//! Workload hygiene and reliability (K8S-100 ... K8S-119).

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[];
