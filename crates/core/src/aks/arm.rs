//! ARM templates (top level and nested deployments, languageVersion 1 and 2), compiled Bicep, exported resources,
//! REST bodies and `az` output into the AKS model. Keys are matched case-insensitively (ARM `enableRBAC`,
//! `nodeOSUpgradeChannel`; az `enableRbac`, `nodeOsUpgradeChannel`; add-on keys `azurepolicy` / `azurePolicy`).

use super::armexpr::{self, AVal, Context};
use super::model::*;
use super::tfmap::literal_key;
use super::{AksDoc, AksDocKind};
use crate::finding::{Location, ObjectRef};
use crate::node::{Node, Pos, Value};
use serde_json::Value as Json;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Marker for values inside an evaluated object that are not known (JSON has no slot for them).
const UNKNOWN_MARK: &str = "\u{1}unknown:";
/// Marker for symbolic deployment-time values inside an evaluated object.
const SYM_MARK: &str = "\u{1}sym:";
/// Deepest nesting of deployments and child resources followed.
const MAX_NESTING: usize = 16;

/// Links found while mapping that the model builder resolves afterwards.
#[derive(Default)]
pub(crate) struct Pending {
    /// Separately declared node pools with their cluster's link key.
    pub pools: Vec<(Setting<String>, NodePool)>,
    /// Maintenance configurations with their cluster's link key.
    pub maintenance: Vec<(String, Location)>,
}

/// Parameter values of a template.
enum Param<'a> {
    /// From a parameters file (literal).
    Value(&'a Node),
    /// From a nested deployment's `parameters` (evaluated in the outer scope).
    Evaluated(AVal),
    /// The template's `defaultValue` (may hold expressions).
    Default(&'a Node),
    /// Declared without default and without a value.
    Missing,
}

/// Parameters, variables and symbols of one template.
pub(crate) struct Scope<'a> {
    params: HashMap<String, Param<'a>>,
    vars: HashMap<String, &'a Node>,
    symbols: HashMap<String, String>,
    cache: RefCell<HashMap<String, AVal>>,
    busy: RefCell<HashSet<String>>,
    params_file: Option<String>,
}

impl<'a> Scope<'a> {
    fn empty() -> Self {
        Self {
            params: HashMap::new(),
            vars: HashMap::new(),
            symbols: HashMap::new(),
            cache: RefCell::default(),
            busy: RefCell::default(),
            params_file: None,
        }
    }

    fn for_template(template: &'a Node, values: Option<&'a Node>, evaluated: Vec<(String, AVal)>) -> Self {
        let mut s = Self::empty();
        for e in entries(template.get("parameters")) {
            let name = e.key.to_ascii_lowercase();
            let value = values.and_then(|v| get_ci(v, &e.key)).and_then(|v| get_ci(v, "value"));
            let p = if let Some(v) = value {
                Param::Value(v)
            } else if let Some((_, v)) = evaluated.iter().find(|(k, _)| k.eq_ignore_ascii_case(&e.key)) {
                Param::Evaluated(v.clone())
            } else if let Some(d) = get_ci(&e.value, "defaultValue") {
                Param::Default(d)
            } else {
                Param::Missing
            };
            s.params.insert(name, p);
        }
        for e in entries(template.get("variables")) {
            s.vars.insert(e.key.to_ascii_lowercase(), &e.value);
        }
        s
    }

    /// Evaluates a node, resolving expressions in strings (recursively in objects and arrays).
    fn resolve(&self, n: &Node, depth: usize) -> AVal {
        if depth > armexpr::MAX_DEPTH {
            return AVal::Unknown("value nested too deeply".into());
        }
        match &n.value {
            Value::Str(s) if armexpr::is_expression(s) => match armexpr::parse(s) {
                Ok(e) => armexpr::eval(&e, self, depth + 1),
                Err(e) => AVal::Unknown(format!("cannot parse expression {s}: {e}")),
            },
            Value::Str(s) => AVal::Json(Json::String(armexpr::unescape(s))),
            Value::Seq(items) => AVal::Json(Json::Array(
                items.iter().map(|i| embed(self.resolve(i, depth + 1))).collect(),
            )),
            Value::Map(m) => {
                // A `copy` property loop builds an array the evaluator does not expand.
                if m.entries().iter().any(|e| e.key == "copy") {
                    return AVal::Unknown("a copy loop is not evaluated".into());
                }
                AVal::Json(Json::Object(
                    m.entries()
                        .iter()
                        .map(|e| (e.key.clone(), embed(self.resolve(&e.value, depth + 1))))
                        .collect(),
                ))
            }
            _ => AVal::Json(n.to_json()),
        }
    }
}

/// Puts an evaluated value inside JSON, marking values JSON cannot hold.
fn embed(v: AVal) -> Json {
    match v {
        AVal::Json(j) => j,
        AVal::Sym(s) => Json::String(format!("{SYM_MARK}{s}")),
        AVal::Unknown(r) => Json::String(format!("{UNKNOWN_MARK}{r}")),
    }
}

/// The value of a JSON node taken from an evaluated object, unmarking embedded values.
fn unembed(j: Json) -> AVal {
    match j {
        Json::String(s) if s.starts_with(UNKNOWN_MARK) => {
            AVal::Unknown(s.get(UNKNOWN_MARK.len()..).unwrap_or_default().to_string())
        }
        Json::String(s) if s.starts_with(SYM_MARK) => {
            AVal::Sym(s.get(SYM_MARK.len()..).unwrap_or_default().to_string())
        }
        j => AVal::Json(j),
    }
}

