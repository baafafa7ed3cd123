//! The AKS model: one shape for a cluster and the Azure resources around it, whatever format it was read from.
//!
//! Every setting is a [`Setting`]: absent (Azure's default applies; each rule documents which), set to a known value
//! at a position, or unknown at a position (an unresolved variable, a runtime-only value) with the reason. Rules
//! report findings at the setting's position, or at the resource when the setting is absent, and "not evaluated"
//! for unknown settings.

use crate::finding::{Location, ObjectRef};

/// A setting's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Setting<T> {
    /// Not written: Azure's default applies.
    #[default]
    Absent,
    /// Written with a known value, at this location.
    Set(T, Location),
    /// Written, but its value cannot be determined statically; the reason and the location.
    Unknown(String, Location),
}

impl<T> Setting<T> {
    /// The known value.
    pub fn known(&self) -> Option<&T> {
        match self {
            Setting::Set(v, _) => Some(v),
            _ => None,
        }
    }

    /// The location when written.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Setting::Set(_, l) | Setting::Unknown(_, l) => Some(l),
            Setting::Absent => None,
        }
    }

    /// True when written.
    pub fn is_present(&self) -> bool {
        !matches!(self, Setting::Absent)
    }

    /// The reason when unknown.
    pub fn unknown_reason(&self) -> Option<&str> {
        match self {
            Setting::Unknown(r, _) => Some(r),
            _ => None,
        }
    }

    /// Maps a known value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Setting<U> {
        match self {
            Setting::Absent => Setting::Absent,
            Setting::Set(v, l) => Setting::Set(f(v), l),
            Setting::Unknown(r, l) => Setting::Unknown(r, l),
        }
    }

    /// This setting, or `other` when this one is absent.
    pub fn or(self, other: Setting<T>) -> Setting<T> {
        match self {
            Setting::Absent => other,
            s => s,
        }
    }

    /// The value, with `default` when absent: `Ok(value)` or `Err(reason)` when unknown.
    pub fn resolve<'a>(&'a self, default: &'a T) -> Result<&'a T, &'a str> {
        match self {
            Setting::Absent => Ok(default),
            Setting::Set(v, _) => Ok(v),
            Setting::Unknown(r, _) => Err(r),
        }
    }
}

impl Setting<String> {
    /// The known value, lower-cased, for case-insensitive comparison of Azure enum values.
    pub fn lower(&self) -> Option<String> {
        self.known().map(|s| s.to_ascii_lowercase())
    }
}

/// The format a resource was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Terraform HCL (`*.tf`).
    Terraform,
    /// `terraform show -json` plan or state.
    TerraformJson,
    /// An ARM template, compiled Bicep, exported resource or REST body.
    Arm,
    /// `az aks show` / `az aks list` output.
    Az,
}

impl Format {
    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Terraform => "Terraform",
            Format::TerraformJson => "Terraform plan/state JSON",
            Format::Arm => "ARM template",
            Format::Az => "az aks show output",
        }
    }
}

/// Where a resource came from and how findings name it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Origin {
    /// Source format (`None` only in defaults).
    pub format: Option<Format>,
    /// The object findings are reported on (`azurerm_kubernetes_cluster` / `main`, or the ARM type and name).
    pub object: ObjectRef,
    /// Where the resource starts.
    pub at: Location,
    /// Identifiers other resources use to refer to this one (normalised link keys, see [`link_key_for_id`]).
    pub keys: Vec<String>,
}

impl Origin {
    /// True when read from Terraform (HCL or JSON).
    pub fn is_terraform(&self) -> bool {
        matches!(self.format, Some(Format::Terraform | Format::TerraformJson))
    }
}

