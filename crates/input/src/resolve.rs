//! Scalar resolution as go-yaml v2 does it (YAML 1.1), and the key conversion of sigs.k8s.io/yaml.
//!
//! `resolve` in go-yaml v2 picks a type from the first character: `yYnNtTfFoO~` may be a bool or null from a
//! fixed table, `.` may be a float, a digit or sign may be an int (Go `ParseInt(s, 0, 64)` after removing `_`,
//! so `0755` is octal and `0x1F` hex), an unsigned int, a float of the YAML 1.1 form, or a `0b` binary.
//! Everything else, and every quoted or block scalar, is a string.

use palisade_core::Value;
use std::borrow::Cow;

/// The tag written on a scalar, as far as go-yaml v2 distinguishes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TagKind {
    /// No tag.
    None,
    /// The non-specific tag `!`.
    NonSpecific,
    /// `!!str`.
    Str,
    /// `!!binary`.
    Binary,
    /// `!!bool`.
    Bool,
    /// `!!int`.
    Int,
    /// `!!float`.
    Float,
    /// `!!null`.
    Null,
    /// `!!timestamp`.
    Timestamp,
    /// `!!merge`.
    Merge,
    /// Any other tag (local `!Ref`, `!!map`, `!!seq`, global tags): the scalar stays a string.
    Other,
}

impl TagKind {
    /// The tag of a core type (suffix after `tag:yaml.org,2002:`).
    pub(crate) fn from_core_suffix(suffix: &str) -> Self {
        match suffix {
            "str" => TagKind::Str,
            "binary" => TagKind::Binary,
            "bool" => TagKind::Bool,
            "int" => TagKind::Int,
            "float" => TagKind::Float,
            "null" => TagKind::Null,
            "timestamp" => TagKind::Timestamp,
            "merge" => TagKind::Merge,
            _ => TagKind::Other,
        }
    }

    fn short(self) -> &'static str {
        match self {
            TagKind::Str | TagKind::None | TagKind::NonSpecific | TagKind::Other => "!!str",
            TagKind::Binary => "!!binary",
            TagKind::Bool => "!!bool",
            TagKind::Int => "!!int",
            TagKind::Float => "!!float",
            TagKind::Null => "!!null",
            TagKind::Timestamp => "!!timestamp",
            TagKind::Merge => "!!merge",
        }
    }
}

/// A resolved scalar; `Str` and `Timestamp` keep the source text as a string.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str,
    Timestamp,
}

impl Scalar {
    fn tag(self) -> TagKind {
        match self {
            Scalar::Null => TagKind::Null,
            Scalar::Bool(_) => TagKind::Bool,
            Scalar::Int(_) | Scalar::Uint(_) => TagKind::Int,
            Scalar::Float(_) => TagKind::Float,
            Scalar::Str => TagKind::Str,
            Scalar::Timestamp => TagKind::Timestamp,
        }
    }

    /// The value, taking the text for strings.
    pub(crate) fn into_value(self, text: Cow<'_, str>) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(i) => Value::Int(i),
            Scalar::Uint(u) => Value::Uint(u),
            Scalar::Float(f) => Value::Float(f),
            Scalar::Str | Scalar::Timestamp => Value::Str(text.into_owned()),
        }
    }
}

/// Resolves a scalar the way go-yaml v2 decodes it into `interface{}`. `plain` is true for plain
/// (unquoted, non-block) scalars. Errors carry go-yaml's message.
pub(crate) fn resolve_scalar(text: Cow<'_, str>, plain: bool, tag: TagKind) -> Result<Value, String> {
    match tag {
        TagKind::None if !plain => Ok(Value::Str(text.into_owned())),
        TagKind::None => Ok(resolve_untagged(&text, false).into_value(text)),
        TagKind::Str | TagKind::NonSpecific | TagKind::Merge | TagKind::Other => Ok(Value::Str(text.into_owned())),
        TagKind::Binary => match decode_base64(&text) {
            Some(bytes) => Ok(Value::Str(String::from_utf8_lossy(&bytes).into_owned())),
            None => Err("!!binary value contains invalid base64 data".to_string()),
        },
        TagKind::Bool | TagKind::Int | TagKind::Float | TagKind::Null | TagKind::Timestamp => {
            let r = resolve_untagged(&text, tag == TagKind::Timestamp);
            if r.tag() == tag {
                return Ok(r.into_value(text));
            }
            if tag == TagKind::Float {
                if let Scalar::Int(i) = r {
                    return Ok(Value::Float(i as f64));
                }
            }
            Err(format!(
                "cannot decode {} `{}` as a {}",
                r.tag().short(),
                text,
                tag.short()
            ))
        }
    }
}

