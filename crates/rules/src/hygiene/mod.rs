//! Workload hygiene and reliability (K8S-100 ... K8S-119).

pub mod cpu_limit_missing;
pub mod cpu_request_missing;
pub mod deprecated_api_version;
pub mod ephemeral_storage_unset;
pub mod helm_tiller_deployed;
pub mod kubernetes_dashboard_deployed;
pub mod liveness_probe_missing;
pub mod memory_limit_missing;
pub mod memory_request_missing;
pub mod missing_pod_disruption_budget;
pub mod missing_required_labels;
pub mod naked_pod;
pub mod no_anti_affinity_or_topology_spread;
pub mod no_rolling_update_strategy;
pub mod pod_disruption_budget_blocks_eviction;
pub mod prestop_hook_missing;
pub mod readiness_probe_missing;
pub mod single_replica_deployment;
pub(crate) mod util;

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[
    &memory_limit_missing::MemoryLimitMissing,
    &cpu_limit_missing::CpuLimitMissing,
    &memory_request_missing::MemoryRequestMissing,
    &cpu_request_missing::CpuRequestMissing,
    &ephemeral_storage_unset::EphemeralStorageUnset,
    &liveness_probe_missing::LivenessProbeMissing,
    &readiness_probe_missing::ReadinessProbeMissing,
    &no_rolling_update_strategy::NoRollingUpdateStrategy,
    &missing_pod_disruption_budget::MissingPodDisruptionBudget,
    &pod_disruption_budget_blocks_eviction::PodDisruptionBudgetBlocksEviction,
    &single_replica_deployment::SingleReplicaDeployment,
    &no_anti_affinity_or_topology_spread::NoAntiAffinityOrTopologySpread,
    &naked_pod::NakedPod,
    &prestop_hook_missing::PrestopHookMissing,
    &deprecated_api_version::DeprecatedApiVersion,
    &missing_required_labels::MissingRequiredLabels,
    &kubernetes_dashboard_deployed::KubernetesDashboardDeployed,
    &helm_tiller_deployed::HelmTillerDeployed,
];
