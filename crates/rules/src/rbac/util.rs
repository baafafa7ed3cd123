//! RBAC matching shared by the RBAC rules: does a PolicyRule grant verb V on resource R in API group G, the rule
//! entries of a Role/ClusterRole with positions, binding subjects and role references.
//!
//! Matching follows the Kubernetes RBAC authorizer (`k8s.io/component-helpers/auth/rbac/validation`,
//! `VerbMatches`/`APIGroupMatches`/`ResourceMatches`): `*` in `verbs`, `apiGroups` or `resources` matches
//! everything, `*/sub` matches subresource `sub` of every resource, everything else matches exactly (case
//! sensitive). One deliberate extension: `res/*` is taken to match every subresource of `res` (`pods/*` matches
//! `pods/exec`, `*/*` every subresource of everything). The authorizer does not expand it, but a rule that says it states the intent to grant all
//! subresources, and reporting it is what a reviewer wants.
//!
//! `resourceNames` never prevents a match here (a rule limited to some names still grants the verb on those
//! objects); rules that want to treat name-limited grants differently read [`Grant::resource_names`].

use palisade_core::object::locate;
use palisade_core::{K8sObject, Node, Pos};

/// The core ("legacy") API group.
pub(crate) const CORE: &str = "";
/// The RBAC API group.
pub(crate) const RBAC_GROUP: &str = "rbac.authorization.k8s.io";
/// The `kubernetes.io/bootstrapping` label value the API server puts on its default roles and bindings.
const BOOTSTRAP_LABEL: (&str, &str) = ("kubernetes.io/bootstrapping", "rbac-defaults");

/// Verbs that change objects (the bootstrap policy's `Write`).
pub(crate) const WRITE_VERBS: &[&str] = &["create", "update", "patch", "delete", "deletecollection"];

/// The string items of a list field (non-string items are skipped: the API server would reject them).
pub(crate) fn strings<'a>(node: &'a Node, key: &str) -> Vec<&'a str> {
    node.get(key)
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
        .collect()
}

/// What one PolicyRule (`rules[i]` of a Role/ClusterRole) grants.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Grant<'a> {
    /// `verbs`.
    pub verbs: Vec<&'a str>,
    /// `apiGroups`.
    pub api_groups: Vec<&'a str>,
    /// `resources` (subresources as `resource/sub`).
    pub resources: Vec<&'a str>,
    /// `resourceNames` (empty: every object).
    pub resource_names: Vec<&'a str>,
    /// `nonResourceURLs`.
    pub non_resource_urls: Vec<&'a str>,
}

/// A set of resources in the API groups they are served from (historic groups included).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ApiResource {
    /// API groups that serve the resource.
    pub groups: &'static [&'static str],
    /// The resource, or `resource/subresource`.
    pub resource: &'static str,
}

/// A permission a rule looks for: any of `verbs` on any of `targets`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Permission {
    /// Verbs that count; empty means any verb.
    pub verbs: &'static [&'static str],
    /// Resources that count.
    pub targets: &'static [ApiResource],
}

/// Which part of a [`Permission`] a [`Grant`] gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PermissionMatch {
    /// The verbs granted (those of the permission, or the rule's own verbs when any verb counts).
    pub verbs: Vec<String>,
    /// The resources granted, in the permission's order.
    pub resources: Vec<&'static str>,
    /// Fields of the rule that hold a wildcard (`verbs`, `apiGroups`, `resources`).
    pub wildcards: Vec<&'static str>,
}

impl PermissionMatch {
    /// `create, patch on pods, deployments`, with a note when wildcards are involved.
    pub fn describe(&self) -> String {
        let mut s = format!("{} on {}", self.verbs.join(", "), self.resources.join(", "));
        if !self.wildcards.is_empty() {
            s.push_str(&format!(" (through \"*\" in {})", self.wildcards.join(", ")));
        }
        s
    }
}

