//! JUnit XML, for CI test tabs: one testsuite per rule (or per file, or per control of a selected framework), one
//! testcase per object and rule. Passes are included, so dashboards show what was checked, not only what failed;
//! suppressed findings and cross-object checks that could not be decided are skipped testcases; tool errors are
//! errored testcases in a `palisade` testsuite.

use crate::escape::{push_xml, xml_attr};
use crate::{Report, ScannedObject};
use palisade_core::{Finding, ObjectRef, RuleMeta, Target};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;
use std::rc::Rc;

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

/// An object as findings and scanned objects name it, borrowed: file, document, kind, namespace, name (ordered
/// in that order).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct ObjKey<'a> {
    file: &'a str,
    document: usize,
    kind: &'a str,
    namespace: &'a str,
    name: &'a str,
}

impl<'a> ObjKey<'a> {
    fn of(file: &'a str, document: usize, o: &'a ObjectRef) -> Self {
        ObjKey {
            file,
            document,
            kind: &o.kind,
            namespace: o.namespace.as_deref().unwrap_or(""),
            name: o.name.as_deref().unwrap_or(""),
        }
    }
}

enum Outcome<'a> {
    Pass,
    Fail(Vec<&'a Finding>),
    Skip(String),
    Error(String, String),
}

/// One testcase. A scan of many objects has a testcase per object and rule (passes included), so the parts are
/// borrowed or shared, never copied per testcase.
struct Case<'a> {
    rule: &'a str,
    rule_name: &'a str,
    /// The object's label, shared by its testcases.
    object: Rc<str>,
    file: &'a str,
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

fn object_label(o: &ObjectRef) -> Rc<str> {
    Rc::from(o.to_string())
}

type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Builds every testcase, in object order then rule order.
fn cases<'a>(report: &'a Report) -> Vec<Case<'a>> {
    let result = report.result;
    let rules: Vec<&'static RuleMeta> = {
        let mut r = report.enabled_rules();
        let mut listed: HashSet<&str> = r.iter().map(|m| m.id).collect();
        for f in &result.findings {
            if listed.insert(f.rule) {
                if let Some(m) = report.rule(f.rule) {
                    if !r.iter().any(|x| x.id == m.id) {
                        r.push(m);
                    }
                }
            }
        }
        r.sort_by_key(|m| m.id);
        r
    };
    // Findings by object, in report order.
    let mut by_obj: Map<ObjKey, Vec<&Finding>> = Map::default();
    for f in &result.findings {
        by_obj
            .entry(ObjKey::of(&f.location.file, f.location.document, &f.object))
            .or_default()
            .push(f);
    }
    let mut suppressed: Map<(ObjKey, &str), String> = Map::default();
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
    let index_rule = |m: &RuleMeta| m.target == Target::Index;

    // Objects the scan saw: a testcase per applicable per-object rule.
    let scanned: &[ScannedObject] = report.scanned.unwrap_or(&[]);
    let mut scanned_by_key: Map<ObjKey, Vec<&ScannedObject>> = Map::default();
    for o in scanned {
        let key = ObjKey::of(&o.file, o.document, &o.object);
        let label = object_label(&o.object);
        let own = by_obj.get(&key).map_or(&[][..], Vec::as_slice);
        for m in rules.iter().filter(|m| !index_rule(m) && o.is_target_of(m.target)) {
            let fs: Vec<&Finding> = own.iter().copied().filter(|f| f.rule == m.id).collect();
            let outcome = if fs.is_empty() {
                match suppressed.get(&(key, m.id)) {
                    Some(why) => Outcome::Skip(why.clone()),
                    None => Outcome::Pass,
                }
            } else {
                Outcome::Fail(fs)
            };
            out.push(Case {
                rule: m.id,
                rule_name: m.name,
                object: Rc::clone(&label),
                file: &o.file,
                line: o.line,
                outcome,
            });
        }
        scanned_by_key.entry(key).or_default().push(o);
    }
    // Whether an object and rule got a testcase above.
    let meta_of: Map<&str, &RuleMeta> = rules.iter().map(|m| (m.id, *m)).collect();
    let seen = |key: &ObjKey, rule: &str| {
        meta_of.get(rule).is_some_and(|m| {
            !index_rule(m)
                && scanned_by_key
                    .get(key)
                    .is_some_and(|os| os.iter().any(|o| o.is_target_of(m.target)))
        })
    };
    // Findings on objects not listed above (cross-object rules, or no object list): one testcase each.
    let mut rest: BTreeMap<(ObjKey, &str), Vec<&Finding>> = BTreeMap::new();
    for f in &result.findings {
        let key = ObjKey::of(&f.location.file, f.location.document, &f.object);
        if !seen(&key, f.rule) {
            rest.entry((key, f.rule)).or_default().push(f);
        }
    }
    for ((key, rule), fs) in rest {
        let Some(first) = fs.first() else { continue };
        out.push(Case {
            rule,
            rule_name: first.name,
            object: object_label(&first.object),
            file: key.file,
            line: first.location.line,
            outcome: Outcome::Fail(fs),
        });
    }
    // Rules that reported nothing on any object: a passing (or skipped) testcase for the whole scan, so every
    // rule that ran shows up.
    let with_cases: HashSet<&str> = out.iter().map(|c| c.rule).collect();
    for m in &rules {
        let any_case = with_cases.contains(m.id);
        for n in result.not_evaluated.iter().filter(|n| n.rule == m.id) {
            out.push(Case {
                rule: m.id,
                rule_name: m.name,
                object: Rc::from("(not evaluated)"),
                file: "",
                line: 0,
                outcome: Outcome::Skip(format!("not evaluated for {}: {}", n.scope, n.reason)),
            });
        }
        if !any_case && (index_rule(m) || report.scanned.is_none()) {
            out.push(Case {
                rule: m.id,
                rule_name: m.name,
                object: Rc::from("(all scanned objects)"),
                file: "",
                line: 0,
                outcome: Outcome::Pass,
            });
        }
    }
    for e in &result.errors {
        out.push(Case {
            rule: "palisade",
            rule_name: &e.kind,
            object: Rc::from(format!(
                "{}{}",
                e.file,
                if e.line > 0 {
                    format!(":{}", e.line)
                } else {
                    String::new()
                }
            )),
            file: &e.file,
            line: e.line,
            outcome: Outcome::Error(e.kind.clone(), e.message.clone()),
        });
    }
    out
}

