#!/usr/bin/env python3
"""Benchmark peer for Peel: the monthly force board paper as an analyst builds it today in pandas.

It mirrors the Peel pipeline end to end on the same inputs: load police.uk street CSVs, ONS
LSOA population and LSOA->force/local-authority lookup, Cambridge Crime Harm Index weights;
then for one force and month compute headline counts, outcomes, population rate and harm,
the monthly series with financial-year-to-date change (overall and per category) and rolling
12-month sums, an XmR SPC chart with the usual special-cause rules, harm by local authority,
and harm concentration over LSOAs and 250 m British National Grid cells; finally write an HTML
board paper (inline matplotlib SVG charts) and a JSON summary. Idiomatic, vectorised pandas.

Choices worth knowing when comparing with Peel:
- Months are those present in the loaded data (no gap filling); rolling 12-month sums add the
  months present in each 12-calendar-month window.
- SPC trend rule: 7 consecutive points each strictly above (below) the previous one; a run
  is 7 consecutive points strictly on one side of the mean; 2-of-3 counts points beyond
  mean +/- 2 sigma on the same side within any 3 consecutive points.
- Concentration units are those with at least one crime in the month (rows with no LSOA /
  no coordinates are left out of that unit's analysis); top k% = the ceil(k% x N) units.
"""
import argparse, io, json, math
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from pyproj import Transformer

ASB = "Anti-social behaviour"
OGL = "Contains public sector information licensed under the Open Government Licence v3.0."
COLS = ["Month", "Falls within", "Longitude", "Latitude", "LSOA code", "Crime type",
        "Last outcome category"]


def load_police(paths):
    files = sorted(f for p in map(Path, paths)
                   for f in (p.rglob("*.csv") if p.is_dir() else [p]))
    dtype = {c: "str" for c in COLS} | {"Longitude": "float64", "Latitude": "float64"}
    df = pd.concat((pd.read_csv(f, usecols=COLS, dtype=dtype, keep_default_na=False,
                                na_values={"Longitude": [""], "Latitude": [""]})
                    for f in files), ignore_index=True)
    df["Month"] = pd.PeriodIndex(df["Month"], freq="M")
    return df


def harm_weights(path):
    h = pd.read_csv(path)
    h["w"] = h["cchi_days"] * h["national_count_2024_25"]
    g = h.groupby("category")[["w", "national_count_2024_25"]].sum()
    return (g["w"] / g["national_count_2024_25"]).to_dict() | {ASB: 0.0}


def spc(s):
    """XmR chart over a monthly series; returns a frame with limits and rule flags."""
    x = s.astype(float)
    mean, mr = x.mean(), x.diff().abs().mean()
    mr = 0.0 if np.isnan(mr) else mr
    sigma = mr / 1.128
    d = pd.DataFrame({"value": x, "mean": mean, "ucl": mean + 2.66 * mr, "lcl": mean - 2.66 * mr})
    d["outside"] = (x > d["ucl"]) | (x < d["lcl"])
    side = np.sign(x - mean)
    run_id = (side != side.shift()).cumsum()
    d["run7"] = (side != 0) & (side.groupby(run_id).transform("size") >= 7)
    step = np.sign(x.diff())
    trend_id = (step != step.shift()).cumsum()
    trend_len = step.groupby(trend_id).transform("size")  # number of consecutive steps
    in_trend = (step != 0) & step.notna() & (trend_len >= 6)
    d["trend7"] = in_trend | in_trend.shift(-1, fill_value=False)  # include each run's first point
    flags = pd.Series(False, index=x.index)
    for beyond in (x > mean + 2 * sigma, x < mean - 2 * sigma):
        hit = beyond.astype(int).rolling(3, min_periods=1).sum() >= 2
        for lag in range(3):  # mark the beyond-2-sigma points inside each qualifying window
            flags |= beyond & hit.shift(-lag, fill_value=False)
    d["two_of_three"] = flags
    d["special_cause"] = d[["outside", "run7", "trend7", "two_of_three"]].any(axis=1)
    return d, mean, mr


