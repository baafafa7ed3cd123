//! Static evaluation of Terraform modules: variables (defaults and `.tfvars`), locals, literals, operators,
//! conditionals, `for` expressions, `dynamic` blocks and the common built-in functions. References to other
//! resources stay symbolic ([`TfVal::Ref`]) so resources can be linked; anything else that cannot be known before
//! apply (data sources, module outputs, `each`, unsupported functions) is [`TfVal::Unknown`] with the reason.

use super::hcl::{fmt_num, UnaryOp};
use super::hcl::{BinaryOp, Body, Expr, ExprKind, ObjKey, TemplatePart, TfFile, TfFileKind, TfNode, TfVal, TravOp};
use crate::node::Pos;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Deepest expression nesting evaluated (the reader bounds nesting too; this keeps the stack small).
const MAX_DEPTH: usize = 96;

/// A resource block of a module, evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct TfResource {
    /// Module directory (the file's parent path); link keys are qualified with it.
    pub module: String,
    /// Resource type (`azurerm_kubernetes_cluster`).
    pub typ: String,
    /// Resource name label.
    pub name: String,
    /// File label.
    pub file: Arc<str>,
    /// Document index (1 for HCL).
    pub document: usize,
    /// Where the block starts.
    pub pos: Pos,
    /// JSON pointer prefix for this resource's arguments.
    pub pointer: String,
    /// The evaluated body (a map; nested blocks are lists of maps).
    pub body: TfNode,
    /// Per argument: the resources its expression references (plan JSON `configuration`), for linking when
    /// values are unknown.
    pub references: HashMap<String, Vec<String>>,
}

impl TfResource {
    /// `type.name`.
    pub fn address(&self) -> String {
        format!("{}.{}", self.typ, self.name)
    }
}

/// The module directory of a file label.
pub fn module_dir(file: &str) -> String {
    match file.rfind(['/', '\\']) {
        Some(i) => file.get(..i).unwrap_or_default().to_string(),
        None => String::new(),
    }
}

fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

/// Evaluates every module (files grouped by directory) and returns its resources.
pub fn evaluate(files: &[TfFile]) -> Vec<TfResource> {
    let mut by_dir: BTreeMap<String, Vec<&TfFile>> = BTreeMap::new();
    for f in files {
        by_dir.entry(module_dir(&f.file)).or_default().push(f);
    }
    let mut out = Vec::new();
    for (dir, files) in by_dir {
        let module = Module::new(dir, &files);
        module.resources(&files, &mut out);
    }
    out
}

struct Module<'a> {
    dir: String,
    var_defaults: HashMap<&'a str, Option<&'a Expr>>,
    var_values: HashMap<String, &'a Expr>,
    locals: HashMap<&'a str, &'a Expr>,
    local_cache: RefCell<HashMap<String, TfVal>>,
    var_cache: RefCell<HashMap<String, TfVal>>,
    in_progress: RefCell<HashSet<String>>,
}

/// Order in which Terraform applies variable files: `terraform.tfvars`, then `*.auto.tfvars` (lexical), then
/// other `.tfvars` files (which Terraform only reads with `-var-file`; Palisade applies them when they are
/// scanned, in lexical order, as if passed in that order).
fn tfvars_rank(file: &str) -> (u8, String) {
    let name = base_name(file);
    let rank = if name == "terraform.tfvars" {
        0
    } else if name.ends_with(".auto.tfvars") {
        1
    } else {
        2
    };
    (rank, name.to_string())
}

