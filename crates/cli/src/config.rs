//! Finding and loading `.palisade.yaml`, and turning configuration plus flags into the rule selection.

use anyhow::{Context, Result};
use palisade_core::config::Config;
use palisade_core::{select, Rule, Severity};
use std::path::{Path, PathBuf};

/// The configuration file name looked for upward from the scanned path.
pub const CONFIG_FILE: &str = ".palisade.yaml";

/// Finds `.palisade.yaml` in `start` (or its directory, for a file) or the nearest parent that has one.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(start).ok()?;
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Loads and validates a configuration file.
pub fn load(path: &Path) -> Result<Config> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let (docs, err) = palisade_input::parse_documents(&bytes, &palisade_input::LoadOptions::default());
    if let Some(e) = err {
        anyhow::bail!("{}: {e}", path.display());
    }
    let root = docs
        .into_iter()
        .next()
        .map(|d| d.root)
        .unwrap_or(palisade_core::Node::new(
            palisade_core::Pos::new(1, 1),
            palisade_core::Value::Null,
        ));
    let all = palisade_rules::all();
    let known = |id: &str| {
        let id = id.to_ascii_uppercase();
        all.iter().any(|r| r.meta().id.starts_with(&id))
    };
    Config::from_node(&root, &known).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// The rules a scan runs: `--select` (or, without it, every rule except `info` ones), then the configuration's
/// `enabled` settings, then `--ignore`.
pub fn select_rules(config: &Config, select_tokens: &[String], ignore: &[String]) -> Result<Vec<&'static dyn Rule>> {
    let all = palisade_rules::all();
    let mut chosen: Vec<&'static dyn Rule> = if select_tokens.is_empty() {
        all.iter()
            .copied()
            .filter(|r| r.meta().severity != Severity::Info)
            .collect()
    } else {
        select::select(all, select_tokens, &[])?
    };
    for (id, setting) in &config.rules {
        match setting.enabled {
            Some(false) => chosen.retain(|r| r.meta().id != id),
            Some(true) if !chosen.iter().any(|r| r.meta().id == id) => {
                chosen.extend(all.iter().copied().filter(|r| r.meta().id == id));
            }
            _ => {}
        }
    }
    // Every rule except the ignored ones (this also rejects unknown --ignore tokens).
    if !ignore.is_empty() {
        let not_ignored: std::collections::HashSet<&str> =
            select::select(all, &[], ignore)?.iter().map(|r| r.meta().id).collect();
        chosen.retain(|r| not_ignored.contains(r.meta().id));
    }
    chosen.sort_by_key(|r| r.meta().id);
    Ok(chosen)
}

/// Today's date as `YYYY-MM-DD` (UTC), for exemption expiry.
pub fn today() -> String {
    palisade_core::config::today()
}
