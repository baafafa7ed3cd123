//! The Terraform syntax tree palisade-input's HCL reader produces, and the values the evaluator computes from it.
//!
//! The tree keeps only what evaluation needs (blocks, attributes, expressions) and the position of every
//! attribute, block and expression. Constructs the evaluator does not model are kept as
//! [`ExprKind::Unsupported`] so that the settings depending on them become Unknown instead of being guessed.

use crate::node::Pos;
use std::sync::Arc;

/// What a Terraform file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TfFileKind {
    /// A configuration file (`*.tf`).
    Config,
    /// A variable definitions file (`*.tfvars`): attributes only.
    Vars,
}

/// One parsed Terraform file.
#[derive(Clone, Debug, PartialEq)]
pub struct TfFile {
    /// The file label.
    pub file: Arc<str>,
    /// Configuration or variable definitions.
    pub kind: TfFileKind,
    /// The top-level body.
    pub body: Body,
}

/// A body: attributes and nested blocks, in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Body {
    /// `name = expr` lines.
    pub attrs: Vec<Attr>,
    /// Nested blocks.
    pub blocks: Vec<Block>,
}

impl Body {
    /// The attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// Nested blocks of type `ident`.
    pub fn blocks<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ident == ident)
    }
}

/// An attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    /// Its name.
    pub name: String,
    /// Where its name starts.
    pub pos: Pos,
    /// Its value.
    pub expr: Expr,
}

/// A block (`resource "type" "name" { ... }`).
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Block type (`resource`, `network_profile`, ...).
    pub ident: String,
    /// Labels.
    pub labels: Vec<String>,
    /// Where the block starts.
    pub pos: Pos,
    /// Its body.
    pub body: Body,
}

/// An expression with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// Where the expression starts.
    pub pos: Pos,
    /// What it is.
    pub kind: ExprKind,
}

/// Expression forms.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string without interpolation.
    Str(String),
    /// A string or heredoc with interpolations.
    Template(Vec<TemplatePart>),
    /// `[a, b]`.
    Array(Vec<Expr>),
    /// `{ k = v }`.
    Object(Vec<(ObjKey, Expr)>),
    /// A bare identifier (`var`, `local`, `azurerm_kubernetes_cluster`, `each`, ...).
    Var(String),
    /// `expr.attr`, `expr[i]`, `expr.*`.
    Traversal(Box<Expr>, Vec<TravOp>),
    /// `name(args...)`; the flag is `...` expansion of the last argument.
    Call(String, Vec<Expr>, bool),
    /// `cond ? a : b`.
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `!x`, `-x`.
    Unary(UnaryOp, Box<Expr>),
    /// `a op b`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `[for k, v in coll : value if cond]` / `{for k, v in coll : key => value}`.
    For(Box<ForExpr>),
    /// Anything not modelled (template directives, ...), with what it was.
    Unsupported(String),
}

/// A part of a string template.
#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    /// Literal text.
    Lit(String),
    /// `${expr}`.
    Interp(Expr),
    /// `%{ ... }` directives.
    Unsupported(String),
}

/// An object key.
#[derive(Clone, Debug, PartialEq)]
pub enum ObjKey {
    /// A bare identifier key.
    Ident(String),
    /// An expression key (`"x"`, `(var.k)`).
    Expr(Expr),
}

