//! A compiled Rego program (a template with its libs, or a Palisade policy with the shared libraries) and its
//! bounded evaluation.
//!
//! Regorus parses and analyses the modules once; every evaluation then works on a clone of a prepared engine.
//! Clones are pooled so that parallel evaluations neither share an engine nor clone one per call. Each
//! evaluation runs under regorus' cooperative execution timer; a program that exceeds it is disabled for the
//! rest of the run (one error, never a stalled scan).

use crate::error::{PolicyError, PolicyErrorKind};
use regorus::utils::limits::{ExecutionTimerConfig, LimitError};
use regorus::{Engine, Value};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// One Rego source module.
#[derive(Clone, Debug)]
pub struct Module {
    /// Name shown in error messages (`template.yaml#k8srequiredlabels`, `policies/no-latest.rego`).
    pub name: String,
    /// Rego text (already rewritten, see [`crate::rewrite`]).
    pub source: String,
    /// Parse as Rego v0 (Gatekeeper's `rego` field) rather than v1.
    pub v0: bool,
}

/// Modules compiled together, with the rule to evaluate.
#[derive(Clone, Debug)]
pub struct Program {
    engine: Engine,
    /// Rule evaluated for each review, e.g. `data.k8srequiredlabels.violation`.
    pub entry: String,
    /// Whether the modules read `data.inventory`.
    pub uses_inventory: bool,
}

/// Why an evaluation produced no result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalFailure {
    /// A Rego runtime error.
    Error(String),
    /// The execution timer fired; the program is now disabled.
    Limit(String),
    /// The program was disabled by an earlier limit error.
    Disabled,
}

impl Program {
    /// Parses `main` (whose package holds `entry_rule`) and `libs`.
    pub fn compile(file: &str, main: &Module, libs: &[Module], entry_rule: &str) -> Result<Program, PolicyError> {
        let mut engine = Engine::new();
        crate::compat::add_deprecated_builtins(&mut engine);
        engine.set_rego_v0(main.v0);
        let compile_err =
            |m: &Module, e: String| PolicyError::file(file, PolicyErrorKind::Compile, format!("{}: {e}", m.name));
        let package = engine
            .add_policy(main.name.clone(), main.source.clone())
            .map_err(|e| compile_err(main, e.to_string()))?;
        for lib in libs {
            engine.set_rego_v0(lib.v0);
            engine
                .add_policy(lib.name.clone(), lib.source.clone())
                .map_err(|e| compile_err(lib, e.to_string()))?;
        }
        let declared = engine
            .has_declared_rule_rooted_at(&main.name, entry_rule)
            .unwrap_or(false);
        if !declared {
            return Err(PolicyError::file(
                file,
                PolicyErrorKind::Invalid,
                format!(
                    "{}: package {} declares no `{entry_rule}` rule",
                    main.name,
                    package.trim_start_matches("data.")
                ),
            ));
        }
        let uses_inventory = std::iter::once(main)
            .chain(libs)
            .any(|m| m.source.contains("data.inventory") || m.source.contains("data[\"inventory\"]"));
        let mut program = Program {
            engine,
            entry: format!("{package}.{entry_rule}"),
            uses_inventory,
        };
        // Analysis errors (unsafe variables, recursion, unknown functions) surface on the first evaluation: probe
        // with an empty input, briefly (the probe's own result and runtime errors do not matter).
        program.engine.set_input(Value::new_object());
        program.engine.set_execution_timer_config(timer(PROBE_LIMIT));
        if let Err(e) = program.engine.eval_rule(program.entry.clone()) {
            let msg = e.to_string();
            if !is_runtime_error(&msg) {
                return Err(compile_err(main, msg));
            }
        }
        Ok(program)
    }

    /// Evaluates another rule of the program's package with an empty input (policy metadata).
    pub fn eval_sibling(&self, rule: &str) -> Result<Value, String> {
        let mut engine = self.engine.clone();
        let path = match self.entry.rsplit_once('.') {
            Some((pkg, _)) => format!("{pkg}.{rule}"),
            None => return Err("no package".into()),
        };
        engine.set_input(Value::new_object());
        engine.eval_rule(path).map_err(|e| e.to_string())
    }

    /// A prepared evaluator over `inventory` (`data.inventory`), time-limited to `limit` per evaluation.
    pub fn prepare(&self, inventory: Option<&Value>, limit: Duration) -> Result<Prepared, String> {
        let mut proto = self.engine.clone();
        if let (true, Some(inv)) = (self.uses_inventory, inventory) {
            let mut data = std::collections::BTreeMap::new();
            data.insert(Value::from("inventory"), inv.clone());
            proto.add_data(Value::from(data)).map_err(|e| e.to_string())?;
        }
        // Prepare (analyse, hoist) once, so that clones start prepared; the warm-up's result does not matter.
        proto.set_execution_timer_config(timer(PROBE_LIMIT));
        proto.set_input(Value::new_object());
        let _ = proto.eval_rule(self.entry.clone());
        proto.set_execution_timer_config(timer(limit));
        Ok(Prepared {
            proto,
            entry: self.entry.clone(),
            pool: Mutex::new(Vec::new()),
        })
    }
}

/// Time given to the evaluations with an empty input that prepare a program.
const PROBE_LIMIT: Duration = Duration::from_millis(50);

fn timer(limit: Duration) -> ExecutionTimerConfig {
    ExecutionTimerConfig {
        limit,
        check_interval: NonZeroU32::MIN,
    }
}

/// Errors that depend on the input rather than on the program (so a compile-time probe may ignore them).
fn is_runtime_error(msg: &str) -> bool {
    msg.contains("exceeded time limit")
        || !(msg.contains("not a valid rule path")
            || msg.contains("unknown function")
            || msg.contains("var") && msg.contains("unsafe")
            || msg.contains("recursion"))
}

/// A program ready to evaluate, with a pool of engines. Shared by every evaluator over the same data.
#[derive(Debug)]
pub struct Prepared {
    proto: Engine,
    entry: String,
    pool: Mutex<Vec<Engine>>,
}

impl Prepared {
    /// Evaluates the entry rule for one input (`Value::Undefined` when the rule is undefined). `disabled` is the
    /// caller's switch for this program: set by the first limit error, after which evaluations are skipped.
    pub fn eval(&self, input: Value, disabled: &AtomicBool) -> Result<Value, EvalFailure> {
        if disabled.load(Ordering::Relaxed) {
            return Err(EvalFailure::Disabled);
        }
        let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut engine = taken.unwrap_or_else(|| self.proto.clone());
        engine.set_input(input);
        match engine.eval_rule(self.entry.clone()) {
            Ok(v) => {
                if let Ok(mut p) = self.pool.lock() {
                    p.push(engine);
                }
                Ok(v)
            }
            Err(e) => {
                let limit = e.downcast_ref::<LimitError>().is_some() || e.to_string().contains("exceeded time limit");
                if limit {
                    // Only the first thread to disable the program reports it.
                    if disabled.swap(true, Ordering::Relaxed) {
                        return Err(EvalFailure::Disabled);
                    }
                    return Err(EvalFailure::Limit(e.to_string()));
                }
                Err(EvalFailure::Error(e.to_string()))
            }
        }
    }
}
