//! The analyst and command team: casework performance at a glance, and the analysis of the
//! police.uk data the store holds for any force, local authority and month — performance
//! with SPC, outcomes as PEEL figure 4, harm by area, Impact Area status, concentration, the
//! hotspot map, and the board paper as HTML and PDF.
//!
//! Every analysis page has the same GET form (force, area, month; no script needed) and the
//! same links between pages, which carry the choice along. Figures come from the force's
//! street data held in memory ([`crate::street_cache`]); what a page computes is done on a
//! blocking thread, and the board paper (which the performance and concentration pages draw
//! on too) is computed once per force, area and month.

use super::render;
use crate::auth::User;
use crate::html::{self, url_encode};
use crate::street_cache::{ForceStreets, Held, Scoped};
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, Render};
use peel_analytics::paper::{board_paper, TREND_MONTHS};
use peel_analytics::{BoardPaper, StreetColumns};
use peel_domain::{Force, YearMonth};
use std::sync::Arc;

/// The analysis pages in the order of their links: (path, title, what it shows).
pub(crate) const PAGES: [(&str, &str, &str); 12] = [
    (
        "/analyst/performance",
        "Performance",
        "the monthly crime trend with SPC limits and signals, year to date against last year, the rolling 12 \
         months and the rate per 1,000 population",
    ),
    ("/analyst/outcomes", "Outcomes", "outcome groups and types for the 12 months to the month, as PEEL figure 4"),
    ("/analyst/areas", "Harm by area", "crimes, crime harm and the rate per 1,000 by local authority, or by MSOA"),
    (
        "/analyst/impact-areas",
        "Impact Area status",
        "rolling 12-month harm of the 19 highest-harm MSOAs at four month-ends, with a status for each",
    ),
    ("/analyst/concentration", "Concentration", "how concentrated crime and harm are over 250 m grid cells and LSOAs"),
    ("/analyst/hotspots", "Hotspot map", "250 m grid cells coloured by crime or harm, with local authority outlines"),
    ("/analyst/density", "Density map", "kernel density of crime or harm per km² over 250 m cells, the densest listed"),
    (
        "/analyst/gi-star",
        "Hotspot classes",
        "each cell's Getis-Ord Gi* class over the months: persistent, emerging, former or intermittent hot or cold spot",
    ),
    ("/analyst/near-repeat", "Near repeats", "the Knox test of the force's own crimes by distance and days apart"),
    (
        "/analyst/backtest",
        "Prediction backtest",
        "how well counts, kernel density and ProMap foretold each month's crime: hit rate and PAI",
    ),
    ("/analyst/patrols", "Patrol list", "each authority's top cells and the hours of the week that hold their crime"),
    ("/analyst/hours", "Hour and weekday", "the force's own crimes by the day of the week and hour recorded"),
];

/// The query every analysis page takes; all optional (the force with most data and its
/// latest month by default).
#[derive(serde::Deserialize, Default, Clone, Debug)]
pub struct AnalystQuery {
    pub force: Option<String>,
    /// A local authority of the force; empty for the whole force.
    pub area: Option<String>,
    /// YYYY-MM.
    pub month: Option<String>,
    /// The hotspot map's measure: "crime" or "harm".
    pub measure: Option<String>,
    /// The pattern pages' police.uk category ("Burglary"); empty for every crime.
    pub category: Option<String>,
}

/// A force, area and month resolved against what the store holds.
#[derive(Clone)]
pub(crate) struct Selection {
    pub force: &'static Force,
    pub streets: Arc<ForceStreets>,
    /// As chosen: a local authority's name, or `unit:CODE` for one of the force's own areas.
    pub area: Option<String>,
    /// The area as people name it ("Leeds", "Birmingham East NPU").
    pub area_label: Option<String>,
    pub data: Arc<Scoped>,
    pub month: YearMonth,
    pub held: Arc<Held>,
    /// The force's own areas with crime in its data, for the choice: (`unit:CODE`, label).
    pub units: Arc<Vec<(String, String)>>,
    /// The version of the areas' definition `units` were read under (memo keys carry it).
    pub units_version: String,
    /// Said at the top of the page: the choice could not be followed as given.
    pub notice: Option<String>,
}

