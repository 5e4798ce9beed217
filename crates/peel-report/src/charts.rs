//! The paper's charts, drawn with plotters' SVG backend into strings and inlined.
//!
//! plotters is built without its `ttf` feature, so it cannot measure text: it estimates
//! label widths from the number of characters, and the SVG backend writes each label as an
//! SVG `<text>` element that the browser sets in its own sans-serif font. That is enough for
//! axis labels and the short legends here, so every chart is plotters throughout. Two
//! things plotters does not do are done around it:
//! - legends are laid out in a strip above the plot (plotters' own legend box sits over
//!   the data and cannot wrap), still drawn with plotters elements;
//! - the `<svg>` opening tag is rewritten ([`finish`]) to drop the fixed width and height,
//!   keep the fixed `viewBox` so the chart scales to the page width, and add `role="img"`,
//!   an `aria-label`, `<title>` and `<desc>` for screen readers.

use crate::format::{self, escape};
use peel_analytics::paper::TrendPoint;
use peel_analytics::spc::{Direction, Rule, XmrChart};
use peel_analytics::BoardPaper;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::error::Error;

type ChartResult<T> = Result<T, Box<dyn Error>>;

/// Width of every chart's viewBox; heights vary. 800 units across a 180 mm printed column
/// sets the labels at about 8.5 pt.
pub const WIDTH: u32 = 800;
const FONT: &str = "sans-serif";
const LABEL_SIZE: f64 = 19.0; // plotters writes font-size = size / 1.24
const LEGEND_SIZE: f64 = 19.0;

pub const INK: RGBColor = RGBColor(0x1b, 0x1b, 0x1b);
pub const MUTED: RGBColor = RGBColor(0x4d, 0x4d, 0x4d);
pub const BLUE: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
pub const GRID: RGBColor = RGBColor(0xe4, 0xe8, 0xed);
pub const AXIS: RGBColor = RGBColor(0x6b, 0x6b, 0x6b);
/// Signal colours: each at least 4.5:1 against white, and each rule has its own shape too.
pub const SIGNAL_RED: RGBColor = RGBColor(0xb0, 0x3a, 0x2e);
pub const SIGNAL_PURPLE: RGBColor = RGBColor(0x6c, 0x34, 0x83);
pub const SIGNAL_BROWN: RGBColor = RGBColor(0x8a, 0x4b, 0x08);
pub const SIGNAL_TEAL: RGBColor = RGBColor(0x0e, 0x66, 0x55);
pub const GREEN: RGBColor = RGBColor(0x1e, 0x6b, 0x3c);
pub const SLATE: RGBColor = RGBColor(0x5b, 0x6b, 0x7b);
pub const ORANGE: RGBColor = RGBColor(0x9c, 0x57, 0x00);

/// How a legend entry (and a plotted point) is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Marker {
    Line { color: RGBColor, width: u32, dashed: bool },
    LineDot(RGBColor),
    Triangle { color: RGBColor, up: bool },
    Square(RGBColor),
    Diamond(RGBColor),
    Ring(RGBColor),
    Bar(RGBColor),
}

/// The marker of an SPC rule: colour and shape both differ, so the chart reads in greyscale.
pub fn rule_marker(rule: Rule, direction: Direction) -> Marker {
    match rule {
        Rule::OutsideLimits => Marker::Triangle { color: SIGNAL_RED, up: direction == Direction::High },
        Rule::Shift => Marker::Square(SIGNAL_PURPLE),
        Rule::Trend => Marker::Diamond(SIGNAL_BROWN),
        Rule::TwoOfThreeBeyondTwoSigma => Marker::Ring(SIGNAL_TEAL),
    }
}

/// Hex of a colour as the SVG backend writes it ("#B03A2E"), for tests and the HTML key.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

