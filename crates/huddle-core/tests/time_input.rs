//! Time input from outside (schedules, calendars, zone names) never panics, whatever it is.
#![allow(clippy::unwrap_used)]

use huddle_core::clock::Zone;
use huddle_core::routing::ical;
use proptest::prelude::*;

const LINES: &[&str] = &[
    "BEGIN:VEVENT",
    "END:VEVENT",
    "DTSTART;TZID=America/New_York:20261031T190000",
    "DTSTART:20261031T190000Z",
    "DTSTART;VALUE=DATE:20261031",
    "DTEND;TZID=\"Eastern Standard Time\":20261101T070000",
    "DTEND:2026110",
    "DURATION:PT12H",
    "DURATION:P1€",
    "RRULE:FREQ=WEEKLY;BYDAY=SA,MO;UNTIL=20261103T000000Z",
    "RRULE:FREQ=DAILY;INTERVAL=52;UNTIL=2099€123",
    "RRULE:FREQ=WEEKLY;COUNT=1000",
    "RRULE:FREQ=WEEKLY;BYDAY=",
    "EXDATE;TZID=Mars/Olympus:20261019T190000",
    "EXDATE:x,20261019T190000",
    "ATTENDEE:mailto:p1@example.org",
    "CATEGORIES:cardiology",
    "SUMMARY:night",
    " folded",
];

proptest! {
    #[test]
    fn calendars_never_panic(picks in proptest::collection::vec((0..LINES.len(), ".{0,12}"), 0..24)) {
        let mut text = String::from("BEGIN:VCALENDAR\r\n");
        for (i, noise) in picks {
            text.push_str(LINES[i]);
            text.push_str(&noise);
            text.push_str("\r\n");
        }
        text.push_str("END:VCALENDAR\r\n");
        let _ = ical::parse(&text, &Zone::parse("America/New_York").unwrap(), 2_000_000_000_000);
    }

    #[test]
    fn zone_names_and_local_times_never_panic(name in ".{0,40}", time in ".{0,30}") {
        let zone = Zone::parse(&name).unwrap_or_default();
        let _ = zone.parse_local(&time);
        let _ = huddle_core::csv_input::read(&time);
    }

    #[test]
    fn every_moment_formats(at in any::<i64>()) {
        let zone = Zone::parse("America/New_York").unwrap();
        let _ = (zone.format(at), zone.format_input(at), zone.offset_s(at), zone.start_of_day(at));
        let _ = huddle_core::clock::format_rfc3339(at);
    }
}
