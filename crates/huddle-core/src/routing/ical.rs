//! On-call schedules exported as iCalendar (RFC 5545): each VEVENT is a shift, or several
//! when it recurs. The physician is the event's ATTENDEE (or ORGANIZER) email; the service is
//! the first of its CATEGORIES; the role is read from its SUMMARY (on call, night, otherwise
//! day).
//!
//! Times may be UTC (`20261123T070000Z`), in a named zone (`DTSTART;TZID=America/New_York:…`,
//! as the scheduling products hospitals use export them; the few Windows zone names Outlook
//! writes for US zones are read too), or floating (no zone), which means the organization's
//! zone. `DTEND` or `DURATION` ends an event.
//!
//! Recurrence: `RRULE` with `FREQ=WEEKLY` or `FREQ=DAILY`, `INTERVAL`, `COUNT`, `UNTIL`,
//! `BYDAY` and `WKST`, and `EXDATE`. Other rule parts are refused by name rather than read
//! wrongly. Each occurrence starts at the same wall-clock time in the event's zone and ends at
//! the same wall-clock time as the first one does (a 19:00–07:00 night is 13 hours on the
//! fall-back night), which is what a hospital schedule means; RFC 5545 would keep the exact
//! duration instead. A rule without `COUNT` or `UNTIL` is expanded up to `horizon`.
//!
//! The file is read by the `icalendar` crate's parser (unfolding, properties, parameters);
//! zones and recurrence go through `jiff`. The `rrule` crate (and `icalendar`'s `recurrence`
//! feature on it) would bring chrono and chrono-tz, a second time-zone database beside jiff's,
//! for the two frequencies shifts use.

use crate::clock::{Millis, Zone, DAY};
use icalendar::parser::{read_calendar, unfold, Component, Property};
use jiff::civil::{Date, DateTime, Weekday};
use jiff::ToSpan;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarShift {
    pub email: String,
    pub service: String,
    pub role: &'static str,
    pub start: Millis,
    pub end: Millis,
}

/// At most this many occurrences of one recurring event.
const MAX_OCCURRENCES: usize = 1_000;
/// At most this many shifts in one calendar (an import takes at most 10,000).
pub const MAX_SHIFTS: usize = 10_000;

/// Parses a calendar; floating times are in `zone`; rules without an end stop at `horizon`.
/// An error names the event (1-based) and what is wrong with it.
pub fn parse(text: &str, zone: &Zone, horizon: Millis) -> Result<Vec<CalendarShift>, String> {
    if !text
        .trim_start_matches('\u{feff}')
        .get(..15)
        .is_some_and(|l| l.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Err("not an iCalendar file: it must start with BEGIN:VCALENDAR".into());
    }
    let unfolded = unfold(text.trim_start_matches('\u{feff}'));
    let calendar = read_calendar(&unfolded)
        .map_err(|e| format!("not a readable iCalendar file: {}", first_line(&e)))?;
    let mut events = Vec::new();
    collect_events(&calendar.components, &mut events);
    let mut shifts = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let n = i + 1;
        shifts.extend(shifts_of(event, zone, horizon).map_err(|e| format!("event {n}: {e}"))?);
        if shifts.len() > MAX_SHIFTS {
            return Err(format!(
                "event {n}: the calendar holds more than {MAX_SHIFTS} shifts"
            ));
        }
    }
    Ok(shifts)
}

fn first_line(e: &str) -> &str {
    e.lines().find(|l| !l.trim().is_empty()).unwrap_or(e).trim()
}

fn collect_events<'a>(components: &'a [Component<'a>], out: &mut Vec<&'a Component<'a>>) {
    for c in components {
        if c.name.as_str().eq_ignore_ascii_case("VEVENT") {
            out.push(c);
        } else {
            collect_events(&c.components, out);
        }
    }
}

fn prop<'a>(event: &'a Component<'a>, name: &str) -> Option<&'a Property<'a>> {
    event
        .properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn param<'a>(p: &'a Property<'a>, key: &str) -> Option<&'a str> {
    p.params
        .iter()
        .find(|q| q.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|q| q.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

/// A moment as an event gives it: a wall-clock time and the zone it is read in.
struct When {
    local: DateTime,
    zone: Zone,
}

impl When {
    fn instant(&self) -> Option<Millis> {
        self.zone.instant(self.local)
    }
}

/// Windows names Outlook writes in TZID for US zones.
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("UTC", "UTC"),
];

fn zone_of(tzid: &str) -> Result<Zone, String> {
    let name = WINDOWS_ZONES
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(tzid))
        .map_or(tzid, |(_, iana)| iana);
    // Some exporters prefix a path (`/freeassociation.sourceforge.net/America/New_York`).
    Zone::parse(name)
        .or_else(|e| {
            let tail: Vec<&str> = name.rsplitn(3, '/').collect();
            match tail[..] {
                [city, region, _] => Zone::parse(&format!("{region}/{city}")).map_err(|_| e),
                _ => Err(e),
            }
        })
        .map_err(|_| format!("TZID {tzid:?} is not a known time zone"))
}

