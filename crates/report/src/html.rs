//! A self-contained HTML report: one file with inline CSS, SVG and JavaScript, loading nothing (a Content Security
//! Policy forbids any network access). It has a posture summary (score, counts by severity and by category as
//! charts), a compliance view per framework (each control passed / failed / not evaluated, with the findings
//! behind it) and a filterable findings table with the offending snippet (redacted) and the remediation.
//!
//! Filters live in the URL fragment (`#severity=critical,high&rule=K8S-001&namespace=shop&control=cis-aks:4.2.1&q=web`),
//! so a filtered view can be linked to; without JavaScript every finding is shown.

use crate::escape::xml as esc;
use crate::frameworks::{self, Evaluation, Status, FRAMEWORKS};
use crate::{redact, Report};
use palisade_core::{Finding, Severity};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

/// Weight of a severity in the posture score.
fn weight(s: Severity) -> f64 {
    match s {
        Severity::Critical => 10.0,
        Severity::High => 6.0,
        Severity::Medium => 3.0,
        Severity::Low => 1.0,
        Severity::Info => 0.0,
    }
}

/// The posture score (0-100) and how it was computed.
///
/// With the list of scanned objects: every (object, rule) check of the rules that ran is weighted by the rule's
/// severity (critical 10, high 6, medium 3, low 1, info 0); the score is the weighted share of checks without a
/// finding (a failed check weighs as its worst finding; cross-object findings count as one failed check each).
/// Without it: 100 minus the summed weights of the findings, floored at 0.
pub fn score(report: &Report) -> u32 {
    let r = report.result;
    let Some(objects) = report.scanned else {
        let penalty: f64 = r.findings.iter().map(|f| weight(f.severity)).sum();
        return (100.0 - penalty).clamp(0.0, 100.0).round() as u32;
    };
    let rules = report.enabled_rules();
    let mut total = 0.0;
    for m in rules.iter().filter(|m| m.target != palisade_core::Target::Index) {
        let n = objects.iter().filter(|o| o.is_target_of(m.target)).count();
        total += weight(m.severity) * n as f64;
    }
    let mut worst: HashMap<(String, usize, String, String, String, &str), Severity> = HashMap::new();
    let mut index_penalty = 0.0;
    for f in &r.findings {
        let is_index = report
            .rule(f.rule)
            .is_some_and(|m| m.target == palisade_core::Target::Index);
        if is_index {
            index_penalty += weight(f.severity);
            continue;
        }
        let key = (
            f.location.file.to_string(),
            f.location.document,
            f.object.kind.clone(),
            f.object.namespace.clone().unwrap_or_default(),
            f.object.name.clone().unwrap_or_default(),
            f.rule,
        );
        let e = worst.entry(key).or_insert(f.severity);
        *e = (*e).max(f.severity);
    }
    let failed: f64 = worst.values().map(|s| weight(*s)).sum::<f64>() + index_penalty;
    let total = total + index_penalty;
    if total <= 0.0 {
        return if r.findings.is_empty() { 100 } else { 0 };
    }
    (100.0 * (1.0 - failed / total)).clamp(0.0, 100.0).round() as u32
}

/// Letter grade of a score.
pub fn grade(score: u32) -> char {
    match score {
        90.. => 'A',
        80..=89 => 'B',
        70..=79 => 'C',
        60..=69 => 'D',
        _ => 'F',
    }
}

