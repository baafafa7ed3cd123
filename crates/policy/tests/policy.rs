//! The policy library end to end: loading templates, constraints and Palisade policies, match semantics,
//! data.inventory, enforcement and severity, time limits, and the Suite runner. Every template here is our own
//! (policies and the small ones written below).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_core::{K8sObject, Severity};
use palisade_policy::suite::{run_suite, Outcome};
use palisade_policy::{parse_objects, Enforcement, Inventory, PolicyErrorKind, PolicySet, Review};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies")
}

fn objects(yaml: &str) -> Vec<K8sObject> {
    let (objs, errs) = parse_objects("test.yaml", yaml.as_bytes());
    assert!(errs.is_empty(), "{errs:?}");
    objs
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("palisade-policy-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: api
          image: nginx:latest
          securityContext:
            privileged: true
";

#[test]
fn examples_load_without_errors_and_get_ids_severities_and_actions() {
    let (set, errors) = PolicySet::load(&[examples()]);
    assert!(errors.is_empty(), "{errors:?}");
    let metas: Vec<_> = set.metas().map(|m| (m.id, m.severity, m.enforcement)).collect();
    assert!(
        metas.contains(&("PalisadeRequiredLabels/team-label", Severity::Medium, Enforcement::Deny)),
        "{metas:?}"
    );
    assert!(
        metas.contains(&("PalisadePrivileged/no-privileged", Severity::Medium, Enforcement::Warn)),
        "{metas:?}"
    );
    assert!(
        metas.contains(&(
            "PalisadeAllowedRepos/company-registry",
            Severity::High,
            Enforcement::Deny
        )),
        "{metas:?}"
    );
    assert!(
        metas.contains(&("ORG-001", Severity::Medium, Enforcement::Deny)),
        "{metas:?}"
    );
    assert_eq!(set.len(), 5);
    assert!(set.needs_inventory(), "unique-ingress-host reads data.inventory");
}

#[test]
fn findings_carry_messages_and_locations() {
    let (set, _) = PolicySet::load(&[examples()]);
    let objs = objects(DEPLOYMENT);
    let inv = Inventory::with_default_namespace("default");
    let out = set.check(&Review::new(&objs[0]), &inv);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let by_rule = |id: &str| out.findings.iter().filter(|f| f.finding.rule == id).collect::<Vec<_>>();
    let labels = by_rule("PalisadeRequiredLabels/team-label");
    assert_eq!(labels.len(), 1);
    assert_eq!(labels[0].finding.message, "Deployment api is missing labels [\"team\"]");
    assert_eq!(labels[0].details, Some(serde_json::json!({"missing": ["team"]})));
    assert_eq!(
        (
            labels[0].finding.location.line,
            labels[0].finding.location.pointer.as_str()
        ),
        (4, "/metadata/name")
    );
    let privileged = by_rule("PalisadePrivileged/no-privileged");
    assert_eq!(privileged.len(), 1);
    assert_eq!(privileged[0].enforcement, Enforcement::Warn);
    // The Palisade policy points at the image field.
    let latest = by_rule("ORG-001");
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0].finding.location.line, 11);
    assert_eq!(
        latest[0].finding.location.pointer,
        "/spec/template/spec/containers/0/image"
    );
    // The Pod-only constraint does not match a Deployment; no namespace, no namespaceSelector decision either.
    assert!(by_rule("PalisadeAllowedRepos/company-registry").is_empty());
}

#[test]
fn namespace_selector_needs_the_namespace() {
    let (set, _) = PolicySet::load(&[examples().join("gatekeeper/allowed-repos")]);
    let pod = objects("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: prod}\nspec:\n  containers: [{name: a, image: nginx}]\n");
    let out = set.check(&Review::new(&pod[0]), &Inventory::new());
    assert!(out.findings.is_empty());
    assert_eq!(out.not_evaluated.len(), 1, "{out:?}");
    let ns = objects("apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, labels: {environment: production}}\n");
    let inv = Inventory::from_objects(&ns, None);
    let out = set.check(&Review::new(&pod[0]), &inv);
    assert_eq!(out.findings.len(), 1, "{out:?}");
    assert!(out.not_evaluated.is_empty());
}