/// One node pool (from the cluster's `agentPoolProfiles` / `default_node_pool`, or a separate resource).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodePool {
    /// Pool name.
    pub name: String,
    /// Where the pool is written.
    pub at: Location,
    /// The object findings about it are reported on (the cluster, or the separate node-pool resource).
    pub object: ObjectRef,
    /// Declared as a separate resource (`azurerm_kubernetes_cluster_node_pool`, `.../agentPools`).
    pub separate: bool,
    /// `mode` (System/User).
    pub mode: Setting<String>,
    /// Public IPs on nodes.
    pub node_public_ip: Setting<bool>,
    /// Encryption at host.
    pub host_encryption: Setting<bool>,
    /// Availability zones.
    pub zones: Setting<Vec<String>>,
    /// Cluster autoscaler.
    pub auto_scaling: Setting<bool>,
    /// Minimum node count (autoscaling).
    pub min_count: Setting<i64>,
    /// Node count.
    pub count: Setting<i64>,
    /// OS SKU.
    pub os_sku: Setting<String>,
    /// OS type (Linux/Windows).
    pub os_type: Setting<String>,
    /// OS disk type (Managed/Ephemeral).
    pub os_disk_type: Setting<String>,
    /// FIPS image.
    pub fips: Setting<bool>,
    /// Secure boot (Trusted Launch).
    pub secure_boot: Setting<bool>,
    /// vTPM (Trusted Launch).
    pub vtpm: Setting<bool>,
    /// Node subnet.
    pub vnet_subnet: Setting<String>,
    /// Kubernetes version of the pool.
    pub orchestrator_version: Setting<String>,
    /// Node taints (`key=value:Effect`).
    pub taints: Setting<Vec<String>>,
    /// Terraform `only_critical_addons_enabled` (adds `CriticalAddonsOnly=true:NoSchedule`).
    pub only_critical_addons: Setting<bool>,
    /// `securityProfile.sshAccess` (LocalUser/Disabled).
    pub ssh_access: Setting<String>,
}

/// An add-on (or the Terraform equivalent).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Addon {
    /// Enabled.
    pub enabled: Setting<bool>,
    /// Log Analytics workspace (monitoring add-on), as written.
    pub workspace: Setting<String>,
    /// Key Vault provider: secret rotation.
    pub rotation: Setting<bool>,
    /// Key Vault provider: rotation poll interval.
    pub rotation_interval: Setting<String>,
}

/// Diagnostic settings known for a cluster.
#[derive(Clone, Debug, PartialEq)]
pub enum Diagnostics {
    /// The linked settings (possibly none).
    Linked(Vec<DiagnosticSetting>),
    /// The input cannot tell (e.g. `az aks show` output), and why.
    Unknown(String),
}

impl Default for Diagnostics {
    fn default() -> Self {
        Diagnostics::Linked(Vec::new())
    }
}

/// A diagnostic setting (`azurerm_monitor_diagnostic_setting`, `Microsoft.Insights/diagnosticSettings`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiagnosticSetting {
    /// Where it came from.
    pub origin: Origin,
    /// Its name.
    pub name: String,
    /// The link key of its target resource, when resolved.
    pub target: Setting<String>,
    /// Log categories and groups.
    pub logs: Vec<DiagLog>,
    /// Why the log list cannot be known (a `dynamic` block over an unknown collection, an expression).
    pub logs_unknown: Option<(String, Location)>,
    /// A destination is set (workspace, storage account, event hub, partner).
    pub has_destination: Setting<bool>,
    /// The Log Analytics workspace, as a link key.
    pub workspace: Setting<String>,
}

/// One log entry of a diagnostic setting.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagLog {
    /// `category`.
    pub category: Setting<String>,
    /// `categoryGroup` / `category_group`.
    pub group: Setting<String>,
    /// Enabled (Terraform `enabled_log` blocks are always enabled).
    pub enabled: Setting<bool>,
    /// Where the entry is written.
    pub at: Location,
}

