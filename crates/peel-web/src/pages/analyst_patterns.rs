//! The analyst's pages on where and when crime gathers and how well it can be foreseen
//! (issue 12): the density map, the Gi* map with each cell's class over the months, the near
//! repeat (Knox) table, the backtest of the prediction models, and the patrol list. Each reads
//! the 12 months to the month chosen, of the area chosen, and optionally one police.uk
//! category; the figures are those of `peel hotspots`, `peel near-repeat`, `peel backtest`
//! and `peel patrols` over the same crimes.
//!
//! Decisions:
//! - Cells are 250 m throughout, so that a force's map stays a few tens of thousands of
//!   squares (density at 100 m is for the CLI and its GeoJSON, which QGIS draws better).
//! - The study area is the cells inside the area's LSOA boundaries and those of its crimes (as
//!   the CLI; `peel_analytics::boundary`), else the cells of its postcodes; the maps draw the
//!   LSOA boundaries over the cells.
//! - Near repeats and the patrol list need days and hours, which police.uk does not give: for
//!   a force held only as police.uk data the page says so rather than guessing. The backtest
//!   runs on either (police.uk crimes dated the 15th of their month).
//! - Each result is kept for the loaded data, area, month and choice, as every analysis
//!   page's figures are: the permutations of the Knox test and Gi* are computed once.

use super::analyst::{analysis_page_with, blocking, select, AnalystQuery, Body, Selection};
use super::cell_map::{cell_map, Class, Drawn};
use crate::auth::User;
use crate::html::Errors;
use crate::{WebError, WebState};
use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup};
use peel_analytics::boundary::{Shape, StudyArea};
use peel_analytics::gi_star::SpotClass;
use peel_analytics::hotspot::os_grid_reference;
use peel_analytics::kde::Kernel;
use peel_analytics::near_repeat::{knox, Events, KnoxBands, KnoxTable};
use peel_analytics::patrols::{patrol_list, policing_area, PatrolCell, PatrolQuery};
use peel_analytics::predict::{backtest, month_periods, month_start, Backtest, Gathered, Model, Plan, DEFAULT_SHARES};
use peel_analytics::surface::{classify_cells, held_months, placed, surface, ClassifiedCell, Method, Placed, Surface};
use peel_analytics::{CrimeFacts, NONE};
use peel_domain::Category;
use peel_report::format::{int, num, pct, period, whole};
use std::collections::HashSet;
use std::sync::Arc;

/// Cell side of every map and list here, metres.
const CELL: f64 = 250.0;
/// Months each page reads, to the month chosen.
const MONTHS: i32 = 12;

/// The page's own choices: the category, and crimes or harm.
struct Choice {
    category: Option<Category>,
    harm: bool,
}

impl Choice {
    /// `measure`: whether the page offers harm; where it does not, the measure asked is
    /// ignored (those pages count crimes), so no heading can say "harm" over counts.
    fn parse(q: &AnalystQuery, measure: bool) -> Result<Choice, WebError> {
        let category =
            match q.category.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => None,
                Some(c) => Some(Category::parse(c).filter(|c| c.code() != 0).ok_or_else(|| {
                    WebError::BadRequest(format!("category: '{c}' is not a police.uk crime category"))
                })?),
            };
        let harm = match q.measure.as_deref().map(str::trim) {
            _ if !measure => false,
            None | Some("") | Some("crime") => false,
            Some("harm") => true,
            Some(other) => return Err(WebError::BadRequest(format!("measure: '{other}' is not crime or harm"))),
        };
        Ok(Choice { category, harm })
    }

    fn key(&self) -> String {
        format!("{}:{}", self.category.map_or(0, |c| c.code()), self.harm)
    }

    fn what(&self) -> String {
        let m = if self.harm { "crime harm" } else { "crimes" };
        match self.category {
            Some(c) => format!("{m} ({c})"),
            None => m.to_string(),
        }
    }

    /// The form's fields: the category, and the measure where the page offers it.
    fn fields(&self, measure: bool) -> Markup {
        let e = Errors::default();
        let mut options = vec![(String::new(), "Every crime".to_string())];
        options.extend(Category::crimes().map(|c| (c.name().to_string(), c.name().to_string())));
        let chosen = self.category.map(Category::name).unwrap_or("");
        let measures = [
            ("crime".to_string(), "Crimes".to_string(), "Each crime counts one".to_string()),
            (
                "harm".to_string(),
                "Crime harm".to_string(),
                "Each crime weighted by the Cambridge Crime Harm Index (CCHI days)".to_string(),
            ),
        ];
        html! {
            (e.select("category", "Crime type", &options, chosen))
            @if measure {
                (e.choices("radio", "measure", "Measure", &measures, &[if self.harm { "harm" } else { "crime" }]))
            }
        }
    }
}

