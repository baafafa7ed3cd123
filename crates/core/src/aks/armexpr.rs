//! ARM template expressions (`[parameters('x')]`, `[concat(...)]`, `[resourceId(...)]`, ...), parsed and evaluated
//! against a template's parameters and variables. Deployment-context functions (`resourceGroup()`,
//! `uniqueString(...)`, `subscription()`) give stable placeholder strings, so names built from them still link
//! resources together; `reference(...)` gives a symbolic value naming the resource and property; anything else
//! that depends on the deployment is Unknown with the reason.

use serde_json::Value as Json;

/// Deepest expression nesting parsed or evaluated.
pub const MAX_DEPTH: usize = 64;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum AExpr {
    /// `'text'`.
    Str(String),
    /// An integer literal.
    Num(i64),
    /// `name(args)`.
    Call(String, Vec<AExpr>),
    /// `expr.prop`.
    Prop(Box<AExpr>, String),
    /// `expr[index]`.
    Index(Box<AExpr>, Box<AExpr>),
}

/// An evaluated value.
#[derive(Clone, Debug, PartialEq)]
pub enum AVal {
    /// A known JSON value.
    Json(Json),
    /// A value only known at deployment time, named by a link key (`reference(...)` results:
    /// `<resource key>#<property path>`).
    Sym(String),
    /// Unknown, and why.
    Unknown(String),
}

/// Whether a JSON string is an expression (`[...]`, but not the `[[` escape).
pub fn is_expression(s: &str) -> bool {
    let t = s.trim();
    t.starts_with('[') && t.ends_with(']') && !t.starts_with("[[")
}

/// The literal text of a string that starts with the `[[` escape.
pub fn unescape(s: &str) -> String {
    if s.starts_with("[[") {
        s.get(1..).unwrap_or(s).to_string()
    } else {
        s.to_string()
    }
}

/// Parses the expression inside `[` `]`.
pub fn parse(s: &str) -> Result<AExpr, String> {
    let t = s.trim();
    let inner = t
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .ok_or_else(|| "not an expression".to_string())?;
    let mut p = Parser {
        b: inner.as_bytes(),
        s: inner,
        i: 0,
    };
    let e = p.expr(0)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(format!("unexpected text at offset {} of expression", p.i));
    }
    Ok(e)
}

struct Parser<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn expr(&mut self, depth: usize) -> Result<AExpr, String> {
        if depth > MAX_DEPTH {
            return Err("expression nested too deeply".into());
        }
        self.ws();
        let mut e = match self.b.get(self.i) {
            Some(b'\'') => {
                self.i += 1;
                let mut out = String::new();
                loop {
                    let start = self.i;
                    while matches!(self.b.get(self.i), Some(c) if *c != b'\'') {
                        self.i += 1;
                    }
                    out.push_str(self.s.get(start..self.i).unwrap_or_default());
                    if self.b.get(self.i).is_none() {
                        return Err("unterminated string".into());
                    }
                    self.i += 1;
                    if self.b.get(self.i) == Some(&b'\'') {
                        out.push('\'');
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                AExpr::Str(out)
            }
            Some(c) if c.is_ascii_digit() || *c == b'-' => {
                let start = self.i;
                self.i += 1;
                while matches!(self.b.get(self.i), Some(c) if c.is_ascii_digit()) {
                    self.i += 1;
                }
                let n = self.s.get(start..self.i).unwrap_or_default();
                AExpr::Num(n.parse().map_err(|_| format!("bad number {n}"))?)
            }
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                let name = self.ident();
                self.ws();
                if self.b.get(self.i) != Some(&b'(') {
                    return Err(format!("expected '(' after {name}"));
                }
                self.i += 1;
                let mut args = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b')') {
                    self.i += 1;
                } else {
                    loop {
                        args.push(self.expr(depth + 1)?);
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b')') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(format!("expected ',' or ')' in {name}(...)")),
                        }
                    }
                }
                AExpr::Call(name, args)
            }
            _ => return Err("expected a value".into()),
        };
        loop {
            self.ws();
            match self.b.get(self.i) {
                Some(b'.') => {
                    self.i += 1;
                    self.ws();
                    let name = self.ident();
                    if name.is_empty() {
                        return Err("expected a property name after '.'".into());
                    }
                    e = AExpr::Prop(Box::new(e), name);
                }
                Some(b'[') => {
                    self.i += 1;
                    let ix = self.expr(depth + 1)?;
                    self.ws();
                    if self.b.get(self.i) != Some(&b']') {
                        return Err("expected ']'".into());
                    }
                    self.i += 1;
                    e = AExpr::Index(Box::new(e), Box::new(ix));
                }
                _ => return Ok(e),
            }
        }
    }

    fn ident(&mut self) -> String {
        let start = self.i;
        while matches!(self.b.get(self.i), Some(c) if c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$') {
            self.i += 1;
        }
        self.s.get(start..self.i).unwrap_or_default().to_string()
    }
}

