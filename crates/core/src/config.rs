//! The `.palisade.yaml` configuration file: rules on/off, severity overrides, rule parameters and exemptions.
//! Parsed from an already-loaded YAML tree so every error names its line. Documented in docs/configuration.md.

use crate::finding::{Finding, Severity};
use crate::node::{Node, Value};
use crate::params::{glob_match, Params};
use std::collections::BTreeMap;

/// A configuration error, naming the line of the offending key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {message}")]
pub struct ConfigError {
    /// 1-based line.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

/// Per-rule settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSetting {
    /// `enabled: true|false` (`off`/`on` shorthands accepted).
    pub enabled: Option<bool>,
    /// `severity:` override.
    pub severity: Option<Severity>,
}

/// An exemption: findings matching every given selector are suppressed, with the reason, until `expires`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exemption {
    /// Rule IDs or prefixes; empty = every rule.
    pub rules: Vec<String>,
    /// Namespace globs; empty = any (objects without a namespace match `default`).
    pub namespaces: Vec<String>,
    /// Kinds; empty = any.
    pub kinds: Vec<String>,
    /// Object name globs; empty = any.
    pub names: Vec<String>,
    /// Why (required).
    pub reason: String,
    /// `YYYY-MM-DD`; from the day after, the exemption no longer suppresses.
    pub expires: Option<String>,
}

impl Exemption {
    /// Whether this exemption covers the finding (expiry is checked by the caller).
    pub fn matches(&self, f: &Finding) -> bool {
        let ns = f.object.namespace.as_deref().unwrap_or("default");
        let name = f.object.name.as_deref().unwrap_or("");
        (self.rules.is_empty() || self.rules.iter().any(|r| f.rule.starts_with(r.as_str())))
            && (self.namespaces.is_empty() || self.namespaces.iter().any(|g| glob_match(g, ns)))
            && (self.kinds.is_empty() || self.kinds.contains(&f.object.kind))
            && (self.names.is_empty() || self.names.iter().any(|g| glob_match(g, name)))
    }
}

/// The whole configuration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// Per-rule settings by rule ID.
    pub rules: BTreeMap<String, RuleSetting>,
    /// Rule parameters.
    pub params: Params,
    /// Exemptions.
    pub exemptions: Vec<Exemption>,
    /// The `webhook:` section, kept as a tree: the admission webhook (crate palisade-webhook) parses and validates
    /// it; the scanner ignores it. See docs/webhook.md.
    pub webhook: Option<Node>,
}

/// A configuration error at `node`'s line.
pub fn err(node: &Node, message: impl Into<String>) -> ConfigError {
    ConfigError {
        line: node.pos.line,
        message: message.into(),
    }
}

/// A string or a list of strings (`what` names the setting in error messages).
pub fn strings(node: &Node, what: &str) -> Result<Vec<String>, ConfigError> {
    match &node.value {
        Value::Str(s) => Ok(vec![s.clone()]),
        Value::Seq(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| err(i, format!("{what}: expected a string")))
            })
            .collect(),
        _ => Err(err(node, format!("{what}: expected a list of strings"))),
    }
}

fn boolean(node: &Node, what: &str) -> Result<bool, ConfigError> {
    node.as_bool()
        .ok_or_else(|| err(node, format!("{what}: expected true or false")))
}

fn map<'a>(node: &'a Node, what: &str) -> Result<&'a crate::node::Map, ConfigError> {
    node.as_map()
        .ok_or_else(|| err(node, format!("{what}: expected a mapping")))
}

fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

