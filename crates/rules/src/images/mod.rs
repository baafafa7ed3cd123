//! Images and supply chain (K8S-080 ... K8S-089).
//!
//! Image references are parsed once, in [`util`], the way container runtimes read them (implicit Docker Hub,
//! registry ports, tags after the last `/`, digests), so every rule agrees on what a reference names.

pub mod deprecated_kubernetes_gcr_registry;
pub mod image_not_pinned_by_digest;
pub mod image_pull_policy_not_always;
pub mod image_signature_not_verified;
pub mod latest_or_missing_image_tag;
pub mod registry_not_allowlisted;
pub(crate) mod util;

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[
    &latest_or_missing_image_tag::LatestOrMissingImageTag,
    &image_not_pinned_by_digest::ImageNotPinnedByDigest,
    &registry_not_allowlisted::RegistryNotAllowlisted,
    &image_pull_policy_not_always::ImagePullPolicyNotAlways,
    &deprecated_kubernetes_gcr_registry::DeprecatedKubernetesGcrRegistry,
    &image_signature_not_verified::ImageSignatureNotVerified,
];
