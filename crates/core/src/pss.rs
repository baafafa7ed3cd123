//! Pod Security Standards levels and policy versions, as Pod Security Admission names them.

use std::fmt;
use std::str::FromStr;

/// The newest policy version Palisade knows (`latest` means this one).
pub const LATEST_MINOR: u32 = 37;

/// The label that sets a namespace's enforced level.
pub const ENFORCE_LABEL: &str = "pod-security.kubernetes.io/enforce";
/// The label that pins a namespace's enforced policy version.
pub const ENFORCE_VERSION_LABEL: &str = "pod-security.kubernetes.io/enforce-version";

/// A Pod Security Standards level. Ordered: privileged < baseline < restricted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PssLevel {
    /// No restrictions.
    Privileged,
    /// Prevents known privilege escalations.
    Baseline,
    /// Current pod hardening best practice.
    Restricted,
}

impl PssLevel {
    /// The lower-case name used in labels and flags.
    pub fn as_str(self) -> &'static str {
        match self {
            PssLevel::Privileged => "privileged",
            PssLevel::Baseline => "baseline",
            PssLevel::Restricted => "restricted",
        }
    }
}

impl fmt::Display for PssLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A PSS level or version string that is not valid.
#[derive(Debug, thiserror::Error)]
pub enum PssParseError {
    /// Not privileged, baseline or restricted.
    #[error("unknown Pod Security level '{0}' (expected privileged, baseline or restricted)")]
    Level(String),
    /// Not `latest` or `v1.N`.
    #[error("invalid Pod Security version '{0}' (expected 'latest' or v1.0 ... v1.{LATEST_MINOR})")]
    Version(String),
}

impl FromStr for PssLevel {
    type Err = PssParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "privileged" => Ok(PssLevel::Privileged),
            "baseline" => Ok(PssLevel::Baseline),
            "restricted" => Ok(PssLevel::Restricted),
            _ => Err(PssParseError::Level(s.to_string())),
        }
    }
}

/// A policy version: `v1.N`, or `latest`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum PssVersion {
    /// `v1.N`.
    Minor(u32),
    /// The newest version.
    Latest,
}

impl PssVersion {
    /// The 1.N minor this version evaluates as (`latest` is [`LATEST_MINOR`]; newer pinned versions evaluate as
    /// the newest known, as Pod Security Admission does).
    pub fn minor(self) -> u32 {
        match self {
            PssVersion::Minor(m) => m.min(LATEST_MINOR),
            PssVersion::Latest => LATEST_MINOR,
        }
    }
}

impl fmt::Display for PssVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PssVersion::Minor(m) => write!(f, "v1.{m}"),
            PssVersion::Latest => f.write_str("latest"),
        }
    }
}

impl FromStr for PssVersion {
    type Err = PssParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "latest" {
            return Ok(PssVersion::Latest);
        }
        let err = || PssParseError::Version(s.to_string());
        let rest = s.strip_prefix("v1.").ok_or_else(err)?;
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) || (rest.len() > 1 && rest.starts_with('0')) {
            return Err(err());
        }
        rest.parse::<u32>().map(PssVersion::Minor).map_err(|_| err())
    }
}

/// The policy a pod is judged at: a level and a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct PssPolicy {
    /// The level.
    pub level: PssLevel,
    /// The version.
    pub version: PssVersion,
}

impl Default for PssPolicy {
    fn default() -> Self {
        Self {
            level: PssLevel::Restricted,
            version: PssVersion::Latest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_versions() {
        assert_eq!("latest".parse::<PssVersion>().ok(), Some(PssVersion::Latest));
        assert_eq!("v1.25".parse::<PssVersion>().ok(), Some(PssVersion::Minor(25)));
        assert!("1.25".parse::<PssVersion>().is_err());
        assert!("v1.025".parse::<PssVersion>().is_err());
        assert_eq!(PssVersion::Minor(99).minor(), LATEST_MINOR);
    }
}