impl Context for Scope<'_> {
    fn parameter(&self, name: &str, depth: usize) -> AVal {
        let key = format!("p:{}", name.to_ascii_lowercase());
        if let Some(v) = self.cache.borrow().get(&key) {
            return v.clone();
        }
        let v = match self.params.get(&name.to_ascii_lowercase()) {
            None => AVal::Unknown(format!("parameter '{name}' is not declared")),
            Some(Param::Value(n)) => {
                if n.get("reference").is_some() && n.as_map().is_some_and(|m| m.len() == 1) {
                    AVal::Unknown(format!("parameter '{name}' is a Key Vault reference"))
                } else {
                    AVal::Json(n.to_json())
                }
            }
            Some(Param::Evaluated(v)) => v.clone(),
            Some(Param::Default(n)) => {
                if !self.busy.borrow_mut().insert(key.clone()) {
                    return AVal::Unknown(format!("parameter '{name}' refers to itself"));
                }
                let v = self.resolve(n, depth + 1);
                self.busy.borrow_mut().remove(&key);
                v
            }
            Some(Param::Missing) => AVal::Unknown(match &self.params_file {
                Some(f) => format!("parameter '{name}' has no default value and no value in {f}"),
                None => format!("parameter '{name}' has no default value and no parameters file was scanned"),
            }),
        };
        self.cache.borrow_mut().insert(key, v.clone());
        v
    }

    fn variable(&self, name: &str, depth: usize) -> AVal {
        let key = format!("v:{}", name.to_ascii_lowercase());
        if let Some(v) = self.cache.borrow().get(&key) {
            return v.clone();
        }
        let Some(n) = self.vars.get(&name.to_ascii_lowercase()) else {
            return AVal::Unknown(format!("variable '{name}' is not declared"));
        };
        if !self.busy.borrow_mut().insert(key.clone()) {
            return AVal::Unknown(format!("variable '{name}' refers to itself"));
        }
        let v = self.resolve(n, depth + 1);
        self.busy.borrow_mut().remove(&key);
        self.cache.borrow_mut().insert(key, v.clone());
        v
    }

    fn symbol(&self, name: &str) -> Option<String> {
        self.symbols.get(name).cloned()
    }
}

fn entries(n: Option<&Node>) -> &[crate::node::Entry] {
    n.and_then(Node::as_map).map(|m| m.entries()).unwrap_or_default()
}

/// A map value by key, case-insensitively.
pub(crate) fn get_ci<'n>(n: &'n Node, key: &str) -> Option<&'n Node> {
    entry_ci(n, key).map(|e| &e.value)
}

fn entry_ci<'n>(n: &'n Node, key: &str) -> Option<&'n crate::node::Entry> {
    let m = n.as_map()?;
    m.entry(key)
        .or_else(|| m.entries().iter().find(|e| e.key.eq_ignore_ascii_case(key)))
}

/// A value reached while reading a resource.
enum Got<'n> {
    Absent,
    Unknown(String, Location),
    Node(&'n Node, Location),
    Json(Json, Location),
}

/// Reads one resource's settings, resolving expressions in its scope.
struct Reader<'a, 's> {
    scope: &'a Scope<'s>,
    doc: &'a AksDoc,
    object: ObjectRef,
    format: Format,
}

impl Reader<'_, '_> {
    fn loc(&self, pos: Pos, ptr: &str) -> Location {
        Location {
            file: self.doc.file.clone(),
            document: self.doc.document,
            line: pos.line,
            column: pos.col,
            pointer: format!("{}{ptr}", self.doc.base_pointer),
        }
    }

    /// The evaluated value of an expression string (ARM templates only).
    fn expr_value(&self, n: &Node) -> Option<AVal> {
        match &n.value {
            Value::Str(s) if self.format == Format::Arm && armexpr::is_expression(s) => Some(self.scope.resolve(n, 0)),
            _ => None,
        }
    }

    fn got_of<'n>(&self, v: AVal, l: Location, rest: &[&str]) -> Got<'n> {
        match v {
            AVal::Json(j) => self.at_json(j, l, rest),
            AVal::Sym(s) => Got::Unknown(format!("{s} is only known at deployment"), l),
            AVal::Unknown(r) => Got::Unknown(r, l),
        }
    }

