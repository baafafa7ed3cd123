//! Terraform resources (from HCL or `terraform show -json`) into the AKS model. Accepts the argument names of
//! azurerm 2.x, 3.x and 4.x (catalogue §0.3): where two spellings exist the newer one wins when both are written.

use super::hcl::{TfNode, TfVal};
use super::model::*;
use super::tfeval::TfResource;
use crate::finding::{Location, ObjectRef};
use crate::node::{Node, Pos, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Reads settings of one resource.
pub(crate) struct Res<'a> {
    pub r: &'a TfResource,
}

impl<'a> Res<'a> {
    fn loc(&self, pos: Pos, path: &str) -> Location {
        let mut pointer = String::with_capacity(self.r.pointer.len() + path.len());
        pointer.push_str(&self.r.pointer);
        pointer.push_str(path);
        Location {
            file: self.r.file.clone(),
            document: self.r.document,
            line: pos.line,
            column: pos.col,
            pointer,
        }
    }

    fn object(&self) -> ObjectRef {
        ObjectRef {
            api_version: self.r.typ.clone(),
            kind: self.r.typ.clone(),
            namespace: None,
            name: Some(self.r.name.clone()),
        }
    }

    fn origin(&self, format: Format) -> Origin {
        let mut keys = vec![tf_key(&self.r.module, &self.r.address())];
        if let Some(id) = self.r.body.get("id").and_then(TfNode::as_str) {
            keys.extend(link_key_for_id(id));
        }
        Origin {
            format: Some(format),
            object: self.object(),
            at: self.loc(self.r.pos, ""),
            keys,
        }
    }

