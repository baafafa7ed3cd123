//! `gator verify`-compatible test suites: `kind: Suite`, `apiVersion: test.gatekeeper.sh/v1alpha1`, with
//! `tests[]` (template, constraint, cases[]: object, inventory[], assertions[]). Paths are relative to the suite
//! file. An assertion counts the violations whose message matches `message` (a regular expression, so plain
//! text matches as a substring) and compares the count with `violations`: `yes` (at least one, the default),
//! `no` (none) or an exact number.

use crate::error::{PolicyError, PolicyErrorKind};
use crate::{parse_objects, Inventory, PolicySet, Review};
use palisade_core::{K8sObject, Node, Value as NodeValue};
use std::path::{Path, PathBuf};

/// How a case ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every assertion held.
    Pass,
    /// An assertion did not hold (why).
    Fail(String),
    /// The case could not be run (missing file, policy error, ...).
    Error(String),
    /// `skip: true`.
    Skip,
}

/// One case's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseResult {
    /// Case name.
    pub name: String,
    /// Outcome.
    pub outcome: Outcome,
}

/// One test (a template + constraint pair) and its cases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestResult {
    /// Test name.
    pub name: String,
    /// A test-level problem (template or constraint did not load); its cases are not run.
    pub error: Option<String>,
    /// `skip: true` on the test.
    pub skipped: bool,
    /// Case results.
    pub cases: Vec<CaseResult>,
}

/// A suite file's results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuiteResult {
    /// The suite file.
    pub file: String,
    /// A suite-level problem (not readable, not a Suite).
    pub error: Option<String>,
    /// Tests.
    pub tests: Vec<TestResult>,
}

impl SuiteResult {
    /// (passed, failed, errors, skipped) cases; a test-level error counts as one error.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let (mut p, mut f, mut e, mut s) = (0, 0, usize::from(self.error.is_some()), 0);
        for t in &self.tests {
            if t.error.is_some() {
                e += 1;
            }
            for c in &t.cases {
                match c.outcome {
                    Outcome::Pass => p += 1,
                    Outcome::Fail(_) => f += 1,
                    Outcome::Error(_) => e += 1,
                    Outcome::Skip => s += 1,
                }
            }
        }
        (p, f, e, s)
    }
}

/// Suite files under the paths: files as given, and every `*.yaml`/`*.yml` below directories whose text has
/// `kind: Suite`.
pub fn find_suites(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PolicyError>) {
    fn walk(p: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<PolicyError>) {
        let rd = match std::fs::read_dir(p) {
            Ok(rd) => rd,
            Err(e) => {
                errors.push(PolicyError::file(
                    &p.display().to_string(),
                    PolicyErrorKind::Io,
                    format!("cannot read: {e}"),
                ));
                return;
            }
        };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            if e.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
            {
                continue;
            }
            if e.is_dir() {
                walk(&e, out, errors);
            } else if e
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| x == "yaml" || x == "yml")
                && std::fs::read_to_string(&e).is_ok_and(|t| t.contains("kind: Suite"))
            {
                out.push(e);
            }
        }
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out, &mut errors);
        } else {
            out.push(p.clone());
        }
    }
    (out, errors)
}

fn load_objects(path: &Path) -> Result<Vec<K8sObject>, String> {
    let label = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{label}: cannot read: {e}"))?;
    let (objs, errs) = parse_objects(&label, &bytes);
    if let Some(e) = errs.first() {
        return Err(e.to_string());
    }
    Ok(objs)
}

fn str_field<'a>(n: &'a Node, key: &str) -> Option<&'a str> {
    n.get_str(key)
}

fn skip(n: &Node) -> bool {
    n.get("skip").and_then(Node::as_bool).unwrap_or(false)
}

/// Expected count: `yes` = at least one, `no` = none, a number = exactly that.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Some,
    None,
    Exactly(i64),
}

