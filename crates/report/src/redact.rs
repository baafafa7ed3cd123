//! Redaction of source snippets. Reports show the offending source line (text, SARIF, HTML), and a line can hold a
//! credential: a Secret's data, an env `value:`, a token in a ConfigMap, or a neighbour of the offending field on
//! a one-line JSON manifest. Every snippet passes through [`line_for`], which keeps keys and structure and
//! replaces values that are, or may be, secret with [`MASK`]:
//!
//! - every value, when the finding is a secrets finding (`SEC-*`) or the object is a Secret or ConfigMap;
//! - values of keys whose name looks like a credential (`password`, `token`, `apiKey`, `client_secret`, ...,
//!   the SEC-001 name pattern) and of env `value:` keys (unless a boolean or number);
//! - values that look like a credential whatever their key (PEM private keys, JWTs, AWS access key IDs, GitHub
//!   tokens, Azure connection-string keys and SAS signatures, URLs with a password, long random tokens).

/// What replaces a redacted value.
pub const MASK: &str = "****";

/// Whether a key or env-var name looks like it holds a credential (the SEC-001 name pattern). Names of
/// references to secrets (`secretName`, `secretKeyRef`, `tokenPath`) are not credentials themselves.
pub fn sensitive_name(name: &str) -> bool {
    let n = name.trim_matches(|c| c == '"' || c == '\'').to_ascii_lowercase();
    let reference = [
        "name",
        "ref",
        "path",
        "file",
        "namespace",
        "names",
        "refs",
        "mode",
        "items",
        "class",
    ];
    if reference.iter().any(|s| n.ends_with(s)) {
        return false;
    }
    let compact: String = n.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    const PARTS: [&str; 14] = [
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "apikey",
        "accesskey",
        "connectionstring",
        "credential",
        "bearer",
        "privatekey",
        "passphrase",
        "sastoken",
        "auth",
    ];
    PARTS.iter().any(|p| compact.contains(p))
        || (compact.starts_with("azure") && compact.ends_with("key"))
        || n.ends_with(".key")
        || n.ends_with("_key")
        || n.ends_with("-key")
}