impl<'a> Module<'a> {
    fn new(dir: String, files: &[&'a TfFile]) -> Self {
        let mut var_defaults = HashMap::new();
        let mut locals = HashMap::new();
        let mut var_values = HashMap::new();
        for f in files.iter().filter(|f| f.kind == TfFileKind::Config) {
            for b in &f.body.blocks {
                match b.ident.as_str() {
                    "variable" => {
                        if let Some(name) = b.labels.first() {
                            var_defaults.insert(name.as_str(), b.body.attr("default").map(|a| &a.expr));
                        }
                    }
                    "locals" => {
                        for a in &b.body.attrs {
                            locals.insert(a.name.as_str(), &a.expr);
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut vars_files: Vec<&&TfFile> = files.iter().filter(|f| f.kind == TfFileKind::Vars).collect();
        vars_files.sort_by_key(|f| tfvars_rank(&f.file));
        for f in vars_files {
            for a in &f.body.attrs {
                var_values.insert(a.name.clone(), &a.expr);
            }
        }
        Self {
            dir,
            var_defaults,
            var_values,
            locals,
            local_cache: RefCell::default(),
            var_cache: RefCell::default(),
            in_progress: RefCell::default(),
        }
    }

    fn resources(&self, files: &[&TfFile], out: &mut Vec<TfResource>) {
        for f in files.iter().filter(|f| f.kind == TfFileKind::Config) {
            for b in f.body.blocks.iter().filter(|b| b.ident == "resource") {
                let (Some(typ), Some(name)) = (b.labels.first(), b.labels.get(1)) else {
                    continue;
                };
                let mut env = Env::default();
                if let Some(count) = b.body.attr("count") {
                    match self.eval(&count.expr, &mut env, 0).as_num() {
                        Some(n) if n < 1.0 => continue,
                        Some(_) => env.bind("count", map_val(count.pos, vec![("index", TfVal::Num(0.0))])),
                        None => env.bind(
                            "count",
                            map_val(count.pos, vec![("index", TfVal::Unknown("count.index".into()))]),
                        ),
                    }
                }
                if let Some(fe) = b.body.attr("for_each") {
                    let coll = self.eval(&fe.expr, &mut env, 0);
                    let empty = match &coll {
                        TfVal::List(l) => l.is_empty(),
                        TfVal::Map(m) => m.is_empty(),
                        _ => false,
                    };
                    if empty {
                        continue;
                    }
                    let why = TfVal::Unknown(format!("{typ}.{name} uses for_each; each.* is not evaluated"));
                    env.bind("each", map_val(fe.pos, vec![("key", why.clone()), ("value", why)]));
                }
                let body = self.eval_body(&b.body, &mut env, b.pos, 0);
                out.push(TfResource {
                    module: self.dir.clone(),
                    typ: typ.clone(),
                    name: name.clone(),
                    file: Arc::clone(&f.file),
                    document: 1,
                    pos: b.pos,
                    pointer: format!("/resource/{typ}/{name}"),
                    body,
                    references: HashMap::new(),
                });
            }
        }
    }

    fn eval_body(&self, body: &Body, env: &mut Env, pos: Pos, depth: usize) -> TfNode {
        let mut entries: Vec<(String, TfNode)> = Vec::with_capacity(body.attrs.len() + body.blocks.len());
        for a in &body.attrs {
            let v = self.eval(&a.expr, env, depth);
            entries.push((a.name.clone(), TfNode::new(a.pos, anchor(v, a.pos))));
        }
        if depth > MAX_DEPTH {
            return TfNode::new(pos, TfVal::Map(entries));
        }
        let push_block = |entries: &mut Vec<(String, TfNode)>, key: &str, node: TfNode| {
            if let Some((
                _,
                TfNode {
                    val: TfVal::List(l), ..
                },
            )) = entries.iter_mut().find(|(k, _)| k == key)
            {
                l.push(node);
            } else {
                entries.push((key.to_string(), TfNode::new(node.pos, TfVal::List(vec![node]))));
            }
        };
        for b in &body.blocks {
            match b.ident.as_str() {
                "lifecycle" | "provisioner" | "connection" => {}
                "dynamic" => {
                    let Some(label) = b.labels.first() else { continue };
                    let iter_name = b
                        .body
                        .attr("iterator")
                        .and_then(|a| match &a.expr.kind {
                            ExprKind::Var(v) => Some(v.clone()),
                            _ => None,
                        })
                        .unwrap_or_else(|| label.clone());
                    let Some(content) = b.body.blocks("content").next() else {
                        continue;
                    };
                    let coll = b.body.attr("for_each").map(|a| self.eval(&a.expr, env, depth + 1));
                    let items: Option<Vec<(TfVal, TfVal)>> = match coll {
                        Some(TfVal::List(l)) => Some(
                            l.into_iter()
                                .enumerate()
                                .map(|(i, v)| (TfVal::Num(i as f64), v.val))
                                .collect(),
                        ),
                        Some(TfVal::Map(m)) => Some(m.into_iter().map(|(k, v)| (TfVal::Str(k), v.val)).collect()),
                        _ => None,
                    };
                    match items {
                        Some(items) => {
                            for (k, v) in items {
                                env.bind(&iter_name, map_val(b.pos, vec![("key", k), ("value", v)]));
                                let node = self.eval_body(&content.body, env, b.pos, depth + 1);
                                env.unbind();
                                push_block(&mut entries, label, node);
                            }
                        }
                        None => {
                            let why = format!("dynamic \"{label}\" block iterates over a collection that is not known");
                            push_block(&mut entries, label, TfNode::new(b.pos, TfVal::Unknown(why)));
                        }
                    }
                }
                _ => {
                    let node = self.eval_body(&b.body, env, b.pos, depth + 1);
                    push_block(&mut entries, &b.ident, node);
                }
            }
        }
        TfNode::new(pos, TfVal::Map(entries))
    }

    fn var(&self, name: &str, pos: Pos, depth: usize) -> TfVal {
        if let Some(v) = self.var_cache.borrow().get(name) {
            return anchor(v.clone(), pos);
        }
        let expr = self
            .var_values
            .get(name)
            .copied()
            .or_else(|| self.var_defaults.get(name).copied().flatten());
        if let Some(e) = expr {
            let v = self.eval(e, &mut Env::default(), depth + 1);
            self.var_cache.borrow_mut().insert(name.to_string(), v.clone());
            return anchor(v, pos);
        }
        match self.var_defaults.get(name) {
            Some(Some(e)) => anchor(self.eval(e, &mut Env::default(), depth + 1), pos),
            Some(None) => TfVal::Unknown(format!(
                "var.{name} has no default and no value in a scanned .tfvars file"
            )),
            None => TfVal::Unknown(format!("var.{name} is not declared in module {}", self.dir_label())),
        }
    }

    fn dir_label(&self) -> &str {
        if self.dir.is_empty() {
            "."
        } else {
            &self.dir
        }
    }

    fn local(&self, name: &str, pos: Pos, depth: usize) -> TfVal {
        if let Some(v) = self.local_cache.borrow().get(name) {
            return anchor(v.clone(), pos);
        }
        let Some(e) = self.locals.get(name) else {
            return TfVal::Unknown(format!("local.{name} is not defined"));
        };
        if !self.in_progress.borrow_mut().insert(name.to_string()) {
            return TfVal::Unknown(format!("local.{name} refers to itself"));
        }
        let v = self.eval(e, &mut Env::default(), depth + 1);
        self.in_progress.borrow_mut().remove(name);
        self.local_cache.borrow_mut().insert(name.to_string(), v.clone());
        anchor(v, pos)
    }

    fn eval(&self, e: &Expr, env: &mut Env, depth: usize) -> TfVal {
        if depth > MAX_DEPTH {
            return TfVal::Unknown("expression nested too deeply".into());
        }
        let d = depth + 1;
        match &e.kind {
            ExprKind::Null => TfVal::Null,
            ExprKind::Bool(b) => TfVal::Bool(*b),
            ExprKind::Num(n) => TfVal::Num(*n),
            ExprKind::Str(s) => TfVal::Str(s.clone()),
            ExprKind::Template(parts) => self.template(parts, env, d),
            ExprKind::Array(items) => {
                TfVal::List(items.iter().map(|i| TfNode::new(i.pos, self.eval(i, env, d))).collect())
            }
            ExprKind::Object(items) => {
                let mut m: Vec<(String, TfNode)> = Vec::with_capacity(items.len());
                for (k, v) in items {
                    let key = match k {
                        ObjKey::Ident(s) => s.clone(),
                        ObjKey::Expr(ke) => match self.eval(ke, env, d).to_string_value() {
                            Some(s) => s,
                            None => return TfVal::Unknown("an object key is not known".into()),
                        },
                    };
                    let val = self.eval(v, env, d);
                    m.retain(|(x, _)| *x != key);
                    m.push((key, TfNode::new(v.pos, val)));
                }
                TfVal::Map(m)
            }
            ExprKind::Var(name) => match env.get(name) {
                Some(v) => v.clone(),
                None => TfVal::Unknown(format!("{name} is not a value")),
            },
            ExprKind::Traversal(root, ops) => self.traversal(root, ops, e.pos, env, d),
            ExprKind::Call(name, args, expand) => self.call(name, args, *expand, e.pos, env, d),
            ExprKind::Cond(c, t, f) => match self.eval(c, env, d) {
                v if v.as_bool() == Some(true) => self.eval(t, env, d),
                v if v.as_bool() == Some(false) => self.eval(f, env, d),
                v => {
                    // Both branches equal: the condition does not matter.
                    let (a, b) = (self.eval(t, env, d), self.eval(f, env, d));
                    if !a.is_unknown() && strip(&a) == strip(&b) {
                        return a;
                    }
                    TfVal::Unknown(format!(
                        "condition is not known ({})",
                        v.unknown_reason().unwrap_or_else(|| "not a boolean".into())
                    ))
                }
            },
            ExprKind::Unary(op, x) => {
                let v = self.eval(x, env, d);
                if v.is_unknown() {
                    return unknown_from(&v);
                }
                match op {
                    UnaryOp::Not => v
                        .as_bool()
                        .map_or_else(|| TfVal::Unknown("! of a non-boolean".into()), |b| TfVal::Bool(!b)),
                    UnaryOp::Neg => v
                        .as_num()
                        .map_or_else(|| TfVal::Unknown("- of a non-number".into()), |n| TfVal::Num(-n)),
                }
            }
            ExprKind::Binary(op, l, r) => {
                let lv = self.eval(l, env, d);
                // Short-circuit on known operands even when the other side is unknown.
                match (op, lv.as_bool()) {
                    (BinaryOp::And, Some(false)) => return TfVal::Bool(false),
                    (BinaryOp::Or, Some(true)) => return TfVal::Bool(true),
                    _ => {}
                }
                let rv = self.eval(r, env, d);
                binary(*op, &lv, &rv)
            }
            ExprKind::For(f) => {
                let coll = self.eval(&f.coll, env, d);
                let items: Vec<(TfVal, TfVal)> = match coll {
                    TfVal::List(l) => l
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (TfVal::Num(i as f64), v.val))
                        .collect(),
                    TfVal::Map(m) => m.into_iter().map(|(k, v)| (TfVal::Str(k), v.val)).collect(),
                    other => return unknown_from(&other),
                };
                let mut list = Vec::new();
                let mut map: Vec<(String, TfNode)> = Vec::new();
                for (k, v) in items {
                    let bound = 1 + usize::from(f.key_var.is_some());
                    if let Some(kv) = &f.key_var {
                        env.bind(kv, k);
                    }
                    env.bind(&f.value_var, v);
                    let keep = match &f.cond {
                        Some(c) => self.eval(c, env, d).as_bool(),
                        None => Some(true),
                    };
                    let result = match keep {
                        None => Err(TfVal::Unknown("a for expression's condition is not known".into())),
                        Some(false) => Ok(None),
                        Some(true) => {
                            let val = self.eval(&f.value, env, d);
                            match &f.key {
                                Some(ke) => match self.eval(ke, env, d).to_string_value() {
                                    Some(key) => Ok(Some((Some(key), val))),
                                    None => Err(TfVal::Unknown("a for expression's key is not known".into())),
                                },
                                None => Ok(Some((None, val))),
                            }
                        }
                    };
                    for _ in 0..bound {
                        env.unbind();
                    }
                    match result {
                        Err(u) => return u,
                        Ok(None) => {}
                        Ok(Some((Some(key), val))) => {
                            map.retain(|(x, _)| *x != key);
                            map.push((key, TfNode::new(e.pos, val)));
                        }
                        Ok(Some((None, val))) => list.push(TfNode::new(e.pos, val)),
                    }
                }
                if f.key.is_some() {
                    TfVal::Map(map)
                } else {
                    TfVal::List(list)
                }
            }
            ExprKind::Unsupported(what) => TfVal::Unknown(format!("{what} is not evaluated")),
        }
    }

    fn template(&self, parts: &[TemplatePart], env: &mut Env, depth: usize) -> TfVal {
        if let [TemplatePart::Interp(e)] = parts {
            return self.eval(e, env, depth);
        }
        let mut s = String::new();
        // A template around references (`"${azurerm_x.y.id}/namespaces/shop"`) stays a symbolic reference.
        let mut symbolic = false;
        for p in parts {
            match p {
                TemplatePart::Lit(l) => s.push_str(l),
                TemplatePart::Interp(e) => {
                    let v = self.eval(e, env, depth);
                    match (v.to_string_value(), &v) {
                        (Some(x), _) => s.push_str(&x),
                        (None, TfVal::Ref(r)) => {
                            symbolic = true;
                            s.push_str(r);
                        }
                        (None, _) => return unknown_from(&v),
                    }
                }
                TemplatePart::Unsupported(what) => return TfVal::Unknown(format!("template {what} is not evaluated")),
            }
        }
        if symbolic {
            TfVal::Ref(s)
        } else {
            TfVal::Str(s)
        }
    }

    fn traversal(&self, root: &Expr, ops: &[TravOp], pos: Pos, env: &mut Env, depth: usize) -> TfVal {
        let attr_at = |i: usize| match ops.get(i) {
            Some(TravOp::Attr(a)) => Some(a.as_str()),
            _ => None,
        };
        let (base, rest): (TfVal, &[TravOp]) = match &root.kind {
            ExprKind::Var(name) if env.get(name).is_some() => (env.get(name).cloned().unwrap_or(TfVal::Null), ops),
            ExprKind::Var(name) => match name.as_str() {
                "var" => match attr_at(0) {
                    Some(v) => (self.var(v, pos, depth), ops.get(1..).unwrap_or_default()),
                    None => return TfVal::Unknown("var without a name".into()),
                },
                "local" => match attr_at(0) {
                    Some(v) => (self.local(v, pos, depth), ops.get(1..).unwrap_or_default()),
                    None => return TfVal::Unknown("local without a name".into()),
                },
                "data" | "module" => {
                    return TfVal::Ref(format!("{name}.{}", self.path_string(ops, env, depth)));
                }
                "each" | "count" | "self" | "path" | "terraform" => {
                    return TfVal::Unknown(format!("{name}.{} is not evaluated", self.path_string(ops, env, depth)));
                }
                _ if name.contains('_') && attr_at(0).is_some() => {
                    return TfVal::Ref(format!("{name}.{}", self.path_string(ops, env, depth)));
                }
                _ => return TfVal::Unknown(format!("{name} is not a value")),
            },
            _ => (self.eval(root, env, depth), ops),
        };
        let mut cur = base;
        for op in rest {
            cur = match (op, cur) {
                (_, u @ TfVal::Unknown(_)) => return u,
                (op, TfVal::Ref(r)) => TfVal::Ref(format!(
                    "{r}.{}",
                    self.path_string(std::slice::from_ref(op), env, depth)
                )),
                (TravOp::Attr(a), TfVal::Map(m)) => match m.into_iter().find(|(k, _)| k == a) {
                    Some((_, v)) => v.val,
                    None => TfVal::Unknown(format!("attribute {a} is not set")),
                },
                (TravOp::Index(ix), TfVal::List(l)) => {
                    let i = self.eval(ix, env, depth);
                    match i.as_num() {
                        Some(n) if n >= 0.0 => match l.into_iter().nth(n as usize) {
                            Some(v) => v.val,
                            None => TfVal::Unknown("index out of range".into()),
                        },
                        _ => return unknown_from(&i),
                    }
                }
                (TravOp::Index(ix), TfVal::Map(m)) => {
                    let k = self.eval(ix, env, depth);
                    match k.to_string_value() {
                        Some(k) => match m.into_iter().find(|(x, _)| *x == k) {
                            Some((_, v)) => v.val,
                            None => TfVal::Unknown(format!("key {k} is not set")),
                        },
                        None => return unknown_from(&k),
                    }
                }
                (TravOp::Splat, v @ TfVal::List(_)) => v,
                (TravOp::Splat, TfVal::Null) => TfVal::List(Vec::new()),
                (TravOp::Splat, v) => TfVal::List(vec![TfNode::new(pos, v)]),
                (_, other) => {
                    return TfVal::Unknown(format!("cannot traverse {}", kind_name(&other)));
                }
            };
        }
        cur
    }

    fn path_string(&self, ops: &[TravOp], env: &mut Env, depth: usize) -> String {
        let mut parts = Vec::new();
        for op in ops {
            match op {
                TravOp::Attr(a) => parts.push(a.clone()),
                TravOp::Index(e) => {
                    let v = self.eval(e, env, depth);
                    parts.push(v.to_string_value().unwrap_or_else(|| "*".into()));
                }
                TravOp::Splat => parts.push("*".into()),
            }
        }
        parts.join(".")
    }

    fn call(&self, name: &str, args: &[Expr], expand: bool, pos: Pos, env: &mut Env, depth: usize) -> TfVal {
        if name == "try" {
            for a in args {
                let v = self.eval(a, env, depth);
                match &v {
                    TfVal::Unknown(r)
                        if r.starts_with("attribute") || r.starts_with("key") || r.starts_with("index") =>
                    {
                        continue
                    }
                    _ => return v,
                }
            }
            return TfVal::Unknown("no try() argument is known".into());
        }
        if name == "can" {
            let v = args.first().map(|a| self.eval(a, env, depth));
            return match v {
                Some(TfVal::Unknown(r)) if r.starts_with("attribute") || r.starts_with("key") => TfVal::Bool(false),
                Some(v) if v.is_unknown() => unknown_from(&v),
                Some(_) => TfVal::Bool(true),
                None => TfVal::Unknown("can() without argument".into()),
            };
        }
        let mut vals: Vec<TfVal> = args.iter().map(|a| self.eval(a, env, depth)).collect();
        if expand {
            if let Some(TfVal::List(l)) = vals.pop() {
                vals.extend(l.into_iter().map(|n| n.val));
            } else {
                return TfVal::Unknown(format!("{name}(...) expansion of a value that is not known"));
            }
        }
        if name == "coalesce" {
            for v in &vals {
                match v {
                    TfVal::Null => continue,
                    TfVal::Str(s) if s.is_empty() => continue,
                    v => return v.clone(),
                }
            }
            return TfVal::Unknown("coalesce() of null values".into());
        }
        if let Some(u) = vals.iter().find(|v| v.is_unknown()) {
            return unknown_from(u);
        }
        builtin(name, vals, pos)
    }
}

fn kind_name(v: &TfVal) -> &'static str {
    match v {
        TfVal::Null => "null",
        TfVal::Bool(_) => "a boolean",
        TfVal::Num(_) => "a number",
        TfVal::Str(_) => "a string",
        TfVal::List(_) => "a list",
        TfVal::Map(_) => "an object",
        TfVal::Ref(_) | TfVal::Unknown(_) => "an unknown value",
    }
}

/// A value that is unknown because `v` is.
fn unknown_from(v: &TfVal) -> TfVal {
    match v {
        TfVal::Unknown(r) => TfVal::Unknown(r.clone()),
        TfVal::Ref(r) => TfVal::Unknown(format!("{r} is only known after apply")),
        other => TfVal::Unknown(format!("unexpected {}", kind_name(other))),
    }
}

fn map_val(pos: Pos, entries: Vec<(&str, TfVal)>) -> TfVal {
    TfVal::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), TfNode::new(pos, v)))
            .collect(),
    )
}

