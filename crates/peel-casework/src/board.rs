//! The board paper from the store: the figures of `peel_analytics::paper::board_paper` over a
//! force (or one of its neighbourhood policing units or Impact Areas), completed with what
//! only the store holds — the force's own records' sections (`peel_analytics::live`), harm by
//! NPU and the Impact Area table over the force's own areas, Victims' Code compliance, and the
//! comparison with England and Wales from the Home Office table. `peel report` and the
//! analyst's board paper page both come here, so the two papers are the same paper.

use crate::performance::compliance_by_right_and_team;
use peel_analytics::areas::{grouped_area_table, AreaGrouping};
use peel_analytics::impact::{status_table, IMPACT_AREAS};
use peel_analytics::live::{home_office_comparison, live_figures, ComplianceRow, RecordedOffences, VictimsCode};
use peel_analytics::paper::{board_paper, TREND_MONTHS};
use peel_analytics::{scope, BoardPaper, Geography, StreetColumns};
use peel_domain::date::Date;
use peel_domain::force_area::{AreaKind, AreaMap};
use peel_domain::{Force, YearMonth};
use peel_store::{CaseStore, Result, StoreError};
use std::collections::HashMap;

/// The paper's area when it is not the whole force: one of the force's own areas, or (on the
/// analyst's pages) a local authority.
#[derive(Debug, Clone)]
pub struct PaperArea {
    /// "Birmingham East NPU", "Lozells Impact Area", "Leeds".
    pub label: String,
    /// The kind of the force's own area; `None` for a local authority.
    pub kind: Option<AreaKind>,
    /// How the force's own area was drawn (its definition's source).
    pub source: Option<String>,
    /// `inside[i]`: whether `geo.lsoas[i]` of the force's geography lies in the area.
    pub inside: Vec<bool>,
}

impl PaperArea {
    /// Finds `wanted` (an NPU or Impact Area, by code or name, any case) among the store's
    /// areas. Refused, naming the areas there are, when there is no such area.
    pub fn find(map: &AreaMap, geo: &Geography, wanted: &str) -> Result<PaperArea> {
        let w = wanted.trim().to_lowercase();
        let area = map
            .areas()
            .iter()
            .find(|a| a.code.to_lowercase() == w || a.name.to_lowercase() == w)
            .ok_or_else(|| {
                let names: Vec<String> = map.areas().iter().map(|a| format!("{} ({})", a.name, a.code)).collect();
                StoreError::Refused(if names.is_empty() {
                    format!(
                        "--area: no neighbourhood policing units or Impact Areas are defined in this store, so there \
                         is no '{wanted}': import them with peel import areas"
                    )
                } else {
                    format!("--area: '{wanted}' is not an area of this store; its areas are {}", names.join(", "))
                })
            })?
            .clone();
        let grouping = AreaGrouping::of_force_areas(geo, map, area.kind);
        let index = grouping.codes.iter().position(|c| c.as_deref() == Some(area.code.as_str()));
        let inside = grouping.of_lsoa.iter().map(|a| a.is_some() && *a == index).collect();
        let label = match area.kind {
            AreaKind::Npu => format!("{} NPU", area.name),
            AreaKind::ImpactArea => format!("{} Impact Area", area.name),
        };
        Ok(PaperArea { label, kind: Some(area.kind), source: Some(area.source.clone()), inside })
    }

    /// A local authority of the force's geography.
    pub fn local_authority(geo: &Geography, name: &str) -> PaperArea {
        let inside = geo.lsoas.iter().map(|l| l.local_authority == name).collect();
        PaperArea { label: name.to_string(), kind: None, source: None, inside }
    }
}

/// The first month the live sections read: the year before the year to date, and the
/// trend's 36 months.
pub fn facts_from(month: YearMonth) -> YearMonth {
    month.financial_year().first_month().plus(-12).min(month.plus(1 - TREND_MONTHS))
}