fn draw_marker<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, m: Marker, (x, y): (i32, i32)) -> ChartResult<()>
where
    DB::ErrorType: 'static,
{
    let outline = WHITE.stroke_width(1);
    match m {
        Marker::Line { color, width, dashed } => {
            if dashed {
                for x0 in [x - 15, x - 3, x + 9] {
                    area.draw(&PathElement::new(vec![(x0, y), (x0 + 7, y)], color.stroke_width(width)))?;
                }
            } else {
                area.draw(&PathElement::new(vec![(x - 15, y), (x + 15, y)], color.stroke_width(width)))?;
            }
        }
        Marker::LineDot(color) => {
            area.draw(&PathElement::new(vec![(x - 15, y), (x + 15, y)], color.stroke_width(2)))?;
            area.draw(&Circle::new((x, y), 4, color.filled()))?;
        }
        Marker::Triangle { color, up } => {
            let pts = if up {
                vec![(x, y - 9), (x + 8, y + 6), (x - 8, y + 6)]
            } else {
                vec![(x, y + 9), (x + 8, y - 6), (x - 8, y - 6)]
            };
            area.draw(&Polygon::new(pts.clone(), color.filled()))?;
            let mut closed = pts.clone();
            closed.push(pts[0]);
            area.draw(&PathElement::new(closed, outline))?;
        }
        Marker::Square(color) => {
            area.draw(&Rectangle::new([(x - 6, y - 6), (x + 6, y + 6)], color.filled()))?;
            area.draw(&Rectangle::new([(x - 6, y - 6), (x + 6, y + 6)], outline))?;
        }
        Marker::Diamond(color) => {
            let pts = vec![(x, y - 8), (x + 8, y), (x, y + 8), (x - 8, y)];
            area.draw(&Polygon::new(pts.clone(), color.filled()))?;
            let mut closed = pts.clone();
            closed.push(pts[0]);
            area.draw(&PathElement::new(closed, outline))?;
        }
        Marker::Ring(color) => {
            area.draw(&Circle::new((x, y), 7, color.stroke_width(3)))?;
        }
        Marker::Bar(color) => {
            area.draw(&Rectangle::new([(x - 12, y - 7), (x + 12, y + 7)], color.filled()))?;
        }
    }
    Ok(())
}

/// Estimated width of a label at `size` (plotters' own estimate, the browser's is a little
/// narrower): 0.7 em per character with em = size / 1.24².
fn text_width(text: &str, size: f64) -> i32 {
    (size / 1.24 / 1.24 * 0.7 * text.chars().count() as f64).ceil() as i32
}

fn text_style(size: f64, color: &'static RGBColor, pos: Pos) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).color(color).pos(pos)
}

/// Lays the legend out in rows across the top of the chart; returns the height used.
fn legend_height(items: &[(Marker, String)], width: i32) -> i32 {
    legend_layout(items, width).last().map_or(0, |&(_, y)| y + 22)
}

fn legend_layout(items: &[(Marker, String)], width: i32) -> Vec<(i32, i32)> {
    let (mut x, mut y) = (20, 18);
    items
        .iter()
        .map(|(_, label)| {
            let w = 40 + text_width(label, LEGEND_SIZE) + 26;
            if x > 20 && x + w > width - 10 {
                x = 20;
                y += 28;
            }
            let at = (x, y);
            x += w;
            at
        })
        .collect()
}

fn draw_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, items: &[(Marker, String)]) -> ChartResult<()>
where
    DB::ErrorType: 'static,
{
    let style = text_style(LEGEND_SIZE, &INK, Pos::new(HPos::Left, VPos::Center));
    for ((marker, label), (x, y)) in items.iter().zip(legend_layout(items, WIDTH as i32)) {
        draw_marker(area, *marker, (x + 16, y))?;
        area.draw(&Text::new(label.clone(), (x + 40, y), style.clone()))?;
    }
    Ok(())
}

/// Turns plotters' SVG document into an inline, accessible, scalable element: any XML
/// prolog dropped, fixed width/height replaced by the viewBox alone, `role="img"`,
/// `aria-label`, `<title>` and `<desc>` added. `id` must be unique in the page.
pub fn finish(svg: &str, id: &str, title: &str, desc: &str) -> String {
    let mut body = svg.trim_start();
    if body.starts_with("<?xml") {
        body = body.find("?>").map_or(body, |i| body[i + 2..].trim_start());
    }
    let (Some(start), Some(open_len)) = (body.find("<svg"), body.find("<svg").and_then(|s| body[s..].find('>'))) else {
        return body.to_string();
    };
    let open = &body[start..start + open_len + 1];
    let view_box =
        open.split_once("viewBox=\"").and_then(|(_, rest)| rest.split_once('"')).map_or("0 0 800 400", |(v, _)| v);
    let rest = &body[start + open_len + 1..];
    format!(
        "<svg class=\"chart\" id=\"{id}\" viewBox=\"{view_box}\" preserveAspectRatio=\"xMidYMid meet\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{t}\" aria-describedby=\"{id}-desc\">\n\
         <title>{t}</title>\n<desc id=\"{id}-desc\">{d}</desc>\n{rest}",
        t = escape(title),
        d = escape(desc),
        rest = rest.trim_start()
    )
}

