//! Namespaces, Pod Security Admission labels and admission coverage (K8S-060 ... K8S-069).

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[];
