//! Compliance frameworks and their controls, derived from the rule metadata (one source): a rule's Pod Security
//! Standards control (`RuleMeta.pss`), its profiles (`RuleMeta.profiles`) and its reference strings
//! (`RuleMeta.references`, e.g. `CIS AKS Benchmark 4.2.1`, `Azure Policy 95edb821`,
//! `NSA/CISA Kubernetes Hardening Guidance, Network policies`). docs/reports.md documents the conventions.
//!
//! What lives here is only data about the frameworks themselves: control titles and which Azure Policy
//! definitions each initiative contains (from the catalogue, `spec/catalogue.md` §7 and §8.0).

use crate::Report;
use palisade_core::{PssLevel, RuleMeta};
use serde::Serialize;
use std::collections::BTreeMap;

/// How a framework's controls are derived from rule metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Pod Security Standards at a level: controls are PSA checks (`RuleMeta.pss.check`).
    Pss(PssLevel),
    /// CIS Azure Kubernetes Service Benchmark: references `CIS AKS Benchmark <section>`.
    CisAks,
    /// NSA/CISA Kubernetes Hardening Guidance: references `NSA/CISA ...[, <section>]` or profile `nsa`.
    Nsa,
    /// An Azure Policy initiative: references `Azure Policy <definition id>` of its member definitions.
    AzureInitiative(&'static [(&'static str, &'static str)]),
}

/// A compliance framework.
#[derive(Debug)]
pub struct Framework {
    /// The name given to `--framework`.
    pub id: &'static str,
    /// Display title.
    pub title: &'static str,
    /// Other accepted names.
    pub aliases: &'static [&'static str],
    /// How controls are derived.
    pub source: Source,
}

/// Azure Policy "Kubernetes cluster pod security baseline standards for Linux-based workloads"
/// (a8640138-9b0a-4a28-b8cb-1666c838647d): member definition (first 8 hex digits) and reference ID.
const AZURE_BASELINE: &[(&str, &str)] = &[
    ("95edb821", "NoPrivilegedContainers"),
    ("82985f06", "BlockUsingHostNetwork"),
    ("47a1ee2f", "BlockUsingHostProcessIDAndIPC"),
    ("c26596ff", "ContainerCapabilities"),
    ("098fc59e", "NoHostPathVolume"),
];

/// Azure Policy "Kubernetes cluster pod security restricted standards for Linux-based workloads"
/// (42b8ef37-b724-4e24-bbc8-7a7708edfe00).
const AZURE_RESTRICTED: &[(&str, &str)] = &[
    ("95edb821", "NoPrivilegedContainers"),
    ("82985f06", "BlockUsingHostNetwork"),
    ("47a1ee2f", "BlockUsingHostProcessIDAndIPC"),
    ("c26596ff", "ContainerCapabilities"),
    ("1c6e92c9", "NoPrivilegeEscalation"),
    ("16697877", "AllowedVolumeTypes"),
    ("f06ddb64", "AllowedUsersGroups"),
    ("975ce327", "AllowedSeccompProfiles"),
];

/// Every framework `--framework` accepts.
pub static FRAMEWORKS: &[Framework] = &[
    Framework {
        id: "pss-baseline",
        title: "Pod Security Standards: baseline",
        aliases: &["baseline"],
        source: Source::Pss(PssLevel::Baseline),
    },
    Framework {
        id: "pss-restricted",
        title: "Pod Security Standards: restricted",
        aliases: &["restricted", "pss"],
        source: Source::Pss(PssLevel::Restricted),
    },
    Framework {
        id: "cis-aks",
        title: "CIS Azure Kubernetes Service Benchmark",
        aliases: &["cis"],
        source: Source::CisAks,
    },
    Framework {
        id: "nsa",
        title: "NSA/CISA Kubernetes Hardening Guidance",
        aliases: &["nsa-cisa"],
        source: Source::Nsa,
    },
    Framework {
        id: "azure-policy-baseline",
        title: "Azure Policy: Kubernetes pod security baseline initiative",
        aliases: &["azure-baseline"],
        source: Source::AzureInitiative(AZURE_BASELINE),
    },
    Framework {
        id: "azure-policy-restricted",
        title: "Azure Policy: Kubernetes pod security restricted initiative",
        aliases: &["azure-restricted", "azure-policy"],
        source: Source::AzureInitiative(AZURE_RESTRICTED),
    },
];