    fn at<'n>(&self, base: &'n Node, base_ptr: &str, path: &[&str]) -> Got<'n> {
        let mut node = base;
        let mut loc = self.loc(base.pos, base_ptr);
        let mut ptr = base_ptr.to_string();
        for (i, key) in path.iter().enumerate() {
            if let Some(v) = self.expr_value(node) {
                return self.got_of(v, loc, path.get(i..).unwrap_or_default());
            }
            match entry_ci(node, key) {
                None => return Got::Absent,
                Some(e) => {
                    ptr = format!("{ptr}/{}", e.key);
                    loc = self.loc(e.key_pos, &ptr);
                    node = &e.value;
                }
            }
        }
        if node.is_null() {
            return Got::Absent;
        }
        match self.expr_value(node) {
            Some(v) => self.got_of(v, loc, &[]),
            None => Got::Node(node, loc),
        }
    }

    fn at_json<'n>(&self, mut j: Json, l: Location, rest: &[&str]) -> Got<'n> {
        for key in rest {
            j = match j {
                Json::Object(o) => match o.into_iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
                    Some((_, v)) => v,
                    None => return Got::Absent,
                },
                Json::Null => return Got::Absent,
                other => match unembed(other) {
                    AVal::Unknown(r) => return Got::Unknown(r, l),
                    _ => return Got::Unknown(format!("{key} is read from a value that is not an object"), l),
                },
            };
        }
        match unembed(j) {
            AVal::Json(Json::Null) => Got::Absent,
            AVal::Json(j) => Got::Json(j, l),
            AVal::Sym(s) => Got::Unknown(format!("{s} is only known at deployment"), l),
            AVal::Unknown(r) => Got::Unknown(r, l),
        }
    }

    fn b(&self, base: &Node, ptr: &str, path: &[&str]) -> Setting<bool> {
        let read = |j: &Json| match j {
            Json::Bool(b) => Some(*b),
            Json::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Json::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        };
        match self.at(base, ptr, path) {
            Got::Absent => Setting::Absent,
            Got::Unknown(r, l) => Setting::Unknown(r, l),
            Got::Node(n, l) => match read(&n.to_json()) {
                Some(b) => Setting::Set(b, l),
                None => Setting::Unknown(format!("{} is not a boolean", path.join(".")), l),
            },
            Got::Json(j, l) => match read(&j) {
                Some(b) => Setting::Set(b, l),
                None => Setting::Unknown(format!("{} is not a boolean", path.join(".")), l),
            },
        }
    }

    fn s(&self, base: &Node, ptr: &str, path: &[&str]) -> Setting<String> {
        let read = |j: &Json| match j {
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            Json::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        match self.at(base, ptr, path) {
            Got::Absent => Setting::Absent,
            Got::Unknown(r, l) => Setting::Unknown(r, l),
            Got::Node(n, l) => match read(&n.to_json()) {
                Some(s) => Setting::Set(armexpr::unescape(&s), l),
                None => Setting::Unknown(format!("{} is not a string", path.join(".")), l),
            },
            Got::Json(j, l) => match read(&j) {
                Some(s) => Setting::Set(s, l),
                None => Setting::Unknown(format!("{} is not a string", path.join(".")), l),
            },
        }
    }

    fn n(&self, base: &Node, ptr: &str, path: &[&str]) -> Setting<i64> {
        match self.s(base, ptr, path) {
            Setting::Set(s, l) => match s.parse::<f64>() {
                Ok(x) => Setting::Set(x as i64, l),
                Err(_) => Setting::Unknown(format!("{} is not a number", path.join(".")), l),
            },
            Setting::Unknown(r, l) => Setting::Unknown(r, l),
            Setting::Absent => Setting::Absent,
        }
    }

    fn list(&self, base: &Node, ptr: &str, path: &[&str]) -> Setting<Vec<String>> {
        let from_json = |j: Json, l: Location| match j {
            Json::Array(a) => {
                let mut out = Vec::new();
                for x in a {
                    match unembed(x) {
                        AVal::Json(Json::String(s)) => out.push(s),
                        AVal::Json(Json::Number(n)) => out.push(n.to_string()),
                        AVal::Unknown(r) => return Setting::Unknown(r, l),
                        AVal::Sym(s) => return Setting::Unknown(format!("{s} is only known at deployment"), l),
                        AVal::Json(_) => return Setting::Unknown(format!("{} holds a non-string", path.join(".")), l),
                    }
                }
                Setting::Set(out, l)
            }
            Json::String(s) => Setting::Set(vec![s], l),
            _ => Setting::Unknown(format!("{} is not a list", path.join(".")), l),
        };
        match self.at(base, ptr, path) {
            Got::Absent => Setting::Absent,
            Got::Unknown(r, l) => Setting::Unknown(r, l),
            Got::Node(n, l) => match &n.value {
                Value::Seq(items) if self.format == Format::Arm => {
                    let resolved: Vec<Json> = items.iter().map(|i| embed(self.scope.resolve(i, 0))).collect();
                    from_json(Json::Array(resolved), l)
                }
                _ => from_json(n.to_json(), l),
            },
            Got::Json(j, l) => from_json(j, l),
        }
    }

    /// A present object (`Set(true)`), absent, or unknown.
    fn present(&self, base: &Node, ptr: &str, path: &[&str]) -> Setting<bool> {
        match self.at(base, ptr, path) {
            Got::Absent => Setting::Absent,
            Got::Unknown(r, l) => Setting::Unknown(r, l),
            Got::Node(_, l) | Got::Json(_, l) => Setting::Set(true, l),
        }
    }

    /// A reference-valued property as a link key.
    fn link(&self, base: &Node, ptr: &str, path: &[&str]) -> Setting<String> {
        let lit = |s: &str| armexpr::id_key(s).unwrap_or_else(|| literal_key(s));
        match self.at(base, ptr, path) {
            Got::Absent => Setting::Absent,
            Got::Unknown(r, l) => {
                // Symbolic deployment-time values are links.
                if let Some(k) = r.strip_suffix(" is only known at deployment") {
                    Setting::Set(k.to_string(), l)
                } else {
                    Setting::Unknown(r, l)
                }
            }
            Got::Node(n, l) => match n.as_str() {
                Some(s) => Setting::Set(lit(s), l),
                None => Setting::Unknown("not a reference".into(), l),
            },
            Got::Json(Json::String(s), l) => Setting::Set(lit(&s), l),
            Got::Json(_, l) => Setting::Unknown("not a reference".into(), l),
        }
    }

    fn origin(&self, node: &Node, ptr: &str, keys: Vec<String>) -> Origin {
        Origin {
            format: Some(self.format),
            object: self.object.clone(),
            at: self.loc(node.pos, ptr),
            keys,
        }
    }
}