/// The study area of the area chosen (`peel_analytics::boundary`): its LSOA boundaries on the
/// grid if the store holds the force's, else its postcodes' grid points, else none. The
/// force's are read once per load of its data and kept; the chosen area's are the force's
/// cut to its LSOAs. Boundaries or postcodes imported while the server runs are used from the
/// force's next load (new crimes or street data, or a restart): the load's stamp counts
/// crimes and LSOAs, not boundaries.
pub(crate) async fn study_area(state: &WebState, sel: &Selection) -> Result<Arc<StudyArea>, WebError> {
    /// The force's whole area as the store holds it: boundaries, or postcodes with their LSOA.
    enum Held {
        Boundaries(Vec<Shape>),
        Postcodes(Vec<(f64, f64, String)>),
    }
    let key = sel.key("study-area");
    if let Some(a) = sel.streets.memoised::<StudyArea>(&key) {
        return Ok(a);
    }
    let held = match sel.streets.memoised::<Held>("study-area") {
        Some(h) => h,
        None => {
            let (streets, force) = (sel.streets.clone(), sel.force.code);
            state
                .run(move |store, _| {
                    let boundaries = store.lsoa_boundaries(force)?;
                    let held = if boundaries.is_empty() {
                        Held::Postcodes(
                            store
                                .gazetteer()?
                                .into_iter()
                                .filter(|p| p.force == Some(force))
                                .map(|p| (p.easting as f64, p.northing as f64, p.lsoa_code))
                                .collect(),
                        )
                    } else {
                        let bng = peel_domain::bng::BritishNationalGrid::new();
                        Held::Boundaries(boundaries.iter().map(|b| b.shape(&bng)).collect())
                    };
                    Ok(streets.memo("study-area", || held))
                })
                .await?
        }
    };
    let inside: Option<HashSet<&str>> =
        sel.area.as_ref().map(|_| sel.data.geo.lsoas.iter().filter(|l| l.in_force).map(|l| l.code.as_str()).collect());
    let chosen = |code: &str| inside.as_ref().is_none_or(|i| i.contains(code));
    // An area none of whose LSOAs (or postcodes) is held is its crimes' cells alone.
    let area = match &*held {
        Held::Boundaries(shapes) => {
            StudyArea::of_boundaries(shapes.iter().filter(|s| chosen(&s.code)).cloned().collect())
        }
        Held::Postcodes(points) => {
            StudyArea::of_postcodes(points.iter().filter(|p| chosen(&p.2)).map(|p| (p.0, p.1)).collect())
        }
    };
    Ok(sel.streets.memo(&key, || area))
}

/// The LSOA boundaries of the study area, to draw on a map (none without boundaries).
pub(crate) fn outlines(area: &StudyArea) -> &[Shape] {
    match area {
        StudyArea::Boundaries(shapes) => shapes,
        _ => &[],
    }
}

/// The force's own crimes of `from` to the month chosen, in the area chosen; empty for a
/// force held as police.uk data only.
async fn own_crimes(
    state: &WebState,
    sel: &Selection,
    from: peel_domain::YearMonth,
) -> Result<Arc<CrimeFacts>, WebError> {
    let key = sel.key(&format!("facts-from-{from}"));
    if let Some(f) = sel.streets.memoised::<CrimeFacts>(&key) {
        return Ok(f);
    }
    let (streets, force, to) = (sel.streets.clone(), sel.force.code, sel.month);
    // The area's LSOAs: a scoped geography keeps every LSOA and marks the area's in the force.
    let inside: Option<HashSet<String>> =
        sel.area.as_ref().map(|_| sel.data.geo.lsoas.iter().filter(|l| l.in_force).map(|l| l.code.clone()).collect());
    state
        .run(move |store, _| {
            let facts = store.load_crime_facts(force, from, to)?;
            let facts = match inside {
                None => facts,
                Some(inside) => facts.only(|i| {
                    facts.lsoa[i] != NONE && facts.lsoas.name(facts.lsoa[i]).is_some_and(|c| inside.contains(c))
                }),
            };
            Ok(streets.memo(&key, || facts))
        })
        .await
}

/// The area's placed crimes of the 12 months (peel-analytics `surface::placed`); the months
/// held are the force's, so that a month without crime in a small area is a month held.
fn street_points(sel: &Selection, choice: &Choice) -> Placed {
    let from = sel.month.plus(-(MONTHS - 1));
    let span = (from.index(), MONTHS as usize);
    let category = choice.category.map(Category::code);
    let mut p = placed(&sel.data.cols, &sel.data.geo, span, category, choice.harm);
    p.held = held_months(&sel.streets.whole.cols, span.0, span.1);
    p
}

/// "the 12 months" or "the 9 of the 12 months held".
fn months_held(held: &[bool]) -> String {
    let n = held.iter().filter(|h| **h).count();
    if n == held.len() {
        format!("the {n} months")
    } else {
        format!("the {n} of the {} months held (a month without records is no data)", held.len())
    }
}

fn span(sel: &Selection) -> String {
    period(sel.month.plus(-(MONTHS - 1)), sel.month)
}

fn grid_ref(e: f64, n: f64) -> String {
    os_grid_reference(e, n).unwrap_or_else(|| "n/a".into())
}

// ---- Density ----

/// Rank classes of the density map, as the hotspot map's: top 1%, next 4%, 5%, 15%, the rest.
const RANK_SHARES: [f64; 5] = [0.01, 0.05, 0.10, 0.25, 1.0];
const RANK_NAMES: [&str; 5] = ["Top 1% of cells", "Next 4%", "Next 5%", "Next 15%", "Other cells"];
const RANK_COLOURS: [&str; 5] = ["#7f0000", "#c0392b", "#e3643b", "#f59e62", "#fdd9a8"];

