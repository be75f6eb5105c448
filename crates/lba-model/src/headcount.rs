//! INSEE headcount brackets ("tranche d'effectif salarié") as numbers.

/// The midpoint of an INSEE bracket code (`"11"` = 10–19 → 14.5); `None`
/// for an unknown code or `NN` (not stated). The open bracket `53`
/// (10,000 and more) counts as 12,000.
pub fn midpoint(code: &str) -> Option<f64> {
    Some(match code.trim() {
        "00" => 0.0,
        "01" => 1.5,
        "02" => 4.0,
        "03" => 7.5,
        "11" => 14.5,
        "12" => 34.5,
        "21" => 74.5,
        "22" => 149.5,
        "31" => 224.5,
        "32" => 374.5,
        "41" => 749.5,
        "42" => 1499.5,
        "51" => 3499.5,
        "52" => 7499.5,
        "53" => 12_000.0,
        _ => return None,
    })
}

/// The headcount feature: `ln(1 + midpoint)`, 0 when unknown (the
/// intercept absorbs it; establishments without a stated headcount are
/// mostly very small).
pub fn feature(code: Option<&str>) -> f64 {
    code.and_then(midpoint).map_or(0.0, f64::ln_1p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets() {
        assert_eq!(midpoint("11"), Some(14.5));
        assert_eq!(midpoint("NN"), None);
        assert_eq!(feature(None), 0.0);
        assert!((feature(Some("01")) - 2.5f64.ln()).abs() < 1e-12);
    }
}
