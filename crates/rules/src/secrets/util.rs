//! Credential detectors and masking shared by the secrets rules.
//!
//! Invariant: no message built here or in a SEC rule contains a secret value. Messages show the key and
//! [`mask`]ed values (`****, 24 chars`); detectors return a description of what matched, never the match.
//!
//! Detection of a `(name, value)` pair, in order:
//! 1. **Value patterns** (any name): a PEM private key (`BEGIN ... PRIVATE KEY` on one line, PKCS#8's
//!    `BEGIN PRIVATE KEY` included), a JWT (`eyJhbGciO`), an AWS access key ID (`AKIA` + 16 of `[0-9A-Z]`), a GitHub
//!    token (`ghp_` + 36 of `[0-9A-Za-z]`), Azure connection-string secrets (`AccountKey=`, `SharedAccessSignature=`,
//!    `SharedAccessKey=`, a SAS `sig=` parameter), and two additions: a `;`-separated connection string with a
//!    `Password=`/`Pwd=` part, and a URL with a password in its user info (`scheme://user:pass@host`).
//! 2. **Sensitive names**: the name matches the catalogue's `(?i)(password|passwd|pwd|secret|token|api[_-]?key|
//!    access[_-]?key|client[_-]?secret|connection[_-]?string|credential|bearer|private[_-]?key|^AZURE_.+KEY$|
//!    ^AWS_SECRET_ACCESS_KEY$)`, and the value is a literal that could be a credential. Not literals:
//!    empty values, values containing a `$(VAR)` reference (Kubernetes expands them from other variables),
//!    placeholders (`changeme`, `<password>`, `${VAR}`, `{{ .Values.x }}`, `#{token}#`, `__TOKEN__`, `xxxx`,
//!    `****`, `your-api-key`, `GOOGLE_API_KEY_VAL`, ...: templates to be replaced, not secrets), and values shaped
//!    like settings rather than secrets (booleans, numbers, durations, absolute paths, URLs without credentials).
//! 3. **Random-looking values**: when the name's last word says it holds a reference or a setting
//!    (`SECRET_NAME`, `TOKEN_URL`, `PASSWORD_FILE`, `tokenTtl`, ...), when the only sensitive part of the name is
//!    `connection string` (often a locator; the secret parts of connection strings are value patterns), or in
//!    annotation mode (annotation keys such as `nginx.ingress.kubernetes.io/auth-secret` name Secrets), a
//!    sensitive name is reported only when the value looks random: at least 16 characters, no whitespace, letters
//!    and digits, a Shannon entropy of at least 3.5 bits per character, and not a UUID, a DNS name, a path or a
//!    URL.

/// What made a value credential-like. Never holds the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Detection {
    /// The value matches a known secret format (the description names it: "a PEM private key").
    Pattern(&'static str),
    /// The name is sensitive and the value is a literal.
    SensitiveName,
    /// The name is sensitive and the value looks randomly generated.
    RandomLooking,
}

/// How strict the name-based detection is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Environment variables and ConfigMap keys: any literal under a sensitive name.
    Literal,
    /// Annotations: a sensitive name needs a random-looking value (annotation values usually name things).
    Annotation,
}

/// A masked value for messages: `****, 24 chars`.
pub(crate) fn mask(value: &str) -> String {
    format!("****, {} chars", value.chars().count())
}

/// How messages explain a detection, with the masked value: `sensitive name; value ****, 9 chars`.
pub(crate) fn explain(detection: Detection, value: &str) -> String {
    match detection {
        Detection::Pattern(what) => format!("value looks like {what}; {}", mask(value)),
        Detection::SensitiveName => format!("sensitive name; value {}", mask(value)),
        Detection::RandomLooking => format!("sensitive name and random-looking value; {}", mask(value)),
    }
}

/// Where `needle` starts in `haystack`, left to right without overlaps (as `str::match_indices`). A plain byte
/// scan: the needles here are a few bytes long and most haystacks (names, values) a few dozen, where setting up
/// `str`'s two-way searcher costs more than the search.
fn match_starts<'h>(haystack: &'h str, needle: &'h str) -> impl Iterator<Item = usize> + 'h {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let mut from = 0;
    std::iter::from_fn(move || {
        let first = *n.first()?;
        while from + n.len() <= h.len() {
            let at = from + h.get(from..)?.iter().position(|&b| b == first)?;
            if h.get(at..at + n.len()) == Some(n) {
                from = at + n.len();
                return Some(at);
            }
            from = at + 1;
        }
        None
    })
}

/// Whether `haystack` contains `needle` (see [`match_starts`]).
fn has(haystack: &str, needle: &str) -> bool {
    match_starts(haystack, needle).next().is_some()
}

/// Whether `text` contains `a`, then optionally `_` or `-`, then `b` (as in `api[_-]?key`). Both lower-case.
fn contains_joined(text: &str, a: &str, b: &str) -> bool {
    match_starts(text, a).any(|i| {
        let rest = text.get(i + a.len()..).unwrap_or("");
        let rest = rest.strip_prefix(['_', '-']).unwrap_or(rest);
        rest.starts_with(b)
    })
}