/// An AKS cluster.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AksCluster {
    /// Where it came from.
    pub origin: Origin,
    /// Cluster name (resource name when the name is not known).
    pub name: String,
    /// Entra ID integration block / `aadProfile` present.
    pub aad: Setting<bool>,
    /// `aadProfile.managed`.
    pub aad_managed: Setting<bool>,
    /// Legacy AAD application fields (`serverAppID`, `client_app_id`, ...) are set.
    pub aad_legacy_app: Setting<bool>,
    /// Azure RBAC for Kubernetes authorization.
    pub azure_rbac: Setting<bool>,
    /// Cluster-admin Entra groups.
    pub admin_groups: Setting<Vec<String>>,
    /// Local accounts disabled.
    pub local_accounts_disabled: Setting<bool>,
    /// Kubernetes RBAC.
    pub rbac: Setting<bool>,
    /// Identity type (SystemAssigned/UserAssigned/None).
    pub identity_type: Setting<String>,
    /// Service principal client ID (`msi` for managed identity clusters).
    pub service_principal: Setting<String>,
    /// Workload identity.
    pub workload_identity: Setting<bool>,
    /// OIDC issuer.
    pub oidc_issuer: Setting<bool>,
    /// Link keys of the OIDC issuer URL (a literal URL, or the cluster's own output).
    pub oidc_issuer_keys: Vec<String>,
    /// AAD pod identity.
    pub pod_identity: Setting<bool>,
    /// Run command (command invoke) disabled.
    pub run_command_disabled: Setting<bool>,
    /// Private cluster.
    pub private_cluster: Setting<bool>,
    /// Public FQDN of a private cluster.
    pub private_public_fqdn: Setting<bool>,
    /// Authorized IP ranges of the API server.
    pub authorized_ip_ranges: Setting<Vec<String>>,
    /// Network plugin.
    pub network_plugin: Setting<String>,
    /// Network plugin mode (overlay).
    pub network_plugin_mode: Setting<String>,
    /// Network policy engine.
    pub network_policy: Setting<String>,
    /// Network data plane (cilium).
    pub network_dataplane: Setting<String>,
    /// Outbound type.
    pub outbound_type: Setting<String>,
    /// Azure Policy add-on.
    pub azure_policy: Addon,
    /// Monitoring add-on (Container Insights).
    pub oms_agent: Addon,
    /// Key Vault Secrets Provider add-on.
    pub kv_secrets_provider: Addon,
    /// HTTP application routing add-on.
    pub http_app_routing: Addon,
    /// Kubernetes dashboard add-on.
    pub kube_dashboard: Addon,
    /// Defender sensor.
    pub defender: Setting<bool>,
    /// KMS etcd encryption.
    pub kms: Setting<bool>,
    /// KMS key vault network access (Public/Private).
    pub kms_network_access: Setting<String>,
    /// Image cleaner.
    pub image_cleaner: Setting<bool>,
    /// Pod security policy (deprecated).
    pub pod_security_policy: Setting<bool>,
    /// Service mesh mode.
    pub service_mesh: Setting<String>,
    /// Cluster auto-upgrade channel.
    pub upgrade_channel: Setting<String>,
    /// Node OS upgrade channel.
    pub node_os_channel: Setting<String>,
    /// Planned maintenance windows (auto-upgrade / node OS): where written.
    pub maintenance: Vec<Location>,
    /// Kubernetes version.
    pub kubernetes_version: Setting<String>,
    /// Disk encryption set.
    pub disk_encryption_set: Setting<String>,
    /// SKU tier.
    pub sku_tier: Setting<String>,
    /// Node pools.
    pub node_pools: Vec<NodePool>,
    /// Node pools declared elsewhere may exist but could not be attached (unresolved cluster reference).
    pub node_pools_unknown: Option<String>,
    /// Diagnostic settings.
    pub diagnostics: Diagnostics,
    /// Link keys of the kubelet identity's principal.
    pub kubelet_principal_keys: Vec<String>,
    /// Link keys of the Key Vault Secrets Provider add-on identity.
    pub kv_identity_keys: Vec<String>,
}

/// A container registry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Registry {
    /// Where it came from.
    pub origin: Origin,
    /// Admin user enabled.
    pub admin_enabled: Setting<bool>,
    /// Public network access enabled.
    pub public_network: Setting<bool>,
    /// Anonymous pull.
    pub anonymous_pull: Setting<bool>,
}

/// A Key Vault access policy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccessPolicy {
    /// Where it is written.
    pub at: Location,
    /// The object findings are reported on.
    pub object: ObjectRef,
    /// The vault, as a link key (separate access-policy resources).
    pub vault: Setting<String>,
    /// Principal object ID, as a link key.
    pub principal: Setting<String>,
    /// Secret permissions (lower-case).
    pub secrets: Setting<Vec<String>>,
    /// Key permissions (lower-case).
    pub keys: Setting<Vec<String>>,
    /// Certificate permissions (lower-case).
    pub certificates: Setting<Vec<String>>,
}