fn verb_in(verbs: &[&str], verb: &str) -> bool {
    verbs.iter().any(|v| *v == "*" || *v == verb)
}

impl<'a> Grant<'a> {
    /// Reads a PolicyRule map.
    pub fn from_node(node: &'a Node) -> Self {
        Self {
            verbs: strings(node, "verbs"),
            api_groups: strings(node, "apiGroups"),
            resources: strings(node, "resources"),
            resource_names: strings(node, "resourceNames"),
            non_resource_urls: strings(node, "nonResourceURLs"),
        }
    }

    /// A grant from static lists (built-in roles, tests).
    pub fn of(verbs: &[&'a str], api_groups: &[&'a str], resources: &[&'a str]) -> Self {
        Self {
            verbs: verbs.to_vec(),
            api_groups: api_groups.to_vec(),
            resources: resources.to_vec(),
            ..Self::default()
        }
    }

    /// Whether the rule grants `verb` (`*` matches every verb).
    pub fn allows_verb(&self, verb: &str) -> bool {
        verb_in(&self.verbs, verb)
    }

    /// Whether the rule covers API group `group` (`""` is the core group; `*` matches every group).
    pub fn allows_group(&self, group: &str) -> bool {
        self.api_groups.iter().any(|g| *g == "*" || *g == group)
    }

    /// Whether the rule covers `resource` (`pods`, or `pods/exec` for a subresource).
    pub fn allows_resource(&self, resource: &str) -> bool {
        let (base, sub) = match resource.split_once('/') {
            Some((b, s)) => (b, Some(s)),
            None => (resource, None),
        };
        self.resources.iter().any(|r| {
            if *r == "*" || *r == resource {
                return true;
            }
            let Some(sub) = sub else { return false };
            match r.split_once('/') {
                // `*/exec`: that subresource of every resource (Kubernetes semantics); `pods/*` and `*/*`: every
                // subresource of pods / of everything (intent; see the module docs).
                Some((rb, rs)) => (rb == "*" && rs == sub) || (rs == "*" && (rb == "*" || rb == base)),
                None => false,
            }
        })
    }

    /// Whether the rule grants `verb` on `resource` in `group`.
    pub fn allows(&self, verb: &str, group: &str, resource: &str) -> bool {
        self.allows_verb(verb) && self.allows_group(group) && self.allows_resource(resource)
    }

    /// Whether the rule covers `target` in any of its groups.
    pub fn allows_target(&self, target: &ApiResource) -> bool {
        target.groups.iter().any(|g| self.allows_group(g)) && self.allows_resource(target.resource)
    }

    /// What part of `perm` the rule grants, if any.
    pub fn grants(&self, perm: &Permission) -> Option<PermissionMatch> {
        let verbs: Vec<String> = if perm.verbs.is_empty() {
            self.verbs.iter().map(|v| v.to_string()).collect()
        } else {
            perm.verbs
                .iter()
                .filter(|v| {
                    perm.targets
                        .iter()
                        .any(|t| t.groups.iter().any(|g| self.allows(v, g, t.resource)))
                })
                .map(|v| v.to_string())
                .collect()
        };
        let mut resources: Vec<&'static str> = Vec::new();
        for t in perm.targets {
            if self.allows_target(t) && !resources.contains(&t.resource) {
                resources.push(t.resource);
            }
        }
        (!verbs.is_empty() && !resources.is_empty()).then(|| PermissionMatch {
            verbs,
            resources,
            wildcards: self.wildcard_fields(),
        })
    }

    /// Fields holding a wildcard: `verbs` or `apiGroups` with `*`, `resources` with `*` anywhere (`*`, `*/scale`,
    /// `pods/*`).
    pub fn wildcard_fields(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.verbs.contains(&"*") {
            out.push("verbs");
        }
        if self.api_groups.contains(&"*") {
            out.push("apiGroups");
        }
        if self.resources.iter().any(|r| r.contains('*')) {
            out.push("resources");
        }
        out
    }

    /// Every verb on every resource in every API group, for every object: what `cluster-admin` grants.
    pub fn is_unrestricted(&self) -> bool {
        self.verbs.contains(&"*")
            && self.api_groups.contains(&"*")
            && self.resources.contains(&"*")
            && self.resource_names.is_empty()
    }
}

/// One entry of a Role/ClusterRole's `rules`.
#[derive(Clone, Debug)]
pub(crate) struct RuleEntry<'a> {
    /// Index in `rules`.
    pub index: usize,
    /// The entry's map.
    pub node: &'a Node,
    /// What it grants.
    pub grant: Grant<'a>,
}