fn write_case(out: &mut String, suite_by: SuiteBy, c: &Case) {
    let (name, classname): (Cow<str>, Cow<str>) = match suite_by {
        SuiteBy::Rule | SuiteBy::Control => (Cow::Borrowed(&c.object), Cow::Borrowed(c.file)),
        SuiteBy::File => (
            Cow::Owned(format!("{} {}", c.rule, c.object)),
            Cow::Owned(format!("{} {}", c.rule, c.rule_name)),
        ),
    };
    let classname = if classname.is_empty() {
        Cow::Borrowed(c.rule)
    } else {
        classname
    };
    out.push_str("    <testcase name=\"");
    push_xml(out, &name, true);
    out.push_str("\" classname=\"");
    push_xml(out, &classname, true);
    out.push_str("\" time=\"0\"");
    if !c.file.is_empty() {
        out.push_str(" file=\"");
        push_xml(out, c.file, true);
        out.push('"');
        if c.line > 0 {
            let _ = write!(out, " line=\"{}\"", c.line);
        }
    }
    match &c.outcome {
        Outcome::Pass => out.push_str("/>\n"),
        Outcome::Skip(why) => {
            out.push_str(">\n      <skipped message=\"");
            push_xml(out, why, true);
            out.push_str("\"/>\n    </testcase>\n");
        }
        Outcome::Error(kind, msg) => {
            out.push_str(">\n      <error message=\"");
            push_xml(out, msg, true);
            out.push_str("\" type=\"");
            push_xml(out, kind, true);
            out.push_str("\">");
            push_xml(out, msg, false);
            out.push_str("</error>\n    </testcase>\n");
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
            out.push_str(">\n      <failure message=\"");
            push_xml(out, &message, true);
            out.push_str("\" type=\"");
            out.push_str(worst.as_str());
            out.push_str("\">");
            push_xml(out, body.trim_end(), false);
            out.push_str("</failure>\n    </testcase>\n");
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
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(report, opts, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes the report as JUnit XML (what [`render`] returns), streamed: testcases go to the writer in pieces of
/// about 64 KiB, so the document (a testcase per object and rule) is never held whole in memory.
pub fn write(report: &Report, opts: JunitOptions, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    const SPILL: usize = 1 << 16;
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
                let rules: HashSet<&str> = cr.control.rules.iter().copied().collect();
                let members: Vec<&Case> = all.iter().filter(|c| rules.contains(c.rule)).collect();
                suites.push((name, members));
            }
            let errors: Vec<&Case> = all.iter().filter(|c| matches!(c.outcome, Outcome::Error(..))).collect();
            if !errors.is_empty() {
                suites.push(("palisade".into(), errors));
            }
        }
        (None, SuiteBy::File) => {
            let mut order: Vec<&str> = Vec::new();
            let mut map: Map<&str, Vec<&Case>> = Map::default();
            for c in &all {
                let key = if c.file.is_empty() { "(scan)" } else { c.file };
                map.entry(key)
                    .or_insert_with(|| {
                        order.push(key);
                        Vec::new()
                    })
                    .push(c);
            }
            for k in order {
                let cs = map.remove(k).unwrap_or_default();
                suites.push((k.to_string(), cs));
            }
        }
        (None, _) => {
            let mut map: BTreeMap<(&str, &str), Vec<&Case>> = BTreeMap::new();
            for c in &all {
                map.entry((c.rule, c.rule_name)).or_default().push(c);
            }
            for ((rule, name), cs) in map {
                let suite = if rule == "palisade" {
                    rule.to_string()
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
    let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
    for (_, cs) in &suites {
        tests += cs.len();
        failures += count(cs, is_fail);
        errors += count(cs, is_err);
        skipped += count(cs, is_skip);
    }
    let mut out = String::with_capacity(SPILL + 4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"palisade\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" \
         skipped=\"{skipped}\" time=\"0\">"
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
            if out.len() >= SPILL {
                w.write_all(out.as_bytes())?;
                out.clear();
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    w.write_all(out.as_bytes())?;
    w.flush()
}