/// A map page over the area's crimes of the 12 months (density, Gi* classes): `compute`
/// from the placed crimes and the study area, kept per choice; `show` draws it.
async fn map_page<T: Send + Sync + 'static>(
    (state, user, q): (WebState, User, AnalystQuery),
    (path, title, measure): (&'static str, &'static str, bool),
    compute: fn(&Placed, &StudyArea) -> T,
    show: fn(&Selection, &Choice, &T, &StudyArea) -> (Body, Markup),
) -> Result<Response, WebError> {
    let choice = Choice::parse(&q, measure)?;
    let sel = select(&state, &q).await?;
    let area = study_area(&state, &sel).await?;
    let (s, key) = (sel.clone(), sel.key(&format!("{path}-{}", choice.key())));
    let fields = choice.fields(measure);
    let body = blocking(move || {
        let result = s.streets.memo(&key, || compute(&street_points(&s, &choice), &area));
        Ok(show(&s, &choice, &result, &area))
    })
    .await?;
    Ok(analysis_page_with(&user, &sel, path, title, fields, body))
}

pub async fn density(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<AnalystQuery>,
) -> Result<Response, WebError> {
    let kde = |p: &Placed, area: &StudyArea| {
        let method = Method::Kde { kernel: Kernel::Quartic, bandwidth: None };
        (surface(&p.x, &p.y, &p.w, area, CELL, method), p.unplaced, months_held(&p.held))
    };
    map_page((state, user, q), ("/analyst/density", "Density map", true), kde, |s, choice, r, area| {
        density_body(s, choice, &r.0, (r.1, &r.2), area)
    })
    .await
}

fn density_body(
    sel: &Selection,
    choice: &Choice,
    s: &Result<Surface, String>,
    (unplaced, held): (u64, &str),
    area: &StudyArea,
) -> (Body, Markup) {
    let mut body = Body::default();
    let heading = body.h2("map", format!("Density of {} per km², {}", choice.what(), span(sel)));
    let s = match s {
        Ok(s) => s,
        Err(e) => return (body, html! { (heading) p { "No density map for " (sel.whose()) ": " (e) "." } }),
    };
    let n = s.cells.len();
    let bounds: Vec<usize> = RANK_SHARES.iter().map(|f| (n as f64 * f - 1e-9).ceil() as usize).collect();
    let class_of = |rank: usize| bounds.iter().position(|&b| rank < b).unwrap_or(RANK_SHARES.len() - 1);
    let mut ranges: Vec<Option<(f64, f64)>> = vec![None; RANK_SHARES.len()];
    let drawn: Vec<Drawn> = s
        .cells
        .iter()
        .enumerate()
        .map(|(rank, c)| {
            let k = class_of(rank);
            ranges[k] = Some(ranges[k].map_or((c.value, c.value), |(lo, hi)| (lo.min(c.value), hi.max(c.value))));
            Drawn { col: c.col, row: c.row, class: Some(k) }
        })
        .collect();
    let classes: Vec<Class> = (0..RANK_SHARES.len())
        .map(|k| Class {
            colour: RANK_COLOURS[k],
            label: match ranges[k] {
                Some((lo, hi)) => format!("{}: {} to {} per km²", RANK_NAMES[k], num(lo, 1), num(hi, 1)),
                None => format!("{}: none", RANK_NAMES[k]),
            },
        })
        .collect();
    let bandwidth = s.bandwidth.unwrap_or(0.0);
    let title = format!("Density map: {} per km², {}, {}", choice.what(), sel.name(), span(sel));
    let desc = format!(
        "{} cells of 250 m with any density, in five classes by rank; quartic kernel, bandwidth {} m. The \
         ten densest cells are listed in the table after the map.",
        int(n as u64),
        whole(bandwidth)
    );
    let (svg, outside) =
        cell_map(&drawn, (CELL, outlines(area)), &classes, &format!("{} per km²", choice.what()), &title, &desc);
    let markup = html! {
        (heading)
        p {
            "The density at the centre of each 250 m cell from the crimes of " (held) ": every crime spreads over \
             the cells within "
            (whole(bandwidth)) " m of it by the quartic kernel (the bandwidth by the normal reference rule), so a \
             cell among many crimes is dense even if none fell in it. Cells are coloured by rank. The study area is "
            (area.describe())
            "."
        }
        figure class="map" {
            (svg)
            figcaption {
                (int(s.events as u64)) " crimes placed; " (int(unplaced)) " without a location are not in the map"
                @if outside > 0 { "; " (int(outside as u64)) " outlying cells are off the map" }
                "."
            }
        }
        (body.h2("densest", "The ten densest cells"))
        div class="table-wrap" {
            table {
                caption { "The 250 m cells of highest density: OS grid reference of the cell's centre, density and the crimes in the cell" }
                thead { tr {
                    th scope="col" class="num" { "Rank" }
                    th scope="col" { "Cell (OS grid reference)" }
                    th scope="col" class="num" { "Per km²" }
                    th scope="col" class="num" { (if choice.harm { "Harm in the cell (CCHI days)" } else { "Crimes in the cell" }) }
                } }
                tbody {
                    @for (rank, c) in s.cells.iter().take(10).enumerate() {
                        tr {
                            td class="num" { (rank + 1) }
                            th scope="row" { (grid_ref(c.easting, c.northing)) }
                            td class="num" { (num(c.value, 1)) }
                            td class="num" { (whole(c.count)) }
                        }
                    }
                }
            }
        }
    };
    (body, markup)
}

