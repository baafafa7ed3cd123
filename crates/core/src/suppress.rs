//! Suppression: annotations on objects, `# palisade:ignore` comments, and config-file exemptions. Every
//! suppressed finding is kept, with how and why, so reports can show what was hidden.

use crate::finding::Finding;
use crate::findings::Findings;
use crate::node::Node;
use serde::Serialize;
use std::collections::HashMap;

/// Annotation listing rule IDs (or prefixes, or `all`) to ignore on an object.
pub const IGNORE_ANNOTATION: &str = "palisade.io/ignore";
/// Annotation giving the reason for [`IGNORE_ANNOTATION`].
pub const IGNORE_REASON_ANNOTATION: &str = "palisade.io/ignore-reason";
/// The marker of an inline suppression comment.
pub const COMMENT_MARKER: &str = "palisade:ignore";

/// How a finding was suppressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionKind {
    /// `palisade.io/ignore` annotation on the object.
    Annotation,
    /// `# palisade:ignore` comment on the finding's line or the line above.
    Comment,
    /// An exemption in the configuration file.
    Config,
}

/// Why a finding was suppressed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// The mechanism.
    pub kind: SuppressionKind,
    /// The reason given (or `(no reason given)`).
    pub reason: String,
    /// For config exemptions: the expiry date, when one is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// A finding that was suppressed, with the suppression.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suppressed {
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// How and why.
    pub suppression: Suppression,
}

/// A list of rule selectors from an annotation or comment: IDs, ID prefixes, or `all` / `*`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleList(pub Vec<String>);

impl RuleList {
    /// Parses `K8S-040, NET-001` (commas and/or spaces).
    pub fn parse(s: &str) -> Self {
        RuleList(
            s.split([',', ' '])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_ascii_uppercase)
                .collect(),
        )
    }

    /// Whether the list covers `rule` (a case-insensitive prefix: custom policy IDs such as
    /// `K8sRequiredLabels/must-have-owner` are mixed case).
    pub fn covers(&self, rule: &str) -> bool {
        self.0
            .iter()
            .any(|t| t == "ALL" || t == "*" || rule.get(..t.len()).is_some_and(|p| p.eq_ignore_ascii_case(t)))
    }
}

/// An inline `# palisade:ignore RULES reason` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineIgnore {
    /// 1-based line of the comment.
    pub line: u32,
    /// Rules it covers.
    pub rules: RuleList,
    /// The reason text after the rule list.
    pub reason: String,
}

/// Finds `# palisade:ignore RULE[,RULE...] reason` comments in a YAML text. A `#` counts when it starts the line
/// or follows whitespace (as YAML comments do); the marker inside a block scalar is indistinguishable from a
/// comment here and is honoured too.
pub fn inline_ignores(text: &str) -> Vec<InlineIgnore> {
    let mut out = Vec::new();
    if !text.contains(COMMENT_MARKER) {
        return out;
    }
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(COMMENT_MARKER) else { continue };
        let before = line.get(..at).unwrap_or("");
        let Some(hash) = before.rfind('#') else { continue };
        if !before.get(hash + 1..).unwrap_or("").trim().is_empty() {
            continue;
        }
        if hash > 0 && !before.get(..hash).is_some_and(|b| b.ends_with(char::is_whitespace)) {
            continue;
        }
        let rest = line.get(at + COMMENT_MARKER.len()..).unwrap_or("").trim();
        let mut words = rest.splitn(2, char::is_whitespace);
        let rules = RuleList::parse(words.next().unwrap_or(""));
        let reason = words.next().unwrap_or("").trim().to_string();
        if !rules.0.is_empty() {
            out.push(InlineIgnore {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                rules,
                reason,
            });
        }
    }
    out
}

/// The ignore annotation of an object's metadata, if any: (rules, reason).
pub fn annotation_ignore(root: &Node) -> Option<(RuleList, String)> {
    let ann = root.path(&["metadata", "annotations"])?;
    let rules = RuleList::parse(ann.get_str(IGNORE_ANNOTATION)?);
    let reason = ann.get_str(IGNORE_REASON_ANNOTATION).unwrap_or("").trim().to_string();
    Some((rules, reason))
}

/// Identity of an object's annotation suppression: (file, document, kind, name).
pub type AnnotationKey = (String, usize, String, String);

/// [`Suppressions::annotations`] borrowed for lookups: by file, then by (document, kind, name).
type Annotated<'s> = HashMap<&'s str, HashMap<(usize, &'s str, &'s str), &'s (RuleList, String)>>;

/// Everything that can suppress findings in one scan.
#[derive(Debug, Default)]
pub struct Suppressions<'a> {
    /// Annotation suppressions per object.
    pub annotations: HashMap<AnnotationKey, (RuleList, String)>,
    /// Inline comments per file.
    pub comments: HashMap<String, Vec<InlineIgnore>>,
    /// Config exemptions.
    pub exemptions: &'a [crate::config::Exemption],
    /// Today's date (`YYYY-MM-DD`), for exemption expiry.
    pub today: String,
    /// Honour annotation and comment suppressions (`--no-inline-exemptions` turns this off).
    pub inline: bool,
}

fn reason_or_default(r: &str) -> String {
    if r.is_empty() {
        "(no reason given)".to_string()
    } else {
        r.to_string()
    }
}