/// `20261123T070000` or `20261123T070000Z` → a wall-clock time (UTC when `Z`).
fn basic(value: &str) -> Option<(DateTime, bool)> {
    let v = value.trim();
    let (v, utc) = match v.strip_suffix(['Z', 'z']) {
        Some(v) => (v, true),
        None => (v, false),
    };
    let (date, time) = v.split_once(['T', 't'])?;
    if date.len() != 8
        || time.len() != 6
        || !date.chars().chain(time.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let n = |s: &str| s.parse::<i16>().ok();
    let date = Date::new(n(&date[..4])?, n(&date[4..6])? as i8, n(&date[6..])? as i8).ok()?;
    let dt = date.to_datetime(
        jiff::civil::Time::new(
            n(&time[..2])? as i8,
            n(&time[2..4])? as i8,
            n(&time[4..])?.min(59) as i8,
            0,
        )
        .ok()?,
    );
    Some((dt, utc))
}

fn when(event: &Component<'_>, name: &str, zone: &Zone) -> Result<Option<When>, String> {
    let Some(p) = prop(event, name) else {
        return Ok(None);
    };
    let value = p.val.as_str();
    if param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) {
        return Err(format!(
            "{name} is a whole day; shifts need a time (e.g. {name};TZID=America/New_York:20261123T070000)"
        ));
    }
    when_value(p, name, value, zone).map(Some)
}

/// One date-time value of a property: UTC with `Z`, else in its TZID, else in `zone`.
fn when_value(p: &Property<'_>, name: &str, value: &str, zone: &Zone) -> Result<When, String> {
    let (local, utc) = basic(value).ok_or(format!(
        "{name} {value:?} is not a date-time like 20261123T070000 or 20261123T070000Z"
    ))?;
    let zone = match param(p, "TZID") {
        _ if utc => Zone::utc(),
        Some(tzid) => zone_of(tzid).map_err(|e| format!("{name}: {e}"))?,
        None => zone.clone(),
    };
    Ok(When { local, zone })
}

fn shifts_of(
    event: &Component<'_>,
    zone: &Zone,
    horizon: Millis,
) -> Result<Vec<CalendarShift>, String> {
    let start = when(event, "DTSTART", zone)?.ok_or("DTSTART is missing")?;
    let first_start = start.instant().ok_or("DTSTART is not a time in its zone")?;
    // The wall-clock length of the first occurrence, kept by every occurrence.
    let length: jiff::Span = match when(event, "DTEND", zone)? {
        Some(end) => {
            let first_end = end.instant().ok_or("DTEND is not a time in its zone")?;
            // The end's wall clock read in the start's zone.
            let end_local = start.zone.civil(first_end).ok_or("DTEND is out of range")?;
            start
                .local
                .until(end_local)
                .map_err(|_| "DTEND is out of range")?
        }
        None => {
            let p = prop(event, "DURATION").ok_or("DTEND (or DURATION) is missing")?;
            p.val.as_str().trim().parse::<jiff::Span>().map_err(|_| {
                format!("DURATION {:?} is not a duration like PT12H", p.val.as_str())
            })?
        }
    };
    let email = prop(event, "ATTENDEE")
        .or_else(|| prop(event, "ORGANIZER"))
        .and_then(|p| {
            let v = p.val.as_str().trim();
            v.get(..7)
                .filter(|m| m.eq_ignore_ascii_case("mailto:"))
                .and_then(|_| v.get(7..))
                .map(str::to_string)
        })
        .ok_or("no ATTENDEE or ORGANIZER with a mailto: address")?;
    let service = prop(event, "CATEGORIES")
        .and_then(|p| p.val.as_str().split(',').next().map(str::to_string))
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .ok_or("CATEGORIES must name the service")?;
    let summary =
        prop(event, "SUMMARY").map_or(String::new(), |p| p.val.as_str().to_ascii_lowercase());
    let role = if summary.contains("call") {
        "oncall"
    } else if summary.contains("night") {
        "night"
    } else {
        "day"
    };
    let starts = match prop(event, "RRULE") {
        None => vec![start.local],
        Some(rule) => {
            let rule = Rule::parse(rule.val.as_str())?;
            let mut exdates = Vec::new();
            for p in event
                .properties
                .iter()
                .filter(|p| p.name.as_str().eq_ignore_ascii_case("EXDATE"))
            {
                for v in p.val.as_str().split(',') {
                    exdates.extend(when_value(p, "EXDATE", v, &start.zone)?.instant());
                }
            }
            rule.occurrences(&start, first_start, horizon)?
                .into_iter()
                .filter(|dt| {
                    start
                        .zone
                        .instant(*dt)
                        .is_some_and(|at| !exdates.contains(&at))
                })
                .collect()
        }
    };
    let mut shifts = Vec::with_capacity(starts.len());
    for local in starts {
        let begin = start.zone.instant(local).ok_or("DTSTART is out of range")?;
        let end = local
            .checked_add(length)
            .ok()
            .and_then(|l| start.zone.instant(l))
            .ok_or("DTEND is out of range")?;
        shifts.push(CalendarShift {
            email: email.clone(),
            service: service.clone(),
            role,
            start: begin,
            end,
        });
    }
    Ok(shifts)
}