#[test]
fn inventory_uses_gatekeepers_layout() {
    let objs = objects(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: c}\n",
    );
    let scan = Inventory::from_objects(&objs, Some("default"));
    let v = serde_json::to_value(scan.to_value()).unwrap();
    assert!(v.pointer("/namespace/x/v1/ConfigMap/a").is_some(), "{v}");
    assert!(v.pointer("/namespace/default/v1/ConfigMap/b").is_some(), "{v}");
    assert!(
        v.pointer("/cluster/rbac.authorization.k8s.io~1v1/ClusterRole/c")
            .is_some(),
        "{v}"
    );
    let gator = Inventory::from_objects(&objs, None);
    let v = serde_json::to_value(gator.to_value()).unwrap();
    assert!(v.pointer("/cluster/v1/ConfigMap/b").is_some(), "{v}");
    assert_eq!(gator.len(), 3);
}

#[test]
fn unique_host_uses_the_inventory() {
    let (set, _) = PolicySet::load(&[examples().join("gatekeeper/unique-ingress-host")]);
    let dir = examples().join("gatekeeper/unique-ingress-host/samples");
    let mine = objects(&std::fs::read_to_string(dir.join("shop-ingress.yaml")).unwrap());
    let other = objects(&std::fs::read_to_string(dir.join("other-ingress.yaml")).unwrap());
    let all: Vec<_> = mine.iter().chain(other.iter()).cloned().collect();
    let inv = Inventory::from_objects(&all, Some("default"));
    let ev = set.evaluator(&inv);
    let out = ev.check(&Review::new(&mine[0]));
    assert_eq!(out.findings.len(), 1, "{out:?}");
    assert!(out.findings[0].finding.message.contains("marketing/promo"));
    let out = ev.check(&Review::new(&other[0]));
    assert!(out.findings[0].finding.message.contains("shop/shop"));
}

const TEMPLATE_HEAD: &str = "apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: NAME
spec:
  crd:
    spec:
      names:
        kind: KIND
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
";

fn template(name: &str, kind: &str, rego: &str) -> String {
    let mut s = TEMPLATE_HEAD.replace("NAME", name).replace("KIND", kind);
    for line in rego.lines() {
        s.push_str("        ");
        s.push_str(line);
        s.push('\n');
    }
    s
}

fn constraint(kind: &str, name: &str, extra: &str) -> String {
    format!("apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: {kind}\nmetadata:\n  name: {name}\n{extra}")
}