/// Reads every ARM/az document into the model.
pub(crate) fn map_documents(docs: &[AksDoc], m: &mut AksModel, pending: &mut Pending) {
    let params: Vec<&AksDoc> = docs.iter().filter(|d| d.kind == AksDocKind::ArmParameters).collect();
    for doc in docs {
        match doc.kind {
            AksDocKind::ArmTemplate => {
                let pfile = parameters_for(doc, &params);
                let mut scope =
                    Scope::for_template(&doc.root, pfile.and_then(|p| p.root.get("parameters")), Vec::new());
                scope.params_file = pfile.map(|p| p.file.to_string());
                walk_template(doc, &doc.root, &mut scope, "", m, pending, 0);
            }
            AksDocKind::Resource => {
                let scope = Scope::empty();
                let flat = doc.root.as_map().is_none_or(|mm| mm.entry("properties").is_none())
                    && (get_ci(&doc.root, "agentPoolProfiles").is_some()
                        || get_ci(&doc.root, "kubernetesVersion").is_some()
                        || get_ci(&doc.root, "logs").is_some()
                        || get_ci(&doc.root, "fqdn").is_some());
                let format = if flat { Format::Az } else { Format::Arm };
                let typ = doc
                    .root
                    .get_str("type")
                    .unwrap_or("Microsoft.ContainerService/managedClusters");
                let name = doc.root.get_str("name").unwrap_or("").to_string();
                map_resource(
                    doc,
                    &scope,
                    &doc.root,
                    "",
                    typ,
                    &Setting::Set(name, Location::default()),
                    format,
                    m,
                    pending,
                );
            }
            AksDocKind::ArmParameters | AksDocKind::TerraformJson => {}
        }
    }
}

/// The parameters file for a template: `<name>.parameters*.json` beside it, else the only parameters file in
/// its directory.
fn parameters_for<'d>(t: &AksDoc, params: &[&'d AksDoc]) -> Option<&'d AksDoc> {
    let dir = super::tfeval::module_dir(&t.file);
    let same_dir: Vec<&&AksDoc> = params
        .iter()
        .filter(|p| super::tfeval::module_dir(&p.file) == dir)
        .collect();
    let stem = t
        .file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim_end_matches(".json")
        .to_ascii_lowercase();
    same_dir
        .iter()
        .find(|p| {
            let n = p
                .file
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            n.starts_with(&format!("{stem}.parameters")) || n.starts_with(&format!("{stem}.params"))
        })
        .or_else(|| if same_dir.len() == 1 { same_dir.first() } else { None })
        .map(|p| **p)
}

#[allow(clippy::too_many_arguments)]
fn walk_template<'s>(
    doc: &AksDoc,
    template: &'s Node,
    scope: &mut Scope<'s>,
    ptr: &str,
    m: &mut AksModel,
    pending: &mut Pending,
    depth: usize,
) {
    if depth > MAX_NESTING {
        m.notes.push(format!("{}: deployments nested too deeply", doc.file));
        return;
    }
    let Some(res_entry) = template.entry("resources") else {
        return;
    };
    let res_ptr = format!("{ptr}/resources");
    let items: Vec<(String, Option<&str>, &Node)> = match &res_entry.value.value {
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("{res_ptr}/{i}"), None, r))
            .collect(),
        Value::Map(map) => map
            .entries()
            .iter()
            .map(|e| (format!("{res_ptr}/{}", e.key), Some(e.key.as_str()), &e.value))
            .collect(),
        _ => Vec::new(),
    };
    // languageVersion 2.0 symbolic names.
    for (_, sym, r) in &items {
        if let (Some(sym), Some(typ)) = (sym, r.get_str("type")) {
            if let AVal::Json(Json::String(name)) = r
                .get("name")
                .map_or(AVal::Unknown(String::new()), |n| scope.resolve(n, 0))
            {
                scope.symbols.insert((*sym).to_string(), link_key_for(typ, &name));
            }
        }
    }
    let scope: &Scope<'s> = scope;
    for (rptr, _, r) in items {
        walk_resource(doc, scope, r, &rptr, None, m, pending, depth);
    }
}