    /// Follows `path` (blocks then a final attribute) from `base` (whose pointer is `base_ptr`).
    fn find<'n>(&self, base: &'n TfNode, base_ptr: &str, path: &[&str]) -> Found<'n> {
        let mut cur = base;
        let Some((last, blocks)) = path.split_last() else {
            return Found::Absent;
        };
        // Pointer segments are only joined when a value is found (most lookups find nothing).
        let mut indexed = [false; 8];
        for (i, b) in blocks.iter().enumerate() {
            match cur.get(b) {
                None => return Found::Absent,
                Some(n) => match &n.val {
                    TfVal::Null => return Found::Absent,
                    TfVal::List(items) => match items.first() {
                        None => return Found::Absent,
                        Some(first) => {
                            if let Some(slot) = indexed.get_mut(i) {
                                *slot = true;
                            }
                            if let Some(r) = first.val.unknown_reason() {
                                let ptr = join_ptr(base_ptr, blocks.get(..=i).unwrap_or_default(), &indexed, None);
                                return Found::Unknown(r, self.loc(first.pos, &ptr));
                            }
                            cur = first;
                        }
                    },
                    TfVal::Map(_) => cur = n,
                    other => {
                        let why = other.unknown_reason().unwrap_or_else(|| format!("{b} is not a block"));
                        let ptr = join_ptr(base_ptr, blocks.get(..=i).unwrap_or_default(), &indexed, None);
                        return Found::Unknown(why, self.loc(n.pos, &ptr));
                    }
                },
            }
        }
        match cur.get(last) {
            None => Found::Absent,
            Some(n) if matches!(n.val, TfVal::Null) => Found::Absent,
            Some(n) => Found::Node(n, self.loc(n.pos, &join_ptr(base_ptr, blocks, &indexed, Some(last)))),
        }
    }

    fn bool_in(&self, base: &TfNode, ptr: &str, path: &[&str]) -> Setting<bool> {
        match self.find(base, ptr, path) {
            Found::Absent => Setting::Absent,
            Found::Unknown(r, l) => Setting::Unknown(r, l),
            Found::Node(n, l) => match n.val.unknown_reason() {
                Some(r) => Setting::Unknown(r, l),
                None => match n.val.as_bool() {
                    Some(b) => Setting::Set(b, l),
                    None => Setting::Unknown(format!("{} is not a boolean", path.join(".")), l),
                },
            },
        }
    }

    fn str_in(&self, base: &TfNode, ptr: &str, path: &[&str]) -> Setting<String> {
        match self.find(base, ptr, path) {
            Found::Absent => Setting::Absent,
            Found::Unknown(r, l) => Setting::Unknown(r, l),
            Found::Node(n, l) => match n.val.unknown_reason() {
                Some(r) => Setting::Unknown(r, l),
                None => match n.val.to_string_value() {
                    Some(s) => Setting::Set(s, l),
                    None => Setting::Unknown(format!("{} is not a string", path.join(".")), l),
                },
            },
        }
    }

    fn num_in(&self, base: &TfNode, ptr: &str, path: &[&str]) -> Setting<i64> {
        match self.find(base, ptr, path) {
            Found::Absent => Setting::Absent,
            Found::Unknown(r, l) => Setting::Unknown(r, l),
            Found::Node(n, l) => match n.val.unknown_reason() {
                Some(r) => Setting::Unknown(r, l),
                None => match n.val.as_num() {
                    Some(x) => Setting::Set(x as i64, l),
                    None => Setting::Unknown(format!("{} is not a number", path.join(".")), l),
                },
            },
        }
    }

    fn list_in(&self, base: &TfNode, ptr: &str, path: &[&str]) -> Setting<Vec<String>> {
        match self.find(base, ptr, path) {
            Found::Absent => Setting::Absent,
            Found::Unknown(r, l) => Setting::Unknown(r, l),
            Found::Node(n, l) => match &n.val {
                TfVal::List(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for i in items {
                        if let Some(r) = i.val.unknown_reason() {
                            return Setting::Unknown(r, l);
                        }
                        match i.val.to_string_value() {
                            Some(s) => out.push(s),
                            None => return Setting::Unknown(format!("{} holds a non-string", path.join(".")), l),
                        }
                    }
                    Setting::Set(out, l)
                }
                TfVal::Str(s) => Setting::Set(vec![s.clone()], l),
                other => Setting::Unknown(
                    other
                        .unknown_reason()
                        .unwrap_or_else(|| format!("{} is not a list", path.join("."))),
                    l,
                ),
            },
        }
    }

    /// A block is present (`Set(true)`), absent, or unknown.
    fn block_in(&self, base: &TfNode, ptr: &str, path: &[&str]) -> Setting<bool> {
        match self.find(base, ptr, path) {
            Found::Absent => Setting::Absent,
            Found::Unknown(r, l) => Setting::Unknown(r, l),
            Found::Node(n, l) => match &n.val {
                TfVal::List(items) if items.is_empty() => Setting::Absent,
                TfVal::List(items) => match items.first().and_then(|i| i.val.unknown_reason()) {
                    Some(r) => Setting::Unknown(r, l),
                    None => Setting::Set(true, l),
                },
                TfVal::Map(_) => Setting::Set(true, l),
                other => Setting::Unknown(other.unknown_reason().unwrap_or_else(|| "not a block".into()), l),
            },
        }
    }

    /// A reference-valued argument as a link key.
    fn link_in(&self, base: &TfNode, ptr: &str, path: &[&str]) -> Setting<String> {
        if let (Some(first), [single]) = (
            path.first()
                .and_then(|p| self.r.references.get(*p))
                .and_then(|r| r.first()),
            path,
        ) {
            let l = match self.find(base, ptr, path) {
                Found::Node(_, l) | Found::Unknown(_, l) => l,
                Found::Absent => self.loc(self.r.pos, &format!("{ptr}/{single}")),
            };
            return Setting::Set(tf_ref_key(&self.r.module, first), l);
        }
        match self.find(base, ptr, path) {
            Found::Absent => Setting::Absent,
            Found::Unknown(r, l) => Setting::Unknown(r, l),
            Found::Node(n, l) => match &n.val {
                TfVal::Ref(r) => Setting::Set(tf_ref_key(&self.r.module, r), l),
                TfVal::Unknown(r) => Setting::Unknown(r.clone(), l),
                v => match v.to_string_value() {
                    Some(s) => Setting::Set(literal_key(&s), l),
                    None => Setting::Unknown("not a reference".into(), l),
                },
            },
        }
    }

    fn b(&self, path: &[&str]) -> Setting<bool> {
        self.bool_in(&self.r.body, "", path)
    }
    fn s(&self, path: &[&str]) -> Setting<String> {
        self.str_in(&self.r.body, "", path)
    }
    fn l(&self, path: &[&str]) -> Setting<Vec<String>> {
        self.list_in(&self.r.body, "", path)
    }
    fn n(&self, path: &[&str]) -> Setting<i64> {
        self.num_in(&self.r.body, "", path)
    }
    fn blk(&self, path: &[&str]) -> Setting<bool> {
        self.block_in(&self.r.body, "", path)
    }
    fn link(&self, path: &[&str]) -> Setting<String> {
        self.link_in(&self.r.body, "", path)
    }
}

/// `base/block/0/block2/0/last`: blocks that were lists get their `/0`.
fn join_ptr(base: &str, blocks: &[&str], indexed: &[bool; 8], last: Option<&str>) -> String {
    let mut p = String::with_capacity(base.len() + 48);
    p.push_str(base);
    for (i, b) in blocks.iter().enumerate() {
        p.push('/');
        p.push_str(b);
        if indexed.get(i).copied().unwrap_or(false) {
            p.push_str("/0");
        }
    }
    if let Some(l) = last {
        p.push('/');
        p.push_str(l);
    }
    p
}

