//! Prediction and its test (issue 12; seed 001 §94–100, seed 002 §54): which cells will hold
//! next month's crime, by three models, and how well each did, month by month, as a rolling
//! backtest.
//!
//! Models, each scoring every cell of the study area from the events before the month it
//! predicts (never from the month itself):
//! - **count** (the naive baseline): the events in each cell over the history window;
//! - **kde** (retrospective hotspotting): kernel density ([`crate::kde`]) of the history
//!   window's events at each cell's centre, the bandwidth by the normal reference rule unless
//!   given;
//! - **promap** (prospective hotspotting; Bowers, Johnson and Pease 2004, "Prospective
//!   hot-spotting: the future of crime mapping?", Brit. J. Criminol. 44(5)): each recent event
//!   adds `1/(1 + d) × 1/(1 + t)` to every cell whose centre lies within `metres` of the
//!   event's cell centre, `d` the distance in cell widths and `t` the whole weeks between the
//!   event and the first day predicted; events more than `weeks` weeks old add nothing. (The
//!   paper's defaults: 400 m and 2 months, on 50 m cells.)
//!
//! The test: for each month predicted, cells are ranked by score and the top 1%, 5% and 10%
//! of the study area's cells are "flagged". The hit rate is the share of the month's events
//! that fall in flagged cells; the predictive accuracy index (PAI, Chainey, Tompson and Uhlig
//! 2008) is the hit rate ÷ the share of area flagged, so 1 is no better than chance.
//!
//! Decisions:
//! - Ties. Cells with equal scores (most often the many with none) are not ordered by
//!   anything meaningful, so where the cut falls inside a group of tied cells the flagged
//!   cells take that group's hits in proportion (the hit rate expected if the ties were broken
//!   at random). A model with nothing to go on therefore scores a PAI of exactly 1, never a
//!   lucky or unlucky one from the cells' order.
//! - The number of cells flagged is the share × the area's cells rounded to the nearest, at
//!   least one; the PAI divides by that number's own share, not the nominal one.
//! - A month without events is "no data" (`None`), not a hit rate of 0, and is left out of
//!   the means.

use crate::boundary::StudyArea;
use crate::kde::{density, normal_reference_bandwidth, Grid, Kernel};
use serde::Serialize;
use std::collections::HashMap;

/// Shares of the area flagged by default (issue 12: "at 1%, 5% and 10% of area").
pub const DEFAULT_SHARES: [f64; 3] = [0.01, 0.05, 0.10];
/// ProMap's reach and memory by default (Bowers, Johnson and Pease 2004: 400 m, two months).
pub const PROMAP_METRES: f64 = 400.0;
pub const PROMAP_WEEKS: u32 = 8;
/// Longest ProMap reach, metres, and memory, weeks: beyond them "prospective" means nothing
/// and the cost grows with their square.
pub const MAX_PROMAP_METRES: f64 = 5_000.0;
pub const MAX_PROMAP_WEEKS: u32 = 104;

/// Events: British National Grid metres and the day each happened (days since 1970-01-01).
#[derive(Debug, Clone, Copy)]
pub struct Events<'a> {
    pub x: &'a [f64],
    pub y: &'a [f64],
    pub day: &'a [i32],
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "model", rename_all = "lowercase")]
pub enum Model {
    Count,
    Kde {
        kernel: Kernel,
        /// Metres; none for the normal reference rule (of each month's history).
        bandwidth: Option<f64>,
    },
    #[serde(rename = "promap")]
    ProMap {
        metres: f64,
        weeks: u32,
    },
}

impl Model {
    pub fn name(&self) -> &'static str {
        match self {
            Model::Count => "count",
            Model::Kde { .. } => "kde",
            Model::ProMap { .. } => "promap",
        }
    }
}

/// One period predicted: days `start..end` (half-open), with a label for people ("2026-03").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub label: String,
    pub start: i32,
    pub end: i32,
}