impl Selection {
    /// "West Yorkshire Police" or "Leeds (West Yorkshire Police)".
    pub fn name(&self) -> String {
        match &self.area_label {
            Some(a) => format!("{a} ({})", self.force.name),
            None => self.force.name.to_string(),
        }
    }

    /// "the force" or "Leeds": how sentences refer to the area.
    pub fn whose(&self) -> String {
        self.area_label.clone().unwrap_or_else(|| "the force".into())
    }

    /// The query string of the choice (not yet HTML-escaped).
    pub fn query(&self) -> String {
        format!(
            "force={}&area={}&month={}",
            url_encode(self.force.slug),
            url_encode(self.area.as_deref().unwrap_or("")),
            self.month
        )
    }

    /// A memo key for a figure of this area and month.
    pub fn key(&self, what: &str) -> String {
        match self.area.as_deref() {
            // A unit's figures last as long as the definition they were drawn under.
            Some(a) if a.starts_with(UNIT) => format!("{what}:{a}:{}:{}", self.units_version, self.month),
            a => format!("{what}:{}:{}", a.unwrap_or(""), self.month),
        }
    }

    pub fn first_month(&self) -> YearMonth {
        self.streets.stamp.first_month
    }

    pub fn last_month(&self) -> YearMonth {
        self.streets.stamp.last_month
    }
}

/// Resolves the query: 404 for a force that does not exist or has no data, 400 for a month
/// that is not a month or outside the months held, 404 for a month inside them that holds
/// no record (no data, not 0).
pub(crate) async fn select(state: &WebState, q: &AnalystQuery) -> Result<Selection, WebError> {
    let held = state.streets.held(&state.api).await?;
    let force = match q.force.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => Force::find(name).ok_or_else(|| WebError::NotFound(format!("There is no force '{name}'.")))?,
        None => held.street.iter().max_by_key(|h| h.rows).and_then(|h| Force::by_code(h.force)).ok_or_else(|| {
            WebError::NotFound(
                "The store holds no police.uk data yet: import some with peel import data DIR.".to_string(),
            )
        })?,
    };
    let streets = state.streets.force(&state.api, force.code).await?.ok_or_else(|| {
        WebError::NotFound(format!(
            "The store holds no police.uk data for {}: import its street-level files with peel import data DIR.",
            force.name
        ))
    })?;
    let (first, last) = (streets.stamp.first_month, streets.stamp.last_month);
    let month = match q.month.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => last,
        Some(m) => {
            let m = YearMonth::parse(m).map_err(|e| WebError::BadRequest(format!("month: {e}")))?;
            if m < first || m > last {
                return Err(WebError::BadRequest(format!(
                    "The store holds {}'s data from {} to {}: choose a month in that range.",
                    force.name,
                    first.long_label(),
                    last.long_label()
                )));
            }
            m
        }
    };
    // Missing is not zero: a month inside the range that holds no record of the force (a
    // police.uk month not imported, a gap in the force's records) has no figures, rather
    // than pages of zeros.
    {
        let held = &streets.whole.cols.month; // sorted by month
        let at = held.partition_point(|&m| m < month.index());
        if held.get(at) != Some(&month.index()) {
            let before = at.checked_sub(1).map(|i| YearMonth::from_index(held[i]).long_label());
            let after = held.get(at).map(|m| YearMonth::from_index(*m).long_label());
            let nearest = match (before, after) {
                (Some(b), Some(a)) => format!(" The nearest months held are {b} and {a}."),
                (Some(x), None) | (None, Some(x)) => format!(" The nearest month held is {x}."),
                (None, None) => String::new(),
            };
            return Err(WebError::NotFound(format!(
                "The store holds no records of {} for {}: a month without records is no data, not 0, so there \
                 are no figures for it.{nearest}",
                force.name,
                month.long_label()
            )));
        }
    }
    let (version, units) = units_of(state, &streets).await?;
    let (area, area_label, notice) = match q.area.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => (None, None, None),
        Some(a) if a.starts_with(UNIT) => match units.iter().find(|(v, _)| v.eq_ignore_ascii_case(a)) {
            Some((v, label)) => (Some(v.clone()), Some(label.clone()), None),
            None => (
                None,
                None,
                Some(format!(
                    "{} is not a neighbourhood policing unit or Impact Area of {} with data: showing the whole force.",
                    &a[UNIT.len()..],
                    force.name
                )),
            ),
        },
        Some(a) if streets.local_authorities.iter().any(|x| x == a) => (Some(a.to_string()), Some(a.to_string()), None),
        Some(a) => {
            (None, None, Some(format!("{a} is not a local authority of {}: showing the whole force.", force.name)))
        }
    };
    let data = match area.as_deref() {
        Some(unit) if unit.starts_with(UNIT) => unit_data(state, &streets, unit, &version).await?,
        _ => {
            let (streets, area) = (streets.clone(), area.clone());
            blocking(move || Ok(streets.scoped(area.as_deref()).expect("a local authority of the force"))).await?
        }
    };
    Ok(Selection { force, streets, area, area_label, data, month, held, units, units_version: version, notice })
}