/// go-yaml v2 `resolve("", s)` for a plain scalar; timestamps are only recognised when asked (untagged
/// timestamps decode to their text, the same as a string).
pub(crate) fn resolve_untagged(s: &str, timestamps: bool) -> Scalar {
    let Some(&first) = s.as_bytes().first() else {
        return Scalar::Null;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => lookup(s).unwrap_or(Scalar::Str),
        b'.' => {
            if let Some(r) = lookup(s) {
                return r;
            }
            match go_parse_float(s) {
                Some(f) => Scalar::Float(f),
                None => Scalar::Str,
            }
        }
        b'+' | b'-' | b'0'..=b'9' => {
            if let Some(r) = lookup(s) {
                return r;
            }
            if timestamps && is_timestamp(s) {
                return Scalar::Timestamp;
            }
            resolve_number(s)
        }
        _ => Scalar::Str,
    }
}

fn lookup(s: &str) -> Option<Scalar> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Scalar::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Scalar::Bool(false),
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        ".nan" | ".NaN" | ".NAN" => Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Scalar::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Scalar::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

fn resolve_number(s: &str) -> Scalar {
    let plain: Cow<'_, str> = if s.contains('_') {
        Cow::Owned(s.replace('_', ""))
    } else {
        Cow::Borrowed(s)
    };
    if let Ok(i) = go_parse_int(&plain, 0) {
        return Scalar::Int(i);
    }
    if let Ok(u) = go_parse_uint(&plain, 0) {
        return Scalar::Uint(u);
    }
    if is_yaml_style_float(&plain) {
        if let Some(f) = parse_decimal_float(&plain) {
            return Scalar::Float(f);
        }
    }
    if let Some(rest) = plain.strip_prefix("0b") {
        if let Ok(i) = go_parse_int(rest, 2) {
            return Scalar::Int(i);
        }
        if let Ok(u) = go_parse_uint(rest, 2) {
            return Scalar::Uint(u);
        }
    } else if let Some(rest) = plain.strip_prefix("-0b") {
        if let Ok(i) = go_parse_int(&format!("-{rest}"), 2) {
            return Scalar::Int(i);
        }
    }
    Scalar::Str
}

/// Go `strconv.ParseUint(s, base, 64)` for base 0 (prefix detection) or a fixed base; `_` already removed.
pub(crate) fn go_parse_uint(s: &str, base: u32) -> Result<u64, ()> {
    if s.is_empty() {
        return Err(());
    }
    let bytes = s.as_bytes();
    let (base, digits) = if base == 0 {
        match bytes {
            [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'b') => (2, bytes.get(2..).unwrap_or_default()),
            [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'o') => (8, bytes.get(2..).unwrap_or_default()),
            [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'x') => (16, bytes.get(2..).unwrap_or_default()),
            [b'0', ..] => (8, bytes.get(1..).unwrap_or_default()),
            _ => (10, bytes),
        }
    } else {
        (base, bytes)
    };
    let mut n: u64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'a'..=b'z' => u32::from(c - b'a') + 10,
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return Err(()),
        };
        if d >= base {
            return Err(());
        }
        n = n
            .checked_mul(u64::from(base))
            .and_then(|n| n.checked_add(u64::from(d)))
            .ok_or(())?;
    }
    Ok(n)
}

/// Go `strconv.ParseInt(s, base, 64)`.
pub(crate) fn go_parse_int(s: &str, base: u32) -> Result<i64, ()> {
    if s.is_empty() {
        return Err(());
    }
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    let un = go_parse_uint(rest, base)?;
    const CUTOFF: u64 = 1 << 63;
    if neg {
        if un > CUTOFF {
            return Err(());
        }
        Ok(0i64.wrapping_sub_unsigned(un))
    } else {
        i64::try_from(un).map_err(|_| ())
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Parses a decimal float already checked for syntax; `None` when out of range (Go reports ErrRange).
fn parse_decimal_float(s: &str) -> Option<f64> {
    let f: f64 = match s.parse() {
        Ok(f) => f,
        // Rust rejects a few forms Go accepts ("1.e5"): insert the missing fraction digit.
        Err(_) => s.replacen(".e", ".0e", 1).replacen(".E", ".0E", 1).parse().ok()?,
    };
    f.is_finite().then_some(f)
}

/// Go `strconv.ParseFloat(s, 64)` for a string starting with `.` (underscores allowed between digits).
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    // Syntax: "." digits [eE [+-] digits], underscores only between two digits.
    let mut i = 1;
    let mut prev_digit = false;
    let mut saw_digit = false;
    let mut underscores = false;
    let mut in_exp = false;
    let mut exp_digit = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                prev_digit = true;
                if in_exp {
                    exp_digit = true;
                } else {
                    saw_digit = true;
                }
            }
            b'_' => {
                if !prev_digit || !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    return None;
                }
                underscores = true;
                prev_digit = false;
            }
            b'e' | b'E' if !in_exp && saw_digit => {
                in_exp = true;
                prev_digit = false;
                if matches!(b.get(i + 1), Some(b'+' | b'-')) {
                    i += 1;
                }
            }
            _ => return None,
        }
        i += 1;
    }
    if !saw_digit || (in_exp && !exp_digit) {
        return None;
    }
    let f: f64 = if underscores {
        s.replace('_', "").parse().ok()?
    } else {
        s.parse().ok()?
    };
    f.is_finite().then_some(f)
}

