//! Rule documentation pages, generated from rule metadata (one source: the same text `palisade rule ID`, SARIF
//! help and webhook messages use) plus the rule's own test fixtures as examples.

use palisade_core::{Rule, Status, Target};
use std::fmt::Write;

/// A fixture shown on a rule's page: its verdict (`fail`/`pass`), file name and content.
pub struct Example {
    /// `fail` or `pass`.
    pub verdict: String,
    /// File name within the fixture folder.
    pub name: String,
    /// The YAML.
    pub content: String,
}

fn target(t: Target) -> String {
    match t {
        Target::PodSpec => "every object that embeds a pod (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, \
                            CronJob, ReplicationController, PodTemplate)"
            .to_string(),
        Target::Kinds(k) => k.join(", "),
        Target::Index => "the whole scanned set (cross-object rule)".to_string(),
    }
}

/// The Markdown page of one rule.
pub fn page(rule: &dyn Rule, examples: &[Example]) -> String {
    let m = rule.meta();
    let mut s = String::new();
    let _ = writeln!(s, "<!-- generated from the rule metadata and fixtures; run `PALISADE_UPDATE_DOCS=1 cargo test -p palisade-rules --test docs` -->");
    let _ = writeln!(s, "# {} {}\n", m.id, m.name);
    let _ = writeln!(s, "{}\n", m.summary);
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| severity | {} |", m.severity);
    let _ = writeln!(s, "| family | {} |", m.family);
    let _ = writeln!(
        s,
        "| profiles | {} |",
        if m.profiles.is_empty() {
            "-".to_string()
        } else {
            m.profiles.join(", ")
        }
    );
    let _ = writeln!(s, "| applies to | {} |", target(m.target));
    if let Some(p) = m.pss {
        let _ = writeln!(
            s,
            "| Pod Security Standards | {} control `{}`, from policy v1.{} |",
            p.level, p.check, p.since
        );
    }
    let _ = writeln!(
        s,
        "| status | {} |\n",
        match m.status {
            Status::Stable => "stable",
            Status::Preview => "preview",
        }
    );
    let _ = writeln!(s, "{}\n", m.docs.trim());
    let _ = writeln!(s, "## Remediation\n\n{}\n", m.remediation);
    if !examples.is_empty() {
        let _ = writeln!(s, "## Test fixtures\n");
        for e in examples {
            let what = if e.verdict == "fail" {
                "reported"
            } else {
                "not reported"
            };
            let _ = writeln!(
                s,
                "`{}/{}` ({what}):\n\n```yaml\n{}\n```\n",
                e.verdict,
                e.name,
                e.content.trim_end()
            );
        }
    }
    s.trim_end().to_string() + "\n"
}

/// The index page listing every rule.
pub fn index(rules: &[&dyn Rule]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "<!-- generated from the rule metadata; run `PALISADE_UPDATE_DOCS=1 cargo test -p palisade-rules --test docs` -->");
    let _ = writeln!(
        s,
        "# Rules\n\n{} rules. `palisade rules` lists them; `palisade rule ID` prints one page.\n",
        rules.len()
    );
    s.push_str(&table(rules));
    s
}

/// A Markdown table of rules: ID (linked), severity, name, summary.
pub fn table(rules: &[&dyn Rule]) -> String {
    let mut s = String::from("| ID | severity | name | profiles | summary |\n|---|---|---|---|---|\n");
    for r in rules {
        let m = r.meta();
        let _ = writeln!(
            s,
            "| [{}]({}.md) | {} | {} | {} | {} |",
            m.id,
            m.id,
            m.severity,
            m.name,
            m.profiles.join(", "),
            m.summary.replace('|', "\\|")
        );
    }
    s
}
