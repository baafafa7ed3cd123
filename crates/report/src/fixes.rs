//! Safe fixes: mechanical edits that make a finding go away without guessing, published as SARIF `fixes`.
//!
//! A fix is offered only where it is one token: a boolean field set to its insecure value, at the finding's own
//! location, is flipped in place (`privileged: true` becomes `privileged: false`). Nothing is offered for
//! missing fields (where to insert depends on formatting) or for values that need judgement (capabilities,
//! images, volumes). The edit changes what the workload may do, so it is "safe" in the sense of exact, not of
//! behaviour-preserving: code scanning shows it as a suggestion.

use palisade_core::Finding;

/// A flip of a boolean field.
#[derive(Clone, Copy, Debug)]
pub struct SafeFix {
    /// Rule ID.
    pub rule: &'static str,
    /// The field (last JSON pointer token).
    pub field: &'static str,
    /// The insecure value as written in YAML/JSON.
    pub insecure: bool,
}

/// Rules with a safe fix, by the field they flip.
pub const SAFE_FIXES: &[SafeFix] = &[
    SafeFix {
        rule: "K8S-001",
        field: "privileged",
        insecure: true,
    },
    SafeFix {
        rule: "K8S-002",
        field: "hostPID",
        insecure: true,
    },
    SafeFix {
        rule: "K8S-003",
        field: "hostIPC",
        insecure: true,
    },
    SafeFix {
        rule: "K8S-004",
        field: "hostNetwork",
        insecure: true,
    },
    SafeFix {
        rule: "K8S-021",
        field: "allowPrivilegeEscalation",
        insecure: true,
    },
    SafeFix {
        rule: "K8S-022",
        field: "runAsNonRoot",
        insecure: false,
    },
    SafeFix {
        rule: "K8S-040",
        field: "readOnlyRootFilesystem",
        insecure: false,
    },
    SafeFix {
        rule: "K8S-050",
        field: "shareProcessNamespace",
        insecure: true,
    },
    SafeFix {
        rule: "RBAC-018",
        field: "automountServiceAccountToken",
        insecure: true,
    },
    SafeFix {
        rule: "RBAC-019",
        field: "automountServiceAccountToken",
        insecure: true,
    },
];

/// One in-line replacement: columns are 1-based, `end_column` exclusive (SARIF's convention).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// What the fix does.
    pub description: String,
    /// Line of the edit.
    pub line: u32,
    /// First column replaced.
    pub start_column: u32,
    /// Column after the last one replaced.
    pub end_column: u32,
    /// The replacement text.
    pub text: String,
}

/// Whether rule `id` has a safe fix.
pub fn has_fix(id: &str) -> bool {
    SAFE_FIXES.iter().any(|f| f.rule == id)
}

/// The edit fixing `f`, given the source line it points at; `None` when the rule has no safe fix or the line is
/// not exactly `field: <insecure>` (plain or quoted key, YAML boolean spellings, JSON) at the finding's column.
pub fn edit_for(f: &Finding, line: &str) -> Option<Edit> {
    let field = f.location.pointer.rsplit('/').next()?;
    let fix = SAFE_FIXES.iter().find(|s| s.rule == f.rule && s.field == field)?;
    let col0 = usize::try_from(f.location.column.checked_sub(1)?).ok()?;
    let chars: Vec<char> = line.chars().collect();
    let rest: String = chars.get(col0..)?.iter().collect();
    let after_key = rest
        .strip_prefix(fix.field)
        .or_else(|| rest.strip_prefix(&format!("\"{}\"", fix.field)))
        .or_else(|| rest.strip_prefix(&format!("'{}'", fix.field)))?;
    let key_len = rest.chars().count() - after_key.chars().count();
    let after_ws = after_key.trim_start_matches([' ', '\t']);
    let colon = after_ws.strip_prefix(':')?;
    let value = colon.trim_start_matches([' ', '\t']);
    let value_offset = rest.chars().count() - value.chars().count();
    let token: String = value
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ',' && *c != '}')
        .collect();
    let tail = value.get(token.len()..)?.trim_start();
    if !(tail.is_empty() || tail.starts_with('#') || tail.starts_with(',') || tail.starts_with('}')) {
        return None;
    }
    let spelled: bool = match token.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "y" => true,
        "false" | "no" | "off" | "n" => false,
        _ => return None,
    };
    if spelled != fix.insecure || key_len == 0 {
        return None;
    }
    let start = u32::try_from(col0 + value_offset + 1).ok()?;
    let len = u32::try_from(token.chars().count()).ok()?;
    let secure = !fix.insecure;
    Some(Edit {
        description: format!("Set {} to {secure}", fix.field),
        line: f.location.line,
        start_column: start,
        end_column: start + len,
        text: secure.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::{Location, ObjectRef, Severity};

    fn finding(rule: &'static str, pointer: &str, column: u32) -> Finding {
        Finding {
            rule,
            name: "x",
            severity: Severity::High,
            message: String::new(),
            remediation: "",
            object: ObjectRef::default().into(),
            location: Location {
                file: "a.yaml".into(),
                document: 1,
                line: 7,
                column,
                pointer: pointer.into(),
            },
        }
    }

    #[test]
    fn flips_the_value_in_place() {
        let f = finding("K8S-001", "/spec/containers/0/securityContext/privileged", 9);
        let e = edit_for(&f, "        privileged: true # needed?").unwrap();
        assert_eq!((e.start_column, e.end_column, e.text.as_str()), (21, 25, "false"));
        let e = edit_for(&f, r#"        "privileged": yes,"#).unwrap();
        assert_eq!((e.start_column, e.end_column), (23, 26));
        let f = finding(
            "K8S-040",
            "/spec/containers/0/securityContext/readOnlyRootFilesystem",
            3,
        );
        assert_eq!(edit_for(&f, "  readOnlyRootFilesystem: false").unwrap().text, "true");
    }

    #[test]
    fn nothing_when_not_exact() {
        let f = finding("K8S-001", "/spec/containers/0/securityContext/privileged", 9);
        assert!(edit_for(&f, "        privileged: false").is_none());
        assert!(edit_for(&f, "        securityContext: {}").is_none());
        let f = finding(
            "K8S-040",
            "/spec/containers/0/securityContext/readOnlyRootFilesystem",
            3,
        );
        assert!(edit_for(&f, "  securityContext:").is_none());
        let f = finding("K8S-007", "/spec/containers/0/securityContext/capabilities/add/0", 3);
        assert!(edit_for(&f, "  - SYS_ADMIN").is_none());
    }
}