/// What to build the paper of.
pub struct PaperRequest<'a> {
    pub force: &'static Force,
    pub month: YearMonth,
    /// The force's records from `since` (default: the trend's 36 months and 11 before them).
    pub since: Option<YearMonth>,
    /// An NPU or Impact Area (code or name) of the force's own areas; `None` for the force.
    pub area: Option<&'a str>,
    /// The forces the comparison pools as most similar; `None`: the force's default.
    pub similar: Option<Vec<&'static Force>>,
    /// The day compliance is measured on (the paper's month end, or today if earlier).
    pub today: Date,
}

/// The paper and the columns it was built from (for the sources line).
pub struct Built {
    pub paper: BoardPaper,
    pub name: String,
    pub rows: usize,
    pub area: Option<PaperArea>,
}

/// Builds the whole board paper of `request` from `store`.
pub fn build(store: &dyn CaseStore, request: &PaperRequest) -> Result<Built> {
    let mut built = build_but_victims_code(store, request)?;
    if built.paper.own_records {
        built.paper.victims_code = victims_code_section(store, request.month, request.today)?;
    }
    Ok(built)
}

/// [`build`] but for the Victims' Code section, which the caller counts with
/// [`victims_code_section`] (on another connection meanwhile, as `peel report` does).
pub fn build_but_victims_code(store: &dyn CaseStore, request: &PaperRequest) -> Result<Built> {
    let PaperRequest { force, month, .. } = *request;
    let from = request.since.unwrap_or(month.plus(-(TREND_MONTHS + 11)));
    // The force's own crimes are read once, for the figures and for the live sections.
    let (cols, geo, facts) = match store.load_own_records(force.code, from, month)? {
        // A `--since` later than the live sections reach leaves them to read their own.
        Some((facts, cols, geo)) => (cols, geo, (from <= facts_from(month)).then_some(facts)),
        None => {
            let (cols, geo) = store.load_street_between(force.code, from, month)?;
            (cols, geo, None)
        }
    };
    build_from(store, request, (cols, geo), facts.as_ref())
}

/// The board paper of `request` from the force's street columns and geography already read
/// (from the paper's first month, `since` or the trend's, to its month) and its own crimes
/// (`facts`, from [`facts_from`]; read here if `None`): everything but the Victims' Code
/// section, which [`victims_code_section`] counts (a server does so on another connection
/// meanwhile).
pub fn build_from(
    store: &dyn CaseStore,
    request: &PaperRequest,
    (cols, geo): (StreetColumns, Geography),
    facts: Option<&peel_analytics::CrimeFacts>,
) -> Result<Built> {
    let PaperRequest { force, month, .. } = *request;
    let map = store.area_map()?;
    let area = request.area.map(|a| PaperArea::find(&map, &geo, a)).transpose()?;
    let (cols, geo) = match &area {
        Some(a) => scope::lsoas(&cols, &geo, &a.inside),
        None => (cols, geo),
    };
    let name = match &area {
        Some(a) => format!("{} ({})", a.label, force.name),
        None => force.name.to_string(),
    };
    let weights = peel_domain::harm::category_weights();
    let mut paper = board_paper(&name, &cols, &geo, month, &weights);
    complete(store, &mut paper, request, &cols, &geo, &map, area.as_ref(), facts)?;
    Ok(Built { paper, name, rows: cols.len(), area })
}