/// Moves every position inside `v` to `pos` (values from variables and locals are reported where they are used).
fn anchor(v: TfVal, pos: Pos) -> TfVal {
    match v {
        TfVal::List(l) => TfVal::List(l.into_iter().map(|n| TfNode::new(pos, anchor(n.val, pos))).collect()),
        TfVal::Map(m) => TfVal::Map(
            m.into_iter()
                .map(|(k, n)| (k, TfNode::new(pos, anchor(n.val, pos))))
                .collect(),
        ),
        other => other,
    }
}

/// The value without positions, for equality.
fn strip(v: &TfVal) -> TfVal {
    anchor(v.clone(), Pos::default())
}

fn binary(op: BinaryOp, l: &TfVal, r: &TfVal) -> TfVal {
    use BinaryOp::*;
    if matches!(op, Eq | NotEq) {
        if l.is_unknown() || r.is_unknown() {
            return unknown_from(if l.is_unknown() { l } else { r });
        }
        let eq = match (l, r) {
            (TfVal::Num(a), TfVal::Num(b)) => a == b,
            _ => strip(l) == strip(r),
        };
        return TfVal::Bool(if op == Eq { eq } else { !eq });
    }
    if l.is_unknown() {
        return unknown_from(l);
    }
    if r.is_unknown() {
        return unknown_from(r);
    }
    match op {
        And | Or => match (l.as_bool(), r.as_bool()) {
            (Some(a), Some(b)) => TfVal::Bool(if op == And { a && b } else { a || b }),
            _ => TfVal::Unknown("boolean operator on non-booleans".into()),
        },
        _ => {
            let (Some(a), Some(b)) = (l.as_num(), r.as_num()) else {
                return TfVal::Unknown("arithmetic on non-numbers".into());
            };
            match op {
                Less => TfVal::Bool(a < b),
                LessEq => TfVal::Bool(a <= b),
                Greater => TfVal::Bool(a > b),
                GreaterEq => TfVal::Bool(a >= b),
                Plus => TfVal::Num(a + b),
                Minus => TfVal::Num(a - b),
                Mul => TfVal::Num(a * b),
                Div if b != 0.0 => TfVal::Num(a / b),
                Mod if b != 0.0 => TfVal::Num(a % b),
                _ => TfVal::Unknown("division by zero".into()),
            }
        }
    }
}