// ---- Gi* classes ----

/// The classes drawn, in the legend's order, with their colours: hot in reds, cold in blues,
/// darker the more persistent. "No pattern" is not drawn.
const SPOT_CLASSES: [(SpotClass, &str); 9] = [
    (SpotClass::PersistentHotspot, "#7f0000"),
    (SpotClass::EmergingHotspot, "#d7301f"),
    (SpotClass::IntermittentHotspot, "#fc8d59"),
    (SpotClass::FormerHotspot, "#fdcc8a"),
    (SpotClass::MixedHotColdspot, "#756bb1"),
    (SpotClass::FormerColdspot, "#c6dbef"),
    (SpotClass::IntermittentColdspot, "#6baed6"),
    (SpotClass::EmergingColdspot, "#2171b5"),
    (SpotClass::PersistentColdspot, "#08306b"),
];

pub async fn gi_star(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<AnalystQuery>,
) -> Result<Response, WebError> {
    // Months without records are left out: a missing month is not a month without hotspots.
    let classes = |p: &Placed, area: &StudyArea| {
        let rank: Vec<usize> = p
            .held
            .iter()
            .scan(0, |n, h| {
                *n += usize::from(*h);
                Some(n.saturating_sub(1))
            })
            .collect();
        let periods = p.held.iter().filter(|h| **h).count();
        let period: Vec<usize> = p.month.iter().map(|m| rank[*m]).collect();
        (classify_cells(&p.x, &p.y, &period, periods, area, CELL, 1.5), months_held(&p.held))
    };
    map_page((state, user, q), ("/analyst/gi-star", "Hotspot classes (Gi*)", false), classes, |s, choice, r, area| {
        gi_star_body(s, choice, &r.0, &r.1, area)
    })
    .await
}