/// Calls `f` with `text` in ASCII lower case, on the stack when it is short (names are): every env var, ConfigMap
/// key and annotation is checked.
fn with_ascii_lowercase<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 64];
    if let Some(slot) = buf.get_mut(..text.len()) {
        slot.copy_from_slice(text.as_bytes());
        slot.make_ascii_lowercase();
        // Lower-casing ASCII bytes keeps the text valid UTF-8.
        if let Ok(lower) = std::str::from_utf8(slot) {
            return f(lower);
        }
    }
    f(&text.to_ascii_lowercase())
}

/// The catalogue's sensitive-name expression, case-insensitive.
pub(crate) fn is_sensitive_name(name: &str) -> bool {
    with_ascii_lowercase(name, |n| {
        lower_names_a_secret(n) || contains_joined(n, "connection", "string") || names_a_key(n)
    })
}

/// Names whose last word is `key` (`STORAGE_ACCOUNT_KEY`, `JWT_SIGNING_KEY`, `ENCRYPTION_KEY`): beyond the
/// catalogue's expression, so only a random-looking value counts (a key name alone also fits `PRIMARY_KEY: id`).
fn names_a_key(lower: &str) -> bool {
    lower == "key" || lower.ends_with("_key") || lower.ends_with("-key") || lower.ends_with(".key")
}

/// The catalogue's sensitive-name expression without `connection[_-]?string`: names that say the value is a secret.
/// A connection string is often just a locator (`projects/p/instances/i/databases/d`, `Server=db;Integrated
/// Security=true`); the secret parts of Azure and SQL connection strings are caught by the value patterns.
fn names_a_secret(name: &str) -> bool {
    with_ascii_lowercase(name, lower_names_a_secret)
}

/// [`names_a_secret`] of an already lower-case name: whether it contains `password`, `passwd`, `pwd`, `secret`,
/// `token`, `credential`, `bearer`, `api[_-]?key`, `access[_-]?key`, `client[_-]?secret` or `private[_-]?key`,
/// or is an `azure_..key` name. One pass over the name, looking only where a word's first letter is (every env
/// var, ConfigMap key and annotation name goes through here).
fn lower_names_a_secret(n: &str) -> bool {
    let b = n.as_bytes();
    // `word` at `rest`'s start, then optionally `_` or `-`, then `then`.
    let joined = |rest: &[u8], word: &[u8], then: &[u8]| {
        let after = rest.get(word.len()..).unwrap_or_default();
        let after = match after.first() {
            Some(b'_' | b'-') => after.get(1..).unwrap_or_default(),
            _ => after,
        };
        rest.starts_with(word) && after.starts_with(then)
    };
    let found = (0..b.len()).any(|i| {
        let rest = b.get(i..).unwrap_or_default();
        match rest.first() {
            Some(b'p') => {
                rest.starts_with(b"password")
                    || rest.starts_with(b"passwd")
                    || rest.starts_with(b"pwd")
                    || joined(rest, b"private", b"key")
            }
            Some(b's') => rest.starts_with(b"secret"),
            Some(b't') => rest.starts_with(b"token"),
            Some(b'c') => rest.starts_with(b"credential"),
            Some(b'b') => rest.starts_with(b"bearer"),
            Some(b'a') => joined(rest, b"api", b"key") || joined(rest, b"access", b"key"),
            _ => false,
        }
    });
    // `client[_-]?secret` and `aws_secret_access_key` contain `secret`, found above.
    found || (n.starts_with("azure_") && n.ends_with("key") && n.len() >= "azure_".len() + 1 + "key".len())
}

/// Last words of names that hold a reference or a setting rather than the secret itself.
const REFERENCE_WORDS: &[&str] = &[
    "file",
    "files",
    "path",
    "dir",
    "directory",
    "name",
    "names",
    "url",
    "uri",
    "endpoint",
    "host",
    "hostname",
    "port",
    "ttl",
    "timeout",
    "expiry",
    "expiration",
    "expires",
    "lifetime",
    "length",
    "size",
    "enabled",
    "enable",
    "disabled",
    "mode",
    "type",
    "header",
    "ref",
    "id",
    "version",
    "format",
    "algorithm",
    "provider",
    "location",
    "region",
    "audience",
    "issuer",
    "scope",
    "scopes",
    "prefix",
    "policy",
    "rotation",
    "interval",
    "seconds",
    "minutes",
    "hours",
    "days",
    "count",
    "max",
    "min",
    "required",
    "mount",
    "store",
    "namespace",
    "backend",
    "source",
    "method",
    "strategy",
    "kind",
    "class",
    "encoding",
    "cipher",
    "level",
    "usage",
];