/// The framework called `name` (its ID or an alias, case-insensitive).
pub fn find(name: &str) -> Option<&'static Framework> {
    FRAMEWORKS
        .iter()
        .find(|f| f.id.eq_ignore_ascii_case(name) || f.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
}

/// Names `--framework` accepts, for error messages.
pub fn names() -> String {
    FRAMEWORKS.iter().map(|f| f.id).collect::<Vec<_>>().join(", ")
}

/// PSS control titles by PSA check ID.
const PSS_TITLES: &[(&str, &str)] = &[
    ("windowsHostProcess", "HostProcess"),
    ("hostNamespaces", "Host Namespaces"),
    ("privileged", "Privileged Containers"),
    ("capabilities_baseline", "Capabilities"),
    ("hostPathVolumes", "HostPath Volumes"),
    ("hostPorts", "Host Ports"),
    ("hostProbesAndHostLifecycle", "Host Probes / Lifecycle Hooks"),
    ("appArmorProfile", "AppArmor"),
    ("seLinuxOptions", "SELinux"),
    ("procMount", "/proc Mount Type"),
    ("seccompProfile_baseline", "Seccomp"),
    ("sysctls", "Sysctls"),
    ("restrictedVolumes", "Volume Types"),
    ("allowPrivilegeEscalation", "Privilege Escalation"),
    ("runAsNonRoot", "Running as Non-root"),
    ("runAsUser", "Running as Non-root user"),
    ("seccompProfile_restricted", "Seccomp (restricted)"),
    ("capabilities_restricted", "Capabilities (restricted)"),
    ("procMount_restricted", "/proc Mount Type (restricted)"),
];

/// CIS AKS Benchmark 1.8 recommendation titles (and the older layout's 4.2.6-4.2.9), by section.
const CIS_TITLES: &[(&str, &str)] = &[
    ("2.1.1", "Enable audit logs"),
    ("3.1.1", "kubeconfig file permissions are 644 or more restrictive"),
    ("3.1.2", "kubelet kubeconfig file ownership is root:root"),
    ("3.1.3", "azure.json file permissions are 644 or more restrictive"),
    ("3.1.4", "azure.json file ownership is root:root"),
    ("3.2.1", "--anonymous-auth is false"),
    ("3.2.2", "--authorization-mode is not AlwaysAllow"),
    ("3.2.3", "--client-ca-file is set"),
    ("3.2.4", "--read-only-port is secured"),
    ("3.2.5", "--streaming-connection-idle-timeout is not 0"),
    ("3.2.6", "--make-iptables-util-chains is true"),
    ("3.2.7", "--eventRecordQPS is 0 or an appropriate level"),
    ("3.2.8", "--rotate-certificates is not false"),
    ("3.2.9", "RotateKubeletServerCertificate is true"),
    ("4.1.1", "The cluster-admin role is only used where required"),
    ("4.1.2", "Minimize access to secrets"),
    ("4.1.3", "Minimize wildcard use in Roles and ClusterRoles"),
    ("4.1.4", "Minimize access to create pods"),
    ("4.1.5", "Default service accounts are not actively used"),
    ("4.1.6", "Service account tokens are only mounted where necessary"),
    ("4.1.7", "Limit use of the Bind, Impersonate and Escalate permissions"),
    ("4.1.8", "Minimize access to create PersistentVolumes"),
    ("4.1.9", "Minimize access to the proxy sub-resource of nodes"),
    (
        "4.1.10",
        "Minimize access to the approval sub-resource of certificatesigningrequests",
    ),
    ("4.1.11", "Minimize access to webhook configuration objects"),
    ("4.1.12", "Minimize access to the service account token creation"),
    ("4.2", "Pod Security Standards (section)"),
    ("4.2.1", "Minimize the admission of privileged containers"),
    (
        "4.2.2",
        "Minimize the admission of containers sharing the host process ID namespace",
    ),
    (
        "4.2.3",
        "Minimize the admission of containers sharing the host IPC namespace",
    ),
    (
        "4.2.4",
        "Minimize the admission of containers sharing the host network namespace",
    ),
    (
        "4.2.5",
        "Minimize the admission of containers with allowPrivilegeEscalation",
    ),
    ("4.2.6", "Minimize the admission of root containers (older layout)"),
    (
        "4.2.7",
        "Minimize the admission of containers with the NET_RAW capability (older layout)",
    ),
    (
        "4.2.8",
        "Minimize the admission of containers with added capabilities (older layout)",
    ),
    (
        "4.2.9",
        "Minimize the admission of containers with capabilities assigned (older layout)",
    ),
    ("4.4.1", "Ensure the latest CNI version is used"),
    ("4.4.2", "All namespaces have NetworkPolicies defined"),
    (
        "4.5.1",
        "Prefer using secrets as files over secrets as environment variables",
    ),
    ("4.5.2", "Consider external secret storage"),
    (
        "4.6.1",
        "Create administrative boundaries between resources using namespaces",
    ),
    ("4.6.2", "Apply a security context to pods and containers"),
    ("4.6.3", "The default namespace should not be used"),
    ("5.1.1", "Image vulnerability scanning"),
    ("5.1.2", "Minimize user access to Azure Container Registry"),
    (
        "5.1.3",
        "Minimize cluster access to read-only for Azure Container Registry",
    ),
    ("5.1.4", "Minimize container registries to only those approved"),
    ("5.2.1", "Prefer using dedicated AKS service accounts"),
    ("5.3.1", "Ensure Kubernetes Secrets are encrypted"),
    ("5.4.1", "Restrict access to the control plane endpoint"),
    ("5.4.2", "Private endpoint enabled and public access disabled"),
    ("5.4.3", "Clusters are created with private nodes"),
    ("5.4.4", "Network policy is enabled and set as appropriate"),
    ("5.4.5", "Encrypt traffic to HTTPS load balancers with TLS certificates"),
    ("5.5.1", "Manage Kubernetes RBAC users with Azure AD"),
    ("5.5.2", "Use Azure RBAC for Kubernetes authorization"),
];