/// How one model did at one share of the area.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    /// Share of the area's cells flagged, as asked (0.01 for 1%).
    pub share: f64,
    /// Cells flagged.
    pub cells: usize,
    /// Share of the period's events in the flagged cells; `None` for a period without events.
    pub hit_rate: Option<f64>,
    /// Hit rate ÷ share of cells flagged.
    pub pai: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodResult {
    pub label: String,
    /// Events of the period predicted.
    pub events: usize,
    /// Events of the history the model scored from.
    pub history: usize,
    /// Whether the model's whole history window lies within the data held; a period without
    /// it is left out of the means.
    pub full_history: bool,
    pub scores: Vec<Score>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelResult {
    #[serde(flatten)]
    pub model: Model,
    pub periods: Vec<PeriodResult>,
    /// Means over the periods with events and a full history, one per share; `None` (no
    /// data) where there is no such period.
    pub mean: Vec<Score>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    pub cell_metres: f64,
    /// Cells of the study area (see [`crate::surface`]).
    pub area_cells: usize,
    /// Days of history the count and kde models score from.
    pub history_days: i32,
    pub models: Vec<ModelResult>,
}

type Key = (i64, i64);

/// What a backtest tests and how.
#[derive(Debug, Clone, Copy)]
pub struct Plan<'a> {
    /// Cell side, metres.
    pub cell: f64,
    pub periods: &'a [Period],
    pub models: &'a [Model],
    /// Days before each period the count and kde models read.
    pub history_days: i32,
    /// Shares of the area flagged.
    pub shares: &'a [f64],
    /// The first day the data is held from: a period whose model reads from before it had
    /// less history than the others, so it is shown but left out of the means.
    pub held_from: i32,
}