enum Found<'n> {
    Absent,
    Unknown(String, Location),
    Node(&'n TfNode, Location),
}

/// The link key of a Terraform resource address in a module.
pub(crate) fn tf_key(module: &str, address: &str) -> String {
    format!("tf:{module}:{address}")
}

/// The link key of a reference (`azurerm_kubernetes_cluster.main.id` is the resource itself).
pub(crate) fn tf_ref_key(module: &str, reference: &str) -> String {
    let r = reference.strip_suffix(".id").unwrap_or(reference);
    if r.starts_with("data.") || r.starts_with("module.") {
        return format!("tf:{module}:{r}");
    }
    tf_key(module, r)
}

/// The link key of a literal value: an Azure resource ID, a GUID, or the string itself.
pub fn literal_key(s: &str) -> String {
    if let Some(k) = link_key_for_id(s) {
        return k;
    }
    let t = s.trim();
    if t.len() == 36 && t.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return format!("guid:{}", t.to_ascii_lowercase());
    }
    if t.starts_with("https://") || t.starts_with("http://") {
        return format!("url:{}", t.trim_end_matches('/').to_ascii_lowercase());
    }
    format!("str:{t}")
}

/// Terraform resource types the model reads; other resources are not needed (references to them stay symbolic).
pub const RESOURCE_TYPES: &[&str] = &[
    "azurerm_kubernetes_cluster",
    "azurerm_kubernetes_cluster_node_pool",
    "azurerm_monitor_diagnostic_setting",
    "azurerm_container_registry",
    "azurerm_key_vault",
    "azurerm_key_vault_access_policy",
    "azurerm_role_assignment",
    "azurerm_security_center_subscription_pricing",
    "azurerm_network_security_group",
    "azurerm_network_security_rule",
    "azurerm_subnet_network_security_group_association",
    "azurerm_subnet",
    "azurerm_federated_identity_credential",
    "azurerm_log_analytics_workspace",
    "azurerm_policy_assignment",
    "azurerm_resource_policy_assignment",
    "azurerm_resource_group_policy_assignment",
    "azurerm_subscription_policy_assignment",
    "azurerm_management_group_policy_assignment",
];