fn gi_star_body(
    sel: &Selection,
    choice: &Choice,
    classed: &Result<Vec<ClassifiedCell>, String>,
    held: &str,
    area: &StudyArea,
) -> (Body, Markup) {
    let mut body = Body::default();
    let heading = body.h2("map", format!("Hotspot classes of {}, month by month, {}", choice.what(), span(sel)));
    let cells = match classed {
        Ok(c) => c,
        Err(e) => return (body, html! { (heading) p { "No classes for " (sel.whose()) ": " (e) "." } }),
    };
    let drawn: Vec<Drawn> = cells
        .iter()
        .map(|c| Drawn { col: c.col, row: c.row, class: SPOT_CLASSES.iter().position(|(k, _)| *k == c.class) })
        .collect();
    let tally = |k: SpotClass| {
        let of: Vec<&ClassifiedCell> = cells.iter().filter(|c| c.class == k).collect();
        (of.len(), of.iter().map(|c| c.count).sum::<f64>())
    };
    let classes: Vec<Class> = SPOT_CLASSES
        .iter()
        .map(|(k, colour)| Class {
            colour,
            label: format!("{} ({} cells)", capital(k.label()), int(tally(*k).0 as u64)),
        })
        .collect();
    let title = format!("Hotspot classes: {}, {}, {}", choice.what(), sel.name(), span(sel));
    let desc = "Each 250 m cell with a pattern coloured by its class over the 12 months by Getis-Ord Gi*; cells with \
                no pattern are not drawn. The classes and their cells are counted in the table after the map."
        .to_string();
    let (svg, outside) = cell_map(&drawn, (CELL, outlines(area)), &classes, "Class over the 12 months", &title, &desc);
    let total: f64 = cells.iter().map(|c| c.count).sum();
    let listed: Vec<&ClassifiedCell> = cells.iter().filter(|c| c.class != SpotClass::NoPattern).take(10).collect();
    let markup = html! {
        (heading)
        p {
            "In each of " (held) ", every 250 m cell of the study area is tested by Getis-Ord Gi* (the cell and \
             the eight around it against the whole area; two-sided p under 0.05). A cell's class says how its \
             significant months fall, as the R package sfhotspot defines them (the recent months are the last \
             20% of them, at least one): persistent, significant in at least 80% of the months; emerging, in at \
             least one recent month but under 10% of the earlier ones; former, in at least 10% of the earlier \
             months but under 10% of the recent ones; intermittent, in at least 10% of the months otherwise. A \
             cell with both a hot and a cold class is mixed; one significant too seldom has no pattern."
        }
        figure class="map" {
            (svg)
            @if outside > 0 { figcaption { (int(outside as u64)) " outlying cells are off the map." } }
        }
        (body.h2("classes", "Cells and crimes by class"))
        div class="table-wrap" {
            table {
                caption { "How many of the area's cells fall in each class, and their share of the " (choice.what()) }
                thead { tr {
                    th scope="col" { "Class" }
                    th scope="col" class="num" { "Cells" }
                    th scope="col" class="num" { "Crimes" }
                    th scope="col" class="num" { "Share of crimes" }
                } }
                tbody {
                    @for (k, _) in SPOT_CLASSES.iter().chain([(SpotClass::NoPattern, "")].iter()) {
                        @let (n, sum) = tally(*k);
                        tr {
                            th scope="row" { (capital(k.label())) }
                            td class="num" { (int(n as u64)) }
                            td class="num" { (whole(sum)) }
                            td class="num" { (if total > 0.0 { pct(sum / total) } else { "n/a".into() }) }
                        }
                    }
                }
            }
        }
        (body.h2("cells", "Leading cells"))
        @if listed.is_empty() {
            p { "No cell of " (sel.whose()) " shows a pattern over the 12 months." }
        } @else {
            div class="table-wrap" {
                table {
                    caption { "The first ten cells with a pattern, persistent hotspots first, then by crimes" }
                    thead { tr {
                        th scope="col" { "Cell (OS grid reference)" }
                        th scope="col" { "Class" }
                        th scope="col" class="num" { "Crimes" }
                    } }
                    tbody {
                        @for c in &listed {
                            tr {
                                th scope="row" { (grid_ref(c.easting, c.northing)) }
                                td { (capital(c.class.label())) }
                                td class="num" { (whole(c.count)) }
                            }
                        }
                    }
                }
            }
        }
    };
    (body, markup)
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// For a force held only as police.uk data: why a page needing days or hours has no figures.
fn months_only(sel: &Selection, heading: Markup, needs: &str) -> Markup {
    html! {
        (heading)
        p {
            "The store holds no crimes of " (sel.force.name) "'s own for " (span(sel)) ", only police.uk data, which \
             gives each crime's month and a snapped point but not its day or hour. " (needs) " so it runs on the \
             force's own crimes: those recorded in Peel, or brought from a previous system with peel import crimes."
        }
    }
}

// ---- Near repeats ----

/// The store's areas: the force's NPUs and Impact Areas, and local authorities' names by code.
struct Places {
    map: peel_domain::force_area::AreaMap,
    la_names: std::collections::HashMap<String, String>,
}

impl Places {
    fn none() -> Places {
        let map = peel_domain::force_area::AreaMap::new(Vec::new(), Default::default());
        Places { map, la_names: Default::default() }
    }
}

/// What a page over the force's own crimes of the 12 months is (near repeats, the patrol
/// list): they need days or hours, so a force held as police.uk data only is told why not.
struct OwnCrimesPage {
    path: &'static str,
    title: &'static str,
    /// Its first heading's id and words (before "of crimes, 12 months").
    id: &'static str,
    heading: &'static str,
    /// Why police.uk data will not do, as the start of a sentence.
    needs: &'static str,
    /// Whether the page offers harm as well as crimes.
    measure: bool,
    /// Whether it groups crimes by the force's areas (NPUs, local authorities).
    areas: bool,
}

/// `compute` is given the store's areas (the force's NPUs, and local authorities' names)
/// when the page says it groups by them (`areas`), else none.
async fn own_crimes_page<T: Send + Sync + 'static>(
    state: WebState,
    user: User,
    q: AnalystQuery,
    page: OwnCrimesPage,
    compute: fn(&CrimeFacts, &Choice, &Places) -> T,
    show: fn(&Selection, &Choice, Body, Markup, &T) -> (Body, Markup),
) -> Result<Response, WebError> {
    let choice = Choice::parse(&q, page.measure)?;
    let sel = select(&state, &q).await?;
    let facts = own_crimes(&state, &sel, sel.month.plus(-(MONTHS - 1))).await?;
    let (s, key) = (sel.clone(), sel.key(&format!("{}-{}", page.path, choice.key())));
    // The areas (a read of the gazetteer) only for a page that groups by them and has not
    // its answer kept already.
    let places = if page.areas && sel.streets.memoised::<T>(&key).is_none() {
        state
            .run(|store, _| {
                let la_names = store.local_authority_names()?.into_iter().collect();
                Ok(Places { map: store.area_map()?, la_names })
            })
            .await?
    } else {
        Places::none()
    };
    let fields = choice.fields(page.measure);
    let body = blocking(move || {
        let mut body = Body::default();
        let heading = body.h2(page.id, format!("{} {}, {}", page.heading, choice.what(), span(&s)));
        if facts.is_empty() {
            return Ok((body, months_only(&s, heading, page.needs)));
        }
        let result = s.streets.memo(&key, || compute(&facts, &choice, &places));
        Ok(show(&s, &choice, body, heading, &result))
    })
    .await?;
    Ok(analysis_page_with(&user, &sel, page.path, page.title, fields, body))
}

/// The most crimes the page tests: 999 shuffles of that many crimes' close pairs take a few
/// seconds of one core (the demo force's 21,000 burglaries of a year: 1.4 s); a year of every
/// crime of a large force takes minutes, which a page should not hold a server thread for.
const PAGE_KNOX_EVENTS: usize = 60_000;

pub async fn near_repeat(
    State(state): State<WebState>,
    user: User,
    Query(mut q): Query<AnalystQuery>,
) -> Result<Response, WebError> {
    // Near repeats are burglary's pattern first (Ratcliffe's calculator was made for it), and
    // a year of every crime is too many for a page: burglary unless a choice is made ("" for
    // every crime).
    if q.category.is_none() {
        q.category = Some(Category::Burglary.name().to_string());
    }
    let page = OwnCrimesPage {
        path: "/analyst/near-repeat",
        title: "Near repeats",
        id: "table",
        heading: "Near repeats of",
        needs: "The near repeat test compares crimes days apart,",
        measure: false,
        areas: false,
    };
    own_crimes_page(
        state,
        user,
        q,
        page,
        |f, c, _| knox_of(f, c),
        |s, _, body, heading, t| knox_body(s, body, heading, t),
    )
    .await
}

