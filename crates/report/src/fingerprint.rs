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
    strip_dot_slashes(file).replace('\\', "/")
}

/// The file label without its leading `./` (or `.\`) prefixes. Because `\` is read as `/` and both are one byte,
/// stripping here and then mapping `\` to `/` gives what mapping first and stripping after gives.
fn strip_dot_slashes(file: &str) -> &str {
    let mut f = file;
    while let Some(rest) = f.strip_prefix("./").or_else(|| f.strip_prefix(".\\")) {
        f = rest;
    }
    f
}

/// FNV-1a, 128 bits: small, dependency-free and stable across platforms and Rust versions (unlike `Hash`). Fed
/// part by part, so the fingerprint needs no intermediate strings.
struct Fnv1a128(u128);

impl Fnv1a128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    /// The prime, `2^88 + 0x13b`.
    #[cfg(test)]
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Self {
        Fnv1a128(Self::OFFSET)
    }

    /// One step: `(h ^ b) * PRIME` (mod 2^128) with PRIME = 2^88 + 0x13b, written as a small multiply plus a
    /// shift.
    #[inline]
    fn step(h: u128, b: u8) -> u128 {
        let h = h ^ u128::from(b);
        h.wrapping_mul(0x13b).wrapping_add(h << 88)
    }

    #[inline]
    fn byte(&mut self, b: u8) {
        self.0 = Self::step(self.0, b);
    }

    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte(b);
        }
    }
}

/// Whether a pointer token is an array index (non-empty, all digits).
fn is_index(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit())
}

/// The pointer with every all-digit token (an array index) replaced by `*`.
pub fn pointer_shape(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for (i, t) in pointer.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(if is_index(t) { "*" } else { t });
    }
    out
}

/// The double-quoted names of a message, in order, joined by `"`.
pub fn quoted_names(message: &str) -> String {
    let mut out = String::new();
    for (i, name) in names(message).enumerate() {
        if i > 0 {
            out.push('"');
        }
        out.push_str(name);
    }
    out
}

/// The double-quoted names of a message (every other piece between `"`s, an unclosed last one included).
fn names(message: &str) -> impl Iterator<Item = &str> {
    message.split('"').skip(1).step_by(2)
}

/// A fingerprint as 32 lower-case hex digits, without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hex([u8; 32]);

impl Hex {
    fn of(h: u128) -> Self {
        let mut out = [0u8; 32];
        let mut rest = h;
        for d in out.iter_mut().rev() {
            // The least significant nibble left; the mask keeps it below 16, so the cast is exact.
            let n = (rest & 0xf) as u8;
            *d = if n < 10 { b'0' + n } else { b'a' + (n - 10) };
            rest >>= 4;
        }
        Hex(out)
    }

