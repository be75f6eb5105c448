//! Server-rendered SVG line chart (no script, no CDN): the share of each
//! arm with a contract by week since the launch. DSFR colours, a different
//! dash pattern and marker per line (colour is not the only cue), text
//! large enough at 320 px (the view box is 320 units wide), a title and a
//! description for screen readers; the same numbers are in the table beside
//! it.

use std::fmt::Write as _;

/// Line colours: blue France, red Marianne, green menthe, purple glycine,
/// brown café crème (DSFR), then grey for the control arm.
pub(crate) const COLOURS: [&str; 5] = ["#000091", "#e1000f", "#009081", "#a558a0", "#716043"];
/// The control arm's colour.
pub(crate) const CONTROL: &str = "#3a3a3a";

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 42.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 30.0;

/// One line: its name, whether it is the control arm, and one value per
/// week.
pub(crate) struct Series<'a> {
    pub(crate) name: &'a str,
    pub(crate) control: bool,
    pub(crate) values: Vec<f64>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The colour of series `i` (the control arm grey).
pub(crate) fn colour(i: usize, control: bool) -> &'static str {
    if control {
        CONTROL
    } else {
        COLOURS.get(i % COLOURS.len()).copied().unwrap_or(CONTROL)
    }
}

/// The chart of `series` over `weeks` (labels of the x axis).
pub(crate) fn lines(
    id: &str,
    title: &str,
    description: &str,
    weeks: &[i64],
    series: &[Series<'_>],
) -> String {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0_f64, f64::max);
    // The y axis to the next 5 %.
    let top = ((max * 20.0).ceil() / 20.0).max(0.05);
    let n = weeks.len().max(2) - 1;
    let x = |i: usize| LEFT + (WIDTH - LEFT - RIGHT) * i as f64 / n as f64;
    let y = |v: f64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - v / top);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"lba-chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-titre {id}-desc\" \
         xmlns=\"http://www.w3.org/2000/svg\" font-family=\"Marianne, arial, sans-serif\" font-size=\"12\">\
         <title id=\"{id}-titre\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(description)
    );
    // Horizontal grid and y labels: 0, 1/4 … top.
    for k in 0..=4 {
        let v = top * f64::from(k) / 4.0;
        let yy = y(v);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#dddddd\" stroke-width=\"1\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#3a3a3a\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 4.0,
            yy + 4.0,
            percent_label(v)
        );
    }
    // X labels: at most 7.
    let step = weeks.len().div_ceil(7).max(1);
    for (i, w) in weeks.iter().enumerate() {
        if i % step == 0 || i + 1 == weeks.len() {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#3a3a3a\">S{w}</text>",
                x(i),
                HEIGHT - BOTTOM + 16.0
            );
        }
    }
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" x2=\"{LEFT}\" y1=\"{TOP}\" y2=\"{:.1}\" stroke=\"#3a3a3a\"/>\
         <line x1=\"{LEFT}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#3a3a3a\"/>",
        HEIGHT - BOTTOM,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM,
        HEIGHT - BOTTOM
    );
    let mut variant = 0;
    for s in series {
        let c = colour(variant, s.control);
        let dash = if s.control {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let _ = write!(
            svg,
            "<g><title>{}</title><polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"2.5\"{dash} points=\"{}\"/>",
            escape(s.name),
            points.join(" ")
        );
        for (i, v) in s.values.iter().enumerate() {
            let (px, py) = (x(i), y(*v));
            if s.control {
                let _ = write!(
                    svg,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"6\" height=\"6\" fill=\"{c}\"/>",
                    px - 3.0,
                    py - 3.0
                );
            } else {
                let _ = write!(
                    svg,
                    "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"3\" fill=\"{c}\"/>"
                );
            }
        }
        svg.push_str("</g>");
        if !s.control {
            variant += 1;
        }
    }
    svg.push_str("</svg>");
    svg
}

/// "12 %" or "12,5 %".
pub(crate) fn percent_label(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{:.0}\u{a0}%", p)
    } else {
        format!("{:.1}\u{a0}%", p).replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_accessible_svg_with_one_line_per_arm() {
        let svg = lines(
            "g",
            "Contrats <par> semaine",
            "desc",
            &[0, 1, 2],
            &[
                Series {
                    name: "témoin",
                    control: true,
                    values: vec![0.0, 0.05, 0.1],
                },
                Series {
                    name: "a & b",
                    control: false,
                    values: vec![0.0, 0.1, 0.2],
                },
            ],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"g-titre g-desc\""));
        assert!(svg.contains("Contrats &lt;par&gt; semaine") && svg.contains("a &amp; b"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(
            svg.contains("stroke-dasharray") && svg.contains("#000091") && svg.contains(CONTROL)
        );
        assert!(svg.contains(">20\u{a0}%<"), "{svg}");
        assert!(!svg.contains("style="));
        assert_eq!(percent_label(0.125), "12,5\u{a0}%");
    }
}