/// Sections listed only when a rule references them (the older layout's, and the 4.2 section heading).
const CIS_OLDER_LAYOUT: &[&str] = &["4.2", "4.2.6", "4.2.7", "4.2.8", "4.2.9"];

/// The CIS AKS section a reference names: `CIS AKS Benchmark 4.2.1`, `CIS Azure Kubernetes Service Benchmark
/// v1.8.0 4.2.1`, `CIS AKS 4.2.1 (aks-1.0)`. References to other CIS benchmarks (`CIS Kubernetes Benchmark`) are
/// not CIS AKS.
pub fn parse_cis_aks(reference: &str) -> Option<String> {
    let lower = reference.to_ascii_lowercase();
    let rest = lower.strip_prefix("cis")?;
    let aks = rest.contains("aks") || rest.contains("azure kubernetes service");
    if !aks {
        return None;
    }
    rest.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')' || c == ':')
        .find(|t| {
            !t.is_empty()
                && t.chars().all(|c| c.is_ascii_digit() || c == '.')
                && t.starts_with(|c: char| c.is_ascii_digit())
        })
        .map(|t| t.trim_end_matches('.').to_string())
}

/// The NSA/CISA guidance section a reference names: `Some(Some(section))` for `NSA/CISA ..., <section>`,
/// `Some(None)` for the guide as a whole, `None` when it is not an NSA/CISA reference.
pub fn parse_nsa(reference: &str) -> Option<Option<String>> {
    let t = reference.trim();
    if !t.to_ascii_lowercase().starts_with("nsa") {
        return None;
    }
    Some(
        t.split_once(',')
            .map(|(_, s)| s.trim().to_string())
            .filter(|s| !s.is_empty()),
    )
}