/// The force's own areas (NPUs and Impact Areas, as the store defines them) that hold any of
/// the force's LSOAs, as choices, with the version of the definition they were read under.
/// Placing the LSOAs reads the gazetteer: done once per load of the force's data and version
/// of the definition (the definition itself, a few hundred rows, is read on each request, so
/// an administrator's new import is offered at once).
async fn units_of(
    state: &WebState,
    streets: &Arc<ForceStreets>,
) -> Result<(String, Arc<Vec<(String, String)>>), WebError> {
    let areas = state
        .run(|store, _| match store.force_areas(None) {
            Ok(a) => Ok(a),
            Err(peel_store::StoreError::Refused(_)) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        })
        .await?;
    let version = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for a in &areas {
            (a.kind.word(), &a.code, &a.name, &a.members).hash(&mut h);
        }
        format!("{:016x}", h.finish())
    };
    if areas.is_empty() {
        // Nothing defined: no reason to read the gazetteer to place LSOAs in nothing.
        return Ok((version, Arc::new(Vec::new())));
    }
    let key = format!("units:{version}");
    if let Some(u) = streets.memoised::<Vec<(String, String)>>(&key) {
        return Ok((version, u));
    }
    let s = streets.clone();
    let units = state
        .run(move |store, _| {
            let map = store.area_map()?;
            let geo = &s.whole.geo;
            let mut units = Vec::new();
            for kind in peel_domain::force_area::AreaKind::ALL {
                let g = peel_analytics::areas::AreaGrouping::of_force_areas(geo, &map, kind);
                for (i, code) in g.codes.iter().enumerate() {
                    if g.of_lsoa.contains(&Some(i)) {
                        let code = code.clone().unwrap_or_default();
                        units.push((format!("{UNIT}{code}"), format!("{} {}", g.names[i], unit_word(kind))));
                    }
                }
            }
            Ok(s.memo(&key, || units))
        })
        .await?;
    Ok((version, units))
}

fn unit_word(kind: peel_domain::force_area::AreaKind) -> &'static str {
    match kind {
        peel_domain::force_area::AreaKind::Npu => "NPU",
        peel_domain::force_area::AreaKind::ImpactArea => "Impact Area",
    }
}

/// The force's data restricted to one of its own areas (`unit:CODE`), once per load and
/// version of the definition.
async fn unit_data(
    state: &WebState,
    streets: &Arc<ForceStreets>,
    unit: &str,
    version: &str,
) -> Result<Arc<Scoped>, WebError> {
    let key = format!("scope:{unit}:{version}");
    if let Some(d) = streets.memoised::<Scoped>(&key) {
        return Ok(d);
    }
    let (s, code) = (streets.clone(), unit[UNIT.len()..].to_string());
    state
        .run(move |store, _| {
            let map = store.area_map()?;
            let area = peel_casework::board::PaperArea::find(&map, &s.whole.geo, &code)?;
            Ok(s.memo(&key, || {
                let (cols, geo) = peel_analytics::scope::lsoas(&s.whole.cols, &s.whole.geo, &area.inside);
                Scoped { cols, geo }
            }))
        })
        .await
}

/// Runs a computation on a blocking thread, so a page's figures never hold up the server's
/// other connections.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| WebError::Internal(format!("analysis did not finish: {e}")))?
}