/// Adds the resources to the model.
pub(crate) fn map_resources(
    resources: &[TfResource],
    format: Format,
    m: &mut AksModel,
    pools: &mut Vec<(Setting<String>, NodePool)>,
) {
    for r in resources {
        let x = Res { r };
        match r.typ.as_str() {
            "azurerm_kubernetes_cluster" => m.clusters.push(cluster(&x, format)),
            "azurerm_kubernetes_cluster_node_pool" => {
                let mut p = node_pool(&x, &r.body, "", r.name.clone(), true);
                p.name = x.s(&["name"]).known().cloned().unwrap_or_else(|| r.name.clone());
                if !p.mode.is_present() {
                    p.mode = Setting::Absent;
                }
                pools.push((x.link(&["kubernetes_cluster_id"]), p));
            }
            "azurerm_monitor_diagnostic_setting" => m.unlinked_diagnostics.push((diag(&x, format), String::new())),
            "azurerm_container_registry" => m.registries.push(Registry {
                origin: x.origin(format),
                admin_enabled: x.b(&["admin_enabled"]),
                public_network: x.b(&["public_network_access_enabled"]),
                anonymous_pull: x.b(&["anonymous_pull_enabled"]),
            }),
            "azurerm_key_vault" => {
                m.key_vaults.push(KeyVault {
                    origin: x.origin(format),
                    rbac_authorization: x
                        .b(&["rbac_authorization_enabled"])
                        .or(x.b(&["enable_rbac_authorization"])),
                    purge_protection: x.b(&["purge_protection_enabled"]),
                });
                let vault = Setting::Set(tf_key(&r.module, &r.address()), x.loc(r.pos, ""));
                for (i, p) in r.body.blocks("access_policy").into_iter().enumerate() {
                    let ptr = format!("/access_policy/{i}");
                    m.access_policies.push(access_policy(&x, p, &ptr, vault.clone()));
                }
            }
            "azurerm_key_vault_access_policy" => {
                let vault = x.link(&["key_vault_id"]);
                m.access_policies.push(access_policy(&x, &r.body, "", vault));
            }
            "azurerm_role_assignment" => m.role_assignments.push(RoleAssignment {
                origin: x.origin(format),
                scope: x.link(&["scope"]),
                role: x
                    .s(&["role_definition_name"])
                    .or(x.s(&["role_definition_id"]).map(|d| role_name(&d))),
                principal: x.link(&["principal_id"]),
                principal_type: x.s(&["principal_type"]),
            }),
            "azurerm_security_center_subscription_pricing" => m.defender_pricings.push(DefenderPricing {
                origin: x.origin(format),
                plan: x.s(&["resource_type"]),
                tier: x.s(&["tier"]),
            }),
            "azurerm_network_security_group" => {
                m.nsgs.push(Nsg {
                    origin: x.origin(format),
                });
                let nsg = Setting::Set(tf_key(&r.module, &r.address()), x.loc(r.pos, ""));
                for (i, rule) in r.body.blocks("security_rule").into_iter().enumerate() {
                    m.nsg_rules
                        .push(nsg_rule(&x, rule, &format!("/security_rule/{i}"), nsg.clone()));
                }
            }
            "azurerm_network_security_rule" => {
                let nsg = x.link(&["network_security_group_name"]);
                m.nsg_rules.push(nsg_rule(&x, &r.body, "", nsg));
            }
            "azurerm_subnet_network_security_group_association" => {
                if let Some(subnet) = x.link(&["subnet_id"]).known() {
                    m.subnet_nsgs.push(SubnetNsg {
                        subnet_keys: vec![subnet.clone()],
                        nsg: x.link(&["network_security_group_id"]),
                    });
                }
            }
            "azurerm_subnet" => m.subnet_nsgs.push(SubnetNsg {
                subnet_keys: x.origin(format).keys,
                nsg: Setting::Absent,
            }),
            "azurerm_federated_identity_credential" => m.federated_credentials.push(FederatedCredential {
                origin: x.origin(format),
                issuer: x.link(&["issuer"]),
                audiences: x.l(&["audience"]),
                subject: x.s(&["subject"]),
            }),
            "azurerm_log_analytics_workspace" => m.workspaces.push(Workspace {
                origin: x.origin(format),
                retention_days: x.n(&["retention_in_days"]),
            }),
            t if t.ends_with("policy_assignment") => {
                let params = x.s(&["parameters"]);
                let effect = match &params {
                    Setting::Set(json, l) => serde_json::from_str::<serde_json::Value>(json)
                        .ok()
                        .and_then(|j| {
                            let e = j.get("effect")?;
                            Some(e.get("value").unwrap_or(e).as_str()?.to_string())
                        })
                        .map_or(Setting::Absent, |e| Setting::Set(e, l.clone())),
                    Setting::Unknown(r, l) => Setting::Unknown(r.clone(), l.clone()),
                    Setting::Absent => Setting::Absent,
                };
                m.policy_assignments.push(PolicyAssignment {
                    origin: x.origin(format),
                    definition: x.s(&["policy_definition_id"]),
                    effect,
                    enforced: x.b(&["enforce"]),
                });
            }
            _ => {}
        }
    }
}

fn access_policy(x: &Res, base: &TfNode, ptr: &str, vault: Setting<String>) -> AccessPolicy {
    let lower = |s: Setting<Vec<String>>| s.map(|v| v.into_iter().map(|p| p.to_ascii_lowercase()).collect());
    AccessPolicy {
        at: x.loc(base.pos, ptr),
        object: x.object(),
        vault,
        principal: x.link_in(base, ptr, &["object_id"]),
        secrets: lower(x.list_in(base, ptr, &["secret_permissions"])),
        keys: lower(x.list_in(base, ptr, &["key_permissions"])),
        certificates: lower(x.list_in(base, ptr, &["certificate_permissions"])),
    }
}

fn nsg_rule(x: &Res, base: &TfNode, ptr: &str, nsg: Setting<String>) -> NsgRule {
    let one_or_many = |one: &str, many: &str| {
        let m = x.list_in(base, ptr, &[many]);
        match m {
            Setting::Set(ref v, _) if !v.is_empty() => m,
            Setting::Unknown(..) => m,
            _ => x.list_in(base, ptr, &[one]),
        }
    };
    NsgRule {
        at: x.loc(base.pos, ptr),
        object: x.object(),
        name: base
            .get("name")
            .and_then(TfNode::as_str)
            .unwrap_or(&x.r.name)
            .to_string(),
        nsg,
        direction: x.str_in(base, ptr, &["direction"]),
        access: x.str_in(base, ptr, &["access"]),
        sources: one_or_many("source_address_prefix", "source_address_prefixes"),
        ports: one_or_many("destination_port_range", "destination_port_ranges"),
    }
}