impl Config {
    /// Parses a configuration document. `known_rule` validates rule IDs (and prefixes for exemptions).
    pub fn from_node(root: &Node, known_rule: &dyn Fn(&str) -> bool) -> Result<Config, ConfigError> {
        let mut cfg = Config::default();
        if root.is_null() {
            return Ok(cfg);
        }
        for e in map(root, "configuration")?.entries() {
            match e.key.as_str() {
                "rules" => {
                    for r in map(&e.value, "rules")?.entries() {
                        if !known_rule(&r.key) {
                            return Err(ConfigError {
                                line: r.key_pos.line,
                                message: format!("unknown rule '{}'", r.key),
                            });
                        }
                        let setting = match &r.value.value {
                            Value::Bool(b) => RuleSetting {
                                enabled: Some(*b),
                                severity: None,
                            },
                            Value::Str(s) if s == "off" || s == "on" => RuleSetting {
                                enabled: Some(s == "on"),
                                severity: None,
                            },
                            Value::Map(m) => {
                                let mut s = RuleSetting::default();
                                for f in m.entries() {
                                    match f.key.as_str() {
                                        "enabled" => s.enabled = Some(boolean(&f.value, "enabled")?),
                                        "severity" => {
                                            let v = f.value.as_str().unwrap_or("");
                                            s.severity = Some(v.parse().map_err(|e| err(&f.value, format!("{e}")))?);
                                        }
                                        other => {
                                            return Err(ConfigError {
                                                line: f.key_pos.line,
                                                message: format!("unknown rule setting '{other}' (enabled, severity)"),
                                            })
                                        }
                                    }
                                }
                                s
                            }
                            _ => return Err(err(&r.value, "expected true/false, on/off, or {enabled, severity}")),
                        };
                        cfg.rules.insert(r.key.to_ascii_uppercase(), setting);
                    }
                }
                "parameters" => {
                    let p = &mut cfg.params;
                    for f in map(&e.value, "parameters")?.entries() {
                        let v = &f.value;
                        match f.key.as_str() {
                            "allowed_registries" => p.allowed_registries = strings(v, &f.key)?,
                            "allowed_capabilities" => p.allowed_capabilities = strings(v, &f.key)?,
                            "required_labels" => p.required_labels = strings(v, &f.key)?,
                            "system_namespaces" => p.system_namespaces = strings(v, &f.key)?,
                            "readonly_rootfs_init_containers" => {
                                p.readonly_rootfs_init_containers = boolean(v, &f.key)?
                            }
                            "require_cpu_limits" => p.require_cpu_limits = boolean(v, &f.key)?,
                            "allowed_service_ports" => {
                                p.allowed_service_ports = v
                                    .as_seq()
                                    .ok_or_else(|| err(v, "allowed_service_ports: expected a list of ports"))?
                                    .iter()
                                    .map(|n| {
                                        n.as_i64()
                                            .filter(|p| (1..=65535).contains(p))
                                            .ok_or_else(|| err(n, "allowed_service_ports: expected a port number"))
                                    })
                                    .collect::<Result<_, _>>()?
                            }
                            other => {
                                return Err(ConfigError {
                                    line: f.key_pos.line,
                                    message: format!("unknown parameter '{other}' (see docs/configuration.md)"),
                                })
                            }
                        }
                    }
                }
                "exemptions" => {
                    let items = e
                        .value
                        .as_seq()
                        .ok_or_else(|| err(&e.value, "exemptions: expected a list"))?;
                    for item in items {
                        let mut ex = Exemption::default();
                        for f in map(item, "exemption")?.entries() {
                            let v = &f.value;
                            match f.key.as_str() {
                                "rules" => {
                                    ex.rules = strings(v, "rules")?.into_iter().map(|r| r.to_ascii_uppercase()).collect();
                                    if let Some(bad) = ex.rules.iter().find(|r| !known_rule(r)) {
                                        return Err(err(v, format!("unknown rule or prefix '{bad}'")));
                                    }
                                }
                                "namespaces" => ex.namespaces = strings(v, "namespaces")?,
                                "kinds" => ex.kinds = strings(v, "kinds")?,
                                "names" => ex.names = strings(v, "names")?,
                                "reason" => ex.reason = v.as_str().unwrap_or("").trim().to_string(),
                                "expires" => {
                                    let d = v.as_str().unwrap_or("").to_string();
                                    if !valid_date(&d) {
                                        return Err(err(v, "expires: expected a date YYYY-MM-DD (quote it)"));
                                    }
                                    ex.expires = Some(d);
                                }
                                other => {
                                    return Err(ConfigError {
                                        line: f.key_pos.line,
                                        message: format!(
                                            "unknown exemption field '{other}' (rules, namespaces, kinds, names, reason, expires)"
                                        ),
                                    })
                                }
                            }
                        }
                        if ex.reason.is_empty() {
                            return Err(err(item, "exemption without a reason: every exemption needs `reason:`"));
                        }
                        cfg.exemptions.push(ex);
                    }
                }
                "webhook" => cfg.webhook = Some(e.value.clone()),
                other => {
                    return Err(ConfigError {
                        line: e.key_pos.line,
                        message: format!("unknown key '{other}' (rules, parameters, exemptions, webhook)"),
                    })
                }
            }
        }
        Ok(cfg)
    }
}

/// Today's date as `YYYY-MM-DD` (UTC), from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// Days since 1970-01-01 to a civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod date_tests {
    use super::civil_date;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_000), "2024-10-04");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}