/// Draws into an SVG string of `WIDTH` × `height`.
fn render(height: u32, draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> ChartResult<()>) -> ChartResult<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(svg)
}

/// Month labels on the trend's x axis: every month up to 13, otherwise every k-th month
/// counted back from the paper's month so the latest month is always labelled.
fn month_label_step(n: usize) -> usize {
    if n <= 13 {
        1
    } else {
        n.div_ceil(12)
    }
}

/// Figure: monthly crimes on an XmR chart, with mean and control limits when there are
/// enough points, and each signal marked by its rule's marker.
pub fn trend_chart(paper: &BoardPaper, id: &str, title: &str, desc: &str) -> ChartResult<String> {
    series_chart(&paper.trend, paper.spc.as_ref(), id, title, desc)
}

/// Figure: one monthly series (the force's crimes, or one flag's) on an XmR chart, as
/// [`trend_chart`].
pub fn series_chart(
    pts: &[TrendPoint],
    spc: Option<&XmrChart>,
    id: &str,
    title: &str,
    desc: &str,
) -> ChartResult<String> {
    let n = pts.len();
    if n == 0 {
        return Err("no months to draw".into());
    }
    let limits = spc.filter(|c| c.enough_points);
    let (mut lo, mut hi) = pts.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.crimes), hi.max(p.crimes)));
    if let Some(c) = limits {
        lo = lo.min(c.lower_limit_floored);
        hi = hi.max(c.upper_limit);
    }
    let pad = ((hi - lo) * 0.08).max(1.0);
    let (y0, y1) = ((lo - pad).max(0.0), hi + pad);

    // The marker of each point: the first rule it breaks (signals are sorted by rule).
    let marks: Vec<Option<(Rule, Direction)>> =
        (0..n).map(|i| limits.and_then(|c| c.signals_at(i).next()).map(|s| (s.rule, s.direction))).collect();
    let mut legend: Vec<(Marker, String)> = vec![(Marker::LineDot(BLUE), "Crimes recorded".into())];
    if let Some(c) = limits {
        legend.push((
            Marker::Line { color: MUTED, width: 2, dashed: false },
            format!("Mean ({})", format::average(c.mean)),
        ));
        legend.push((
            Marker::Line { color: MUTED, width: 2, dashed: true },
            format!("Control limits ({} and {})", format::whole(c.lower_limit_floored), format::whole(c.upper_limit)),
        ));
    }
    let mut rules_seen: Vec<(Rule, Direction)> = Vec::new();
    for &(rule, dir) in marks.iter().flatten() {
        if !rules_seen.iter().any(|(r, _)| *r == rule) {
            rules_seen.push((rule, dir));
        }
    }
    rules_seen.sort_by_key(|(r, _)| *r as u8);
    for (rule, dir) in &rules_seen {
        legend.push((rule_marker(*rule, *dir), format!("Signal: {}", rule.describe())));
    }
    let legend_h = legend_height(&legend, WIDTH as i32);
    let height = 330 + legend_h as u32;
    let mut labelled = vec![false; n];
    for i in (0..n).rev().step_by(month_label_step(n)) {
        labelled[i] = true;
    }
    let label_of = move |i: &i32| -> String {
        match usize::try_from(*i) {
            Ok(i) if i < n && labelled[i] => pts[i].month.short_label(),
            _ => String::new(),
        }
    };
    let y_fmt = |v: &f64| format::whole(*v);

    let svg = render(height, |root| {
        draw_legend(root, &legend)?;
        let mut chart = ChartBuilder::on(root)
            .margin_top(legend_h + 6)
            .margin_left(8)
            .margin_right(24)
            .margin_bottom(6)
            .x_label_area_size(44)
            .y_label_area_size(78)
            .build_cartesian_2d(-1i32..n as i32, y0..y1)?;
        chart
            .configure_mesh()
            .x_labels(n + 2)
            .x_label_formatter(&label_of)
            .y_labels(6)
            .y_label_formatter(&y_fmt)
            .y_desc("Crimes per month")
            .disable_x_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS)
            .label_style((FONT, LABEL_SIZE).into_font().color(&INK))
            .axis_desc_style((FONT, LABEL_SIZE).into_font().color(&INK))
            .draw()?;
        let last = n as i32 - 1;
        if let Some(c) = limits {
            chart.draw_series(LineSeries::new([(0, c.mean), (last, c.mean)], MUTED.stroke_width(2)))?;
            for limit in [c.upper_limit, c.lower_limit_floored] {
                chart.draw_series(DashedLineSeries::new([(0, limit), (last, limit)], 9, 6, MUTED.stroke_width(2)))?;
            }
        }
        chart.draw_series(LineSeries::new(
            pts.iter().enumerate().map(|(i, p)| (i as i32, p.crimes)),
            BLUE.stroke_width(2),
        ))?;
        for (i, p) in pts.iter().enumerate() {
            let at = chart.backend_coord(&(i as i32, p.crimes));
            match marks[i] {
                Some((rule, dir)) => draw_marker(root, rule_marker(rule, dir), at)?,
                None => root.draw(&Circle::new(at, 3, BLUE.filled()))?,
            }
        }
        Ok(())
    })?;
    Ok(finish(&svg, id, title, desc))
}