fn diag(x: &Res, format: Format) -> DiagnosticSetting {
    let mut logs = Vec::new();
    let mut logs_unknown = None;
    for (block, always_on) in [("enabled_log", true), ("log", false)] {
        for (i, b) in x.r.body.blocks(block).into_iter().enumerate() {
            let ptr = format!("/{block}/{i}");
            if let Some(r) = b.val.unknown_reason() {
                logs_unknown = Some((r, x.loc(b.pos, &ptr)));
                continue;
            }
            logs.push(DiagLog {
                category: x.str_in(b, &ptr, &["category"]),
                group: x.str_in(b, &ptr, &["category_group"]),
                enabled: if always_on {
                    Setting::Set(true, x.loc(b.pos, &ptr))
                } else {
                    x.bool_in(b, &ptr, &["enabled"])
                },
                at: x.loc(b.pos, &ptr),
            });
        }
    }
    let dests = [
        "log_analytics_workspace_id",
        "storage_account_id",
        "eventhub_authorization_rule_id",
        "partner_solution_id",
    ];
    let mut has_destination = Setting::Absent;
    for d in dests {
        match x.s(&[d]) {
            Setting::Absent => {}
            Setting::Set(_, l) => has_destination = Setting::Set(true, l),
            Setting::Unknown(_, l) => {
                // A reference to a workspace is a destination even though its ID is only known after apply.
                has_destination = Setting::Set(true, l);
            }
        }
    }
    DiagnosticSetting {
        origin: x.origin(format),
        name: x.s(&["name"]).known().cloned().unwrap_or_else(|| x.r.name.clone()),
        target: x.link(&["target_resource_id"]),
        logs,
        logs_unknown,
        has_destination,
        workspace: x.link(&["log_analytics_workspace_id"]),
    }
}

fn node_pool(x: &Res, base: &TfNode, ptr: &str, name: String, separate: bool) -> NodePool {
    let b = |p: &[&str]| x.bool_in(base, ptr, p);
    let s = |p: &[&str]| x.str_in(base, ptr, p);
    let l = |p: &[&str]| x.list_in(base, ptr, p);
    NodePool {
        name: base.get("name").and_then(TfNode::as_str).map_or(name, str::to_string),
        at: x.loc(base.pos, ptr),
        object: x.object(),
        separate,
        mode: s(&["mode"]),
        node_public_ip: b(&["node_public_ip_enabled"]).or(b(&["enable_node_public_ip"])),
        host_encryption: b(&["host_encryption_enabled"]).or(b(&["enable_host_encryption"])),
        zones: l(&["zones"]).or(l(&["availability_zones"])),
        auto_scaling: b(&["auto_scaling_enabled"]).or(b(&["enable_auto_scaling"])),
        min_count: x.num_in(base, ptr, &["min_count"]),
        count: x.num_in(base, ptr, &["node_count"]),
        os_sku: s(&["os_sku"]),
        os_type: s(&["os_type"]),
        os_disk_type: s(&["os_disk_type"]),
        fips: b(&["fips_enabled"]),
        secure_boot: Setting::Absent,
        vtpm: Setting::Absent,
        vnet_subnet: x.link_in(base, ptr, &["vnet_subnet_id"]),
        orchestrator_version: s(&["orchestrator_version"]),
        taints: l(&["node_taints"]),
        only_critical_addons: b(&["only_critical_addons_enabled"]),
        ssh_access: Setting::Absent,
    }
}