impl Suppressions<'_> {
    /// Splits findings into kept and suppressed. Returns warnings (expired exemptions).
    pub fn apply(&self, findings: Findings) -> (Findings, Vec<Suppressed>, Vec<String>) {
        let mut warnings = Vec::new();
        let active: Vec<&crate::config::Exemption> = self
            .exemptions
            .iter()
            .filter(|e| match &e.expires {
                Some(d) if d.as_str() < self.today.as_str() => {
                    warnings.push(format!(
                        "config exemption ({}) expired on {d}: its findings are reported again",
                        e.reason
                    ));
                    false
                }
                _ => true,
            })
            .collect();
        if active.is_empty() && (!self.inline || (self.annotations.is_empty() && self.comments.is_empty())) {
            return (findings, Vec::new(), warnings);
        }
        // The annotated objects by file, borrowed: a finding in a file without any costs one lookup, and none
        // builds an owned key.
        let mut annotated: Annotated = HashMap::new();
        if self.inline {
            for ((file, document, kind, name), ignore) in &self.annotations {
                annotated
                    .entry(file.as_str())
                    .or_default()
                    .insert((*document, kind.as_str(), name.as_str()), ignore);
            }
        }
        let mut suppressed = Vec::new();
        let mut kept = Findings::new();
        for part in findings.into_parts() {
            let mut kept_part = Vec::with_capacity(part.len());
            for f in part {
                match self.suppression_for(&f, &annotated, &active) {
                    Some(s) => suppressed.push(Suppressed {
                        finding: f,
                        suppression: s,
                    }),
                    None => kept_part.push(f),
                }
            }
            kept.push_part(kept_part);
        }
        (kept, suppressed, warnings)
    }

    fn suppression_for(
        &self,
        f: &Finding,
        annotated: &Annotated,
        active: &[&crate::config::Exemption],
    ) -> Option<Suppression> {
        if let Some(objects) = annotated.get(&*f.location.file) {
            let name = f.object.name.as_deref().unwrap_or_default();
            if let Some((rules, reason)) = objects.get(&(f.location.document, f.object.kind.as_str(), name)) {
                if rules.covers(f.rule) {
                    return Some(Suppression {
                        kind: SuppressionKind::Annotation,
                        reason: reason_or_default(reason),
                        expires: None,
                    });
                }
            }
        }
        if self.inline {
            if let Some(comments) = self.comments.get(&*f.location.file) {
                let line = f.location.line;
                if let Some(c) = comments
                    .iter()
                    .find(|c| (c.line == line || c.line + 1 == line) && c.rules.covers(f.rule))
                {
                    return Some(Suppression {
                        kind: SuppressionKind::Comment,
                        reason: reason_or_default(&c.reason),
                        expires: None,
                    });
                }
            }
        }
        active.iter().find(|e| e.matches(f)).map(|e| Suppression {
            kind: SuppressionKind::Config,
            reason: e.reason.clone(),
            expires: e.expires.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, ObjectRef, Severity};

    fn finding(file: &str, document: usize, kind: &str, name: &str, rule: &'static str) -> Finding {
        Finding {
            rule,
            name: "some-rule",
            severity: Severity::High,
            message: format!("{file} {document} {kind} {name}"),
            remediation: "",
            object: ObjectRef {
                api_version: "v1".into(),
                kind: kind.into(),
                namespace: None,
                name: Some(name.into()),
            }
            .into(),
            location: Location {
                file: file.into(),
                document,
                line: 1,
                column: 1,
                pointer: String::new(),
            },
        }
    }

    #[test]
    fn annotations_suppress_their_own_object_only() {
        let mut annotations = HashMap::new();
        let ignore = |rules: &str| (RuleList::parse(rules), "why".to_string());
        annotations.insert(("a.yaml".into(), 2, "Pod".into(), "web".into()), ignore("K8S-001"));
        annotations.insert(("b.yaml".into(), 1, "Pod".into(), "db".into()), ignore("all"));
        let s = Suppressions {
            annotations,
            inline: true,
            ..Default::default()
        };
        let findings = vec![
            finding("a.yaml", 2, "Pod", "web", "K8S-001"),
            finding("a.yaml", 2, "Pod", "web", "K8S-002"),
            finding("a.yaml", 1, "Pod", "web", "K8S-001"),
            finding("a.yaml", 2, "Deployment", "web", "K8S-001"),
            finding("a.yaml", 2, "Pod", "api", "K8S-001"),
            finding("b.yaml", 2, "Pod", "web", "K8S-001"),
            finding("b.yaml", 1, "Pod", "db", "K8S-003"),
            finding("c.yaml", 1, "Pod", "db", "K8S-003"),
        ];
        let (kept, suppressed, _) = s.apply(findings.clone().into());
        let messages = |f: &[&Finding]| f.iter().map(|f| (f.message.clone(), f.rule)).collect::<Vec<_>>();
        let suppressed: Vec<&Finding> = suppressed.iter().map(|s| &s.finding).collect();
        assert_eq!(messages(&suppressed), messages(&[&findings[0], &findings[6]]));
        assert_eq!(kept.len(), findings.len() - 2);
        // --no-inline-exemptions: nothing is suppressed.
        let off = Suppressions { inline: false, ..s };
        assert_eq!(off.apply(findings.clone().into()).0.len(), findings.len());
    }

    #[test]
    fn comments_are_found_with_rules_and_reason() {
        let text = "a: 1 # palisade:ignore K8S-040,NET-001 legacy image\n# palisade:ignore all\nb: \"# palisade:ignore x\"\nc: x#palisade:ignore K8S-1\n";
        let got = inline_ignores(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].line, 1);
        assert!(got[0].rules.covers("K8S-040") && got[0].rules.covers("NET-001") && !got[0].rules.covers("K8S-041"));
        assert_eq!(got[0].reason, "legacy image");
        assert!(got[1].rules.covers("RBAC-001"));
    }
}