fn expectation(a: &Node) -> Result<Expect, String> {
    let Some(v) = a.get("violations") else {
        return Ok(Expect::Some);
    };
    match &v.value {
        // YAML 1.1: `yes` / `no` are booleans.
        NodeValue::Bool(true) => Ok(Expect::Some),
        NodeValue::Bool(false) => Ok(Expect::None),
        NodeValue::Str(s) if s.eq_ignore_ascii_case("yes") => Ok(Expect::Some),
        NodeValue::Str(s) if s.eq_ignore_ascii_case("no") => Ok(Expect::None),
        NodeValue::Str(s) => s
            .trim()
            .parse::<i64>()
            .map(Expect::Exactly)
            .map_err(|_| format!("invalid violations '{s}'")),
        _ => v
            .as_i64()
            .map(Expect::Exactly)
            .ok_or_else(|| "invalid violations value".to_string()),
    }
}

fn run_case(set: &PolicySet, dir: &Path, case: &Node) -> Outcome {
    let Some(object) = str_field(case, "object") else {
        return Outcome::Error("case has no object".into());
    };
    let objs = match load_objects(&dir.join(object)) {
        Ok(o) => o,
        Err(e) => return Outcome::Error(e),
    };
    let obj = match objs.as_slice() {
        [one] => one,
        [] => return Outcome::Error(format!("{object}: no Kubernetes object")),
        _ => return Outcome::Error(format!("{object}: {} objects, expected one", objs.len())),
    };
    // gator accepts an AdmissionReview as the case object: its request gives the operation, the old object and
    // the user (for templates that exempt UPDATEs or users); a DELETE reviews the old object.
    let admission = admission_request(obj);
    let reviewed = match &admission {
        Some(Ok(a)) => &a.object,
        Some(Err(e)) => return Outcome::Error(format!("{object}: {e}")),
        None => obj,
    };
    let mut inventory = Inventory::new();
    for inv in case.get("inventory").and_then(Node::as_seq).unwrap_or(&[]) {
        let Some(p) = inv.as_str() else {
            return Outcome::Error("inventory entries must be paths".into());
        };
        match load_objects(&dir.join(p)) {
            Ok(objs) => objs.iter().for_each(|o| inventory.add(o)),
            Err(e) => return Outcome::Error(e),
        }
    }
    let mut review = Review::new(reviewed);
    if let Some(Ok(a)) = &admission {
        review.operation = &a.operation;
        review.old_object = a.old_object.as_ref();
        review.user_info = a.user_info.as_ref();
    }
    let out = set.check(&review, &inventory);
    if let Some(e) = out.errors.first() {
        return Outcome::Error(e.to_string());
    }
    if let Some(n) = out.not_evaluated.first() {
        return Outcome::Error(format!("{} on {}: {}", n.rule, n.scope, n.reason));
    }
    let messages: Vec<&str> = out.findings.iter().map(|f| f.finding.message.as_str()).collect();
    for (i, a) in case
        .get("assertions")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let expect = match expectation(a) {
            Ok(e) => e,
            Err(e) => return Outcome::Error(format!("assertion {}: {e}", i + 1)),
        };
        let count = match a.get_str("message") {
            None => messages.len(),
            Some(m) => match regex::Regex::new(m) {
                Ok(re) => messages.iter().filter(|msg| re.is_match(msg)).count(),
                Err(e) => return Outcome::Error(format!("assertion {}: invalid message regex: {e}", i + 1)),
            },
        };
        let ok = match expect {
            Expect::Some => count > 0,
            Expect::None => count == 0,
            Expect::Exactly(n) => i64::try_from(count).is_ok_and(|c| c == n),
        };
        if !ok {
            let want = match expect {
                Expect::Some => "at least one violation".to_string(),
                Expect::None => "no violation".to_string(),
                Expect::Exactly(n) => format!("{n} violation(s)"),
            };
            let filter = a
                .get_str("message")
                .map(|m| format!(" matching {m:?}"))
                .unwrap_or_default();
            return Outcome::Fail(format!(
                "assertion {}: expected {want}{filter}, got {count}; messages: {messages:?}",
                i + 1
            ));
        }
    }
    Outcome::Pass
}