/// The Knox test with Ratcliffe's calculator's bands: 200 m × 5 and 7 days × 4, 999 shuffles.
fn knox_of(facts: &CrimeFacts, choice: &Choice) -> Result<KnoxTable, String> {
    let g = Gathered::from_facts(facts, |i| choice.category.is_none_or(|c| c.code() == facts.category[i]));
    if g.x.len() > PAGE_KNOX_EVENTS {
        return Err(format!(
            "{} crimes with a place are more than this page tests ({}): choose a crime type, or run the test from \
             the command line (peel near-repeat)",
            int(g.x.len() as u64),
            int(PAGE_KNOX_EVENTS as u64)
        ));
    }
    let bands = KnoxBands { metres: 200.0, distance_bands: 5, days: 7, day_bands: 4 };
    knox(Events { x: &g.x, y: &g.y, day: &g.day }, bands, 999, 1).map_err(|e| e.to_string())
}

fn knox_body(sel: &Selection, mut body: Body, heading: Markup, t: &Result<KnoxTable, String>) -> (Body, Markup) {
    let t = match t {
        Ok(t) => t,
        Err(e) => return (body, html! { (heading) p { "No near repeat test for " (sel.whose()) ": " (e) "." } }),
    };
    let explain = body.h2("reading", "Reading the table");
    let markup = html! {
        (heading)
        p {
            "Every pair of the " (int(t.events as u64)) " crimes with a place, by how far apart they are (down) and \
             how many days apart they were recorded (across). Each cell gives the pairs observed ÷ the pairs \
             expected if the same places had their days shuffled (" (int(t.permutations as u64)) " shuffles, as \
             Ratcliffe's Near Repeat Calculator), and the p-value. A ratio above 1 with p at most 0.05 (marked ▲) \
             means crime near a crime follows it within those days more than chance gives."
        }
        div class="table-wrap" {
            table class="knox" {
                caption { "Observed ÷ expected pairs (p-value) by distance and time apart" }
                thead { tr {
                    th scope="col" { "Distance" }
                    @for b in &t.day_bands { th scope="col" class="num" { (b.label) } }
                } }
                tbody {
                    @for (row, band) in t.distance_bands.iter().enumerate() {
                        tr {
                            th scope="row" { (band.label) }
                            @for cell in &t.cells[row] {
                                @let strong = cell.ratio.is_some_and(|r| r > 1.0) && cell.p_value <= 0.05;
                                td class="num" {
                                    @if strong { strong { "▲ " (ratio(cell.ratio)) } } @else { (ratio(cell.ratio)) }
                                    " (p " (num(cell.p_value, 3)) ")"
                                    br;
                                    span class="hint" { (int(cell.observed)) " observed, " (num(cell.expected, 1)) " expected" }
                                }
                            }
                        }
                    }
                }
            }
        }
        (explain)
        p {
            "Distances are between the crimes' grid points (Peel's own crimes keep the place recorded, to the metre \
             of the postcode or grid reference given); days are between the days recorded. "
            (int(t.close_pairs)) " of " (int(t.pairs)) " pairs are within the last distance band. The p-value is the \
             share of shuffles giving at least the observed count (the first shuffle is the observed itself, so the \
             smallest p is " (num(1.0 / (t.permutations as f64 + 1.0), 3)) ")."
        }
    };
    (body, markup)
}

fn ratio(r: Option<f64>) -> String {
    r.map(|r| num(r, 2)).unwrap_or_else(|| "n/a".into())
}

// ---- Backtest ----

pub async fn backtest_page(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<AnalystQuery>,
) -> Result<Response, WebError> {
    let choice = Choice::parse(&q, false)?;
    let sel = select(&state, &q).await?;
    // Twelve months predicted, each from up to twelve before it.
    let facts = own_crimes(&state, &sel, sel.month.plus(-(2 * MONTHS - 1))).await?;
    let area = study_area(&state, &sel).await?;
    let (s, key) = (sel.clone(), sel.key(&format!("backtest-{}", choice.key())));
    let fields = choice.fields(false);
    let body = blocking(move || {
        let result = s.streets.memo(&key, || {
            let category = choice.category.map(Category::code);
            let g = if facts.is_empty() {
                let span = (s.month.plus(-(2 * MONTHS - 1)).index(), 2 * MONTHS as usize);
                Gathered::from_placed(placed(&s.data.cols, &s.data.geo, span, category, false), span.0)
            } else {
                Gathered::from_facts(&facts, |i| category.is_none_or(|c| c == facts.category[i]))
            };
            let first = s.month.plus(-(MONTHS - 1)).index();
            let models = [
                Model::Count,
                Model::Kde { kernel: Kernel::Quartic, bandwidth: None },
                Model::ProMap {
                    metres: peel_analytics::predict::PROMAP_METRES,
                    weeks: peel_analytics::predict::PROMAP_WEEKS,
                },
            ];
            let periods = month_periods(first, s.month.index());
            let plan = Plan {
                cell: CELL,
                periods: &periods,
                models: &models,
                history_days: 365,
                shares: &DEFAULT_SHARES,
                held_from: month_start(s.first_month().index()),
            };
            (backtest(g.events(), &area, &plan), g.months_only)
        });
        Ok(backtest_body(&s, &choice, &result.0, result.1))
    })
    .await?;
    Ok(analysis_page_with(&user, &sel, "/analyst/backtest", "Prediction backtest", fields, body))
}

