//! Rule selection: `--select` / `--ignore` tokens are rule IDs, ID prefixes, rule names or profiles.

use crate::rule::Rule;

/// A selection token that matches no rule.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("'{0}' matches no rule ID, ID prefix, rule name or profile (see `palisade rules`)")]
pub struct UnknownSelector(pub String);

fn matches(rule: &dyn Rule, token: &str) -> bool {
    let meta = rule.meta();
    let upper = token.to_ascii_uppercase();
    token.eq_ignore_ascii_case("all")
        || meta.id.starts_with(&upper)
        || meta.name == token
        || meta.profiles.contains(&token)
        || meta.family == token
}

/// Splits repeated, comma-separated flag values into tokens.
pub fn tokens(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The rules selected by `select` (all when empty) minus those matched by `ignore`, in registry order.
pub fn select<'r>(
    all: &[&'r dyn Rule],
    select: &[String],
    ignore: &[String],
) -> Result<Vec<&'r dyn Rule>, UnknownSelector> {
    for token in select.iter().chain(ignore) {
        if !all.iter().any(|r| matches(*r, token)) {
            return Err(UnknownSelector(token.clone()));
        }
    }
    Ok(all
        .iter()
        .copied()
        .filter(|r| select.is_empty() || select.iter().any(|t| matches(*r, t)))
        .filter(|r| !ignore.iter().any(|t| matches(*r, t)))
        .collect())
}