/// The parts of an AdmissionReview's request a review needs.
struct Admission {
    object: K8sObject,
    operation: String,
    old_object: Option<serde_json::Value>,
    user_info: Option<serde_json::Value>,
}

fn admission_request(obj: &K8sObject) -> Option<Result<Admission, String>> {
    if obj.id.kind != "AdmissionReview" || !obj.id.api_version.starts_with("admission.k8s.io/") {
        return None;
    }
    let Some(request) = obj.root.get("request") else {
        return Some(Err("AdmissionReview without request".into()));
    };
    let operation = request.get_str("operation").unwrap_or("CREATE").to_string();
    let present = |key: &str| request.get(key).filter(|n| !n.is_null());
    let old_object = present("oldObject").map(Node::to_json);
    let user_info = present("userInfo").map(Node::to_json);
    let node = match (present("object"), present("oldObject")) {
        (Some(o), _) => o.clone(),
        (None, Some(old)) => old.clone(),
        (None, None) => return Some(Err("AdmissionReview request without object or oldObject".into())),
    };
    let source = obj.source.clone();
    Some(
        K8sObject::from_node(node, source)
            .map(|object| Admission {
                object,
                operation,
                old_object,
                user_info,
            })
            .ok_or_else(|| "the AdmissionReview's object has no apiVersion and kind".to_string()),
    )
}

fn run_test(dir: &Path, test: &Node) -> TestResult {
    let name = str_field(test, "name").unwrap_or("(unnamed)").to_string();
    let mut result = TestResult {
        name,
        error: None,
        skipped: skip(test),
        cases: Vec::new(),
    };
    if result.skipped {
        return result;
    }
    let mut objects = Vec::new();
    for key in ["template", "constraint"] {
        let Some(p) = str_field(test, key) else {
            result.error = Some(format!("test has no {key}"));
            return result;
        };
        match load_objects(&dir.join(p)) {
            Ok(o) => objects.extend(o),
            Err(e) => {
                result.error = Some(e);
                return result;
            }
        }
    }
    let (set, errors) = PolicySet::from_parts(&objects, &[]);
    let expect_invalid = test.get("invalid").and_then(Node::as_bool).unwrap_or(false);
    if expect_invalid {
        if errors.is_empty() {
            result.error = Some("expected the template or constraint to be invalid, but it loaded".into());
        }
        return result;
    }
    if let Some(e) = errors.first() {
        result.error = Some(e.to_string());
        return result;
    }
    if set.is_empty() {
        result.error = Some("no constraint loaded".into());
        return result;
    }
    for case in test.get("cases").and_then(Node::as_seq).unwrap_or(&[]) {
        let name = str_field(case, "name").unwrap_or("(unnamed)").to_string();
        let outcome = if skip(case) {
            Outcome::Skip
        } else {
            run_case(&set, dir, case)
        };
        result.cases.push(CaseResult { name, outcome });
    }
    result
}

/// Runs one suite file.
pub fn run_suite(path: &Path) -> SuiteResult {
    let file = path.display().to_string();
    let mut result = SuiteResult {
        file: file.clone(),
        error: None,
        tests: Vec::new(),
    };
    let objs = match load_objects(path) {
        Ok(o) => o,
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };
    let Some(suite) = objs
        .iter()
        .find(|o| o.id.kind == "Suite" && o.id.api_version.starts_with("test.gatekeeper.sh/"))
    else {
        result.error = Some(format!(
            "{file}: no Suite (apiVersion test.gatekeeper.sh/v1alpha1, kind Suite)"
        ));
        return result;
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    for test in suite.root.get("tests").and_then(Node::as_seq).unwrap_or(&[]) {
        result.tests.push(run_test(dir, test));
    }
    result
}
