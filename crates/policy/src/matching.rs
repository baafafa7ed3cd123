//! Gatekeeper's constraint `match` semantics (kinds, scope, namespaces, excludedNamespaces, labelSelector,
//! namespaceSelector, name), as Gatekeeper's `pkg/mutation/match` defines them: every criterion must hold, and
//! an unset criterion holds.

use serde::Deserialize;
use std::collections::BTreeMap;

/// One entry of `match.kinds`: empty lists and `*` match everything.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct KindsEntry {
    /// API groups (`""` is the core group).
    #[serde(default)]
    pub api_groups: Vec<String>,
    /// Kinds.
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// A Kubernetes label selector (`matchLabels` and `matchExpressions`, ANDed).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    /// Labels that must be present with these values.
    #[serde(default)]
    pub match_labels: BTreeMap<String, String>,
    /// Set-based requirements.
    #[serde(default)]
    pub match_expressions: Vec<LabelRequirement>,
}

/// One `matchExpressions` entry.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct LabelRequirement {
    /// Label key.
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    pub operator: String,
    /// Values for `In` and `NotIn`.
    #[serde(default)]
    pub values: Vec<String>,
}

/// A label selector that Kubernetes would reject (unknown operator, values where none are allowed, ...).
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid label selector: {0}")]
pub struct SelectorError(pub String);

impl LabelSelector {
    /// Whether `labels` satisfy the selector.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> Result<bool, SelectorError> {
        for (k, v) in &self.match_labels {
            if labels.get(k) != Some(v) {
                return Ok(false);
            }
        }
        for r in &self.match_expressions {
            let present = labels.get(&r.key);
            let ok = match r.operator.as_str() {
                "In" | "NotIn" if r.values.is_empty() => {
                    return Err(SelectorError(format!(
                        "operator {} on '{}' needs values",
                        r.operator, r.key
                    )))
                }
                "In" => present.is_some_and(|v| r.values.contains(v)),
                "NotIn" => present.is_none_or(|v| !r.values.contains(v)),
                "Exists" | "DoesNotExist" if !r.values.is_empty() => {
                    return Err(SelectorError(format!(
                        "operator {} on '{}' takes no values",
                        r.operator, r.key
                    )))
                }
                "Exists" => present.is_some(),
                "DoesNotExist" => present.is_none(),
                other => return Err(SelectorError(format!("unknown operator '{other}' on '{}'", r.key))),
            };
            if !ok {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// A constraint's `spec.match`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Match {
    /// Kinds (any entry matching is enough).
    #[serde(default)]
    pub kinds: Vec<KindsEntry>,
    /// `*` (default), `Cluster` or `Namespaced`.
    #[serde(default)]
    pub scope: Option<String>,
    /// Namespace names or `prefix*` / `*suffix` globs.
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// Excluded namespace names or globs.
    #[serde(default)]
    pub excluded_namespaces: Vec<String>,
    /// Selector over the object's labels.
    #[serde(default)]
    pub label_selector: Option<LabelSelector>,
    /// Selector over the labels of the object's namespace (or of the object, when it is a Namespace).
    #[serde(default)]
    pub namespace_selector: Option<LabelSelector>,
    /// Object name or glob.
    #[serde(default)]
    pub name: Option<String>,
}

/// What `match` looks at in an object.
#[derive(Clone, Debug, Default)]
pub struct Target<'a> {
    /// API group (`""` for the core group).
    pub group: &'a str,
    /// Kind.
    pub kind: &'a str,
    /// `metadata.name` (empty when unset).
    pub name: &'a str,
    /// `metadata.namespace` (empty when unset).
    pub namespace: &'a str,
    /// `metadata.labels`.
    pub labels: BTreeMap<String, String>,
    /// Labels of the object's namespace, when that Namespace is known.
    pub namespace_labels: Option<BTreeMap<String, String>>,
}

/// Why an object could not be matched.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum MatchError {
    /// An invalid selector in the constraint.
    #[error(transparent)]
    Selector(#[from] SelectorError),
    /// `namespaceSelector` on a namespaced object whose Namespace is not known (Gatekeeper's error too).
    #[error("namespace selector for namespace-scoped object but missing Namespace '{0}'")]
    MissingNamespace(String),
}

/// Gatekeeper's wildcard: `prefix*`, `*suffix` or an exact name.
pub fn wildcard_matches(pattern: &str, candidate: &str) -> bool {
    if let Some(suffix) = pattern.strip_prefix('*') {
        candidate.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        candidate.starts_with(prefix)
    } else {
        pattern == candidate
    }
}

impl Target<'_> {
    fn is_namespace(&self) -> bool {
        self.kind == "Namespace" && self.group.is_empty()
    }

    /// The namespace the namespace criteria look at; `None` for cluster-scoped objects other than Namespaces.
    fn effective_namespace(&self) -> Option<&str> {
        if self.is_namespace() {
            Some(self.name)
        } else if !self.namespace.is_empty() {
            Some(self.namespace)
        } else {
            None
        }
    }
}