    /// The digits.
    pub(crate) fn as_str(&self) -> &str {
        // Always ASCII hex digits, so never empty in practice.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl serde::Serialize for Hex {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where the bytes a fingerprint hashes go: the hash itself, or a buffer hashed later.
trait Feed {
    fn byte(&mut self, b: u8);
    fn bytes(&mut self, bytes: &[u8]);
}

impl Feed for Fnv1a128 {
    #[inline]
    fn byte(&mut self, b: u8) {
        Fnv1a128::byte(self, b);
    }
    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        Fnv1a128::bytes(self, bytes);
    }
}

impl Feed for Vec<u8> {
    #[inline]
    fn byte(&mut self, b: u8) {
        self.push(b);
    }
    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Feeds the parts in the fingerprint's order. Fields are joined with NUL, which none of them contains, so
/// different splits never collide: rule, file, kind, namespace, name, pointer shape, quoted names.
fn feed_parts(p: &Parts<'_>, h: &mut impl Feed) {
    feed_rule_and_file(p, h);
    feed_rest(p, h);
}

/// The start of the fingerprint's input: the rule and the file (which most findings of a file share with another
/// finding of the same rule).
fn feed_rule_and_file(p: &Parts<'_>, h: &mut impl Feed) {
    h.bytes(p.rule.as_bytes());
    h.byte(0);
    // `\\` read as `/`; the runs between are fed whole. Separators here and in the message are found with the
    // portable word-at-a-time search: these strings are short, and the vector search's dispatch and set-up per
    // call cost more time than the search (its instruction count hid that).
    let file = strip_dot_slashes(p.file).as_bytes();
    let mut start = 0;
    for i in memchr::arch::all::memchr::One::new(b'\\').iter(file) {
        h.bytes(file.get(start..i).unwrap_or_default());
        h.byte(b'/');
        start = i + 1;
    }
    h.bytes(file.get(start..).unwrap_or_default());
    h.byte(0);
}

/// The rest of the fingerprint's input, after [`feed_rule_and_file`].
fn feed_rest(p: &Parts<'_>, h: &mut impl Feed) {
    h.bytes(p.kind.as_bytes());
    h.byte(0);
    h.bytes(p.namespace.as_bytes());
    h.byte(0);
    h.bytes(p.name.as_bytes());
    h.byte(0);
    // The pointer's shape (as `pointer_shape`): one pass finds the separators and whether each token is all
    // digits (an array index, fed as `*`).
    let pointer = p.pointer.as_bytes();
    let (mut start, mut digits) = (0, true);
    for (i, &b) in pointer.iter().enumerate() {
        if b == b'/' {
            shape_token(pointer.get(start..i).unwrap_or_default(), digits, h);
            h.byte(b'/');
            (start, digits) = (i + 1, true);
        } else if !b.is_ascii_digit() {
            digits = false;
        }
    }
    shape_token(pointer.get(start..).unwrap_or_default(), digits, h);
    h.byte(0);
    // Every other piece between `"`s (an unclosed last one included), joined by `"` (as `quoted_names`).
    let message = p.message.as_bytes();
    let (mut inside, mut seen, mut start) = (false, false, 0);
    for i in memchr::arch::all::memchr::One::new(b'"').iter(message) {
        if inside {
            h.bytes(message.get(start..i).unwrap_or_default());
        } else {
            if seen {
                h.byte(b'"');
            }
            seen = true;
            start = i + 1;
        }
        inside = !inside;
    }
    if inside {
        h.bytes(message.get(start..).unwrap_or_default());
    }
}

/// A pointer token as the shape has it: `*` for an array index (non-empty, all digits), else itself.
#[inline]
fn shape_token(token: &[u8], all_digits: bool, h: &mut impl Feed) {
    if all_digits && !token.is_empty() {
        h.byte(b'*');
    } else {
        h.bytes(token);
    }
}

/// The fingerprint of these parts, as digits on the stack.
pub(crate) fn hex_of_parts(p: Parts<'_>) -> Hex {
    let mut h = Fnv1a128::new();
    feed_parts(&p, &mut h);
    Hex::of(h.0)
}

/// Fingerprints of findings four at a time. Each byte's FNV step waits on the step before it, so one chain
/// leaves the multiplier idle most of the time; four independent chains in step keep it busy. The values are
/// the same as [`hex_of`]'s.
///
/// Each lane starts from the hash of its finding's rule and file, remembered for the file the findings are in
/// (they come sorted by file, and most findings share their rule and file with another): only the rest of the
/// input is hashed per finding.
#[derive(Default)]
pub(crate) struct Lanes {
    bufs: [Vec<u8>; 4],
    /// The file the remembered starts belong to, by address and length (findings of one file share its label).
    file: (usize, usize),
    /// For rules of that file, by the address and length of the rule ID: the hash after the rule and the file.
    starts: Vec<((usize, usize), u128)>,
}

impl Lanes {
    /// The hash of `f`'s rule and file, remembered per file.
    fn start_of(&mut self, f: &Finding) -> u128 {
        let file = (f.location.file.as_ptr() as usize, f.location.file.len());
        if file != self.file {
            self.file = file;
            self.starts.clear();
        }
        let rule = (f.rule.as_ptr() as usize, f.rule.len());
        if let Some((_, h)) = self.starts.iter().find(|(r, _)| *r == rule) {
            return *h;
        }
        let mut h = Fnv1a128::new();
        feed_rule_and_file(&parts(f), &mut h);
        self.starts.push((rule, h.0));
        h.0
    }

