//! The `webhook:` section of `.palisade.yaml`: what each finding does at admission (enforce, warn, audit, off),
//! exemptions, the default Pod Security policy, mutation and server limits. Documented in docs/webhook.md.

use palisade_core::config::{err, ConfigError};
use palisade_core::node::{Node, Value};
use palisade_core::{PssLevel, PssPolicy, PssVersion, Severity};
use std::collections::BTreeMap;
use std::time::Duration;

/// What a finding does to an admission request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Ignored entirely.
    Off,
    /// Logged on stderr (structured JSON line), request allowed.
    Audit,
    /// Returned as an AdmissionResponse warning (kubectl prints it), request allowed.
    Warn,
    /// The request is denied.
    Enforce,
}

impl Action {
    /// The lower-case name used in the configuration and in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Off => "off",
            Action::Audit => "audit",
            Action::Warn => "warn",
            Action::Enforce => "enforce",
        }
    }

    fn parse(s: &str) -> Option<Action> {
        match s {
            "off" => Some(Action::Off),
            "audit" => Some(Action::Audit),
            "warn" => Some(Action::Warn),
            "enforce" | "deny" => Some(Action::Enforce),
            _ => None,
        }
    }
}

/// A label selector term: `key` (any value) or `key=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelTerm {
    /// Label key.
    pub key: String,
    /// Required value; `None` = any value.
    pub value: Option<String>,
}

impl LabelTerm {
    /// Parses `key` or `key=value`.
    pub fn parse(s: &str) -> LabelTerm {
        match s.split_once('=') {
            Some((k, v)) => LabelTerm {
                key: k.trim().to_string(),
                value: Some(v.trim().to_string()),
            },
            None => LabelTerm {
                key: s.trim().to_string(),
                value: None,
            },
        }
    }

    /// Whether a label set (a mapping node) carries this label.
    pub fn matches(&self, labels: Option<&Node>) -> bool {
        let Some(v) = labels.and_then(|l| l.get(&self.key)) else {
            return false;
        };
        match &self.value {
            None => true,
            Some(want) => v.as_str() == Some(want.as_str()),
        }
    }
}

/// The namespaces exempt by default: Kubernetes' own, and the system namespaces Azure Policy for AKS and AKS
/// add-ons exclude (Gatekeeper, Azure Arc extensions, AKS Periscope, Calico/Tigera operator).
pub const DEFAULT_EXEMPT_NAMESPACES: &[&str] = &[
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "gatekeeper-system",
    "azure-arc",
    "azure-arc-release",
    "azure-extensions-usage-system",
    "aks-periscope",
    "aks-command",
    "calico-system",
    "tigera-operator",
    "tigera-system",
    "palisade-system",
];

/// The label that exempts an object (or every object of a namespace) by default.
pub const DEFAULT_EXEMPT_LABEL: &str = "palisade.io/exempt=true";

/// How pods created by a controller (ReplicaSet, Job, StatefulSet, DaemonSet) are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControllerPods {
    /// Judged like any pod.
    Judge,
    /// `enforce` decisions become warnings: the owning workload was judged when its template was written.
    Warn,
}