/// go-yaml v2 `parseTimestamp`: `2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00` (also `t`), or
/// `2006-1-2 15:4:5.999999999`.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let num = |i: &mut usize, min: usize, max: usize| -> Option<u32> {
        let start = *i;
        while *i - start < max && b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        if *i - start < min {
            return None;
        }
        s.get(start..*i)?.parse().ok()
    };
    let expect = |i: &mut usize, c: u8| -> Option<()> { (b.get(*i) == Some(&c)).then(|| *i += 1) };
    let mut check = || -> Option<()> {
        let year = num(&mut i, 4, 4)?;
        if b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        expect(&mut i, b'-')?;
        let month = num(&mut i, 1, 2)?;
        expect(&mut i, b'-')?;
        let day = num(&mut i, 1, 2)?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let sep = match b.get(i) {
            None => return Some(()),
            Some(&c @ (b'T' | b't' | b' ')) => c,
            Some(_) => return None,
        };
        i += 1;
        let h = num(&mut i, 1, 2)?;
        expect(&mut i, b':')?;
        let m = num(&mut i, 1, 2)?;
        expect(&mut i, b':')?;
        let sec = num(&mut i, 1, 2)?;
        if h > 23 || m > 59 || sec > 59 {
            return None;
        }
        if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        if sep != b' ' {
            match b.get(i) {
                Some(b'Z') => i += 1,
                Some(b'+' | b'-') => {
                    i += 1;
                    let oh = num(&mut i, 2, 2)?;
                    expect(&mut i, b':')?;
                    let om = num(&mut i, 2, 2)?;
                    if oh > 24 || om > 59 {
                        return None;
                    }
                }
                _ => return None,
            }
        }
        (i == b.len()).then_some(())
    };
    check().is_some()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Go `base64.StdEncoding.DecodeString` (padding required; CR and LF ignored).
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut quad = [0u8; 4];
    let mut n = 0;
    let mut pad = 0;
    for c in s.bytes() {
        if c == b'\r' || c == b'\n' {
            continue;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                0
            }
            _ => return None,
        };
        if pad > 0 && c != b'=' {
            return None;
        }
        *quad.get_mut(n)? = v;
        n += 1;
        if n == 4 {
            let [a, b, c, d] = quad;
            let bits = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(c) << 6) | u32::from(d);
            let bytes = bits.to_be_bytes();
            let keep = match pad {
                0 => 3,
                1 => 2,
                2 => 1,
                _ => return None,
            };
            out.extend_from_slice(bytes.get(1..1 + keep)?);
            n = 0;
            if pad > 0 {
                // Only the final quantum may be padded.
                pad = 3;
            }
        }
    }
    (n == 0 && pad != 1 && pad != 2).then_some(out)
}

/// The JSON key sigs.k8s.io/yaml makes of a resolved YAML key, or the reason it cannot.
pub(crate) fn key_string(value: Value) -> Result<String, String> {
    match value {
        Value::Str(s) => Ok(s),
        Value::Int(i) => Ok(i.to_string()),
        Value::Bool(b) => Ok(if b { "true" } else { "false" }.to_string()),
        Value::Float(f) => Ok(format_float32_g(f)),
        Value::Uint(u) => Err(format!("unsupported map key of type uint64 ({u})")),
        Value::Null => Err("unsupported map key: null".to_string()),
        Value::Seq(_) | Value::Map(_) => Err("invalid map key: a sequence or mapping cannot be a key".to_string()),
    }
}

