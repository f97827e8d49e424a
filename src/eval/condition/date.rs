//! Dates for the Date operators: "one of the W3C implementations of the
//! ISO 8601 date formats or in epoch (UNIX) time"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date>,
//! <https://www.w3.org/TR/NOTE-datetime>).
//!
//! Accepted: epoch seconds (`1700000000`, `1700000000.5`, `-86400`); `YYYY`,
//! `YYYY-MM`, `YYYY-MM-DD`, each optionally followed by `Thh:mm`,
//! `Thh:mm:ss` or `Thh:mm:ss.s…` and a zone (`Z`, `±hh:mm`, `±hhmm`,
//! `±hh`; none means UTC); and the ISO 8601 basic form
//! `YYYYMMDDThhmm[ss][zone]`. A string of digits alone is epoch seconds,
//! so `2024` is 2024 seconds after 1970, not the year.

/// A point in time: seconds since 1970-01-01T00:00:00Z and nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Instant {
    secs: i64,
    nanos: u32,
}

/// Epoch seconds with more digits than this are refused (year 33658+).
const MAX_EPOCH_DIGITS: usize = 12;

impl Instant {
    /// Parses epoch seconds or an ISO 8601 date/time.
    pub(super) fn parse(text: &str) -> Option<Self> {
        parse_utc_seconds(text)
            .or_else(|| parse_epoch(text))
            .or_else(|| parse_iso(text))
    }
}

/// The common `YYYY-MM-DDThh:mm:ssZ` (the form of `aws:CurrentTime`) read
/// at fixed positions; anything else, or out of range, is left to the
/// general parsers.
fn parse_utc_seconds(text: &str) -> Option<Instant> {
    let b = text.as_bytes();
    let shape = b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z';
    if !shape {
        return None;
    }
    let field = |at: usize, len: usize| {
        b.get(at..at + len)?.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (year, month, day) = (field(0, 4)?, field(5, 2)?, field(8, 2)?);
    let (hour, minute, second) = (field(11, 2)?, field(14, 2)?, field(17, 2)?);
    let year = i64::from(year);
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let seconds_of_day = i64::from(hour * 3600 + minute * 60 + second);
    Some(Instant {
        secs: days_from_civil(year, month, day) * 86_400 + seconds_of_day,
        nanos: 0,
    })
}

fn parse_epoch(text: &str) -> Option<Instant> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    if whole.is_empty() || whole.len() > MAX_EPOCH_DIGITS || !is_digits(whole) {
        return None;
    }
    let mut secs = i64::try_from(digits_value(whole)).ok()?;
    let mut nanos = match frac {
        None => 0,
        Some(f) if !f.is_empty() && is_digits(f) => fraction_nanos(f),
        Some(_) => return None,
    };
    if negative {
        secs = -secs;
        if nanos > 0 {
            secs -= 1;
            nanos = 1_000_000_000 - nanos;
        }
    }
    Some(Instant { secs, nanos })
}

