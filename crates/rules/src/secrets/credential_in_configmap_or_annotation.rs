//! SEC-004: a ConfigMap value, or an annotation of any object, holding a credential-like literal.

use super::util::{assignments, decode_base64, detect, explain, is_sensitive_name, value_pattern, Mode};
use palisade_core::object::locate;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// The kinds whose annotations are checked (ConfigMap data and binaryData too). Per-object rules need a kind list;
/// this one covers the built-in kinds and the common add-on kinds of AKS clusters.
const KINDS: &[&str] = &[
    "ConfigMap",
    "Secret",
    "Pod",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicationController",
    "PodTemplate",
    "Service",
    "Ingress",
    "IngressClass",
    "ServiceAccount",
    "Namespace",
    "NetworkPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "StorageClass",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "LimitRange",
    "ResourceQuota",
    "Endpoints",
    "EndpointSlice",
    "PriorityClass",
    "CustomResourceDefinition",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "APIService",
    "SecretProviderClass",
    "Gateway",
    "HTTPRoute",
    "VirtualService",
    "Certificate",
    "Issuer",
    "ClusterIssuer",
    "ScaledObject",
    "Application",
];

/// kubectl's copy of the whole applied object: its fields are checked where they are, not in this copy.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Metadata of SEC-004.
pub static META: RuleMeta = RuleMeta {
    id: "SEC-004",
    name: "credential-in-configmap-or-annotation",
    family: "secrets",
    severity: Severity::High,
    profiles: &["nsa", "seed"],
    summary: "A ConfigMap value or an object annotation holds a credential-like literal.",
    remediation:
        "Move the credential to Azure Key Vault (Secrets Store CSI driver) or a Secret, reference it from the \
                  workload, and rotate the exposed value.",
    docs: r#"## What it does
Applies the credential detectors of SEC-001 to configuration that is not meant to hold secrets:

- ConfigMap `data`: each key with its value (a sensitive key name with a literal value, or a value in a known secret
  format such as a PEM private key, a JWT, an AWS key, a GitHub token, an Azure storage key or SAS signature, a
  connection string with a password, a URL with a password). Multi-line values (configuration files such as
  `application.properties` or `appsettings.json`) are also read line by line for `name = value` / `name: value`
  assignments, and the message gives the line within the value.
- ConfigMap `binaryData`: the decoded content is checked for secret formats, and a sensitive key name with non-empty
  content is reported.
- Annotations of any object of the common kinds (and the pod template annotations of workloads): values in a known
  secret format, or a sensitive annotation name with a random-looking value (16+ characters, letters and digits,
  3.5+ bits of entropy per character). A sensitive name alone is not enough for annotations: values such as
  `nginx.ingress.kubernetes.io/auth-secret: basic-auth` name a Secret. kubectl's
  `last-applied-configuration` copy is skipped (its fields are checked where they are).

Placeholders, `$(VAR)` references, settings-like values and reference-style names are handled as in SEC-001.
Messages name the key and show values masked (`****, 24 chars`), never the value.

## Why is this bad?
ConfigMaps and annotations are readable by far more people and tools than Secrets (RBAC rarely restricts them,
controllers log them, `kubectl describe` prints them), and they are never encrypted at rest by KMS.

## Example
```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
data:
  API_URL: https://api.example.com
  API_KEY: 9f8e7d6c5b4a39281706f5e4d3c2b1a0
```

## Use instead
```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
data:
  API_URL: https://api.example.com
  API_KEY_FILE: /mnt/secrets-store/api-key
```

## References
- seed:003 (ConfigMaps holding URLs and API keys → Key Vault)
- NSA/CISA Kubernetes Hardening Guidance, Secrets
- Trivy KSV-0109 / KSV-01010, Kubescape C-0012, Polaris sensitiveConfigmapContent
"#,
    references: &[
        "seed:003",
        "NSA/CISA Kubernetes Hardening Guidance, Secrets",
        "Trivy KSV-0109",
        "Kubescape C-0012",
    ],
    status: Status::Stable,
    target: Target::Kinds(KINDS),
    pss: None,
};

