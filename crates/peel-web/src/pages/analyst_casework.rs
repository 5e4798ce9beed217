//! The casework part of the analyst's page: positive outcome rates and Victims' Code
//! compliance over the last 12 months, from the force's summary (see [`crate::summary`]:
//! computing them live costs seconds on a large force).

use crate::html;
use crate::pages::officer::right_label;
use crate::{summary, WebError, WebState};
use maud::{html, Markup, Render};
use peel_casework::performance::Compliance;

fn percent(rate: Option<f64>) -> String {
    rate.map_or("—".into(), |x| format!("{:.1}%", x * 100.0))
}

/// The casework sections of `/analyst` as HTML (headings included).
pub(crate) async fn casework_section(state: &WebState) -> Result<Markup, WebError> {
    let s = summary::get(&state.api, &state.summaries, state.config.summary_minutes).await?;
    let rows: Vec<Vec<Markup>> = s
        .rates
        .iter()
        .map(|(category, r)| vec![category.render(), r.crimes.render(), r.positive.render(), percent(r.rate).render()])
        .collect();
    let c = &s.compliance;
    let row = |first: String, x: &Compliance| {
        vec![
            first.render(),
            x.due.render(),
            x.met_on_time.render(),
            x.met_late.render(),
            x.unmet.render(),
            percent(x.rate()).render(),
        ]
    };
    let by_right: Vec<Vec<Markup>> = c.by_right.iter().map(|(right, x)| row(right_label(*right), x)).collect();
    let by_team: Vec<Vec<Markup>> = c.by_team.iter().map(|(team, x)| row(team.clone(), x)).collect();
    let heads = ["Due", "Met on time", "Met late", "Not met", "On time"];
    let with = |first: &'static str| std::iter::once(first).chain(heads).collect::<Vec<_>>();
    Ok(html! {
        h2 { "Positive outcomes, last 12 months" }
        p class="caption" { (summary::as_at(&s, state.config.summary_minutes)) }
        (html::table(
            "Positive outcome rates",
            &["Category", "Crimes", "Positive outcomes", "Rate"],
            &rows,
            "No crimes recorded in the last 12 months."
        ))
        h2 { "Victims' Code compliance, last 12 months" }
        p {
            (percent(c.overall.rate())) " of obligations met on time (" (c.overall.due) " due, " (c.overall.unmet)
            " not met)."
        }
        (html::table("Compliance by right", &with("Right"), &by_right, "Nothing due."))
        (html::table("Compliance by team", &with("Team"), &by_team, "Nothing due."))
    })
}
