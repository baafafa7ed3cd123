//! The engine: dispatches each object to the rules that target it and turns violations into findings.
//!
//! The CLI scan, the live scan and the admission webhook all call this; none of them hold rule logic.

use crate::finding::Finding;
use crate::object::K8sObject;
use crate::pss::{PssLevel, PssPolicy};
use crate::rule::{CheckContext, Rule, Target};

/// A set of enabled rules, ready to check objects.
pub struct Engine<'r> {
    rules: Vec<&'r dyn Rule>,
}

impl<'r> Engine<'r> {
    /// An engine over the given (already selected) rules.
    pub fn new(rules: Vec<&'r dyn Rule>) -> Self {
        Self { rules }
    }

    /// The enabled rules.
    pub fn rules(&self) -> &[&'r dyn Rule] {
        &self.rules
    }

    /// Checks one object, appending findings to `out`.
    pub fn check_object(&self, ctx: &CheckContext, obj: &K8sObject, out: &mut Vec<Finding>) {
        let embeds_pod = obj.embeds_pod();
        for rule in &self.rules {
            let meta = rule.meta();
            let targeted = match meta.target {
                Target::PodSpec => embeds_pod,
                Target::Kinds(kinds) => kinds.contains(&obj.id.kind.as_str()),
            };
            if !targeted || !self.pss_rule_applies(meta.id, ctx.pss) {
                continue;
            }
            for v in rule.check(ctx, obj) {
                out.push(Finding {
                    rule: meta.id,
                    name: meta.name,
                    severity: v.severity.unwrap_or(meta.severity),
                    message: v.message,
                    remediation: meta.remediation,
                    object: obj.id.clone(),
                    location: obj.location(v.pos, &v.pointer),
                });
            }
        }
    }

    /// Whether rule `id` runs for a pod judged at `policy`. Non-PSS rules always run. A PSS rule runs when its
    /// level is within the policy's level, the policy version has the check, and no enabled restricted rule
    /// replaces it at that version (as Pod Security Admission's `OverrideCheckIDs` do).
    pub fn pss_rule_applies(&self, id: &str, policy: PssPolicy) -> bool {
        let Some(control) = self
            .rules
            .iter()
            .find(|r| r.meta().id == id)
            .and_then(|r| r.meta().pss)
        else {
            return true;
        };
        let minor = policy.version.minor();
        if policy.level == PssLevel::Privileged
            || control.level > policy.level
            || minor < control.since
        {
            return false;
        }
        !self.rules.iter().filter_map(|r| r.meta().pss).any(|other| {
            other.level <= policy.level
                && minor >= other.since
                && other
                    .overrides
                    .iter()
                    .any(|(overridden, from)| *overridden == id && minor >= *from)
        })
    }
}