/// Go `strconv.FormatFloat(f, 'g', -1, 32)` with go-yaml's spellings of the special values.
pub(crate) fn format_float32_g(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return ".nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    // Rust's `{:e}` prints the shortest digits that round-trip as f32, like Go's shortest mode.
    let e = format!("{:e}", x.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((e.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let neg = x.is_sign_negative();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if x == 0.0 {
        out.push('0');
        return out;
    }
    let nd = digits.len() as i32;
    if !(-4..6).contains(&exp) {
        // %e with the shortest digits.
        let mut chars = digits.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        let rest: String = chars.collect();
        if !rest.is_empty() {
            out.push('.');
            out.push_str(&rest);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
        return out;
    }
    // %f with as many decimals as needed.
    let dp = exp + 1; // digits before the decimal point
    if dp <= 0 {
        out.push_str("0.");
        for _ in 0..(-dp) {
            out.push('0');
        }
        out.push_str(&digits);
    } else if dp >= nd {
        out.push_str(&digits);
        for _ in 0..(dp - nd) {
            out.push('0');
        }
    } else {
        let (a, b) = digits.split_at(dp as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Value {
        resolve_scalar(Cow::Borrowed(s), true, TagKind::None).unwrap()
    }

    fn st(s: &str) -> Value {
        Value::Str(s.to_string())
    }

    #[test]
    fn plain_scalars() {
        let cases: &[(&str, Value)] = &[
            ("", Value::Null),
            ("~", Value::Null),
            ("null", Value::Null),
            ("Null", Value::Null),
            ("NULL", Value::Null),
            ("nULL", st("nULL")),
            ("y", Value::Bool(true)),
            ("Y", Value::Bool(true)),
            ("yes", Value::Bool(true)),
            ("Yes", Value::Bool(true)),
            ("YES", Value::Bool(true)),
            ("yEs", st("yEs")),
            ("on", Value::Bool(true)),
            ("On", Value::Bool(true)),
            ("ON", Value::Bool(true)),
            ("true", Value::Bool(true)),
            ("True", Value::Bool(true)),
            ("TRUE", Value::Bool(true)),
            ("n", Value::Bool(false)),
            ("N", Value::Bool(false)),
            ("no", Value::Bool(false)),
            ("No", Value::Bool(false)),
            ("NO", Value::Bool(false)),
            ("off", Value::Bool(false)),
            ("Off", Value::Bool(false)),
            ("OFF", Value::Bool(false)),
            ("false", Value::Bool(false)),
            ("False", Value::Bool(false)),
            ("FALSE", Value::Bool(false)),
            ("0", Value::Int(0)),
            ("00", Value::Int(0)),
            ("0755", Value::Int(493)),
            ("0o17", Value::Int(15)),
            ("0O17", Value::Int(15)),
            ("0x1F", Value::Int(31)),
            ("0X1f", Value::Int(31)),
            ("0x", st("0x")),
            ("0b101", Value::Int(5)),
            ("-0b101", Value::Int(-5)),
            ("0b", st("0b")),
            ("0b-1", Value::Int(-1)),
            ("+0", Value::Int(0)),
            ("-17", Value::Int(-17)),
            ("+0x10", Value::Int(16)),
            ("1_000", Value::Int(1000)),
            ("1__0", Value::Int(10)),
            ("_1", st("_1")),
            ("08", Value::Float(8.0)),
            ("09.5", Value::Float(9.5)),
            ("1e3", Value::Float(1000.0)),
            ("1E3", Value::Float(1000.0)),
            ("1.", Value::Float(1.0)),
            ("1.e2", Value::Float(100.0)),
            ("-1.5", Value::Float(-1.5)),
            ("+.5", Value::Float(0.5)),
            ("-.5e1", Value::Float(-5.0)),
            (".5", Value::Float(0.5)),
            (".5e1", Value::Float(5.0)),
            (".5_5", Value::Float(0.55)),
            (".", st(".")),
            ("._5", st("._5")),
            (".e5", st(".e5")),
            ("1e400", st("1e400")),
            ("9223372036854775807", Value::Int(i64::MAX)),
            ("-9223372036854775808", Value::Int(i64::MIN)),
            ("9223372036854775808", Value::Uint(9_223_372_036_854_775_808)),
            ("18446744073709551615", Value::Uint(u64::MAX)),
            ("18446744073709551616", Value::Float(18_446_744_073_709_551_616.0)),
            ("-9223372036854775809", Value::Float(-9_223_372_036_854_775_809.0)),
            ("0xFFFFFFFFFFFFFFFFF", st("0xFFFFFFFFFFFFFFFFF")),
            ("2001-12-14", st("2001-12-14")),
            ("2001-12-14T21:59:43.10Z", st("2001-12-14T21:59:43.10Z")),
            ("1:20", st("1:20")),
            ("-", st("-")),
            ("+", st("+")),
            ("1.2.3", st("1.2.3")),
            ("12e", st("12e")),
            ("0.1", Value::Float(0.1)),
            ("v1", st("v1")),
            ("<<", st("<<")),
            ("1Gi", st("1Gi")),
            ("100m", st("100m")),
            ("0o", st("0o")),
            ("0", Value::Int(0)),
        ];
        for (input, want) in cases {
            let got = r(input);
            match (&got, want) {
                (Value::Float(a), Value::Float(b)) => {
                    assert!(a == b, "{input}: got {got:?}, want {want:?}")
                }
                _ => assert_eq!(&got, want, "{input}"),
            }
        }
    }

    #[test]
    fn special_floats() {
        for s in [".nan", ".NaN", ".NAN"] {
            assert!(matches!(r(s), Value::Float(f) if f.is_nan()));
        }
        for s in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] {
            assert_eq!(r(s), Value::Float(f64::INFINITY));
        }
        for s in ["-.inf", "-.Inf", "-.INF"] {
            assert_eq!(r(s), Value::Float(f64::NEG_INFINITY));
        }
        assert_eq!(r(".infinity"), st(".infinity"));
    }

    #[test]
    fn quoted_scalars_are_strings() {
        for s in ["yes", "0755", "null", ""] {
            assert_eq!(resolve_scalar(Cow::Borrowed(s), false, TagKind::None).unwrap(), st(s));
        }
    }

    #[test]
    fn explicit_tags() {
        let t = |s: &str, tag| resolve_scalar(Cow::Borrowed(s), false, tag);
        assert_eq!(t("true", TagKind::Bool), Ok(Value::Bool(true)));
        assert_eq!(t("yes", TagKind::Bool), Ok(Value::Bool(true)));
        assert_eq!(t("0", TagKind::Int), Ok(Value::Int(0)));
        assert_eq!(t("1", TagKind::Float), Ok(Value::Float(1.0)));
        assert_eq!(t("1.5", TagKind::Float), Ok(Value::Float(1.5)));
        assert_eq!(t("true", TagKind::Str), Ok(st("true")));
        assert_eq!(t("x", TagKind::Other), Ok(st("x")));
        assert_eq!(t("~", TagKind::Null), Ok(Value::Null));
        assert_eq!(t("aGVsbG8=", TagKind::Binary), Ok(st("hello")));
        assert_eq!(t("aGVs\nbG8=", TagKind::Binary), Ok(st("hello")));
        assert!(t("aGVsbG8", TagKind::Binary).is_err());
        assert_eq!(t("2001-12-14", TagKind::Timestamp), Ok(st("2001-12-14")));
        assert_eq!(
            t("2001-12-14t21:59:43.10-05:00", TagKind::Timestamp),
            Ok(st("2001-12-14t21:59:43.10-05:00"))
        );
        assert_eq!(
            t("2001-12-14 21:59:43.10", TagKind::Timestamp),
            Ok(st("2001-12-14 21:59:43.10"))
        );
        assert!(t("2001-02-30", TagKind::Timestamp).is_err());
        assert_eq!(
            t("abc", TagKind::Int),
            Err("cannot decode !!str `abc` as a !!int".to_string())
        );
        assert_eq!(
            t("1.5", TagKind::Int),
            Err("cannot decode !!float `1.5` as a !!int".to_string())
        );
        assert!(t("x", TagKind::Null).is_err());
        assert!(t("18446744073709551615", TagKind::Float).is_err());
    }

    #[test]
    fn float_keys_format_like_go() {
        let cases = [
            (1.5, "1.5"),
            (0.1, "0.1"),
            (1000.0, "1000"),
            (123456.0, "123456"),
            (1e6, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (123456789.0, "1.2345679e+08"),
            (1e21, "1e+21"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5, "-2.5"),
            (0.0, "0"),
            (-0.0, "-0"),
            (3.0, "3"),
            (f64::INFINITY, ".inf"),
            (f64::NEG_INFINITY, "-.inf"),
            (f64::NAN, ".nan"),
            (1e300, ".inf"),
        ];
        for (f, want) in cases {
            assert_eq!(format_float32_g(f), want, "{f}");
        }
    }

    #[test]
    fn keys() {
        assert_eq!(key_string(Value::Bool(false)), Ok("false".into()));
        assert_eq!(key_string(Value::Int(-3)), Ok("-3".into()));
        assert!(key_string(Value::Null).is_err());
        assert!(key_string(Value::Uint(u64::MAX)).is_err());
    }
}
