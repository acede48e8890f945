//! Time is a parameter: everything that expires, escalates or learns asks a `Clock`,
//! so tests can move time by hand.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, the one time unit stored everywhere.
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;
pub const DAY: Millis = 24 * HOUR;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Millis;
}

/// The wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place that reads the wall clock
    fn now(&self) -> Millis {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as Millis)
            .unwrap_or(0)
    }
}

/// A clock that only moves when told to, for tests.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn at(start: Millis) -> Self {
        Self(AtomicI64::new(start))
    }
    pub fn advance(&self, by: Millis) {
        self.0.fetch_add(by, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Millis {
        self.0.load(Ordering::SeqCst)
    }
}

/// `2026-11-22 18:40 UTC`, for pages and CLI output.
pub fn format_utc(at: Millis) -> String {
    Zone::utc().format(at)
}

/// `2026-11-22T18:40:05Z` (RFC 3339), for FHIR and other machine formats.
pub fn format_rfc3339(at: Millis) -> String {
    match timestamp(at) {
        Some(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => String::new(),
    }
}

/// Reads `2026-11-22T18:40:05Z`, `2026-11-22T18:40Z`, `2026-11-22 18:40:05+01:00` and the
/// like (RFC 3339, seconds optional, `Z` or a numeric offset), as schedules are exported.
/// A time without an offset is refused: see [`Zone::parse_local`] for those.
pub fn parse_rfc3339(text: &str) -> Option<Millis> {
    let t: jiff::Timestamp = text.trim().parse().ok()?;
    Some(t.as_millisecond())
}

fn timestamp(at: Millis) -> Option<jiff::Timestamp> {
    jiff::Timestamp::from_millisecond(at).ok()
}

/// A time zone by its IANA name (`America/New_York`, `Europe/Paris`, `UTC`): where an
/// organization or a person lives. Instants stay UTC milliseconds everywhere; a zone only
/// says how they read on a wall clock and how wall-clock input becomes an instant, daylight
/// saving included (the tz database through `jiff`).
#[derive(Debug, Clone)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}
impl Eq for Zone {}

impl Default for Zone {
    fn default() -> Zone {
        Zone::utc()
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

impl Zone {
    pub fn utc() -> Zone {
        Zone {
            name: "UTC".into(),
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    /// An IANA time zone name; the error says what is accepted.
    pub fn parse(name: &str) -> Result<Zone, String> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("utc") || name == "Etc/UTC" {
            return Ok(Zone::utc());
        }
        if name.is_empty()
            || name.len() > 64
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c))
        {
            return Err("an IANA time zone name like America/New_York or UTC".into());
        }
        let tz = jiff::tz::TimeZone::get(name).map_err(|_| {
            format!("{name:?} is not a known IANA time zone (e.g. America/New_York or UTC)")
        })?;
        let name = tz.iana_name().unwrap_or(name).to_string();
        Ok(Zone { name, tz })
    }

    /// A stored zone name, UTC when it is missing or no longer known.
    pub fn or_utc(name: Option<&str>) -> Zone {
        name.and_then(|n| Zone::parse(n).ok()).unwrap_or_default()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn is_utc(&self) -> bool {
        self.name == "UTC"
    }

    fn zoned(&self, at: Millis) -> Option<jiff::ZonedDateTime> {
        Some(timestamp(at)?.to_zoned_datetime(self.tz.clone()))
    }

    /// `2026-11-22 13:40 EST`: a moment on this zone's wall clock with its abbreviation,
    /// for pages and CLI output.
    pub fn format(&self, at: Millis) -> String {
        match self.zoned(at) {
            Some(z) if self.is_utc() => z.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            Some(z) => z.strftime("%Y-%m-%d %H:%M %Z").to_string(),
            None => String::new(),
        }
    }

    /// `2026-11-22T13:40`, the value of an `<input type="datetime-local">`.
    pub fn format_input(&self, at: Millis) -> String {
        match self.zoned(at) {
            Some(z) => z.strftime("%Y-%m-%dT%H:%M").to_string(),
            None => String::new(),
        }
    }

    /// The offset from UTC at a moment, in seconds (east positive).
    pub fn offset_s(&self, at: Millis) -> i64 {
        timestamp(at).map_or(0, |t| i64::from(self.tz.to_offset(t).seconds()))
    }

    /// Reads a time as schedules give it: with `Z` or an offset it is that instant (as
    /// [`parse_rfc3339`]); without one (`2026-11-23 07:00`, `2026-11-23T07:00:00`) it is
    /// this zone's wall clock. A wall time skipped by a daylight-saving change moves
    /// forward by the gap; a repeated one is the earlier of the two.
    pub fn parse_local(&self, text: &str) -> Option<Millis> {
        let text = text.trim();
        if let Some(at) = parse_rfc3339(text) {
            return Some(at);
        }
        let dt: jiff::civil::DateTime = text.parse().ok()?;
        self.instant(dt)
    }

    /// The instant of a wall-clock date and time in this zone (gaps move forward, folds
    /// take the earlier).
    pub fn instant(&self, dt: jiff::civil::DateTime) -> Option<Millis> {
        let t = self.tz.to_ambiguous_timestamp(dt).compatible().ok()?;
        Some(t.as_millisecond())
    }

    /// The wall-clock date and time of a moment in this zone.
    pub fn civil(&self, at: Millis) -> Option<jiff::civil::DateTime> {
        Some(self.zoned(at)?.datetime())
    }

    /// The local midnight that starts the day of `at` (its instant).
    pub fn start_of_day(&self, at: Millis) -> Millis {
        self.zoned(at)
            .and_then(|z| z.start_of_day().ok())
            .map_or(at.saturating_sub(at.rem_euclid(DAY)), |z| {
                z.timestamp().as_millisecond()
            })
    }
}

/// Zones offered in forms: the common ones first; any IANA name is accepted.
pub const COMMON_ZONES: &[&str] = &[
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "America/Toronto",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let clock = ManualClock::at(1_000);
        assert_eq!(clock.now(), 1_000);
        clock.advance(5 * MINUTE);
        assert_eq!(clock.now(), 1_000 + 300_000);
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(SystemClock.now() > 1_577_836_800_000);
    }

    #[test]
    fn parses_what_it_formats_and_offsets() {
        for at in [0, 951_782_400_000, 1_795_372_805_000] {
            assert_eq!(parse_rfc3339(&format_rfc3339(at)), Some(at));
        }
        assert_eq!(
            parse_rfc3339("2026-11-22T19:40:05+01:00"),
            Some(1_795_372_805_000)
        );
        assert_eq!(parse_rfc3339("2026-11-22 18:40Z"), Some(1_795_372_800_000));
        for bad in [
            "",
            "2026-02-30T00:00Z",
            "2026-11-22T25:00Z",
            "yesterday",
            "2026-11-22T18:40",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn zones_read_and_write_wall_clocks_across_daylight_saving() {
        let ny = Zone::parse("America/New_York").unwrap();
        assert_eq!(ny.name(), "America/New_York");
        // 2026-11-01 is the US fall-back night: 19:00 EDT to 07:00 EST is 13 hours.
        let start = ny.parse_local("2026-10-31 19:00").unwrap();
        let end = ny.parse_local("2026-11-01T07:00:00").unwrap();
        assert_eq!(end - start, 13 * HOUR);
        assert_eq!(ny.format(start), "2026-10-31 19:00 EDT");
        assert_eq!(ny.format(end), "2026-11-01 07:00 EST");
        // 2026-03-08 springs forward: the same night shift lasts 11 hours.
        let start = ny.parse_local("2026-03-07T19:00").unwrap();
        let end = ny.parse_local("2026-03-08T07:00").unwrap();
        assert_eq!(end - start, 11 * HOUR);
        // A skipped wall time moves forward; an explicit offset still wins.
        assert_eq!(
            ny.parse_local("2026-03-08T02:30"),
            ny.parse_local("2026-03-08T03:30")
        );
        assert_eq!(
            ny.parse_local("2026-11-22T18:40:05Z"),
            Some(1_795_372_805_000)
        );
        assert_eq!(ny.format_input(1_795_372_805_000), "2026-11-22T13:40");
        assert_eq!(ny.offset_s(1_795_372_805_000), -5 * 3600);
        assert_eq!(
            ny.start_of_day(1_795_372_805_000),
            ny.parse_local("2026-11-22T00:00").unwrap()
        );
        assert_eq!(ny.parse_local("2026-02-30T07:00"), None);
        assert_eq!(
            Zone::utc().parse_local("2026-11-22 18:40:05"),
            Some(1_795_372_805_000)
        );
    }

    #[test]
    fn zone_names_are_checked() {
        assert!(Zone::parse("Europe/Paris").is_ok());
        assert_eq!(Zone::parse("utc").unwrap(), Zone::utc());
        for bad in ["", "Mars/Olympus_Mons", "../../etc/passwd", "EST5EDT; DROP"] {
            assert!(Zone::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Zone::or_utc(Some("Nowhere/Else")), Zone::utc());
        assert_eq!(Zone::or_utc(None).name(), "UTC");
    }

    #[test]
    fn formats_utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_rfc3339(1_795_372_805_000), "2026-11-22T18:40:05Z");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(
            format_utc(1_795_372_800_000 + 5 * HOUR + 7 * MINUTE),
            "2026-11-22 23:47 UTC"
        );
    }
}