const CSS: &str = r#"
:root{--crit:#7b1fa2;--high:#c62828;--med:#e65100;--low:#0277bd;--info:#607d8b;--pass:#2e7d32;--fail:#c62828;--ne:#9e9e9e;
--bg:#f6f7f9;--card:#fff;--ink:#1f2933;--mute:#5f6b7a;--line:#e3e7ec}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--ink)}
header{background:#14213d;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c9d3e3}
nav{padding:8px 28px;background:#1d2d50}nav a{color:#dfe7f5;margin-right:18px;text-decoration:none;font-weight:600}
main{padding:20px 28px;max-width:1400px}section{margin-bottom:28px}h2{font-size:18px;margin:0 0 12px}
.cards{display:flex;flex-wrap:wrap;gap:16px}.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px}
.score{display:flex;align-items:center;gap:14px}.score .big{font-size:40px;font-weight:700}.score .grade{font-size:15px;color:var(--mute)}
.counts{display:flex;gap:10px;flex-wrap:wrap}.count{min-width:96px;text-align:center;border-radius:8px;padding:10px;color:#fff;cursor:pointer;border:0;font:inherit}
.count .n{display:block;font-size:26px;font-weight:700}.count.total{background:#14213d}
.sev-critical{background:var(--crit)}.sev-high{background:var(--high)}.sev-medium{background:var(--med)}.sev-low{background:var(--low)}.sev-info{background:var(--info)}
.sev{color:#fff;border-radius:4px;padding:1px 7px;font-size:12px;font-weight:600;white-space:nowrap}
.st{border-radius:4px;padding:1px 7px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}.st-passed{background:var(--pass)}.st-failed{background:var(--fail)}.st-not-evaluated{background:var(--ne)}
figure{margin:0}figcaption{font-weight:600;margin-bottom:6px}
details.fw{background:var(--card);border:1px solid var(--line);border-radius:10px;margin-bottom:10px;padding:10px 14px}
details.fw>summary{cursor:pointer;font-weight:600;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
table{border-collapse:collapse;width:100%;background:var(--card)}th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--mute)}
#filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 14px;margin-bottom:10px}
#filters label{white-space:nowrap}#filters input[type=search]{min-width:220px;padding:4px 6px}select{padding:3px}
pre.snippet{margin:6px 0;background:#0f172a;color:#e2e8f0;padding:6px 8px;border-radius:6px;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}
#findings-table{table-layout:fixed}#findings-table th:nth-child(1){width:84px}#findings-table th:nth-child(2){width:140px}
#findings-table th:nth-child(3){width:180px}#findings-table th:nth-child(4){width:210px}#findings-table td{overflow-wrap:anywhere}
pre.snippet .hl{background:#7f1d1d;display:block}.ln{color:#94a3b8;user-select:none}
.fix{color:#1b5e20}.muted{color:var(--mute)}.loc{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
tr.finding[hidden]{display:none}a{color:#1d4ed8}.small{font-size:12px}
"#;

const JS: &str = r#"
(function(){
  var rows=Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
  var form=document.getElementById('filters');if(!form)return;
  var sev=Array.prototype.slice.call(form.querySelectorAll('input[name=severity]'));
  var sel=function(n){return form.querySelector('[name='+n+']');};
  function state(){return{severity:sev.filter(function(c){return c.checked;}).map(function(c){return c.value;}),
    rule:sel('rule').value,namespace:sel('namespace').value,control:sel('control').value,q:sel('q').value.trim().toLowerCase()};}
  function apply(s){var n=0;rows.forEach(function(r){var d=r.dataset;
    var ok=s.severity.indexOf(d.severity)>=0&&(!s.rule||d.rule===s.rule)&&(!s.namespace||d.namespace===s.namespace)
      &&(!s.control||(' '+d.controls+' ').indexOf(' '+s.control+' ')>=0)&&(!s.q||d.text.indexOf(s.q)>=0);
    r.hidden=!ok;if(ok)n++;});
    document.getElementById('shown-count').textContent=String(n);document.body.setAttribute('data-shown',String(n));}
  function toHash(s){var p=[];if(s.severity.length!==sev.length)p.push('severity='+s.severity.join(','));
    ['rule','namespace','control','q'].forEach(function(k){if(s[k])p.push(k+'='+encodeURIComponent(s[k]));});return p.length?'#'+p.join('&'):'';}
  function setSelect(el,v){if(!v){el.value='';return;}for(var i=0;i<el.options.length;i++){if(el.options[i].value===v){el.value=v;return;}}el.value='';}
  function fromHash(){var h={};location.hash.replace(/^#/,'').split('&').forEach(function(kv){if(!kv)return;var i=kv.indexOf('=');
      if(i>0)h[kv.slice(0,i)]=decodeURIComponent(kv.slice(i+1));});
    var want=h.severity!==undefined?h.severity.split(','):null;sev.forEach(function(c){c.checked=!want||want.indexOf(c.value)>=0;});
    setSelect(sel('rule'),h.rule);setSelect(sel('namespace'),h.namespace);setSelect(sel('control'),h.control);sel('q').value=h.q||'';}
  function update(){var s=state();apply(s);var h=toHash(s);if(h!==location.hash&&!(h===''&&location.hash==='')){history.replaceState(null,'',h||location.pathname+location.search);}}
  form.addEventListener('input',update);form.addEventListener('change',update);
  form.addEventListener('submit',function(e){e.preventDefault();});
  document.getElementById('reset').addEventListener('click',function(){sev.forEach(function(c){c.checked=true;});
    ['rule','namespace','control'].forEach(function(n){sel(n).value='';});sel('q').value='';update();});
  window.addEventListener('hashchange',function(){fromHash();apply(state());});
  Array.prototype.slice.call(document.querySelectorAll('[data-set-filter]')).forEach(function(el){el.addEventListener('click',function(e){
    e.preventDefault();location.hash=el.getAttribute('data-set-filter');document.getElementById('findings').scrollIntoView();});});
  fromHash();apply(state());
})();
"#;

fn sev_color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "#7b1fa2",
        Severity::High => "#c62828",
        Severity::Medium => "#e65100",
        Severity::Low => "#0277bd",
        Severity::Info => "#607d8b",
    }
}

/// A horizontal bar chart as inline SVG.
fn bar_chart(title: &str, id: &str, bars: &[(String, usize, &str)]) -> String {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let row = 26;
    let height = bars.len() * row + 8;
    let mut s = format!(
        "<figure class=\"card\"><figcaption>{}</figcaption><svg id=\"{}\" role=\"img\" aria-label=\"{}\" width=\"380\" height=\"{height}\" viewBox=\"0 0 380 {height}\">",
        esc(title),
        esc(id),
        esc(title)
    );
    for (i, (label, n, color)) in bars.iter().enumerate() {
        let y = i * row + 4;
        let w = (*n as f64 / max as f64 * 220.0).round();
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{}\" font-size=\"12\" fill=\"#1f2933\">{}</text><rect x=\"110\" y=\"{y}\" width=\"{w}\" height=\"18\" rx=\"3\" fill=\"{color}\" data-label=\"{}\" data-value=\"{n}\"></rect><text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#1f2933\">{n}</text>",
            y + 13,
            esc(label),
            esc(label),
            110.0 + w + 6.0,
            y + 13
        );
    }
    s.push_str("</svg></figure>");
    s
}

/// A circular score gauge as inline SVG.
fn gauge(score: u32) -> String {
    let r = 34.0;
    let circ = 2.0 * std::f64::consts::PI * r;
    let filled = circ * f64::from(score) / 100.0;
    let color = match score {
        90.. => "#2e7d32",
        70..=89 => "#f9a825",
        _ => "#c62828",
    };
    format!(
        "<svg width=\"84\" height=\"84\" viewBox=\"0 0 84 84\" role=\"img\" aria-label=\"score {score}\"><circle cx=\"42\" cy=\"42\" r=\"{r}\" fill=\"none\" stroke=\"#e3e7ec\" stroke-width=\"9\"/><circle cx=\"42\" cy=\"42\" r=\"{r}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"9\" stroke-dasharray=\"{filled:.1} {circ:.1}\" transform=\"rotate(-90 42 42)\"/></svg>"
    )
}

/// A stacked bar (passed / failed / not evaluated) as inline SVG.
fn stacked(ev: &Evaluation) -> String {
    let p = ev.count(Status::Passed);
    let f = ev.count(Status::Failed);
    let n = ev.count(Status::NotEvaluated);
    let total = (p + f + n).max(1) as f64;
    let w = 220.0;
    let (wp, wf) = (p as f64 / total * w, f as f64 / total * w);
    let wn = w - wp - wf;
    format!(
        "<svg width=\"220\" height=\"12\" viewBox=\"0 0 220 12\" role=\"img\" aria-label=\"{p} passed, {f} failed, {n} not evaluated\"><rect x=\"0\" y=\"0\" width=\"{wp:.1}\" height=\"12\" fill=\"#2e7d32\"/><rect x=\"{wp:.1}\" y=\"0\" width=\"{wf:.1}\" height=\"12\" fill=\"#c62828\"/><rect x=\"{:.1}\" y=\"0\" width=\"{wn:.1}\" height=\"12\" fill=\"#9e9e9e\"/></svg>",
        wp + wf
    )
}

fn snippet(report: &Report, f: &Finding) -> Option<String> {
    let line = f.location.line;
    let focus = report.sources.line(&f.location.file, line)?;
    let mut s = String::from("<pre class=\"snippet\">");
    let first = line.saturating_sub(2).max(1);
    let width = line.to_string().len();
    for n in first..line {
        if let Some(text) = report.sources.line(&f.location.file, n) {
            let _ = writeln!(
                s,
                "<span class=\"ln\">{n:>width$} | </span>{}",
                esc(&redact::line_for(f, &text))
            );
        }
    }
    let _ = write!(
        s,
        "<span class=\"hl\"><span class=\"ln\">{line:>width$} | </span>{}</span>",
        esc(&redact::line_for(f, &focus))
    );
    s.push_str("</pre>");
    Some(s)
}

fn status_badge(s: Status) -> String {
    format!("<span class=\"st st-{}\">{}</span>", s.as_str(), s.label())
}

/// Renders the report as one self-contained HTML page.
pub fn render(report: &Report) -> String {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(report, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes the page [`render`] returns, streamed: the findings table (a row per finding) goes to the writer in
/// pieces of about 64 KiB instead of the whole page being held in memory first.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    const SPILL: usize = 1 << 16;
    let r = report.result;
    let s = &r.summary;
    let mut out = String::with_capacity(2 * SPILL);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Palisade security report</title>\n");
    let _ = write!(
        out,
        "<style>{CSS}</style>\n</head>\n<body data-total=\"{}\">\n",
        r.findings.len()
    );
    let _ = writeln!(
        out,
        "<header><h1>Palisade security report</h1><p>palisade {} · {} files · {} documents · {} objects{}{}</p></header>",
        esc(report.tool_version),
        s.files,
        s.documents,
        s.objects,
        if s.errors > 0 { format!(" · {} errors", s.errors) } else { String::new() },
        if s.suppressed > 0 { format!(" · {} suppressed", s.suppressed) } else { String::new() }
    );
    out.push_str("<nav><a href=\"#summary\">Summary</a><a href=\"#compliance\">Compliance</a><a href=\"#findings\">Findings</a></nav>\n<main>\n");

    // Posture summary.
    let sc = score(report);
    out.push_str("<section id=\"summary\"><h2>Posture</h2><div class=\"cards\">");
    let _ = write!(
        out,
        "<div class=\"card score\">{}<div><span class=\"big\" id=\"score\">{sc}</span><span class=\"grade\">/100 · grade <b id=\"grade\">{}</b></span><div class=\"small muted\">weighted share of checks passed</div></div></div>",
        gauge(sc),
        grade(sc)
    );
    out.push_str("<div class=\"card\"><div class=\"counts\">");
    let _ = write!(
        out,
        "<button class=\"count total\" data-set-filter=\"#\"><span class=\"n\" id=\"count-total\">{}</span>findings</button>",
        r.findings.len()
    );
    for sev in Severity::ALL_DESC {
        let n = s.by_severity.get(&sev).copied().unwrap_or(0);
        let _ = write!(
            out,
            "<button class=\"count sev-{sev}\" data-set-filter=\"#severity={sev}\"><span class=\"n\" id=\"count-{sev}\">{n}</span>{sev}</button>"
        );
    }
    out.push_str("</div>");
    if let Some(b) = report.baseline {
        let _ = write!(
            out,
            "<p class=\"small\" id=\"baseline\">Compared with <code>{}</code>: <b>{}</b> new, {} unchanged (not listed), {} fixed.</p>",
            esc(&b.source),
            r.findings.len(),
            b.unchanged.len(),
            b.fixed.len()
        );
    }
    out.push_str("</div>");
    let sev_bars: Vec<(String, usize, &str)> = Severity::ALL_DESC
        .iter()
        .map(|sev| {
            (
                sev.to_string(),
                s.by_severity.get(sev).copied().unwrap_or(0),
                sev_color(*sev),
            )
        })
        .collect();
    out.push_str(&bar_chart("Findings by severity", "chart-severity", &sev_bars));
    // Counted per rule first: looking each finding's rule up among all rules took longer than the page.
    let mut per_rule: HashMap<&str, usize> = HashMap::new();
    for f in &r.findings {
        *per_rule.entry(f.rule).or_default() += 1;
    }
    let mut families: BTreeMap<String, usize> = BTreeMap::new();
    for (rule, n) in per_rule {
        let fam = report.rule(rule).map_or("other", |m| m.family);
        *families.entry(fam.to_string()).or_default() += n;
    }
    let mut fam_bars: Vec<(String, usize, &str)> = families.into_iter().map(|(k, v)| (k, v, "#3b5b92")).collect();
    fam_bars.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if fam_bars.is_empty() {
        fam_bars.push(("none".into(), 0, "#3b5b92"));
    }
    out.push_str(&bar_chart("Findings by category", "chart-category", &fam_bars));
    out.push_str("</div></section>\n");

    // Compliance per framework.
    let evaluations: Vec<Evaluation> = {
        let mut fws: Vec<&'static frameworks::Framework> = FRAMEWORKS.iter().collect();
        if let Some(sel) = report.framework {
            fws.retain(|f| f.id != sel.id);
            fws.insert(0, sel);
        }
        fws.into_iter().map(|fw| frameworks::evaluate(fw, report)).collect()
    };
    out.push_str("<section id=\"compliance\"><h2>Compliance</h2>");
    for (i, ev) in evaluations.iter().enumerate() {
        let open = if i == 0 { " open" } else { "" };
        let _ = write!(
            out,
            "<details class=\"fw\" id=\"fw-{}\" data-framework=\"{}\"{open}><summary>{} {} <span class=\"small\"><span class=\"n-passed\">{}</span> passed · <span class=\"n-failed\">{}</span> failed · <span class=\"n-not-evaluated\">{}</span> not evaluated</span></summary>",
            esc(ev.id),
            esc(ev.id),
            esc(ev.title),
            stacked(ev),
            ev.count(Status::Passed),
            ev.count(Status::Failed),
            ev.count(Status::NotEvaluated)
        );
        out.push_str("<table class=\"controls\"><thead><tr><th>control</th><th>title</th><th>status</th><th>rules</th><th>findings</th></tr></thead><tbody>");
        for c in &ev.controls {
            let rules: Vec<String> = c
                .control
                .rules
                .iter()
                .map(|id| {
                    format!(
                        "<a href=\"#rule={}\" data-set-filter=\"#rule={}\">{}</a>",
                        esc(id),
                        esc(id),
                        esc(id)
                    )
                })
                .collect();
            let behind = if c.findings.is_empty() {
                match &c.reason {
                    Some(why) => format!("<span class=\"small muted\">{}</span>", esc(why)),
                    None if c.suppressed > 0 => {
                        format!("<span class=\"small muted\">{} suppressed</span>", c.suppressed)
                    }
                    None => "0".to_string(),
                }
            } else {
                let key = format!("{}:{}", ev.id, c.control.id);
                let mut d = format!(
                    "<details><summary><a href=\"#control={}\" data-set-filter=\"#control={}\">{}</a></summary><ul class=\"small\">",
                    esc(&key),
                    esc(&key),
                    c.findings.len()
                );
                for i in &c.findings {
                    if let Some(f) = r.findings.get(*i) {
                        let _ = write!(
                            d,
                            "<li><a href=\"#f-{i}\">{} {}</a> <span class=\"loc\">{}:{}</span></li>",
                            esc(f.rule),
                            esc(&f.object.to_string()),
                            esc(&f.location.file),
                            f.location.line
                        );
                    }
                }
                d.push_str("</ul></details>");
                d
            };
            let _ = write!(
                out,
                "<tr data-control=\"{}\" data-status=\"{}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"small\">{}</td><td>{behind}</td></tr>",
                esc(&c.control.id),
                c.status.as_str(),
                esc(&c.control.id),
                esc(&c.control.title),
                status_badge(c.status),
                rules.join(" ")
            );
        }
        out.push_str("</tbody></table></details>");
    }
    out.push_str("</section>\n");

    // Findings table with filters.
    let mut controls_of: Vec<Vec<String>> = vec![Vec::new(); r.findings.len()];
    for ev in &evaluations {
        for c in &ev.controls {
            for i in &c.findings {
                if let Some(v) = controls_of.get_mut(*i) {
                    v.push(format!("{}:{}", ev.id, c.control.id));
                }
            }
        }
    }
    let rules_present: BTreeSet<&str> = r.findings.iter().map(|f| f.rule).collect();
    let namespaces: BTreeSet<String> = r
        .findings
        .iter()
        .map(|f| f.object.namespace.clone().unwrap_or_default())
        .collect();
    out.push_str("<section id=\"findings\"><h2>Findings</h2><form id=\"filters\" autocomplete=\"off\">");
    for sev in Severity::ALL_DESC {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"severity\" value=\"{sev}\" checked> <span class=\"sev sev-{sev}\">{sev}</span></label>"
        );
    }
    out.push_str("<label>rule <select name=\"rule\"><option value=\"\">all</option>");
    for id in &rules_present {
        let name = report.rule(id).map(|m| m.name).unwrap_or("");
        let _ = write!(out, "<option value=\"{}\">{} {}</option>", esc(id), esc(id), esc(name));
    }
    out.push_str("</select></label><label>namespace <select name=\"namespace\"><option value=\"\">all</option>");
    for ns in &namespaces {
        let label = if ns.is_empty() { "(none)" } else { ns.as_str() };
        let _ = write!(out, "<option value=\"{}\">{}</option>", esc(ns), esc(label));
    }
    out.push_str("</select></label><label>control <select name=\"control\"><option value=\"\">all</option>");
    for ev in &evaluations {
        let _ = write!(out, "<optgroup label=\"{}\">", esc(ev.title));
        for c in ev.controls.iter().filter(|c| !c.findings.is_empty()) {
            let key = format!("{}:{}", ev.id, c.control.id);
            let _ = write!(
                out,
                "<option value=\"{}\">{} {}</option>",
                esc(&key),
                esc(&c.control.id),
                esc(&c.control.title)
            );
        }
        out.push_str("</optgroup>");
    }
    out.push_str("</select></label><label>search <input type=\"search\" name=\"q\" placeholder=\"object, file, message…\"></label><button type=\"button\" id=\"reset\">reset</button></form>");
    let _ = write!(
        out,
        "<p>Showing <b id=\"shown-count\">{}</b> of <b id=\"total-count\">{}</b> findings</p>",
        r.findings.len(),
        r.findings.len()
    );
    out.push_str("<table id=\"findings-table\"><thead><tr><th>severity</th><th>rule</th><th>object</th><th>location</th><th>problem, snippet and fix</th></tr></thead><tbody>\n");
    // Most severe first; within a severity, the report's order (file, line). Row IDs keep the report's index.
    let mut order: Vec<(usize, &Finding)> = r.findings.iter().enumerate().collect();
    order.sort_by_key(|(_, f)| std::cmp::Reverse(f.severity));
    for (i, f) in order {
        let ns = f.object.namespace.clone().unwrap_or_default();
        let controls = controls_of.get(i).map(|v| v.join(" ")).unwrap_or_default();
        let text = format!(
            "{} {} {} {} {} {}",
            f.rule, f.name, f.object, f.location.file, f.message, f.remediation
        )
        .to_lowercase();
        let rule_cell = match report.rule_url(f.rule) {
            Some(u) => format!("<a href=\"{}\"><b>{}</b></a>", esc(&u), esc(f.rule)),
            None => format!("<b>{}</b>", esc(f.rule)),
        };
        let _ = writeln!(
            out,
            "<tr class=\"finding\" id=\"f-{i}\" data-severity=\"{}\" data-rule=\"{}\" data-namespace=\"{}\" data-kind=\"{}\" data-controls=\"{}\" data-text=\"{}\"><td><span class=\"sev sev-{}\">{}</span></td><td>{rule_cell}<div class=\"small muted\">{}</div></td><td>{}</td><td class=\"loc\">{}:{}:{}</td><td>{}{}<div class=\"fix\"><b>Fix:</b> {}</div></td></tr>",
            f.severity,
            esc(f.rule),
            esc(&ns),
            esc(&f.object.kind),
            esc(&controls),
            esc(&text),
            f.severity,
            f.severity,
            esc(f.name),
            esc(&f.object.to_string()),
            esc(&f.location.file),
            f.location.line,
            f.location.column,
            esc(&f.message),
            snippet(report, f).unwrap_or_default(),
            esc(f.remediation)
        );
        if out.len() >= SPILL {
            w.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    out.push_str("</tbody></table></section>\n");

    if !r.suppressed.is_empty() {
        let _ = write!(
            out,
            "<section id=\"suppressed\"><h2>Suppressed ({})</h2><table><thead><tr><th>rule</th><th>object</th><th>location</th><th>how and why</th></tr></thead><tbody>",
            r.suppressed.len()
        );
        for sup in &r.suppressed {
            let f = &sup.finding;
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"loc\">{}:{}</td><td>{}: {}{}</td></tr>",
                esc(f.rule),
                esc(&f.object.to_string()),
                esc(&f.location.file),
                f.location.line,
                crate::junit::suppression_kind(sup.suppression.kind),
                esc(&sup.suppression.reason),
                sup.suppression
                    .expires
                    .as_deref()
                    .map(|e| format!(" (expires {})", esc(e)))
                    .unwrap_or_default()
            );
        }
        out.push_str("</tbody></table></section>\n");
    }
    if !r.not_evaluated.is_empty() {
        out.push_str("<section id=\"not-evaluated\"><h2>Not evaluated</h2><table><thead><tr><th>rule</th><th>scope</th><th>why</th></tr></thead><tbody>");
        for n in &r.not_evaluated {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(n.rule),
                esc(&n.scope),
                esc(&n.reason)
            );
        }
        out.push_str("</tbody></table></section>\n");
    }
    if !r.errors.is_empty() || !r.warnings.is_empty() {
        out.push_str("<section id=\"errors\"><h2>Errors and warnings</h2><ul>");
        for e in &r.errors {
            let _ = write!(
                out,
                "<li><b>error</b> <span class=\"loc\">{}{}</span>: {}</li>",
                esc(&e.file),
                if e.line > 0 {
                    format!(":{}", e.line)
                } else {
                    String::new()
                },
                esc(&e.message)
            );
        }
        for w in &r.warnings {
            let _ = write!(out, "<li><b>warning</b> {}</li>", esc(w));
        }
        out.push_str("</ul></section>\n");
    }
    let _ = write!(out, "</main>\n<script>{JS}</script>\n</body>\n</html>\n");
    w.write_all(out.as_bytes())?;
    w.flush()
}