/// The rolling backtest of `plan`'s models over its periods, on a grid of `plan.cell` metres
/// over the study `area` (`crate::boundary`: the LSOA boundaries or the postcodes) and the
/// events' own cells.
pub fn backtest(events: Events, area: &StudyArea, plan: &Plan) -> Result<Backtest, String> {
    let Plan { cell, periods, models, history_days, shares, held_from } = *plan;
    if !(cell.is_finite() && (10.0..=10_000.0).contains(&cell)) {
        return Err(format!("a cell of {cell} m: cells are 10 to 10,000 m"));
    }
    if events.x.len() != events.y.len() || events.x.len() != events.day.len() {
        return Err("events: eastings, northings and days differ in number".into());
    }
    if let Some(i) = (0..events.x.len()).find(|&i| !events.x[i].is_finite() || !events.y[i].is_finite()) {
        return Err(format!("event {i} has a coordinate that is not a number"));
    }
    if periods.is_empty() {
        return Err("no period to predict".into());
    }
    if let Some(p) = periods.iter().find(|p| p.end <= p.start) {
        return Err(format!("period {} ends before it starts", p.label));
    }
    if !(1..=36_600).contains(&history_days) {
        return Err(format!("a history of {history_days} days: it is 1 day to 100 years"));
    }
    if shares.is_empty() || shares.iter().any(|s| !(s.is_finite() && *s > 0.0 && *s <= 1.0)) {
        return Err("shares of area are more than 0 and at most 1".into());
    }
    for m in models {
        match *m {
            Model::ProMap { metres, weeks } => {
                if !(metres.is_finite() && (1.0..=MAX_PROMAP_METRES).contains(&metres)) {
                    return Err(format!("ProMap's reach of {metres} m: it is 1 to {MAX_PROMAP_METRES} m"));
                }
                if !(1..=MAX_PROMAP_WEEKS).contains(&weeks) {
                    return Err(format!("ProMap's memory of {weeks} weeks: it is 1 to {MAX_PROMAP_WEEKS}"));
                }
            }
            Model::Kde { bandwidth: Some(h), .. }
                if !(h.is_finite() && (1.0..=crate::kde::MAX_BANDWIDTH).contains(&h)) =>
            {
                return Err(format!("a bandwidth of {h} m: it is 1 to {} m", crate::kde::MAX_BANDWIDTH));
            }
            _ => {}
        }
    }
    let key_of = |i: usize| ((events.x[i] / cell).floor() as i64, (events.y[i] / cell).floor() as i64);
    let keys = area.cells(cell, (0..events.x.len()).map(key_of), 1)?;
    let index: HashMap<Key, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let event_cell: Vec<usize> = (0..events.x.len()).map(|i| index[&key_of(i)]).collect();
    let counts = |start: i32, end: i32| {
        let mut c = vec![0.0; keys.len()];
        let mut n = 0;
        for i in 0..events.day.len() {
            if (start..end).contains(&events.day[i]) {
                c[event_cell[i]] += 1.0;
                n += 1;
            }
        }
        (c, n)
    };
    let mut results = Vec::with_capacity(models.len());
    for model in models {
        let mut rows = Vec::with_capacity(periods.len());
        for p in periods {
            let (actual, n) = counts(p.start, p.end);
            let (scores, history) = match *model {
                Model::Count => counts(p.start - history_days, p.start),
                Model::Kde { kernel, bandwidth } => {
                    kde_scores(events, &keys, cell, p.start - history_days, p.start, kernel, bandwidth)?
                }
                Model::ProMap { metres, weeks } => promap_scores(events, &keys, &index, cell, p.start, metres, weeks),
            };
            let scores = shares.iter().map(|&s| score(&scores, &actual, n, s)).collect();
            let reach = match *model {
                Model::ProMap { weeks, .. } => 7 * weeks as i32,
                _ => history_days,
            };
            let full_history = p.start - reach >= held_from;
            rows.push(PeriodResult { label: p.label.clone(), events: n, history, full_history, scores });
        }
        let mean = shares
            .iter()
            .enumerate()
            .map(|(k, &share)| {
                let with: Vec<&Score> = rows
                    .iter()
                    .filter(|r| r.full_history)
                    .map(|r| &r.scores[k])
                    .filter(|s| s.hit_rate.is_some())
                    .collect();
                let avg = |f: fn(&Score) -> Option<f64>| {
                    (!with.is_empty()).then(|| with.iter().filter_map(|s| f(s)).sum::<f64>() / with.len() as f64)
                };
                Score { share, cells: flagged(keys.len(), share), hit_rate: avg(|s| s.hit_rate), pai: avg(|s| s.pai) }
            })
            .collect();
        results.push(ModelResult { model: *model, periods: rows, mean });
    }
    Ok(Backtest { cell_metres: cell, area_cells: keys.len(), history_days, models: results })
}

/// Cells flagged for a share of `n` cells: rounded to the nearest, at least one.
fn flagged(n: usize, share: f64) -> usize {
    ((share * n as f64).round() as usize).clamp(1, n.max(1))
}

/// Hit rate and PAI of flagging the best `share` of cells by `scores` against `actual` events
/// per cell (`n` in all), ties at the cut shared in proportion (module docs).
fn score(scores: &[f64], actual: &[f64], n: usize, share: f64) -> Score {
    let k = flagged(scores.len(), share);
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut taken, mut hits, mut i) = (0usize, 0.0, 0usize);
    while taken < k && i < order.len() {
        // From i + 1, so that the loop moves on whatever the scores are.
        let mut j = i + 1;
        while j < order.len() && scores[order[j]].total_cmp(&scores[order[i]]).is_eq() {
            j += 1;
        }
        let group = j - i;
        let group_hits: f64 = order[i..j].iter().map(|&c| actual[c]).sum();
        let room = (k - taken).min(group);
        hits += group_hits * room as f64 / group as f64;
        taken += room;
        i = j;
    }
    let area_share = k as f64 / scores.len() as f64;
    let hit_rate = (n > 0).then(|| hits / n as f64);
    Score { share, cells: k, hit_rate, pai: hit_rate.map(|h| h / area_share) }
}

