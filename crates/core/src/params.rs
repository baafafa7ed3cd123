//! Rule parameters users can set (in `.palisade.yaml` under `parameters:`), with their defaults.

use std::sync::LazyLock;

/// Parameters of the built-in rules. Every field has a documented default; see docs/configuration.md.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    /// K8S-082: registry host globs images may come from (`*.azurecr.io`; `*` matches within a host).
    pub allowed_registries: Vec<String>,
    /// K8S-042: capabilities that may be added without a finding (default: none).
    pub allowed_capabilities: Vec<String>,
    /// Labels every workload must carry (hygiene; default: none).
    pub required_labels: Vec<String>,
    /// K8S-040: also require a read-only root filesystem on init containers (default: true).
    pub readonly_rootfs_init_containers: bool,
    /// K8S-101: require CPU limits (default: true; some teams deliberately omit them).
    pub require_cpu_limits: bool,
    /// NET-014: Service ports allowed without a finding (default: empty = rule reports nothing).
    pub allowed_service_ports: Vec<i64>,
    /// Namespaces treated as system namespaces (exempt from namespace rules such as K8S-060, K8S-066, NET-001).
    pub system_namespaces: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            allowed_registries: vec!["*.azurecr.io".to_string()],
            allowed_capabilities: Vec::new(),
            required_labels: Vec::new(),
            readonly_rootfs_init_containers: true,
            require_cpu_limits: true,
            allowed_service_ports: Vec::new(),
            system_namespaces: [
                "kube-system",
                "kube-public",
                "kube-node-lease",
                "gatekeeper-system",
                "azure-arc",
                "azure-extensions-usage-system",
            ]
            .into_iter()
            .map(str::to_string)
            .collect(),
        }
    }
}

static DEFAULT: LazyLock<Params> = LazyLock::new(Params::default);

impl Params {
    /// The default parameters, shared.
    pub fn default_ref() -> &'static Params {
        &DEFAULT
    }

    /// True when `ns` is one of the system namespaces.
    pub fn is_system_namespace(&self, ns: &str) -> bool {
        self.system_namespaces.iter().any(|s| s == ns)
    }
}

/// Matches `text` against a glob where `*` matches any run of characters (including none) and `?` one character.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    // ASCII (registry hosts, namespaces, names): byte by byte, without collecting characters.
    if pattern.is_ascii() && text.is_ascii() {
        return glob_slices(pattern.as_bytes(), text.as_bytes(), b'*', b'?');
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    glob_slices(&p, &t, '*', '?')
}

/// `*` / `?` matching over characters (or bytes, for ASCII text), backtracking to the last `*`.
fn glob_slices<T: Copy + PartialEq>(p: &[T], t: &[T], any_run: T, any_one: T) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(c) if *c == any_run => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == any_one || Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).is_some_and(|rest| rest.iter().all(|c| *c == any_run))
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        assert!(glob_match("*.azurecr.io", "myacr.azurecr.io"));
        assert!(!glob_match("*.azurecr.io", "azurecr.io.evil.com"));
        assert!(glob_match("web-*", "web-1"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        // `?` is one character, not one byte, outside ASCII; ASCII and non-ASCII text match alike.
        assert!(glob_match("caf?", "caf\u{e9}"));
        assert!(!glob_match("caf??", "caf\u{e9}"));
        assert!(glob_match("*\u{e9}*", "r\u{e9}sum\u{e9}"));
        assert!(glob_match("a*b*c", "axxbyyc") && !glob_match("a*b*c", "axxbyy"));
        assert!(glob_match("**", "x") && !glob_match("x*", "yx"));
    }
}
