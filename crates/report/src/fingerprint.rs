//! Finding fingerprints: one stable identity per finding, used by SARIF `partialFingerprints` (so code scanning
//! tracks a finding as lines move) and by baselines and `palisade diff` (so a finding is "the same" across runs).
//!
//! The fingerprint hashes what identifies the problem, not where it currently sits in the file: the rule ID,
//! the file path (normalised: `./` prefixes dropped, `\` as `/`), the object's kind, namespace and name, the
//! JSON pointer of the offending field with array indices left out (`/spec/containers/*/securityContext/privileged`)
//! and the quoted names in the message (`container "web"`, `capability "NET_ADMIN"`), which say which container,
//! volume or item it is. Lines, columns, document numbers, array positions, the rest of the message, severities
//! and the object's apiVersion are left out, so adding lines above a finding, inserting a container before it,
//! reordering documents, rewording a message, changing a severity override or moving `apps/v1beta2` to `apps/v1`
//! keeps the fingerprint.

use palisade_core::Finding;

/// The SARIF `partialFingerprints` key under which the fingerprint is published (versioned: if the recipe ever
/// changes, the key changes too).
pub const SARIF_KEY: &str = "palisade/v1";

/// The parts of a finding the fingerprint is computed from.
#[derive(Clone, Copy, Debug)]
pub struct Parts<'a> {
    /// Rule ID.
    pub rule: &'a str,
    /// File label.
    pub file: &'a str,
    /// Object kind.
    pub kind: &'a str,
    /// Object namespace (empty when unset).
    pub namespace: &'a str,
    /// Object name (empty when unset).
    pub name: &'a str,
    /// JSON pointer of the offending field.
    pub pointer: &'a str,
    /// The finding's message (only its double-quoted names are used).
    pub message: &'a str,
}

/// The normalised form of a file label used in fingerprints.
pub fn normalise_file(file: &str) -> String {
    let mut f = file.replace('\\', "/");
    while let Some(rest) = f.strip_prefix("./") {
        f = rest.to_string();
    }
    f
}

/// FNV-1a, 128 bits: small, dependency-free and stable across platforms and Rust versions (unlike `Hash`).
fn fnv1a_128(bytes: impl IntoIterator<Item = u8>) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut h = OFFSET;
    for b in bytes {
        h ^= u128::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h
}

/// The pointer with every all-digit token (an array index) replaced by `*`.
pub fn pointer_shape(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|t| {
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                t
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The double-quoted names of a message, in order, joined by `"`.
pub fn quoted_names(message: &str) -> String {
    message.split('"').skip(1).step_by(2).collect::<Vec<_>>().join("\"")
}

/// The fingerprint of these parts: 32 lower-case hex digits.
pub fn of_parts(p: Parts<'_>) -> String {
    let file = normalise_file(p.file);
    let pointer = pointer_shape(p.pointer);
    let names = quoted_names(p.message);
    let fields = [
        p.rule,
        file.as_str(),
        p.kind,
        p.namespace,
        p.name,
        pointer.as_str(),
        names.as_str(),
    ];
    // Fields are joined with NUL, which none of them contains, so different splits never collide.
    let bytes = fields.iter().enumerate().flat_map(|(i, f)| {
        let sep: &[u8] = if i == 0 { b"" } else { b"\0" };
        sep.iter().copied().chain(f.bytes())
    });
    format!("{:032x}", fnv1a_128(bytes))
}

/// The fingerprint of a finding.
pub fn of(f: &Finding) -> String {
    of_parts(Parts {
        rule: f.rule,
        file: &f.location.file,
        kind: &f.object.kind,
        namespace: f.object.namespace.as_deref().unwrap_or(""),
        name: f.object.name.as_deref().unwrap_or(""),
        pointer: &f.location.pointer,
        message: &f.message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::{Location, ObjectRef, Severity};

    fn finding(line: u32, file: &str) -> Finding {
        Finding {
            rule: "K8S-001",
            name: "privileged-container",
            severity: Severity::Critical,
            message: "m".into(),
            remediation: "r.",
            object: ObjectRef {
                api_version: "apps/v1".into(),
                kind: "Deployment".into(),
                namespace: Some("shop".into()),
                name: Some("web".into()),
            }
            .into(),
            location: Location {
                file: file.into(),
                document: 1,
                line,
                column: 3,
                pointer: "/spec/template/spec/containers/0/securityContext/privileged".into(),
            },
        }
    }

    #[test]
    fn stable_across_moves_and_path_spelling() {
        let a = of(&finding(10, "deploy/web.yaml"));
        assert_eq!(a.len(), 32);
        assert_eq!(a, of(&finding(42, "./deploy/web.yaml")));
        assert_ne!(a, of(&finding(10, "deploy/other.yaml")));
        // A known value (FNV-1a 128 of the NUL-joined fields), so an accidental change of the recipe, which would
        // break every stored baseline and code-scanning alert, is noticed.
        assert_eq!(
            of_parts(Parts {
                rule: "K8S-001",
                file: "./a.yaml",
                kind: "Pod",
                namespace: "",
                name: "p",
                pointer: "/spec/containers/0/securityContext/privileged",
                message: "container \"app\" sets privileged"
            }),
            "7266440035eaa266827b40b9565fba4f"
        );
    }

    #[test]
    fn array_positions_do_not_matter_names_do() {
        let mut f = finding(10, "a.yaml");
        let a = of(&f);
        f.location.pointer = "/spec/template/spec/containers/3/securityContext/privileged".into();
        assert_eq!(of(&f), a, "the container moved in the list");
        f.message = "container \"other\" sets privileged".into();
        let b = of(&f);
        f.message = "init container \"other\" sets securityContext.privileged".into();
        assert_eq!(of(&f), b, "reworded");
        f.message = "container \"web\" sets privileged".into();
        assert_ne!(of(&f), b);
        assert_eq!(
            pointer_shape("/items/2/spec/volumes/10/hostPath"),
            "/items/*/spec/volumes/*/hostPath"
        );
        assert_eq!(quoted_names(r#"container "a" adds "NET_RAW""#), "a\"NET_RAW");
    }

    #[test]
    fn separators_prevent_collisions() {
        let p = |rule, file| Parts {
            rule,
            file,
            kind: "Pod",
            namespace: "",
            name: "",
            pointer: "",
            message: "",
        };
        assert_ne!(of_parts(p("K8S-00", "1a")), of_parts(p("K8S-001", "a")));
    }
}
