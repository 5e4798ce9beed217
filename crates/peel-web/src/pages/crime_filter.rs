//! One way to narrow a list of crimes (issue 10 §5: every list can be filtered by team,
//! officer, offence group, flag, status and date range, and sorted), shared by the lists that
//! show crimes: the officer's own, the search results and a person's crimes. The query string
//! is the same everywhere (`?status=open&group=Robbery&flag=domestic-abuse&from=2026-01-01&
//! to=2026-06-30&team=…&officer=…&sort=oldest`), so a filtered page and its CSV download take
//! the one link. Lists read from the store narrow there (`CrimeNarrowing`), before the page is
//! cut, so that their totals are the narrowed list's; the officer's list, read whole, narrows
//! here (`keeps`).

use crate::html::{self, Attrs, Errors};
use crate::WebError;
use maud::{html, Markup};
use peel_domain::date::Date;
use peel_store::casework::{CrimeFact, CrimeNarrowing, CrimeOrder};

#[derive(serde::Deserialize, Default, Clone, Debug)]
pub struct CrimeFilter {
    /// "" (either), "open" or "finalised".
    #[serde(default)]
    pub status: String,
    /// A Home Office offence group ("Robbery").
    #[serde(default)]
    pub group: String,
    /// A flag word, or `hate-crime` for any strand.
    #[serde(default)]
    pub flag: String,
    /// Recorded on or after, YYYY-MM-DD.
    #[serde(default)]
    pub from: String,
    /// Recorded on or before, YYYY-MM-DD.
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub team: String,
    /// An officer's username.
    #[serde(default)]
    pub officer: String,
    /// "" (newest first), "oldest" or "offence".
    #[serde(default)]
    pub sort: String,
}

/// Who a list may be narrowed to, where the list offers it: the teams and the officers (by
/// username, with name and collar number).
pub struct WhoChoices<'a> {
    pub teams: &'a [&'a str],
    pub officers: &'a [(String, String)],
}