fn parse_iso(text: &str) -> Option<Instant> {
    let (date, time) = match text.find(['T', 't']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (year, month, day) = parse_date_part(date, time.is_some())?;
    let (seconds_of_day, nanos, offset) = match time {
        None => (0, 0, 0),
        Some(t) => parse_time_part(t)?,
    };
    let days = days_from_civil(year, month, day);
    Some(Instant {
        secs: days * 86_400 + seconds_of_day - offset,
        nanos,
    })
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or (only before a time) `YYYYMMDD`.
fn parse_date_part(date: &str, has_time: bool) -> Option<(i64, u32, u32)> {
    let b = date.as_bytes();
    let (y, m, d) = match b.len() {
        4 => (date, None, None),
        7 if b[4] == b'-' => (&date[..4], Some(&date[5..7]), None),
        10 if b[4] == b'-' && b[7] == b'-' => (&date[..4], Some(&date[5..7]), Some(&date[8..10])),
        8 if has_time => (&date[..4], Some(&date[4..6]), Some(&date[6..8])),
        _ => return None,
    };
    let field = |s: Option<&str>| match s {
        None => Some(1),
        Some(s) if is_digits(s) => u32::try_from(digits_value(s)).ok(),
        Some(_) => None,
    };
    if !is_digits(y) {
        return None;
    }
    let year = i64::try_from(digits_value(y)).ok()?;
    let (month, day) = (field(m)?, field(d)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some((year, month, day))
}

/// `hh:mm[:ss[.s…]][zone]` or `hhmm[ss][zone]`; returns the seconds of the
/// day, nanoseconds and the zone offset in seconds.
fn parse_time_part(time: &str) -> Option<(i64, u32, i64)> {
    let zone_at = time.find(['Z', 'z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_at);
    let offset = parse_zone(zone)?;
    let (clock, nanos) = match clock.split_once('.') {
        Some((c, f)) if !f.is_empty() && is_digits(f) => (c, fraction_nanos(f)),
        Some(_) => return None,
        None => (clock, 0),
    };
    let b = clock.as_bytes();
    let (h, m, s) = match b.len() {
        5 if b[2] == b':' => (&clock[..2], &clock[3..5], None),
        8 if b[2] == b':' && b[5] == b':' => (&clock[..2], &clock[3..5], Some(&clock[6..8])),
        4 => (&clock[..2], &clock[2..4], None),
        6 => (&clock[..2], &clock[2..4], Some(&clock[4..6])),
        _ => return None,
    };
    if nanos > 0 && s.is_none() {
        return None;
    }
    let num = |s: &str| {
        is_digits(s)
            .then(|| i64::try_from(digits_value(s)).ok())
            .flatten()
    };
    let (hour, minute, second) = (num(h)?, num(m)?, s.map_or(Some(0), num)?);
    let midnight_end = hour == 24 && minute == 0 && second == 0 && nanos == 0;
    if (hour > 23 && !midnight_end) || minute > 59 || second > 60 {
        return None;
    }
    Some((hour * 3600 + minute * 60 + second, nanos, offset))
}

/// `""` (UTC), `Z`, `±hh`, `±hhmm`, `±hh:mm`, as seconds east of UTC.
fn parse_zone(zone: &str) -> Option<i64> {
    if zone.is_empty() || zone.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let (sign, rest) = match zone.as_bytes()[0] {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    let (h, m) = match rest.len() {
        2 => (rest, "00"),
        4 => (&rest[..2], &rest[2..]),
        5 if rest.as_bytes()[2] == b':' => (&rest[..2], &rest[3..]),
        _ => return None,
    };
    if !is_digits(h) || !is_digits(m) {
        return None;
    }
    let (hours, minutes) = (
        i64::try_from(digits_value(h)).ok()?,
        i64::try_from(digits_value(m)).ok()?,
    );
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The value of an all-digit string of at most 18 digits.
fn digits_value(s: &str) -> u64 {
    s.bytes()
        .take(18)
        .fold(0, |acc, b| acc * 10 + u64::from(b - b'0'))
}

/// Nanoseconds from the digits after a decimal point (beyond nine ignored).
fn fraction_nanos(f: &str) -> u32 {
    let mut nanos = 0u32;
    for (i, b) in f.bytes().take(9).enumerate() {
        nanos += u32::from(b - b'0') * 10u32.pow(8 - u32::try_from(i).unwrap_or(8));
    }
    nanos
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> i64 {
        Instant::parse(text)
            .unwrap_or_else(|| panic!("{text} should parse"))
            .secs
    }

    // W3C profiles of ISO 8601 and epoch seconds.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
    #[test]
    fn iso_forms() {
        assert_eq!(secs("1970-01-01T00:00:00Z"), 0);
        assert_eq!(secs("2020-01-01T00:00:01Z"), 1_577_836_801);
        assert_eq!(secs("2020-01-01"), 1_577_836_800);
        assert_eq!(secs("2020-01"), 1_577_836_800);
        assert_eq!(secs("2019-07-16T12:00:00Z"), 1_563_278_400);
        assert_eq!(secs("2019-07-16T12:00Z"), 1_563_278_400);
        assert_eq!(secs("2019-07-16T12:00:00"), 1_563_278_400, "no zone is UTC");
        assert_eq!(
            secs("1997-07-16T19:20:30+01:00"),
            secs("1997-07-16T18:20:30Z")
        );
        assert_eq!(
            secs("1997-07-16T19:20:30-0130"),
            secs("1997-07-16T20:50:30Z")
        );
        assert_eq!(secs("1997-07-16T19:20:30+01"), secs("1997-07-16T18:20:30Z"));
        assert_eq!(secs("20190716T120000Z"), 1_563_278_400);
        assert_eq!(secs("2019-07-16t12:00:00z"), 1_563_278_400);
        assert_eq!(secs("2000-02-29"), 951_782_400);
        assert_eq!(secs("1969-12-31T23:59:59Z"), -1);
        assert_eq!(secs("2019-07-16T24:00:00Z"), secs("2019-07-17"));
        assert_eq!(secs("2016-12-31T23:59:60Z"), secs("2017-01-01T00:00:00Z"));
        assert_eq!(
            parse_utc_seconds("2019-07-16T12:00:00Z"),
            parse_iso("2019-07-16T12:00:00Z")
        );
        let frac = Instant::parse("2019-07-16T12:00:00.25Z").unwrap();
        assert_eq!(frac.nanos, 250_000_000);
        assert!(frac > Instant::parse("2019-07-16T12:00:00Z").unwrap());
    }

    // aws:EpochTime values: "in epoch (UNIX) time".
    #[test]
    fn epoch_seconds() {
        assert_eq!(secs("1577836801"), 1_577_836_801);
        assert_eq!(
            Instant::parse("1577836801"),
            Instant::parse("2020-01-01T00:00:01Z"),
            "epoch and ISO compare on one scale"
        );
        assert_eq!(secs("2024"), 2024, "digits alone are epoch seconds");
        let half = Instant::parse("-0.5").unwrap();
        assert_eq!((half.secs, half.nanos), (-1, 500_000_000));
    }

    #[test]
    fn invalid_dates() {
        for bad in [
            "",
            "yesterday",
            "2020-13-01",
            "2019-02-29",
            "2020-01-32",
            "2020-1-1",
            "2020-01-01T25:00:00Z",
            "2020-01-01T12:60Z",
            "2020-01-01T12:00:00+25:00",
            "2020-01-01T12Z",
            "2020-01-01T12:00.5Z",
            "2020-01-01T",
            "12345678901234",
            "1.",
            "2020-01-01 12:00:00",
        ] {
            assert!(Instant::parse(bad).is_none(), "{bad}");
        }
    }
}
