//! The figures of one force and month: `MonthStats` (what `peel stats` prints) and the whole
//! `BoardPaper` (what `peel report` renders). Pure: built from columns already in memory.

pub use crate::areas::AreaRow;
use crate::areas::{self, AreaLevel};
use crate::columns::{Geography, Lsoa, StreetColumns, NONE};
use crate::concentration::{self, ConcentrationCurve, GRID_CELL_HA};
use crate::counts::{self, MonthlyCounts};
use crate::impact::ImpactTable;
use crate::live::{Comparison, LiveFigures, VictimsCode};
use crate::spc::{self, Rule, XmrChart};
use crate::trend::{self, YearToDate};
use peel_domain::outcome::police_uk_outcome_group;
use peel_domain::{Category, OutcomeGroup, YearMonth};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Months of history the trend chart shows, ending at the paper's month.
pub const TREND_MONTHS: i32 = 36;
/// Months the concentration analysis pools, ending at the paper's month: one month of
/// street-level data is too sparse for hotspots, and forces map a rolling year.
pub const CONCENTRATION_MONTHS: i32 = 12;
/// The shares of geography the board paper quotes.
pub const TOP_SHARES: [f64; 4] = [0.01, 0.014, 0.05, 0.10];

/// What `peel stats --json` prints: the headline figures for one force and month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthStats {
    pub force: String,
    pub month: String,
    /// Crime rows, anti-social behaviour excluded.
    pub crimes: u64,
    pub asb: u64,
    pub by_category: BTreeMap<String, u64>,
    /// ONS 2011 usual residents of the force's LSOAs; 0 when ONS data is not imported.
    pub population: u64,
    /// Crimes per 1,000 population; null without a population.
    pub rate_per_1000: Option<f64>,
    /// CCHI days: Σ crimes × category weight.
    pub harm: f64,
    pub outcomes: BTreeMap<String, u64>,
    pub outcome_groups: BTreeMap<String, u64>,
    pub households: u64,
    /// Crimes year to date against the same months a year before.
    pub ytd: YearToDate,
}

pub fn month_stats(
    force: &str,
    cols: &StreetColumns,
    geo: &Geography,
    month: YearMonth,
    weights: &[f64; 14],
) -> MonthStats {
    let cube = MonthlyCounts::from_columns(cols);
    month_stats_from(force, cols, cube.as_ref(), geo, month, weights)
}

