//! Text and number formatting for the paper: HTML escaping, thousands separators,
//! percentages to one decimal place, month names as board papers write them.

use peel_domain::YearMonth;

/// Escapes text for HTML element content and attribute values (double- or single-quoted).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Inserts thousands separators into a string of ASCII digits.
fn group_digits(digits: &str) -> String {
    let head = match digits.len() % 3 {
        0 => digits.len().min(3),
        r => r,
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    out.push_str(&digits[..head]);
    for chunk in digits.as_bytes()[head..].chunks(3) {
        out.push(',');
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
    }
    out
}

/// A count with thousands separators: 14771 → "14,771".
pub fn int(n: u64) -> String {
    group_digits(&n.to_string())
}

/// A number with thousands separators and `dp` decimal places: (-12345.678, 1) → "-12,345.7".
/// Never prints "-0".
pub fn num(x: f64, dp: usize) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let text = format!("{:.*}", dp, x.abs());
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text.as_str(), None),
    };
    let negative = x < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group_digits(whole));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A whole-number rendering of a real quantity (harm days, counts averaged): thousands
/// separators, no decimals.
pub fn whole(x: f64) -> String {
    num(x, 0)
}

/// An average: whole numbers from 100 up ("14,771"), one decimal place below ("12.5").
pub fn average(x: f64) -> String {
    if x.abs() >= 100.0 {
        num(x, 0)
    } else {
        num(x, 1)
    }
}

/// A fraction as a percentage to one decimal place: 0.1234 → "12.3%".
pub fn pct(fraction: f64) -> String {
    format!("{}%", num(fraction * 100.0, 1))
}

/// A value already in percent, signed, one decimal place: 7.5 → "+7.5%", -2.13 → "-2.1%".
pub fn signed_pct(percent: f64) -> String {
    let body = num(percent, 1);
    if body.starts_with('-') || body == "0.0" {
        format!("{body}%")
    } else {
        format!("+{body}%")
    }
}

/// A share of the geography as the papers quote it: 0.01 → "1%", 0.014 → "1.4%".
pub fn area_share_label(fraction: f64) -> String {
    let p = fraction * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}%", p.round() as i64)
    } else {
        format!("{}%", num(p, 1))
    }
}

/// "July 2017".
pub fn month_long(m: YearMonth) -> String {
    m.long_label()
}

/// "July 2017" from police.uk's "2017-07"; the text itself if it is not a month.
pub fn month_long_str(s: &str) -> String {
    YearMonth::parse(s).map(month_long).unwrap_or_else(|_| s.to_string())
}

/// "Apr-17 to Jul-17", or "Jul-17" for a single month.
pub fn period(from: YearMonth, to: YearMonth) -> String {
    if from == to {
        from.short_label()
    } else {
        format!("{} to {}", from.short_label(), to.short_label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(14771), "14,771");
        assert_eq!(int(1234567), "1,234,567");
        assert_eq!(num(-12345.678, 1), "-12,345.7");
        assert_eq!(num(-0.04, 1), "0.0");
        assert_eq!(whole(123456.5), "123,456"); // round half to even in format!
        assert_eq!(average(14771.2), "14,771");
        assert_eq!(average(12.54), "12.5");
    }

    #[test]
    fn percentages_have_one_decimal_place() {
        assert_eq!(pct(0.1234), "12.3%");
        assert_eq!(pct(1.0), "100.0%");
        assert_eq!(signed_pct(7.5), "+7.5%");
        assert_eq!(signed_pct(-2.13), "-2.1%");
        assert_eq!(signed_pct(-0.01), "0.0%");
        assert_eq!(area_share_label(0.01), "1%");
        assert_eq!(area_share_label(0.014), "1.4%");
        assert_eq!(area_share_label(0.10), "10%");
    }

    #[test]
    fn escaping_and_months() {
        assert_eq!(escape(r#"A & B <c> "d" 'e'"#), "A &amp; B &lt;c&gt; &quot;d&quot; &#39;e&#39;");
        let jul = YearMonth::parse("2017-07").unwrap();
        assert_eq!(month_long(jul), "July 2017");
        assert_eq!(month_long_str("2017-07"), "July 2017");
        assert_eq!(period(YearMonth::parse("2017-04").unwrap(), jul), "Apr-17 to Jul-17");
    }
}