fn str_arg(v: Option<&TfVal>) -> Option<String> {
    v.and_then(TfVal::to_string_value)
}

fn list_arg(v: Option<&TfVal>) -> Option<Vec<TfVal>> {
    match v {
        Some(TfVal::List(l)) => Some(l.iter().map(|n| n.val.clone()).collect()),
        _ => None,
    }
}

fn list(pos: Pos, items: Vec<TfVal>) -> TfVal {
    TfVal::List(items.into_iter().map(|v| TfNode::new(pos, v)).collect())
}

fn builtin(name: &str, a: Vec<TfVal>, pos: Pos) -> TfVal {
    let bad = || TfVal::Unknown(format!("{name}() with unexpected arguments"));
    let s0 = || str_arg(a.first());
    let result = match name {
        "lower" => s0().map(|s| TfVal::Str(s.to_lowercase())),
        "upper" => s0().map(|s| TfVal::Str(s.to_uppercase())),
        "trimspace" => s0().map(|s| TfVal::Str(s.trim().to_string())),
        "tostring" => s0().map(TfVal::Str),
        "sensitive" | "nonsensitive" => a.first().cloned(),
        "tobool" => a.first().and_then(TfVal::as_bool).map(TfVal::Bool),
        "tonumber" => a.first().and_then(TfVal::as_num).map(TfVal::Num),
        "tolist" | "toset" => list_arg(a.first()).map(|l| {
            let mut l = l;
            if name == "toset" {
                let mut seen = Vec::new();
                l.retain(|v| {
                    let s = strip(v);
                    if seen.contains(&s) {
                        false
                    } else {
                        seen.push(s);
                        true
                    }
                });
            }
            list(pos, l)
        }),
        "tomap" => a.first().filter(|v| matches!(v, TfVal::Map(_))).cloned(),
        "startswith" => match (s0(), str_arg(a.get(1))) {
            (Some(s), Some(p)) => Some(TfVal::Bool(s.starts_with(&p))),
            _ => None,
        },
        "endswith" => match (s0(), str_arg(a.get(1))) {
            (Some(s), Some(p)) => Some(TfVal::Bool(s.ends_with(&p))),
            _ => None,
        },
        "replace" => match (s0(), str_arg(a.get(1)), str_arg(a.get(2))) {
            (Some(s), Some(f), Some(t)) if !(f.starts_with('/') && f.ends_with('/') && f.len() > 1) => {
                Some(TfVal::Str(s.replace(&f, &t)))
            }
            _ => None,
        },
        "join" => match (s0(), list_arg(a.get(1))) {
            (Some(sep), Some(l)) => l
                .iter()
                .map(TfVal::to_string_value)
                .collect::<Option<Vec<_>>>()
                .map(|v| TfVal::Str(v.join(&sep))),
            _ => None,
        },
        "split" => match (s0(), str_arg(a.get(1))) {
            (Some(sep), Some(s)) if !sep.is_empty() => Some(list(
                pos,
                s.split(sep.as_str()).map(|x| TfVal::Str(x.to_string())).collect(),
            )),
            _ => None,
        },
        "format" => s0()
            .and_then(|f| format_fn(&f, a.get(1..).unwrap_or_default()))
            .map(TfVal::Str),
        "concat" => a
            .iter()
            .map(|v| list_arg(Some(v)))
            .collect::<Option<Vec<_>>>()
            .map(|ls| list(pos, ls.into_iter().flatten().collect())),
        "flatten" => list_arg(a.first()).map(|l| {
            let mut out = Vec::new();
            flatten_into(l, &mut out);
            list(pos, out)
        }),
        "compact" => list_arg(a.first()).map(|l| {
            list(
                pos,
                l.into_iter()
                    .filter(|v| !matches!(v, TfVal::Null) && v.to_string_value().is_some_and(|s| !s.is_empty()))
                    .collect(),
            )
        }),
        "distinct" => list_arg(a.first()).map(|l| {
            let mut out: Vec<TfVal> = Vec::new();
            for v in l {
                if !out.iter().any(|x| strip(x) == strip(&v)) {
                    out.push(v);
                }
            }
            list(pos, out)
        }),
        "length" => match a.first() {
            Some(TfVal::List(l)) => Some(TfVal::Num(l.len() as f64)),
            Some(TfVal::Map(m)) => Some(TfVal::Num(m.len() as f64)),
            Some(TfVal::Str(s)) => Some(TfVal::Num(s.chars().count() as f64)),
            _ => None,
        },
        "contains" => match (list_arg(a.first()), a.get(1)) {
            (Some(l), Some(v)) => Some(TfVal::Bool(l.iter().any(|x| strip(x) == strip(v)))),
            _ => None,
        },
        "element" => match (list_arg(a.first()), a.get(1).and_then(TfVal::as_num)) {
            (Some(l), Some(i)) if !l.is_empty() && i >= 0.0 => l.get(i as usize % l.len()).cloned(),
            _ => None,
        },
        "one" => match list_arg(a.first()) {
            Some(l) if l.is_empty() => Some(TfVal::Null),
            Some(l) if l.len() == 1 => l.into_iter().next(),
            _ => None,
        },
        "keys" | "values" => match a.first() {
            Some(TfVal::Map(m)) => Some(list(
                pos,
                m.iter()
                    .map(|(k, v)| {
                        if name == "keys" {
                            TfVal::Str(k.clone())
                        } else {
                            v.val.clone()
                        }
                    })
                    .collect(),
            )),
            _ => None,
        },
        "lookup" => match (a.first(), str_arg(a.get(1))) {
            (Some(TfVal::Map(m)), Some(k)) => m
                .iter()
                .find(|(x, _)| *x == k)
                .map(|(_, v)| v.val.clone())
                .or_else(|| a.get(2).cloned()),
            _ => None,
        },
        "merge" => {
            let mut out: Vec<(String, TfNode)> = Vec::new();
            let mut ok = true;
            for v in &a {
                match v {
                    TfVal::Map(m) => {
                        for (k, n) in m {
                            out.retain(|(x, _)| x != k);
                            out.push((k.clone(), n.clone()));
                        }
                    }
                    TfVal::Null => {}
                    _ => ok = false,
                }
            }
            ok.then_some(TfVal::Map(out))
        }
        "coalescelist" => a.iter().find(|v| matches!(v, TfVal::List(l) if !l.is_empty())).cloned(),
        "max" | "min" => a
            .iter()
            .map(TfVal::as_num)
            .collect::<Option<Vec<f64>>>()
            .and_then(|ns| {
                ns.into_iter()
                    .reduce(|x, y| if (name == "max") == (y > x) { y } else { x })
            })
            .map(TfVal::Num),
        "abs" => a.first().and_then(TfVal::as_num).map(|n| TfVal::Num(n.abs())),
        "jsonencode" => a.first().and_then(to_json).map(|j| TfVal::Str(j.to_string())),
        "jsondecode" => s0()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
            .map(|j| from_json(&j, pos)),
        _ => return TfVal::Unknown(format!("function {name}() is not evaluated")),
    };
    result.unwrap_or_else(bad)
}

