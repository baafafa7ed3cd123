//! OPA builtins that OPA deprecated but still runs for Rego v0 modules, and that older Gatekeeper library
//! templates call (`any`, `all`, `re_match`, `set_diff`, `cast_*`). regorus does not implement them; they are
//! added to every engine as extensions. As in OPA's non-strict mode, a call with arguments of the wrong type is
//! undefined rather than an error.

use regorus::{Engine, Value};
use std::collections::BTreeSet;

type Ext = fn(&[Value]) -> Value;

fn items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::Array(a) => Some(a.iter().cloned().collect()),
        Value::Set(s) => Some(s.iter().cloned().collect()),
        _ => None,
    }
}

fn any(args: &[Value]) -> Value {
    match args.first().and_then(items) {
        Some(xs) => Value::from(xs.iter().any(|x| *x == Value::from(true))),
        None => Value::Undefined,
    }
}

fn all(args: &[Value]) -> Value {
    match args.first().and_then(items) {
        Some(xs) => Value::from(xs.iter().all(|x| *x == Value::from(true))),
        None => Value::Undefined,
    }
}

fn re_match(args: &[Value]) -> Value {
    let (Some(Value::String(p)), Some(Value::String(v))) = (args.first(), args.get(1)) else {
        return Value::Undefined;
    };
    match regex::Regex::new(p) {
        Ok(re) => Value::from(re.is_match(v)),
        Err(_) => Value::Undefined,
    }
}

fn set_diff(args: &[Value]) -> Value {
    match (args.first(), args.get(1)) {
        (Some(Value::Set(a)), Some(Value::Set(b))) => Value::from(
            a.iter()
                .filter(|x| !b.contains(x))
                .cloned()
                .collect::<BTreeSet<Value>>(),
        ),
        _ => Value::Undefined,
    }
}

fn cast_array(args: &[Value]) -> Value {
    match args.first().and_then(items) {
        Some(xs) => Value::from(xs),
        None => Value::Undefined,
    }
}

fn cast_set(args: &[Value]) -> Value {
    match args.first().and_then(items) {
        Some(xs) => Value::from(xs.into_iter().collect::<BTreeSet<Value>>()),
        None => Value::Undefined,
    }
}

fn cast_same(args: &[Value], ok: fn(&Value) -> bool) -> Value {
    match args.first() {
        Some(v) if ok(v) => v.clone(),
        _ => Value::Undefined,
    }
}

fn cast_string(args: &[Value]) -> Value {
    cast_same(args, |v| matches!(v, Value::String(_)))
}

fn cast_boolean(args: &[Value]) -> Value {
    cast_same(args, |v| matches!(v, Value::Bool(_)))
}

fn cast_null(args: &[Value]) -> Value {
    cast_same(args, |v| matches!(v, Value::Null))
}

fn cast_object(args: &[Value]) -> Value {
    cast_same(args, |v| matches!(v, Value::Object(_)))
}

const EXTENSIONS: &[(&str, u8, Ext)] = &[
    ("any", 1, any),
    ("all", 1, all),
    ("re_match", 2, re_match),
    ("set_diff", 2, set_diff),
    ("cast_array", 1, cast_array),
    ("cast_set", 1, cast_set),
    ("cast_string", 1, cast_string),
    ("cast_boolean", 1, cast_boolean),
    ("cast_null", 1, cast_null),
    ("cast_object", 1, cast_object),
];

/// Adds the deprecated builtins to an engine (before its policies are added). A name regorus already knows is
/// left to regorus.
pub fn add_deprecated_builtins(engine: &mut Engine) {
    for (name, nargs, f) in EXTENSIONS {
        let f = *f;
        let ext = move |args: Vec<Value>| -> anyhow::Result<Value> { Ok(f(&args)) };
        let _ = engine.add_extension((*name).to_string(), *nargs, Box::new(ext));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(src: &str) -> Value {
        let mut e = Engine::new();
        e.set_rego_v0(true);
        add_deprecated_builtins(&mut e);
        e.add_policy("t.rego".into(), src.into()).unwrap();
        e.eval_rule("data.t.x".into()).unwrap()
    }

    #[test]
    fn deprecated_builtins_behave_as_in_opa() {
        assert_eq!(eval("package t\nx = any([false, true])"), Value::from(true));
        assert_eq!(eval("package t\nx = any([])"), Value::from(false));
        assert_eq!(eval("package t\nx = all([true, false])"), Value::from(false));
        assert_eq!(eval("package t\nx = all(set())"), Value::from(true));
        assert_eq!(eval("package t\nx = re_match(\"^a+$\", \"aaa\")"), Value::from(true));
        assert_eq!(
            eval("package t\nx = count(set_diff({1, 2, 3}, {2}))"),
            Value::from(2u64)
        );
        assert_eq!(
            eval("package t\nx = cast_set([1, 1, 2])"),
            eval("package t\nx = {1, 2}")
        );
        assert_eq!(
            eval("package t\nx { not any(5) }"),
            Value::from(true),
            "wrong type: undefined"
        );
    }

    #[test]
    fn walk_and_graph_reachable_are_available() {
        // OPA's relation form `walk(x, [path, value])`, used by generic "find this field anywhere" policies;
        // regorus has it only with its "graph" feature.
        assert_eq!(
            eval("package t\nx = {concat(\".\", p) | walk({\"a\": {\"b\": 1}}, [p, v]); v == 1}"),
            eval("package t\nx = {\"a.b\"}")
        );
        assert_eq!(
            eval("package t\nx = graph.reachable({\"r\": [\"s\"], \"s\": [\"t\"], \"t\": [], \"u\": []}, [\"r\"])"),
            eval("package t\nx = {\"r\", \"s\", \"t\"}")
        );
    }
}
