//! French public holidays (jours fériés) of metropolitan France: the fixed
//! ones and those that follow Easter (Lundi de Pâques, Ascension, Lundi de
//! Pentecôte). Easter Sunday by the anonymous Gregorian algorithm
//! (Meeus/Jones/Butcher).

use chrono::{Datelike, Days, NaiveDate};

/// Easter Sunday of `year` (Gregorian calendar).
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The eleven public holidays of `year`, in date order, with their names.
pub fn holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let fixed = [
        (1, 1, "Jour de l'an"),
        (5, 1, "Fête du Travail"),
        (5, 8, "Victoire 1945"),
        (7, 14, "Fête nationale"),
        (8, 15, "Assomption"),
        (11, 1, "Toussaint"),
        (11, 11, "Armistice 1918"),
        (12, 25, "Noël"),
    ];
    let mut out: Vec<(NaiveDate, &'static str)> = fixed
        .iter()
        .filter_map(|&(m, d, name)| Some((NaiveDate::from_ymd_opt(year, m, d)?, name)))
        .collect();
    if let Some(easter) = easter(year) {
        for (offset, name) in [
            (1, "Lundi de Pâques"),
            (39, "Ascension"),
            (50, "Lundi de Pentecôte"),
        ] {
            if let Some(day) = easter.checked_add_days(Days::new(offset)) {
                out.push((day, name));
            }
        }
    }
    out.sort();
    out
}

/// Whether `day` is a public holiday.
pub fn is_holiday(day: NaiveDate) -> bool {
    holidays(day.year()).iter().any(|(d, _)| *d == day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn easter_matches_published_dates() {
        for (y, m, day) in [
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2000, 4, 23),
        ] {
            assert_eq!(easter(y), Some(d(y, m, day)), "{y}");
        }
    }

    #[test]
    fn holidays_2025_to_2027_match_the_official_calendar() {
        let expect = |y: i32, movable: [(u32, u32); 3]| {
            let mut want = vec![
                d(y, 1, 1),
                d(y, 5, 1),
                d(y, 5, 8),
                d(y, 7, 14),
                d(y, 8, 15),
                d(y, 11, 1),
                d(y, 11, 11),
                d(y, 12, 25),
            ];
            want.extend(movable.iter().map(|&(m, day)| d(y, m, day)));
            want.sort();
            let got: Vec<NaiveDate> = holidays(y).into_iter().map(|(d, _)| d).collect();
            assert_eq!(got, want, "{y}");
        };
        // Lundi de Pâques, Ascension, Lundi de Pentecôte (service-public.fr).
        expect(2025, [(4, 21), (5, 29), (6, 9)]);
        expect(2026, [(4, 6), (5, 14), (5, 25)]);
        expect(2027, [(3, 29), (5, 6), (5, 17)]);
        assert!(is_holiday(d(2026, 5, 14)));
        assert!(!is_holiday(d(2026, 5, 13)));
    }
}

/// A working day: Monday to Friday and not a public holiday.
pub fn is_working_day(day: NaiveDate) -> bool {
    use chrono::{Datelike, Weekday};
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(day)
}

/// The day `n` working days after `day` (`day` itself does not count).
pub fn add_working_days(day: NaiveDate, n: u32) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod working_days {
    use super::*;

    #[test]
    fn weekends_and_holidays_are_skipped() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        // Friday 8 May 2026 is a holiday (Victoire 1945): Thursday 7 May
        // + 3 working days is Wednesday 13 May (Monday 11, Tuesday 12,
        // Wednesday 13); Thursday 14 is Ascension.
        assert!(!is_working_day(d(5, 8)));
        assert!(!is_working_day(d(5, 14)));
        assert_eq!(add_working_days(d(5, 7), 3), d(5, 13));
        assert_eq!(add_working_days(d(5, 13), 1), d(5, 15));
        // Friday + 1 is Monday.
        assert_eq!(add_working_days(d(12, 4), 1), d(12, 7));
        // Christmas Friday 25 December 2026: Thursday 24 + 1 is Monday 28.
        assert_eq!(add_working_days(d(12, 24), 1), d(12, 28));
        assert_eq!(add_working_days(d(12, 24), 0), d(12, 24));
    }
}