/// The Azure Policy definition a reference names (its first 8 hex digits, lower case): `Azure Policy 95edb821`,
/// `AzPol 95edb821`, `Azure Policy 95edb821-ddaf-4404-9732-666045e056b4 (privileged)`.
pub fn parse_azure_policy(reference: &str) -> Option<String> {
    let lower = reference.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("azure policy")
        .or_else(|| lower.strip_prefix("azpol"))?;
    let token = rest.split_whitespace().next()?;
    let id: String = token.chars().take_while(char::is_ascii_hexdigit).collect();
    (id.len() >= 8).then(|| id.chars().take(8).collect())
}

/// The NSA/CISA section a rule falls under when its references name none: by rule family.
fn nsa_default_section(meta: &RuleMeta) -> &'static str {
    match meta.family {
        "network" => "Network separation and hardening",
        "rbac" => "Authentication and authorization",
        "secrets" => "Secrets",
        "images" => "Upgrading and application security practices",
        "aks" => "Cluster configuration",
        _ => "Pod security",
    }
}

/// A control of a framework and the rules that check it.
#[derive(Clone, Debug, Serialize)]
pub struct Control {
    /// Control ID within the framework (`4.2.1`, `privileged`, `95edb821`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Rules that check it, in ID order.
    pub rules: Vec<&'static str>,
}

/// The controls of `framework` rule `meta` maps to (IDs). `all` is the whole catalogue (PSS overrides need it).
pub fn rule_controls(framework: &Framework, meta: &RuleMeta, all: &[&'static RuleMeta]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    match framework.source {
        Source::Pss(level) => {
            if let Some(p) = meta.pss {
                if p.level <= level {
                    // At restricted, a baseline check replaced by a restricted one is folded into it (the baseline
                    // rule stops firing there, the restricted rule reports its problem).
                    let replaced_by = (level == PssLevel::Restricted)
                        .then(|| {
                            all.iter().filter_map(|m| m.pss).find(|o| {
                                o.level == PssLevel::Restricted && o.overrides.iter().any(|(id, _)| *id == meta.id)
                            })
                        })
                        .flatten();
                    out.push(replaced_by.map_or(p.check, |o| o.check).to_string());
                }
            } else {
                let profile = match level {
                    PssLevel::Baseline => "pss-baseline",
                    _ => "pss-restricted",
                };
                if meta.profiles.contains(&profile) {
                    out.push(meta.id.to_string());
                }
            }
        }
        Source::CisAks => {
            out.extend(meta.references.iter().filter_map(|r| parse_cis_aks(r)));
        }
        Source::Nsa => {
            for r in meta.references {
                if let Some(section) = parse_nsa(r) {
                    out.push(section.unwrap_or_else(|| nsa_default_section(meta).to_string()));
                }
            }
            if out.is_empty() && meta.profiles.contains(&"nsa") {
                out.push(nsa_default_section(meta).to_string());
            }
        }
        Source::AzureInitiative(members) => {
            out.extend(
                meta.references
                    .iter()
                    .filter_map(|r| parse_azure_policy(r))
                    .filter(|id| members.iter().any(|(m, _)| m == id)),
            );
        }
    }
    out.sort();
    out.dedup();
    out
}