/// The part of RFC 5545 recurrence that shift schedules use.
#[derive(Debug)]
struct Rule {
    weekly: bool,
    interval: i64,
    count: Option<usize>,
    until: Option<String>,
    by_day: Vec<Weekday>,
    week_start: Weekday,
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code.to_ascii_uppercase().as_str() {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

impl Rule {
    fn parse(text: &str) -> Result<Rule, String> {
        let mut rule = Rule {
            weekly: false,
            interval: 1,
            count: None,
            until: None,
            by_day: Vec::new(),
            week_start: Weekday::Monday,
        };
        let mut freq = None;
        for part in text.trim().split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or(format!("RRULE part {part:?} is not NAME=VALUE"))?;
            match key.to_ascii_uppercase().as_str() {
                "FREQ" => freq = Some(value.to_ascii_uppercase()),
                "INTERVAL" => {
                    rule.interval = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=52).contains(n))
                        .ok_or("RRULE INTERVAL must be 1 to 52")?
                }
                "COUNT" => {
                    rule.count = Some(
                        value
                            .parse()
                            .ok()
                            .filter(|n| (1..=MAX_OCCURRENCES).contains(n))
                            .ok_or(format!("RRULE COUNT must be 1 to {MAX_OCCURRENCES}"))?,
                    )
                }
                "UNTIL" => rule.until = Some(value.to_string()),
                "BYDAY" => {
                    rule.by_day = value
                        .split(',')
                        .map(|d| weekday(d.trim()))
                        .collect::<Option<Vec<_>>>()
                        .ok_or(format!(
                            "RRULE BYDAY {value:?} must list days like MO,WE,FR (no ordinals)"
                        ))?
                }
                "WKST" => {
                    rule.week_start =
                        weekday(value).ok_or(format!("RRULE WKST {value:?} is not a day like MO"))?
                }
                other => return Err(format!("RRULE {other} is not supported (FREQ, INTERVAL, COUNT, UNTIL, BYDAY, WKST are)")),
            }
        }
        rule.weekly = match freq.as_deref() {
            Some("WEEKLY") => true,
            Some("DAILY") => false,
            Some(f) => return Err(format!("RRULE FREQ={f} is not supported (WEEKLY or DAILY)")),
            None => return Err("RRULE needs FREQ=WEEKLY or FREQ=DAILY".into()),
        };
        if rule.count.is_some() && rule.until.is_some() {
            return Err("RRULE has both COUNT and UNTIL".into());
        }
        Ok(rule)
    }

    /// The wall-clock starts of the occurrences, the first one included.
    fn occurrences(
        &self,
        start: &When,
        first: Millis,
        horizon: Millis,
    ) -> Result<Vec<DateTime>, String> {
        let until = match &self.until {
            None => None,
            Some(v) => Some(
                match basic(v) {
                    Some((local, true)) => Zone::utc().instant(local),
                    Some((local, false)) => start.zone.instant(local),
                    // A date: through the end of that day.
                    None => v
                        .trim()
                        .parse::<Date>()
                        .ok()
                        .or_else(|| {
                            let v = v.trim();
                            (v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()))
                                .then(|| format!("{}-{}-{}", &v[..4], &v[4..6], &v[6..]))?
                                .parse()
                                .ok()
                        })
                        .and_then(|d| {
                            start
                                .zone
                                .instant(d.to_datetime(jiff::civil::Time::midnight()))
                        })
                        .map(|at| at + DAY - 1),
                }
                .ok_or(format!("RRULE UNTIL {v:?} is not a date or date-time"))?,
            ),
        };
        let last = until.unwrap_or(if self.count.is_some() {
            Millis::MAX
        } else {
            horizon
        });
        let days: Vec<Weekday> = if self.by_day.is_empty() {
            vec![start.local.weekday()]
        } else {
            self.by_day.clone()
        };
        let time = start.local.time();
        let first_date = start.local.date();
        // The periods: weeks from the week of DTSTART (as WKST starts them), or days.
        let period_start = if self.weekly {
            let back = i64::from(first_date.weekday().since(self.week_start));
            first_date
                .checked_sub(back.days())
                .map_err(|_| "DTSTART is out of range")?
        } else {
            first_date
        };
        let mut out = Vec::new();
        let mut period = 0i64;
        'periods: loop {
            let step = if self.weekly {
                7 * self.interval * period
            } else {
                self.interval * period
            };
            let Ok(base) = period_start.checked_add(step.days()) else {
                break;
            };
            let mut dates: Vec<Date> = if self.weekly {
                (0..7)
                    .filter_map(|d| base.checked_add(d.days()).ok())
                    .filter(|d| days.contains(&d.weekday()))
                    .collect()
            } else if self.by_day.is_empty() || days.contains(&base.weekday()) {
                vec![base]
            } else {
                Vec::new()
            };
            dates.sort();
            for date in dates {
                if date < first_date {
                    continue;
                }
                let local = date.to_datetime(time);
                let at = start
                    .zone
                    .instant(local)
                    .ok_or("an occurrence is out of range")?;
                if at > last || at < first {
                    if at > last {
                        break 'periods;
                    }
                    continue;
                }
                out.push(local);
                if self.count.is_some_and(|c| out.len() >= c) || out.len() >= MAX_OCCURRENCES {
                    break 'periods;
                }
            }
            period += 1;
            if period > 366 * 20 {
                break;
            }
        }
        // DTSTART is always the first instance (RFC 5545), even off the rule's days.
        if out.first() != Some(&start.local) {
            out.insert(0, start.local);
            out.truncate(self.count.unwrap_or(MAX_OCCURRENCES).min(MAX_OCCURRENCES));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Synthetic Scheduler//EN\r\n\
BEGIN:VEVENT\r\nUID:1@example.org\r\nSUMMARY:Cardiology on call\r\nCATEGORIES:Cardiology\r\n\
DTSTART:20261123T190000Z\r\nDTEND:20261124T070000Z\r\nATTENDEE;CN=Dr. Test:mailto:p1@exam\r\n ple.org\r\n\
END:VEVENT\r\nBEGIN:VEVENT\r\nUID:2@example.org\r\nSUMMARY:Day service\r\nCATEGORIES:cardiology,clinic\r\n\
DTSTART:20261123T070000Z\r\nDTEND:20261123T190000Z\r\nORGANIZER:MAILTO:p2@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    const FAR: Millis = 2_000_000_000_000;

    fn utc(text: &str) -> Result<Vec<CalendarShift>, String> {
        parse(text, &Zone::utc(), FAR)
    }

    #[test]
    fn reads_events_as_shifts() {
        let shifts = utc(CALENDAR).unwrap();
        assert_eq!(shifts.len(), 2);
        assert_eq!(
            shifts[0].email, "p1@example.org",
            "folded lines are unfolded"
        );
        assert_eq!(
            (shifts[0].service.as_str(), shifts[0].role),
            ("cardiology", "oncall")
        );
        assert_eq!(shifts[0].end - shifts[0].start, 12 * 3_600_000);
        assert_eq!(
            (shifts[1].email.as_str(), shifts[1].role),
            ("p2@example.org", "day")
        );
    }

    #[test]
    fn errors_name_the_event_and_the_problem() {
        assert!(utc("hello").unwrap_err().contains("BEGIN:VCALENDAR"));
        let unknown = CALENDAR.replace(
            "DTSTART:20261123T070000Z",
            "DTSTART;TZID=Mars/Olympus:20261123T070000",
        );
        assert_eq!(
            utc(&unknown).unwrap_err(),
            "event 2: DTSTART: TZID \"Mars/Olympus\" is not a known time zone"
        );
        let nobody = CALENDAR.replace("ORGANIZER:MAILTO:p2@example.org\r\n", "");
        assert!(utc(&nobody)
            .unwrap_err()
            .starts_with("event 2: no ATTENDEE"));
        let bad = CALENDAR.replace("20261124T070000Z", "2026-11-24");
        assert!(utc(&bad).unwrap_err().contains("event 1: DTEND"));
        let monthly = CALENDAR.replace(
            "DTEND:20261123T190000Z",
            "DTEND:20261123T190000Z\r\nRRULE:FREQ=MONTHLY;COUNT=3",
        );
        assert!(utc(&monthly)
            .unwrap_err()
            .contains("event 2: RRULE FREQ=MONTHLY"));
        let ordinal = CALENDAR.replace(
            "DTEND:20261123T190000Z",
            "DTEND:20261123T190000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=1MO",
        );
        assert!(utc(&ordinal).unwrap_err().contains("BYDAY"));
    }

    /// An on-call export as scheduling products write it: a zone, a weekly rule over the
    /// US fall-back night, and an exception.
    const ON_CALL: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Synthetic Scheduler//EN\r\n\
BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nBEGIN:STANDARD\r\nDTSTART:19701101T020000\r\n\
TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:night@example.org\r\nSUMMARY:Cardiology night\r\nCATEGORIES:Cardiology\r\n\
DTSTART;TZID=America/New_York:20261017T190000\r\nDTEND;TZID=America/New_York:20261018T070000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=SA,MO;UNTIL=20261103T000000Z\r\n\
EXDATE;TZID=America/New_York:20261019T190000\r\n\
ATTENDEE;CN=Dr. Test:mailto:p1@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn on_call_export_with_tzid_and_a_weekly_rule_across_fall_back() {
        let ny = Zone::parse("America/New_York").unwrap();
        // The organization's zone does not matter: the events name theirs.
        let shifts = utc(ON_CALL).unwrap();
        let starts: Vec<String> = shifts.iter().map(|s| ny.format(s.start)).collect();
        assert_eq!(
            starts,
            [
                "2026-10-17 19:00 EDT",
                // Monday 19 October is an exception.
                "2026-10-24 19:00 EDT",
                "2026-10-26 19:00 EDT",
                "2026-10-31 19:00 EDT",
                "2026-11-02 19:00 EST",
            ]
        );
        let hours: Vec<i64> = shifts
            .iter()
            .map(|s| (s.end - s.start) / 3_600_000)
            .collect();
        // The fall-back night (31 October to 1 November) lasts 13 hours and ends at 07:00.
        assert_eq!(hours, [12, 12, 12, 13, 12]);
        assert_eq!(ny.format(shifts[3].end), "2026-11-01 07:00 EST");
        assert!(shifts
            .iter()
            .all(|s| s.role == "night" && s.email == "p1@example.org"));
    }

    #[test]
    fn floating_times_are_the_organizations_and_counts_and_durations_work() {
        let ny = Zone::parse("America/New_York").unwrap();
        let spring = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Night\r\nCATEGORIES:icu\r\n\
DTSTART:20260307T190000\r\nDURATION:PT12H\r\nRRULE:FREQ=DAILY;COUNT=2\r\n\
ORGANIZER:mailto:p3@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let shifts = parse(spring, &ny, FAR).unwrap();
        assert_eq!(shifts.len(), 2);
        assert_eq!(ny.format(shifts[0].start), "2026-03-07 19:00 EST");
        // Spring forward: 19:00 EST to 07:00 EDT is 11 hours.
        assert_eq!(ny.format(shifts[0].end), "2026-03-08 07:00 EDT");
        assert_eq!(shifts[0].end - shifts[0].start, 11 * 3_600_000);
        assert_eq!(ny.format(shifts[1].start), "2026-03-08 19:00 EDT");
        // DTSTART counts even when the rule's days do not include it.
        let sundays = spring.replace(";COUNT=2", ";COUNT=2;BYDAY=SU");
        let starts: Vec<String> = parse(&sundays, &ny, FAR)
            .unwrap()
            .iter()
            .map(|s| ny.format(s.start))
            .collect();
        assert_eq!(starts, ["2026-03-07 19:00 EST", "2026-03-08 19:00 EDT"]);
        // Without COUNT or UNTIL a rule stops at the horizon.
        let open = spring.replace(";COUNT=2", "");
        let horizon = ny.parse_local("2026-03-20T00:00").unwrap();
        assert_eq!(parse(&open, &ny, horizon).unwrap().len(), 13);
    }
}