#[allow(clippy::too_many_arguments)]
fn walk_resource(
    doc: &AksDoc,
    scope: &Scope,
    r: &Node,
    ptr: &str,
    parent: Option<(&str, &str)>,
    m: &mut AksModel,
    pending: &mut Pending,
    depth: usize,
) {
    if depth > MAX_NESTING {
        return;
    }
    if r.get("existing").and_then(Node::as_bool) == Some(true) {
        return;
    }
    if let Some(c) = r.get("condition") {
        if let AVal::Json(j) = scope.resolve(c, 0) {
            if j == Json::Bool(false) || j == Json::String("false".into()) {
                return;
            }
        }
    }
    let Some(typ) = r.get_str("type") else { return };
    let name = match r.get("name").map(|n| scope.resolve(n, 0)) {
        Some(AVal::Json(Json::String(s))) => Ok(s),
        Some(AVal::Unknown(why)) => Err(why),
        _ => Err("the resource name is not a string".into()),
    };
    let (full_type, full_name) = match parent {
        Some((pt, pn)) if !typ.contains('.') => (format!("{pt}/{typ}"), name.map(|n| format!("{pn}/{n}"))),
        _ => (typ.to_string(), name),
    };
    if full_type.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
        nested_deployment(doc, scope, r, ptr, m, pending, depth);
        return;
    }
    let name_setting = match &full_name {
        Ok(n) => Setting::Set(n.clone(), Location::default()),
        Err(why) => Setting::Unknown(why.clone(), Location::default()),
    };
    map_resource(doc, scope, r, ptr, &full_type, &name_setting, Format::Arm, m, pending);
    if let (Some(children), Ok(n)) = (r.get("resources").and_then(Node::as_seq), &full_name) {
        for (i, c) in children.iter().enumerate() {
            let cptr = format!("{ptr}/resources/{i}");
            walk_resource(doc, scope, c, &cptr, Some((&full_type, n)), m, pending, depth + 1);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn nested_deployment(
    doc: &AksDoc,
    outer: &Scope,
    r: &Node,
    ptr: &str,
    m: &mut AksModel,
    pending: &mut Pending,
    depth: usize,
) {
    let Some(props) = r.get("properties") else { return };
    let Some(template) = props.get("template") else {
        if props.get("templateLink").is_some() {
            m.notes.push(format!(
                "{}: linked template at {} is not read (scan the linked file itself)",
                doc.file, ptr
            ));
        }
        return;
    };
    let tptr = format!("{ptr}/properties/template");
    let inner = props
        .path(&["expressionEvaluationOptions", "scope"])
        .and_then(Node::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
    if inner {
        let evaluated: Vec<(String, AVal)> = entries(props.get("parameters"))
            .iter()
            .map(|e| {
                let v = match e.value.get("value") {
                    Some(v) => outer.resolve(v, 0),
                    None => AVal::Unknown(format!("parameter '{}' of the nested deployment has no value", e.key)),
                };
                (e.key.clone(), v)
            })
            .collect();
        let mut scope = Scope::for_template(template, None, evaluated);
        walk_template(doc, template, &mut scope, &tptr, m, pending, depth + 1);
    } else {
        // Outer scope: expressions in the nested template use the parent's parameters and variables.
        let Some(res) = template.get("resources").and_then(Node::as_seq) else {
            return;
        };
        for (i, c) in res.iter().enumerate() {
            walk_resource(
                doc,
                outer,
                c,
                &format!("{tptr}/resources/{i}"),
                None,
                m,
                pending,
                depth + 1,
            );
        }
    }
}

/// The properties of a resource: `properties` (ARM, REST) or the resource itself (az's flat output).
fn props_of(r: &Node, format: Format) -> (&Node, &'static str) {
    match (format, r.entry("properties")) {
        (Format::Arm, Some(e)) if e.value.as_map().is_some() => (&e.value, "/properties"),
        _ => (r, ""),
    }
}

#[allow(clippy::too_many_arguments)]
fn map_resource(
    doc: &AksDoc,
    scope: &Scope,
    r: &Node,
    ptr: &str,
    typ: &str,
    name: &Setting<String>,
    format: Format,
    m: &mut AksModel,
    pending: &mut Pending,
) {
    let lt = typ.to_ascii_lowercase();
    let name_str = name.known().cloned().unwrap_or_default();
    let object = ObjectRef {
        api_version: typ.to_string(),
        kind: typ.rsplit('/').next().unwrap_or(typ).to_string(),
        namespace: None,
        name: Some(if name_str.is_empty() {
            "<unnamed>".into()
        } else {
            name_str.clone()
        }),
    };
    let x = Reader {
        scope,
        doc,
        object,
        format,
    };
    let (p, pp) = props_of(r, format);
    let pp = format!("{ptr}{pp}");
    let mut keys = Vec::new();
    if name.known().is_some() {
        keys.push(link_key_for(typ, &name_str));
    }
    if let Some(id) = r.get_str("id") {
        keys.extend(link_key_for_id(id));
    }
    let parent_key = |parent_type: &str| {
        name.known()
            .and_then(|n| n.rsplit_once('/'))
            .map(|(parent, _)| link_key_for(parent_type, parent))
    };
    match lt.as_str() {
        "microsoft.containerservice/managedclusters" => {
            let c = cluster(&x, r, ptr, p, &pp, keys, &name_str);
            m.clusters.push(c);
        }
        "microsoft.containerservice/managedclusters/agentpools" => {
            let mut pool = agent_pool(
                &x,
                p,
                &pp,
                name_str.rsplit('/').next().unwrap_or_default().to_string(),
                true,
            );
            pool.at = x.loc(r.pos, ptr);
            let cluster = match parent_key("Microsoft.ContainerService/managedClusters") {
                Some(k) => Setting::Set(k, pool.at.clone()),
                None => Setting::Unknown(
                    name.unknown_reason()
                        .unwrap_or("the pool name has no cluster part")
                        .to_string(),
                    pool.at.clone(),
                ),
            };
            pending.pools.push((cluster, pool));
        }
        "microsoft.containerservice/managedclusters/maintenanceconfigurations" => {
            if let Some(k) = parent_key("Microsoft.ContainerService/managedClusters") {
                pending.maintenance.push((k, x.loc(r.pos, ptr)));
            }
        }
        "microsoft.insights/diagnosticsettings"
        | "microsoft.containerservice/managedclusters/providers/diagnosticsettings" => {
            let target = if lt.contains("/providers/") {
                match name.known().and_then(|n| n.split('/').next()) {
                    Some(c) => Setting::Set(
                        link_key_for("Microsoft.ContainerService/managedClusters", c),
                        x.loc(r.pos, ptr),
                    ),
                    None => Setting::Unknown("the diagnostic setting's name is not known".into(), x.loc(r.pos, ptr)),
                }
            } else if let Some(id) = r.get_str("id").filter(|_| format == Format::Az) {
                let lower = id.to_ascii_lowercase();
                let cut = lower
                    .find("/providers/microsoft.insights/diagnosticsettings")
                    .map(|i| id.get(..i).unwrap_or(id));
                match cut.and_then(link_key_for_id) {
                    Some(k) => Setting::Set(k, x.loc(r.pos, ptr)),
                    None => Setting::Absent,
                }
            } else {
                x.link(r, ptr, &["scope"])
            };
            let mut logs = Vec::new();
            let mut logs_unknown = None;
            match x.at(p, &pp, &["logs"]) {
                Got::Node(n, _) if format == Format::Az || n.as_seq().is_some() => {
                    for (i, l) in n.as_seq().unwrap_or_default().iter().enumerate() {
                        let lp = format!("{pp}/logs/{i}");
                        logs.push(DiagLog {
                            category: x.s(l, &lp, &["category"]),
                            group: x.s(l, &lp, &["categoryGroup"]),
                            enabled: x.b(l, &lp, &["enabled"]),
                            at: x.loc(l.pos, &lp),
                        });
                    }
                }
                Got::Absent => {}
                Got::Unknown(r, l) => logs_unknown = Some((r, l)),
                Got::Node(_, l) | Got::Json(_, l) => {
                    logs_unknown = Some(("the logs list is computed by an expression".into(), l));
                }
            }
            let mut has_destination = Setting::Absent;
            for d in [
                "workspaceId",
                "storageAccountId",
                "eventHubAuthorizationRuleId",
                "marketplacePartnerId",
            ] {
                if let Some(l) = x.s(p, &pp, &[d]).location() {
                    has_destination = Setting::Set(true, l.clone());
                }
            }
            m.unlinked_diagnostics.push((
                DiagnosticSetting {
                    origin: x.origin(r, ptr, keys),
                    name: name_str.clone(),
                    target,
                    logs,
                    logs_unknown,
                    has_destination,
                    workspace: x.link(p, &pp, &["workspaceId"]),
                },
                String::new(),
            ));
        }
        "microsoft.containerregistry/registries" => m.registries.push(Registry {
            origin: x.origin(r, ptr, keys),
            admin_enabled: x.b(p, &pp, &["adminUserEnabled"]),
            public_network: x
                .s(p, &pp, &["publicNetworkAccess"])
                .map(|s| !s.eq_ignore_ascii_case("disabled")),
            anonymous_pull: x.b(p, &pp, &["anonymousPullEnabled"]),
        }),
        "microsoft.keyvault/vaults" | "microsoft.keyvault/vaults/accesspolicies" => {
            let vault_key = if lt.ends_with("accesspolicies") {
                parent_key("Microsoft.KeyVault/vaults")
            } else {
                keys.first().cloned()
            };
            if !lt.ends_with("accesspolicies") {
                m.key_vaults.push(KeyVault {
                    origin: x.origin(r, ptr, keys),
                    rbac_authorization: x.b(p, &pp, &["enableRbacAuthorization"]),
                    purge_protection: x.b(p, &pp, &["enablePurgeProtection"]),
                });
            }
            if let Got::Node(list, _) = x.at(p, &pp, &["accessPolicies"]) {
                for (i, ap) in list.as_seq().unwrap_or_default().iter().enumerate() {
                    let app = format!("{pp}/accessPolicies/{i}");
                    let lower =
                        |s: Setting<Vec<String>>| s.map(|v| v.into_iter().map(|p| p.to_ascii_lowercase()).collect());
                    m.access_policies.push(AccessPolicy {
                        at: x.loc(ap.pos, &app),
                        object: x.object.clone(),
                        vault: vault_key
                            .clone()
                            .map_or(Setting::Absent, |k| Setting::Set(k, x.loc(ap.pos, &app))),
                        principal: x.link(ap, &app, &["objectId"]),
                        secrets: lower(x.list(ap, &app, &["permissions", "secrets"])),
                        keys: lower(x.list(ap, &app, &["permissions", "keys"])),
                        certificates: lower(x.list(ap, &app, &["permissions", "certificates"])),
                    });
                }
            }
        }
        "microsoft.authorization/roleassignments" => {
            let scope_setting = match x.link(r, ptr, &["scope"]) {
                Setting::Absent => Setting::Set("str:{resourceGroup()}".to_string(), x.loc(r.pos, ptr)),
                s => s,
            };
            m.role_assignments.push(RoleAssignment {
                origin: x.origin(r, ptr, keys),
                scope: scope_setting,
                role: x.s(p, &pp, &["roleDefinitionId"]).map(|d| role_name(&d)),
                principal: x.link(p, &pp, &["principalId"]),
                principal_type: x.s(p, &pp, &["principalType"]),
            });
        }
        "microsoft.security/pricings" => m.defender_pricings.push(DefenderPricing {
            origin: x.origin(r, ptr, keys),
            plan: match name {
                Setting::Set(n, _) => Setting::Set(n.clone(), x.loc(r.pos, ptr)),
                Setting::Unknown(why, _) => Setting::Unknown(why.clone(), x.loc(r.pos, ptr)),
                Setting::Absent => Setting::Absent,
            },
            tier: x.s(p, &pp, &["pricingTier"]),
        }),
        "microsoft.network/networksecuritygroups" | "microsoft.network/networksecuritygroups/securityrules" => {
            let nsg_key = if lt.ends_with("securityrules") {
                parent_key("Microsoft.Network/networkSecurityGroups")
            } else {
                keys.first().cloned()
            };
            let nsg = nsg_key.map_or(Setting::Absent, |k| Setting::Set(k, x.loc(r.pos, ptr)));
            if lt.ends_with("securityrules") {
                m.nsg_rules.push(arm_rule(
                    &x,
                    p,
                    &pp,
                    name_str.rsplit('/').next().unwrap_or_default(),
                    nsg,
                    r.pos,
                ));
            } else {
                m.nsgs.push(Nsg {
                    origin: x.origin(r, ptr, keys),
                });
                if let Got::Node(list, _) = x.at(p, &pp, &["securityRules"]) {
                    for (i, rule) in list.as_seq().unwrap_or_default().iter().enumerate() {
                        let rp = format!("{pp}/securityRules/{i}");
                        let rname = rule.get_str("name").unwrap_or_default().to_string();
                        let (rprops, rpp) = match rule.get("properties") {
                            Some(pr) => (pr, format!("{rp}/properties")),
                            None => (rule, rp.clone()),
                        };
                        m.nsg_rules
                            .push(arm_rule(&x, rprops, &rpp, &rname, nsg.clone(), rule.pos));
                    }
                }
            }
        }
        "microsoft.network/virtualnetworks" => {
            if let Got::Node(list, _) = x.at(p, &pp, &["subnets"]) {
                for (i, s) in list.as_seq().unwrap_or_default().iter().enumerate() {
                    let sp = format!("{pp}/subnets/{i}");
                    let sname = match s.get("name").map(|n| scope.resolve(n, 0)) {
                        Some(AVal::Json(Json::String(n))) => n,
                        _ => continue,
                    };
                    let mut subnet_keys = vec![link_key_for(
                        "Microsoft.Network/virtualNetworks/subnets",
                        &format!("{name_str}/{sname}"),
                    )];
                    if let Some(id) = s.get_str("id") {
                        subnet_keys.extend(link_key_for_id(id));
                    }
                    m.subnet_nsgs.push(SubnetNsg {
                        subnet_keys,
                        nsg: x.link(s, &sp, &["properties", "networkSecurityGroup", "id"]),
                    });
                }
            }
        }
        "microsoft.network/virtualnetworks/subnets" => m.subnet_nsgs.push(SubnetNsg {
            subnet_keys: keys,
            nsg: x.link(p, &pp, &["networkSecurityGroup", "id"]),
        }),
        "microsoft.managedidentity/userassignedidentities/federatedidentitycredentials" => {
            m.federated_credentials.push(FederatedCredential {
                origin: x.origin(r, ptr, keys),
                issuer: x.link(p, &pp, &["issuer"]),
                audiences: x.list(p, &pp, &["audiences"]),
                subject: x.s(p, &pp, &["subject"]),
            })
        }
        "microsoft.operationalinsights/workspaces" => m.workspaces.push(Workspace {
            origin: x.origin(r, ptr, keys),
            retention_days: x.n(p, &pp, &["retentionInDays"]),
        }),
        "microsoft.authorization/policyassignments" => m.policy_assignments.push(PolicyAssignment {
            origin: x.origin(r, ptr, keys),
            definition: x.s(p, &pp, &["policyDefinitionId"]),
            effect: x.s(p, &pp, &["parameters", "effect", "value"]),
            enforced: x
                .s(p, &pp, &["enforcementMode"])
                .map(|s| !s.eq_ignore_ascii_case("DoNotEnforce")),
        }),
        _ => {}
    }
}

fn arm_rule(x: &Reader, p: &Node, pp: &str, name: &str, nsg: Setting<String>, pos: Pos) -> NsgRule {
    let one_or_many = |one: &str, many: &str| {
        let s = x.list(p, pp, &[many]);
        match &s {
            Setting::Set(v, _) if !v.is_empty() => s,
            Setting::Unknown(..) => s,
            _ => x.list(p, pp, &[one]),
        }
    };
    NsgRule {
        at: x.loc(pos, pp),
        object: x.object.clone(),
        name: name.to_string(),
        nsg,
        direction: x.s(p, pp, &["direction"]),
        access: x.s(p, pp, &["access"]),
        sources: one_or_many("sourceAddressPrefix", "sourceAddressPrefixes"),
        ports: one_or_many("destinationPortRange", "destinationPortRanges"),
    }
}

fn agent_pool(x: &Reader, p: &Node, pp: &str, name: String, separate: bool) -> NodePool {
    let b = |path: &[&str]| x.b(p, pp, path);
    let s = |path: &[&str]| x.s(p, pp, path);
    NodePool {
        name: p.get_str("name").map_or(name, str::to_string),
        at: x.loc(p.pos, pp),
        object: x.object.clone(),
        separate,
        mode: s(&["mode"]),
        node_public_ip: b(&["enableNodePublicIP"]),
        host_encryption: b(&["enableEncryptionAtHost"]),
        zones: x.list(p, pp, &["availabilityZones"]),
        auto_scaling: b(&["enableAutoScaling"]),
        min_count: x.n(p, pp, &["minCount"]),
        count: x.n(p, pp, &["count"]),
        os_sku: s(&["osSKU"]),
        os_type: s(&["osType"]),
        os_disk_type: s(&["osDiskType"]),
        fips: b(&["enableFIPS"]),
        secure_boot: b(&["securityProfile", "enableSecureBoot"]),
        vtpm: b(&["securityProfile", "enableVTPM"]),
        vnet_subnet: x.link(p, pp, &["vnetSubnetID"]),
        orchestrator_version: s(&["orchestratorVersion"]),
        taints: x.list(p, pp, &["nodeTaints"]),
        only_critical_addons: Setting::Absent,
        ssh_access: s(&["securityProfile", "sshAccess"]),
    }
}

fn addon(x: &Reader, p: &Node, pp: &str, key: &str) -> Addon {
    Addon {
        enabled: x.b(p, pp, &["addonProfiles", key, "enabled"]),
        workspace: x.s(
            p,
            pp,
            &["addonProfiles", key, "config", "logAnalyticsWorkspaceResourceID"],
        ),
        rotation: x.b(p, pp, &["addonProfiles", key, "config", "enableSecretRotation"]),
        rotation_interval: x.s(p, pp, &["addonProfiles", key, "config", "rotationPollInterval"]),
    }
}

#[allow(clippy::too_many_arguments)]
fn cluster(x: &Reader, r: &Node, ptr: &str, p: &Node, pp: &str, keys: Vec<String>, name: &str) -> AksCluster {
    let b = |path: &[&str]| x.b(p, pp, path);
    let s = |path: &[&str]| x.s(p, pp, path);
    let aad = x.present(p, pp, &["aadProfile"]);
    let legacy = ["serverAppID", "clientAppID", "serverAppSecret"]
        .iter()
        .map(|k| s(&["aadProfile", k]))
        .find(|v| v.known().is_some_and(|v| !v.is_empty()) || v.unknown_reason().is_some())
        .map_or(Setting::Absent, |v| v.map(|_| true));
    let mut node_pools = Vec::new();
    if let Got::Node(list, _) = x.at(p, pp, &["agentPoolProfiles"]) {
        for (i, ap) in list.as_seq().unwrap_or_default().iter().enumerate() {
            let app = format!(
                "{pp}/{}/{i}",
                entry_ci(p, "agentPoolProfiles").map_or("agentPoolProfiles", |e| e.key.as_str())
            );
            node_pools.push(agent_pool(x, ap, &app, format!("pool{i}"), false));
        }
    }
    let own = keys.first().cloned().unwrap_or_default();
    let mut kubelet_principal_keys = vec![
        format!("{own}#identityprofile.kubeletidentity.objectid"),
        format!("{own}#full.properties.identityprofile.kubeletidentity.objectid"),
    ];
    if let Some(id) = s(&["identityProfile", "kubeletidentity", "objectId"]).known() {
        kubelet_principal_keys.push(literal_key(id));
    }
    let mut kv_identity_keys = vec![format!(
        "{own}#addonprofiles.azurekeyvaultsecretsprovider.identity.objectid"
    )];
    if let Some(id) = s(&["addonProfiles", "azureKeyvaultSecretsProvider", "identity", "objectId"]).known() {
        kv_identity_keys.push(literal_key(id));
    }
    let mut oidc_issuer_keys = vec![format!("{own}#oidcissuerprofile.issuerurl")];
    if let Some(u) = s(&["oidcIssuerProfile", "issuerURL"]).known() {
        oidc_issuer_keys.push(literal_key(u));
    }
    let diagnostics = if x.format == Format::Az {
        Diagnostics::Unknown(
            "diagnostic settings are not part of `az aks show` output (scan `az monitor diagnostic-settings list \
             --resource <cluster id> -o json` output, or the Terraform/ARM that creates them)"
                .into(),
        )
    } else {
        Diagnostics::Linked(Vec::new())
    };
    AksCluster {
        origin: x.origin(r, ptr, keys),
        name: name.to_string(),
        aad_managed: match b(&["aadProfile", "managed"]) {
            Setting::Absent if matches!(aad, Setting::Set(true, _)) => {
                Setting::Set(false, aad.location().cloned().unwrap_or_default())
            }
            v => v,
        },
        aad,
        aad_legacy_app: legacy,
        azure_rbac: b(&["aadProfile", "enableAzureRBAC"]),
        admin_groups: x.list(p, pp, &["aadProfile", "adminGroupObjectIDs"]),
        local_accounts_disabled: b(&["disableLocalAccounts"]),
        rbac: b(&["enableRBAC"]),
        identity_type: x.s(r, ptr, &["identity", "type"]),
        service_principal: s(&["servicePrincipalProfile", "clientId"]),
        workload_identity: b(&["securityProfile", "workloadIdentity", "enabled"]),
        oidc_issuer: b(&["oidcIssuerProfile", "enabled"]),
        oidc_issuer_keys,
        pod_identity: b(&["podIdentityProfile", "enabled"]),
        run_command_disabled: b(&["apiServerAccessProfile", "disableRunCommand"]),
        private_cluster: b(&["apiServerAccessProfile", "enablePrivateCluster"]),
        private_public_fqdn: b(&["apiServerAccessProfile", "enablePrivateClusterPublicFQDN"]),
        authorized_ip_ranges: x.list(p, pp, &["apiServerAccessProfile", "authorizedIPRanges"]),
        network_plugin: s(&["networkProfile", "networkPlugin"]),
        network_plugin_mode: s(&["networkProfile", "networkPluginMode"]),
        network_policy: s(&["networkProfile", "networkPolicy"]),
        network_dataplane: s(&["networkProfile", "networkDataplane"]),
        outbound_type: s(&["networkProfile", "outboundType"]),
        azure_policy: addon(x, p, pp, "azurepolicy"),
        oms_agent: addon(x, p, pp, "omsagent"),
        kv_secrets_provider: addon(x, p, pp, "azureKeyvaultSecretsProvider"),
        http_app_routing: addon(x, p, pp, "httpApplicationRouting"),
        kube_dashboard: addon(x, p, pp, "kubeDashboard"),
        defender: b(&["securityProfile", "defender", "securityMonitoring", "enabled"]),
        kms: b(&["securityProfile", "azureKeyVaultKms", "enabled"]),
        kms_network_access: s(&["securityProfile", "azureKeyVaultKms", "keyVaultNetworkAccess"]),
        image_cleaner: b(&["securityProfile", "imageCleaner", "enabled"]),
        pod_security_policy: b(&["enablePodSecurityPolicy"]),
        service_mesh: s(&["serviceMeshProfile", "mode"]),
        upgrade_channel: s(&["autoUpgradeProfile", "upgradeChannel"]),
        node_os_channel: s(&["autoUpgradeProfile", "nodeOSUpgradeChannel"]),
        maintenance: Vec::new(),
        kubernetes_version: s(&["kubernetesVersion"]).or(s(&["currentKubernetesVersion"])),
        disk_encryption_set: s(&["diskEncryptionSetID"]),
        sku_tier: x.s(r, ptr, &["sku", "tier"]),
        node_pools,
        node_pools_unknown: None,
        diagnostics,
        kubelet_principal_keys,
        kv_identity_keys,
    }
}