/// A Key Vault.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeyVault {
    /// Where it came from.
    pub origin: Origin,
    /// RBAC authorization.
    pub rbac_authorization: Setting<bool>,
    /// Purge protection.
    pub purge_protection: Setting<bool>,
}

/// An Azure role assignment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoleAssignment {
    /// Where it came from.
    pub origin: Origin,
    /// Scope, as a link key (or the scope string, lower-cased).
    pub scope: Setting<String>,
    /// Role name (built-in role GUIDs are translated to names).
    pub role: Setting<String>,
    /// Principal, as a link key.
    pub principal: Setting<String>,
    /// Principal type (User/Group/ServicePrincipal).
    pub principal_type: Setting<String>,
}

/// A Defender for Cloud plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DefenderPricing {
    /// Where it came from.
    pub origin: Origin,
    /// Plan (resource type): `Containers`, ...
    pub plan: Setting<String>,
    /// Tier: `Standard`/`Free`.
    pub tier: Setting<String>,
}

/// One NSG rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NsgRule {
    /// Where it is written.
    pub at: Location,
    /// The object findings are reported on.
    pub object: ObjectRef,
    /// Rule name.
    pub name: String,
    /// The NSG, as a link key (separate rule resources).
    pub nsg: Setting<String>,
    /// Inbound/Outbound.
    pub direction: Setting<String>,
    /// Allow/Deny.
    pub access: Setting<String>,
    /// Source address prefixes.
    pub sources: Setting<Vec<String>>,
    /// Destination port ranges.
    pub ports: Setting<Vec<String>>,
}

/// A network security group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Nsg {
    /// Where it came from.
    pub origin: Origin,
}

/// A subnet and the NSG associated with it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SubnetNsg {
    /// The subnet's link keys.
    pub subnet_keys: Vec<String>,
    /// The NSG, as a link key; absent when the subnet has none.
    pub nsg: Setting<String>,
}

/// A federated identity credential.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FederatedCredential {
    /// Where it came from.
    pub origin: Origin,
    /// Issuer, as a link key (`url:<issuer>` or the cluster's output).
    pub issuer: Setting<String>,
    /// Audiences.
    pub audiences: Setting<Vec<String>>,
    /// Subject.
    pub subject: Setting<String>,
}

/// A Log Analytics workspace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workspace {
    /// Where it came from.
    pub origin: Origin,
    /// Retention in days.
    pub retention_days: Setting<i64>,
}

/// An Azure Policy assignment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyAssignment {
    /// Where it came from.
    pub origin: Origin,
    /// Policy (set) definition ID.
    pub definition: Setting<String>,
    /// The `effect` parameter.
    pub effect: Setting<String>,
    /// Enforcement (`enforcementMode: Default` / `enforce = true`).
    pub enforced: Setting<bool>,
}

/// Everything read about AKS in one scan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AksModel {
    /// Clusters.
    pub clusters: Vec<AksCluster>,
    /// Diagnostic settings whose target could not be resolved, with the reason (they may belong to any
    /// cluster, so clusters without a linked setting are "not evaluated" rather than failing AKS-080).
    pub unlinked_diagnostics: Vec<(DiagnosticSetting, String)>,
    /// Node pools declared separately whose cluster is not in the scan.
    pub orphan_node_pools: Vec<NodePool>,
    /// Container registries.
    pub registries: Vec<Registry>,
    /// Key Vaults.
    pub key_vaults: Vec<KeyVault>,
    /// Key Vault access policies (inline and separate).
    pub access_policies: Vec<AccessPolicy>,
    /// Role assignments.
    pub role_assignments: Vec<RoleAssignment>,
    /// Defender plans.
    pub defender_pricings: Vec<DefenderPricing>,
    /// NSGs.
    pub nsgs: Vec<Nsg>,
    /// NSG rules (inline and separate).
    pub nsg_rules: Vec<NsgRule>,
    /// Subnet / NSG associations.
    pub subnet_nsgs: Vec<SubnetNsg>,
    /// Federated identity credentials.
    pub federated_credentials: Vec<FederatedCredential>,
    /// Log Analytics workspaces.
    pub workspaces: Vec<Workspace>,
    /// Policy assignments.
    pub policy_assignments: Vec<PolicyAssignment>,
    /// Problems met while reading (unresolvable constructs), for the report's warnings.
    pub notes: Vec<String>,
}