/// The rows of months `from..=to` of columns sorted by month (as the street cache keeps them).
pub(crate) fn months(cols: &StreetColumns, from: YearMonth, to: YearMonth) -> StreetColumns {
    let lo = cols.month.partition_point(|&m| m < from.index());
    let hi = cols.month.partition_point(|&m| m <= to.index());
    StreetColumns {
        month: cols.month[lo..hi].to_vec(),
        category: cols.category[lo..hi].to_vec(),
        lsoa: cols.lsoa[lo..hi].to_vec(),
        point: cols.point[lo..hi].to_vec(),
        outcome: cols.outcome[lo..hi].to_vec(),
        outcome_names: cols.outcome_names.clone(),
        harm: cols.harm.get(lo..hi).map_or_else(Vec::new, <[f64]>::to_vec),
    }
}

/// The board paper of the selection over the months `peel report` reads by default (the
/// trend's 36 and the 11 before them for the first rolling year); once per force, area and
/// month.
pub(crate) fn paper(sel: &Selection) -> Arc<BoardPaper> {
    sel.streets.memo(&sel.key("paper"), || {
        let from = sel.month.plus(-(TREND_MONTHS + 11));
        let cols = months(&sel.data.cols, from, sel.month);
        board_paper(&sel.name(), &cols, &sel.data.geo, sel.month, &peel_domain::harm::category_weights())
    })
}

/// The choice form: GET to `action`, so the page can be bookmarked and works without script.
/// `extra` is more fields (the map's measure).
pub(crate) fn form(sel: &Selection, action: &str, extra: Markup) -> Markup {
    let e = html::Errors::default();
    let mut forces: Vec<(String, String)> = sel
        .held
        .street
        .iter()
        .filter_map(|h| Force::by_code(h.force))
        .map(|f| (f.slug.to_string(), f.name.to_string()))
        .collect();
    forces.sort_by(|a, b| a.1.cmp(&b.1));
    let mut areas = vec![(String::new(), "The whole force".to_string())];
    areas.extend(sel.streets.local_authorities.iter().map(|a| (a.clone(), a.clone())));
    areas.extend(sel.units.iter().cloned());
    let (first, last) = (sel.first_month(), sel.last_month());
    let months: Vec<(String, String)> =
        (0..=(last.index() - first.index())).map(|k| last.plus(-k)).map(|m| (m.to_string(), m.long_label())).collect();
    html! {
        form method="get" action=(action) class="choose" aria-label="Choose force, area and month" {
            (e.select("force", "Force", &forces, sel.force.slug))
            (e.select("area", "Area", &areas, sel.area.as_deref().unwrap_or("")))
            p class="hint" {
                "The areas listed are the chosen force's local authorities, then its neighbourhood policing units \
                 and Impact Areas where the store defines them: after choosing another force, press Show to list \
                 its own."
            }
            (e.select("month", "Month", &months, &sel.month.to_string()))
            (extra)
            button type="submit" { "Show" }
        }
    }
}

/// The links between the analysis pages, carrying the choice; the current one marked.
pub(crate) fn links(sel: &Selection, current: &str) -> Markup {
    let q = sel.query();
    html! {
        nav aria-label="Analysis pages" {
            ul class="analysis-pages" {
                @for (path, title, _) in PAGES {
                    li { a href={ (path) "?" (q) } aria-current=[(path == current).then_some("page")] { (title) } }
                }
                li { a href={ "/analyst/board-paper?" (q) } { "Board paper (HTML)" } }
                li { a href={ "/analyst/board-paper.pdf?" (q) } { "Board paper (PDF)" } }
            }
        }
    }
}

/// The body of an analysis page, with the second-level headings it has for the page's
/// "On this page" list.
#[derive(Default)]
pub(crate) struct Body {
    sections: Vec<(&'static str, String)>,
}

impl Body {
    /// A second-level heading with an id, listed under "On this page".
    pub fn h2(&mut self, id: &'static str, text: impl Into<String>) -> Markup {
        let text = text.into();
        let heading = html! { h2 id=(id) { (text) } };
        self.sections.push((id, text));
        heading
    }