/// Flags credential-like ConfigMap values and annotations.
pub struct CredentialInConfigmapOrAnnotation;

/// The entries of the object's top-level map `key` (none when it is absent or not a map).
fn entries<'a>(obj: &'a K8sObject, key: &str) -> &'a [palisade_core::node::Entry] {
    obj.root.get(key).and_then(Node::as_map).map_or(&[], |m| m.entries())
}

fn check_data(obj: &K8sObject, out: &mut Vec<Violation>) {
    for e in entries(obj, "data") {
        let Some(value) = e.value.as_str() else { continue };
        // Located only when reported: most keys are not.
        let here = || locate(&obj.root, "", obj.root.pos, &["data", &e.key]);
        if let Some(d) = detect(&e.key, value, Mode::Literal) {
            let loc = here();
            out.push(Violation::new(
                format!(
                    "ConfigMap data key \"{}\" holds a credential-like literal ({})",
                    e.key,
                    explain(d, value)
                ),
                loc.pos,
                loc.pointer,
            ));
            continue;
        }
        if !value.contains('\n') {
            continue;
        }
        let mut loc = None;
        for (line, name, v) in assignments(value) {
            if let Some(d) = detect(name, v, Mode::Literal) {
                let loc = loc.get_or_insert_with(here);
                out.push(Violation::new(
                    format!(
                        "ConfigMap data key \"{}\" sets \"{name}\" (line {line} of the value) to a credential-like \
                         literal ({})",
                        e.key,
                        explain(d, v)
                    ),
                    loc.pos,
                    loc.pointer.clone(),
                ));
            }
        }
    }
    for e in entries(obj, "binaryData") {
        let Some(bytes) = e.value.as_str().and_then(decode_base64).filter(|b| !b.is_empty()) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let why = match value_pattern(&text) {
            Some(what) => format!("content looks like {what}"),
            None if is_sensitive_name(&e.key) => "sensitive name".to_string(),
            None => continue,
        };
        let loc = locate(&obj.root, "", obj.root.pos, &["binaryData", &e.key]);
        out.push(Violation::new(
            format!(
                "ConfigMap binaryData key \"{}\" holds credential-like content ({why}; ****, {} bytes)",
                e.key,
                bytes.len()
            ),
            loc.pos,
            loc.pointer,
        ));
    }
}

fn check_annotations(metadata: &Node, pointer: &str, whose: &str, out: &mut Vec<Violation>) {
    let Some(map) = metadata.get("annotations").and_then(Node::as_map) else {
        return;
    };
    for e in map.entries() {
        if e.key == LAST_APPLIED {
            continue;
        }
        let Some(value) = e.value.as_str() else { continue };
        if let Some(d) = detect(&e.key, value, Mode::Annotation) {
            let loc = locate(metadata, pointer, metadata.pos, &["annotations", &e.key]);
            out.push(Violation::new(
                format!(
                    "{whose}annotation {} holds a credential-like literal ({})",
                    e.key,
                    explain(d, value)
                ),
                loc.pos,
                loc.pointer,
            ));
        }
    }
}

impl Rule for CredentialInConfigmapOrAnnotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `data`, `binaryData` or `annotations` key (only ConfigMap data and annotations
    /// are read).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["data", "binaryData", "annotations"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let mut out = Vec::new();
        if obj.id.kind == "ConfigMap" {
            check_data(obj, &mut out);
        }
        if let Some(metadata) = obj.root.get("metadata") {
            check_annotations(metadata, "/metadata", "", &mut out);
        }
        if let Some(pod) = obj.pod_spec() {
            let pointer = pod.metadata_pointer();
            if let (Some(metadata), false) = (pod.metadata, pointer == "/metadata") {
                check_annotations(metadata, pointer, "pod template ", &mut out);
            }
        }
        out
    }
}