    /// The fingerprints of the first four of `findings` (lanes past the end hold the hash of nothing).
    pub(crate) fn hex_of<'f>(&mut self, findings: impl IntoIterator<Item = &'f Finding>) -> [Hex; 4] {
        let mut four: [Option<&Finding>; 4] = [None; 4];
        for (slot, f) in four.iter_mut().zip(findings) {
            *slot = Some(f);
        }
        let mut h = [Fnv1a128::OFFSET; 4];
        for (start, f) in h.iter_mut().zip(four) {
            if let Some(f) = f {
                *start = self.start_of(f);
            }
        }
        for (buf, f) in self.bufs.iter_mut().zip(four) {
            buf.clear();
            if let Some(f) = f {
                feed_rest(&parts(f), buf);
            }
        }
        let [a, b, c, d] = &self.bufs;
        let common = a.len().min(b.len()).min(c.len()).min(d.len());
        for (((&x, &y), &z), &w) in a.iter().zip(b).zip(c).zip(d).take(common) {
            h[0] = Fnv1a128::step(h[0], x);
            h[1] = Fnv1a128::step(h[1], y);
            h[2] = Fnv1a128::step(h[2], z);
            h[3] = Fnv1a128::step(h[3], w);
        }
        // The longer ones go on in step as far as each goes.
        let longest = a.len().max(b.len()).max(c.len()).max(d.len());
        for i in common..longest {
            for (h, buf) in h.iter_mut().zip(&self.bufs) {
                if let Some(&x) = buf.get(i) {
                    *h = Fnv1a128::step(*h, x);
                }
            }
        }
        h.map(Hex::of)
    }
}

/// The fingerprint of a finding, as digits on the stack.
pub(crate) fn hex_of(f: &Finding) -> Hex {
    hex_of_parts(parts(f))
}

/// The fingerprint of these parts: 32 lower-case hex digits.
pub fn of_parts(p: Parts<'_>) -> String {
    hex_of_parts(p).as_str().to_string()
}

fn parts(f: &Finding) -> Parts<'_> {
    Parts {
        rule: f.rule,
        file: &f.location.file,
        kind: &f.object.kind,
        namespace: f.object.namespace.as_deref().unwrap_or(""),
        name: f.object.name.as_deref().unwrap_or(""),
        pointer: &f.location.pointer,
        message: &f.message,
    }
}

