//! Terraform HCL (`*.tf`, `*.tfvars`) read with hcl-edit into palisade-core's Terraform syntax tree, with the line
//! and column of every block, attribute and expression. Evaluation happens later, over all files of a module.

use crate::error::{ParseError, ParseErrorKind};
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{BlockLabel, Body, Structure};
use hcl_edit::template::{Element, Template};
use hcl_edit::Span;
use palisade_core::aks::hcl::{
    Attr, BinaryOp, Block, Body as TfBody, Expr, ExprKind, ForExpr, ObjKey, TemplatePart, TfFile, TfFileKind, TravOp,
    UnaryOp,
};
use palisade_core::aks::tfmap::RESOURCE_TYPES;
use palisade_core::Pos;
use std::sync::Arc;

/// Deepest bracket nesting accepted: hcl-edit parses recursively, so deeper input is refused before parsing.
const MAX_NESTING: usize = 128;

/// Line starts of a text, for positions of byte offsets.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { text, starts }
    }

    fn pos(&self, offset: usize) -> Pos {
        let line = self.starts.partition_point(|s| *s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let seg = self.text.get(start..offset.min(self.text.len())).unwrap_or_default();
        let col = seg.chars().count() + 1;
        Pos::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }

    fn at(&self, s: &impl Span) -> Pos {
        s.span().map_or(Pos::new(1, 1), |r| self.pos(r.start))
    }
}

/// Maximum nesting of `(`, `[` and `{` outside strings and comments (approximate: heredocs count as text).
fn nesting(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut in_str = false;
    let mut prev = 0u8;
    for &b in text.as_bytes() {
        if in_str {
            if b == b'"' && prev != b'\\' {
                in_str = false;
            }
        } else {
            match b {
                b'"' => in_str = true,
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    max = max.max(depth);
                }
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = if prev == b'\\' && b == b'\\' { 0 } else { b };
    }
    max
}

/// True when a file label names a Terraform file.
pub(crate) fn is_terraform_label(label: &str) -> bool {
    label.ends_with(".tf") || label.ends_with(".tfvars")
}

/// Parses a Terraform file.
pub(crate) fn parse(label: &str, text: &str) -> Result<TfFile, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if nesting(text) > MAX_NESTING {
        let message = format!("expressions nested deeper than {MAX_NESTING} levels");
        return Err(ParseError::new(1, 1, 1, ParseErrorKind::TooDeep, message));
    }
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        let message = format!("invalid HCL: {}", e.message());
        ParseError::new(
            1,
            u32::try_from(loc.line()).unwrap_or(1),
            u32::try_from(loc.column()).unwrap_or(1),
            ParseErrorKind::Syntax,
            message,
        )
    })?;
    let lines = Lines::new(text);
    let kind = if label.ends_with(".tfvars") {
        TfFileKind::Vars
    } else {
        TfFileKind::Config
    };
    Ok(TfFile {
        file: Arc::from(label),
        kind,
        body: top_level(&body, &lines, kind),
    })
}

/// The top-level body, keeping only what the AKS model reads: variables, locals and the resources of
/// [`RESOURCE_TYPES`] (references to other resources stay symbolic, so their bodies are never needed).
fn top_level(b: &Body, l: &Lines, kind: TfFileKind) -> TfBody {
    if kind == TfFileKind::Vars {
        return body_of(b, l);
    }
    let mut out = TfBody::default();
    for s in b.iter() {
        let Structure::Block(blk) = s else { continue };
        let keep = match blk.ident.value().as_str() {
            "variable" | "locals" => true,
            "resource" => {
                matches!(blk.labels.first(), Some(BlockLabel::String(t)) if RESOURCE_TYPES.contains(&t.value().as_str()))
            }
            _ => false,
        };
        if keep {
            out.blocks.push(block_of(blk, l));
        }
    }
    out
}

fn block_of(blk: &hcl_edit::structure::Block, l: &Lines) -> Block {
    Block {
        ident: blk.ident.value().as_str().to_string(),
        labels: blk
            .labels
            .iter()
            .map(|lb| match lb {
                BlockLabel::Ident(i) => i.value().as_str().to_string(),
                BlockLabel::String(s) => s.value().clone(),
            })
            .collect(),
        pos: l.at(&blk.ident),
        body: body_of(&blk.body, l),
    }
}

fn body_of(b: &Body, l: &Lines) -> TfBody {
    let mut out = TfBody::default();
    for s in b.iter() {
        match s {
            Structure::Attribute(a) => out.attrs.push(Attr {
                name: a.key.value().as_str().to_string(),
                pos: l.at(&a.key),
                expr: expr(&a.value, l),
            }),
            Structure::Block(blk) => out.blocks.push(block_of(blk, l)),
        }
    }
    out
}

fn template(t: &Template, l: &Lines) -> Vec<TemplatePart> {
    t.iter()
        .map(|e| match e {
            Element::Literal(s) => TemplatePart::Lit(s.value().clone()),
            Element::Interpolation(i) => TemplatePart::Interp(expr(&i.expr, l)),
            Element::Directive(_) => TemplatePart::Unsupported("%{ } directive".into()),
        })
        .collect()
}