/// The last word of a name, lower-case: split at non-alphanumerics and at lower-to-upper case changes
/// (`DB_PASSWORD_FILE` → `file`, `tokenUrl` → `url`, `auth.secret-name` → `name`).
fn last_word(name: &str) -> String {
    let mut start = 0;
    let mut prev_lower = false;
    for (i, c) in name.char_indices() {
        if !c.is_ascii_alphanumeric() {
            start = i + c.len_utf8();
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            start = i;
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    name.get(start..).unwrap_or("").to_ascii_lowercase()
}

/// Whether a name's last word says it holds a reference or a setting (`SECRET_NAME`, `TOKEN_URL`).
pub(crate) fn names_a_reference(name: &str) -> bool {
    REFERENCE_WORDS.contains(&last_word(name).as_str())
}

/// Whether a value contains a Kubernetes `$(VAR)` reference (`$$(VAR)` is an escaped literal).
pub(crate) fn has_var_reference(value: &str) -> bool {
    match_starts(value, "$(").any(|i| {
        let escaped = i > 0 && value.as_bytes().get(i - 1) == Some(&b'$');
        let rest = value.get(i + 2..).unwrap_or("");
        let ident_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        !escaped && ident_len > 0 && rest.get(ident_len..).is_some_and(|r| r.starts_with(')'))
    })
}

/// Whether a value is a placeholder meant to be replaced, not a secret.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let wrapped =
        |open: &str, close: &str| v.len() > open.len() + close.len() && v.starts_with(open) && v.ends_with(close);
    const WORDS: &[&str] = &[
        "changeme",
        "change-me",
        "change_me",
        "changeit",
        "replaceme",
        "replace-me",
        "replace_me",
        "placeholder",
        "redacted",
        "todo",
        "tbd",
        "none",
        "null",
        "nil",
        "n/a",
    ];
    WORDS.contains(&lower.as_str())
        || (!v.is_empty() && v.chars().all(|c| matches!(c, 'x' | 'X' | '*' | '.' | '-' | '#')))
        || wrapped("<", ">")
        || wrapped("${", "}")
        || wrapped("{{", "}}")
        || wrapped("#{", "}#")
        || wrapped("__", "__")
        || wrapped("%", "%")
        || lower.starts_with("your-")
        || lower.starts_with("your_")
        || lower.starts_with("<your")
        || is_upper_snake_word(v)
}

/// `GOOGLE_API_KEY_VAL`, `SPANNER_PROJECT`: upper-case words joined by underscores, no digits, the way templates
/// name the value to substitute.
fn is_upper_snake_word(v: &str) -> bool {
    v.contains('_')
        && v.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        && v.chars().any(|c| c.is_ascii_uppercase())
}

/// Whether a value is shaped like a setting rather than a secret: a boolean, a number or duration, an absolute
/// path, or a URL without credentials.
fn looks_like_setting(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled" | "required" | "optional"
    ) {
        return true;
    }
    let digits = lower.trim_end_matches(['s', 'm', 'h', 'd']);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    // An absolute path; base64 keys may also start with '/', but they carry '+'/'=' or look random.
    if (v.starts_with('/') || v.starts_with("~/"))
        && !v.contains(char::is_whitespace)
        && !v.contains(['+', '='])
        && (v.len() <= 16 || shannon_entropy(v) < 4.3)
    {
        return true;
    }
    v.contains("://") && !v.contains(char::is_whitespace) && url_password(v).is_none() && !has_secret_query(v)
}

/// Whether a URL's query carries a credential-like parameter (`?sig=`, `&token=`, `&api_key=`, ...).
fn has_secret_query(url: &str) -> bool {
    let Some((_, query)) = url.split_once('?') else {
        return false;
    };
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .any(|(k, v)| !v.is_empty() && (is_sensitive_name(k) || k.eq_ignore_ascii_case("sig")))
}

/// The password of a URL's user info (`scheme://user:pass@host`), when there is one.
fn url_password(value: &str) -> Option<&str> {
    value.match_indices("://").find_map(|(i, _)| {
        let rest = value.get(i + 3..)?;
        let authority = rest.split(['/', '?', '#', ' ', '\n', '"', '\'']).next()?;
        let (userinfo, _host) = authority.rsplit_once('@')?;
        let (_, password) = userinfo.split_once(':')?;
        (!password.is_empty()).then_some(password)
    })
}

/// Whether a piece of a value is a real literal (not empty, not a placeholder, not a `$(VAR)` reference).
fn is_literal(part: &str) -> bool {
    let p = part.trim().trim_matches(['"', '\'']);
    !p.is_empty() && !is_placeholder(p) && !has_var_reference(p)
}

/// Whether `text` has `prefix` followed by exactly `n` characters of the class (as `AKIA[0-9A-Z]{16}` without
/// anchors: the class may continue after).
fn has_token(text: &str, prefix: &str, n: usize, class: fn(char) -> bool) -> bool {
    match_starts(text, prefix).any(|i| {
        text.get(i + prefix.len()..)
            .is_some_and(|rest| rest.chars().take(n).filter(|c| class(*c)).count() == n)
    })
}