impl RuleEntry<'_> {
    /// How messages name the entry: `rules[2]`.
    pub fn label(&self) -> String {
        format!("rules[{}]", self.index)
    }

    /// Position and pointer of the entry's `key` (`verbs`, `resources`, ...), or of the entry when it is missing.
    pub fn field(&self, key: &str) -> (Pos, String) {
        let base = format!("/rules/{}", self.index);
        match self.node.entry(key) {
            Some(_) => {
                let loc = locate(self.node, &base, self.node.pos, &[key]);
                (loc.pos, loc.pointer.into())
            }
            None => (self.node.pos, base),
        }
    }
}

/// The map entries of `rules` of a Role/ClusterRole (every entry, not only the first).
pub(crate) fn rule_entries(root: &Node) -> Vec<RuleEntry<'_>> {
    root.get("rules")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter(|(_, n)| n.as_map().is_some())
        .map(|(index, node)| RuleEntry {
            index,
            node,
            grant: Grant::from_node(node),
        })
        .collect()
}

/// Whether the object is one of the API server's default roles or bindings (label
/// `kubernetes.io/bootstrapping: rbac-defaults`), as read from a live cluster. These are exempt from most RBAC
/// rules: the user cannot change them.
pub(crate) fn is_bootstrap_default(obj: &K8sObject) -> bool {
    obj.labels()
        .and_then(|l| l.get_str(BOOTSTRAP_LABEL.0))
        .is_some_and(|v| v == BOOTSTRAP_LABEL.1)
}