fn month_stats_from(
    force: &str,
    cols: &StreetColumns,
    cube: Option<&MonthlyCounts>,
    geo: &Geography,
    month: YearMonth,
    weights: &[f64; 14],
) -> MonthStats {
    let count = |c: Category| cube.map_or(0, |m| m.count(month, c));
    let crimes: u64 = Category::crimes().map(count).sum();
    let by_category = Category::crimes().map(|c| (c.name().to_string(), count(c))).collect();
    let outcomes = counts::outcomes(cols, month);
    let mut outcome_groups = BTreeMap::new();
    for (text, n) in &outcomes {
        if let Some(g) = police_uk_outcome_group(text) {
            *outcome_groups.entry(g.label().to_string()).or_insert(0) += n;
        }
    }
    let population = geo.population();
    let series = cube.map(|m| m.series(|m, ym| m.crimes(ym) as f64)).unwrap_or_default();
    MonthStats {
        force: force.to_string(),
        month: month.to_string(),
        crimes,
        asb: count(Category::AntiSocialBehaviour),
        by_category,
        population,
        rate_per_1000: trend::rate_per_1000(crimes as f64, population),
        harm: cube.map_or(0.0, |m| m.harm(month, weights)),
        outcomes,
        outcome_groups,
        households: geo.households(),
        ytd: trend::year_to_date(&series, |m| cube.is_some_and(|c| c.has_data(m)), month),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub month: YearMonth,
    pub crimes: f64,
    pub rolling_12: Option<f64>,
    pub signals: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryRow {
    pub category: Category,
    pub month: u64,
    pub harm: f64,
    pub ytd: YearToDate,
    /// Mean per month over the year-to-date months that have data.
    pub monthly_average: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeRow {
    pub group: OutcomeGroup,
    pub label: &'static str,
    pub crimes: u64,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConcentrationFigures {
    pub unit: &'static str,
    pub measure: &'static str,
    /// Share of the measure in the top 1%, 1.4%, 5%, 10% of the geography (`TOP_SHARES`).
    pub share_in_top: Vec<(f64, f64)>,
    pub area_holding_50: f64,
    pub area_holding_25: f64,
    pub units_with_value: usize,
    pub curve: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concentration {
    pub from: YearMonth,
    pub to: YearMonth,
    /// Months of the period with any published data.
    pub months_with_data: u32,
    /// How the force's total area was known: from ONS hectares, or (without ONS data) only
    /// the units that had crime — which overstates the share of area and is said so.
    pub area_basis: String,
    pub figures: Vec<ConcentrationFigures>,
}

/// Everything the board paper shows, computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardPaper {
    pub stats: MonthStats,
    pub trend: Vec<TrendPoint>,
    pub spc: Option<XmrChart>,
    pub monthly_average_ytd: Option<f64>,
    pub categories: Vec<CategoryRow>,
    pub outcome_groups: Vec<OutcomeRow>,
    pub positive_outcome_rate: Option<f64>,
    pub harm_by_local_authority: Vec<AreaRow>,
    pub concentration: Concentration,
    pub months_with_data: Vec<YearMonth>,
    pub notes: Vec<String>,
    /// Whether the figures are the force's own records (each crime's exact offence, harm and
    /// Home Office outcome) rather than police.uk's published street-level data.
    pub own_records: bool,
    /// The sections only the force's own records give; the caller adds them
    /// (`live::live_figures`), `None` for police.uk data.
    pub live: Option<LiveFigures>,
    /// Harm by the force's neighbourhood policing units, where it has defined them.
    pub harm_by_npu: Vec<AreaRow>,
    /// The Impact Area status table over the force's own Impact Areas, where defined.
    pub impact_areas: Option<ImpactTable>,
    pub victims_code: Option<VictimsCode>,
    /// Against England and Wales and the most similar forces (Home Office table).
    pub comparison: Option<Comparison>,
}

pub fn board_paper(
    force: &str,
    cols: &StreetColumns,
    geo: &Geography,
    month: YearMonth,
    weights: &[f64; 14],
) -> BoardPaper {
    let cube = MonthlyCounts::from_columns(cols);
    let stats = month_stats_from(force, cols, cube.as_ref(), geo, month, weights);
    let mut notes = Vec::new();
    let has_data = |m: YearMonth| cube.as_ref().is_some_and(|c| c.has_data(m));
    let months_with_data: Vec<YearMonth> =
        cube.iter().flat_map(|c| c.months().filter(|m| c.has_data(*m)).collect::<Vec<_>>()).collect();

    // Trend: months with data up to the paper's month. Months never published are left out
    // of the SPC chart rather than read as zero crimes, which would fake a special cause.
    let trend_months: Vec<YearMonth> =
        months_with_data.iter().copied().filter(|m| *m <= month && m.index() > month.index() - TREND_MONTHS).collect();
    let crimes_of = |m: YearMonth| cube.as_ref().map_or(0.0, |c| c.crimes(m) as f64);
    let full_series = cube.as_ref().map(|c| c.series(|c, m| c.crimes(m) as f64)).unwrap_or_default();
    let rolling: HashMap<YearMonth, Option<f64>> = trend::rolling_12(&full_series).into_iter().collect();
    let values: Vec<f64> = trend_months.iter().map(|m| crimes_of(*m)).collect();
    let spc = spc::xmr(&values);
    let trend = trend_months
        .iter()
        .enumerate()
        .map(|(i, &m)| TrendPoint {
            month: m,
            crimes: values[i],
            // A rolling year with an unpublished month in it would be an undercount.
            rolling_12: rolling.get(&m).copied().flatten().filter(|_| (0..12).all(|k| has_data(m.plus(-k)))),
            signals: spc.as_ref().map_or(vec![], |c| c.signals_at(i).map(|s| s.rule).collect()),
        })
        .collect();
    match &spc {
        None => notes.push(format!(
            "Only {} month(s) of data up to {month}: too few for SPC control limits.",
            trend_months.len()
        )),
        Some(c) if !c.enough_points => notes.push(format!(
            "SPC limits rest on {} months; at least {} are needed before they can be relied on.",
            c.points,
            spc::MIN_POINTS
        )),
        _ => {}
    }
    let ytd = &stats.ytd;
    if ytd.months_with_data < ytd.months_in_period || ytd.previous_months_with_data < ytd.months_in_period {
        notes.push(format!(
            "Year to date {} compares {} of {} months this year with {} of {} last year: months not published are missing, not zero.",
            ytd.financial_year, ytd.months_with_data, ytd.months_in_period, ytd.previous_months_with_data, ytd.months_in_period
        ));
    }
    let ytd_months: Vec<YearMonth> =
        (0..ytd.months_in_period as i32).map(|i| ytd.from.plus(i)).filter(|m| has_data(*m)).collect();
    let monthly_average_ytd = trend::monthly_average(ytd_months.iter().map(|m| crimes_of(*m)));

    let categories = Category::crimes()
        .map(|c| {
            let series = cube.as_ref().map(|m| m.series(|m, ym| m.count(ym, c) as f64)).unwrap_or_default();
            let count = |m: YearMonth| cube.as_ref().map_or(0, |x| x.count(m, c));
            CategoryRow {
                category: c,
                month: count(month),
                harm: cube.as_ref().map_or(0.0, |x| x.category_harm(month, c, weights)),
                ytd: trend::year_to_date(&series, has_data, month),
                monthly_average: trend::monthly_average(ytd_months.iter().map(|m| count(*m) as f64)),
            }
        })
        .collect();

    let total_outcomes: u64 = stats.outcome_groups.values().sum();
    let outcome_groups: Vec<OutcomeRow> = OutcomeGroup::ALL
        .iter()
        .filter_map(|&g| {
            let n = *stats.outcome_groups.get(g.label())?;
            Some(OutcomeRow { group: g, label: g.label(), crimes: n, share: n as f64 / total_outcomes as f64 })
        })
        .collect();
    let positive: u64 = outcome_groups.iter().filter(|r| r.group.is_positive()).map(|r| r.crimes).sum();
    let positive_outcome_rate = (stats.crimes > 0).then(|| positive as f64 / stats.crimes as f64);
    let own_records = !cols.harm.is_empty();
    notes.push(if own_records {
        "Outcomes are each crime's Home Office outcome as recorded so far; they change as investigations finish.".into()
    } else {
        "Outcomes are police.uk's last outcome so far for crimes recorded in the month; later months' files update them."
            .into()
    });

    let harm_by_local_authority =
        areas::area_table(cols, geo, AreaLevel::LocalAuthority, month.index()..=month.index(), weights);
    let mut concentration = concentration_figures(cols, geo, month, weights);
    concentration.months_with_data =
        months_with_data.iter().filter(|m| (concentration.from..=concentration.to).contains(m)).count() as u32;
    if cols.lsoa.contains(&NONE) {
        notes.push("Crimes published with no location are counted in totals but cannot be placed on the map.".into());
    }

    BoardPaper {
        stats,
        trend,
        spc,
        monthly_average_ytd,
        categories,
        outcome_groups,
        positive_outcome_rate,
        harm_by_local_authority,
        concentration,
        months_with_data,
        notes,
        own_records,
        live: None,
        harm_by_npu: Vec::new(),
        impact_areas: None,
        victims_code: None,
        comparison: None,
    }
}

fn concentration_figures(
    cols: &StreetColumns,
    geo: &Geography,
    month: YearMonth,
    weights: &[f64; 14],
) -> Concentration {
    let to = month.index();
    let from = to - CONCENTRATION_MONTHS + 1;
    let force_hectares = geo.hectares();
    let have_areas = force_hectares > 0.0;

    // LSOAs: area in hectares when ONS is imported, else each LSOA counts as one unit.
    let lsoa_units = counts::by_unit(cols, from..=to, weights, geo.lsoas.len(), |i| {
        let l = cols.lsoa[i];
        (l != NONE).then_some(l as usize)
    });
    let lsoa_area = |l: &Lsoa| if have_areas { l.hectares } else { 1.0 };
    let lsoa_total_area =
        if have_areas { force_hectares } else { lsoa_units.iter().filter(|u| u.0 > 0).count() as f64 };
    // Grid: 6.25 ha cells; the force's area in cells from ONS hectares.
    let (cell_of_point, cells) = concentration::grid_cells(&geo.points);
    let grid_units = counts::by_unit(cols, from..=to, weights, cells.len(), |i| {
        let p = cols.point[i];
        (p != NONE).then(|| cell_of_point[p as usize] as usize)
    });
    let grid_total_area =
        if have_areas { force_hectares / GRID_CELL_HA } else { grid_units.iter().filter(|u| u.0 > 0).count() as f64 };

    let figures_of = |unit: &'static str, measure: &'static str, c: ConcentrationCurve| ConcentrationFigures {
        unit,
        measure,
        share_in_top: TOP_SHARES.iter().map(|&s| (s, c.value_share_in_top(s))).collect(),
        area_holding_50: c.area_share_holding(0.5),
        area_holding_25: c.area_share_holding(0.25),
        units_with_value: c.units_with_value,
        curve: c.thinned(200),
    };
    let lsoa = |pick: fn(&(u64, f64)) -> f64| {
        let units: Vec<(f64, f64)> = lsoa_units
            .iter()
            .zip(&geo.lsoas)
            .filter(|(u, _)| u.0 > 0)
            .map(|(u, l)| (pick(u), lsoa_area(l).max(f64::MIN_POSITIVE)))
            .collect();
        concentration::concentration(&units, lsoa_total_area)
    };
    let grid = |pick: fn(&(u64, f64)) -> f64| {
        let units: Vec<(f64, f64)> = grid_units.iter().filter(|u| u.0 > 0).map(|u| (pick(u), 1.0)).collect();
        concentration::concentration(&units, grid_total_area)
    };
    let crime = |u: &(u64, f64)| u.0 as f64;
    let harm = |u: &(u64, f64)| u.1;
    Concentration {
        from: YearMonth::from_index(from),
        to: month,
        months_with_data: 0, // filled in by the caller, which knows the months
        area_basis: if have_areas {
            format!("share of the force's {} hectares (ONS 2011 LSOA areas)", thousands(force_hectares.round() as u64))
        } else {
            "ONS areas not imported: share of the units that had crime, which overstates concentration less than it understates area".into()
        },
        figures: vec![
            figures_of("250 m grid cell", "harm", grid(harm)),
            figures_of("250 m grid cell", "crime", grid(crime)),
            figures_of("LSOA", "harm", lsoa(harm)),
            figures_of("LSOA", "crime", lsoa(crime)),
        ],
    }
}

/// 202920 → "202,920".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    fn force() -> (StreetColumns, Geography) {
        let geo = Geography {
            lsoas: vec![
                Lsoa {
                    code: "E01000001".into(),
                    local_authority: "Leeds".into(),
                    persons: 2000,
                    hectares: 10.0,
                    in_force: true,
                    ..Default::default()
                },
                Lsoa {
                    code: "E01000002".into(),
                    local_authority: "Bradford".into(),
                    persons: 2000,
                    hectares: 90.0,
                    in_force: true,
                    ..Default::default()
                },
            ],
            points: vec![(430_000.0, 433_000.0), (440_000.0, 433_000.0)],
        };
        let mut c = StreetColumns {
            outcome_names: vec![
                "Investigation complete; no suspect identified".into(),
                "Offender given a caution".into(),
            ],
            ..Default::default()
        };
        // 2016-07: 2 burglaries in Leeds; 2017-07: 3 burglaries in Leeds, 1 robbery in
        // Bradford (cautioned), and one ASB report.
        for _ in 0..2 {
            c.push(ym("2016-07"), Category::Burglary, 0, 0, 0);
        }
        for _ in 0..3 {
            c.push(ym("2017-07"), Category::Burglary, 0, 0, 0);
        }
        c.push(ym("2017-07"), Category::Robbery, 1, 1, 1);
        c.push(ym("2017-07"), Category::AntiSocialBehaviour, 1, 1, NONE);
        (c, geo)
    }

    #[test]
    fn month_stats_headline_figures() {
        let (c, g) = force();
        let w = peel_domain::harm::category_weights();
        let s = month_stats("Test", &c, &g, ym("2017-07"), &w);
        assert_eq!((s.crimes, s.asb, s.population), (4, 1, 4000));
        assert_eq!(s.rate_per_1000, Some(1.0));
        assert_eq!(s.by_category["Burglary"], 3);
        assert_eq!(s.by_category["Drugs"], 0);
        assert_eq!(s.outcomes["Offender given a caution"], 1);
        assert_eq!(s.outcome_groups["Out-of-court (formal)"], 1);
        let expected_harm = 3.0 * w[Category::Burglary.code() as usize] + 365.0;
        assert!((s.harm - expected_harm).abs() < 1e-9);
        assert_eq!((s.ytd.current, s.ytd.previous), (4.0, 2.0));
        assert_eq!(s.ytd.change_pct, Some(100.0));
        assert_eq!(s.ytd.months_with_data, 1);
    }

    #[test]
    fn board_paper_figures() {
        let (c, g) = force();
        let w = peel_domain::harm::category_weights();
        let p = board_paper("Test", &c, &g, ym("2017-07"), &w);
        assert_eq!(p.months_with_data, vec![ym("2016-07"), ym("2017-07")]);
        assert_eq!(p.trend.len(), 2);
        assert!(p.notes.iter().any(|n| n.contains("too few") || n.contains("at least")));
        // Three burglaries (3 × 244.7 days) outweigh one robbery (365 days).
        assert_eq!(p.harm_by_local_authority[0].name, "Leeds");
        assert_eq!(p.harm_by_local_authority.len(), 2);
        assert_eq!(p.positive_outcome_rate, Some(0.25));
        let burglary = p.categories.iter().find(|r| r.category == Category::Burglary).unwrap();
        assert_eq!(burglary.ytd.change_pct, Some(50.0));
        // Harm over 12 months to 2017-07 sits in two cells of a force of 100 ha = 16 cells.
        let grid_harm = &p.concentration.figures[0];
        assert_eq!(grid_harm.units_with_value, 2);
        assert!((grid_harm.area_holding_50 - 1.0 / 16.0).abs() < 0.07);
    }
}