/// A traversal step.
#[derive(Clone, Debug, PartialEq)]
pub enum TravOp {
    /// `.name`.
    Attr(String),
    /// `[expr]` or legacy `.0`.
    Index(Expr),
    /// `.*` or `[*]`.
    Splat,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!`.
    Not,
    /// `-`.
    Neg,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `==`.
    Eq,
    /// `!=`.
    NotEq,
    /// `<`.
    Less,
    /// `<=`.
    LessEq,
    /// `>`.
    Greater,
    /// `>=`.
    GreaterEq,
    /// `+`.
    Plus,
    /// `-`.
    Minus,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Mod,
    /// `&&`.
    And,
    /// `||`.
    Or,
}

/// A `for` expression.
#[derive(Clone, Debug, PartialEq)]
pub struct ForExpr {
    /// Key variable (`k` in `for k, v in ...`).
    pub key_var: Option<String>,
    /// Value variable.
    pub value_var: String,
    /// The collection.
    pub coll: Expr,
    /// Key expression (object `for` only).
    pub key: Option<Expr>,
    /// Value expression.
    pub value: Expr,
    /// `if` condition.
    pub cond: Option<Expr>,
    /// `...` grouping (object `for`).
    pub grouping: bool,
}

/// An evaluated value with the position it is reported at.
#[derive(Clone, Debug, PartialEq)]
pub struct TfNode {
    /// Where findings about this value point (the attribute's name, or the value).
    pub pos: Pos,
    /// The value.
    pub val: TfVal,
}

/// An evaluated Terraform value.
#[derive(Clone, Debug, PartialEq)]
pub enum TfVal {
    /// `null` (Terraform: the argument is unset).
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
    /// A list, set or tuple; nested blocks of one type are a list of objects.
    List(Vec<TfNode>),
    /// An object or map, keys in order.
    Map(Vec<(String, TfNode)>),
    /// A reference to an attribute of another resource (`azurerm_kubernetes_cluster.main.id`), computed at apply
    /// time; kept symbolic so resources can be linked.
    Ref(String),
    /// A value this static evaluation cannot determine, and why.
    Unknown(String),
}

impl TfNode {
    /// A node.
    pub fn new(pos: Pos, val: TfVal) -> Self {
        Self { pos, val }
    }

    /// The value of key `k` when this is a map.
    pub fn get(&self, k: &str) -> Option<&TfNode> {
        match &self.val {
            TfVal::Map(m) => m.iter().find(|(key, _)| key == k).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The first nested block `k` (blocks are lists of objects).
    pub fn block(&self, k: &str) -> Option<&TfNode> {
        let v = self.get(k)?;
        match &v.val {
            TfVal::List(items) => items.first(),
            TfVal::Map(_) | TfVal::Unknown(_) => Some(v),
            _ => None,
        }
    }

    /// Every nested block `k`.
    pub fn blocks(&self, k: &str) -> Vec<&TfNode> {
        match self.get(k).map(|v| &v.val) {
            Some(TfVal::List(items)) => items.iter().collect(),
            Some(TfVal::Map(_) | TfVal::Unknown(_)) => self.get(k).into_iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The string, when known.
    pub fn as_str(&self) -> Option<&str> {
        match &self.val {
            TfVal::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl TfVal {
    /// True for values that are not known at plan time.
    pub fn is_unknown(&self) -> bool {
        matches!(self, TfVal::Unknown(_) | TfVal::Ref(_))
    }

    /// Why the value is unknown, when it is.
    pub fn unknown_reason(&self) -> Option<String> {
        match self {
            TfVal::Unknown(r) => Some(r.clone()),
            TfVal::Ref(r) => Some(format!("{r} is only known after apply")),
            _ => None,
        }
    }

    /// Terraform's string form of a primitive value.
    pub fn to_string_value(&self) -> Option<String> {
        match self {
            TfVal::Str(s) => Some(s.clone()),
            TfVal::Bool(b) => Some(b.to_string()),
            TfVal::Num(n) => Some(fmt_num(*n)),
            _ => None,
        }
    }

    /// A boolean, with Terraform's string conversion (`"true"`/`"false"`).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            TfVal::Bool(b) => Some(*b),
            TfVal::Str(s) if s == "true" => Some(true),
            TfVal::Str(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// A number, with Terraform's string conversion.
    pub fn as_num(&self) -> Option<f64> {
        match self {
            TfVal::Num(n) => Some(*n),
            TfVal::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// Terraform's number formatting: integers without a fraction.
pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
