//! Server-rendered SVG trend charts: a score over time on top of its severity bands.
//! Only numbers and fixed labels go in, so the markup is safe to embed.

use huddle_core::clock::Millis;
use huddle_core::markup::escape;

pub struct Band {
    pub from: f64,
    pub to: f64,
    pub label: &'static str,
    /// 0 (best) to 4 (worst): the band's shade.
    pub severity: u8,
}

const W: f64 = 340.0;
const H: f64 = 180.0;
const LEFT: f64 = 100.0;

pub fn trend_svg(
    title: &str,
    points: &[(Millis, f64)],
    min: f64,
    max: f64,
    bands: &[Band],
) -> String {
    let span = (max - min).max(1.0);
    let y = |v: f64| H - ((v - min) / span * H);
    let mut svg = format!(
        "<svg viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\" aria-label=\"{} over time\" xmlns=\"http://www.w3.org/2000/svg\">",
        LEFT + W + 10.0,
        H + 10.0,
        escape(title)
    );
    const SHADES: [&str; 5] = ["#e6f4ea", "#fef7e0", "#fde7c7", "#fbd3c4", "#f6c2c2"];
    for b in bands {
        let (top, bottom) = (y(b.to + 0.5).max(0.0), y(b.from - 0.5).min(H));
        let shade = SHADES
            .get(usize::from(b.severity))
            .copied()
            .unwrap_or("#eeeeee");
        svg.push_str(&format!(
            "<rect x=\"{LEFT}\" y=\"{top:.1}\" width=\"{W}\" height=\"{:.1}\" fill=\"{shade}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#333\">{}</text>",
            (bottom - top).max(0.0),
            LEFT - 4.0,
            (top + bottom) / 2.0 + 4.0,
            escape(b.label)
        ));
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let t_span = ((last.0 - first.0) as f64).max(1.0);
        let x = |t: Millis| {
            if points.len() == 1 {
                LEFT + W / 2.0
            } else {
                LEFT + 8.0 + (t - first.0) as f64 / t_span * (W - 16.0)
            }
        };
        let path: Vec<String> = points
            .iter()
            .map(|(t, v)| format!("{:.1},{:.1}", x(*t), y(*v)))
            .collect();
        svg.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"2\"/>",
            path.join(" ")
        ));
        for (t, v) in points {
            svg.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"#1d4ed8\"><title>{v}</title></circle>",
                x(*t),
                y(*v)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Colours for several series (distinguishable, and dark enough on white).
const PALETTE: [&str; 8] = [
    "#1d4ed8", "#b45309", "#047857", "#be123c", "#6d28d9", "#0e7490", "#4d7c0f", "#9d174d",
];

/// How a value reads on a chart axis or label.
#[derive(Clone, Copy)]
pub enum Unit {
    /// 0–1 shown as a percentage.
    Percent,
    /// A plain number with one decimal.
    Number,
}

impl Unit {
    pub fn format(self, v: f64) -> String {
        match self {
            Unit::Percent => format!("{:.0}%", v * 100.0),
            Unit::Number => format!("{v:.1}"),
        }
    }
}

/// A named series: one (value, group size) per month, None where not shown.
pub type Series = (String, Vec<Option<(f64, u64)>>);

/// Several series over the same months (leaders' trends). A missing value (suppressed or
/// no data) breaks the line rather than joining across it; every point's tooltip names
/// its group size.
pub fn lines_svg(
    title: &str,
    labels: &[String],
    series: &[Series],
    min: f64,
    max: f64,
    unit: Unit,
) -> String {
    const LW: f64 = 360.0;
    const LH: f64 = 170.0;
    const PAD: f64 = 44.0;
    let legend_rows = series.len().div_ceil(2) as f64;
    let height = LH + 36.0 + legend_rows * 16.0;
    let span = (max - min).max(f64::EPSILON);
    let y = |v: f64| 8.0 + LH - ((v.clamp(min, max) - min) / span * LH);
    let n = labels.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            PAD + LW / 2.0
        } else {
            PAD + 6.0 + i as f64 / (n - 1) as f64 * (LW - 12.0)
        }
    };
    let mut svg = format!(
        "<svg viewBox=\"0 0 {} {height:.0}\" width=\"100%\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\">",
        PAD + LW + 24.0,
        escape(title)
    );
    for frac in [0.0, 0.5, 1.0] {
        let v = min + span * frac;
        svg.push_str(&format!(
            "<line x1=\"{PAD}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#d1d5db\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#374151\">{}</text>",
            PAD + LW,
            y(v),
            y(v),
            PAD - 4.0,
            y(v) + 4.0,
            escape(&unit.format(v))
        ));
    }
    let step = n.div_ceil(6).max(1);
    for (i, label) in labels.iter().enumerate() {
        if i % step == 0 || i + 1 == n {
            svg.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#374151\">{}</text>",
                x(i),
                LH + 24.0,
                escape(label)
            ));
        }
    }
    for (k, (name, points)) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, svg: &mut String| {
            if run.len() > 1 {
                svg.push_str(&format!(
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                    run.join(" ")
                ));
            }
            run.clear();
        };
        for (i, p) in points.iter().enumerate() {
            match p {
                Some((v, _)) => run.push(format!("{:.1},{:.1}", x(i), y(*v))),
                None => flush(&mut run, &mut svg),
            }
        }
        flush(&mut run, &mut svg);
        for (i, p) in points.iter().enumerate() {
            if let Some((v, size)) = p {
                svg.push_str(&format!(
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"><title>{}, {}: {} (n ≈ {size})</title></circle>",
                    x(i),
                    y(*v),
                    escape(name),
                    escape(labels.get(i).map_or("", String::as_str)),
                    escape(&unit.format(*v))
                ));
            }
        }
        let (lx, ly) = (
            PAD + (k % 2) as f64 * (LW / 2.0),
            LH + 44.0 + (k / 2) as f64 * 16.0,
        );
        svg.push_str(&format!(
            "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>\
             <text x=\"{:.1}\" y=\"{ly:.1}\" font-size=\"11\" fill=\"#111827\">{}</text>",
            ly - 9.0,
            lx + 14.0,
            escape(&shorten(name, 26))
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// One bar per group for one month; a suppressed group gets an empty outline and the word
/// "suppressed" instead of a bar, and every bar states its group size.
pub fn bars_svg(
    title: &str,
    rows: &[(String, Option<(f64, u64)>)],
    max: f64,
    unit: Unit,
) -> String {
    const LABEL: f64 = 150.0;
    const BAR: f64 = 200.0;
    const ROW: f64 = 26.0;
    let height = rows.len().max(1) as f64 * ROW + 6.0;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {} {height:.0}\" width=\"100%\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\">",
        LABEL + BAR + 110.0,
        escape(title)
    );
    for (i, (name, value)) in rows.iter().enumerate() {
        let top = 4.0 + i as f64 * ROW;
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#111827\">{}</text>",
            LABEL - 6.0,
            top + 14.0,
            escape(&shorten(name, 22))
        ));
        match value {
            Some((v, n)) => {
                let w = (v / max.max(f64::EPSILON)).clamp(0.0, 1.0) * BAR;
                svg.push_str(&format!(
                    "<rect x=\"{LABEL}\" y=\"{top:.1}\" width=\"{w:.1}\" height=\"18\" fill=\"#1d4ed8\"><title>{}: {} (n ≈ {n})</title></rect>\
                     <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#111827\">{} · n ≈ {n}</text>",
                    escape(name),
                    escape(&unit.format(*v)),
                    LABEL + w + 4.0,
                    top + 14.0,
                    escape(&unit.format(*v))
                ));
            }
            None => svg.push_str(&format!(
                "<rect x=\"{LABEL}\" y=\"{top:.1}\" width=\"{BAR}\" height=\"18\" fill=\"none\" stroke=\"#9ca3af\" stroke-dasharray=\"4 3\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#4b5563\">suppressed</text>",
                LABEL + 6.0,
                top + 14.0
            )),
        }
    }
    svg.push_str("</svg>");
    svg
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The chart of each score Huddle tracks: its title, range and bands.
pub fn chart_spec(score: &str) -> Option<(&'static str, f64, f64, Vec<Band>)> {
    let b = |from: f64, to: f64, label: &'static str, severity: u8| Band {
        from,
        to,
        label,
        severity,
    };
    Some(match score {
        "phq9" => (
            "Depression (PHQ-9)",
            0.0,
            27.0,
            vec![
                b(0.0, 4.0, "minimal", 0),
                b(5.0, 9.0, "mild", 1),
                b(10.0, 14.0, "moderate", 2),
                b(15.0, 19.0, "mod. severe", 3),
                b(20.0, 27.0, "severe", 4),
            ],
        ),
        "gad7" => (
            "Anxiety (GAD-7)",
            0.0,
            21.0,
            vec![
                b(0.0, 4.0, "minimal", 0),
                b(5.0, 9.0, "mild", 1),
                b(10.0, 14.0, "moderate", 2),
                b(15.0, 21.0, "severe", 4),
            ],
        ),
        "phq2" => (
            "Mood screen (PHQ-2)",
            0.0,
            6.0,
            vec![b(0.0, 2.0, "negative", 0), b(3.0, 6.0, "positive", 3)],
        ),
        "gad2" => (
            "Anxiety screen (GAD-2)",
            0.0,
            6.0,
            vec![b(0.0, 2.0, "negative", 0), b(3.0, 6.0, "positive", 3)],
        ),
        "burnout" => (
            "Burnout (single item)",
            1.0,
            5.0,
            vec![b(1.0, 2.0, "no burnout", 0), b(3.0, 5.0, "burnout", 3)],
        ),
        "who5" => (
            "Well-being (WHO-5)",
            0.0,
            25.0,
            vec![b(0.0, 12.0, "low", 3), b(13.0, 25.0, "good", 0)],
        ),
        "cbi_personal" => (
            "Personal burnout (CBI)",
            0.0,
            100.0,
            vec![b(0.0, 49.0, "low", 0), b(50.0, 100.0, "high", 3)],
        ),
        "cbi_work" => (
            "Work burnout (CBI)",
            0.0,
            100.0,
            vec![b(0.0, 49.0, "low", 0), b(50.0, 100.0, "high", 3)],
        ),
        "cbi_patient" => (
            "Patient-related burnout (CBI)",
            0.0,
            100.0,
            vec![b(0.0, 49.0, "low", 0), b(50.0, 100.0, "high", 3)],
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_draw_bands_and_points_and_escape_text() {
        let (title, min, max, bands) = chart_spec("phq9").unwrap();
        let svg = trend_svg(title, &[(0, 3.0), (1_000, 12.0)], min, max, &bands);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<rect").count(), 5);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("moderate"));
        let svg = trend_svg("<x>", &[], 0.0, 1.0, &[]);
        assert!(svg.contains("&lt;x&gt;"));
        assert!(chart_spec("pulse_workload").is_none());
    }

    #[test]
    fn leader_charts_break_lines_at_suppressed_months_and_state_group_sizes() {
        let labels: Vec<String> = ["Jan", "Feb", "Mar", "Apr"].map(String::from).to_vec();
        let svg = lines_svg(
            "Burnout <by> unit",
            &labels,
            &[
                (
                    "A & B".into(),
                    vec![Some((0.5, 10)), Some((0.4, 10)), None, Some((0.3, 15))],
                ),
                ("C".into(), vec![None, None, None, None]),
            ],
            0.0,
            1.0,
            Unit::Percent,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(
            svg.matches("<polyline").count(),
            1,
            "the gap breaks the line"
        );
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("n ≈ 15") && svg.contains("A &amp; B") && svg.contains("&lt;by&gt;"));
        let bars = bars_svg(
            "Now",
            &[("A".into(), Some((0.25, 10))), ("B".into(), None)],
            1.0,
            Unit::Percent,
        );
        assert!(bars.contains("25% · n ≈ 10") && bars.contains("suppressed"));
    }
}
