//! Gatekeeper ConstraintTemplates (templates.gatekeeper.sh v1, v1beta1, v1alpha1) and constraints
//! (constraints.gatekeeper.sh/*, kind = the template's CRD kind).

use crate::error::{PolicyError, PolicyErrorKind};
use crate::matching::Match;
use crate::program::Module;
use palisade_core::{K8sObject, Severity};
use serde_json::Value as Json;

/// The admission target every Gatekeeper library template uses.
pub const ADMISSION_TARGET: &str = "admission.k8s.gatekeeper.sh";

/// What Gatekeeper does with a constraint's violations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Enforcement {
    /// Reject the request (`deny`, the default).
    Deny,
    /// Admit the request with a warning (`warn`).
    Warn,
    /// Only report, in audit (`dryrun`).
    Dryrun,
}

impl Enforcement {
    /// Gatekeeper's name for the action.
    pub fn as_str(self) -> &'static str {
        match self {
            Enforcement::Deny => "deny",
            Enforcement::Warn => "warn",
            Enforcement::Dryrun => "dryrun",
        }
    }

    /// Severity of findings of a constraint with this action, unless annotated otherwise: deny = high,
    /// warn = medium, dryrun = info.
    pub fn default_severity(self) -> Severity {
        match self {
            Enforcement::Deny => Severity::High,
            Enforcement::Warn => Severity::Medium,
            Enforcement::Dryrun => Severity::Info,
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "" | "deny" => Some(Enforcement::Deny),
            "warn" => Some(Enforcement::Warn),
            "dryrun" => Some(Enforcement::Dryrun),
            _ => None,
        }
    }
}

/// Annotation (on a constraint, or on its template for all its constraints) setting findings' severity.
pub const SEVERITY_ANNOTATION: &str = "palisade.io/severity";
/// Annotation (on a constraint or its template) giving the remediation text of its findings.
pub const REMEDIATION_ANNOTATION: &str = "palisade.io/remediation";

/// A parsed ConstraintTemplate.
#[derive(Clone, Debug)]
pub struct Template {
    /// `metadata.name`.
    pub name: String,
    /// `spec.crd.spec.names.kind`: the kind of its constraints.
    pub kind: String,
    /// The main Rego module.
    pub rego: Module,
    /// `libs` modules.
    pub libs: Vec<Module>,
    /// Severity annotation.
    pub severity: Option<Severity>,
    /// Remediation annotation, or the template's `description` annotation.
    pub remediation: Option<String>,
    /// File, document and line of the template.
    pub file: String,
    /// Document index.
    pub document: usize,
    /// Line.
    pub line: u32,
}

/// A parsed constraint.
#[derive(Clone, Debug)]
pub struct Constraint {
    /// Kind (= its template's CRD kind).
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `spec.match`.
    pub matcher: Match,
    /// `spec.parameters` (an empty object when unset).
    pub parameters: Json,
    /// `spec.enforcementAction`.
    pub enforcement: Enforcement,
    /// Severity annotation.
    pub severity: Option<Severity>,
    /// Remediation annotation.
    pub remediation: Option<String>,
    /// File of the constraint.
    pub file: String,
    /// Document index.
    pub document: usize,
    /// Line.
    pub line: u32,
}

/// Whether an object is a ConstraintTemplate.
pub fn is_template(obj: &K8sObject) -> bool {
    obj.id.kind == "ConstraintTemplate" && obj.id.api_version.starts_with("templates.gatekeeper.sh/")
}

/// Whether an object is a constraint.
pub fn is_constraint(obj: &K8sObject) -> bool {
    obj.id.api_version.starts_with("constraints.gatekeeper.sh/")
}

fn invalid(obj: &K8sObject, message: String) -> PolicyError {
    PolicyError {
        file: obj.source.file.to_string(),
        document: obj.source.document,
        line: obj.root.pos.line,
        policy: None,
        kind: PolicyErrorKind::Invalid,
        message,
    }
}

fn annotation<'a>(obj: &'a K8sObject, key: &str) -> Option<&'a str> {
    obj.root.path(&["metadata", "annotations"])?.get_str(key)
}

fn severity_annotation(obj: &K8sObject) -> Result<Option<Severity>, PolicyError> {
    match annotation(obj, SEVERITY_ANNOTATION) {
        None => Ok(None),
        Some(s) => s
            .parse::<Severity>()
            .map(Some)
            .map_err(|e| invalid(obj, format!("annotation {SEVERITY_ANNOTATION}: {e}"))),
    }
}

fn str_at<'a>(j: &'a Json, path: &[&str]) -> Option<&'a str> {
    let mut cur = j;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

fn libs(obj: &K8sObject, name: &str, libs: Option<&Json>, v0: bool) -> Result<Vec<Module>, PolicyError> {
    let Some(libs) = libs else { return Ok(Vec::new()) };
    let Some(items) = libs.as_array() else {
        return Err(invalid(obj, format!("template {name}: libs must be a list of strings")));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, l)| match l.as_str() {
            Some(src) => Ok(Module {
                name: format!("{}#{name}/lib{i}", obj.source.file),
                source: crate::rewrite::rewrite(src),
                v0,
            }),
            None => Err(invalid(obj, format!("template {name}: libs[{i}] is not a string"))),
        })
        .collect()
}