fn cluster(x: &Res, format: Format) -> AksCluster {
    let r = x.r;
    let module = &r.module;
    let addr = r.address();
    let aad3 = x.blk(&["azure_active_directory_role_based_access_control"]);
    let aad2 = x.blk(&["role_based_access_control", "azure_active_directory"]);
    let (aad_path, aad): (&[&'static str], Setting<bool>) = if aad3.is_present() {
        (&["azure_active_directory_role_based_access_control"], aad3)
    } else {
        (&["role_based_access_control", "azure_active_directory"], aad2)
    };
    let aad_arg = |arg: &'static str| -> Vec<&'static str> {
        let mut p: Vec<&'static str> = aad_path.to_vec();
        p.push(arg);
        p
    };
    let legacy = ["client_app_id", "server_app_id", "server_app_secret"]
        .iter()
        .map(|a| x.s(&aad_arg(a)))
        .find(Setting::is_present)
        .map_or(Setting::Absent, |s| s.map(|_| true));
    // azurerm 4.x: the block is always AKS-managed (`managed` removed). 3.x: `managed` defaults to false.
    let aad_managed = match x.b(&aad_arg("managed")) {
        Setting::Absent => match (&aad, &legacy) {
            (Setting::Set(true, l), Setting::Absent) => Setting::Set(true, l.clone()),
            (Setting::Set(true, l), _) => Setting::Set(false, l.clone()),
            _ => Setting::Absent,
        },
        s => s,
    };
    let sp = x.blk(&["service_principal"]);
    let identity = x.s(&["identity", "type"]);
    let kv = x.blk(&["key_vault_secrets_provider"]);
    let kv2 = x.b(&["addon_profile", "azure_keyvault_secrets_provider", "enabled"]);
    let kv_addon = if kv.is_present() {
        Addon {
            enabled: kv,
            rotation: x.b(&["key_vault_secrets_provider", "secret_rotation_enabled"]),
            rotation_interval: x.s(&["key_vault_secrets_provider", "secret_rotation_interval"]),
            ..Addon::default()
        }
    } else {
        Addon {
            enabled: kv2,
            rotation: x.b(&[
                "addon_profile",
                "azure_keyvault_secrets_provider",
                "secret_rotation_enabled",
            ]),
            rotation_interval: x.s(&[
                "addon_profile",
                "azure_keyvault_secrets_provider",
                "secret_rotation_interval",
            ]),
            ..Addon::default()
        }
    };
    let oms = x.blk(&["oms_agent"]);
    let oms_addon = if oms.is_present() {
        Addon {
            enabled: oms,
            workspace: x.s(&["oms_agent", "log_analytics_workspace_id"]),
            ..Addon::default()
        }
    } else {
        Addon {
            enabled: x.b(&["addon_profile", "oms_agent", "enabled"]),
            workspace: x.s(&["addon_profile", "oms_agent", "log_analytics_workspace_id"]),
            ..Addon::default()
        }
    };
    let mut maintenance = Vec::new();
    for w in [
        "maintenance_window_auto_upgrade",
        "maintenance_window_node_os",
        "maintenance_window",
    ] {
        if let Some(l) = x.blk(&[w]).location() {
            maintenance.push(l.clone());
        }
    }
    let mut node_pools = Vec::new();
    if let Some(dp) = r.body.block("default_node_pool") {
        let mut p = node_pool(x, dp, "/default_node_pool/0", "default".into(), false);
        if !p.mode.is_present() {
            p.mode = Setting::Set("System".into(), p.at.clone());
        }
        node_pools.push(p);
    }
    let name = x.s(&["name"]).known().cloned().unwrap_or_else(|| r.name.clone());
    let mut origin = x.origin(format);
    if let Some(n) = x.s(&["name"]).known() {
        origin
            .keys
            .push(link_key_for("Microsoft.ContainerService/managedClusters", n));
    }
    let mut kubelet_principal_keys = vec![
        tf_key(module, &format!("{addr}.kubelet_identity.0.object_id")),
        tf_key(module, &format!("{addr}.kubelet_identity.*.object_id")),
    ];
    if let Some(id) = x.s(&["kubelet_identity", "object_id"]).known() {
        kubelet_principal_keys.push(literal_key(id));
    }
    let mut kv_identity_keys = vec![
        tf_key(
            module,
            &format!("{addr}.key_vault_secrets_provider.0.secret_identity.0.object_id"),
        ),
        tf_key(
            module,
            &format!("{addr}.key_vault_secrets_provider.*.secret_identity.*.object_id"),
        ),
    ];
    if let Some(id) = x
        .s(&["key_vault_secrets_provider", "secret_identity", "object_id"])
        .known()
    {
        kv_identity_keys.push(literal_key(id));
    }
    let mut oidc_issuer_keys = vec![tf_key(module, &format!("{addr}.oidc_issuer_url"))];
    if let Some(u) = x.s(&["oidc_issuer_url"]).known() {
        oidc_issuer_keys.push(literal_key(u));
    }
    AksCluster {
        origin,
        name,
        aad,
        aad_managed,
        aad_legacy_app: legacy,
        azure_rbac: x.b(&aad_arg("azure_rbac_enabled")),
        admin_groups: x.l(&aad_arg("admin_group_object_ids")),
        local_accounts_disabled: x.b(&["local_account_disabled"]),
        rbac: x
            .b(&["role_based_access_control_enabled"])
            .or(x.b(&["role_based_access_control", "enabled"])),
        identity_type: identity,
        service_principal: if sp.is_present() {
            x.s(&["service_principal", "client_id"]).or(sp.map(|_| String::new()))
        } else {
            Setting::Absent
        },
        workload_identity: x.b(&["workload_identity_enabled"]),
        oidc_issuer: x.b(&["oidc_issuer_enabled"]),
        oidc_issuer_keys,
        pod_identity: Setting::Absent,
        run_command_disabled: x.b(&["run_command_enabled"]).map(|b| !b),
        private_cluster: x.b(&["private_cluster_enabled"]).or(x.b(&["private_link_enabled"])),
        private_public_fqdn: x.b(&["private_cluster_public_fqdn_enabled"]),
        authorized_ip_ranges: x
            .l(&["api_server_access_profile", "authorized_ip_ranges"])
            .or(x.l(&["api_server_authorized_ip_ranges"])),
        network_plugin: x.s(&["network_profile", "network_plugin"]),
        network_plugin_mode: x.s(&["network_profile", "network_plugin_mode"]),
        network_policy: x.s(&["network_profile", "network_policy"]),
        network_dataplane: x
            .s(&["network_profile", "network_data_plane"])
            .or(x.s(&["network_profile", "ebpf_data_plane"])),
        outbound_type: x.s(&["network_profile", "outbound_type"]),
        azure_policy: Addon {
            enabled: x
                .b(&["azure_policy_enabled"])
                .or(x.b(&["addon_profile", "azure_policy", "enabled"])),
            ..Addon::default()
        },
        oms_agent: oms_addon,
        kv_secrets_provider: kv_addon,
        http_app_routing: Addon {
            enabled: x.b(&["http_application_routing_enabled"]).or(x.b(&[
                "addon_profile",
                "http_application_routing",
                "enabled",
            ])),
            ..Addon::default()
        },
        kube_dashboard: Addon {
            enabled: x.b(&["addon_profile", "kube_dashboard", "enabled"]),
            ..Addon::default()
        },
        defender: x.blk(&["microsoft_defender"]),
        kms: x.blk(&["key_management_service"]),
        kms_network_access: x.s(&["key_management_service", "key_vault_network_access"]),
        image_cleaner: x.b(&["image_cleaner_enabled"]),
        pod_security_policy: x.b(&["enable_pod_security_policy"]),
        service_mesh: x.s(&["service_mesh_profile", "mode"]),
        upgrade_channel: x
            .s(&["automatic_upgrade_channel"])
            .or(x.s(&["automatic_channel_upgrade"])),
        node_os_channel: x.s(&["node_os_upgrade_channel"]).or(x.s(&["node_os_channel_upgrade"])),
        maintenance,
        kubernetes_version: x.s(&["kubernetes_version"]),
        disk_encryption_set: x.link(&["disk_encryption_set_id"]),
        sku_tier: x.s(&["sku_tier"]),
        node_pools,
        node_pools_unknown: None,
        diagnostics: Diagnostics::Linked(Vec::new()),
        kubelet_principal_keys,
        kv_identity_keys,
    }
}

/// Resources of a `terraform show -json` plan or state document.
pub(crate) fn plan_resources(file: &Arc<str>, document: usize, root: &Node) -> Vec<TfResource> {
    let mut out = Vec::new();
    let unknowns = after_unknown_by_address(root);
    let refs = configuration_refs(root);
    let values = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
        .map(|m| ("/planned_values/root_module".to_string(), m))
        .or_else(|| {
            root.get("values")
                .and_then(|p| p.get("root_module"))
                .map(|m| ("/values/root_module".to_string(), m))
        });
    let Some((ptr, module)) = values else {
        return out;
    };
    let label = file.to_string();
    collect_plan_module(file, document, &label, module, &ptr, &unknowns, &refs, &mut out, 0);
    out
}

#[allow(clippy::too_many_arguments)]
fn collect_plan_module(
    file: &Arc<str>,
    document: usize,
    label: &str,
    module: &Node,
    ptr: &str,
    unknowns: &HashMap<String, &Node>,
    refs: &HashMap<String, HashMap<String, Vec<String>>>,
    out: &mut Vec<TfResource>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    let module_addr = module.get_str("address").unwrap_or("");
    let module_key = if module_addr.is_empty() {
        label.to_string()
    } else {
        format!("{label}#{module_addr}")
    };
    for (i, res) in module
        .get("resources")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        if res.get_str("mode") == Some("data") {
            continue;
        }
        let (Some(typ), Some(name)) = (res.get_str("type"), res.get_str("name")) else {
            continue;
        };
        let address = res.get_str("address").unwrap_or_default();
        let mut body = res
            .entry("values")
            .map(|e| node_to_tf(&e.value, e.key_pos))
            .unwrap_or_else(|| TfNode::new(res.pos, TfVal::Map(Vec::new())));
        if let Some(u) = unknowns.get(address) {
            mark_unknown(&mut body, u);
        }
        let config_addr = strip_index(address);
        out.push(TfResource {
            module: module_key.clone(),
            typ: typ.to_string(),
            name: name.to_string(),
            file: Arc::clone(file),
            document,
            pos: res.pos,
            pointer: format!("{ptr}/resources/{i}/values"),
            body,
            references: refs.get(&config_addr).cloned().unwrap_or_default(),
        });
    }
    for (i, child) in module
        .get("child_modules")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let p = format!("{ptr}/child_modules/{i}");
        collect_plan_module(file, document, label, child, &p, unknowns, refs, out, depth + 1);
    }
}