/// What expressions can ask of their template.
pub trait Context {
    /// The value of parameter `name`.
    fn parameter(&self, name: &str, depth: usize) -> AVal;
    /// The value of variable `name`.
    fn variable(&self, name: &str, depth: usize) -> AVal;
    /// The link key of a resource named by a symbolic name (languageVersion 2.0), if any.
    fn symbol(&self, name: &str) -> Option<String>;
}

fn json_str(s: impl Into<String>) -> AVal {
    AVal::Json(Json::String(s.into()))
}

fn as_string(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn truthy(v: &Json) -> Option<bool> {
    match v {
        Json::Bool(b) => Some(*b),
        Json::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Json::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Evaluates an expression.
pub fn eval(e: &AExpr, ctx: &dyn Context, depth: usize) -> AVal {
    if depth > MAX_DEPTH {
        return AVal::Unknown("expression nested too deeply".into());
    }
    let d = depth + 1;
    match e {
        AExpr::Str(s) => json_str(s.clone()),
        AExpr::Num(n) => AVal::Json(Json::from(*n)),
        AExpr::Prop(base, name) => match eval(base, ctx, d) {
            AVal::Json(Json::Object(o)) => match o.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
                Some((_, v)) => AVal::Json(v.clone()),
                None => AVal::Unknown(format!("property {name} is not set")),
            },
            AVal::Json(Json::String(s)) if s.starts_with('{') && s.ends_with('}') => {
                json_str(format!("{}.{name}}}", s.trim_end_matches('}')))
            }
            AVal::Sym(k) => AVal::Sym(append_path(&k, name)),
            AVal::Json(_) => AVal::Unknown(format!("property {name} of a value that is not an object")),
            u @ AVal::Unknown(_) => u,
        },
        AExpr::Index(base, ix) => {
            let b = eval(base, ctx, d);
            let i = eval(ix, ctx, d);
            match (b, i) {
                (AVal::Json(Json::Array(a)), AVal::Json(Json::Number(n))) => n
                    .as_u64()
                    .and_then(|n| a.get(n as usize).cloned())
                    .map_or_else(|| AVal::Unknown("index out of range".into()), AVal::Json),
                (AVal::Json(Json::Object(o)), AVal::Json(Json::String(k))) => {
                    match o.iter().find(|(x, _)| x.eq_ignore_ascii_case(&k)) {
                        Some((_, v)) => AVal::Json(v.clone()),
                        None => AVal::Unknown(format!("property {k} is not set")),
                    }
                }
                (AVal::Sym(k), AVal::Json(j)) => AVal::Sym(append_path(&k, &as_string(&j).unwrap_or_default())),
                (u @ AVal::Unknown(_), _) | (_, u @ AVal::Unknown(_)) => u,
                _ => AVal::Unknown("index of a value that is not a collection".into()),
            }
        }
        AExpr::Call(name, args) => call(&name.to_ascii_lowercase(), args, ctx, d),
    }
}

fn append_path(key: &str, prop: &str) -> String {
    let p = prop.to_ascii_lowercase();
    if let Some(base) = key.strip_suffix("#full") {
        if p == "properties" {
            format!("{base}#")
        } else {
            format!("{base}#full.{p}")
        }
    } else if key.ends_with('#') {
        format!("{key}{p}")
    } else if key.contains('#') {
        format!("{key}.{p}")
    } else {
        format!("{key}#{p}")
    }
}

/// The link key of a resource ID string (full, or relative `Microsoft.X/type/name`).
pub fn id_key(id: &str) -> Option<String> {
    if let Some(k) = super::model::link_key_for_id(id) {
        return Some(k);
    }
    let t = id.trim().trim_start_matches('/');
    if t.to_ascii_lowercase().starts_with("microsoft.") && t.split('/').count() >= 3 {
        return Some(format!("id:{}", t.to_ascii_lowercase()));
    }
    None
}

/// `resourceId([subscriptionId], [resourceGroupName], type, name1, name2, ...)`.
fn resource_id(parts: &[String]) -> Option<String> {
    let ti = parts.iter().position(|p| p.contains('/') && p.contains('.'))?;
    let typ = parts.get(ti)?;
    let names = parts.get(ti + 1..)?;
    let mut segs = typ.split('/');
    let ns = segs.next()?;
    let types: Vec<&str> = segs.collect();
    let mut s = format!("/subscriptions/{{subscription}}/resourceGroups/{{resourceGroup}}/providers/{ns}");
    for (i, t) in types.iter().enumerate() {
        s.push('/');
        s.push_str(t);
        s.push('/');
        s.push_str(names.get(i)?);
    }
    Some(s)
}

fn call(name: &str, args: &[AExpr], ctx: &dyn Context, d: usize) -> AVal {
    // Lazy functions first.
    match name {
        "if" => {
            let c = args.first().map(|a| eval(a, ctx, d));
            return match c {
                Some(AVal::Json(j)) => match truthy(&j) {
                    Some(true) => args.get(1).map_or(AVal::Json(Json::Null), |a| eval(a, ctx, d)),
                    Some(false) => args.get(2).map_or(AVal::Json(Json::Null), |a| eval(a, ctx, d)),
                    None => AVal::Unknown("if() condition is not a boolean".into()),
                },
                Some(AVal::Unknown(r)) => {
                    let (a, b) = (
                        args.get(1).map(|a| eval(a, ctx, d)),
                        args.get(2).map(|a| eval(a, ctx, d)),
                    );
                    match (a, b) {
                        (Some(AVal::Json(x)), Some(AVal::Json(y))) if x == y => AVal::Json(x),
                        _ => AVal::Unknown(format!("if() condition is not known ({r})")),
                    }
                }
                _ => AVal::Unknown("if() condition is not known".into()),
            };
        }
        "parameters" | "variables" => {
            let n = match args.first().map(|a| eval(a, ctx, d)) {
                Some(AVal::Json(Json::String(s))) => s,
                _ => return AVal::Unknown(format!("{name}() with a name that is not known")),
            };
            return if name == "parameters" {
                ctx.parameter(&n, d)
            } else {
                ctx.variable(&n, d)
            };
        }
        "resourcegroup" | "subscription" | "tenant" | "deployment" | "environment" | "managementgroup" => {
            return json_str(format!("{{{name}()}}"));
        }
        "uniquestring" | "guid" | "newguid" | "utcnow" | "copyindex" => {
            let parts: Vec<String> = args
                .iter()
                .map(|a| match eval(a, ctx, d) {
                    AVal::Json(j) => as_string(&j).unwrap_or_else(|| j.to_string()),
                    AVal::Sym(s) => s,
                    AVal::Unknown(_) => "?".into(),
                })
                .collect();
            return json_str(format!("{{{name}({})}}", parts.join(",")));
        }
        "reference" | "resourceinfo" => {
            let target = match args.first().map(|a| eval(a, ctx, d)) {
                Some(AVal::Json(Json::String(s))) => s,
                _ => return AVal::Unknown(format!("{name}() of a resource that is not known")),
            };
            let key = ctx.symbol(&target).or_else(|| id_key(&target));
            return match key {
                Some(k) if name == "resourceinfo" => AVal::Json(serde_json::json!({ "id": k })),
                Some(k) => {
                    // `reference(x, api, 'full')` returns the whole resource; normalise to the properties path.
                    let full = args
                        .get(2)
                        .map(|a| eval(a, ctx, d))
                        .is_some_and(|v| v == json_str("full") || v == json_str("Full"));
                    AVal::Sym(if full { format!("{k}#full") } else { k })
                }
                None => AVal::Unknown(format!("reference('{target}') is only known at deployment")),
            };
        }
        "listkeys" | "listsecrets" | "list" | "pickzones" | "providers" => {
            return AVal::Unknown(format!("{name}() is only known at deployment"));
        }
        _ => {}
    }
    let vals: Vec<AVal> = args.iter().map(|a| eval(a, ctx, d)).collect();
    if let Some(u) = vals.iter().find(|v| !matches!(v, AVal::Json(_))) {
        return match u {
            AVal::Sym(s) => match name {
                // A symbolic reference keeps its identity through string conversions.
                "string" | "tolower" | "toupper" => AVal::Sym(s.clone()),
                _ => AVal::Unknown(format!("{name}() of a value only known at deployment")),
            },
            other => other.clone(),
        };
    }
    let j: Vec<Json> = vals
        .into_iter()
        .filter_map(|v| match v {
            AVal::Json(j) => Some(j),
            _ => None,
        })
        .collect();
    let s = |i: usize| j.get(i).and_then(as_string);
    let out: Option<Json> = match name {
        "concat" => {
            if j.iter().all(|x| x.is_array()) {
                Some(Json::Array(
                    j.iter()
                        .flat_map(|x| x.as_array().cloned().unwrap_or_default())
                        .collect(),
                ))
            } else {
                j.iter()
                    .map(as_string)
                    .collect::<Option<Vec<_>>>()
                    .map(|v| Json::String(v.concat()))
            }
        }
        "format" => s(0).map(|f| {
            let mut out = f.clone();
            for (i, a) in j.iter().skip(1).enumerate() {
                let v = as_string(a).unwrap_or_else(|| a.to_string());
                out = out.replace(&format!("{{{i}}}"), &v);
            }
            Json::String(out)
        }),
        "resourceid" | "subscriptionresourceid" | "tenantresourceid" => j
            .iter()
            .map(as_string)
            .collect::<Option<Vec<_>>>()
            .and_then(|p| resource_id(&p))
            .map(Json::String),
        "extensionresourceid" => {
            let parts: Option<Vec<String>> = j.iter().map(as_string).collect();
            parts.and_then(|p| {
                let (scope, rest) = p.split_first()?;
                let rid = resource_id(rest)?;
                let tail = rid.split_once("/providers/").map(|x| x.1)?.to_string();
                Some(Json::String(format!(
                    "{}/providers/{tail}",
                    scope.trim_end_matches('/')
                )))
            })
        }
        "tolower" => s(0).map(|x| Json::String(x.to_lowercase())),
        "toupper" => s(0).map(|x| Json::String(x.to_uppercase())),
        "trim" => s(0).map(|x| Json::String(x.trim().to_string())),
        "string" => j
            .first()
            .map(|x| Json::String(as_string(x).unwrap_or_else(|| x.to_string()))),
        "bool" => j.first().and_then(truthy).map(Json::Bool),
        "int" => j
            .first()
            .and_then(|x| x.as_i64().or_else(|| as_string(x)?.parse().ok()))
            .map(Json::from),
        "equals" => match (j.first(), j.get(1)) {
            (Some(a), Some(b)) => Some(Json::Bool(a == b)),
            _ => None,
        },
        "not" => j.first().and_then(truthy).map(|b| Json::Bool(!b)),
        "and" | "or" => j.iter().map(truthy).collect::<Option<Vec<bool>>>().map(|v| {
            Json::Bool(if name == "and" {
                v.iter().all(|b| *b)
            } else {
                v.iter().any(|b| *b)
            })
        }),
        "true" => Some(Json::Bool(true)),
        "false" => Some(Json::Bool(false)),
        "null" => Some(Json::Null),
        "empty" => j.first().map(|x| {
            Json::Bool(match x {
                Json::Null => true,
                Json::String(s) => s.is_empty(),
                Json::Array(a) => a.is_empty(),
                Json::Object(o) => o.is_empty(),
                _ => false,
            })
        }),
        "length" => j.first().and_then(|x| match x {
            Json::String(s) => Some(Json::from(s.chars().count())),
            Json::Array(a) => Some(Json::from(a.len())),
            Json::Object(o) => Some(Json::from(o.len())),
            _ => None,
        }),
        "createarray" => Some(Json::Array(j.clone())),
        "createobject" => {
            let mut o = serde_json::Map::new();
            for pair in j.chunks(2) {
                if let (Some(k), Some(v)) = (pair.first().and_then(as_string), pair.get(1)) {
                    o.insert(k, v.clone());
                }
            }
            Some(Json::Object(o))
        }
        "union" => {
            if j.iter().all(|x| x.is_object()) {
                let mut o = serde_json::Map::new();
                for x in &j {
                    if let Some(m) = x.as_object() {
                        for (k, v) in m {
                            o.insert(k.clone(), v.clone());
                        }
                    }
                }
                Some(Json::Object(o))
            } else {
                let mut out: Vec<Json> = Vec::new();
                for x in j.iter().flat_map(|x| x.as_array().cloned().unwrap_or_default()) {
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
                Some(Json::Array(out))
            }
        }
        "coalesce" => j.iter().find(|x| !x.is_null()).cloned().or(Some(Json::Null)),
        "contains" => match (j.first(), j.get(1)) {
            (Some(Json::Array(a)), Some(v)) => Some(Json::Bool(a.contains(v))),
            (Some(Json::String(h)), Some(v)) => {
                as_string(v).map(|n| Json::Bool(h.to_lowercase().contains(&n.to_lowercase())))
            }
            (Some(Json::Object(o)), Some(v)) => {
                as_string(v).map(|k| Json::Bool(o.keys().any(|x| x.eq_ignore_ascii_case(&k))))
            }
            _ => None,
        },
        "first" => j.first().and_then(|x| match x {
            Json::Array(a) => a.first().cloned(),
            Json::String(s) => s.chars().next().map(|c| Json::String(c.to_string())),
            _ => None,
        }),
        "last" => j.first().and_then(|x| match x {
            Json::Array(a) => a.last().cloned(),
            Json::String(s) => s.chars().last().map(|c| Json::String(c.to_string())),
            _ => None,
        }),
        "split" => match (s(0), s(1)) {
            (Some(x), Some(sep)) if !sep.is_empty() => Some(Json::Array(
                x.split(sep.as_str()).map(|p| Json::String(p.to_string())).collect(),
            )),
            _ => None,
        },
        "replace" => match (s(0), s(1), s(2)) {
            (Some(x), Some(a), Some(b)) => Some(Json::String(x.replace(&a, &b))),
            _ => None,
        },
        "startswith" => match (s(0), s(1)) {
            (Some(x), Some(p)) => Some(Json::Bool(x.to_lowercase().starts_with(&p.to_lowercase()))),
            _ => None,
        },
        "endswith" => match (s(0), s(1)) {
            (Some(x), Some(p)) => Some(Json::Bool(x.to_lowercase().ends_with(&p.to_lowercase()))),
            _ => None,
        },
        "json" => s(0).and_then(|x| serde_json::from_str(&x).ok()),
        "last_index_of" => None,
        _ => return AVal::Unknown(format!("function {name}() is not evaluated")),
    };
    out.map_or_else(
        || AVal::Unknown(format!("{name}() with unexpected arguments")),
        AVal::Json,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ctx;
    impl Context for Ctx {
        fn parameter(&self, name: &str, _: usize) -> AVal {
            match name {
                "name" => json_str("aks1"),
                "on" => AVal::Json(Json::Bool(true)),
                _ => AVal::Unknown(format!("parameter {name}")),
            }
        }
        fn variable(&self, name: &str, _: usize) -> AVal {
            AVal::Unknown(format!("variable {name}"))
        }
        fn symbol(&self, _: &str) -> Option<String> {
            None
        }
    }

    fn ev(s: &str) -> AVal {
        eval(&parse(s).unwrap(), &Ctx, 0)
    }

    #[test]
    fn evaluates_common_forms() {
        assert_eq!(ev("[parameters('name')]"), json_str("aks1"));
        assert_eq!(ev("[concat('a-', parameters('name'))]"), json_str("a-aks1"));
        assert_eq!(ev("[format('{0}-{1}', 'x', 2)]"), json_str("x-2"));
        assert_eq!(ev("[if(parameters('on'), 'yes', 'no')]"), json_str("yes"));
        assert_eq!(
            ev("[not(equals(parameters('name'), 'aks1'))]"),
            AVal::Json(Json::Bool(false))
        );
        assert_eq!(ev("[createArray('a', 'b')[1]]"), json_str("b"));
        assert_eq!(ev("['it''s']"), json_str("it's"));
        assert!(matches!(ev("[parameters('missing')]"), AVal::Unknown(_)));
        let id = ev("[resourceId('Microsoft.ContainerService/managedClusters', parameters('name'))]");
        let AVal::Json(Json::String(id)) = id else { panic!() };
        assert_eq!(
            id_key(&id).as_deref(),
            Some("id:microsoft.containerservice/managedclusters/aks1")
        );
        let r = ev("[reference(resourceId('Microsoft.ContainerService/managedClusters', 'c'), '2024-01-01').identityProfile.kubeletidentity.objectId]");
        assert_eq!(
            r,
            AVal::Sym(
                "id:microsoft.containerservice/managedclusters/c#identityprofile.kubeletidentity.objectid".into()
            )
        );
        assert!(parse("[concat('a'").is_err());
    }
}
