//! JUnit XML, for CI test tabs: one testsuite per rule (or per file, or per control of a selected framework), one
//! testcase per object and rule. Passes are included, so dashboards show what was checked, not only what failed;
//! suppressed findings and cross-object checks that could not be decided are skipped testcases; tool errors are
//! errored testcases in a `palisade` testsuite.

use crate::escape::{xml, xml_attr};
use crate::{Report, ScannedObject};
use palisade_core::{Finding, ObjectRef, RuleMeta, Target};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// How testcases are grouped into testsuites.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Grouping {
    /// One testsuite per rule (the default).
    #[default]
    Rule,
    /// One testsuite per input file.
    File,
}

/// Options of the JUnit renderer.
#[derive(Clone, Copy, Debug, Default)]
pub struct JunitOptions {
    /// Testsuite grouping (a selected framework groups by control instead).
    pub group: Grouping,
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct ObjKey {
    file: String,
    document: usize,
    kind: String,
    namespace: String,
    name: String,
}

impl ObjKey {
    fn of(file: &str, document: usize, o: &ObjectRef) -> Self {
        ObjKey {
            file: file.to_string(),
            document,
            kind: o.kind.clone(),
            namespace: o.namespace.clone().unwrap_or_default(),
            name: o.name.clone().unwrap_or_default(),
        }
    }
}

enum Outcome<'a> {
    Pass,
    Fail(Vec<&'a Finding>),
    Skip(String),
    Error(String, String),
}

struct Case<'a> {
    rule: String,
    rule_name: String,
    object: String,
    file: String,
    line: u32,
    outcome: Outcome<'a>,
}

/// How a suppression mechanism is named in reports.
pub fn suppression_kind(k: palisade_core::suppress::SuppressionKind) -> &'static str {
    use palisade_core::suppress::SuppressionKind;
    match k {
        SuppressionKind::Annotation => "annotation",
        SuppressionKind::Comment => "comment",
        SuppressionKind::Config => "config",
    }
}

fn object_label(o: &ObjectRef) -> String {
    o.to_string()
}