def concentration(units):
    """units: frame indexed by unit with 'harm' and 'crimes'; returns (sorted frame, summary)."""
    u = units.sort_values(["harm", "crimes"], ascending=False)
    total, n = u["harm"].sum(), len(u)
    u["cum_share"] = u["harm"].cumsum() / total if total else 0.0
    u["unit_share"] = np.arange(1, n + 1) / n
    cum = u["cum_share"].to_numpy()
    out = {"units": n, "harm": float(total)}
    for k in (1, 5, 10):
        out[f"top_{k}pct_harm_share"] = float(cum[math.ceil(k / 100 * n) - 1]) if n else 0.0
    for k in (50, 25):
        m = int(np.searchsorted(cum, k / 100 - 1e-12) + 1) if n and total else 0
        out[f"units_for_{k}pct_harm"], out[f"unit_share_for_{k}pct_harm"] = m, m / n if n else 0.0
    return u, out


def svg(fig):
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()[buf.getvalue().find("<svg"):]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--police-uk", nargs="+", required=True)
    for a in ("--ons-population", "--ons-lookup", "--harm", "--force", "--month",
              "--out-html", "--out-json"):
        ap.add_argument(a, required=True)
    a = ap.parse_args()

    # 1. Load
    df = load_police(a.police_uk)
    pop = pd.read_csv(a.ons_population, header=None, skiprows=1, usecols=[6, 9, 12, 14],
                      names=["lsoa", "persons", "hectares", "households"], thousands=",")
    lookup = pd.read_csv(a.ons_lookup, usecols=["LSOA Code", "Local authority name", "Police_force"])
    weights = harm_weights(a.harm)
    month = pd.Period(a.month, freq="M")
    ons_force = next((a.force.removesuffix(s) for s in (" Police Service", " Constabulary", " Police")
                      if a.force.endswith(s)), a.force)

    # 2. Headline figures for the month
    f = df[df["Falls within"] == a.force]
    crimes_all = f[f["Crime type"] != ASB].copy()
    crimes_all["harm"] = crimes_all["Crime type"].map(weights).fillna(0.0)
    m = crimes_all[crimes_all["Month"] == month]
    asb = int(((f["Month"] == month) & (f["Crime type"] == ASB)).sum())
    by_cat = m["Crime type"].value_counts().sort_index()
    outcomes = m.loc[m["Last outcome category"] != "", "Last outcome category"].value_counts()
    force_lsoas = lookup.loc[lookup["Police_force"] == ons_force, "LSOA Code"]
    population = int(pop.loc[pop["lsoa"].isin(force_lsoas), "persons"].sum())
    rate = len(m) / population * 1000 if population else 0.0
    harm = float(m["harm"].sum())

    # 3. Monthly series, financial YTD vs previous year, rolling 12-month sums
    series = crimes_all.groupby("Month").size().sort_index()
    full = pd.period_range(series.index.min(), series.index.max(), freq="M")
    rolling12 = series.reindex(full, fill_value=0).rolling(12, min_periods=1).sum().reindex(series.index)
    fy_start = pd.Period(year=month.year if month.month >= 4 else month.year - 1, month=4, freq="M")
    cur = crimes_all["Month"].between(fy_start, month)
    prev = crimes_all["Month"].between(fy_start - 12, month - 12)
    ytd = pd.DataFrame({"month": by_cat,
                        "ytd": crimes_all[cur].groupby("Crime type").size(),
                        "prev_ytd": crimes_all[prev].groupby("Crime type").size()}).fillna(0).astype(int)
    ytd.loc["All crime"] = ytd.sum()
    ytd["change_pct"] = ((ytd["ytd"] - ytd["prev_ytd"]) / ytd["prev_ytd"].replace(0, np.nan) * 100).round(1)
    ytd["harm_weight"] = pd.Series(weights).reindex(ytd.index).round(2)

    # 4. SPC XmR
    chart, mean, mr = spc(series)

    # 5. Harm by local authority
    la = m.merge(lookup[["LSOA Code", "Local authority name"]], how="left",
                 left_on="LSOA code", right_on="LSOA Code")
    la["Local authority name"] = la["Local authority name"].fillna("(no LSOA / outside lookup)")
    by_la = (la.groupby("Local authority name").agg(crimes=("harm", "size"), harm=("harm", "sum"))
             .sort_values("harm", ascending=False))
    by_la["harm_share_pct"] = (by_la["harm"] / harm * 100).round(1) if harm else 0.0

    # 6. Concentration per LSOA and per 250 m BNG cell
    lsoa_units = m[m["LSOA code"] != ""].groupby("LSOA code").agg(harm=("harm", "sum"), crimes=("harm", "size"))
    xy = m.dropna(subset=["Longitude", "Latitude"])
    e, n = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(
        xy["Longitude"].to_numpy(), xy["Latitude"].to_numpy())
    cells = pd.DataFrame({"cx": np.floor(e / 250).astype(np.int64), "cy": np.floor(n / 250).astype(np.int64),
                          "harm": xy["harm"].to_numpy()})
    cell_units = cells.groupby(["cx", "cy"]).agg(harm=("harm", "sum"), crimes=("harm", "size"))
    lsoa_curve, lsoa_conc = concentration(lsoa_units)
    cell_curve, cell_conc = concentration(cell_units)

    # 7. HTML board paper
    labels = [str(p) for p in chart.index]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(labels, chart["value"], marker="o", label="Crimes")
    for col, style in (("mean", "-"), ("ucl", "--"), ("lcl", "--")):
        ax.plot(labels, chart[col], style, color="grey", label=col.upper())
    sc = chart[chart["special_cause"]]
    ax.plot([str(p) for p in sc.index], sc["value"], "o", color="red", label="Special cause")
    ax.set_title(f"{a.force}: recorded crime by month (XmR)"); ax.legend(fontsize=7)
    trend_svg = svg(fig)
    fig, ax = plt.subplots(figsize=(5, 4))
    for name, c in (("LSOA", lsoa_curve), ("250 m cell", cell_curve)):
        ax.plot(np.r_[0, c["unit_share"]] * 100, np.r_[0, c["cum_share"]] * 100, label=name)
    ax.plot([0, 100], [0, 100], ":", color="grey")
    ax.set_xlabel("% of units (most harmful first)"); ax.set_ylabel("% of harm")
    ax.set_title(f"Harm concentration, {month}"); ax.legend()
    conc_svg = svg(fig)
    ytd_all = ytd.loc["All crime"]
    series_tab = pd.DataFrame({"crimes": series, "rolling_12m": rolling12.astype(int)})
    series_tab = series_tab.join(chart[["mean", "ucl", "lcl", "special_cause"]].round(1))
    conc_tab = pd.DataFrame({"LSOA": lsoa_conc, "250 m cell": cell_conc}, dtype=object).map(
        lambda v: f"{v:,}" if isinstance(v, int) else f"{v:,.3f}")
    headline = pd.Series({"Crimes": f"{len(m):,}", "Anti-social behaviour": f"{asb:,}",
                          "Population (2011)": f"{population:,}", "Crimes per 1,000": f"{rate:.2f}",
                          "Harm (CCHI days)": f"{harm:,.0f}",
                          "Crime YTD vs last year": f"{int(ytd_all['ytd']):,} vs {int(ytd_all['prev_ytd']):,} "
                                                    f"({ytd_all['change_pct']:+.1f}%)",
                          "SPC mean / mean MR": f"{mean:,.1f} / {mr:,.1f}"}, name="value").to_frame()
    html = f"""<!doctype html><html><head><meta charset="utf-8"><title>{a.force} board paper {month}</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}}</style></head><body>
<h1>{a.force}: performance board paper, {month}</h1>
<h2>Headline figures</h2>{headline.to_html(header=False)}
<h2>Trend</h2>{trend_svg}{series_tab.to_html()}
<h2>Crime categories (financial year to date from {fy_start})</h2>{ytd.to_html(na_rep="-")}
<h2>Outcomes</h2>{outcomes.to_frame("crimes").to_html()}
<h2>Harm by local authority</h2>{by_la.round(1).to_html()}
<h2>Harm concentration</h2>{conc_svg}{conc_tab.to_html()}
<p>{OGL}</p></body></html>"""
    Path(a.out_html).write_text(html, encoding="utf-8")

    # 8. JSON summary
    summary = {"force": a.force, "month": str(month), "crimes": int(len(m)), "asb": asb,
               "by_category": {k: int(v) for k, v in by_cat.items()}, "population": population,
               "rate_per_1000": rate, "harm": harm,
               "outcomes": {k: int(v) for k, v in outcomes.items()}}
    Path(a.out_json).write_text(json.dumps(summary, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
