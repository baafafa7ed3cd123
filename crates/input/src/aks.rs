//! Recognises AKS inputs among JSON/YAML documents (ARM templates and parameters files, compiled Bicep, exported
//! resources and REST bodies, `az aks show` / `az aks list` output, `terraform show -json` plans and state) and
//! reads Terraform files. Recognised documents go to [`palisade_core::aks::AksInputs`] instead of being skipped as
//! non-Kubernetes documents.

use crate::error::{LoadError, ParseError, ParseErrorKind};
use crate::LoadOptions;
use palisade_core::aks::{AksDoc, AksDocKind, AksInputs};
use palisade_core::{Node, Value};
use std::sync::Arc;

/// What an AKS-related document is, if it is one.
pub fn classify(root: &Node) -> Option<AksDocKind> {
    let m = root.as_map()?;
    let get_ci = |k: &str| {
        m.entries()
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(k))
            .map(|e| &e.value)
    };
    if let Some(schema) = m.get("$schema").and_then(Node::as_str) {
        let s = schema.to_ascii_lowercase();
        if s.contains("deploymenttemplate") {
            return Some(AksDocKind::ArmTemplate);
        }
        if s.contains("deploymentparameters") {
            return Some(AksDocKind::ArmParameters);
        }
    }
    if m.get("contentVersion").is_some() {
        if m.get("resources").is_some() {
            return Some(AksDocKind::ArmTemplate);
        }
        if m.get("parameters").is_some() {
            return Some(AksDocKind::ArmParameters);
        }
    }
    if m.get("format_version").is_some()
        && (m.get("planned_values").is_some() || m.get("values").is_some() || m.get("terraform_version").is_some())
    {
        return Some(AksDocKind::TerraformJson);
    }
    if m.get("apiVersion").is_some() && m.get("kind").is_some() && m.get("type").is_none() {
        // A Kubernetes object.
        return None;
    }
    if get_ci("type")
        .and_then(Node::as_str)
        .is_some_and(|t| t.len() > 10 && t.get(..10).is_some_and(|p| p.eq_ignore_ascii_case("microsoft.")))
    {
        return Some(AksDocKind::Resource);
    }
    let cluster_like = |n: &Node| {
        n.as_map().is_some_and(|mm| {
            mm.entries()
                .iter()
                .any(|e| e.key.eq_ignore_ascii_case("agentPoolProfiles"))
                && mm.entries().iter().any(|e| {
                    ["kubernetesVersion", "dnsPrefix", "fqdn", "networkProfile"]
                        .iter()
                        .any(|k| e.key.eq_ignore_ascii_case(k))
                })
        })
    };
    if cluster_like(root) || m.get("properties").is_some_and(cluster_like) {
        return Some(AksDocKind::Resource);
    }
    None
}

/// Takes a document into `aks` when it is an AKS input (a sequence of resources counts item by item); gives it
/// back otherwise.
pub(crate) fn take(aks: &mut AksInputs, file: &Arc<str>, document: usize, root: Node) -> Option<Node> {
    let root = rest_example(aks, file, document, root)?;
    if let Some(kind) = classify(&root) {
        aks.documents.push(AksDoc {
            file: Arc::clone(file),
            document,
            base_pointer: String::new(),
            kind,
            root,
        });
        return None;
    }
    let all_resources = root
        .as_seq()
        .is_some_and(|items| !items.is_empty() && items.iter().all(|i| classify(i) == Some(AksDocKind::Resource)));
    if !all_resources {
        return Some(root);
    }
    if let Value::Seq(items) = root.value {
        for (i, item) in items.into_iter().enumerate() {
            aks.documents.push(AksDoc {
                file: Arc::clone(file),
                document,
                base_pointer: format!("/{i}"),
                kind: AksDocKind::Resource,
                root: item,
            });
        }
    }
    None
}