fn model_name(m: &Model) -> &'static str {
    match m {
        Model::Count => "Last 12 months' counts",
        Model::Kde { .. } => "Kernel density of the last 12 months",
        Model::ProMap { .. } => "ProMap (prospective, 400 m, 8 weeks)",
    }
}

fn backtest_body(sel: &Selection, choice: &Choice, t: &Result<Backtest, String>, months_only: bool) -> (Body, Markup) {
    let mut body = Body::default();
    let heading = body.h2("summary", format!("How well each model foretold {}, {}", choice.what(), span(sel)));
    let t = match t {
        Ok(t) => t,
        Err(e) => return (body, html! { (heading) p { "No backtest for " (sel.whose()) ": " (e) "." } }),
    };
    let rate = |v: Option<f64>| v.map(pct).unwrap_or_else(|| "no data".into());
    let pai = |v: Option<f64>| v.map(|v| num(v, 2)).unwrap_or_else(|| "no data".into());
    let monthly = body.h2("months", "Month by month");
    let markup = html! {
        (heading)
        p {
            "Each month is predicted from the crimes before it only (the counts and kernel density from the 365 \
             days before it, ProMap from the 8 weeks before it). The cells each model scores highest are \
             flagged, 1%, 5% or 10% of the area's " (int(t.area_cells as u64)) " cells of 250 m; the hit rate is the \
             share of the month's crimes that fell in flagged cells, and the predictive accuracy index (PAI) the hit \
             rate ÷ the share of area flagged: 1 is no better than chance, higher is better."
            @if months_only {
                " police.uk gives months, not days: each crime is dated the 15th of its month, so ProMap's weeks \
                 are coarse here."
            }
        }
        div class="table-wrap" {
            table {
                caption { "Mean hit rate and PAI over the months predicted, by model and share of area flagged" }
                thead { tr {
                    th scope="col" { "Model" }
                    @for s in DEFAULT_SHARES {
                        th scope="col" class="num" { "Hit rate at " (pct(s)) }
                        th scope="col" class="num" { "PAI at " (pct(s)) }
                    }
                } }
                tbody {
                    @for m in &t.models {
                        tr {
                            th scope="row" { (model_name(&m.model)) }
                            @for s in &m.mean {
                                td class="num" { (rate(s.hit_rate)) }
                                td class="num" { (pai(s.pai)) }
                            }
                        }
                    }
                }
            }
        }
        (monthly)
        div class="table-wrap" {
            table {
                caption {
                    "Hit rate with 5% of the area flagged, month by month; a month without crime is no data; † the \
                     model's history reaches before the data held, so the month is not in the means"
                }
                thead { tr {
                    th scope="col" { "Month" }
                    th scope="col" class="num" { "Crimes" }
                    @for m in &t.models { th scope="col" class="num" { (model_name(&m.model)) } }
                } }
                tbody {
                    @for (k, p) in t.models[0].periods.iter().enumerate() {
                        tr {
                            th scope="row" { (p.label) }
                            td class="num" { (if p.events == 0 { "no data".to_string() } else { int(p.events as u64) }) }
                            @for m in &t.models {
                                td class="num" {
                                    (rate(m.periods[k].scores[1].hit_rate))
                                    @if !m.periods[k].full_history && p.events > 0 { " †" }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    (body, markup)
}

// ---- Patrols ----

pub async fn patrols(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<AnalystQuery>,
) -> Result<Response, WebError> {
    let page = OwnCrimesPage {
        path: "/analyst/patrols",
        title: "Patrol list",
        id: "list",
        heading: "Patrol list by",
        needs: "The patrol list finds the hours of the week that hold most crime,",
        measure: true,
        areas: true,
    };
    let list = |facts: &CrimeFacts, choice: &Choice, places: &Places| {
        let keep = |i: usize| choice.category.is_none_or(|c| c.code() == facts.category[i]);
        let area_of = policing_area(facts, &places.map, &places.la_names);
        let q = PatrolQuery {
            keep: &keep,
            harm: choice.harm,
            cell: CELL,
            cells_per_area: 5,
            windows: 3,
            area_of: &area_of,
        };
        patrol_list(facts, &q)
    };
    own_crimes_page(state, user, q, page, list, |s, choice, body, heading, list: &Vec<PatrolCell>| {
        (body, patrols_body(s, choice, heading, list))
    })
    .await
}

fn patrols_body(sel: &Selection, choice: &Choice, heading: Markup, list: &[PatrolCell]) -> Markup {
    let mut areas: Vec<&str> = list.iter().map(|c| c.area.as_str()).collect();
    areas.dedup();
    html! {
        (heading)
        p {
            "In each neighbourhood policing unit (each local authority where the force defines no units), the \
             five 250 m cells holding most " (choice.what()) " over the 12 months, and \
             for each the three hours of the week (an hour each, as Targeted Guardian Patrols of at most an hour, \
             seed 004 §27) that held most of it, by the time the crimes were recorded."
        }
        @if list.is_empty() {
            p { "No crime of " (sel.whose()) " in these months has a place." }
        }
        @for area in &areas {
            h3 { (area) }
            div class="table-wrap" {
                table {
                    caption { "Patrol cells in " (area) ", with their busiest hours" }
                    thead { tr {
                        th scope="col" class="num" { "Rank" }
                        th scope="col" { "Cell (OS grid reference)" }
                        th scope="col" class="num" { "Crimes" }
                        @if choice.harm { th scope="col" class="num" { "Harm (CCHI days)" } }
                        th scope="col" { "Busiest hours (share of the cell's)" }
                    } }
                    tbody {
                        @for c in list.iter().filter(|c| c.area == *area) {
                            tr {
                                td class="num" { (c.rank) }
                                th scope="row" { (grid_ref(c.easting, c.northing)) }
                                td class="num" { (int(c.crimes)) }
                                @if choice.harm { td class="num" { (whole(c.value)) } }
                                td {
                                    @for (k, w) in c.windows.iter().enumerate() {
                                        @if k > 0 { "; " }
                                        (w.label) " (" (pct(w.share)) ")"
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

// ---- Hour × weekday ----

/// Shading of the hour × weekday table: the hours of the week in five classes by rank (as the
/// maps), from the busiest 5% to the quietest half; the count is written in every cell, so the
/// colour only helps the eye.
const HOUR_SHARES: [f64; 5] = [0.05, 0.15, 0.30, 0.50, 1.0];
const HOUR_CLASSES: [&str; 5] = ["hour-1", "hour-2", "hour-3", "hour-4", "hour-5"];
const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

pub async fn hours(
    State(state): State<WebState>,
    user: User,
    Query(q): Query<AnalystQuery>,
) -> Result<Response, WebError> {
    let page = OwnCrimesPage {
        path: "/analyst/hours",
        title: "Hour and weekday",
        id: "table",
        heading: "Hour and weekday of",
        needs: "The hour and weekday table counts crimes by the time they were recorded,",
        measure: false,
        areas: false,
    };
    let table = |facts: &CrimeFacts, choice: &Choice, _: &Places| {
        let months = facts.month.iter().copied().min().unwrap_or(0)..=facts.month.iter().copied().max().unwrap_or(0);
        peel_analytics::own::hour_by_weekday(facts, months, choice.category.map(Category::code))
    };
    own_crimes_page(state, user, q, page, table, |s, choice, body, heading, t: &[[u64; 24]; 7]| {
        (body, hours_body(s, choice, heading, t))
    })
    .await
}

fn hours_body(sel: &Selection, choice: &Choice, heading: Markup, t: &[[u64; 24]; 7]) -> Markup {
    let total: u64 = t.iter().flatten().sum();
    // Each hour's class by its rank among the 168 (ties share the better class).
    let mut sorted: Vec<u64> = t.iter().flatten().copied().collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let thresholds: Vec<u64> =
        HOUR_SHARES.iter().map(|f| sorted[((168.0 * f).ceil() as usize).clamp(1, 168) - 1]).collect();
    // An hour without crime is the quietest class, however few hours have any.
    let class =
        |v: u64| HOUR_CLASSES[thresholds.iter().position(|&th| v > 0 && v >= th).unwrap_or(HOUR_SHARES.len() - 1)];
    let (mut best, mut best_at) = (0, (0, 0));
    for (d, row) in t.iter().enumerate() {
        for (h, &v) in row.iter().enumerate() {
            if v > best {
                (best, best_at) = (v, (d, h));
            }
        }
    }
    let tied = t.iter().flatten().filter(|&&v| v == best).count();
    let by_hour: Vec<u64> = (0..24).map(|h| t.iter().map(|row| row[h]).sum()).collect();
    html! {
        (heading)
        p {
            "The " (choice.what()) " of " (sel.whose()) " recorded over " (span(sel)) ", by the day of the week and              the hour of the day they were recorded (local time), as seed 004 §27 asks for Targeted Guardian              Patrols: the hours that hold most crime are when a patrol is most likely to disrupt it. Darker cells              are busier hours: the busiest 5% of the week's 168 hours, then the next 10%, 15% and 20%, and the              quieter half."
        }
        @if total == 0 {
            p { "No " (choice.what()) " of " (sel.whose()) " in these months." }
        } @else {
            p {
                (int(total)) " " (choice.what()) "; the busiest hour of the week is " (WEEKDAYS[best_at.0]) " "
                (format!("{:02}:00 to {:02}:59", best_at.1, best_at.1)) " with " (int(best)) " ("
                (pct(best as f64 / total as f64)) ")"
                @if tied > 1 { "; " (tied) " hours hold that many, and the first of the week is named" }
                "."
            }
            div class="table-wrap" {
                table class="hours" {
                    caption { (capital(&choice.what())) " by weekday (rows) and hour recorded (columns), " (span(sel)) }
                    thead { tr {
                        th scope="col" { "Day" }
                        @for h in 0..24 { th scope="col" class="num" { (format!("{h:02}")) } }
                        th scope="col" class="num" { "Total" }
                    } }
                    tbody {
                        @for (d, row) in t.iter().enumerate() {
                            tr {
                                th scope="row" { (WEEKDAYS[d]) }
                                @for v in row { td class={ "num " (class(*v)) } { (int(*v)) } }
                                td class="num" { (int(row.iter().sum())) }
                            }
                        }
                        tr {
                            th scope="row" { "Every day" }
                            @for v in &by_hour { td class="num" { (int(*v)) } }
                            td class="num" { (int(total)) }
                        }
                    }
                }
            }
        }
    }
}