/// Labels of an object as pairs (string values only), for label selectors.
pub(crate) fn label_pairs(obj: &K8sObject) -> Vec<(String, String)> {
    obj.labels()
        .and_then(Node::as_map)
        .map(|m| {
            m.entries()
                .iter()
                .filter_map(|e| Some((e.key.clone(), e.value.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Checks every rule entry of a Role/ClusterRole against `perms`; one violation per entry that grants any of
/// them, at the entry's `key`, with the message `message(entry, matches)`. Built-in default roles are exempt.
pub(crate) fn permission_violations(
    obj: &K8sObject,
    perms: &[Permission],
    key: &str,
    message: impl Fn(&RuleEntry<'_>, &[PermissionMatch]) -> String,
) -> Vec<palisade_core::Violation> {
    if is_bootstrap_default(obj) {
        return Vec::new();
    }
    rule_entries(&obj.root)
        .iter()
        .filter_map(|entry| {
            let matches: Vec<PermissionMatch> = perms.iter().filter_map(|p| entry.grant.grants(p)).collect();
            if matches.is_empty() {
                return None;
            }
            let (pos, pointer) = entry.field(key);
            Some(palisade_core::Violation::new(message(entry, &matches), pos, pointer))
        })
        .collect()
}

/// `rules[1] grants create on pods/exec; get on pods/attach`: the default message of a role-content rule.
pub(crate) fn grants_message(entry: &RuleEntry<'_>, matches: &[PermissionMatch]) -> String {
    let parts: Vec<String> = matches.iter().map(PermissionMatch::describe).collect();
    format!("{} grants {}", entry.label(), parts.join("; "))
}

/// A subject of a RoleBinding/ClusterRoleBinding.
#[derive(Clone, Debug)]
pub(crate) struct Subject<'a> {
    /// Index in `subjects`.
    pub index: usize,
    /// The subject map.
    pub node: &'a Node,
    /// `kind`: `User`, `Group` or `ServiceAccount`.
    pub kind: &'a str,
    /// `name`.
    pub name: &'a str,
    /// `namespace` (ServiceAccounts), when set.
    pub namespace: Option<&'a str>,
}

impl Subject<'_> {
    /// Position and pointer of the subject's `name` key (or of the subject).
    pub fn name_field(&self) -> (Pos, String) {
        let base = format!("/subjects/{}", self.index);
        let loc = locate(self.node, &base, self.node.pos, &["name"]);
        match self.node.entry("name") {
            Some(_) => (loc.pos, loc.pointer.into()),
            None => (self.node.pos, base),
        }
    }

    /// The namespace a ServiceAccount subject lives in: its own, else the binding's (as the authorizer reads
    /// RoleBinding subjects).
    pub fn sa_namespace<'b>(&'b self, binding: &'b K8sObject) -> &'b str {
        self.namespace.or(binding.id.namespace.as_deref()).unwrap_or("default")
    }

    /// How messages name the subject: `ServiceAccount shop/web`, `Group "system:masters"`, `User "alice"`.
    pub fn describe(&self, binding: &K8sObject) -> String {
        if self.kind == "ServiceAccount" {
            format!("ServiceAccount {}/{}", self.sa_namespace(binding), self.name)
        } else {
            format!("{} \"{}\"", self.kind, self.name)
        }
    }

    /// Whether this subject is the ServiceAccount `ns/name` or a group every ServiceAccount of `ns` is in
    /// (`system:serviceaccounts`, `system:serviceaccounts:<ns>`, `system:authenticated`).
    pub fn covers_service_account(&self, binding: &K8sObject, ns: &str, name: &str) -> bool {
        match self.kind {
            "ServiceAccount" => self.name == name && self.sa_namespace(binding) == ns,
            "Group" => {
                self.name == "system:serviceaccounts"
                    || self.name == "system:authenticated"
                    || self
                        .name
                        .strip_prefix("system:serviceaccounts:")
                        .is_some_and(|n| n == ns)
            }
            _ => false,
        }
    }
}

/// The subjects of a binding (map entries with string `kind` and `name`).
pub(crate) fn subjects(obj: &K8sObject) -> Vec<Subject<'_>> {
    subject_nodes(obj)
        .iter()
        .enumerate()
        .filter_map(|(index, node)| subject(index, node))
        .collect()
}

/// Subject `index` of a binding, when it is a map with string `kind` and `name`.
pub(crate) fn subject_at(obj: &K8sObject, index: usize) -> Option<Subject<'_>> {
    subject(index, subject_nodes(obj).get(index)?)
}

fn subject_nodes(obj: &K8sObject) -> &[Node] {
    obj.root.get("subjects").and_then(Node::as_seq).unwrap_or(&[])
}

fn subject(index: usize, node: &Node) -> Option<Subject<'_>> {
    Some(Subject {
        index,
        node,
        kind: node.get_str("kind")?,
        name: node.get_str("name")?,
        namespace: node.get_str("namespace").filter(|s| !s.is_empty()),
    })
}

/// Broad groups: everyone, every authenticated identity, every ServiceAccount (of a namespace).
pub(crate) fn is_broad_group(name: &str) -> bool {
    matches!(
        name,
        "system:authenticated" | "system:unauthenticated" | "system:serviceaccounts"
    ) || name.starts_with("system:serviceaccounts:")
}

/// How findings and notes name a binding: `ClusterRoleBinding web-admin`, `RoleBinding shop/web` (namespace
/// `default` when unset, where the API server would put it).
pub(crate) fn binding_label(b: &K8sObject) -> String {
    let name = b.id.name.as_deref().unwrap_or("<unnamed>");
    if b.id.kind == "ClusterRoleBinding" {
        format!("ClusterRoleBinding {name}")
    } else {
        format!(
            "{} {}/{name}",
            b.id.kind,
            b.id.namespace.as_deref().unwrap_or("default")
        )
    }
}

/// The `roleRef` of a binding.
#[derive(Clone, Debug)]
pub(crate) struct RoleRef<'a> {
    /// `Role` or `ClusterRole`.
    pub kind: &'a str,
    /// The role's name.
    pub name: &'a str,
}

impl RoleRef<'_> {
    /// Whether this is ClusterRole `name`.
    pub fn is_cluster_role(&self, name: &str) -> bool {
        self.kind == "ClusterRole" && self.name == name
    }

    /// `ClusterRole view`, or `Role shop/deployer` (namespace of the binding).
    pub fn describe(&self, binding: &K8sObject) -> String {
        if self.kind == "Role" {
            format!(
                "Role {}/{}",
                binding.id.namespace.as_deref().unwrap_or("default"),
                self.name
            )
        } else {
            format!("{} {}", self.kind, self.name)
        }
    }
}