fn title_of(framework: &Framework, id: &str, rules: &[&'static RuleMeta]) -> String {
    let lookup = |table: &[(&str, &str)]| table.iter().find(|(k, _)| *k == id).map(|(_, t)| t.to_string());
    match framework.source {
        Source::Pss(_) => lookup(PSS_TITLES)
            .or_else(|| {
                rules
                    .iter()
                    .find(|m| m.id == id)
                    .map(|m| m.summary.trim_end_matches('.').to_string())
            })
            .unwrap_or_else(|| id.to_string()),
        Source::CisAks => lookup(CIS_TITLES).unwrap_or_else(|| format!("CIS AKS {id}")),
        Source::Nsa => id.to_string(),
        Source::AzureInitiative(members) => lookup(members).unwrap_or_else(|| id.to_string()),
    }
}

/// Orders control IDs: dotted numbers numerically, others by the framework's table order, then by name.
fn control_order(framework: &Framework, id: &str) -> (usize, Vec<u32>, String) {
    let table_pos = match framework.source {
        Source::Pss(_) => PSS_TITLES.iter().position(|(k, _)| *k == id),
        Source::AzureInitiative(m) => m.iter().position(|(k, _)| *k == id),
        _ => None,
    };
    let nums: Vec<u32> = id.split('.').map_while(|p| p.parse().ok()).collect();
    (table_pos.unwrap_or(usize::MAX), nums, id.to_string())
}

/// Every control of `framework`, with the rules of `rules` that check it. Controls no rule checks are listed too
/// where the framework's control list is known (CIS AKS 1.8, the Azure initiatives), so the compliance view
/// shows what Palisade does not cover.
pub fn controls(framework: &Framework, rules: &[&'static RuleMeta]) -> Vec<Control> {
    let mut map: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    match framework.source {
        Source::CisAks => {
            for (id, _) in CIS_TITLES.iter().filter(|(id, _)| !CIS_OLDER_LAYOUT.contains(id)) {
                map.entry((*id).to_string()).or_default();
            }
        }
        Source::AzureInitiative(members) => {
            for (id, _) in members {
                map.entry((*id).to_string()).or_default();
            }
        }
        _ => {}
    }
    for m in rules {
        for c in rule_controls(framework, m, rules) {
            map.entry(c).or_default().push(m.id);
        }
    }
    let mut out: Vec<Control> = map
        .into_iter()
        .map(|(id, mut r)| {
            r.sort_unstable();
            r.dedup();
            Control {
                title: title_of(framework, &id, rules),
                id,
                rules: r,
            }
        })
        .collect();
    out.sort_by_key(|c| control_order(framework, &c.id));
    out
}

/// IDs of the rules that check any control of `framework`.
pub fn rules_in(framework: &Framework, rules: &[&'static RuleMeta]) -> Vec<&'static str> {
    rules
        .iter()
        .filter(|m| !rule_controls(framework, m, rules).is_empty())
        .map(|m| m.id)
        .collect()
}

/// The state of a control after a scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Its rules ran over objects they apply to and found nothing.
    Passed,
    /// At least one finding of its rules.
    Failed,
    /// No rule checks it, none of its rules ran, nothing it applies to was scanned, or a cross-object rule could
    /// not decide.
    NotEvaluated,
}

impl Status {
    /// `passed`, `failed`, `not-evaluated`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::NotEvaluated => "not-evaluated",
        }
    }

    /// For people: `passed`, `failed`, `not evaluated`.
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::NotEvaluated => "not evaluated",
        }
    }
}

/// A control's result.
#[derive(Clone, Debug, Serialize)]
pub struct ControlResult {
    /// The control.
    #[serde(flatten)]
    pub control: Control,
    /// Passed, failed or not evaluated.
    pub status: Status,
    /// Indices into the result's findings of the findings behind a failure.
    pub findings: Vec<usize>,
    /// Suppressed findings of its rules.
    pub suppressed: usize,
    /// Why it was not evaluated, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A framework's controls after a scan.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    /// Framework ID.
    pub id: &'static str,
    /// Framework title.
    pub title: &'static str,
    /// Controls in framework order.
    pub controls: Vec<ControlResult>,
}

impl Evaluation {
    /// Number of controls with `status`.
    pub fn count(&self, status: Status) -> usize {
        self.controls.iter().filter(|c| c.status == status).count()
    }

    /// IDs of the controls finding `index` is behind.
    pub fn controls_of(&self, index: usize) -> Vec<&str> {
        self.controls
            .iter()
            .filter(|c| c.findings.contains(&index))
            .map(|c| c.control.id.as_str())
            .collect()
    }
}

/// Baseline rules of `control` that an enabled restricted rule replaces (Pod Security Admission's overrides), as
/// (baseline rule, replacing rule) pairs. Where that happens, pods judged at restricted are checked by the
/// replacing rule only.
fn shadowing(control: &Control, report: &Report) -> Vec<(&'static RuleMeta, &'static RuleMeta)> {
    let mut out = Vec::new();
    for id in &control.rules {
        let Some(base) = report.rule(id) else { continue };
        for by in report.rules {
            let replaces = by.pss.is_some_and(|p| p.overrides.iter().any(|(o, _)| o == id));
            if replaces && report.ran(by.id) {
                out.push((base, *by));
            }
        }
    }
    out
}