    /// "On this page": a link to each second-level heading, when there are two or more.
    fn contents(&self) -> Markup {
        html! {
            @if self.sections.len() >= 2 {
                nav aria-label="On this page" {
                    h2 class="label" { "On this page" }
                    ul { @for (id, text) in &self.sections { li { a href={ "#" (id) } { (text) } } } }
                }
            }
        }
    }
}

/// An analysis page: heading, what it covers, the links, the form, then `body`.
pub(crate) fn analysis_page(user: &User, sel: &Selection, path: &str, title: &str, body: (Body, Markup)) -> Response {
    analysis_page_with(user, sel, path, title, html! {}, body)
}

pub(crate) fn analysis_page_with(
    user: &User,
    sel: &Selection,
    path: &str,
    title: &str,
    extra_fields: Markup,
    (sections, body): (Body, Markup),
) -> Response {
    let page = html! {
        h1 { (title) }
        p class="lead" { (sel.name()) ", " (sel.month.long_label()) }
        (super::notice(sel.notice.as_deref()))
        (links(sel, path))
        (form(sel, path, extra_fields))
        (sections.contents())
        (body)
        p class="caption" {
            "Data: " (peel_report::format::int(sel.data.cols.len() as u64)) " police.uk rows for " (sel.name()) ", "
            (sel.first_month().long_label()) " to " (sel.last_month().long_label()) ". " (peel_report::OGL_LINE)
        }
    };
    render(user, &format!("{title}: {}, {}", sel.name(), sel.month.long_label()), page).into_response()
}

pub async fn page(State(state): State<WebState>, user: User) -> Result<Response, WebError> {
    let casework = super::analyst_casework::casework_section(&state).await?;
    let held = state.streets.held(&state.api).await?;
    let papers: Vec<Vec<Markup>> = held
        .street
        .iter()
        .filter_map(|h| {
            let force = Force::by_code(h.force)?;
            let link = |m: YearMonth| {
                html! {
                    a href={ "/analyst/board-paper?force=" (force.slug) "&month=" (m) } { (force.name) ", " (m) }
                }
            };
            let earlier = (1..=2).map(|k| h.last_month.plus(-k)).filter(|m| *m >= h.first_month).map(link);
            let links: Vec<Markup> = std::iter::once(link(h.last_month)).chain(earlier).collect();
            Some(vec![
                force.name.render(),
                html! { (h.first_month) " to " (h.last_month) },
                html! { a href={ "/analyst/performance?force=" (url_encode(force.slug)) } { "Analysis" } },
                html! { @for (i, l) in links.iter().enumerate() { @if i > 0 { br; } (l) } },
            ])
        })
        .collect();
    // Board papers for each of the force's own areas, for the force whose own records the
    // store keeps (the areas are that force's): found among the forces held with one index
    // probe each, since `holdings()` counts the whole crime table (a tenth of a second on a
    // million crimes, most of this page's time). Forces with own records are held first.
    let forces: Vec<u16> = held.street.iter().map(|h| h.force).collect();
    let (own_force, units) = state
        .run(move |store, _| {
            let mut own = None;
            for f in forces {
                if store.holds_own_crimes(f)? {
                    own = Force::by_code(f);
                    break;
                }
            }
            let units = match (own, store.force_areas(None)) {
                (Some(_), Ok(areas)) => areas,
                _ => Vec::new(),
            };
            Ok((own, units))
        })
        .await?;
    let unit_links: Vec<Markup> = match (own_force, held.street.iter().find(|h| Some(h.force) == own_force.map(|f| f.code))) {
        (Some(force), Some(h)) => units
            .iter()
            .map(|a| {
                let kind = match a.kind {
                    peel_domain::force_area::AreaKind::Npu => "NPU",
                    peel_domain::force_area::AreaKind::ImpactArea => "Impact Area",
                };
                html! {
                    a href={ "/analyst/board-paper?force=" (force.slug) "&area=" (url_encode(&format!("{UNIT}{}", a.code))) "&month=" (h.last_month) } {
                        (a.name) " " (kind)
                    }
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let body = html! {
        h1 { "Analysis" }
        (casework)
        h2 { "Crime and harm" }
        p {
            "From the force's own crime records where the store holds them (recorded here, or brought from its \
             previous system with " code { "peel import crimes" } "), else from the police.uk street-level data (" code {
             "peel import data DIR" } "), for any force, any local authority in it and any month held:"
        }
        ul {
            @for (path, title, what) in PAGES {
                li { a href=(path) { (title) } ": " (what) "." }
            }
            li { a href="/analyst/board-paper" { "Board paper" } ": the whole paper for the board, as HTML or PDF." }
        }
        (html::table(
            "Data held: each force's own records, or else its police.uk data",
            &["Force", "Months held", "Analysis", "Board paper"],
            &papers,
            "The store holds no police.uk data yet: import some with peel import data DIR.",
        ))
        @if !unit_links.is_empty() {
            h2 { "Board papers by neighbourhood policing unit and Impact Area" }
            p { "From the force's own records, for the latest month held, as " code { "peel report --area" } " writes them:" }
            ul class="units" {
                @for l in &unit_links { li { (l) } }
            }
        }
    };
    Ok(render(&user, "Analysis", body).into_response())
}

fn paper_html(
    sel: &Selection,
    name: &str,
    paper: &BoardPaper,
    now: peel_domain::date::Timestamp,
    board: Option<&str>,
) -> String {
    let what = if paper.own_records {
        "The force's own crime records (recorded in Peel and imported)"
    } else {
        "data.police.uk street-level crime and anti-social behaviour"
    };
    let mut sources = vec![format!(
        "{what} for {name}: {} months with data, {} to {}",
        paper.months_with_data.len(),
        paper.months_with_data.first().map_or(String::new(), |m| m.to_string()),
        sel.month
    )];
    if sel.held.lsoas_with_population > 0 {
        sources.push(
            "ONS 2011 Census population, households and area by LSOA; ONS LSOA to police force area lookup".into(),
        );
    }
    if let Some(c) = &paper.comparison {
        sources.push(format!("Home Office police recorded crime by police force area, {}", c.financial_year));
    }
    sources.push(if paper.own_records {
        "Cambridge Crime Harm Index weights by Home Office subgroup, each crime weighed by its own offence's".into()
    } else {
        "Cambridge Crime Harm Index weights by Home Office subgroup, weighted by national counts per police.uk \
         category"
            .into()
    });
    let meta = peel_report::PaperMeta {
        title: format!("{name}: crime and harm, {}", sel.month.long_label()),
        board: board.map(str::to_string),
        generated_at: format!("{} {:02}:{:02}", now.date(), now.time().0, now.time().1),
        sources,
    };
    peel_report::render_html(paper, &meta)
}

/// The prefix of an `area` that names one of the force's own areas (an NPU or Impact Area,
/// by its code) rather than a local authority: `area=unit:BE`.
const UNIT: &str = "unit:";

/// The whole board paper of the query, as `peel report` writes it, with the name it is for:
/// the figures every analysis page shares, completed with what the store holds beyond the
/// street columns (the force's own records' sections, Victims' Code compliance, the Home
/// Office comparison). For one of the force's own areas (`area=unit:CODE`) the paper is built
/// as `peel report --area` builds it, from the force's data as the server keeps it.
async fn paper_for(state: &WebState, q: &AnalystQuery) -> Result<(Selection, String, BoardPaper), WebError> {
    if let Some(code) = q.area.as_deref().map(str::trim).and_then(|a| a.strip_prefix(UNIT)) {
        let code = code.to_string();
        let sel = select(state, &AnalystQuery { area: None, ..q.clone() }).await?;
        let facts = force_crimes(state, &sel).await?;
        let month = sel.month;
        let victims_code =
            state.run(move |store, now| Ok(peel_casework::board::victims_code_section(&*store, month, now.date())?));
        let s = sel.clone();
        let built = state.run(move |store, now| {
            let request = peel_casework::board::PaperRequest {
                force: s.force,
                month,
                since: None,
                area: Some(&code),
                similar: None,
                today: now.date(),
            };
            // The force's columns as kept, from the paper's first month.
            let cols = months(&s.data.cols, month.plus(-(TREND_MONTHS + 11)), month);
            match peel_casework::board::build_from(&*store, &request, (cols, s.data.geo.clone()), facts.as_deref()) {
                Err(peel_store::StoreError::Refused(why)) => {
                    Err(WebError::NotFound(why.trim_start_matches("--area: ").to_string()))
                }
                other => Ok(other?),
            }
        });
        let (built, victims_code) = tokio::join!(built, victims_code);
        let mut built = built?;
        if built.paper.own_records {
            built.paper.victims_code = victims_code?;
        }
        return Ok((sel, built.name, built.paper));
    }
    let sel = select(state, q).await?;
    let s = sel.clone();
    let base = blocking(move || Ok(paper(&s))).await?;
    let facts = force_crimes(state, &sel).await?;
    // Victims' Code compliance (most of the paper's time on a large force) is counted on a
    // connection of its own while the rest is read on another.
    let month = sel.month;
    let victims_code =
        state.run(move |store, now| Ok(peel_casework::board::victims_code_section(&*store, month, now.date())?));
    let s = sel.clone();
    let full = state.run(move |store, now| {
        let mut full = (*base).clone();
        let request = peel_casework::board::PaperRequest {
            force: s.force,
            month: s.month,
            since: None,
            area: None,
            similar: None,
            today: now.date(),
        };
        let cols = months(&s.data.cols, s.month.plus(-(TREND_MONTHS + 11)), s.month);
        let area = s.area.as_deref().map(|a| peel_casework::board::PaperArea::local_authority(&s.data.geo, a));
        let map = store.area_map()?;
        peel_casework::board::complete(
            &*store,
            &mut full,
            &request,
            &cols,
            &s.data.geo,
            &map,
            area.as_ref(),
            facts.as_deref(),
        )?;
        Ok(full)
    });
    let (full, victims_code) = tokio::join!(full, victims_code);
    let mut full: BoardPaper = full?;
    if full.own_records {
        full.victims_code = victims_code?;
    }
    let name = sel.name();
    Ok((sel, name, full))
}

/// The force's own crimes the paper of the selection's month reads (from `board::facts_from`
/// to the month; the whole force, an area being marked within them); `None` for a force held
/// as police.uk data only. Every month held is read from the store once per load of the
/// force's data and kept, one copy per force (a board paper's months are cut from it for each
/// request, not kept: a copy per month viewed would hold tens of megabytes each). The crimes
/// are as current as the kept street data: new crimes reload it, a change to a crime already
/// held (an outcome, a team) shows at its next reload.
async fn force_crimes(state: &WebState, sel: &Selection) -> Result<Option<Arc<peel_analytics::CrimeFacts>>, WebError> {
    let (first, last) = (sel.first_month(), sel.last_month());
    let key = format!("paper-facts-{}", sel.force.code);
    let all = match sel.streets.memoised::<peel_analytics::CrimeFacts>(&key) {
        Some(f) => f,
        None => {
            let (streets, force) = (sel.streets.clone(), sel.force.code);
            state
                .run(move |store, _| {
                    let facts = store.load_crime_facts(force, first, last)?;
                    Ok(streets.memo(&key, || facts))
                })
                .await?
        }
    };
    if all.is_empty() {
        return Ok(None);
    }
    let months = peel_casework::board::facts_from(sel.month).index()..=sel.month.index();
    let cut = blocking(move || Ok(all.only(|i| months.contains(&all.month[i])))).await?;
    Ok(Some(Arc::new(cut)))
}

/// The board paper for a force (or one of its local authorities) and month, as `peel report`
/// writes it: HTML with its charts as inline SVG.
pub async fn board_paper_page(
    State(state): State<WebState>,
    _user: User,
    Query(q): Query<AnalystQuery>,
) -> Result<Response, WebError> {
    let (sel, name, full) = paper_for(&state, &q).await?;
    let now = state.now();
    let board = state.config.board.clone();
    let html = blocking(move || Ok(paper_html(&sel, &name, &full, now, board.as_deref()))).await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// The board paper as a PDF, printed by headless Chromium; 503 with the reason when the
/// server has no Chromium or it fails.
pub async fn board_paper_pdf(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<AnalystQuery>,
) -> Result<Response, WebError> {
    let (sel, name, full) = paper_for(&state, &q).await?;
    // The HTML paper of the same choice (a unit's `area=unit:CODE` kept as asked).
    let unit = q.area.as_deref().map(str::trim).filter(|a| a.starts_with(UNIT));
    let html_link = match unit {
        Some(a) => format!("/analyst/board-paper?force={}&area={}&month={}", sel.force.slug, url_encode(a), sel.month),
        None => format!("/analyst/board-paper?{}", sel.query()),
    };
    let unavailable = |user: &User, why: &str| {
        let body = html! {
            h1 { "The PDF cannot be made" }
            p { (why) }
            p {
                "The " a href=(html_link) { "board paper as HTML" } " has the same content, and any browser can print \
                 it to PDF (it is laid out for A4)."
            }
        };
        (StatusCode::SERVICE_UNAVAILABLE, render(user, "PDF not available", body)).into_response()
    };
    let chromium = match &state.config.chromium {
        Some(p) if p.is_file() => p.clone(),
        Some(p) => {
            let e = format!("no Chromium at {}, the browser this server was given", p.display());
            return Ok(unavailable(&user, &format!("This server has no Chromium to print with: {e}.")));
        }
        None => match peel_report::find_chromium() {
            Ok(p) => p,
            Err(e) => return Ok(unavailable(&user, &format!("This server has no Chromium to print with: {e}."))),
        },
    };
    let area = unit.map(|a| a.trim_start_matches(UNIT).to_string()).or_else(|| sel.area.clone());
    let file_name = format!(
        "board-paper-{}{}-{}.pdf",
        sel.force.slug,
        area.as_deref().map_or(String::new(), |a| format!("-{}", slug(a))),
        sel.month
    );
    let now = state.now();
    let board = state.config.board.clone();
    let printed = blocking(move || {
        let html = paper_html(&sel, &name, &full, now, board.as_deref());
        Ok(print(&chromium, &html))
    })
    .await?;
    match printed {
        Ok(bytes) => Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
            ],
            bytes,
        )
            .into_response()),
        Err(e) => {
            tracing::error!(error = %e, "printing the board paper failed");
            Ok(unavailable(&user, &format!("Printing the paper failed: {e}.")))
        }
    }
}

/// "Kingston upon Hull" → "kingston-upon-hull".
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Prints `html` to PDF through Chromium in a folder of its own, removed afterwards.
fn print(chromium: &std::path::Path, html: &str) -> Result<Vec<u8>, String> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir =
        std::env::temp_dir().join(format!("peel-web-pdf-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let result = (|| {
        let (html_path, pdf_path) = (dir.join("paper.html"), dir.join("paper.pdf"));
        std::fs::write(&html_path, html).map_err(|e| format!("cannot write {}: {e}", html_path.display()))?;
        peel_report::print_pdf_with(chromium, &html_path, &pdf_path).map_err(|e| e.to_string())?;
        std::fs::read(&pdf_path).map_err(|e| format!("cannot read {}: {e}", pdf_path.display()))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use peel_domain::Category;

    #[test]
    fn months_slices_sorted_columns() {
        let m = YearMonth::parse("2017-07").unwrap();
        let mut c = StreetColumns::default();
        for k in 0..5 {
            c.push(m.plus(k - 4), Category::Burglary, k as u32, 0, 0);
            c.push(m.plus(k - 4), Category::Robbery, k as u32, 0, 0);
        }
        let s = months(&c, m.plus(-2), m.plus(-1));
        assert_eq!(s.lsoa, vec![2, 2, 3, 3]);
        assert_eq!(months(&c, m.plus(1), m.plus(3)).len(), 0);
        assert_eq!(months(&c, m.plus(-10), m).len(), 10);
    }

    #[test]
    fn contents_lists_the_sections() {
        let mut body = Body::default();
        let first = body.h2("a", "First & best");
        assert_eq!(first.into_string(), "<h2 id=\"a\">First &amp; best</h2>");
        body.h2("b", "Second");
        assert_eq!(
            body.contents().into_string(),
            "<nav aria-label=\"On this page\"><h2 class=\"label\">On this page</h2><ul><li><a href=\"#a\">First \
             &amp; best</a></li><li><a href=\"#b\">Second</a></li></ul></nav>"
        );
        let mut one = Body::default();
        one.h2("a", "Only one");
        assert_eq!(one.contents().into_string(), "");
    }

    #[test]
    fn slugs_for_file_names() {
        assert_eq!(slug("Kingston upon Hull, City of"), "kingston-upon-hull-city-of");
        assert_eq!(slug("Leeds"), "leeds");
    }
}