fn expr(e: &Expression, l: &Lines) -> Expr {
    let pos = l.at(e);
    let kind = match e {
        Expression::Null(_) => ExprKind::Null,
        Expression::Bool(b) => ExprKind::Bool(*b.value()),
        Expression::Number(n) => n
            .value()
            .as_f64()
            .map_or_else(|| ExprKind::Unsupported("number".into()), ExprKind::Num),
        Expression::String(s) => ExprKind::Str(s.value().clone()),
        Expression::Array(a) => ExprKind::Array(a.iter().map(|x| expr(x, l)).collect()),
        Expression::Object(o) => ExprKind::Object(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(i) => ObjKey::Ident(i.value().as_str().to_string()),
                        ObjectKey::Expression(x) => ObjKey::Expr(expr(x, l)),
                    };
                    (key, expr(v.expr(), l))
                })
                .collect(),
        ),
        Expression::StringTemplate(t) => ExprKind::Template(template(t, l)),
        Expression::HeredocTemplate(h) => ExprKind::Template(template(&h.template, l)),
        Expression::Parenthesis(p) => return expr(p.inner(), l),
        Expression::Variable(v) => ExprKind::Var(v.value().as_str().to_string()),
        Expression::Conditional(c) => ExprKind::Cond(
            Box::new(expr(&c.cond_expr, l)),
            Box::new(expr(&c.true_expr, l)),
            Box::new(expr(&c.false_expr, l)),
        ),
        Expression::FuncCall(f) => {
            let name = if f.name.namespace.is_empty() {
                f.name.name.value().as_str().to_string()
            } else {
                let mut parts: Vec<String> = f
                    .name
                    .namespace
                    .iter()
                    .map(|n| n.value().as_str().to_string())
                    .collect();
                parts.push(f.name.name.value().as_str().to_string());
                parts.join("::")
            };
            ExprKind::Call(name, f.args.iter().map(|a| expr(a, l)).collect(), f.args.expand_final())
        }
        Expression::Traversal(t) => ExprKind::Traversal(
            Box::new(expr(&t.expr, l)),
            t.operators
                .iter()
                .map(|op| match op.value() {
                    TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => TravOp::Splat,
                    TraversalOperator::GetAttr(a) => TravOp::Attr(a.value().as_str().to_string()),
                    TraversalOperator::Index(i) => TravOp::Index(expr(i, l)),
                    TraversalOperator::LegacyIndex(i) => TravOp::Index(Expr {
                        pos: l.at(i),
                        kind: ExprKind::Num(*i.value() as f64),
                    }),
                })
                .collect(),
        ),
        Expression::UnaryOp(u) => ExprKind::Unary(
            match u.operator.value() {
                UnaryOperator::Not => UnaryOp::Not,
                UnaryOperator::Neg => UnaryOp::Neg,
            },
            Box::new(expr(&u.expr, l)),
        ),
        Expression::BinaryOp(b) => {
            let op = match b.operator.value() {
                BinaryOperator::Eq => BinaryOp::Eq,
                BinaryOperator::NotEq => BinaryOp::NotEq,
                BinaryOperator::LessEq => BinaryOp::LessEq,
                BinaryOperator::GreaterEq => BinaryOp::GreaterEq,
                BinaryOperator::Less => BinaryOp::Less,
                BinaryOperator::Greater => BinaryOp::Greater,
                BinaryOperator::Mul => BinaryOp::Mul,
                BinaryOperator::Div => BinaryOp::Div,
                BinaryOperator::Mod => BinaryOp::Mod,
                BinaryOperator::Plus => BinaryOp::Plus,
                BinaryOperator::Minus => BinaryOp::Minus,
                BinaryOperator::And => BinaryOp::And,
                BinaryOperator::Or => BinaryOp::Or,
            };
            ExprKind::Binary(op, Box::new(expr(&b.lhs_expr, l)), Box::new(expr(&b.rhs_expr, l)))
        }
        Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
            key_var: f.intro.key_var.as_ref().map(|k| k.value().as_str().to_string()),
            value_var: f.intro.value_var.value().as_str().to_string(),
            coll: expr(&f.intro.collection_expr, l),
            key: f.key_expr.as_ref().map(|k| expr(k, l)),
            value: expr(&f.value_expr, l),
            cond: f.cond.as_ref().map(|c| expr(&c.expr, l)),
            grouping: f.grouping,
        })),
    };
    Expr { pos, kind }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_shapes() {
        let src = "resource \"azurerm_kubernetes_cluster\" \"main\" {\n  name = \"aks-${var.env}\"\n  network_profile {\n    network_policy = \"azure\"\n  }\n}\n";
        let f = parse("main.tf", src).unwrap();
        let r = &f.body.blocks[0];
        assert_eq!(r.labels, vec!["azurerm_kubernetes_cluster", "main"]);
        assert_eq!(r.pos, Pos::new(1, 1));
        assert_eq!(r.body.attrs[0].pos, Pos::new(2, 3));
        assert!(matches!(r.body.attrs[0].expr.kind, ExprKind::Template(_)));
        assert_eq!(r.body.blocks[0].body.attrs[0].pos, Pos::new(4, 5));
        let err = parse("bad.tf", "resource \"x\" {\n  a = \n}\n").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::Syntax);
        let deep = format!("a = {}1{}", "(".repeat(500), ")".repeat(500));
        assert_eq!(parse("deep.tf", &deep).unwrap_err().kind, ParseErrorKind::TooDeep);
    }

    #[test]
    fn truncated_and_mangled_files_never_panic() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/aks");
        for f in ["terraform-insecure/main.tf", "terraform-hardened/main.tf"] {
            let text = std::fs::read_to_string(format!("{root}/{f}")).unwrap();
            let cuts: Vec<usize> = (0..text.len())
                .step_by(7)
                .filter(|i| text.is_char_boundary(*i))
                .collect();
            for cut in cuts {
                for variant in [
                    text[..cut].to_string(),
                    format!("{}{}", &text[..cut], &text[cut..].replace('}', "")),
                ] {
                    if let Ok(file) = parse("x/main.tf", &variant) {
                        let mut inputs = palisade_core::aks::AksInputs::default();
                        inputs.terraform.push(file);
                        let _ = palisade_core::aks::build(&inputs);
                    }
                }
            }
        }
    }
}
