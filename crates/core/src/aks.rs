//! AKS cluster configuration, one model filled from Terraform, ARM/Bicep JSON and `az aks show` output.
//!
//! (Placeholder: the model and its inputs are being built; see issue 4.)

/// AKS configuration read from the scanned files, combined across files (Terraform modules span several files).
#[derive(Clone, Debug, Default)]
pub struct AksInputs {}

impl AksInputs {
    /// Merges inputs read from other files.
    pub fn extend(&mut self, _other: AksInputs) {}

    /// True when nothing was read.
    pub fn is_empty(&self) -> bool {
        true
    }
}