/// The link key of an Azure resource ID (`/subscriptions/.../providers/Microsoft.X/type/name[/sub/name]`):
/// `id:microsoft.x/type/name[/sub/name]`, lower-cased, without the subscription and resource group so IDs built
/// by templates (`resourceId(...)`) match IDs printed by `az`.
pub fn link_key_for_id(id: &str) -> Option<String> {
    let lower = id.trim().to_ascii_lowercase();
    let at = lower.rfind("/providers/")?;
    let rest = lower.get(at + "/providers/".len()..)?.trim_end_matches('/');
    if rest.split('/').count() < 3 {
        return None;
    }
    Some(format!("id:{rest}"))
}

/// The link key of a resource of `arm_type` (`Microsoft.ContainerService/managedClusters`) named `name`
/// (`cluster/pool` for child resources).
pub fn link_key_for(arm_type: &str, name: &str) -> String {
    let mut parts = arm_type.split('/');
    let ns = parts.next().unwrap_or_default();
    let types: Vec<&str> = parts.collect();
    let names: Vec<&str> = name.split('/').collect();
    let mut s = format!("id:{ns}");
    for (i, t) in types.iter().enumerate() {
        s.push('/');
        s.push_str(t);
        if let Some(n) = names.get(i) {
            s.push('/');
            s.push_str(n);
        }
    }
    s.to_ascii_lowercase()
}

/// Built-in Azure role definition GUIDs the AKS rules care about, and their names.
pub const BUILTIN_ROLES: &[(&str, &str)] = &[
    ("7f951dda-4ed3-4680-a7ca-43fe172d538d", "AcrPull"),
    ("8311e382-0749-4cb8-b61a-304f252e45ec", "AcrPush"),
    ("c2f4ef07-c644-48eb-af81-4b1b4947fb11", "AcrDelete"),
    ("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor"),
    ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner"),
    ("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator"),
    (
        "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
        "Azure Kubernetes Service RBAC Cluster Admin",
    ),
    (
        "3498e952-d568-435e-9b2c-8d77e338d7f7",
        "Azure Kubernetes Service RBAC Admin",
    ),
    (
        "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
        "Azure Kubernetes Service RBAC Reader",
    ),
    (
        "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
        "Azure Kubernetes Service RBAC Writer",
    ),
    (
        "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8",
        "Azure Kubernetes Service Cluster Admin Role",
    ),
    (
        "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
        "Azure Kubernetes Service Cluster User Role",
    ),
    (
        "ed7f3fbd-7b88-4dd4-9017-9adb7ce333f8",
        "Azure Kubernetes Service Contributor Role",
    ),
];

/// The role name of a role definition ID or name (`/providers/Microsoft.Authorization/roleDefinitions/<guid>`,
/// a bare GUID, or a name as written).
pub fn role_name(def: &str) -> String {
    let guid = def.rsplit('/').next().unwrap_or(def).to_ascii_lowercase();
    BUILTIN_ROLES
        .iter()
        .find(|(g, _)| *g == guid)
        .map_or_else(|| def.to_string(), |(_, n)| (*n).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_keys_match_across_formats() {
        let a = link_key_for_id(
            "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1",
        );
        let b = link_key_for("Microsoft.ContainerService/managedClusters", "aks1");
        assert_eq!(a.as_deref(), Some(b.as_str()));
        assert_eq!(
            link_key_for("Microsoft.ContainerService/managedClusters/agentPools", "aks1/np"),
            "id:microsoft.containerservice/managedclusters/aks1/agentpools/np"
        );
        assert_eq!(role_name("/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d"), "AcrPull");
    }
}