/// The webhook configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookConfig {
    /// Findings at or above this severity are enforced (denied).
    pub enforce_at: Severity,
    /// Findings at or above this severity (and below `enforce_at`) are warnings; below it they are audited.
    pub warn_at: Severity,
    /// Per-rule actions (override the severity thresholds).
    pub rules: BTreeMap<String, Action>,
    /// Namespace globs whose requests are allowed without judgement.
    pub exempt_namespaces: Vec<String>,
    /// Labels that exempt an object, or all objects of a namespace carrying them.
    pub exempt_labels: Vec<LabelTerm>,
    /// Pod Security policy for pods whose namespace labels are unknown or set no enforce level.
    pub default_pss: PssPolicy,
    /// Apply safe mutations on `/mutate`.
    pub mutate: bool,
    /// Which mutations (rule IDs); empty = every safe mutation.
    pub mutate_rules: Vec<String>,
    /// Pods created by controllers.
    pub controller_pods: ControllerPods,
    /// Honour `palisade.io/ignore` annotations on admitted objects (off by default: the object's author would
    /// exempt themselves).
    pub honour_annotations: bool,
    /// How often the namespace cache lists namespaces.
    pub namespace_refresh: Duration,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// Time allowed to receive a request's headers, and then its body.
    pub read_timeout: Duration,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            enforce_at: Severity::High,
            warn_at: Severity::Low,
            // A Secret in the cluster carries data by definition: SEC-003 is for manifests in Git, not admission.
            rules: BTreeMap::from([("SEC-003".to_string(), Action::Off)]),
            exempt_namespaces: DEFAULT_EXEMPT_NAMESPACES.iter().map(|s| s.to_string()).collect(),
            exempt_labels: vec![LabelTerm::parse(DEFAULT_EXEMPT_LABEL)],
            default_pss: PssPolicy {
                level: PssLevel::Restricted,
                version: PssVersion::Latest,
            },
            mutate: true,
            mutate_rules: Vec::new(),
            controller_pods: ControllerPods::Warn,
            honour_annotations: false,
            namespace_refresh: Duration::from_secs(30),
            // The API server sends at most 3 MiB of object (its request size limit); the review wraps it.
            max_body_bytes: 3 * 1024 * 1024 + 512 * 1024,
            read_timeout: Duration::from_secs(10),
        }
    }
}

fn strings(node: &Node, what: &str) -> Result<Vec<String>, ConfigError> {
    palisade_core::config::strings(node, &format!("webhook.{what}"))
}

fn severity(node: &Node, what: &str) -> Result<Severity, ConfigError> {
    node.as_str()
        .unwrap_or("")
        .parse()
        .map_err(|e| err(node, format!("webhook.{what}: {e}")))
}

fn seconds(node: &Node, what: &str) -> Result<Duration, ConfigError> {
    node.as_i64()
        .filter(|n| (1..=3600).contains(n))
        .and_then(|n| u64::try_from(n).ok())
        .map(Duration::from_secs)
        .ok_or_else(|| err(node, format!("webhook.{what}: expected a number of seconds (1-3600)")))
}