/// Builds every testcase, in object order then rule order.
fn cases<'a>(report: &'a Report) -> Vec<Case<'a>> {
    let result = report.result;
    let rules: Vec<&'static RuleMeta> = {
        let mut r = report.enabled_rules();
        for f in &result.findings {
            if let Some(m) = report.rule(f.rule) {
                if !r.iter().any(|x| x.id == m.id) {
                    r.push(m);
                }
            }
        }
        r.sort_by_key(|m| m.id);
        r
    };
    let mut by_obj_rule: HashMap<(ObjKey, &str), Vec<&Finding>> = HashMap::new();
    for f in &result.findings {
        by_obj_rule
            .entry((ObjKey::of(&f.location.file, f.location.document, &f.object), f.rule))
            .or_default()
            .push(f);
    }
    let mut suppressed: HashMap<(ObjKey, &str), String> = HashMap::new();
    for s in &result.suppressed {
        let f = &s.finding;
        suppressed
            .entry((ObjKey::of(&f.location.file, f.location.document, &f.object), f.rule))
            .or_insert_with(|| {
                format!(
                    "suppressed by {}: {}",
                    suppression_kind(s.suppression.kind),
                    s.suppression.reason
                )
            });
    }
    let mut out: Vec<Case> = Vec::new();
    let mut seen: std::collections::HashSet<(ObjKey, &str)> = std::collections::HashSet::new();
    let index_rule = |m: &RuleMeta| m.target == Target::Index;

    // Objects the scan saw: a testcase per applicable per-object rule.
    let scanned: &[ScannedObject] = report.scanned.unwrap_or(&[]);
    for o in scanned {
        let key = ObjKey::of(&o.file, o.document, &o.object);
        for m in rules.iter().filter(|m| !index_rule(m) && o.is_target_of(m.target)) {
            let k = (key.clone(), m.id);
            let outcome = match by_obj_rule.get(&k) {
                Some(fs) => Outcome::Fail(fs.clone()),
                None => match suppressed.get(&k) {
                    Some(why) => Outcome::Skip(why.clone()),
                    None => Outcome::Pass,
                },
            };
            seen.insert(k);
            out.push(Case {
                rule: m.id.to_string(),
                rule_name: m.name.to_string(),
                object: object_label(&o.object),
                file: o.file.clone(),
                line: o.line,
                outcome,
            });
        }
    }
    // Findings on objects not listed above (cross-object rules, or no object list): one testcase each.
    let mut rest: BTreeMap<(ObjKey, &str), Vec<&Finding>> = BTreeMap::new();
    for f in &result.findings {
        let k = (ObjKey::of(&f.location.file, f.location.document, &f.object), f.rule);
        if !seen.contains(&k) {
            rest.entry(k).or_default().push(f);
        }
    }
    for ((key, rule), fs) in rest {
        let Some(first) = fs.first() else { continue };
        out.push(Case {
            rule: rule.to_string(),
            rule_name: first.name.to_string(),
            object: object_label(&first.object),
            file: key.file.clone(),
            line: first.location.line,
            outcome: Outcome::Fail(fs.clone()),
        });
        seen.insert((key, rule));
    }
    // Rules that reported nothing on any object: a passing (or skipped) testcase for the whole scan, so every
    // rule that ran shows up.
    for m in &rules {
        let any_case = out.iter().any(|c| c.rule == m.id);
        let undecided: Vec<String> = result
            .not_evaluated
            .iter()
            .filter(|n| n.rule == m.id)
            .map(|n| format!("not evaluated for {}: {}", n.scope, n.reason))
            .collect();
        for why in &undecided {
            out.push(Case {
                rule: m.id.to_string(),
                rule_name: m.name.to_string(),
                object: "(not evaluated)".into(),
                file: String::new(),
                line: 0,
                outcome: Outcome::Skip(why.clone()),
            });
        }
        if !any_case && (index_rule(m) || report.scanned.is_none()) {
            out.push(Case {
                rule: m.id.to_string(),
                rule_name: m.name.to_string(),
                object: "(all scanned objects)".into(),
                file: String::new(),
                line: 0,
                outcome: Outcome::Pass,
            });
        }
    }
    for e in &result.errors {
        out.push(Case {
            rule: "palisade".into(),
            rule_name: e.kind.clone(),
            object: format!(
                "{}{}",
                e.file,
                if e.line > 0 {
                    format!(":{}", e.line)
                } else {
                    String::new()
                }
            ),
            file: e.file.clone(),
            line: e.line,
            outcome: Outcome::Error(e.kind.clone(), e.message.clone()),
        });
    }
    out
}

fn write_case(out: &mut String, suite_by: SuiteBy, c: &Case) {
    let (name, classname) = match suite_by {
        SuiteBy::Rule | SuiteBy::Control => (c.object.clone(), c.file.clone()),
        SuiteBy::File => (
            format!("{} {}", c.rule, c.object),
            format!("{} {}", c.rule, c.rule_name),
        ),
    };
    let classname = if classname.is_empty() {
        c.rule.clone()
    } else {
        classname
    };
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
        xml_attr(&name),
        xml_attr(&classname)
    );
    if !c.file.is_empty() {
        let _ = write!(out, " file=\"{}\"", xml_attr(&c.file));
        if c.line > 0 {
            let _ = write!(out, " line=\"{}\"", c.line);
        }
    }
    match &c.outcome {
        Outcome::Pass => out.push_str("/>\n"),
        Outcome::Skip(why) => {
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                xml_attr(why)
            );
        }
        Outcome::Error(kind, msg) => {
            let _ = writeln!(
                out,
                ">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>",
                xml_attr(msg),
                xml_attr(kind),
                xml(msg)
            );
        }
        Outcome::Fail(fs) => {
            let Some(first) = fs.first() else {
                out.push_str("/>\n");
                return;
            };
            let worst = fs.iter().map(|f| f.severity).max().unwrap_or(first.severity);
            let mut message = first.message.clone();
            if fs.len() > 1 {
                let _ = write!(message, " (and {} more)", fs.len() - 1);
            }
            let mut body = String::new();
            for f in fs {
                let l = &f.location;
                let _ = writeln!(
                    body,
                    "{} {} {}\n{}:{}:{}\n{}\nfix: {}\n",
                    f.rule, f.severity, f.object, l.file, l.line, l.column, f.message, f.remediation
                );
            }
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                xml_attr(&message),
                worst.as_str(),
                xml(body.trim_end())
            );
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SuiteBy {
    Rule,
    File,
    Control,
}