/// The literal after `key=` in a `;`/`&`/`?`-separated string, searched case-insensitively; `key` lower-case.
fn assignment<'a>(value: &'a str, lower: &str, key: &str) -> Option<&'a str> {
    lower.match_indices(key).find_map(|(i, _)| {
        let at_boundary = i == 0
            || lower
                .as_bytes()
                .get(i - 1)
                .is_some_and(|b| matches!(b, b';' | b'&' | b'?' | b' ' | b'"' | b'\''));
        let rest = value.get(i + key.len()..)?;
        let literal = rest.split([';', '&', '"', '\'', '\n']).next()?;
        (at_boundary && is_literal(literal)).then_some(literal)
    })
}

/// A known secret format in the value, described for messages ("a PEM private key").
pub(crate) fn value_pattern(value: &str) -> Option<&'static str> {
    if has(value, "BEGIN")
        && value.lines().any(|line| {
            line.find("BEGIN")
                .and_then(|i| line.get(i..))
                .is_some_and(|rest| rest.contains("PRIVATE KEY"))
        })
    {
        return Some("a PEM private key");
    }
    if has(value, "eyJhbGciO") {
        return Some("a JSON Web Token");
    }
    if has_token(value, "AKIA", 16, |c| c.is_ascii_digit() || c.is_ascii_uppercase()) {
        return Some("an AWS access key ID");
    }
    if has_token(value, "ghp_", 36, |c| c.is_ascii_alphanumeric()) {
        return Some("a GitHub personal access token");
    }
    // Every pattern below is an assignment (`key=`) or a URL (`://`): most values have neither.
    if !value.contains('=') {
        return (has(value, "://") && url_password(value).is_some_and(is_literal))
            .then_some("a URL with an embedded password");
    }
    let lower = value.to_ascii_lowercase();
    for (key, what) in [
        ("accountkey=", "an Azure storage account key"),
        ("sharedaccesssignature=", "an Azure shared access signature"),
        ("sharedaccesskey=", "an Azure shared access key"),
        ("sig=", "an Azure SAS signature"),
    ] {
        if assignment(value, &lower, key).is_some() {
            return Some(what);
        }
    }
    if value.contains(';')
        && (assignment(value, &lower, "password=").is_some() || assignment(value, &lower, "pwd=").is_some())
    {
        return Some("a connection string with a password");
    }
    if url_password(value).is_some_and(is_literal) {
        return Some("a URL with an embedded password");
    }
    None
}

/// Shannon entropy of the value's characters, in bits per character.
pub(crate) fn shannon_entropy(value: &str) -> f64 {
    // ASCII characters are counted in a table (in a fixed order, so the sum is the same on every run); others
    // in a map.
    let mut ascii = [0usize; 128];
    let mut other = std::collections::BTreeMap::new();
    let mut total = 0usize;
    for c in value.chars() {
        match ascii.get_mut(c as usize) {
            Some(n) => *n += 1,
            None => *other.entry(c).or_insert(0usize) += 1,
        }
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let n = total as f64;
    ascii
        .iter()
        .chain(other.values())
        .filter(|&&k| k > 0)
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Whether a value is a UUID (`8-4-4-4-12` hex digits): client and tenant IDs, not secrets.
fn is_uuid(v: &str) -> bool {
    let groups: Vec<&str> = v.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whether a value looks like a DNS name (`db-01.shop.svc.cluster.local`): lower-case labels joined by dots.
fn is_hostname_like(v: &str) -> bool {
    v.contains('.')
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

/// Whether a value looks randomly generated: at least 16 characters, no whitespace, both letters and digits, at
/// least 3.5 bits of entropy per character, and not a UUID, a DNS name, a path or a URL.
pub(crate) fn looks_random(value: &str) -> bool {
    let v = value.trim();
    v.chars().count() >= 16
        && !v.contains(char::is_whitespace)
        && v.chars().any(|c| c.is_ascii_alphabetic())
        && v.chars().any(|c| c.is_ascii_digit())
        // Hex has at most 4 bits per character, so a random 32+ character hex string can measure under 3.5.
        && shannon_entropy(v) >= if v.len() >= 32 && v.chars().all(|c| c.is_ascii_hexdigit()) { 3.0 } else { 3.5 }
        && !is_uuid(v)
        && !is_hostname_like(v)
        && !looks_like_setting(v)
}

/// Whether a `(name, value)` pair holds a credential-like literal, and why. See the module docs for the order.
pub(crate) fn detect(name: &str, value: &str, mode: Mode) -> Option<Detection> {
    if value.trim().is_empty() {
        return None;
    }
    if let Some(what) = value_pattern(value) {
        return Some(Detection::Pattern(what));
    }
    if !is_sensitive_name(name) || has_var_reference(value) || is_placeholder(value) {
        return None;
    }
    if mode == Mode::Annotation || names_a_reference(name) || !names_a_secret(name) {
        return looks_random(value).then_some(Detection::RandomLooking);
    }
    if looks_like_setting(value) {
        return None;
    }
    Some(if looks_random(value) {
        Detection::RandomLooking
    } else {
        Detection::SensitiveName
    })
}

/// The value part of an assignment: the content of a quoted string, or the text before a ` #` comment, without a
/// trailing comma.
fn assigned_value(raw: &str) -> &str {
    let raw = raw.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = raw.strip_prefix(quote) {
            return inner.split(quote).next().unwrap_or("");
        }
    }
    let raw = raw.split(" #").next().unwrap_or("");
    raw.trim().trim_end_matches(',').trim()
}

/// `name = value` / `name: value` / `"name": "value"` assignments in a multi-line configuration file, as
/// (1-based line, name, value). Comment lines (`#`, `//`, `;`) are skipped, and so are values that open a nested
/// structure (`{`, `[`) or a YAML block (`|`, `>`), anchors and aliases: the secret, if any, is on other lines.
pub(crate) fn assignments(text: &str) -> Vec<(usize, &str, &str)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') || l.starts_with("//") || l.starts_with(';') {
                return None;
            }
            let split = l.find(['=', ':'])?;
            let name = l
                .get(..split)?
                .trim()
                .trim_start_matches("- ")
                .trim_matches(['"', '\'']);
            let value = assigned_value(l.get(split + 1..)?);
            let structural = value.starts_with(['{', '[', '|', '>', '&', '*']);
            (!name.is_empty() && !name.contains(char::is_whitespace) && !value.is_empty() && !structural).then_some((
                i + 1,
                name,
                value,
            ))
        })
        .collect()
}

