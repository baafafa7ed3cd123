//! Source rewrites applied before compiling, where regorus reads Rego v0 differently from OPA. Each rewrite is
//! narrow, keeps every line where it was (so error positions stay right), and is tested against OPA's result.
//!
//! 1. **A line starting with `(`** after a line ending in a variable or reference: OPA ends the expression at the
//!    newline; regorus continues it as a call (`a` `(b + 1) == 2` becomes `a(b + 1) == 2`). The `(` line is
//!    prefixed with `true; `, which OPA and regorus both read as a separate, always-true expression.
//! 2. **The old multi-body rule form** `p[x] { A } { B }` (a second body right after the first, meaning a second
//!    rule with the same head): regorus reads the second body as an `else` and rejects it for partial rules. The
//!    head is repeated before each extra body: `p[x] { A } p[x] { B }`.

/// Rewrites Rego source so that regorus evaluates it as OPA does.
pub fn rewrite(src: &str) -> String {
    let src = repeat_heads_of_extra_bodies(src);
    separate_paren_lines(&src)
}

/// Code of a line without its comment (a `#` outside a string).
fn code_part(line: &str) -> &str {
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            '#' if !in_str => return line.get(..i).unwrap_or(line),
            _ => {}
        }
    }
    line
}

/// Keywords after which an expression continues on the next line.
const CONTINUING_KEYWORDS: &[&str] = &[
    "not", "some", "in", "with", "as", "else", "if", "contains", "every", "default",
];

/// Whether code ending this way is a complete term that regorus would call with a `(` on the next line.
fn ends_with_callable_term(code: &str) -> bool {
    let Some(last) = code.chars().last() else { return false };
    if !(last.is_ascii_alphanumeric() || last == '_') {
        return false;
    }
    let word_start = code
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let word = code.get(word_start..).unwrap_or("");
    !CONTINUING_KEYWORDS.contains(&word)
}

fn separate_paren_lines(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + 16);
    let mut prev_callable = false;
    let mut in_raw = false;
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let starts_paren = !in_raw && trimmed.starts_with('(');
        if starts_paren && prev_callable {
            let indent = line.len() - trimmed.len();
            out.push_str(line.get(..indent).unwrap_or(""));
            out.push_str("true; ");
            out.push_str(trimmed);
        } else {
            out.push_str(line);
        }
        if line.matches('`').count() % 2 == 1 {
            in_raw = !in_raw;
        }
        let code = code_part(line).trim_end();
        if !code.is_empty() {
            prev_callable = ends_with_callable_term(code);
        }
    }
    out
}

fn repeat_heads_of_extra_bodies(src: &str) -> String {
    #[derive(PartialEq)]
    enum State {
        Code,
        Str,
        Raw,
        Comment,
    }
    let mut out = String::with_capacity(src.len() + 64);
    let mut state = State::Code;
    let mut escaped = false;
    let mut depth: usize = 0;
    let mut line_start = 0;
    // The head of the rule whose body is open or just closed, and whether the last token closed a body.
    let mut head: Option<String> = None;
    let mut just_closed_body = false;
    for (i, c) in src.char_indices() {
        match state {
            State::Str => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    state = State::Code;
                }
                out.push(c);
                continue;
            }
            State::Raw => {
                if c == '`' {
                    state = State::Code;
                }
                out.push(c);
                continue;
            }
            State::Comment => {
                if c == '\n' {
                    state = State::Code;
                    line_start = i + 1;
                }
                out.push(c);
                continue;
            }
            State::Code => {}
        }
        match c {
            '"' => state = State::Str,
            '`' => state = State::Raw,
            '#' => state = State::Comment,
            '\n' => line_start = i + 1,
            '{' if depth == 0 => {
                if just_closed_body {
                    if let Some(h) = &head {
                        out.push_str(h);
                        out.push(' ');
                    }
                } else {
                    let text = src.get(line_start..i).unwrap_or("").trim();
                    head = (!text.is_empty() && !text.starts_with('}') && !text.starts_with("else"))
                        .then(|| text.to_string());
                }
                depth += 1;
            }
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !c.is_whitespace() && c != '{' {
            just_closed_body = c == '}' && depth == 0;
        } else if c == '{' {
            just_closed_body = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(src: &str, input: &str, rule: &str) -> String {
        let mut e = regorus::Engine::new();
        e.set_rego_v0(true);
        e.add_policy("t.rego".into(), rewrite(src)).unwrap();
        e.set_input_json(input).unwrap();
        let v = e.eval_rule(rule.into()).unwrap();
        serde_json::to_string(&v).unwrap()
    }

    #[test]
    fn a_parenthesised_line_is_a_new_expression() {
        let src = "package t\nx[m] {\n  a := input.a\n  (a + 1) == 2 # a comment\n  m := \"ok\"\n}\n";
        assert_eq!(eval(src, "{\"a\": 1}", "data.t.x"), "[\"ok\"]");
        assert_eq!(eval(src, "{\"a\": 5}", "data.t.x"), "[]");
        assert_eq!(rewrite(src).lines().count(), src.lines().count());
        // Continuations stay continuations.
        let cont = "package t\nx := y {\n  y := 1 +\n    (2 * 3)\n}\n";
        assert_eq!(rewrite(cont), cont);
        let after_not = "package t\nq {\n  not\n    (input.a == 1)\n}\n";
        assert_eq!(rewrite(after_not), after_not);
        assert_eq!(eval(cont, "{}", "data.t.x"), "7");
    }

    #[test]
    fn not_of_a_call_on_an_undefined_argument_is_true_as_in_opa() {
        // No rewrite needed: regorus agrees with OPA here (the call is undefined, so `not` holds).
        let src = "package t\nf(x) { x == 1 }\ng(x) = true { x.y == 1 }\nq { not f(input.missing) }\nr { not g(input.a.b) }\ns[n] { c := input.cs[_]; not f(c.v); n := c.n }\n";
        assert_eq!(eval(src, "{}", "data.t.q"), "true");
        assert_eq!(eval(src, "{}", "data.t.r"), "true");
        assert_eq!(
            eval(src, "{\"cs\": [{\"n\": \"a\"}, {\"n\": \"b\", \"v\": 1}]}", "data.t.s"),
            "[\"a\"]"
        );
    }

    #[test]
    fn extra_bodies_become_rules_with_the_same_head() {
        let src = "package t\nv[m] {\n  input.a == 1\n  m := \"a\" # } {\n} {\n  input.b == 1\n  m := \"}{\"\n}\nw { false } { true }\nz = 1 { false } else = 2 { true }\n";
        assert_eq!(eval(src, "{\"a\": 1, \"b\": 1}", "data.t.v"), "[\"a\",\"}{\"]");
        assert_eq!(eval(src, "{\"b\": 1}", "data.t.v"), "[\"}{\"]");
        assert_eq!(eval(src, "{}", "data.t.w"), "true");
        assert_eq!(eval(src, "{}", "data.t.z"), "2", "else chains are untouched");
        assert_eq!(rewrite(src).lines().count(), src.lines().count());
    }
}