/// Kernel density of the events of days `start..end` at each study-area cell's centre.
fn kde_scores(
    events: Events,
    keys: &[Key],
    cell: f64,
    start: i32,
    end: i32,
    kernel: Kernel,
    bandwidth: Option<f64>,
) -> Result<(Vec<f64>, usize), String> {
    let (mut x, mut y) = (vec![], vec![]);
    for i in 0..events.day.len() {
        if (start..end).contains(&events.day[i]) {
            x.push(events.x[i]);
            y.push(events.y[i]);
        }
    }
    if x.is_empty() {
        return Ok((vec![0.0; keys.len()], 0));
    }
    // The rule's bandwidth is capped at the longest allowed: a sparse category spread over a
    // large force would otherwise fail the whole test for one month.
    let h = bandwidth.unwrap_or_else(|| normal_reference_bandwidth(&x, &y).min(crate::kde::MAX_BANDWIDTH));
    // The grid covering the study area, whose cells are the area's (both aligned to `cell`).
    let cx: Vec<f64> = keys.iter().map(|k| (k.0 as f64 + 0.5) * cell).collect();
    let cy: Vec<f64> = keys.iter().map(|k| (k.1 as f64 + 0.5) * cell).collect();
    let grid = Grid::covering(&cx, &cy, cell).ok_or("no cells")?;
    let d = density(&grid, &x, &y, None, kernel, h).map_err(|e| e.to_string())?;
    let col0 = (grid.x0 / cell).round() as i64;
    let row0 = (grid.y0 / cell).round() as i64;
    let scores = keys.iter().map(|k| d[(k.1 - row0) as usize * grid.cols + (k.0 - col0) as usize]).collect();
    Ok((scores, x.len()))
}

/// ProMap's risk of each study-area cell on day `start` (module docs).
fn promap_scores(
    events: Events,
    keys: &[Key],
    index: &HashMap<Key, usize>,
    cell: f64,
    start: i32,
    metres: f64,
    weeks: u32,
) -> (Vec<f64>, usize) {
    let mut risk = vec![0.0; keys.len()];
    let reach = metres / cell;
    let r = reach.floor() as i64;
    let oldest = start - 7 * weeks as i32;
    let mut used = 0;
    for i in 0..events.day.len() {
        let day = events.day[i];
        if !(oldest..start).contains(&day) {
            continue;
        }
        used += 1;
        let t = ((start - day) / 7) as f64;
        let (c, w) = ((events.x[i] / cell).floor() as i64, (events.y[i] / cell).floor() as i64);
        for dc in -r..=r {
            for dr in -r..=r {
                let d = ((dc * dc + dr * dr) as f64).sqrt();
                if d > reach {
                    continue;
                }
                if let Some(&k) = index.get(&(c + dc, w + dr)) {
                    risk[k] += 1.0 / (1.0 + d) / (1.0 + t);
                }
            }
        }
    }
    (risk, used)
}

/// Events gathered for a backtest, and the crimes left out for want of a place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gathered {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub day: Vec<i32>,
    pub without_place: usize,
    /// True when the days are police.uk months' middles (the 15th), not days recorded.
    pub months_only: bool,
}

impl Gathered {
    pub fn events(&self) -> Events<'_> {
        Events { x: &self.x, y: &self.y, day: &self.day }
    }

    /// The force's own crimes that `keep` keeps, dated by the day recorded.
    pub fn from_facts(facts: &crate::CrimeFacts, keep: impl Fn(usize) -> bool) -> Gathered {
        let mut g = Gathered::default();
        for i in 0..facts.len() {
            if !keep(i) {
                continue;
            }
            match (facts.easting[i], facts.northing[i]) {
                (Some(e), Some(n)) => {
                    g.x.push(e as f64);
                    g.y.push(n as f64);
                    g.day.push(facts.recorded[i].div_euclid(24 * 60) as i32);
                }
                _ => g.without_place += 1,
            }
        }
        g
    }

    /// police.uk crimes placed on the grid ([`crate::surface::placed`] from month `first`):
    /// they have a month, not a day, so each is dated the 15th of its month (ProMap's weeks
    /// are then only as good as that).
    pub fn from_placed(p: crate::surface::Placed, first: i32) -> Gathered {
        let day = p.month.iter().map(|&m| month_start(first + m as i32) + 14).collect();
        Gathered { x: p.x, y: p.y, day, without_place: p.unplaced as usize, months_only: true }
    }
}

