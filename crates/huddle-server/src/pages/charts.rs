//! Server-rendered SVG trend charts: a score over time on top of its severity bands.
//! Only numbers and fixed labels go in, so the markup is safe to embed.

use huddle_core::clock::Millis;

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

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
}