/// One bar of a horizontal bar chart.
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Printed at the end of the bar.
    pub value_label: String,
    pub color: RGBColor,
}

/// Longest label kept on a bar chart's axis; longer names are cut with an ellipsis (the
/// table beside the chart has them in full).
const MAX_BAR_LABEL: usize = 46;

fn short_label(s: &str) -> String {
    if s.chars().count() <= MAX_BAR_LABEL {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX_BAR_LABEL - 1).collect::<String>().trim_end())
    }
}

/// Figure: horizontal bars, largest first as given, with the value printed at each bar's end.
#[allow(clippy::too_many_arguments)]
pub fn bar_chart(
    bars: &[Bar],
    legend: &[(Marker, String)],
    x_desc: &str,
    x_fmt: &dyn Fn(&f64) -> String,
    id: &str,
    title: &str,
    desc: &str,
) -> ChartResult<String> {
    let n = bars.len();
    if n == 0 {
        return Err("no bars to draw".into());
    }
    let labels: Vec<String> = bars.iter().map(|b| short_label(&b.label)).collect();
    let label_w = labels.iter().map(|l| text_width(l, LABEL_SIZE)).max().unwrap_or(0).clamp(60, 400) + 18;
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let widest_value = bars.iter().map(|b| text_width(&b.value_label, LABEL_SIZE)).max().unwrap_or(0);
    // Leave room right of the longest bar for its value label.
    let plot_w = WIDTH as f64 - label_w as f64 - 40.0;
    let x_max = if max > 0.0 { max * plot_w / (plot_w - widest_value as f64 - 16.0).max(plot_w * 0.5) } else { 1.0 };
    let legend_h = legend_height(legend, WIDTH as i32);
    let height = (legend_h + 70 + 34 * n as i32) as u32;
    let last = n as i32 - 1;
    let y_fmt = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(k) if (0..n as i32).contains(k) => labels[(last - *k) as usize].clone(),
        _ => String::new(),
    };

    let svg = render(height, |root| {
        draw_legend(root, legend)?;
        let mut chart = ChartBuilder::on(root)
            .margin_top(legend_h + 6)
            .margin_left(8)
            .margin_right(28)
            .margin_bottom(4)
            .x_label_area_size(52)
            .y_label_area_size(label_w)
            .build_cartesian_2d(0.0..x_max, (0..last.max(1)).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(6)
            .x_label_formatter(x_fmt)
            .y_labels(n)
            .y_label_formatter(&y_fmt)
            .x_desc(x_desc)
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS)
            .label_style((FONT, LABEL_SIZE).into_font().color(&INK))
            .axis_desc_style((FONT, LABEL_SIZE).into_font().color(&INK))
            .draw()?;
        for (i, b) in bars.iter().enumerate() {
            let k = last - i as i32;
            let mut rect = Rectangle::new(
                [(0.0, SegmentValue::Exact(k)), (b.value.max(0.0), SegmentValue::Exact(k + 1))],
                b.color.filled(),
            );
            rect.set_margin(6, 6, 0, 0);
            chart.draw_series(std::iter::once(rect))?;
            let (px, py) = chart.backend_coord(&(b.value.max(0.0), SegmentValue::CenterOf(k)));
            root.draw(&Text::new(
                b.value_label.clone(),
                (px + 6, py),
                text_style(LABEL_SIZE, &INK, Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    })?;
    Ok(finish(&svg, id, title, desc))
}

/// One curve of the concentration chart.
pub struct Curve<'a> {
    pub label: String,
    pub points: &'a [(f64, f64)],
    pub color: RGBColor,
    pub dashed: bool,
}

/// Figure: concentration curves — cumulative share of area (densest first) against the
/// cumulative share of the measure — with the diagonal of an even spread.
pub fn concentration_chart(curves: &[Curve], y_desc: &str, id: &str, title: &str, desc: &str) -> ChartResult<String> {
    let mut legend: Vec<(Marker, String)> =
        curves.iter().map(|c| (Marker::Line { color: c.color, width: 3, dashed: c.dashed }, c.label.clone())).collect();
    legend.push((Marker::Line { color: AXIS, width: 2, dashed: true }, "Even spread (diagonal)".into()));
    let legend_h = legend_height(&legend, WIDTH as i32);
    let height = 430 + legend_h as u32;
    let pct_fmt = |v: &f64| format!("{:.0}%", v * 100.0);
    let svg = render(height, |root| {
        draw_legend(root, &legend)?;
        let mut chart = ChartBuilder::on(root)
            .margin_top(legend_h + 6)
            .margin_left(8)
            .margin_right(30)
            .margin_bottom(4)
            .x_label_area_size(52)
            .y_label_area_size(78)
            .build_cartesian_2d(0.0..1.0f64, 0.0..1.0f64)?;
        chart
            .configure_mesh()
            .x_labels(11)
            .y_labels(11)
            .x_label_formatter(&pct_fmt)
            .y_label_formatter(&pct_fmt)
            .x_desc("Cumulative share of the force's area, densest first")
            .y_desc(y_desc)
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS)
            .label_style((FONT, LABEL_SIZE).into_font().color(&INK))
            .axis_desc_style((FONT, LABEL_SIZE).into_font().color(&INK))
            .draw()?;
        chart.draw_series(DashedLineSeries::new([(0.0, 0.0), (1.0, 1.0)], 9, 6, AXIS.stroke_width(2)))?;
        for c in curves {
            let style = c.color.stroke_width(3);
            if c.dashed {
                chart.draw_series(DashedLineSeries::new(c.points.iter().copied(), 12, 6, style))?;
            } else {
                chart.draw_series(LineSeries::new(c.points.iter().copied(), style))?;
            }
        }
        Ok(())
    })?;
    Ok(finish(&svg, id, title, desc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_makes_the_svg_scalable_and_labelled() {
        let raw = "<?xml version=\"1.0\"?>\n<svg width=\"800\" height=\"300\" viewBox=\"0 0 800 300\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/>\n</svg>\n";
        let s = finish(raw, "fig-x", "A & B", "desc <1>");
        assert!(s.starts_with("<svg class=\"chart\" id=\"fig-x\" viewBox=\"0 0 800 300\""));
        assert!(!s.contains("width=\"800\""));
        assert!(s.contains("role=\"img\" aria-label=\"A &amp; B\""));
        assert!(s.contains("<title>A &amp; B</title>"));
        assert!(s.contains("<desc id=\"fig-x-desc\">desc &lt;1&gt;</desc>"));
        assert!(!s.contains("<?xml"));
        assert!(s.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn month_labels_always_include_the_latest_month() {
        assert_eq!(month_label_step(12), 1);
        assert_eq!(month_label_step(24), 2);
        assert_eq!(month_label_step(36), 3);
    }

    #[test]
    fn bar_chart_escapes_labels() {
        let bars = [Bar { label: "Brighton & Hove <x>".into(), value: 3.0, value_label: "3".into(), color: BLUE }];
        let s = bar_chart(&bars, &[], "Harm", &|v| format!("{v}"), "t", "T", "D").unwrap();
        assert!(s.contains("Brighton &amp; Hove &lt;x&gt;"));
        assert!(!s.contains("<x>"));
    }
}