impl Match {
    /// Whether the object is in scope of the constraint.
    pub fn matches(&self, t: &Target) -> Result<bool, MatchError> {
        let kinds = self.kinds.is_empty()
            || self.kinds.iter().any(|k| {
                (k.kinds.is_empty() || k.kinds.iter().any(|x| x == "*" || x == t.kind))
                    && (k.api_groups.is_empty() || k.api_groups.iter().any(|g| g == "*" || g == t.group))
            });
        if !kinds {
            return Ok(false);
        }
        let has_namespace = !t.namespace.is_empty();
        let scope = match self.scope.as_deref() {
            Some("Cluster") => t.is_namespace() || !has_namespace,
            Some("Namespaced") => !t.is_namespace() && has_namespace,
            _ => true,
        };
        if !scope {
            return Ok(false);
        }
        if !self.namespaces.is_empty() {
            if let Some(ns) = t.effective_namespace() {
                if !self.namespaces.iter().any(|p| wildcard_matches(p, ns)) {
                    return Ok(false);
                }
            }
        }
        if !self.excluded_namespaces.is_empty() {
            if let Some(ns) = t.effective_namespace() {
                if self.excluded_namespaces.iter().any(|p| wildcard_matches(p, ns)) {
                    return Ok(false);
                }
            }
        }
        if let Some(sel) = &self.label_selector {
            if !sel.matches(&t.labels)? {
                return Ok(false);
            }
        }
        if let Some(sel) = &self.namespace_selector {
            let ok = if t.is_namespace() {
                sel.matches(&t.labels)?
            } else if !has_namespace {
                true
            } else {
                match &t.namespace_labels {
                    Some(labels) => sel.matches(labels)?,
                    None => return Err(MatchError::MissingNamespace(t.namespace.to_string())),
                }
            };
            if !ok {
                return Ok(false);
            }
        }
        if let Some(name) = self.name.as_deref().filter(|n| !n.is_empty()) {
            if !wildcard_matches(name, t.name) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether matching needs the labels of objects' namespaces.
    pub fn needs_namespaces(&self) -> bool {
        self.namespace_selector.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn parse(yaml_json: serde_json::Value) -> Match {
        serde_json::from_value(yaml_json).unwrap()
    }

    #[test]
    fn kinds_groups_and_wildcards() {
        let m = parse(serde_json::json!({"kinds": [{"apiGroups": ["apps"], "kinds": ["Deployment"]}]}));
        let mut t = Target {
            group: "apps",
            kind: "Deployment",
            ..Default::default()
        };
        assert!(m.matches(&t).unwrap());
        t.group = "";
        assert!(!m.matches(&t).unwrap());
        let any = parse(serde_json::json!({"kinds": [{"apiGroups": ["*"], "kinds": []}]}));
        assert!(any.matches(&t).unwrap());
    }

    #[test]
    fn namespaces_and_exclusions_ignore_cluster_scoped_objects() {
        let m = parse(serde_json::json!({"namespaces": ["prod-*"], "excludedNamespaces": ["*-system"]}));
        let pod = |ns| Target {
            kind: "Pod",
            namespace: ns,
            ..Default::default()
        };
        assert!(m.matches(&pod("prod-a")).unwrap());
        assert!(!m.matches(&pod("dev")).unwrap());
        assert!(
            m.matches(&pod("")).unwrap(),
            "cluster-scoped objects are not disqualified"
        );
        let ns = Target {
            kind: "Namespace",
            name: "kube-system",
            ..Default::default()
        };
        assert!(!m.matches(&ns).unwrap());
    }

    #[test]
    fn scope() {
        let m = parse(serde_json::json!({"scope": "Namespaced"}));
        assert!(m
            .matches(&Target {
                kind: "Pod",
                namespace: "a",
                ..Default::default()
            })
            .unwrap());
        assert!(!m
            .matches(&Target {
                kind: "Namespace",
                name: "a",
                ..Default::default()
            })
            .unwrap());
        let c = parse(serde_json::json!({"scope": "Cluster"}));
        assert!(c
            .matches(&Target {
                kind: "ClusterRole",
                ..Default::default()
            })
            .unwrap());
        assert!(!c
            .matches(&Target {
                kind: "Pod",
                namespace: "a",
                ..Default::default()
            })
            .unwrap());
    }

    #[test]
    fn selectors() {
        let m = parse(serde_json::json!({
            "labelSelector": {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["dev"]}]},
            "namespaceSelector": {"matchExpressions": [{"key": "env", "operator": "Exists"}]}
        }));
        let mut t = Target {
            kind: "Pod",
            namespace: "a",
            labels: labels(&[("app", "web")]),
            namespace_labels: Some(labels(&[("env", "prod")])),
            ..Default::default()
        };
        assert!(m.matches(&t).unwrap());
        t.labels.insert("tier".into(), "dev".into());
        assert!(!m.matches(&t).unwrap());
        t.labels.remove("tier");
        t.namespace_labels = Some(labels(&[]));
        assert!(!m.matches(&t).unwrap());
        t.namespace_labels = None;
        assert!(matches!(m.matches(&t), Err(MatchError::MissingNamespace(_))));
        let bad = parse(serde_json::json!({"labelSelector": {"matchExpressions": [{"key": "a", "operator": "Has"}]}}));
        assert!(bad.matches(&t).is_err());
    }

    #[test]
    fn name_glob() {
        let m = parse(serde_json::json!({"name": "web-*"}));
        assert!(m
            .matches(&Target {
                kind: "Pod",
                name: "web-1",
                ..Default::default()
            })
            .unwrap());
        assert!(!m
            .matches(&Target {
                kind: "Pod",
                name: "db-1",
                ..Default::default()
            })
            .unwrap());
    }
}
