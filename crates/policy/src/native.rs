//! Palisade's own Rego policies: a package with `deny` (a set of messages) and a `metadata` object giving the
//! ID, title, severity and remediation. Documented in docs/policies.md.

use crate::convert::{get, value_to_json};
use crate::error::{PolicyError, PolicyErrorKind};
use crate::program::{Module, Program};
use palisade_core::Severity;

/// A loaded Palisade policy.
#[derive(Clone, Debug)]
pub struct NativePolicy {
    /// `metadata.id`: the finding ID.
    pub id: String,
    /// `metadata.name` (kebab-case), or the last package component.
    pub name: String,
    /// `metadata.title`.
    pub title: String,
    /// `metadata.severity` (default `high`).
    pub severity: Severity,
    /// `metadata.remediation` (default: the title).
    pub remediation: String,
    /// `metadata.kinds`: only objects of these kinds are checked (empty = every object).
    pub kinds: Vec<String>,
    /// The compiled program (entry rule `deny`).
    pub program: Program,
    /// The policy file.
    pub file: String,
}

/// What a `.rego` file turned out to be.
#[derive(Debug)]
pub enum RegoFile {
    /// A policy: it declares `deny`.
    Policy(Module),
    /// A library: no `deny` rule; added to every policy.
    Library(Module),
}

/// Reads a `.rego` file as Rego v1 or, failing that, v0, and tells a policy from a library.
pub fn classify(file: &str, source: &str) -> Result<RegoFile, PolicyError> {
    let source = crate::rewrite::rewrite(source);
    let mut first_error = None;
    for v0 in [false, true] {
        let mut engine = regorus::Engine::new();
        crate::compat::add_deprecated_builtins(&mut engine);
        engine.set_rego_v0(v0);
        match engine.add_policy(file.to_string(), source.clone()) {
            Ok(_) => {
                let module = Module {
                    name: file.to_string(),
                    source,
                    v0,
                };
                let is_policy = engine.has_declared_rule_rooted_at(file, "deny").unwrap_or(false);
                return Ok(if is_policy {
                    RegoFile::Policy(module)
                } else {
                    RegoFile::Library(module)
                });
            }
            Err(e) => {
                first_error.get_or_insert_with(|| e.to_string());
            }
        }
    }
    Err(PolicyError::file(
        file,
        PolicyErrorKind::Compile,
        first_error.unwrap_or_else(|| "cannot parse".into()),
    ))
}

fn meta_str(meta: &regorus::Value, key: &str) -> Option<String> {
    get(meta, key).and_then(|v| v.as_string().ok()).map(|s| s.to_string())
}

/// Compiles a policy module with the libraries and reads its metadata.
pub fn compile(main: &Module, libs: &[Module]) -> Result<NativePolicy, PolicyError> {
    let file = main.name.clone();
    let program = Program::compile(&file, main, libs, "deny")?;
    let bad = |m: String| PolicyError::file(&file, PolicyErrorKind::Invalid, m);
    let meta = program
        .eval_sibling("metadata")
        .map_err(|e| bad(format!("cannot evaluate `metadata`: {e}")))?;
    if meta.as_object().is_err() {
        return Err(bad(
            "a policy needs a `metadata` object with at least `id` and `title` (see docs/policies.md)".into(),
        ));
    }
    let id = meta_str(&meta, "id").filter(|s| !s.trim().is_empty() && !s.contains(char::is_whitespace));
    let Some(id) = id else {
        return Err(bad("metadata.id is missing or not a string without spaces".into()));
    };
    let title = meta_str(&meta, "title").ok_or_else(|| bad(format!("{id}: metadata.title is missing")))?;
    let severity = match meta_str(&meta, "severity") {
        None => Severity::High,
        Some(s) => s
            .parse::<Severity>()
            .map_err(|e| bad(format!("{id}: metadata.severity: {e}")))?,
    };
    let name = meta_str(&meta, "name").unwrap_or_else(|| {
        let pkg = program.entry.trim_end_matches(".deny");
        pkg.rsplit('.').next().unwrap_or(pkg).replace('_', "-")
    });
    let kinds = match get(&meta, "kinds").map(value_to_json) {
        None | Some(None) => Vec::new(),
        Some(Some(serde_json::Value::Array(a))) => a.iter().filter_map(|k| k.as_str().map(str::to_string)).collect(),
        Some(Some(_)) => return Err(bad(format!("{id}: metadata.kinds must be a list of kinds"))),
    };
    Ok(NativePolicy {
        remediation: meta_str(&meta, "remediation").unwrap_or_else(|| title.clone()),
        id,
        name,
        title,
        severity,
        kinds,
        program,
        file,
    })
}