/// Renders the report as JUnit XML.
pub fn render(report: &Report, opts: JunitOptions) -> String {
    let all = cases(report);
    let compliance = report.compliance();
    let suite_by = if compliance.is_some() {
        SuiteBy::Control
    } else if opts.group == Grouping::File {
        SuiteBy::File
    } else {
        SuiteBy::Rule
    };
    // (suite name, cases) in a stable order.
    let mut suites: Vec<(String, Vec<&Case>)> = Vec::new();
    match (&compliance, suite_by) {
        (Some(ev), _) => {
            for cr in &ev.controls {
                let name = format!("{} {}", cr.control.id, cr.control.title);
                let members: Vec<&Case> = all
                    .iter()
                    .filter(|c| cr.control.rules.iter().any(|r| *r == c.rule))
                    .collect();
                suites.push((name, members));
            }
            let errors: Vec<&Case> = all.iter().filter(|c| matches!(c.outcome, Outcome::Error(..))).collect();
            if !errors.is_empty() {
                suites.push(("palisade".into(), errors));
            }
        }
        (None, SuiteBy::File) => {
            let mut order: Vec<String> = Vec::new();
            let mut map: HashMap<String, Vec<&Case>> = HashMap::new();
            for c in &all {
                let key = if c.file.is_empty() {
                    "(scan)".to_string()
                } else {
                    c.file.clone()
                };
                if !map.contains_key(&key) {
                    order.push(key.clone());
                }
                map.entry(key).or_default().push(c);
            }
            for k in order {
                let cs = map.remove(&k).unwrap_or_default();
                suites.push((k, cs));
            }
        }
        (None, _) => {
            let mut map: BTreeMap<(String, String), Vec<&Case>> = BTreeMap::new();
            for c in &all {
                map.entry((c.rule.clone(), c.rule_name.clone())).or_default().push(c);
            }
            for ((rule, name), cs) in map {
                let suite = if rule == "palisade" {
                    rule
                } else {
                    format!("{rule} {name}")
                };
                suites.push((suite, cs));
            }
        }
    }
    let count = |cs: &[&Case], pred: fn(&Outcome) -> bool| cs.iter().filter(|c| pred(&c.outcome)).count();
    let is_fail: fn(&Outcome) -> bool = |o| matches!(o, Outcome::Fail(_));
    let is_err: fn(&Outcome) -> bool = |o| matches!(o, Outcome::Error(..));
    let is_skip: fn(&Outcome) -> bool = |o| matches!(o, Outcome::Skip(_));
    let all_refs: Vec<&Case> = suites.iter().flat_map(|(_, cs)| cs.iter().copied()).collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"palisade\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">",
        all_refs.len(),
        count(&all_refs, is_fail),
        count(&all_refs, is_err),
        count(&all_refs, is_skip)
    );
    for (name, cs) in &suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">",
            xml_attr(name),
            cs.len(),
            count(cs, is_fail),
            count(cs, is_err),
            count(cs, is_skip)
        );
        for c in cs {
            write_case(&mut out, suite_by, c);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
