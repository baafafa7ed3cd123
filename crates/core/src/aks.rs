//! AKS cluster configuration, one model filled from Terraform, ARM/Bicep JSON and `az aks show` output.
//!
//! Loaders put what they read into [`AksInputs`] file by file (Terraform syntax trees, positioned JSON
//! documents); inputs of a whole scan are merged with [`AksInputs::extend`] and turned into one [`AksModel`] on
//! first use ([`AksInputs::model`]), because a Terraform module spans several files (variables, `.tfvars`) and an
//! ARM template has a separate parameters file. Rules only see the model.

pub mod arm;
pub mod armexpr;
pub mod hcl;
pub mod model;
pub mod tfeval;
pub mod tfmap;

pub use model::{AksCluster, AksModel, Diagnostics, Format, NodePool, Setting};

use crate::node::Node;
use model::{link_key_for, Origin};
use std::sync::{Arc, OnceLock};

/// What a JSON document holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AksDocKind {
    /// An ARM template (or compiled Bicep): `$schema` `.../deploymentTemplate.json#`, or `resources` with
    /// `contentVersion`.
    ArmTemplate,
    /// An ARM parameters file (`.../deploymentParameters.json#`).
    ArmParameters,
    /// One resource: `az aks show` output (flat), an exported resource or REST body (`properties`), an
    /// `az monitor diagnostic-settings list` item.
    Resource,
    /// `terraform show -json` plan or state.
    TerraformJson,
}

/// A JSON document read as AKS input.
#[derive(Clone, Debug, PartialEq)]
pub struct AksDoc {
    /// The file label.
    pub file: Arc<str>,
    /// 1-based document index.
    pub document: usize,
    /// Pointer of `root` in its document (`/3` for the fourth item of `az aks list` output).
    pub base_pointer: String,
    /// What it is.
    pub kind: AksDocKind,
    /// The document.
    pub root: Node,
}

/// AKS configuration read from the scanned files, combined across files (Terraform modules span several files).
#[derive(Clone, Debug, Default)]
pub struct AksInputs {
    /// Terraform files (configuration and `.tfvars`).
    pub terraform: Vec<hcl::TfFile>,
    /// JSON documents (ARM, az, plan/state).
    pub documents: Vec<AksDoc>,
    model: OnceLock<Arc<AksModel>>,
}

impl AksInputs {
    /// Merges inputs read from other files.
    pub fn extend(&mut self, other: AksInputs) {
        if other.is_empty() {
            return;
        }
        self.terraform.extend(other.terraform);
        self.documents.extend(other.documents);
        self.model = OnceLock::new();
    }

    /// True when nothing was read.
    pub fn is_empty(&self) -> bool {
        self.terraform.is_empty() && self.documents.is_empty()
    }

    /// The model of everything read, built once.
    pub fn model(&self) -> &AksModel {
        self.model.get_or_init(|| Arc::new(build(self)))
    }
}

/// Builds the model: evaluates Terraform modules and ARM templates, maps every resource, then links node pools,
/// maintenance configurations and diagnostic settings to their clusters.
pub fn build(inputs: &AksInputs) -> AksModel {
    let mut m = AksModel::default();
    let mut pools = Vec::new();
    let resources = tfeval::evaluate(&inputs.terraform);
    tfmap::map_resources(&resources, Format::Terraform, &mut m, &mut pools);
    for d in inputs.documents.iter().filter(|d| d.kind == AksDocKind::TerraformJson) {
        let res = tfmap::plan_resources(&d.file, d.document, &d.root);
        tfmap::map_resources(&res, Format::TerraformJson, &mut m, &mut pools);
    }
    let mut pending = arm::Pending::default();
    arm::map_documents(&inputs.documents, &mut m, &mut pending);
    pools.extend(pending.pools);
    link(&mut m, pools, pending.maintenance);
    m
}

fn module_of(o: &Origin) -> String {
    tfeval::module_dir(&o.at.file)
}

fn link(
    m: &mut AksModel,
    pools: Vec<(Setting<String>, NodePool)>,
    maintenance: Vec<(String, crate::finding::Location)>,
) {
    let find =
        |clusters: &[AksCluster], key: &str| clusters.iter().position(|c| c.origin.keys.iter().any(|k| k == key));
    for (key, pool) in pools {
        match &key {
            Setting::Set(k, _) => match find(&m.clusters, k) {
                Some(i) => {
                    if let Some(c) = m.clusters.get_mut(i) {
                        c.node_pools.push(pool);
                    }
                }
                None => m.orphan_node_pools.push(pool),
            },
            _ => {
                // Unresolved cluster reference: attach to the only cluster of the same module, if there is one.
                let dir = tfeval::module_dir(&pool.at.file);
                let same: Vec<usize> = m
                    .clusters
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| module_of(&c.origin) == dir)
                    .map(|(i, _)| i)
                    .collect();
                match same.as_slice() {
                    [i] => {
                        if let Some(c) = m.clusters.get_mut(*i) {
                            c.node_pools.push(pool);
                        }
                    }
                    _ => {
                        let why = key
                            .unknown_reason()
                            .unwrap_or("cluster reference not resolved")
                            .to_string();
                        for c in m.clusters.iter_mut().filter(|c| module_of(&c.origin) == dir) {
                            c.node_pools_unknown = Some(format!("node pool {} ({why})", pool.name));
                        }
                        m.orphan_node_pools.push(pool);
                    }
                }
            }
        }
    }
    for (key, loc) in maintenance {
        if let Some(c) = find(&m.clusters, &key).and_then(|i| m.clusters.get_mut(i)) {
            c.maintenance.push(loc);
        }
    }
    let diags = std::mem::take(&mut m.unlinked_diagnostics);
    let cluster_type = link_key_for("Microsoft.ContainerService/managedClusters", "");
    for (d, _) in diags {
        match &d.target {
            Setting::Set(k, _) => {
                if let Some(c) = find(&m.clusters, k).and_then(|i| m.clusters.get_mut(i)) {
                    match &mut c.diagnostics {
                        Diagnostics::Linked(v) => v.push(d),
                        u @ Diagnostics::Unknown(_) => *u = Diagnostics::Linked(vec![d]),
                    }
                } else if k.starts_with("tf:")
                    && !k.contains("azurerm_kubernetes_cluster")
                    && !k.contains(":module.")
                    && !k.contains(":data.")
                {
                    // A diagnostic setting of some other resource.
                } else if k.starts_with(cluster_type.trim_end_matches('/'))
                    || k.contains(":module.")
                    || k.contains(":data.")
                {
                    let why = format!(
                        "diagnostic setting {} targets {} which is not in the scan",
                        d.name,
                        short_key(k)
                    );
                    m.unlinked_diagnostics.push((d, why));
                }
            }
            Setting::Unknown(r, _) => {
                let why = format!("the target of diagnostic setting {} is not known ({r})", d.name);
                m.unlinked_diagnostics.push((d, why));
            }
            Setting::Absent => {}
        }
    }
}

/// A link key for messages.
pub fn short_key(k: &str) -> String {
    if let Some(rest) = k.strip_prefix("tf:") {
        return rest.split_once(':').map_or(rest, |x| x.1).to_string();
    }
    k.split_once(':').map_or(k, |x| x.1).to_string()
}
