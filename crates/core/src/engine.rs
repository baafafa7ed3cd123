//! The engine: dispatches each object to the rules that target it and turns violations into findings.
//!
//! The CLI scan, the live scan and the admission webhook all call this; none of them hold rule logic.

use crate::finding::Finding;
use crate::index::ScanIndex;
use crate::object::K8sObject;
use crate::params::Params;
use crate::pss::{PssLevel, PssPolicy, LATEST_MINOR};
use crate::rule::{CheckContext, IndexOutput, NotEvaluated, Rule, Target};

const LEVELS: [PssLevel; 3] = [PssLevel::Privileged, PssLevel::Baseline, PssLevel::Restricted];

/// What each cross-object rule reported, before it becomes findings ([`Engine::index_findings`]).
pub struct IndexOutputs(Vec<(&'static crate::rule::RuleMeta, IndexOutput)>);

impl IndexOutputs {
    /// How many findings the rules reported.
    pub fn violations(&self) -> usize {
        self.0.iter().map(|(_, o)| o.violations.len()).sum()
    }
}

/// A set of enabled rules, ready to check objects.
pub struct Engine<'r> {
    rules: Vec<&'r dyn Rule>,
    /// `applies[level][minor][rule]`: whether each rule runs for pods judged at that policy, worked out once.
    applies: Vec<Vec<Vec<bool>>>,
    /// Severity overrides by rule ID (from the configuration file).
    severity_overrides: std::collections::HashMap<String, crate::finding::Severity>,
    /// For each kind some rule targets, the indices of those rules in registry order.
    by_kind: std::collections::HashMap<&'static str, Vec<usize>>,
    /// The rules' trigger keys, looked for once per object.
    triggers: crate::triggers::Triggers,
    /// For each rule, the bits of its trigger keys in `triggers` (0: it runs on every object it targets).
    gates: Vec<u64>,
}

impl<'r> Engine<'r> {
    /// An engine over the given (already selected) rules.
    pub fn new(rules: Vec<&'r dyn Rule>) -> Self {
        let mut by_kind: std::collections::HashMap<&'static str, Vec<usize>> = Default::default();
        for (i, rule) in rules.iter().enumerate() {
            match rule.meta().target {
                Target::PodSpec => K8sObject::pod_kinds().for_each(|k| by_kind.entry(k).or_default().push(i)),
                Target::Kinds(kinds) => kinds.iter().for_each(|k| by_kind.entry(k).or_default().push(i)),
                Target::Index => {}
            }
        }
        for list in by_kind.values_mut() {
            list.dedup();
        }
        let (triggers, gates) = crate::triggers::Triggers::new(rules.iter().copied());
        let mut engine = Self {
            rules,
            applies: Vec::new(),
            severity_overrides: Default::default(),
            by_kind,
            triggers,
            gates,
        };
        // Only the controls that override others can turn a rule off; the table is worked out from them alone
        // (looking each rule up by ID for every cell cost more than a small scan's rules).
        let overriding: Vec<crate::rule::PssControl> = engine
            .rules
            .iter()
            .filter_map(|r| r.meta().pss)
            .filter(|c| !c.overrides.is_empty())
            .collect();
        let controls: Vec<(&str, Option<crate::rule::PssControl>)> =
            engine.rules.iter().map(|r| (r.meta().id, r.meta().pss)).collect();
        engine.applies = LEVELS
            .iter()
            .map(|level| {
                (0..=LATEST_MINOR)
                    .map(|minor| {
                        let policy = PssPolicy {
                            level: *level,
                            version: crate::pss::PssVersion::Minor(minor),
                        };
                        controls
                            .iter()
                            .map(|(id, pss)| pss.is_none_or(|c| control_applies(id, c, policy, &overriding)))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        engine
    }

    /// Reports findings of these rules at these severities, whatever the rule says.
    pub fn with_severity_overrides(
        mut self,
        overrides: impl IntoIterator<Item = (String, crate::finding::Severity)>,
    ) -> Self {
        self.severity_overrides = overrides.into_iter().collect();
        self
    }

    fn severity(
        &self,
        meta: &crate::rule::RuleMeta,
        raised: Option<crate::finding::Severity>,
    ) -> crate::finding::Severity {
        self.severity_overrides
            .get(meta.id)
            .copied()
            .unwrap_or(raised.unwrap_or(meta.severity))
    }

    /// The enabled rules.
    pub fn rules(&self) -> &[&'r dyn Rule] {
        &self.rules
    }

    /// Checks one object, appending findings to `out`.
    pub fn check_object(&self, ctx: &CheckContext, obj: &K8sObject, out: &mut Vec<Finding>) {
        let Some(targeted) = self.by_kind.get(obj.id.kind.as_str()) else {
            return;
        };
        let applies = self.applies_at(ctx.pss);
        // The trigger keys the object holds, looked for when the first rule with trigger keys comes up.
        let mut present = None;
        for &i in targeted {
            let Some(rule) = self.rules.get(i) else {
                continue;
            };
            if !applies.and_then(|a| a.get(i)).copied().unwrap_or(false) {
                continue;
            }
            let gate = self.gates.get(i).copied().unwrap_or(0);
            if gate != 0 && *present.get_or_insert_with(|| self.triggers.present(&obj.root)) & gate == 0 {
                continue;
            }
            let meta = rule.meta();
            for v in rule.check(ctx, obj) {
                out.push(Finding {
                    rule: meta.id,
                    name: meta.name,
                    severity: self.severity(meta, v.severity),
                    message: v.message,
                    remediation: meta.remediation,
                    object: obj.id.clone(),
                    location: obj.location_of(v.pos, v.pointer),
                });
            }
        }
    }

    /// Runs the cross-object rules over the index of the whole scan, keeping what each reported.
    pub fn run_index_rules(&self, params: &Params, index: &ScanIndex) -> IndexOutputs {
        use rayon::prelude::*;
        // Cross-object rules are independent of each other: run them in parallel, keep registry order.
        IndexOutputs(
            self.rules
                .par_iter()
                .filter(|r| r.meta().target == Target::Index)
                .map(|rule| {
                    let mut out = IndexOutput::default();
                    rule.check_index(params, index, &mut out);
                    (rule.meta(), out)
                })
                .collect(),
        )
    }

    /// Appends the findings of cross-object rules to `findings` and returns what they could not decide.
    pub fn index_findings(&self, outputs: IndexOutputs, findings: &mut Vec<Finding>) -> Vec<NotEvaluated> {
        let mut not_evaluated = Vec::new();
        for (meta, out) in outputs.0 {
            findings.extend(out.violations.into_iter().map(|v| Finding {
                rule: meta.id,
                name: meta.name,
                severity: self.severity(meta, v.severity),
                message: v.message,
                remediation: meta.remediation,
                object: v.object,
                location: v.location,
            }));
            not_evaluated.extend(out.not_evaluated.into_iter().map(|(scope, reason)| NotEvaluated {
                rule: meta.id,
                scope,
                reason,
            }));
        }
        not_evaluated
    }

    /// Whether the `index`-th rule runs for a pod judged at `policy`, from the table worked out once in
    /// [`Engine::new`] (what [`Engine::check_object`] reads). Equals [`Engine::pss_rule_applies`] for its ID.
    pub fn runs_at(&self, index: usize, policy: PssPolicy) -> bool {
        self.applies_at(policy)
            .and_then(|a| a.get(index))
            .copied()
            .unwrap_or(false)
    }

    /// The row of the table for `policy`: whether each rule runs.
    fn applies_at(&self, policy: PssPolicy) -> Option<&[bool]> {
        let level = LEVELS.iter().position(|l| *l == policy.level).unwrap_or(0);
        self.applies
            .get(level)
            .and_then(|by_minor| by_minor.get(policy.version.minor() as usize))
            .map(Vec::as_slice)
    }

    /// Whether rule `id` runs for a pod judged at `policy`. Non-PSS rules always run. A PSS rule runs when its
    /// level is within the policy's level, the policy version has the check, and no enabled restricted rule
    /// replaces it at that version (as Pod Security Admission's `OverrideCheckIDs` do).
    pub fn pss_rule_applies(&self, id: &str, policy: PssPolicy) -> bool {
        let Some(control) = self.rules.iter().find(|r| r.meta().id == id).and_then(|r| r.meta().pss) else {
            return true;
        };
        let others: Vec<crate::rule::PssControl> = self.rules.iter().filter_map(|r| r.meta().pss).collect();
        control_applies(id, control, policy, &others)
    }
}

/// Whether rule `id`, which implements `control`, runs at `policy`, given the enabled rules' controls (`others`;
/// only those that override other rules matter).
fn control_applies(
    id: &str,
    control: crate::rule::PssControl,
    policy: PssPolicy,
    others: &[crate::rule::PssControl],
) -> bool {
    let minor = policy.version.minor();
    if policy.level == PssLevel::Privileged || control.level > policy.level || minor < control.since {
        return false;
    }
    !others.iter().any(|other| {
        other.level <= policy.level
            && minor >= other.since
            && other
                .overrides
                .iter()
                .any(|(overridden, from)| *overridden == id && minor >= *from)
    })
}