/// The first day of the month of `YearMonth::index()` `month`, in days since 1970-01-01.
pub fn month_start(month: i32) -> i32 {
    let m = peel_domain::YearMonth::from_index(month);
    peel_domain::date::Date::new(m.year, m.month, 1).map(|d| d.days_since_epoch() as i32).unwrap_or(0)
}

/// The months `first..=last` (`YearMonth::index()`) as periods to predict.
pub fn month_periods(first: i32, last: i32) -> Vec<Period> {
    (first..=last)
        .map(|m| Period {
            label: peel_domain::YearMonth::from_index(m).to_string(),
            start: month_start(m),
            end: month_start(m + 1),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::near_repeat::SplitMix;

    fn months(first_day: i32, n: usize) -> Vec<Period> {
        (0..n)
            .map(|m| Period {
                label: format!("m{m}"),
                start: first_day + 30 * m as i32,
                end: first_day + 30 * (m as i32 + 1),
            })
            .collect()
    }

    fn plan<'a>(periods: &'a [Period], models: &'a [Model], history_days: i32, shares: &'a [f64]) -> Plan<'a> {
        Plan { cell: 250.0, periods, models, history_days, shares, held_from: 0 }
    }

    fn all_models() -> Vec<Model> {
        vec![
            Model::Count,
            Model::Kde { kernel: Kernel::Quartic, bandwidth: None },
            Model::ProMap { metres: PROMAP_METRES, weeks: PROMAP_WEEKS },
        ]
    }

    /// Events spread evenly at random over a 10 km square for `days` days, and a planted
    /// cluster within 100 m of (405,050, 305,050) on every third day.
    fn town(seed: u64, days: i32, planted: bool) -> (Vec<f64>, Vec<f64>, Vec<i32>) {
        let mut rng = SplitMix(seed);
        let (mut x, mut y, mut d) = (vec![], vec![], vec![]);
        for day in 0..days {
            for _ in 0..20 {
                x.push(400_000.0 + rng.below(10_000) as f64);
                y.push(300_000.0 + rng.below(10_000) as f64);
                d.push(day);
            }
            if planted && day % 3 == 0 {
                for _ in 0..20 {
                    x.push(405_000.0 + rng.below(100) as f64);
                    y.push(305_000.0 + rng.below(100) as f64);
                    d.push(day);
                }
            }
        }
        (x, y, d)
    }

    #[test]
    fn a_planted_hotspot_is_predicted_by_every_model() {
        let (x, y, d) = town(7, 360, true);
        let events = Events { x: &x, y: &y, day: &d };
        let t =
            backtest(events, &StudyArea::Crimes, &plan(&months(180, 6), &all_models(), 180, &DEFAULT_SHARES)).unwrap();
        // 10 km square at 250 m: 40 × 40 cells, one ring grown around them.
        assert_eq!(t.area_cells, 42 * 42);
        for m in &t.models {
            // A quarter of a month's events are the cluster's (200 of 800: 20 on each of ten
            // days), all in one cell; the other 600 spread over 1,600 cells. With 1% of 1,764
            // cells (18) flagged, a model that finds the cluster hits 200 + about 17 × 0.375 of
            // the 800, 26%: a PAI of about 25. One that missed it would hit about 1%.
            let one = m.mean[0];
            assert_eq!(one.cells, 18);
            let hit = one.hit_rate.unwrap();
            assert!(hit > 0.24, "{}: hit rate {hit}", m.model.name());
            assert!(one.pai.unwrap() > 20.0, "{}: PAI {:?}", m.model.name(), one.pai);
            assert_eq!(m.periods.len(), 6);
            assert!(m.periods.iter().all(|p| p.events == 30 * 20 + 10 * 20));
        }
    }

    #[test]
    fn periods_without_their_whole_history_are_left_out_of_the_means() {
        // Periods start on days 180, 210, ...; count reads 180 days back, so with data held
        // from day 10 the first period's window (from day 0) is short, the rest whole.
        let (x, y, d) = town(5, 360, true);
        let events = Events { x: &x, y: &y, day: &d };
        let t = backtest(
            events,
            &StudyArea::Crimes,
            &Plan { held_from: 10, ..plan(&months(180, 6), &all_models(), 180, &[0.05]) },
        )
        .unwrap();
        let count = &t.models[0];
        assert!(!count.periods[0].full_history && count.periods[1..].iter().all(|p| p.full_history));
        let mean = count.periods[1..].iter().map(|p| p.scores[0].hit_rate.unwrap()).sum::<f64>() / 5.0;
        assert!((count.mean[0].hit_rate.unwrap() - mean).abs() < 1e-12);
        // ProMap reads 8 weeks back: every window whole.
        assert!(t.models[2].periods.iter().all(|p| p.full_history));
        // Held from after every window's start: no period counts, so the means are no data.
        let t = backtest(
            events,
            &StudyArea::Crimes,
            &Plan { held_from: 1_000, ..plan(&months(180, 6), &all_models(), 180, &[0.05]) },
        )
        .unwrap();
        assert!(t.models.iter().all(|m| m.mean[0].hit_rate.is_none() && m.mean[0].pai.is_none()));
    }

    #[test]
    fn without_a_pattern_the_pai_is_about_one() {
        let (x, y, d) = town(11, 360, false);
        let events = Events { x: &x, y: &y, day: &d };
        let t =
            backtest(events, &StudyArea::Crimes, &plan(&months(180, 6), &all_models(), 180, &DEFAULT_SHARES)).unwrap();
        for m in &t.models {
            let ten = m.mean[2].pai.unwrap();
            assert!((0.7..1.3).contains(&ten), "{}: PAI at 10% {ten}", m.model.name());
        }
    }

    #[test]
    fn a_model_with_no_history_scores_exactly_chance() {
        // Every event is in the month predicted: nothing before it to score from, every cell
        // tied, so the flagged cells take their share of the hits exactly.
        let (x, y, d) = town(3, 30, true);
        let events = Events { x: &x, y: &y, day: &d };
        let t = backtest(events, &StudyArea::Crimes, &plan(&months(0, 1), &all_models(), 90, &[0.05])).unwrap();
        for m in &t.models {
            let s = m.periods[0].scores[0];
            assert_eq!(m.periods[0].history, 0);
            assert!((s.pai.unwrap() - 1.0).abs() < 1e-12, "{}: {s:?}", m.model.name());
        }
    }

    #[test]
    fn promap_weighs_by_distance_and_weeks_as_the_paper_does() {
        // Two events in cell (0, 0) of 100 m cells: one the day before day 100 (t = 0 weeks),
        // one 8 days before (t = 1 week). A 250 m reach covers cells up to 2.5 widths away.
        let x = [50.0, 60.0];
        let y = [50.0, 40.0];
        let d = [99, 92];
        let keys: Vec<Key> = vec![(0, 0), (1, 0), (1, 1), (2, 0), (2, 2), (3, 0)];
        let index: HashMap<Key, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let (risk, used) = promap_scores(Events { x: &x, y: &y, day: &d }, &keys, &index, 100.0, 100, 250.0, 2);
        assert_eq!(used, 2);
        let both = |dist: f64| 1.0 / (1.0 + dist) * (1.0 + 0.5);
        assert!((risk[0] - both(0.0)).abs() < 1e-12);
        assert!((risk[1] - both(1.0)).abs() < 1e-12);
        assert!((risk[2] - both(2f64.sqrt())).abs() < 1e-12);
        assert!((risk[3] - both(2.0)).abs() < 1e-12);
        // (2, 2) is 2.83 widths away and (3, 0) three: beyond the reach.
        assert_eq!(risk[4], 0.0);
        assert_eq!(risk[5], 0.0);
        // Memory of one week: only the day-old event counts.
        let (risk, used) = promap_scores(Events { x: &x, y: &y, day: &d }, &keys, &index, 100.0, 100, 250.0, 1);
        assert_eq!(used, 1);
        assert!((risk[0] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn hits_and_pai_are_counted_from_the_flagged_cells() {
        // Ten cells scored 9..0; events: 3 in the best cell, 1 in the second, 6 in the worst.
        let scores: Vec<f64> = (0..10).rev().map(f64::from).collect();
        let mut actual = vec![0.0; 10];
        actual[0] = 3.0;
        actual[1] = 1.0;
        actual[9] = 6.0;
        let s = score(&scores, &actual, 10, 0.1);
        assert_eq!((s.cells, s.hit_rate), (1, Some(0.3)));
        assert!((s.pai.unwrap() - 3.0).abs() < 1e-12);
        let s = score(&scores, &actual, 10, 0.2);
        assert_eq!((s.cells, s.hit_rate), (2, Some(0.4)));
        assert!((s.pai.unwrap() - 2.0).abs() < 1e-12);
        // Ties at the cut: the last three cells tied, two of them flagged.
        let tied = [5.0, 4.0, 3.0, 2.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5];
        let mut actual = vec![0.0; 10];
        actual[6] = 3.0;
        let s = score(&tied, &actual, 3, 0.6);
        assert!((s.hit_rate.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        // A period without events is no data.
        let s = score(&scores, &[0.0; 10], 0, 0.1);
        assert_eq!((s.hit_rate, s.pai), (None, None));
    }

    #[test]
    fn months_are_periods_of_their_days() {
        let m = peel_domain::YearMonth::new(2024, 2).unwrap().index();
        let p = month_periods(m, m + 1);
        assert_eq!(p[0].label, "2024-02");
        assert_eq!(p[0].start, 19_754); // 2024-02-01
        assert_eq!(p[0].end - p[0].start, 29); // a leap year
        assert_eq!(p[1].start, p[0].end);
        assert_eq!(p[1].end - p[1].start, 31);
    }

    #[test]
    fn nonsense_is_refused() {
        let (x, y, d) = town(1, 10, false);
        let e = Events { x: &x, y: &y, day: &d };
        let p = months(0, 1);
        let m = all_models();
        let ok = plan(&p, &m, 30, &DEFAULT_SHARES);
        assert!(backtest(e, &StudyArea::Crimes, &Plan { cell: 5.0, ..ok }).unwrap_err().contains("cells are 10"));
        assert!(backtest(e, &StudyArea::Crimes, &Plan { periods: &[], ..ok }).unwrap_err().contains("no period"));
        assert!(backtest(e, &StudyArea::Crimes, &Plan { history_days: 0, ..ok }).unwrap_err().contains("history"));
        assert!(backtest(e, &StudyArea::Crimes, &Plan { shares: &[1.5], ..ok }).unwrap_err().contains("shares"));
        let far = [Model::ProMap { metres: 50_000.0, weeks: 8 }];
        assert!(backtest(e, &StudyArea::Crimes, &Plan { models: &far, ..ok }).unwrap_err().contains("reach"));
        let long = [Model::ProMap { metres: 400.0, weeks: 0 }];
        assert!(backtest(e, &StudyArea::Crimes, &Plan { models: &long, ..ok }).unwrap_err().contains("memory"));
        let nan = [f64::NAN];
        let e2 = Events { x: &nan, y: &y[..1], day: &d[..1] };
        assert!(backtest(e2, &StudyArea::Crimes, &ok).unwrap_err().contains("event 0"));
    }
}