/// Whether a value looks like a credential whatever its key.
pub fn looks_secret(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if v.is_empty() {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    let markers = [
        "private key",
        "accountkey=",
        "sharedaccesssignature=",
        "sharedaccesskey=",
        "sig=",
        "password=",
        "pwd=",
        "ghp_",
        "gho_",
        "ghs_",
        "github_pat_",
        "xoxb-",
        "xoxp-",
        "sk_live_",
    ];
    if markers.iter().any(|m| lower.contains(m)) {
        return true;
    }
    if has_aws_key_id(v) || url_with_password(v) {
        return true;
    }
    // A token inside a longer value (`Authorization: Bearer eyJ...`, `--token=...`).
    v.split(|c: char| c.is_whitespace() || "\"'`,;=(){}[]<>|".contains(c))
        .any(|t| (t.starts_with("eyJ") && t.contains('.')) || random_token(t))
}

/// An AWS access key ID: `AKIA` or `ASIA` and 16 upper-case letters or digits.
fn has_aws_key_id(v: &str) -> bool {
    v.as_bytes().windows(20).any(|w| {
        (w.starts_with(b"AKIA") || w.starts_with(b"ASIA"))
            && w.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    })
}

fn url_with_password(v: &str) -> bool {
    let Some((_, rest)) = v.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

/// A long run of token characters mixing letters and digits: base64 blobs, hex keys, API tokens.
fn random_token(v: &str) -> bool {
    if v.len() < 24 || v.contains(char::is_whitespace) {
        return false;
    }
    if !v.chars().all(|c| c.is_ascii_alphanumeric() || "+/=_-.".contains(c)) {
        return false;
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let upper = v.chars().filter(char::is_ascii_uppercase).count();
    let lower = v.chars().filter(char::is_ascii_lowercase).count();
    // Words joined by dashes or dots (a DNS name, `my-app-config-v2`) are not tokens.
    let separators = v.chars().filter(|c| *c == '-' || *c == '.').count();
    digits > 0 && (upper > 0 || lower > 0) && separators * 8 < v.len() && (upper > 0 && lower > 0 || digits >= 6)
}

fn is_plain_literal(v: &str) -> bool {
    let t = v.trim().trim_matches(|c| c == '"' || c == '\'');
    let lower = t.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | ""
    ) || t.parse::<f64>().is_ok()
}

/// Redacts one source line shown for finding `f`.
pub fn line_for(f: &palisade_core::Finding, line: &str) -> String {
    let mask_all = f.rule.starts_with("SEC-") || matches!(f.object.kind.as_str(), "Secret" | "ConfigMap");
    line_with(line, mask_all)
}

/// Redacts one source line shown for finding `f` with a marker at 1-based character column `column`, and gives
/// the column in the redacted line (masking values before the column shifts it).
pub fn line_and_column(f: &palisade_core::Finding, line: &str, column: u32) -> (String, u32) {
    let red = line_for(f, line);
    let col0 = column.max(1) as usize - 1;
    let prefix: String = line.chars().take(col0).collect();
    let red_prefix = line_for(f, &prefix);
    let shifted = if red.starts_with(&red_prefix) {
        u32::try_from(red_prefix.chars().count()).map_or(column, |c| c + 1)
    } else {
        column
    };
    (red, shifted)
}

/// Redacts one source line; `mask_all` masks every value.
pub fn line_with(line: &str, mask_all: bool) -> String {
    let trimmed = line.trim_start();
    let mut prefix = line.get(..line.len() - trimmed.len()).unwrap_or("").to_string();
    let mut rest = trimmed;
    // List markers: `- `, possibly nested (`- - x`); `-----BEGIN` is not one.
    while let Some(r) = rest
        .strip_prefix('-')
        .filter(|r| r.is_empty() || r.starts_with([' ', '\t']))
    {
        let r2 = r.trim_start();
        prefix.push('-');
        prefix.push_str(r.get(..r.len() - r2.len()).unwrap_or(""));
        rest = r2;
    }
    if rest.starts_with('#') || rest.is_empty() {
        return line.to_string();
    }
    if rest.starts_with('{') || rest.starts_with('[') {
        return format!("{prefix}{}", flow(rest, mask_all, None));
    }
    match split_key(rest) {
        Some((key, sep, value)) => {
            let value_trim = value.trim_start();
            let pad = value.get(..value.len() - value_trim.len()).unwrap_or("");
            if value_trim.starts_with('{') || value_trim.starts_with('[') {
                return format!("{prefix}{key}{sep}{pad}{}", flow(value_trim, mask_all, Some(key)));
            }
            let (scalar, comment) = split_comment(value_trim);
            // A quoted scalar holding JSON or a flow collection (kubectl's last-applied-configuration annotation,
            // an inline config): redact inside it.
            if let Some((q, inner)) = quoted_collection(scalar) {
                return format!("{prefix}{key}{sep}{pad}{q}{}{q}", flow(inner, mask_all, Some(key)));
            }
            if scalar.is_empty() || scalar.starts_with(['|', '>', '&', '*']) {
                // No scalar here (a map or block scalar follows, or an anchor/alias): keep the line, but not a
                // comment that could hold anything when everything is masked.
                return if mask_all && !comment.is_empty() {
                    format!("{prefix}{key}{sep}{pad}{scalar}")
                } else {
                    line.to_string()
                };
            }
            if should_mask(key, scalar, mask_all) {
                format!("{prefix}{key}{sep}{pad}{MASK}")
            } else {
                line.to_string()
            }
        }
        None => {
            let (scalar, _) = split_comment(rest);
            if mask_all || looks_secret(scalar) || looks_secret(rest) {
                format!("{prefix}{MASK}")
            } else {
                line.to_string()
            }
        }
    }
}

/// The inside of a quoted scalar that holds a flow collection: `'{"a": 1}'` gives `('\'', "{\"a\": 1}")`.
fn quoted_collection(scalar: &str) -> Option<(char, &str)> {
    let q = scalar.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = scalar.strip_prefix(q)?.strip_suffix(q)?;
    let t = inner.trim_start();
    (t.starts_with('{') || t.starts_with('[')).then_some((q, inner))
}

fn should_mask(key: &str, scalar: &str, mask_all: bool) -> bool {
    let k = key.trim_matches(|c| c == '"' || c == '\'');
    if mask_all || looks_secret(scalar) {
        return true;
    }
    if is_plain_literal(scalar) && !sensitive_name(k) {
        return false;
    }
    sensitive_name(k) || k == "value"
}

/// Splits `key: value` (block style). Returns the key, the `:` and the rest; `None` when the line is a bare
/// scalar. Quoted keys may contain `:`.
fn split_key(s: &str) -> Option<(&str, &str, &str)> {
    let key_end = if let Some(q) = s.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let close = s.get(1..)?.find(q)? + 1;
        close + 1
    } else {
        let mut end = None;
        let bytes = s.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b':' && bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t') {
                end = Some(i);
                break;
            }
            if *b == b'#' && i > 0 && bytes.get(i - 1).is_some_and(|p| *p == b' ') {
                return None;
            }
        }
        end?
    };
    let key = s.get(..key_end)?;
    let after = s.get(key_end..)?;
    let after_ws = after.trim_start_matches([' ', '\t']);
    let colon = after_ws.strip_prefix(':')?;
    let sep_len = after.len() - colon.len();
    Some((key, s.get(key_end..key_end + sep_len)?, colon))
}

