//! Images and supply chain (K8S-080 ... K8S-089).

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[];