fn flatten_into(l: Vec<TfVal>, out: &mut Vec<TfVal>) {
    for v in l {
        match v {
            TfVal::List(inner) => flatten_into(inner.into_iter().map(|n| n.val).collect(), out),
            other => out.push(other),
        }
    }
}

fn format_fn(f: &str, args: &[TfVal]) -> Option<String> {
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'v' => out.push_str(&it.next()?.to_string_value()?),
            _ => return None,
        }
    }
    Some(out)
}

/// The JSON form of a known value.
pub fn to_json(v: &TfVal) -> Option<serde_json::Value> {
    Some(match v {
        TfVal::Null => serde_json::Value::Null,
        TfVal::Bool(b) => serde_json::Value::Bool(*b),
        TfVal::Num(n) => serde_json::from_str(&fmt_num(*n)).ok()?,
        TfVal::Str(s) => serde_json::Value::String(s.clone()),
        TfVal::List(l) => serde_json::Value::Array(l.iter().map(|n| to_json(&n.val)).collect::<Option<_>>()?),
        TfVal::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, n)| Some((k.clone(), to_json(&n.val)?)))
                .collect::<Option<_>>()?,
        ),
        TfVal::Ref(_) | TfVal::Unknown(_) => return None,
    })
}

/// A value from JSON, every node at `pos`.
pub fn from_json(j: &serde_json::Value, pos: Pos) -> TfVal {
    match j {
        serde_json::Value::Null => TfVal::Null,
        serde_json::Value::Bool(b) => TfVal::Bool(*b),
        serde_json::Value::Number(n) => TfVal::Num(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => TfVal::Str(s.clone()),
        serde_json::Value::Array(a) => TfVal::List(a.iter().map(|x| TfNode::new(pos, from_json(x, pos))).collect()),
        serde_json::Value::Object(o) => TfVal::Map(
            o.iter()
                .map(|(k, x)| (k.clone(), TfNode::new(pos, from_json(x, pos))))
                .collect(),
        ),
    }
}

/// Bindings of iterator and `for` variables.
#[derive(Default)]
struct Env {
    bindings: Vec<(String, TfVal)>,
}

impl Env {
    fn bind(&mut self, name: &str, v: TfVal) {
        self.bindings.push((name.to_string(), v));
    }

    fn unbind(&mut self) {
        self.bindings.pop();
    }

    fn get(&self, name: &str) -> Option<&TfVal> {
        self.bindings.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::super::hcl::*;
    use super::*;

    fn e(kind: ExprKind) -> Expr {
        Expr {
            pos: Pos::new(1, 1),
            kind,
        }
    }
    fn s(v: &str) -> Expr {
        e(ExprKind::Str(v.into()))
    }
    fn var(name: &str) -> Expr {
        e(ExprKind::Traversal(
            Box::new(e(ExprKind::Var("var".into()))),
            vec![TravOp::Attr(name.into())],
        ))
    }

    fn module_with(attrs: Vec<(&str, Expr)>, vars: Vec<(&str, Option<Expr>)>) -> TfNode {
        let mut body = Body::default();
        for (n, d) in vars {
            let mut vb = Body::default();
            if let Some(d) = d {
                vb.attrs.push(Attr {
                    name: "default".into(),
                    pos: Pos::new(1, 1),
                    expr: d,
                });
            }
            body.blocks.push(Block {
                ident: "variable".into(),
                labels: vec![n.into()],
                pos: Pos::new(1, 1),
                body: vb,
            });
        }
        let mut rb = Body::default();
        for (n, x) in attrs {
            rb.attrs.push(Attr {
                name: n.into(),
                pos: Pos::new(2, 3),
                expr: x,
            });
        }
        body.blocks.push(Block {
            ident: "resource".into(),
            labels: vec!["azurerm_kubernetes_cluster".into(), "c".into()],
            pos: Pos::new(1, 1),
            body: rb,
        });
        let file = TfFile {
            file: Arc::from("m/main.tf"),
            kind: TfFileKind::Config,
            body,
        };
        evaluate(&[file]).remove(0).body
    }

    #[test]
    fn functions_conditionals_and_unknowns() {
        let body = module_with(
            vec![
                ("a", e(ExprKind::Call("lower".into(), vec![s("AzUrE")], false))),
                (
                    "b",
                    e(ExprKind::Cond(
                        Box::new(e(ExprKind::Binary(
                            BinaryOp::Eq,
                            Box::new(var("env")),
                            Box::new(s("prod")),
                        ))),
                        Box::new(e(ExprKind::Bool(true))),
                        Box::new(e(ExprKind::Bool(false))),
                    )),
                ),
                ("c", var("missing_default")),
                (
                    "d",
                    e(ExprKind::Call(
                        "coalesce".into(),
                        vec![e(ExprKind::Null), s(""), s("x")],
                        false,
                    )),
                ),
                (
                    "e",
                    e(ExprKind::Call(
                        "contains".into(),
                        vec![e(ExprKind::Array(vec![s("a"), s("b")])), s("b")],
                        false,
                    )),
                ),
                ("f", e(ExprKind::Call("file".into(), vec![s("x")], false))),
            ],
            vec![("env", Some(s("prod"))), ("missing_default", None)],
        );
        assert_eq!(body.get("a").map(|n| &n.val), Some(&TfVal::Str("azure".into())));
        assert_eq!(body.get("b").map(|n| &n.val), Some(&TfVal::Bool(true)));
        assert!(matches!(body.get("c").map(|n| &n.val), Some(TfVal::Unknown(r)) if r.contains("no default")));
        assert_eq!(body.get("d").map(|n| &n.val), Some(&TfVal::Str("x".into())));
        assert_eq!(body.get("e").map(|n| &n.val), Some(&TfVal::Bool(true)));
        assert!(matches!(body.get("f").map(|n| &n.val), Some(TfVal::Unknown(_))));
        assert_eq!(body.get("a").map(|n| n.pos), Some(Pos::new(2, 3)));
    }

    #[test]
    fn references_stay_symbolic() {
        let r = e(ExprKind::Traversal(
            Box::new(e(ExprKind::Var("azurerm_kubernetes_cluster".into()))),
            vec![TravOp::Attr("main".into()), TravOp::Attr("id".into())],
        ));
        let t = e(ExprKind::Template(vec![
            TemplatePart::Interp(r.clone()),
            TemplatePart::Lit("/namespaces/x".into()),
        ]));
        let body = module_with(vec![("scope", r), ("ns", t)], vec![]);
        assert_eq!(
            body.get("scope").map(|n| &n.val),
            Some(&TfVal::Ref("azurerm_kubernetes_cluster.main.id".into()))
        );
        assert_eq!(
            body.get("ns").map(|n| &n.val),
            Some(&TfVal::Ref("azurerm_kubernetes_cluster.main.id/namespaces/x".into()))
        );
    }
}
