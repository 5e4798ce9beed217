//! The page layout and the form pieces, as maud templates (every value interpolated is
//! escaped): fields that show an error beside them with what was typed kept, tables, and a
//! small bar chart as inline SVG.

use crate::auth::{Role, User};
use axum::response::Html;
use maud::{html, Markup, DOCTYPE};
use std::fmt::Write;

/// A list's filters as the tail of a query string, each set field led by `&`
/// ("&team=…&sort=…"), empty when none is set: for a link that keeps the filters.
pub fn query_tail(fields: &[(&str, &String)]) -> String {
    fields.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("&{k}={}", url_encode(v))).collect()
}

/// A select's options from (value, label) words.
pub fn options(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect()
}

/// A query-string value, percent-encoded.
pub fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The style sheet, served at `/assets/peel.css`: one column, large targets, visible focus,
/// text contrast at least 7:1 on white.
pub const CSS: &str = r#"
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:100%;line-height:1.5;color:#0b0c0c;background:#fff}
body{margin:0}
a{color:#1d4f91}a:visited{color:#4c2c92}a:hover{color:#003078}
a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 0 0 5px #0b0c0c}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#ffdd00;padding:.5rem;z-index:2}
header.top{background:#0b0c0c;color:#fff;padding:.5rem 1rem}
header.top a{color:#fff}
header.top .brand{font-weight:700;font-size:1.25rem;text-decoration:none;margin-right:1rem}
header.top nav ul{list-style:none;margin:.25rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
header.top form{display:inline}
header.top .who{font-size:.95rem}
header.top .count{display:inline-block;min-width:1.4rem;padding:0 .35rem;border-radius:.7rem;background:#ffdd00;color:#0b0c0c;font-weight:700;text-align:center}
header.top form.search{display:flex;gap:.25rem;margin:.35rem 0 .1rem}
header.top form.search input{font:inherit;padding:.2rem .4rem;border:2px solid #fff;min-width:16rem}
header.top form.search button{font:inherit;background:#fff;color:#0b0c0c;border:0;padding:.2rem .6rem;cursor:pointer}
.link-button{background:none;border:0;padding:0;color:#fff;text-decoration:underline;font:inherit;cursor:pointer}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.35rem;margin:1.75rem 0 .5rem}
h3{font-size:1.1rem;margin:1.25rem 0 .5rem}
p.lead{font-size:1.15rem}
p.caption{color:#505a5f;font-size:.9rem}
.field{margin:0 0 1.25rem}
label,.label,legend{display:block;font-weight:700;margin-bottom:.25rem}
fieldset{border:0;padding:0;margin:0 0 1.25rem}
.hint{display:block;color:#505a5f;margin-bottom:.35rem}
input[type=text],input[type=tel],input[type=password],input[type=date],input[type=datetime-local],select,textarea{width:100%;max-width:36rem;font:inherit;padding:.45rem;border:2px solid #0b0c0c;border-radius:0;background:#fff}
textarea{min-height:7rem}
.choice{display:flex;align-items:flex-start;gap:.5rem;margin:.35rem 0}
.choice input{width:1.5rem;height:1.5rem;margin:0;flex:none}
.choice label{font-weight:400;margin:0}
button,.button{display:inline-block;font:inherit;font-weight:700;background:#00703c;color:#fff;border:0;border-bottom:3px solid #002d18;padding:.55rem 1rem;cursor:pointer;text-decoration:none}
button.secondary{background:#f3f2f1;color:#0b0c0c;border-bottom-color:#929191}
.error-summary{border:4px solid #d4351c;padding:1rem;margin-bottom:1.5rem}
.error-summary h2{margin-top:0}
.error-message{display:block;color:#d4351c;font-weight:700;margin-bottom:.25rem}
.field.has-error{border-left:5px solid #d4351c;padding-left:.75rem}
.notice{border-left:6px solid #00703c;background:#eef7f1;padding:.75rem 1rem;margin:0 0 1.5rem}
.table-wrap{overflow-x:auto;margin-bottom:1rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.5rem .6rem .5rem 0;border-bottom:1px solid #b1b4b6}
th{font-weight:700}
td.num,th.num{text-align:right}
table.hours td,table.hours th{padding:.25rem .3rem;font-size:.875rem}
td.hour-1{background:#7f0000;color:#fff}td.hour-2{background:#a3261b;color:#fff}td.hour-3{background:#f59e62}td.hour-4{background:#fdd9a8}td.hour-5{background:#fef0d9}
.tag{display:inline-block;padding:.1rem .4rem;font-weight:700;font-size:.9rem;background:#e8f1f8;color:#0b0c0c}
.tag.red{background:#f6d7d2;color:#2a0b06}.tag.green{background:#cce2d8;color:#005a30}.tag.amber{background:#fff7bf;color:#594d00}
dl.summary{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dl.summary dt{font-weight:700}dl.summary dd{margin:0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:1rem;margin:0 0 1rem}
.card{border:1px solid #b1b4b6;padding:.75rem}
.card .big{font-size:1.75rem;font-weight:700;display:block}
ul.markers{border-left:6px solid #d4351c;background:#fdf2f0;padding:.5rem 1rem .5rem 2rem;margin:0 0 1rem}
ul.markers li{margin:.25rem 0}
form.inline{display:inline;margin-left:.5rem}
button.small{padding:.1rem .5rem;font-weight:400;border-bottom-width:2px}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:0 2rem}
.forms{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:0 2rem}
svg.chart{max-width:100%;height:auto}
svg.chart text{font-size:12px;fill:#0b0c0c}
.marking{font-weight:700;letter-spacing:.05em;text-align:center;border:2px solid #0b0c0c;padding:.15rem .5rem;margin:0 0 1rem}
/* A crime page printed is the case summary (issue 10 §6): the Government Security
   Classification marking at the top and foot of every page, page numbers, no forms. */
@page{size:A4;margin:18mm 14mm 20mm;@top-center{content:"OFFICIAL-SENSITIVE";font:700 10pt system-ui,sans-serif}
@bottom-center{content:"OFFICIAL-SENSITIVE";font:700 10pt system-ui,sans-serif}
@bottom-right{content:"Page " counter(page) " of " counter(pages);font:9pt system-ui,sans-serif}}
@media print{header.top,form,details,.skip,.no-print,nav,.pager{display:none!important}
h2:has(+form),h3:has(+form),h2:has(+p+form),h3:has(+p+form),h2:has(+p+p+form),p:has(+form),p:has(+p+form){display:none!important}
main{max-width:none;padding:0}a{color:#0b0c0c;text-decoration:none}
.marking{border:0;margin:0 0 .5rem}h2{break-after:avoid}tr{break-inside:avoid}
.print-only{display:block!important}}
.print-only{display:none}
@media (max-width:40rem){dl.summary{grid-template-columns:1fr}h1{font-size:1.5rem}main{padding:.75rem}
table thead{position:absolute;left:-999px}table,tbody,tr,td{display:block;width:100%}
tr{border-bottom:2px solid #b1b4b6;padding:.5rem 0}td{border:0;padding:.15rem 0}
td[data-label]:not([data-label=""])::before{content:attr(data-label);display:block;font-weight:700;font-size:.9rem;color:#505a5f}}
"#;

/// A whole page: the header with the user's navigation and sign-out, then `body` in `<main>`.
pub fn page_html(title: &str, user: Option<&User>, body: Markup) -> Html<String> {
    let page = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Peel" }
                link rel="stylesheet" href="/assets/peel.css";
            }
            body {
                a class="skip" href="#main" { "Skip to main content" }
                header class="top" {
                    a class="brand" href="/" { "Peel" }
                    @if user.is_some_and(|u| peel_access::policy::SEARCHERS.contains(&u.role)) {
                        // One search box for the records, on every page of those who search.
                        form class="search" role="search" method="get" action="/search" {
                            label class="skip" for="header-q" { "Search references, people, postcodes, offences, officers" }
                            input id="header-q" type="search" name="q" placeholder="Reference, name, postcode, offence or officer"
                                autocomplete="off";
                            button type="submit" { "Search" }
                        }
                    }
                    @if let Some(u) = user {
                        nav aria-label="Your pages" {
                            ul {
                                @for (href, label) in crate::auth::nav(u.role) {
                                    @if href == "/notifications" && u.unread > 0 {
                                        li { a href=(href) { (label) " " span class="count" { (u.unread) span class="skip" { " unread" } } } }
                                    } @else {
                                        li { a href=(href) { (label) } }
                                    }
                                }
                                li class="who" { (u.account.display_name) " (" (u.role.label()) ")" }
                                li {
                                    form method="post" action="/logout" {
                                        (csrf_input(u))
                                        button class="link-button" type="submit" { "Sign out" }
                                    }
                                }
                            }
                        }
                    }
                }
                main id="main" tabindex="-1" { (body) }
            }
        }
    };
    Html(page.into_string())
}

/// The hidden CSRF field every POST form carries.
pub fn csrf_input(user: &User) -> Markup {
    html! { input type="hidden" name="_csrf" value=(user.csrf); }
}

/// More attributes for [`Errors::input`], each left off when `None`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Attrs<'a> {
    /// The id of a `<datalist>` of suggestions.
    pub list: Option<&'a str>,
    pub inputmode: Option<&'a str>,
    pub autocomplete: Option<&'a str>,
    pub autocapitalize: Option<&'a str>,
    pub spellcheck: Option<&'a str>,
    /// The latest value a date or time field takes.
    pub max: Option<&'a str>,
}

impl Attrs<'_> {
    /// No more attributes.
    pub const NONE: Attrs<'static> =
        Attrs { list: None, inputmode: None, autocomplete: None, autocapitalize: None, spellcheck: None, max: None };
}

/// Errors on a form: (field name, message), in the order of the form.
#[derive(Debug, Default, Clone)]
pub struct Errors(pub Vec<(String, String)>);

impl Errors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_string(), message.into()));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// The summary at the top of a form: each error linking to its field.
    pub fn summary(&self) -> Markup {
        html! {
            @if !self.0.is_empty() {
                div class="error-summary" role="alert" tabindex="-1" id="errors" {
                    h2 { "There is a problem" }
                    ul {
                        @for (f, m) in &self.0 {
                            li { a href={ "#" (f) } { (m) } }
                        }
                    }
                }
            }
        }
    }

    fn wrap(&self, name: &str, inner: Markup) -> Markup {
        html! {
            @match self.get(name) {
                Some(m) => div class="field has-error" {
                    span class="error-message" id={ (name) "-error" } { "Error: " (m) }
                    (inner)
                },
                None => div class="field" { (inner) },
            }
        }
    }

    /// The `aria-describedby` of a field: its hint and its error, where it has them.
    fn described(&self, name: &str, hint: bool) -> Option<String> {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{name}-hint"));
        }
        if self.get(name).is_some() {
            ids.push(format!("{name}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    fn hint(name: &str, hint: &str) -> Markup {
        html! {
            @if !hint.is_empty() {
                span class="hint" id={ (name) "-hint" } { (hint) }
            }
        }
    }

    /// A labelled input (`kind`: text, password, date, datetime-local) with its value kept.
    pub fn input(&self, kind: &str, name: &str, label: &str, hint: &str, value: &str, extra: Attrs) -> Markup {
        self.wrap(
            name,
            html! {
                label for=(name) { (label) }
                (Self::hint(name, hint))
                input type=(kind) id=(name) name=(name) value=(value)
                    aria-describedby=[self.described(name, !hint.is_empty())]
                    list=[extra.list] inputmode=[extra.inputmode] autocomplete=[extra.autocomplete]
                    autocapitalize=[extra.autocapitalize] spellcheck=[extra.spellcheck] max=[extra.max];
            },
        )
    }

    pub fn textarea(&self, name: &str, label: &str, hint: &str, value: &str) -> Markup {
        self.wrap(
            name,
            html! {
                label for=(name) { (label) }
                (Self::hint(name, hint))
                textarea id=(name) name=(name) rows="6" aria-describedby=[self.described(name, !hint.is_empty())] {
                    (value)
                }
            },
        )
    }

    /// A select of (value, label) options, `value` selected.
    pub fn select(&self, name: &str, label: &str, options: &[(String, String)], value: &str) -> Markup {
        self.wrap(
            name,
            html! {
                label for=(name) { (label) }
                select id=(name) name=(name) aria-describedby=[self.described(name, false)] {
                    @for (v, l) in options {
                        option value=(v) selected[v == value] { (l) }
                    }
                }
            },
        )
    }

    /// Radios or checkboxes in a fieldset: (value, label, hint) choices, `checked` values on.
    pub fn choices(
        &self,
        kind: &str,
        name: &str,
        legend: &str,
        choices: &[(String, String, String)],
        checked: &[&str],
    ) -> Markup {
        let error = self.get(name);
        html! {
            div class=(if error.is_some() { "field has-error" } else { "field" }) {
                fieldset {
                    legend { (legend) }
                    @if let Some(m) = error {
                        span class="error-message" id={ (name) "-error" } { "Error: " (m) }
                    }
                    @for (i, (v, l, h)) in choices.iter().enumerate() {
                        // The first choice carries the field's id, so the error summary's link lands on it.
                        @let id = if i == 0 { name.to_string() } else { format!("{name}-{i}") };
                        div class="choice" {
                            input type=(kind) id=(id) name=(name) value=(v) checked[checked.contains(&v.as_str())];
                            label for=(id) {
                                (l)
                                @if !h.is_empty() { span class="hint" { (h) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A table: headers, then rows of cells. `empty` is shown instead of an empty table.
pub fn table(caption: &str, headers: &[&str], rows: &[Vec<Markup>], empty: &str) -> Markup {
    html! {
        @if rows.is_empty() {
            p { (empty) }
        } @else {
            div class="table-wrap" {
                table {
                    @if !caption.is_empty() {
                        caption class="skip" { (caption) }
                    }
                    thead { tr { @for h in headers { th scope="col" { (h) } } } }
                    tbody {
                        @for r in rows {
                            tr {
                                @for (i, c) in r.iter().enumerate() {
                                    // The header again, for the stacked layout on a phone.
                                    td data-label=(headers.get(i).copied().unwrap_or("")) { (c) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A small bar chart as inline SVG: one bar per (label, value), the value above each bar,
/// with a title and description for screen readers. SVG elements are closed explicitly
/// (`<line></line>`): in HTML, a start tag inside `<svg>` is not void.
pub fn bar_chart_svg(id: &str, title: &str, desc: &str, bars: &[(String, u64)]) -> Markup {
    let n = bars.len().max(1);
    let (w, h, left, bottom, top) = (640.0_f64, 220.0_f64, 10.0, 34.0, 18.0);
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let slot = (w - left * 2.0) / n as f64;
    let bar_w = (slot * 0.7).max(2.0);
    let base = h - bottom;
    let f1 = |x: f64| format!("{x:.1}");
    html! {
        svg class="chart" id=(id) role="img" aria-labelledby={ (id) "-title " (id) "-desc" }
            viewBox={ "0 0 " (w) " " (h) } width=(w) height=(h) xmlns="http://www.w3.org/2000/svg" {
            title id={ (id) "-title" } { (title) }
            desc id={ (id) "-desc" } { (desc) }
            line x1=(left) y1=(base) x2=(w - left) y2=(base) stroke="#0b0c0c" {}
            @for (i, (label, v)) in bars.iter().enumerate() {
                @let bh = (*v as f64 / max) * (base - top - 4.0);
                @let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
                @let cx = x + bar_w / 2.0;
                rect x=(f1(x)) y=(f1(base - bh)) width=(f1(bar_w)) height=(f1(bh)) fill="#1d70b8" {
                    title { (label) ": " (v) }
                }
                text x=(f1(cx)) y=(f1(base - bh - 4.0)) text-anchor="middle" { (v) }
                text x=(f1(cx)) y=(f1(base + 16.0)) text-anchor="middle" { (label) }
            }
        }
    }
}

/// Pieces of markup with `between` (text) between them.
/// Where a paged list stands and links to the pages either side: "Lines 101 to 200 of 734."
/// `href(n)` is the address of page n (from 1); nothing is drawn when the list fits one page.
pub fn pager(label: &str, href: impl Fn(usize) -> String, page: usize, per_page: usize, total: usize) -> Markup {
    let first = (page - 1) * per_page;
    if total <= per_page && page == 1 {
        return html! {};
    }
    let last = total.min(first + per_page);
    let mut links = Vec::new();
    if page > 1 {
        links.push(html! { a href=(href(page - 1)) rel="prev" { "Previous " (per_page) } });
    }
    if last < total {
        links.push(html! { a href=(href(page + 1)) rel="next" { "Next " (per_page) } });
    }
    html! {
        nav aria-label=(label) {
            p {
                @if first < total { "Lines " (first + 1) " to " (last) " of " (total) ". " } @else { "No lines on this page. " }
                (joined(&links, " · "))
            }
        }
    }
}

pub fn joined(pieces: &[Markup], between: &str) -> Markup {
    html! {
        @for (i, piece) in pieces.iter().enumerate() {
            @if i > 0 { (between) }
            (piece)
        }
    }
}

/// Text with its line breaks kept: each line escaped, `<br>` between them.
pub fn lines(text: &str) -> Markup {
    html! {
        @for (i, line) in text.split('\n').enumerate() {
            @if i > 0 { br; }
            (line)
        }
    }
}

/// "2026-11-23T09:05" as "23 Nov 2026 09:05"; a date alone as "23 Nov 2026".
pub fn when(t: impl std::fmt::Display) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let t = t.to_string();
    let (date, time) = t.split_once('T').unwrap_or((&t, ""));
    let parts: Vec<&str> = date.split('-').collect();
    let label = match parts.as_slice() {
        [y, m, d] => match m.parse::<usize>() {
            Ok(m) if (1..=12).contains(&m) => format!("{} {} {y}", d.trim_start_matches('0'), MONTHS[m - 1]),
            _ => date.to_string(),
        },
        _ => date.to_string(),
    };
    if time.is_empty() {
        label
    } else {
        format!("{label} {time}")
    }
}

/// Where a role starts, for links that do not know the user.
pub fn home_of(role: Role) -> &'static str {
    role.home()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        let mut e = Errors::default();
        e.add("x", r#"<a href="x">'&'</a>"#);
        let html = e.input("text", "x", "X", "", r#""><script>"#, Attrs::NONE).into_string();
        assert!(html.contains("Error: &lt;a href=&quot;x&quot;&gt;'&amp;'&lt;/a&gt;"), "{html}");
        assert!(html.contains(r#"value="&quot;&gt;&lt;script&gt;""#), "{html}");
        assert_eq!(url_encode("a b&c/é"), "a%20b%26c%2F%C3%A9");
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(when("2026-11-03T09:05"), "3 Nov 2026 09:05");
        assert_eq!(when("2026-01-20"), "20 Jan 2026");
    }

    #[test]
    fn a_field_error_is_shown_with_the_value_kept() {
        let mut e = Errors::default();
        e.add("account", "Say what happened");
        let html = e.input("text", "account", "What happened", "", "<b>typed</b>", Attrs::NONE).into_string();
        assert!(html.contains("Error: Say what happened"));
        assert!(html.contains("value=\"&lt;b&gt;typed&lt;/b&gt;\""));
        assert!(html.contains("aria-describedby=\"account-error\""));
        assert!(e.summary().into_string().contains("href=\"#account\""));
    }
}