/// Splits a plain or quoted scalar from a trailing ` # comment`.
fn split_comment(v: &str) -> (&str, &str) {
    if v.starts_with('"') || v.starts_with('\'') {
        let q = v.chars().next().unwrap_or('"');
        if let Some(close) = v.get(1..).and_then(|r| r.find(q)) {
            let end = close + 2;
            return (v.get(..end).unwrap_or(v), v.get(end..).unwrap_or(""));
        }
        return (v, "");
    }
    match v.find(" #") {
        Some(i) => (v.get(..i).unwrap_or(v).trim_end(), v.get(i..).unwrap_or("")),
        None => (v.trim_end(), ""),
    }
}

/// Redacts a flow collection (`{...}`, `[...]`, JSON): every scalar that follows a `:` is a value judged by its
/// key; other scalars (sequence items) are judged by themselves.
fn flow(s: &str, mask_all: bool, outer_key: Option<&str>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_scalar: Option<String> = outer_key.map(str::to_string);
    let mut after_colon = false;
    let mut chars = s.char_indices().peekable();
    // Keys of the enclosing maps, innermost last; a sequence inherits its key (so `"args": ["--password", ...]`
    // is judged by `args`).
    let mut key_stack: Vec<(bool, Option<String>)> = Vec::new();
    let mut pending_key: Option<String> = outer_key.map(str::to_string);
    while let Some((i, c)) = chars.next() {
        match c {
            '{' | '[' => {
                key_stack.push((c == '[', pending_key.take()));
                after_colon = false;
                out.push(c);
            }
            '}' | ']' => {
                key_stack.pop();
                after_colon = false;
                out.push(c);
            }
            ',' => {
                after_colon = false;
                out.push(c);
            }
            ':' => {
                after_colon = true;
                pending_key = last_scalar.take();
                out.push(c);
            }
            ' ' | '\t' => out.push(c),
            '"' | '\'' => {
                let mut end = s.len();
                let mut escaped = false;
                for (j, d) in s.get(i + 1..).unwrap_or("").char_indices() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' && c == '"' {
                        escaped = true;
                    } else if d == c {
                        end = i + 1 + j + 1;
                        break;
                    }
                }
                let tok = s.get(i..end).unwrap_or("");
                while chars.peek().is_some_and(|(k, _)| *k < end) {
                    chars.next();
                }
                emit_scalar(
                    &mut out,
                    tok,
                    mask_all,
                    after_colon,
                    &pending_key,
                    &key_stack,
                    &mut last_scalar,
                );
                after_colon = false;
            }
            _ => {
                let mut end = s.len();
                for (j, d) in s.get(i..).unwrap_or("").char_indices() {
                    let next = s.get(i + j + 1..).unwrap_or("");
                    if matches!(d, ',' | '}' | ']') || (d == ':' && (next.is_empty() || next.starts_with([' ', '"']))) {
                        end = i + j;
                        break;
                    }
                }
                if end == i {
                    out.push(c);
                    continue;
                }
                let tok = s.get(i..end).unwrap_or("").trim_end();
                let tok_end = i + tok.len();
                while chars.peek().is_some_and(|(k, _)| *k < tok_end) {
                    chars.next();
                }
                emit_scalar(
                    &mut out,
                    tok,
                    mask_all,
                    after_colon,
                    &pending_key,
                    &key_stack,
                    &mut last_scalar,
                );
                after_colon = false;
            }
        }
    }
    out
}