impl WebhookConfig {
    /// Parses the `webhook:` section. `known_rule` validates rule IDs.
    pub fn from_node(node: Option<&Node>, known_rule: &dyn Fn(&str) -> bool) -> Result<Self, ConfigError> {
        let mut cfg = WebhookConfig::default();
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return Ok(cfg);
        };
        let map = node.as_map().ok_or_else(|| err(node, "webhook: expected a mapping"))?;
        for e in map.entries() {
            let v = &e.value;
            match e.key.as_str() {
                "enforce_at" => cfg.enforce_at = severity(v, "enforce_at")?,
                "warn_at" => cfg.warn_at = severity(v, "warn_at")?,
                "rules" => {
                    let rules = v.as_map().ok_or_else(|| err(v, "webhook.rules: expected a mapping"))?;
                    for r in rules.entries() {
                        let id = r.key.to_ascii_uppercase();
                        if !known_rule(&id) {
                            return Err(ConfigError {
                                line: r.key_pos.line,
                                message: format!("webhook.rules: unknown rule '{}'", r.key),
                            });
                        }
                        // An unquoted `off` is the boolean false in YAML 1.1.
                        let action = match r.value.as_bool() {
                            Some(false) => Some(Action::Off),
                            _ => r.value.as_str().and_then(Action::parse),
                        }
                        .ok_or_else(|| err(&r.value, "webhook.rules: expected enforce, warn, audit or off"))?;
                        cfg.rules.insert(id, action);
                    }
                }
                "exempt_namespaces" => cfg.exempt_namespaces = strings(v, "exempt_namespaces")?,
                "extra_exempt_namespaces" => cfg.exempt_namespaces.extend(strings(v, "extra_exempt_namespaces")?),
                "exempt_labels" => {
                    cfg.exempt_labels = strings(v, "exempt_labels")?
                        .iter()
                        .map(|s| LabelTerm::parse(s))
                        .collect()
                }
                "pss_level" => {
                    cfg.default_pss.level = v
                        .as_str()
                        .unwrap_or("")
                        .parse()
                        .map_err(|e| err(v, format!("webhook.pss_level: {e}")))?
                }
                "pss_version" => {
                    cfg.default_pss.version = v
                        .as_str()
                        .unwrap_or("")
                        .parse()
                        .map_err(|e| err(v, format!("webhook.pss_version: {e}")))?
                }
                "mutate" => match &v.value {
                    Value::Bool(b) => cfg.mutate = *b,
                    Value::Seq(_) | Value::Str(_) => {
                        cfg.mutate = true;
                        cfg.mutate_rules = strings(v, "mutate")?
                            .into_iter()
                            .map(|s| s.to_ascii_uppercase())
                            .collect();
                        if let Some(bad) = cfg
                            .mutate_rules
                            .iter()
                            .find(|r| !crate::mutate::MUTATIONS.iter().any(|m| m.rule == r.as_str()))
                        {
                            return Err(err(
                                v,
                                format!("webhook.mutate: '{bad}' has no safe mutation (see docs/webhook.md)"),
                            ));
                        }
                    }
                    _ => return Err(err(v, "webhook.mutate: expected true, false or a list of rule IDs")),
                },
                "controller_pods" => {
                    cfg.controller_pods = match v.as_str() {
                        Some("judge") => ControllerPods::Judge,
                        Some("warn") => ControllerPods::Warn,
                        _ => return Err(err(v, "webhook.controller_pods: expected judge or warn")),
                    }
                }
                "honour_annotations" => {
                    cfg.honour_annotations = v
                        .as_bool()
                        .ok_or_else(|| err(v, "webhook.honour_annotations: expected true or false"))?
                }
                "namespace_refresh_seconds" => cfg.namespace_refresh = seconds(v, "namespace_refresh_seconds")?,
                "read_timeout_seconds" => cfg.read_timeout = seconds(v, "read_timeout_seconds")?,
                "max_body_bytes" => {
                    cfg.max_body_bytes = v
                        .as_i64()
                        .filter(|n| (1024..=64 * 1024 * 1024).contains(n))
                        .and_then(|n| usize::try_from(n).ok())
                        .ok_or_else(|| err(v, "webhook.max_body_bytes: expected bytes (1024 to 67108864)"))?
                }
                other => {
                    return Err(ConfigError {
                        line: e.key_pos.line,
                        message: format!("webhook: unknown key '{other}' (see docs/webhook.md)"),
                    })
                }
            }
        }
        if cfg.warn_at > cfg.enforce_at {
            return Err(err(node, "webhook: warn_at must not be above enforce_at"));
        }
        Ok(cfg)
    }

    /// What a finding of `rule` at `severity` does.
    pub fn action(&self, rule: &str, severity: Severity) -> Action {
        if let Some(a) = self.rules.get(rule) {
            return *a;
        }
        if severity >= self.enforce_at {
            Action::Enforce
        } else if severity >= self.warn_at {
            Action::Warn
        } else {
            Action::Audit
        }
    }

    /// Whether a namespace is exempt by name.
    pub fn namespace_exempt(&self, ns: &str) -> bool {
        self.exempt_namespaces
            .iter()
            .any(|g| palisade_core::params::glob_match(g, ns))
    }

    /// Whether a label set carries an exempting label.
    pub fn labels_exempt(&self, labels: Option<&Node>) -> bool {
        self.exempt_labels.iter().any(|t| t.matches(labels))
    }

    /// Whether the mutation for `rule` is on.
    pub fn mutation_on(&self, rule: &str) -> bool {
        self.mutate && (self.mutate_rules.is_empty() || self.mutate_rules.iter().any(|r| r == rule))
    }
}