/// The `roleRef` of a binding, when it names a kind and a name.
pub(crate) fn role_ref(obj: &K8sObject) -> Option<RoleRef<'_>> {
    let rr = obj.root.get("roleRef")?;
    Some(RoleRef {
        kind: rr.get_str("kind")?,
        name: rr.get_str("name")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::object::Source;
    use palisade_core::Node;
    use std::sync::Arc;

    fn obj(json: serde_json::Value) -> K8sObject {
        K8sObject::from_node(
            Node::from_json(&json, Pos::new(1, 1)),
            Source {
                file: Arc::from("t.yaml"),
                document: 1,
                base_pointer: String::new(),
            },
        )
        .unwrap()
    }

    const SECRETS: Permission = Permission {
        verbs: &["get", "list", "watch"],
        targets: &[ApiResource {
            groups: &[CORE],
            resource: "secrets",
        }],
    };

    const EXEC: Permission = Permission {
        verbs: &["create"],
        targets: &[
            ApiResource {
                groups: &[CORE],
                resource: "pods/exec",
            },
            ApiResource {
                groups: &[CORE],
                resource: "pods/attach",
            },
        ],
    };

    const ANY_NODE_PROXY: Permission = Permission {
        verbs: &[],
        targets: &[ApiResource {
            groups: &[CORE],
            resource: "nodes/proxy",
        }],
    };

    #[test]
    fn verbs_match_exactly_or_by_wildcard() {
        let g = Grant::of(&["get", "list"], &[""], &["pods"]);
        assert!(g.allows_verb("get"));
        assert!(!g.allows_verb("watch"));
        assert!(!g.allows_verb("GET"), "verbs are case sensitive");
        assert!(Grant::of(&["*"], &[""], &["pods"]).allows_verb("impersonate"));
    }

    #[test]
    fn groups_match_exactly_or_by_wildcard() {
        let core = Grant::of(&["get"], &[""], &["secrets"]);
        assert!(core.allows_group(""));
        assert!(!core.allows_group("apps"));
        let any = Grant::of(&["get"], &["*"], &["secrets"]);
        assert!(any.allows_group("") && any.allows_group("example.com"));
        let none = Grant::of(&["get"], &[], &["secrets"]);
        assert!(!none.allows_group(""), "no apiGroups grants nothing");
    }

    #[test]
    fn resources_and_subresources() {
        let pods = Grant::of(&["*"], &[""], &["pods"]);
        assert!(pods.allows_resource("pods"));
        assert!(
            !pods.allows_resource("pods/exec"),
            "a resource does not cover its subresources"
        );
        let exec = Grant::of(&["create"], &[""], &["pods/exec"]);
        assert!(exec.allows_resource("pods/exec"));
        assert!(!exec.allows_resource("pods"));
        assert!(!exec.allows_resource("pods/attach"));
        let all = Grant::of(&["get"], &[""], &["*"]);
        assert!(all.allows_resource("pods/exec") && all.allows_resource("secrets"));
        let any_exec = Grant::of(&["create"], &[""], &["*/exec"]);
        assert!(any_exec.allows_resource("pods/exec"));
        assert!(!any_exec.allows_resource("pods"));
        assert!(!any_exec.allows_resource("pods/attach"));
        let pod_subs = Grant::of(&["create"], &[""], &["pods/*"]);
        assert!(pod_subs.allows_resource("pods/exec"));
        assert!(pod_subs.allows_resource("pods/attach"));
        assert!(!pod_subs.allows_resource("pods"));
        assert!(!pod_subs.allows_resource("nodes/proxy"));
        let everything_sub = Grant::of(&["create"], &[""], &["*/*"]);
        assert!(everything_sub.allows_resource("pods/exec"));
        assert!(everything_sub.allows_resource("nodes/proxy"));
        assert!(!everything_sub.allows_resource("pods"));
        let other_sub = Grant::of(&["create"], &[""], &["pods/log"]);
        assert!(!other_sub.allows_resource("pods/exec"));
        assert!(!Grant::of(&["create"], &[""], &["deployments/*"]).allows_resource("pods/exec"));
        let prefix = Grant::of(&["create"], &[""], &["pod"]);
        assert!(!prefix.allows_resource("pods"));
    }

    #[test]
    fn allows_needs_verb_group_and_resource() {
        let g = Grant::of(&["get", "list"], &[""], &["secrets", "configmaps"]);
        assert!(g.allows("get", "", "secrets"));
        assert!(!g.allows("get", "apps", "secrets"));
        assert!(!g.allows("create", "", "secrets"));
        assert!(!g.allows("get", "", "pods"));
        let other_group = Grant::of(&["get"], &["example.com"], &["secrets"]);
        assert!(other_group.grants(&SECRETS).is_none());
    }

    #[test]
    fn permission_match_lists_granted_verbs_and_resources() {
        let g = Grant::of(&["get", "create"], &[""], &["secrets"]);
        let m = g.grants(&SECRETS).unwrap();
        assert_eq!(m.verbs, ["get"]);
        assert_eq!(m.resources, ["secrets"]);
        assert!(m.wildcards.is_empty());
        assert_eq!(m.describe(), "get on secrets");

        let all = Grant::of(&["*"], &["*"], &["*"]);
        let m = all.grants(&EXEC).unwrap();
        assert_eq!(m.verbs, ["create"]);
        assert_eq!(m.resources, ["pods/exec", "pods/attach"]);
        assert_eq!(
            m.describe(),
            "create on pods/exec, pods/attach (through \"*\" in verbs, apiGroups, resources)"
        );

        let attach_only = Grant::of(&["create"], &[""], &["pods/attach"]);
        assert_eq!(attach_only.grants(&EXEC).unwrap().resources, ["pods/attach"]);
        assert!(Grant::of(&["get"], &[""], &["pods/exec"]).grants(&EXEC).is_none());
    }

    #[test]
    fn any_verb_permission_reports_the_rules_verbs() {
        let g = Grant::of(&["get", "create"], &[""], &["nodes/proxy"]);
        assert_eq!(g.grants(&ANY_NODE_PROXY).unwrap().verbs, ["get", "create"]);
        let no_verbs = Grant::of(&[], &[""], &["nodes/proxy"]);
        assert!(no_verbs.grants(&ANY_NODE_PROXY).is_none());
        let nodes = Grant::of(&["*"], &[""], &["nodes"]);
        assert!(nodes.grants(&ANY_NODE_PROXY).is_none());
    }

    #[test]
    fn non_resource_rules_grant_no_resources() {
        let mut g = Grant::of(&["get"], &[], &[]);
        g.non_resource_urls = vec!["*"];
        assert!(g.grants(&SECRETS).is_none());
        assert!(!g.is_unrestricted());
    }

    #[test]
    fn wildcard_fields_and_unrestricted() {
        assert_eq!(
            Grant::of(&["*"], &["*"], &["*"]).wildcard_fields(),
            ["verbs", "apiGroups", "resources"]
        );
        assert_eq!(
            Grant::of(&["get"], &[""], &["*/scale"]).wildcard_fields(),
            ["resources"]
        );
        assert_eq!(Grant::of(&["get"], &[""], &["pods/*"]).wildcard_fields(), ["resources"]);
        assert!(Grant::of(&["get"], &[""], &["pods/exec"]).wildcard_fields().is_empty());
        assert!(Grant::of(&["*"], &["*"], &["*"]).is_unrestricted());
        assert!(!Grant::of(&["*"], &[""], &["*"]).is_unrestricted());
        let mut named = Grant::of(&["*"], &["*"], &["*"]);
        named.resource_names = vec!["one"];
        assert!(!named.is_unrestricted());
    }

    #[test]
    fn rule_entries_cover_every_rule_with_positions() {
        let role = obj(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": "r", "namespace": "a"},
            "rules": [
                {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
                "not a map",
                {"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"], "resourceNames": ["x"]}
            ]
        }));
        let entries = rule_entries(&role.root);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].index, 2);
        assert_eq!(entries[1].label(), "rules[2]");
        assert_eq!(entries[1].grant.resource_names, ["x"]);
        assert_eq!(entries[1].field("verbs").1, "/rules/2/verbs");
        assert_eq!(entries[0].field("missing").1, "/rules/0");
        assert!(!is_bootstrap_default(&role));
    }

    #[test]
    fn subjects_role_refs_and_bootstrap_label() {
        let binding = obj(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "b", "namespace": "shop",
                         "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"}},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "deployer"},
            "subjects": [
                {"kind": "ServiceAccount", "name": "web"},
                {"kind": "ServiceAccount", "name": "ci", "namespace": "tools"},
                {"kind": "Group", "name": "system:serviceaccounts:shop"},
                {"kind": "User"}
            ]
        }));
        assert!(is_bootstrap_default(&binding));
        let subs = subjects(&binding);
        assert_eq!(subs.len(), 3);
        assert_eq!(subs[0].describe(&binding), "ServiceAccount shop/web");
        assert_eq!(subs[1].describe(&binding), "ServiceAccount tools/ci");
        assert_eq!(subs[2].describe(&binding), "Group \"system:serviceaccounts:shop\"");
        assert_eq!(subs[1].name_field().1, "/subjects/1/name");
        assert!(subs[0].covers_service_account(&binding, "shop", "web"));
        assert!(!subs[0].covers_service_account(&binding, "tools", "web"));
        assert!(subs[1].covers_service_account(&binding, "tools", "ci"));
        assert!(subs[2].covers_service_account(&binding, "shop", "anything"));
        assert!(!subs[2].covers_service_account(&binding, "other", "anything"));
        let rr = role_ref(&binding).unwrap();
        assert_eq!(rr.describe(&binding), "Role shop/deployer");
        assert!(!rr.is_cluster_role("deployer"));
        assert_eq!(binding_label(&binding), "RoleBinding shop/b");
    }

    #[test]
    fn broad_groups() {
        assert!(is_broad_group("system:authenticated"));
        assert!(is_broad_group("system:unauthenticated"));
        assert!(is_broad_group("system:serviceaccounts"));
        assert!(is_broad_group("system:serviceaccounts:shop"));
        assert!(!is_broad_group("system:masters"));
        assert!(!is_broad_group("system:nodes"));
    }
}