/// An Azure REST API example (`{"parameters": {"resourceName": ..., "parameters": <request body>}, "responses":
/// {"200": {"body": ...}}}`, as in azure-rest-api-specs): the request body is read as the resource (named from
/// `resourceName`); without one (GET and list examples), the 200 response body (or its `value` items). Returns the
/// document back when it is not such an example.
fn rest_example(aks: &mut AksInputs, file: &Arc<str>, document: usize, root: Node) -> Option<Node> {
    let is_example = root.as_map().is_some_and(|m| {
        m.len() <= 3
            && m.get("responses").and_then(Node::as_map).is_some()
            && m.get("parameters").and_then(Node::as_map).is_some()
    });
    if !is_example {
        return Some(root);
    }
    let cluster_like = |n: &Node| {
        n.get("properties").and_then(|p| p.as_map()).is_some_and(|p| {
            p.entries()
                .iter()
                .any(|e| e.key.eq_ignore_ascii_case("agentPoolProfiles"))
        })
    };
    let mut found: Vec<(String, Node)> = Vec::new();
    let params = root.get("parameters");
    if let Some(body) = params.and_then(|p| p.get("parameters")).filter(|b| cluster_like(b)) {
        let mut body = body.clone();
        let name = params.and_then(|p| p.get_str("resourceName"));
        if let (Some(name), Value::Map(bm)) = (name, &mut body.value) {
            if bm.get("name").is_none() {
                let pos = body.pos;
                bm.insert("name".to_string(), pos, Node::new(pos, Value::Str(name.to_string())));
            }
        }
        found.push(("/parameters/parameters".to_string(), body));
    } else if let Some((code, body)) = ["200", "201"]
        .iter()
        .find_map(|c| Some((*c, root.get("responses")?.get(c)?.get("body")?)))
    {
        if cluster_like(body) {
            found.push((format!("/responses/{code}/body"), body.clone()));
        } else {
            for (i, item) in body
                .get("value")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if cluster_like(item) {
                    found.push((format!("/responses/{code}/body/value/{i}"), item.clone()));
                }
            }
        }
    }
    if found.is_empty() {
        return Some(root);
    }
    for (pointer, node) in found {
        aks.documents.push(AksDoc {
            file: Arc::clone(file),
            document,
            base_pointer: pointer,
            kind: AksDocKind::Resource,
            root: node,
        });
    }
    None
}

