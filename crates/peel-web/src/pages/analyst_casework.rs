//! The casework part of the analyst's page: positive outcome rates and Victims' Code
//! compliance over the last 12 months, from the force's summary (see [`crate::summary`]:
//! computing them live costs seconds on a large force).

use crate::html::{self, esc};
use crate::pages::officer::right_label;
use crate::{summary, WebError, WebState};
use peel_casework::performance::Compliance;

fn percent(rate: Option<f64>) -> String {
    rate.map_or("—".into(), |x| format!("{:.1}%", x * 100.0))
}

/// The casework sections of `/analyst` as HTML (headings included).
pub(crate) async fn casework_section(state: &WebState) -> Result<String, WebError> {
    let s = summary::get(state).await?;
    let rows: Vec<Vec<String>> = s
        .rates
        .iter()
        .map(|(category, r)| vec![esc(category), r.crimes.to_string(), r.positive.to_string(), percent(r.rate)])
        .collect();
    let c = &s.compliance;
    let row = |first: String, x: &Compliance| {
        vec![
            first,
            x.due.to_string(),
            x.met_on_time.to_string(),
            x.met_late.to_string(),
            x.unmet.to_string(),
            percent(x.rate()),
        ]
    };
    let by_right: Vec<Vec<String>> = c.by_right.iter().map(|(right, x)| row(right_label(*right), x)).collect();
    let by_team: Vec<Vec<String>> = c.by_team.iter().map(|(team, x)| row(esc(team), x)).collect();
    let heads = ["Due", "Met on time", "Met late", "Not met", "On time"];
    let with = |first: &'static str| std::iter::once(first).chain(heads).collect::<Vec<_>>();
    Ok(format!(
        "<h2>Positive outcomes, last 12 months</h2><p class=\"caption\">{as_at}</p>{rates}\
         <h2>Victims' Code compliance, last 12 months</h2><p>{rate} of obligations met on time ({due} due, {unmet} \
         not met).</p>{by_right}{by_team}",
        as_at = esc(&summary::as_at(&s, state.config.summary_minutes)),
        rates = html::table(
            "Positive outcome rates",
            &["Category", "Crimes", "Positive outcomes", "Rate"],
            &rows,
            "No crimes recorded in the last 12 months."
        ),
        rate = percent(c.overall.rate()),
        due = c.overall.due,
        unmet = c.overall.unmet,
        by_right = html::table("Compliance by right", &with("Right"), &by_right, "Nothing due."),
        by_team = html::table("Compliance by team", &with("Team"), &by_team, "Nothing due."),
    ))
}