#[test]
fn a_looping_policy_is_stopped_reported_once_and_disabled() {
    let dir = TempDir::new("loop");
    dir.write(
        "loop.yaml",
        &template(
            "spin",
            "Spin",
            "package spin\n\nviolation[{\"msg\": \"never\"}] {\n  n := count([x | a := numbers.range(1, 100000)[_]; b := numbers.range(1, 100000)[_]; x := a * b])\n  n < 0\n}\n",
        ),
    );
    dir.write("c.yaml", &constraint("Spin", "spin", ""));
    dir.write(
        "labels.yaml",
        &template(
            "lbl",
            "Lbl",
            "package lbl\n\nviolation[{\"msg\": \"no labels\"}] {\n  not input.review.object.metadata.labels\n}\n",
        ),
    );
    dir.write("c2.yaml", &constraint("Lbl", "lbl", ""));
    let (set, errors) = PolicySet::load(std::slice::from_ref(&dir.0));
    assert!(errors.is_empty(), "{errors:?}");
    let set = set.with_eval_limit(Duration::from_millis(200));
    let objs = objects(
        &(0..20)
            .map(|i| format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n---\n"))
            .collect::<String>(),
    );
    let inv = Inventory::new();
    let ev = set.evaluator(&inv);
    let start = Instant::now();
    let mut limit_errors = 0;
    let mut findings = 0;
    for o in &objs {
        let out = ev.check(&Review::new(o));
        limit_errors += out.errors.iter().filter(|e| e.kind == PolicyErrorKind::Limit).count();
        findings += out.findings.len();
        assert!(
            out.errors.iter().all(|e| e.policy.as_deref() == Some("Spin/spin")),
            "{:?}",
            out.errors
        );
    }
    assert_eq!(limit_errors, 1, "reported once, then disabled");
    assert_eq!(findings, 20, "the other policy keeps working");
    assert!(start.elapsed() < Duration::from_secs(20), "{:?}", start.elapsed());
    // The switch belongs to the evaluator (one scan, one admission request's checks): a new one tries again.
    let out = set.check(&Review::new(&objs[0]), &inv);
    assert_eq!(
        out.errors.iter().filter(|e| e.kind == PolicyErrorKind::Limit).count(),
        1,
        "{:?}",
        out.errors
    );
}

#[test]
fn load_errors_name_the_file_and_policy() {
    let dir = TempDir::new("errors");
    dir.write(
        "bad-rego.yaml",
        &template("bad", "Bad", "package bad\n\nviolation[{\"msg\": m}] {\n  m := \n}\n"),
    );
    dir.write("c-bad.yaml", &constraint("Bad", "b", ""));
    dir.write("orphan.yaml", &constraint("NoSuchKind", "o", ""));
    dir.write(
        "ok.yaml",
        &template("ok", "Ok", "package ok\n\nviolation[{\"msg\": \"x\"}] { false }\n"),
    );
    dir.write(
        "c-action.yaml",
        &constraint("Ok", "a", "spec:\n  enforcementAction: block\n"),
    );
    dir.write(
        "c-sev.yaml",
        &constraint("Ok", "s", "  annotations:\n    palisade.io/severity: severe\n"),
    );
    dir.write(
        "no-violation.yaml",
        &template("nov", "Nov", "package nov\n\nallow { true }\n"),
    );
    dir.write("c-nov.yaml", &constraint("Nov", "none", ""));
    dir.write("policy.rego", "package p\n\ndeny[\"x\"] { true }\n");
    let (set, errors) = PolicySet::load(std::slice::from_ref(&dir.0));
    assert!(set.is_empty(), "{:?}", set.metas().collect::<Vec<_>>());
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let has = |needle: &str| text.iter().any(|t| t.contains(needle));
    assert!(has("bad-rego.yaml"), "{text:?}");
    assert!(has("no ConstraintTemplate defines kind NoSuchKind"), "{text:?}");
    assert!(has("unknown enforcementAction 'block'"), "{text:?}");
    assert!(has("unknown severity 'severe'"), "{text:?}");
    assert!(has("declares no `violation` rule"), "{text:?}");
    assert!(has("metadata"), "a Palisade policy without metadata: {text:?}");
    assert_eq!(errors.len(), 6, "{text:?}");
}

#[test]
fn enforcement_actions_set_default_severities() {
    let dir = TempDir::new("actions");
    dir.write(
        "t.yaml",
        &template(
            "all",
            "All",
            "package all\n\nviolation[{\"msg\": \"always\"}] { true }\n",
        ),
    );
    for (name, action) in [("d", "deny"), ("w", "warn"), ("r", "dryrun")] {
        dir.write(
            &format!("{name}.yaml"),
            &constraint("All", name, &format!("spec:\n  enforcementAction: {action}\n")),
        );
    }
    let (set, errors) = PolicySet::load(std::slice::from_ref(&dir.0));
    assert!(errors.is_empty(), "{errors:?}");
    let objs = objects("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    let out = set.check(&Review::new(&objs[0]), &Inventory::new());
    let mut got: Vec<_> = out
        .findings
        .iter()
        .map(|f| (f.finding.rule, f.finding.severity, f.enforcement))
        .collect();
    got.sort_by_key(|(rule, _, _)| *rule);
    assert_eq!(
        got,
        vec![
            ("All/d", Severity::High, Enforcement::Deny),
            ("All/r", Severity::Info, Enforcement::Dryrun),
            ("All/w", Severity::Medium, Enforcement::Warn),
        ]
    );
}

#[test]
fn review_fields_and_libs_reach_the_template() {
    let dir = TempDir::new("review");
    let rego = "package rev\n\nimport data.lib.fmt\n\nviolation[{\"msg\": msg}] {\n  r := input.review\n  msg := fmt.describe(r.operation, r.kind.group, r.kind.version, r.kind.kind, r.namespace, r.name)\n}\n";
    let mut t = template("rev", "Rev", rego);
    t = t.replace(
        "      rego: |\n",
        "      libs:\n        - |\n          package lib.fmt\n          describe(op, g, v, k, ns, n) = s {\n            s := sprintf(\"%v %v/%v %v %v/%v\", [op, g, v, k, ns, n])\n          }\n      rego: |\n",
    );
    dir.write("t.yaml", &t);
    dir.write("c.yaml", &constraint("Rev", "r", ""));
    let (set, errors) = PolicySet::load(std::slice::from_ref(&dir.0));
    assert!(errors.is_empty(), "{errors:?}");
    let objs = objects(DEPLOYMENT);
    let mut review = Review::new(&objs[0]);
    review.operation = "UPDATE";
    let out = set.check(&review, &Inventory::new());
    assert_eq!(out.findings[0].finding.message, "UPDATE apps/v1 Deployment shop/api");
}

#[test]
fn example_suites_pass_and_a_wrong_assertion_fails() {
    for suite in [
        "required-labels",
        "privileged-containers",
        "allowed-repos",
        "unique-ingress-host",
    ] {
        let r = run_suite(&examples().join("gatekeeper").join(suite).join("suite.yaml"));
        let (p, f, e, _) = r.counts();
        assert!(f == 0 && e == 0 && p > 0, "{r:?}");
    }
    let dir = TempDir::new("suite");
    let ex = examples().join("gatekeeper/required-labels");
    dir.write("t.yaml", &std::fs::read_to_string(ex.join("template.yaml")).unwrap());
    dir.write("c.yaml", &std::fs::read_to_string(ex.join("constraint.yaml")).unwrap());
    dir.write(
        "o.yaml",
        &std::fs::read_to_string(ex.join("samples/unlabelled.yaml")).unwrap(),
    );
    dir.write(
        "suite.yaml",
        "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\ntests:\n- name: t\n  template: t.yaml\n  constraint: c.yaml\n  cases:\n  - name: wrong\n    object: o.yaml\n    assertions:\n    - violations: no\n  - name: right\n    object: o.yaml\n    assertions:\n    - violations: 1\n  - name: missing-file\n    object: nope.yaml\n  - name: skipped\n    skip: true\n    object: o.yaml\n",
    );
    let r = run_suite(&dir.0.join("suite.yaml"));
    let outcomes: Vec<_> = r.tests[0]
        .cases
        .iter()
        .map(|c| (c.name.as_str(), c.outcome.clone()))
        .collect();
    assert!(matches!(outcomes[0].1, Outcome::Fail(_)), "{outcomes:?}");
    assert_eq!(outcomes[1].1, Outcome::Pass);
    assert!(matches!(outcomes[2].1, Outcome::Error(_)), "{outcomes:?}");
    assert_eq!(outcomes[3].1, Outcome::Skip);
    assert_eq!(r.counts(), (1, 1, 1, 1));
}

#[test]
fn suite_cases_may_be_admission_reviews() {
    let dir = TempDir::new("admission");
    dir.write(
        "t.yaml",
        &template(
            "noupdate",
            "NoUpdate",
            "package noupdate\n\nviolation[{\"msg\": msg}] {\n  input.review.operation != \"UPDATE\"\n  not input.review.userInfo.username == \"admin\"\n  msg := sprintf(\"%v of %v\", [input.review.operation, input.review.object.metadata.name])\n}\n",
        ),
    );
    dir.write("c.yaml", &constraint("NoUpdate", "no-update", ""));
    let review = |op: &str, user: &str| {
        format!("apiVersion: admission.k8s.io/v1\nkind: AdmissionReview\nrequest:\n  operation: {op}\n  userInfo: {{username: {user}}}\n  object:\n    apiVersion: v1\n    kind: Pod\n    metadata: {{name: p1}}\n  oldObject:\n    apiVersion: v1\n    kind: Pod\n    metadata: {{name: p0}}\n")
    };
    dir.write("create.yaml", &review("CREATE", "dev"));
    dir.write("update.yaml", &review("UPDATE", "dev"));
    dir.write("admin.yaml", &review("CREATE", "admin"));
    dir.write(
        "suite.yaml",
        "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\ntests:\n- name: t\n  template: t.yaml\n  constraint: c.yaml\n  cases:\n  - name: create\n    object: create.yaml\n    assertions:\n    - violations: 1\n      message: CREATE of p1\n  - name: update\n    object: update.yaml\n    assertions:\n    - violations: no\n  - name: admin\n    object: admin.yaml\n    assertions:\n    - violations: no\n",
    );
    let r = run_suite(&dir.0.join("suite.yaml"));
    assert_eq!(r.counts(), (3, 0, 0, 0), "{r:?}");
}