/// Adds the store's sections to a paper already built from `cols` and `geo` (the area's, when
/// `area` is given), all but the Victims' Code's ([`victims_code_section`]). `facts`: the force's own crimes if the caller has read them (at least
/// the trend's 36 months and the year before the year to date), else read here.
#[allow(clippy::too_many_arguments)]
pub fn complete(
    store: &dyn CaseStore,
    paper: &mut BoardPaper,
    request: &PaperRequest,
    cols: &StreetColumns,
    geo: &Geography,
    map: &AreaMap,
    area: Option<&PaperArea>,
    facts: Option<&peel_analytics::CrimeFacts>,
) -> Result<()> {
    let (force, month) = (request.force, request.month);
    let weights = peel_domain::harm::category_weights();
    // England and Wales: every force's rows of the Home Office table (a few hundred each).
    let mut offences = Vec::new();
    for f in Force::territorial() {
        offences.extend(store.recorded_crime(f.code)?.into_iter().map(|r| RecordedOffences {
            force: r.force,
            financial_year: r.financial_year,
            quarter: r.quarter,
            offence_code: r.offence_code,
            offences: r.offences,
        }));
    }
    let population: HashMap<u16, u64> = store.force_populations()?.into_iter().collect();
    let similar: Vec<u16> =
        request.similar.clone().unwrap_or_else(|| force.most_similar()).iter().map(|f| f.code).collect();
    paper.comparison = home_office_comparison(force.code, &offences, &population, &similar);

    if !paper.own_records {
        return Ok(());
    }
    // The year to date and the year before it, and the flags' trend months.
    let read;
    let facts = match facts {
        Some(f) => f,
        None => {
            read = store.load_crime_facts(force.code, facts_from(month), month)?;
            &read
        }
    };
    let inside_facts: Option<Vec<bool>> = area.map(|a| {
        let codes: std::collections::HashSet<&str> =
            geo.lsoas.iter().zip(&a.inside).filter(|(_, i)| **i).map(|(l, _)| l.code.as_str()).collect();
        facts.lsoas.names.iter().map(|c| codes.contains(c.as_str())).collect()
    });
    let live = live_figures(facts, month, inside_facts.as_deref());
    if live.place_unknown > 0 {
        paper.notes.push(format!(
            "{} crime(s) recorded in {} have no usable place (place unknown: no postcode the gazetteer holds, no \
             coordinates): they are in every total, and in no area, map or hotspot.",
            live.place_unknown,
            month.long_label()
        ));
    }
    paper.live = Some(live);
    if area.is_none() && map.defined(AreaKind::Npu) {
        let npus = AreaGrouping::of_force_areas(geo, map, AreaKind::Npu);
        paper.harm_by_npu = grouped_area_table(cols, geo, &npus, month.index()..=month.index(), &weights);
    }
    if area.is_none_or(|a| a.kind != Some(AreaKind::ImpactArea)) && map.defined(AreaKind::ImpactArea) {
        let impact = AreaGrouping::of_force_areas(geo, map, AreaKind::ImpactArea);
        paper.impact_areas = Some(status_table(cols, geo, month, &weights, &impact, IMPACT_AREAS));
    }
    Ok(())
}

/// The paper's Victims' Code section: the force's whole casework (obligations are owed by the
/// force, and a victim's entitlements do not follow the crime's place), over the crimes
/// recorded in the year to date of `month`, as it stood at the month's end (or `today`, for
/// the current month); `None` when no obligation is due. A section of its own so that a
/// server can count it on one connection while [`complete`] reads the rest on another.
pub fn victims_code_section(store: &dyn CaseStore, month: YearMonth, today: Date) -> Result<Option<VictimsCode>> {
    let ytd_from = month.financial_year().first_month();
    let first_day = Date::new(ytd_from.year, ytd_from.month, 1).map_err(|e| StoreError::Refused(e.to_string()))?;
    let month_end = Date::new(month.year, month.month, peel_domain::date::days_in_month(month.year, month.month))
        .map_err(|e| StoreError::Refused(e.to_string()))?;
    let as_of = month_end.min(today);
    let report = compliance_by_right_and_team(store, first_day, month_end, as_of)?;
    if report.by_right.is_empty() {
        return Ok(None);
    }
    let row = |name: String, c: &crate::performance::Compliance| ComplianceRow {
        name,
        due: c.due,
        met_on_time: c.met_on_time,
        rate: c.rate(),
    };
    let right_name = |n: u8| match peel_domain::victims_code::right(n) {
        Some(r) => format!("Right {n}: {}", r.title),
        None => "Five-step contact standard".to_string(),
    };
    Ok(Some(VictimsCode {
        period: format!(
            "{} to {} (the whole force), as at {}",
            first_day.long_label(),
            month_end.long_label(),
            as_of.long_label()
        ),
        overall: row("All".into(), &report.overall),
        by_right: report.by_right.iter().map(|(n, c)| row(right_name(*n), c)).collect(),
        by_team: report.by_team.iter().map(|(t, c)| row(t.clone(), c)).collect(),
    }))
}