/// The fingerprint of a finding.
pub fn of(f: &Finding) -> String {
    hex_of(f).as_str().to_string()
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
        // Known values of the recipe are pinned in `pinned_values_of_the_recipe`.
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

    /// Values computed with the first, allocating implementation of the recipe (normalised strings joined with
    /// NUL, then hashed), so the streaming one is held to exactly the same fingerprints.
    #[test]
    fn pinned_values_of_the_recipe() {
        let cases: [(Parts<'_>, &str); 7] = [
            (
                Parts {
                    rule: "K8S-001",
                    file: "./a.yaml",
                    kind: "Pod",
                    namespace: "",
                    name: "p",
                    pointer: "/spec/containers/0/securityContext/privileged",
                    message: "container \"app\" sets privileged",
                },
                "7266440035eaa266827b40b9565fba4f",
            ),
            (
                Parts {
                    rule: "K8S-001",
                    file: "././deploy\\prod\\web.yaml",
                    kind: "Deployment",
                    namespace: "shop",
                    name: "web",
                    pointer: "/spec/template/spec/containers/12/volumeMounts/0/name",
                    message: "container \"web\" mounts \"\" and \"docker-sock\" with capability \"NET_ADMIN\"",
                },
                "765179ccd3986a3e530709db766b8572",
            ),
            (
                Parts {
                    rule: "K8S-040",
                    file: ".\\.\\charts/x/./y.yaml",
                    kind: "DaemonSet",
                    namespace: "kube-system",
                    name: "agent",
                    pointer: "/items/3/spec/template/spec/initContainers/007/securityContext/capabilities/add/1",
                    message: "init container \"\" adds \"NET_RAW\" \"SYS_ADMIN\" and an unclosed \"tail",
                },
                "3adeb133f2751b686dc569ceeb154f5e",
            ),
            (
                Parts {
                    rule: "RBAC-002",
                    file: "rbac\\roles.yaml",
                    kind: "ClusterRole",
                    namespace: "",
                    name: "admin-\u{e9}",
                    pointer: "/rules/0/verbs/2x//",
                    message: "role \"admin-\u{e9}\" grants \"*\" on \"\"",
                },
                "acff837e7408553412bceeff74f64bb0",
            ),
            (
                Parts {
                    rule: "K8S-010",
                    file: "",
                    kind: "Pod",
                    namespace: "",
                    name: "",
                    pointer: "",
                    message: "",
                },
                "d2601b983ee931b69c00da6f9dcfef8a",
            ),
            (
                Parts {
                    rule: "K8S-010",
                    file: "./",
                    kind: "Pod",
                    namespace: "",
                    name: "",
                    pointer: "/",
                    message: "\"\"",
                },
                "4bdfc3d634f02bb1f50cc7572e979ce9",
            ),
            (
                Parts {
                    rule: "K8S-010",
                    file: "..\\x",
                    kind: "Pod",
                    namespace: "",
                    name: "",
                    pointer: "/0",
                    message: "no quotes here",
                },
                "2e782a3429e82b8527549a1be7794902",
            ),
        ];
        for (parts, want) in cases {
            assert_eq!(of_parts(parts), want, "{parts:?}");
        }
        assert_eq!(normalise_file("././deploy\\prod\\web.yaml"), "deploy/prod/web.yaml");
        assert_eq!(normalise_file(".\\.\\charts/x/./y.yaml"), "charts/x/./y.yaml");
        assert_eq!(normalise_file("./"), "");
        assert_eq!(normalise_file("..\\x"), "../x");
        assert_eq!(
            pointer_shape("/items/3/spec/template/spec/initContainers/007/securityContext/capabilities/add/1"),
            "/items/*/spec/template/spec/initContainers/*/securityContext/capabilities/add/*"
        );
        assert_eq!(pointer_shape("/rules/0/verbs/2x//"), "/rules/*/verbs/2x//");
        assert_eq!(pointer_shape(""), "");
        assert_eq!(
            quoted_names("container \"web\" mounts \"\" and \"docker-sock\" with capability \"NET_ADMIN\""),
            "web\"\"docker-sock\"NET_ADMIN"
        );
        assert_eq!(
            quoted_names("init container \"\" adds \"NET_RAW\" \"SYS_ADMIN\" and an unclosed \"tail"),
            "\"NET_RAW\"SYS_ADMIN\"tail"
        );
        assert_eq!(quoted_names("no quotes here"), "");
    }

    /// The streaming hash is the hash of the joined normalised parts, and the shift-and-add step is the multiply.
    #[test]
    fn streaming_equals_joined() {
        let joined_hash = |p: &Parts| {
            let joined = [
                p.rule.to_string(),
                normalise_file(p.file),
                p.kind.to_string(),
                p.namespace.to_string(),
                p.name.to_string(),
                pointer_shape(p.pointer),
                quoted_names(p.message),
            ]
            .join("\0");
            let mut slow = Fnv1a128::OFFSET;
            for b in joined.bytes() {
                slow = (slow ^ u128::from(b)).wrapping_mul(Fnv1a128::PRIME);
            }
            format!("{slow:032x}")
        };
        let pointers = [
            "/spec/containers/10/ports/0/hostPort",
            "",
            "/",
            "//0/",
            "/0",
            "3",
            "/a0/0a/007/",
            "/x/~1/12",
        ];
        let messages = [
            "container \"a\" port \"\" \"8080",
            "",
            "\"",
            "\"\"",
            "no quotes",
            "a\"b\"c\"d",
            "\"x\"\"y\"",
        ];
        let files = ["./.\\a\\b.yaml", "a.yaml", "", "\\\\x\\", "./"];
        for pointer in pointers {
            for message in messages {
                for file in files {
                    let p = Parts {
                        rule: "K8S-001",
                        file,
                        kind: "Pod",
                        namespace: "ns",
                        name: "n",
                        pointer,
                        message,
                    };
                    assert_eq!(of_parts(p), joined_hash(&p), "{pointer:?} {message:?} {file:?}");
                }
            }
        }
        assert_eq!(Hex::of(0).as_str(), "0".repeat(32));
        assert_eq!(Hex::of(u128::MAX).as_str(), "f".repeat(32));
        assert_eq!(
            Hex::of(0x0123_4567_89ab_cdef_0011_2233_4455_6677).as_str(),
            "0123456789abcdef0011223344556677"
        );
    }

    /// Four chains in step give each finding the fingerprint it has alone, whatever the lengths, and for a last
    /// group of fewer than four.
    #[test]
    fn lanes_equal_one_at_a_time() {
        let findings: Vec<Finding> = (0..11u32)
            .map(|i| {
                let mut f = finding(
                    i,
                    if i % 2 == 0 {
                        "a.yaml"
                    } else {
                        "./much/longer/path/to/file.yaml"
                    },
                );
                f.message = format!("container \"{}\" is {}", "c".repeat(i as usize * 7), i);
                f.location.pointer = format!("/spec/containers/{i}/{}", "x".repeat(i as usize % 4));
                f
            })
            .collect();
        let mut lanes = Lanes::default();
        for start in [0, 4, 8, 9, 10, 11] {
            let hexes = lanes.hex_of(findings.get(start..).unwrap_or_default());
            for (f, h) in findings.iter().skip(start).zip(hexes) {
                assert_eq!(h, hex_of(f));
            }
        }
    }

    #[test]
    fn lanes_remember_rule_and_file_starts_correctly() {
        // Runs of one file with rules repeating (remembered starts), the same label in another allocation, a
        // label that normalises, rules with the same length, and files coming back after another one.
        let files: [std::sync::Arc<str>; 4] = [
            "a.yaml".into(),
            "a.yaml".into(),
            ".\\dir\\b.yaml".into(),
            "c.yaml".into(),
        ];
        let rules = ["K8S-001", "K8S-002", "RBAC-029", "K8S-001"];
        let mut findings = Vec::new();
        for (n, file) in [0, 0, 0, 1, 1, 2, 2, 2, 2, 0, 3, 3, 1].into_iter().enumerate() {
            let mut f = finding(n as u32, "unused");
            f.location.file = std::sync::Arc::clone(&files[file]);
            f.rule = rules[(n * 7 / 3) % rules.len()];
            f.message = format!("container \"c{}\" is {n}", n % 3);
            f.location.pointer = format!("/spec/containers/{n}/x");
            findings.push(f);
        }
        let mut lanes = Lanes::default();
        for start in (0..findings.len()).step_by(4) {
            let hexes = lanes.hex_of(findings.get(start..).unwrap_or_default());
            for (f, h) in findings.iter().skip(start).zip(hexes) {
                assert_eq!(h, hex_of(f), "finding at line {}", f.location.line);
            }
        }
        // Four findings of one file with two rules: two starts are worked out, the other two lanes reuse them.
        let window: Vec<Finding> = [0, 1, 0, 0]
            .into_iter()
            .map(|r| {
                let mut f = finding(r, "unused");
                f.location.file = std::sync::Arc::clone(&files[3]);
                f.rule = rules[r as usize];
                f
            })
            .collect();
        let mut lanes = Lanes::default();
        let hexes = lanes.hex_of(&window);
        assert_eq!(lanes.starts.len(), 2, "one start per rule of the file");
        for (f, h) in window.iter().zip(hexes) {
            assert_eq!(h, hex_of(f));
        }
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