/// Blanks `//` and `/* */` comments outside strings (ARM templates allow them), keeping every position.
pub(crate) fn strip_json_comments(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut in_str = false;
    while let Some(&c) = b.get(i) {
        if in_str {
            out.push(c);
            if c == b'\\' {
                if let Some(&n) = b.get(i + 1) {
                    out.push(n);
                    i += 1;
                }
            } else if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match (c, b.get(i + 1)) {
            (b'"', _) => {
                in_str = true;
                out.push(c);
                i += 1;
            }
            (b'/', Some(b'/')) => {
                while let Some(&x) = b.get(i) {
                    if x == b'\n' {
                        break;
                    }
                    out.push(if x.is_ascii() { b' ' } else { x });
                    i += 1;
                }
            }
            (b'/', Some(b'*')) => {
                out.extend_from_slice(b"  ");
                i += 2;
                while let Some(&x) = b.get(i) {
                    if x == b'*' && b.get(i + 1) == Some(&b'/') {
                        out.extend_from_slice(b"  ");
                        i += 2;
                        break;
                    }
                    out.push(if x == b'\n' || x == b'\r' || !x.is_ascii() {
                        x
                    } else {
                        b' '
                    });
                    i += 1;
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Loads a Terraform file (`*.tf`, `*.tfvars`).
pub(crate) fn load_terraform(label: &str, bytes: &[u8], opts: &LoadOptions) -> crate::FileLoad {
    let mut out = crate::FileLoad {
        documents: 1,
        ..crate::FileLoad::default()
    };
    let len = bytes.len() as u64;
    let err = if len > opts.max_file_bytes {
        let message = format!("file is {len} bytes, over the limit of {} bytes", opts.max_file_bytes);
        Some(ParseError::new(1, 1, 1, ParseErrorKind::TooLarge, message))
    } else {
        match std::str::from_utf8(bytes) {
            Err(e) => {
                let p = crate::text::pos_at(bytes, e.valid_up_to());
                let byte = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
                let message = format!("invalid UTF-8 (byte 0x{byte:02x})");
                Some(ParseError::new(1, p.line, p.col, ParseErrorKind::InvalidUtf8, message))
            }
            Ok(text) => match crate::terraform::parse(label, text) {
                Ok(f) => {
                    out.aks.terraform.push(f);
                    None
                }
                Err(e) => Some(e),
            },
        }
    };
    if let Some(e) = err {
        out.errors.push(LoadError::from_parse(label, e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(json: &str) -> Node {
        let (docs, err) = crate::parse_documents(json.as_bytes(), &LoadOptions::default());
        assert!(err.is_none());
        docs.into_iter().next().unwrap().root
    }

    #[test]
    fn classifies_documents() {
        let t = root(
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}"#,
        );
        assert_eq!(classify(&t), Some(AksDocKind::ArmTemplate));
        let p = root(
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {}}"#,
        );
        assert_eq!(classify(&p), Some(AksDocKind::ArmParameters));
        let az =
            root(r#"{"name": "c", "type": "Microsoft.ContainerService/ManagedClusters", "agentPoolProfiles": []}"#);
        assert_eq!(classify(&az), Some(AksDocKind::Resource));
        let k8s = root(r#"{"apiVersion": "v1", "kind": "Secret", "type": "Opaque"}"#);
        assert_eq!(classify(&k8s), None);
        let plan = root(r#"{"format_version": "1.2", "planned_values": {}}"#);
        assert_eq!(classify(&plan), Some(AksDocKind::TerraformJson));
    }

    #[test]
    fn comments_are_blanked_in_place() {
        let s = "{\n  // note\n  \"a\": \"//x\" /* c */\n}";
        let t = strip_json_comments(s);
        assert_eq!(t.len(), s.len());
        assert!(t.contains("\"//x\""));
        assert!(!t.contains("note"));
    }
}

#[cfg(test)]
mod load_tests {
    use crate::{load_file, LoadOptions};

    #[test]
    fn az_list_arm_and_terraform_are_aks_inputs() {
        let list = br#"[{"name": "a", "type": "Microsoft.ContainerService/ManagedClusters", "agentPoolProfiles": []},
                        {"name": "b", "type": "Microsoft.ContainerService/ManagedClusters", "agentPoolProfiles": []}]"#;
        let l = load_file("aks-list.json", list, &LoadOptions::default());
        assert_eq!(l.aks.documents.len(), 2);
        assert_eq!(l.skipped_non_k8s, 0);
        assert_eq!(l.aks.documents[1].base_pointer, "/1");
        assert_eq!(l.aks.model().clusters.len(), 2);

        let arm = b"{\n  // comment\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": []\n}\n";
        let l = load_file("t.json", arm, &LoadOptions::default());
        assert!(l.errors.is_empty(), "{:?}", l.errors);
        assert_eq!(l.aks.documents.len(), 1);

        let tf = b"resource \"azurerm_kubernetes_cluster\" \"c\" {\n  local_account_disabled = true\n}\n";
        let l = load_file("m/main.tf", tf, &LoadOptions::default());
        let m = l.aks.model();
        let c = &m.clusters[0];
        let loc = c.local_accounts_disabled.location().unwrap();
        assert_eq!((loc.line, loc.column), (2, 3));
        assert_eq!(c.local_accounts_disabled.known(), Some(&true));

        let bad = load_file("bad.tf", b"resource \"x\" {", &LoadOptions::default());
        assert_eq!(bad.errors.len(), 1);
        let k8s = load_file(
            "pod.json",
            br#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}"#,
            &LoadOptions::default(),
        );
        assert_eq!(k8s.objects.len(), 1);
        assert!(k8s.aks.is_empty());
    }
}