impl CrimeFilter {
    fn day(field: &str, text: &str) -> Result<Option<Date>, WebError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        Date::parse(text)
            .map(Some)
            .map_err(|_| WebError::BadRequest(format!("{field}: '{text}' is not a day: enter it as 2026-06-30")))
    }

    /// The offence codes of the group asked for.
    fn offences(&self) -> Option<Vec<String>> {
        (!self.group.is_empty()).then(|| {
            peel_domain::offence::all().filter(|o| o.group == self.group).map(|o| o.code.to_string()).collect()
        })
    }

    /// The narrowing for the store; a day that is not one, or a flag that is not one, is a
    /// bad request naming its field.
    pub fn narrowing(&self) -> Result<CrimeNarrowing, WebError> {
        let flag = self.flag.trim();
        if !flag.is_empty() && flag != "hate-crime" {
            peel_domain::flags::check(flag).map_err(|e| WebError::BadRequest(format!("flag: {}", e.message)))?;
        }
        let text = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        Ok(CrimeNarrowing {
            team: text(&self.team),
            officer: text(&self.officer).map(|o| o.to_ascii_lowercase()),
            offences: self.offences(),
            flag: text(flag),
            finalised: match self.status.as_str() {
                "open" => Some(false),
                "finalised" => Some(true),
                _ => None,
            },
            from: Self::day("from", &self.from)?,
            to: Self::day("to", &self.to)?,
            order: match self.sort.as_str() {
                "oldest" => CrimeOrder::Oldest,
                "offence" => CrimeOrder::Offence,
                _ => CrimeOrder::Newest,
            },
        })
    }

    /// Whether a crime read whole is in the narrowed list (as the store's narrowing).
    pub fn keeps(&self, f: &CrimeFact) -> bool {
        let day = f.recorded_at.date().to_string();
        let flag = self.flag.trim();
        (match self.status.as_str() {
            "open" => f.outcome.is_none(),
            "finalised" => f.outcome.is_some(),
            _ => true,
        }) && (self.group.is_empty()
            || peel_domain::offence::by_code(&f.offence_code).is_some_and(|o| o.group == self.group))
            && (flag.is_empty()
                || f.flags.iter().any(|x| x == flag || (flag == "hate-crime" && x.starts_with("hate-crime:"))))
            && (self.from.is_empty() || day.as_str() >= self.from.trim())
            && (self.to.is_empty() || day.as_str() <= self.to.trim())
            && (self.team.is_empty() || f.team.as_deref() == Some(self.team.as_str()))
            && (self.officer.is_empty() || f.officer.as_deref() == Some(self.officer.as_str()))
    }

    /// Crimes read whole, in the order asked for.
    pub fn order<'a>(&self, mut crimes: Vec<&'a CrimeFact>) -> Vec<&'a CrimeFact> {
        match self.sort.as_str() {
            "oldest" => crimes.sort_by_key(|f| (f.recorded_at, f.id)),
            "offence" => crimes.sort_by(|a, b| {
                a.offence_code.cmp(&b.offence_code).then_with(|| (b.recorded_at, b.id).cmp(&(a.recorded_at, a.id)))
            }),
            _ => crimes.sort_by_key(|f| std::cmp::Reverse((f.recorded_at, f.id))),
        }
        crimes
    }

    /// The filter as a query string (without `?`), empty when it narrows nothing.
    pub fn query(&self) -> String {
        self.and_query().trim_start_matches('&').to_string()
    }

    /// `&` and the query, or nothing: for a link that already has a query.
    pub fn and_query(&self) -> String {
        html::query_tail(&[
            ("status", &self.status),
            ("group", &self.group),
            ("flag", &self.flag),
            ("from", &self.from),
            ("to", &self.to),
            ("team", &self.team),
            ("officer", &self.officer),
            ("sort", &self.sort),
        ])
    }

    /// The filter's form, open when it narrows. `action` is the list's address; `hidden` the
    /// fields the list itself is made of (the search's `q`), kept as the filter changes.
    pub fn form(
        &self,
        (summary, action, clear): (&str, &str, &str),
        hidden: &[(&str, &str)],
        who: Option<WhoChoices>,
    ) -> Markup {
        let e = Errors::default();
        let status = html::options(&[("", "Open and finalised"), ("open", "Open"), ("finalised", "Finalised")]);
        let group_options = group_options();
        let mut flags = flag_options();
        flags.push(("hate-crime".into(), "Hate crime: any strand".into()));
        let sorts = html::options(&[("", "Newest first"), ("oldest", "Oldest first"), ("offence", "By offence")]);
        let narrowed = [&self.status, &self.group, &self.flag, &self.from, &self.to, &self.team, &self.officer]
            .iter()
            .any(|v| !v.is_empty());
        let who_fields = match who {
            None => html! {},
            Some(who) => {
                let mut teams = vec![(String::new(), "Every team".to_string())];
                teams.extend(who.teams.iter().map(|t| (t.to_string(), t.to_string())));
                let mut officers = vec![(String::new(), "Every officer".to_string())];
                officers.extend(who.officers.iter().cloned());
                html! {
                    (e.select("team", "Team", &teams, &self.team))
                    (e.select("officer", "Officer", &officers, &self.officer))
                }
            }
        };
        html! {
            details open[narrowed] {
                summary { (summary) }
                form method="get" action=(action) {
                    @for (name, value) in hidden { input type="hidden" name=(name) value=(value); }
                    (who_fields)
                    (e.select("status", "Status", &status, &self.status))
                    (e.select("group", "Offence group", &group_options, &self.group))
                    (e.select("flag", "Flag", &flags, &self.flag))
                    (e.input("date", "from", "Recorded from", "", &self.from, Attrs::NONE))
                    (e.input("date", "to", "Recorded to", "", &self.to, Attrs::NONE))
                    (e.select("sort", "Order", &sorts, &self.sort))
                    button type="submit" { "Filter" }
                    " " a href=(clear) { "Clear the filters" }
                }
            }
        }
    }
}

/// The Home Office offence groups as a filter's choices, "every" first.
pub(crate) fn group_options() -> Vec<(String, String)> {
    let mut groups: Vec<&str> = peel_domain::offence::all().map(|o| o.group).collect();
    groups.sort_unstable();
    groups.dedup();
    let mut options = vec![(String::new(), "Every offence group".to_string())];
    options.extend(groups.into_iter().map(|g| (g.to_string(), g.to_string())));
    options
}

/// The flags as a filter's choices (the recording form's vocabulary), "any" first.
pub(crate) fn flag_options() -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "Any flag or none".to_string())];
    options.extend(super::registrar::flag_choices().into_iter().map(|(w, l, _)| (w, l)));
    options
}

/// The force's officers (or a team's), by username, with name and collar number: the
/// officer choices of a filter.
pub(crate) fn officer_choices(
    store: &dyn peel_http::CaseStore,
    team: Option<&str>,
) -> Result<Vec<(String, String)>, WebError> {
    let mut officers: Vec<(String, String)> = store
        .accounts()?
        .into_iter()
        .filter(|a| a.role == crate::auth::Role::Officer && (team.is_none() || a.team.as_deref() == team))
        .map(|a| {
            let label = a.collar.map_or(a.display_name.clone(), |c| format!("{} ({c})", a.display_name));
            (a.username, label)
        })
        .collect();
    officers.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(officers)
}