fn emit_scalar(
    out: &mut String,
    tok: &str,
    mask_all: bool,
    is_value: bool,
    key: &Option<String>,
    stack: &[(bool, Option<String>)],
    last_scalar: &mut Option<String>,
) {
    let mask = if is_value {
        should_mask(key.as_deref().unwrap_or(""), tok, mask_all)
    } else {
        // A sequence item (judged by the key of its sequence) or a map key (kept, unless it looks secret).
        match stack.last() {
            Some((true, seq_key)) => looks_secret(tok) || mask_all || seq_key.as_deref().is_some_and(sensitive_name),
            _ => looks_secret(tok),
        }
    };
    if mask {
        out.push_str(if tok.starts_with('"') { "\"****\"" } else { MASK });
    } else {
        out.push_str(tok);
    }
    *last_scalar = Some(tok.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_lines() {
        assert_eq!(line_with("      value: hunter2", false), "      value: ****");
        assert_eq!(line_with("      value: \"8080\"", false), "      value: \"8080\"");
        assert_eq!(line_with("  DB_PASSWORD: s3cr3t # prod", false), "  DB_PASSWORD: ****");
        assert_eq!(line_with("  - name: app", false), "  - name: app");
        assert_eq!(line_with("        privileged: true", false), "        privileged: true");
        assert_eq!(line_with("  password: x", true), "  password: ****");
        assert_eq!(line_with("  plain: text", true), "  plain: ****");
        assert_eq!(line_with("  secretName: db-creds", false), "  secretName: db-creds");
        assert_eq!(line_with("  conn: \"Server=x;AccountKey=abc\"", false), "  conn: ****");
        assert_eq!(line_with("    MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", false), "    ****");
        assert_eq!(line_with("    -----BEGIN PRIVATE KEY-----", false), "    ****");
        assert_eq!(line_with("  key.pem: |", true), "  key.pem: |");
        assert_eq!(line_with("  image: nginx:1.25", false), "  image: nginx:1.25");
        assert_eq!(line_with("  \"token\": \"abc\",", false), "  \"token\": ****");
        assert_eq!(
            line_with("  url: https://u:p4ss@db.example.com/x", false),
            "  url: ****"
        );
        assert_eq!(line_with("  id: AKIAIOSFODNN7EXAMPLE", false), "  id: ****");
        assert_eq!(
            line_with(r#"    last-applied: '{"data":{"API_KEY":"9f8e7d6c5b4a3928"}}'"#, false),
            r#"    last-applied: '{"data":{"API_KEY":"****"}}'"#
        );
        assert_eq!(
            line_with(
                r#"  args: ["curl", "-H", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"]"#,
                false
            ),
            r#"  args: ["curl", "-H", "****"]"#
        );
    }

    #[test]
    fn flow_lines() {
        let json = r#"{"name": "DB_PASSWORD", "value": "hunter2"}, {"name": "PORT", "value": "80"}"#;
        assert_eq!(
            line_with(json, false),
            r#"{"name": "DB_PASSWORD", "value": "****"}, {"name": "PORT", "value": "80"}"#
        );
        assert_eq!(
            line_with(r#"env: [{name: API_TOKEN, value: abc}]"#, false),
            r#"env: [{name: API_TOKEN, value: ****}]"#
        );
        assert_eq!(
            line_with(r#"{"kind":"Secret","data":{"pw":"aHVudGVyMg=="}}"#, true),
            r#"{"kind":"****","data":{"pw":"****"}}"#
        );
        assert_eq!(
            line_with(r#"{"securityContext": {"privileged": true}}"#, false),
            r#"{"securityContext": {"privileged": true}}"#
        );
    }

    #[test]
    fn names_and_values() {
        assert!(sensitive_name("DB_PASSWORD"));
        assert!(sensitive_name("AZURE_STORAGE_KEY"));
        assert!(sensitive_name("tls.key"));
        assert!(!sensitive_name("secretKeyRef"));
        assert!(!sensitive_name("image"));
        assert!(looks_secret("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"));
        assert!(looks_secret("ghp_0123456789abcdefghijABCDEFGHIJ012345"));
        assert!(!looks_secret("my-application-config-name-v2"));
        assert!(!looks_secret("registry.example.com/app:1.0"));
    }
}