impl Template {
    /// Parses a ConstraintTemplate object.
    pub fn parse(obj: &K8sObject) -> Result<Template, PolicyError> {
        let j = obj.root.to_json();
        let name = str_at(&j, &["metadata", "name"]).unwrap_or("").to_string();
        if name.is_empty() {
            return Err(invalid(obj, "ConstraintTemplate without metadata.name".into()));
        }
        let kind = str_at(&j, &["spec", "crd", "spec", "names", "kind"])
            .filter(|k| !k.is_empty())
            .ok_or_else(|| invalid(obj, format!("template {name}: spec.crd.spec.names.kind is missing")))?
            .to_string();
        let targets = j
            .pointer("/spec/targets")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        let target = targets
            .iter()
            .find(|t| t.get("target").and_then(Json::as_str) == Some(ADMISSION_TARGET))
            .ok_or_else(|| invalid(obj, format!("template {name}: no target {ADMISSION_TARGET}")))?;
        let module_name = format!("{}#{name}", obj.source.file);
        let mut found: Option<(String, bool, Option<&Json>)> = None;
        if let Some(code) = target.get("code").and_then(Json::as_array) {
            if let Some(src) = code
                .iter()
                .find(|c| c.get("engine").and_then(Json::as_str) == Some("Rego"))
                .and_then(|c| c.get("source"))
            {
                if let Some(rego) = src.get("rego").and_then(Json::as_str) {
                    let v1 = src.get("version").and_then(Json::as_str) == Some("v1");
                    found = Some((rego.to_string(), !v1, src.get("libs")));
                }
            }
        }
        if found.is_none() {
            if let Some(rego) = target.get("rego").and_then(Json::as_str) {
                found = Some((rego.to_string(), true, target.get("libs")));
            }
        }
        let Some((rego, rego_v0, lib_json)) = found else {
            return Err(invalid(
                obj,
                format!("template {name}: no Rego source (only Rego templates are supported; CEL K8sNativeValidation is not)"),
            ));
        };
        let libs = libs(obj, &name, lib_json, rego_v0)?;
        let remediation = annotation(obj, REMEDIATION_ANNOTATION)
            .or_else(|| annotation(obj, "description"))
            .map(|s| s.trim().to_string());
        Ok(Template {
            severity: severity_annotation(obj)?,
            remediation,
            rego: Module {
                name: module_name,
                source: crate::rewrite::rewrite(&rego),
                v0: rego_v0,
            },
            libs,
            name,
            kind,
            file: obj.source.file.to_string(),
            document: obj.source.document,
            line: obj.root.pos.line,
        })
    }
}

impl Constraint {
    /// Parses a constraint object.
    pub fn parse(obj: &K8sObject) -> Result<Constraint, PolicyError> {
        let j = obj.root.to_json();
        let name = str_at(&j, &["metadata", "name"]).unwrap_or("").to_string();
        if name.is_empty() {
            return Err(invalid(
                obj,
                format!("{} constraint without metadata.name", obj.id.kind),
            ));
        }
        let spec = j.get("spec").cloned().unwrap_or(Json::Null);
        let matcher = match spec.get("match") {
            None | Some(Json::Null) => Match::default(),
            Some(m) => serde_json::from_value::<Match>(m.clone())
                .map_err(|e| invalid(obj, format!("{}/{name}: invalid spec.match: {e}", obj.id.kind)))?,
        };
        let action = spec.get("enforcementAction").and_then(Json::as_str).unwrap_or("deny");
        let enforcement = if action.eq_ignore_ascii_case("scoped") {
            // Gatekeeper 3.17+: the strictest of the scoped actions.
            let actions: Vec<Enforcement> = spec
                .get("scopedEnforcementActions")
                .and_then(Json::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.get("action").and_then(Json::as_str).and_then(Enforcement::parse))
                        .collect()
                })
                .unwrap_or_default();
            [Enforcement::Deny, Enforcement::Warn, Enforcement::Dryrun]
                .into_iter()
                .find(|e| actions.contains(e))
                .unwrap_or(Enforcement::Dryrun)
        } else {
            Enforcement::parse(action).ok_or_else(|| {
                invalid(
                    obj,
                    format!(
                        "{}/{name}: unknown enforcementAction '{action}' (deny, warn, dryrun or scoped)",
                        obj.id.kind
                    ),
                )
            })?
        };
        let parameters = match spec.get("parameters") {
            None | Some(Json::Null) => Json::Object(Default::default()),
            Some(p) => p.clone(),
        };
        Ok(Constraint {
            kind: obj.id.kind.clone(),
            severity: severity_annotation(obj)?,
            remediation: annotation(obj, REMEDIATION_ANNOTATION).map(|s| s.trim().to_string()),
            name,
            matcher,
            parameters,
            enforcement,
            file: obj.source.file.to_string(),
            document: obj.source.document,
            line: obj.root.pos.line,
        })
    }

    /// The finding ID of this constraint: `Kind/name`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }
}