/// Evaluates `framework` over a report.
pub fn evaluate(framework: &'static Framework, report: &Report) -> Evaluation {
    let result = report.result;
    let controls = controls(framework, report.rules)
        .into_iter()
        .map(|control| {
            let shadows = if framework.source == Source::Pss(PssLevel::Baseline) {
                shadowing(&control, report)
            } else {
                Vec::new()
            };
            // A restricted rule that replaced a baseline rule reports the baseline problem at the baseline rule's
            // severity (see the README): those findings are this control's.
            let findings: Vec<usize> = result
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    control.rules.contains(&f.rule)
                        || shadows.iter().any(|(base, by)| {
                            by.id == f.rule && by.severity < base.severity && f.severity >= base.severity
                        })
                })
                .map(|(i, _)| i)
                .collect();
            let undecidable: Vec<String> = shadows
                .iter()
                .filter(|(base, by)| by.severity >= base.severity)
                .map(|(base, by)| format!("{} replaces {} at restricted", by.id, base.id))
                .collect();
            let suppressed = result
                .suppressed
                .iter()
                .filter(|s| control.rules.contains(&s.finding.rule))
                .count();
            let ran: Vec<&str> = control.rules.iter().copied().filter(|r| report.ran(r)).collect();
            let undecided = result.not_evaluated.iter().any(|n| ran.contains(&n.rule));
            let applicable = match report.scanned {
                None => true,
                Some(objects) => ran.iter().any(|id| {
                    report
                        .rule(id)
                        .is_some_and(|m| objects.iter().any(|o| o.is_target_of(m.target)))
                }),
            };
            let (status, reason) = if !findings.is_empty() {
                (Status::Failed, None)
            } else if !undecidable.is_empty() {
                (
                    Status::NotEvaluated,
                    Some(format!(
                        "{}; scan with --framework pss-baseline to judge this control",
                        undecidable.join(", ")
                    )),
                )
            } else if control.rules.is_empty() {
                (
                    Status::NotEvaluated,
                    Some("no Palisade rule checks this control".to_string()),
                )
            } else if ran.is_empty() {
                (
                    Status::NotEvaluated,
                    Some(format!("not run: {}", control.rules.join(", "))),
                )
            } else if !applicable {
                (
                    Status::NotEvaluated,
                    Some("nothing this control applies to was scanned".to_string()),
                )
            } else if undecided {
                (
                    Status::NotEvaluated,
                    Some("objects these checks need were not scanned".to_string()),
                )
            } else {
                (Status::Passed, None)
            };
            ControlResult {
                control,
                status,
                findings,
                suppressed,
                reason,
            }
        })
        .collect();
    Evaluation {
        id: framework.id,
        title: framework.title,
        controls,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        assert_eq!(parse_cis_aks("CIS AKS Benchmark 4.2.1").as_deref(), Some("4.2.1"));
        assert_eq!(
            parse_cis_aks("CIS Azure Kubernetes Service Benchmark v1.8.0 4.6.2").as_deref(),
            Some("4.6.2")
        );
        assert_eq!(parse_cis_aks("CIS AKS 4.2.9 (aks-1.0)").as_deref(), Some("4.2.9"));
        assert_eq!(parse_cis_aks("CIS AKS Benchmark 4.2").as_deref(), Some("4.2"));
        assert_eq!(parse_cis_aks("CIS Kubernetes Benchmark 5.2.1"), None);
        assert_eq!(parse_nsa("NSA/CISA Kubernetes Hardening Guidance"), Some(None));
        assert_eq!(
            parse_nsa("NSA/CISA Kubernetes Hardening Guidance, Appendix F"),
            Some(Some("Appendix F".into()))
        );
        assert_eq!(parse_nsa("kube-linter"), None);
        assert_eq!(parse_azure_policy("Azure Policy 95edb821").as_deref(), Some("95edb821"));
        assert_eq!(
            parse_azure_policy("Azure Policy 95EDB821-ddaf-4404 (privileged)").as_deref(),
            Some("95edb821")
        );
        assert_eq!(parse_azure_policy("AzPol c26596ff").as_deref(), Some("c26596ff"));
        assert_eq!(parse_azure_policy("Azure Policy add-on"), None);
    }

    use palisade_core::{Finding, Location, ObjectRef, PssControl, ScanResult, Severity, Status as RuleStatus, Target};

    const fn meta(
        id: &'static str,
        severity: Severity,
        pss: PssControl,
        references: &'static [&'static str],
    ) -> RuleMeta {
        RuleMeta {
            id,
            name: "x",
            family: "pss",
            severity,
            profiles: &[],
            summary: "s.",
            remediation: "r.",
            docs: "",
            references,
            status: RuleStatus::Stable,
            target: Target::PodSpec,
            pss: Some(pss),
        }
    }

    static BASE: RuleMeta = meta(
        "T-001",
        Severity::High,
        PssControl {
            check: "hostPathVolumes",
            level: PssLevel::Baseline,
            since: 0,
            overrides: &[],
        },
        &["CIS AKS Benchmark 4.2.1", "Azure Policy 098fc59e"],
    );
    static RESTRICTED: RuleMeta = meta(
        "T-002",
        Severity::Medium,
        PssControl {
            check: "restrictedVolumes",
            level: PssLevel::Restricted,
            since: 0,
            overrides: &[("T-001", 0)],
        },
        &[],
    );

    fn finding(rule: &'static str, severity: Severity) -> Finding {
        Finding {
            rule,
            name: "x",
            severity,
            message: String::new(),
            remediation: "",
            object: ObjectRef::default().into(),
            location: Location::default(),
        }
    }

    fn status_of(ev: &Evaluation, id: &str) -> Status {
        ev.controls
            .iter()
            .find(|c| c.control.id == id)
            .map(|c| c.status)
            .unwrap()
    }

    #[test]
    fn controls_from_metadata_and_replaced_baseline_checks() {
        let rules: Vec<&'static RuleMeta> = vec![&BASE, &RESTRICTED];
        let restricted = find("pss-restricted").unwrap();
        let baseline = find("pss-baseline").unwrap();
        // At restricted, the replaced baseline check is folded into the restricted one.
        let c = controls(restricted, &rules);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].id, "restrictedVolumes");
        assert_eq!(c[0].rules, vec!["T-001", "T-002"]);
        assert_eq!(rules_in(find("cis-aks").unwrap(), &rules), vec!["T-001"]);
        assert_eq!(rules_in(find("azure-policy-baseline").unwrap(), &rules), vec!["T-001"]);
        assert!(rules_in(find("azure-policy-restricted").unwrap(), &rules).is_empty());

        // The restricted rule reports a hostPath at the baseline severity: the baseline control fails.
        let mut result = ScanResult {
            findings: vec![finding("T-002", Severity::High)].into(),
            ..ScanResult::default()
        };
        let mut report = Report::new(&result, "0");
        report.rules = &rules;
        assert_eq!(
            status_of(&evaluate(baseline, &report), "hostPathVolumes"),
            Status::Failed
        );
        assert_eq!(
            status_of(&evaluate(restricted, &report), "restrictedVolumes"),
            Status::Failed
        );
        // A restricted-only problem (another volume type) does not fail the baseline control.
        result.findings = vec![finding("T-002", Severity::Medium)].into();
        let mut report = Report::new(&result, "0");
        report.rules = &rules;
        assert_eq!(
            status_of(&evaluate(baseline, &report), "hostPathVolumes"),
            Status::Passed
        );
        // Rules that did not run leave their controls not evaluated.
        let none: [&str; 0] = [];
        report.enabled = Some(&none);
        let ev = evaluate(baseline, &report);
        assert_eq!(status_of(&ev, "hostPathVolumes"), Status::NotEvaluated);
        assert!(ev.controls[0].reason.as_deref().unwrap().contains("not run"));
    }

    #[test]
    fn find_by_alias() {
        assert_eq!(find("CIS").map(|f| f.id), Some("cis-aks"));
        assert_eq!(find("pss-restricted").map(|f| f.id), Some("pss-restricted"));
        assert!(find("soc2").is_none());
    }
}