/// `module.a["x"].azurerm_x.y[0]` → `module.a.azurerm_x.y` (configuration addresses have no instance keys).
fn strip_index(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in address.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn after_unknown_by_address(root: &Node) -> HashMap<String, &Node> {
    let mut m = HashMap::new();
    for rc in root.get("resource_changes").and_then(Node::as_seq).unwrap_or_default() {
        if let (Some(addr), Some(u)) = (rc.get_str("address"), rc.path(&["change", "after_unknown"])) {
            m.insert(addr.to_string(), u);
        }
    }
    m
}

/// Per resource address (without instance keys): per top-level argument, the references of its expression.
fn configuration_refs(root: &Node) -> HashMap<String, HashMap<String, Vec<String>>> {
    let mut out = HashMap::new();
    if let Some(m) = root.path(&["configuration", "root_module"]) {
        collect_refs(m, "", &mut out, 0);
    }
    out
}

fn collect_refs(module: &Node, prefix: &str, out: &mut HashMap<String, HashMap<String, Vec<String>>>, depth: usize) {
    if depth > 32 {
        return;
    }
    for res in module.get("resources").and_then(Node::as_seq).unwrap_or_default() {
        let Some(addr) = res.get_str("address") else { continue };
        let mut per_arg = HashMap::new();
        for e in res
            .get("expressions")
            .and_then(Node::as_map)
            .map(|m| m.entries())
            .unwrap_or_default()
        {
            let refs: Vec<String> = e
                .value
                .get("references")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect();
            if !refs.is_empty() {
                per_arg.insert(e.key.clone(), refs);
            }
        }
        out.insert(format!("{prefix}{addr}"), per_arg);
    }
    for call in module
        .get("module_calls")
        .and_then(Node::as_map)
        .map(|m| m.entries())
        .unwrap_or_default()
    {
        if let Some(child) = call.value.get("module") {
            collect_refs(child, &format!("{prefix}module.{}.", call.key), out, depth + 1);
        }
    }
}

/// A plan/state value tree as Terraform values; map entries are positioned at their keys.
fn node_to_tf(n: &Node, pos: Pos) -> TfNode {
    let val = match &n.value {
        Value::Null => TfVal::Null,
        Value::Bool(b) => TfVal::Bool(*b),
        Value::Int(i) => TfVal::Num(*i as f64),
        Value::Uint(u) => TfVal::Num(*u as f64),
        Value::Float(f) => TfVal::Num(*f),
        Value::Str(s) => TfVal::Str(s.clone()),
        Value::Seq(items) => TfVal::List(items.iter().map(|i| node_to_tf(i, i.pos)).collect()),
        Value::Map(m) => TfVal::Map(
            m.entries()
                .iter()
                .map(|e| (e.key.clone(), node_to_tf(&e.value, e.key_pos)))
                .collect(),
        ),
    };
    TfNode::new(pos, val)
}

/// Marks values `after_unknown` says are only known after apply.
fn mark_unknown(body: &mut TfNode, unknown: &Node) {
    match (&mut body.val, &unknown.value) {
        (TfVal::Map(entries), Value::Map(u)) => {
            for e in u.entries() {
                match entries.iter_mut().find(|(k, _)| *k == e.key) {
                    Some((_, v)) => {
                        if e.value.as_bool() == Some(true) {
                            v.val = TfVal::Unknown(format!("{} is only known after apply", e.key));
                        } else {
                            mark_unknown(v, &e.value);
                        }
                    }
                    None if e.value.as_bool() == Some(true) => entries.push((
                        e.key.clone(),
                        TfNode::new(body.pos, TfVal::Unknown(format!("{} is only known after apply", e.key))),
                    )),
                    None => {}
                }
            }
        }
        (TfVal::List(items), Value::Seq(u)) => {
            for (v, uu) in items.iter_mut().zip(u.iter()) {
                if uu.as_bool() == Some(true) {
                    v.val = TfVal::Unknown("value is only known after apply".into());
                } else {
                    mark_unknown(v, uu);
                }
            }
        }
        _ => {}
    }
}