/// Decodes standard base64 (padding optional, whitespace ignored); `None` when invalid.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for c in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalogue's expression as written, searched word by word: what `lower_names_a_secret` must agree with.
    fn names_a_secret_by_search(n: &str) -> bool {
        ["password", "passwd", "pwd", "secret", "token", "credential", "bearer"]
            .iter()
            .any(|w| n.contains(w))
            || [
                ("api", "key"),
                ("access", "key"),
                ("client", "secret"),
                ("private", "key"),
            ]
            .iter()
            .any(|(a, b)| {
                [format!("{a}{b}"), format!("{a}_{b}"), format!("{a}-{b}")]
                    .iter()
                    .any(|j| n.contains(j.as_str()))
            })
            || (n.starts_with("azure_") && n.ends_with("key") && n.len() >= "azure_".len() + 1 + "key".len())
            || n == "aws_secret_access_key"
    }

    #[test]
    fn one_pass_name_check_agrees_with_searching_each_word() {
        let pieces = [
            "",
            "api",
            "key",
            "apikey",
            "access",
            "client",
            "secret",
            "secre",
            "private",
            "pass",
            "password",
            "passwd",
            "pwd",
            "pw",
            "token",
            "tok",
            "credential",
            "cred",
            "bearer",
            "azure",
            "azure_",
            "aws",
            "db",
            "user",
            "_",
            "-",
            "x",
            "k",
            "acc",
            "ess",
            "ap",
        ];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let name = format!("{a}{b}{c}");
                    assert_eq!(lower_names_a_secret(&name), names_a_secret_by_search(&name), "{name:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, pieces.len().pow(3));
    }

    #[test]
    fn match_starts_is_match_indices() {
        for (h, n) in [
            ("AKIAKIAKIA", "AKIA"),
            ("aaaa", "aa"),
            ("x$(A)$(B)", "$("),
            ("api_key api-key", "api"),
            ("", "ab"),
            ("ab", "abc"),
            ("caf\u{e9} \u{e9}t\u{e9}", "\u{e9}"),
            ("no match here", "zz"),
        ] {
            let ours: Vec<usize> = match_starts(h, n).collect();
            let std: Vec<usize> = h.match_indices(n).map(|(i, _)| i).collect();
            assert_eq!(ours, std, "{h:?} {n:?}");
        }
    }

    #[test]
    fn sensitive_names_follow_the_catalogue_expression() {
        for n in [
            "DB_PASSWORD",
            "passwd",
            "MYSQL_ROOT_PWD",
            "client_secret",
            "GITHUB_TOKEN",
            "API_KEY",
            "apikey",
            "api-key",
            "x-api_key",
            "ACCESS_KEY",
            "accesskey",
            "ConnectionString",
            "connection-string",
            "CREDENTIALS",
            "bearer",
            "PRIVATE_KEY",
            "AZURE_STORAGE_KEY",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert!(is_sensitive_name(n), "{n}");
        }
        for n in ["USERNAME", "API_URL", "LOG_LEVEL", "apiversion", "ACCESS_LOG"] {
            assert!(!is_sensitive_name(n), "{n}");
        }
        // Names longer than the stack buffer, and non-ASCII names, are lower-cased all the same.
        let long = format!("{}_PASSWORD", "X".repeat(80));
        assert!(is_sensitive_name(&long) && names_a_secret(&long));
        assert!(is_sensitive_name("CL\u{c9}_API_KEY") && !is_sensitive_name(&"\u{c9}".repeat(40)));
    }

    #[test]
    fn key_names_need_a_random_value() {
        // Beyond the catalogue's expression: names ending in "key" count only with a random-looking value.
        assert!(detect(
            "JWT_SIGNING_KEY",
            "4d733340c1df9bff8120a576efd31825dff7b81a10edd58c",
            Mode::Literal
        )
        .is_some());
        assert!(detect(
            "STORAGE_ACCOUNT_KEY",
            "/BdDZ5l5RifUq9x2Lk0vTn7W3yHcP8sJmA4eG6iR1oXb",
            Mode::Literal
        )
        .is_some());
        assert!(detect("PRIMARY_KEY", "id", Mode::Literal).is_none());
        assert!(detect("CACHE_KEY", "sessions", Mode::Literal).is_none());
        assert!(detect("TLS_KEY", "/etc/tls/tls.key", Mode::Literal).is_none());
    }

    #[test]
    fn value_patterns() {
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----";
        assert_eq!(value_pattern(pem), Some("a PEM private key"));
        assert_eq!(
            value_pattern("-----BEGIN PRIVATE KEY-----\nMIIE"),
            Some("a PEM private key")
        );
        assert_eq!(value_pattern("-----BEGIN CERTIFICATE-----\nMIIE"), None);
        assert_eq!(value_pattern("eyJhbGciOiJIUzI1NiJ9.e30.sig"), Some("a JSON Web Token"));
        assert_eq!(value_pattern("AKIAIOSFODNN7EXAMPLE"), Some("an AWS access key ID"));
        assert_eq!(value_pattern("AKIA1234"), None);
        assert_eq!(
            value_pattern(&format!("ghp_{}", "a1".repeat(18))),
            Some("a GitHub personal access token")
        );
        assert_eq!(value_pattern("ghp_short"), None);
        let storage = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5MTIz==;EndpointSuffix=core.windows.net";
        assert_eq!(value_pattern(storage), Some("an Azure storage account key"));
        assert_eq!(value_pattern("AccountName=acct;AccountKey=;"), None);
        assert_eq!(value_pattern("AccountKey=$(STORAGE_KEY)"), None);
        assert_eq!(
            value_pattern("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=abc123="),
            Some("an Azure shared access key")
        );
        assert_eq!(
            value_pattern("https://acct.blob.core.windows.net/c?sv=2022-11-02&se=2030&sig=AbCdEf0123%3D"),
            Some("an Azure SAS signature")
        );
        assert_eq!(value_pattern("config=value"), None);
        assert_eq!(
            value_pattern("Server=tcp:db.example.com;Database=app;User Id=app;Password=S3cr3t!"),
            Some("a connection string with a password")
        );
        assert_eq!(value_pattern("Server=db;Integrated Security=true;"), None);
        assert_eq!(
            value_pattern("postgres://app:S3cr3t@db:5432/app"),
            Some("a URL with an embedded password")
        );
        assert_eq!(value_pattern("postgres://app:$(DB_PASSWORD)@db:5432/app"), None);
        assert_eq!(value_pattern("postgres://app@db:5432/app"), None);
        assert_eq!(value_pattern("https://example.com/a:b@c"), None);
    }

    #[test]
    fn placeholders_references_and_settings_are_not_literals() {
        for v in [
            "changeme",
            "CHANGE_ME",
            "<password>",
            "${DB_PASSWORD}",
            "{{ .Values.password }}",
            "#{DbPassword}#",
            "__DB_PASSWORD__",
            "xxxxxx",
            "********",
            "your-api-key-here",
            "%PASSWORD%",
            "GOOGLE_API_KEY_VAL",
        ] {
            assert!(is_placeholder(v), "{v}");
            assert_eq!(detect("DB_PASSWORD", v, Mode::Literal), None, "{v}");
        }
        assert!(has_var_reference("$(DB_PASSWORD)"));
        assert!(has_var_reference("prefix-$(A_B)-suffix"));
        assert!(!has_var_reference("$$(DB_PASSWORD)"));
        assert!(!has_var_reference("$()"));
        assert_eq!(detect("DB_PASSWORD", "$(DB_PASSWORD_FROM_SECRET)", Mode::Literal), None);
        for v in [
            "true",
            "3600",
            "30s",
            "/var/run/secrets/token",
            "https://login.microsoftonline.com/tenant",
        ] {
            assert_eq!(detect("TOKEN_SETTING", v, Mode::Literal), None, "{v}");
        }
        assert_eq!(detect("DB_PASSWORD", "", Mode::Literal), None);
        assert_eq!(detect("DB_PASSWORD", "   ", Mode::Literal), None);
    }

    #[test]
    fn names_and_modes() {
        assert_eq!(
            detect("DB_PASSWORD", "hunter2", Mode::Literal),
            Some(Detection::SensitiveName)
        );
        assert_eq!(detect("LOG_LEVEL", "hunter2", Mode::Literal), None);
        // Connection strings: locators are not secrets, their secret parts are value patterns.
        assert_eq!(
            detect(
                "SPANNER_CONNECTION_STRING",
                "projects/p/instances/i/databases/d",
                Mode::Literal
            ),
            None
        );
        assert_eq!(
            detect(
                "DB_CONNECTION_STRING",
                "Server=db;Integrated Security=true",
                Mode::Literal
            ),
            None
        );
        assert_eq!(
            detect(
                "DB_CONNECTION_STRING",
                "Server=db;User Id=app;Password=S3cr3t!",
                Mode::Literal
            ),
            Some(Detection::Pattern("a connection string with a password"))
        );
        // Connection strings: locators are not secrets, their secret parts are value patterns.
        assert_eq!(
            detect(
                "SPANNER_CONNECTION_STRING",
                "projects/p/instances/i/databases/d",
                Mode::Literal
            ),
            None
        );
        assert_eq!(
            detect(
                "DB_CONNECTION_STRING",
                "Server=db;Integrated Security=true",
                Mode::Literal
            ),
            None
        );
        assert_eq!(
            detect(
                "DB_CONNECTION_STRING",
                "Server=db;User Id=app;Password=S3cr3t!",
                Mode::Literal
            ),
            Some(Detection::Pattern("a connection string with a password"))
        );
        // A reference-style name needs a random-looking value.
        assert_eq!(detect("SECRET_NAME", "app-secrets", Mode::Literal), None);
        assert_eq!(detect("passwordFile", "app-secrets", Mode::Literal), None);
        assert_eq!(
            detect("SECRET_NAME", "q8Zr4TnV2xLp9sKd7WmB", Mode::Literal),
            Some(Detection::RandomLooking)
        );
        assert_eq!(
            detect("API_TOKEN", "q8Zr4TnV2xLp9sKd7WmB", Mode::Literal),
            Some(Detection::RandomLooking)
        );
        // Annotations: names alone are not enough.
        assert_eq!(
            detect(
                "nginx.ingress.kubernetes.io/auth-secret",
                "basic-auth",
                Mode::Annotation
            ),
            None
        );
        assert_eq!(
            detect("example.com/api-token", "q8Zr4TnV2xLp9sKd7WmB", Mode::Annotation),
            Some(Detection::RandomLooking)
        );
        assert_eq!(
            detect("example.com/anything", "AKIAIOSFODNN7EXAMPLE", Mode::Annotation),
            Some(Detection::Pattern("an AWS access key ID"))
        );
    }

    #[test]
    fn last_words() {
        assert_eq!(last_word("DB_PASSWORD_FILE"), "file");
        assert_eq!(last_word("tokenUrl"), "url");
        assert_eq!(last_word("auth.secret-name"), "name");
        assert_eq!(last_word("API_KEY"), "key");
        assert_eq!(last_word("password"), "password");
    }

    #[test]
    fn entropy() {
        assert_eq!(shannon_entropy(""), 0.0);
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!((shannon_entropy("ab") - 1.0).abs() < 1e-9);
        assert!((shannon_entropy("0123456789abcdef") - 4.0).abs() < 1e-9);
        assert!(looks_random("q8Zr4TnV2xLp9sKd7WmB"));
        assert!(looks_random("3f9a1c0e7b2d4a6f8e0c1b3d5f7a9c2e"));
        assert!(!looks_random("my-application-secret-name"));
        assert!(!looks_random("aaaaaaaaaaaaaaaa1"));
        assert!(!looks_random("short1a"));
        assert!(!looks_random("has space q8Zr4TnV2xLp9sKd7WmB"));
        assert!(!looks_random("6a1d2f36-0d6a-4b2e-9e59-2f1c5b0d7e11"));
        assert!(!looks_random("db-01.shop.svc.cluster.local"));
        assert!(!looks_random(
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
        ));
        assert!(!looks_random("/var/run/secrets/azure/tokens/azure-identity-token"));
        assert!(looks_random("Xy7Q~k2Lm.9pR_tV4wZ8bN3cF6"));
    }

    #[test]
    fn masking_never_shows_the_value() {
        assert_eq!(mask("hunter2"), "****, 7 chars");
        let e = explain(Detection::SensitiveName, "hunter2");
        assert!(!e.contains("hunter2"));
        assert_eq!(e, "sensitive name; value ****, 7 chars");
        assert!(!explain(Detection::Pattern("x"), "AKIAIOSFODNN7EXAMPLE").contains("AKIA"));
    }

    #[test]
    fn config_file_assignments() {
        let text =
            "# comment\ndb.password=hunter2\n  \"apiKey\": \"abc\",\nurl: https://x.example.com\nnot an assignment\n\
                    \"tokenValidation\": {\npassword: |\nsecret = 's3cr3t' # old\nempty:\n- token: \"a, b\"\n";
        let found = assignments(text);
        assert_eq!(
            found,
            vec![
                (2, "db.password", "hunter2"),
                (3, "apiKey", "abc"),
                (4, "url", "https://x.example.com"),
                (8, "secret", "s3cr3t"),
                (10, "token", "a, b")
            ]
        );
    }

    /// Secret-bearing values of an object: env values, Secret data/stringData, ConfigMap data (and the values of
    /// assignments in it) and binaryData (encoded and decoded), annotation values (except the workload identity
    /// client ID, a public identifier that SEC-008 names on purpose). Values under 8 characters are skipped: they
    /// also occur as names.
    fn secret_values(obj: &serde_json::Value, kind: &str, out: &mut Vec<String>) {
        fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    for (k, child) in m {
                        if k == "env" {
                            for e in child.as_array().into_iter().flatten() {
                                out.extend(e.get("value").and_then(|x| x.as_str()).map(str::to_string));
                            }
                        }
                        if k == "annotations" {
                            for (ak, av) in child.as_object().into_iter().flatten() {
                                if ak != "azure.workload.identity/client-id" {
                                    out.extend(av.as_str().map(str::to_string));
                                }
                            }
                        }
                        walk(child, out);
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
                _ => {}
            }
        }
        walk(obj, out);
        let fields: &[&str] = match kind {
            "Secret" => &["data", "stringData"],
            "ConfigMap" => &["data", "binaryData"],
            _ => &[],
        };
        for field in fields {
            for (_, v) in obj.get(*field).and_then(|d| d.as_object()).into_iter().flatten() {
                let Some(text) = v.as_str() else { continue };
                out.push(text.to_string());
                out.extend(assignments(text).into_iter().map(|(_, _, v)| v.to_string()));
                if let Some(decoded) = decode_base64(text) {
                    out.push(String::from_utf8_lossy(&decoded).trim().to_string());
                }
            }
        }
        out.retain(|v| v.chars().count() >= 8);
    }

    #[test]
    fn no_message_of_any_sec_rule_contains_a_fixture_secret_value() {
        use palisade_core::object::Source;
        use palisade_core::{Engine, K8sObject, Params, PssPolicy};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let (mut values_checked, mut messages_checked) = (0usize, 0usize);
        let mut saw_known_secret = false;
        for dir in std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()) {
            if !dir.file_name().unwrap().to_string_lossy().starts_with("SEC-") {
                continue;
            }
            for verdict in ["pass", "fail", "not-evaluated"] {
                let Ok(entries) = std::fs::read_dir(dir.join(verdict)) else {
                    continue;
                };
                for file in entries.map(|e| e.unwrap().path()) {
                    let bytes = std::fs::read(&file).unwrap();
                    let (docs, err) = palisade_input::parse_documents(&bytes, &palisade_input::LoadOptions::default());
                    assert!(err.is_none(), "{}", file.display());
                    let objects: Vec<K8sObject> = docs
                        .into_iter()
                        .enumerate()
                        .filter_map(|(i, d)| {
                            let source = Source {
                                file: "f".into(),
                                document: i + 1,
                                base_pointer: String::new(),
                            };
                            K8sObject::from_node(d.root, source)
                        })
                        .collect();
                    let mut values = Vec::new();
                    for o in &objects {
                        secret_values(&o.root.to_json(), &o.id.kind, &mut values);
                    }
                    saw_known_secret |= values.iter().any(|v| v == "Tr0ub4dor-and-3");
                    values_checked += values.len();
                    for rule in crate::secrets::RULES {
                        let engine = Engine::new(vec![*rule]);
                        let result = palisade_core::scan::scan_objects(
                            &engine,
                            Params::default_ref(),
                            PssPolicy::default(),
                            &objects,
                        );
                        let texts = result
                            .findings
                            .iter()
                            .map(|f| f.message.as_str())
                            .chain(result.not_evaluated.iter().map(|n| n.reason.as_str()));
                        for text in texts {
                            messages_checked += 1;
                            for v in &values {
                                assert!(
                                    !text.contains(v.as_str()),
                                    "{} {}: message shows a secret value: {text}",
                                    rule.meta().id,
                                    file.display()
                                );
                            }
                        }
                    }
                }
            }
        }
        assert!(saw_known_secret, "the SEC-001 fixture secret was not collected");
        assert!(
            values_checked > 20 && messages_checked > 20,
            "{values_checked} values, {messages_checked} messages"
        );
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64("aHVudGVyMg==").unwrap(), b"hunter2");
        assert_eq!(decode_base64("aHVu\ndGVy").unwrap(), b"hunter");
        assert_eq!(decode_base64("not base64!"), None);
    }
}
