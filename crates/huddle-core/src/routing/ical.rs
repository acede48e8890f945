//! On-call schedules exported as iCalendar (RFC 5545): each VEVENT is a shift. The
//! physician is the event's ATTENDEE (or ORGANIZER) email; the service is the first of its
//! CATEGORIES; the role is read from its SUMMARY (on call, night, otherwise day). Times must
//! be UTC (`…Z`), as scheduling systems export them for exchange.

use crate::clock::Millis;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarShift {
    pub email: String,
    pub service: String,
    pub role: &'static str,
    pub start: Millis,
    pub end: Millis,
}

/// Parses a calendar; an error names the event (1-based) and what is wrong with it.
pub fn parse(text: &str) -> Result<Vec<CalendarShift>, String> {
    // Unfold: a line that starts with a space or tab continues the previous one.
    let mut lines: Vec<String> = Vec::new();
    for raw in text.lines() {
        match raw.strip_prefix([' ', '\t']) {
            Some(rest) if !lines.is_empty() => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(rest);
                }
            }
            _ => lines.push(raw.trim_end_matches('\r').to_string()),
        }
    }
    if !lines
        .first()
        .is_some_and(|l| l.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Err("not an iCalendar file: it must start with BEGIN:VCALENDAR".into());
    }
    let mut shifts = Vec::new();
    let mut event: Option<Vec<(String, String, String)>> = None;
    for line in lines {
        let Some((name_params, value)) = line.split_once(':') else {
            continue;
        };
        let (name, params) = name_params.split_once(';').unwrap_or((name_params, ""));
        let name = name.to_ascii_uppercase();
        match (name.as_str(), value.to_ascii_uppercase().as_str()) {
            ("BEGIN", "VEVENT") => event = Some(Vec::new()),
            ("END", "VEVENT") => {
                let props = event.take().unwrap_or_default();
                let n = shifts.len() + 1;
                shifts.push(shift(&props).map_err(|e| format!("event {n}: {e}"))?);
            }
            _ => {
                if let Some(props) = event.as_mut() {
                    props.push((name, params.to_string(), value.to_string()));
                }
            }
        }
    }
    Ok(shifts)
}

fn shift(props: &[(String, String, String)]) -> Result<CalendarShift, String> {
    let get = |name: &str| props.iter().find(|(n, _, _)| n == name);
    let time = |name: &str| -> Result<Millis, String> {
        let (_, params, value) = get(name).ok_or(format!("{name} is missing"))?;
        if params.to_ascii_uppercase().contains("TZID") || !value.ends_with(['Z', 'z']) {
            return Err(format!("{name} must be in UTC (e.g. 20261123T070000Z)"));
        }
        utc(value).ok_or(format!(
            "{name} {value:?} is not a date-time like 20261123T070000Z"
        ))
    };
    let start = time("DTSTART")?;
    let end = time("DTEND")?;
    let email = get("ATTENDEE")
        .or_else(|| get("ORGANIZER"))
        .and_then(|(_, _, v)| {
            let v = v.trim();
            v.get(..7)
                .filter(|p| p.eq_ignore_ascii_case("mailto:"))
                .map(|_| v[7..].to_string())
        })
        .ok_or("no ATTENDEE or ORGANIZER with a mailto: address")?;
    let service = get("CATEGORIES")
        .and_then(|(_, _, v)| v.split(',').next())
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .ok_or("CATEGORIES must name the service")?;
    let summary = get("SUMMARY").map_or(String::new(), |(_, _, v)| v.to_ascii_lowercase());
    let role = if summary.contains("call") {
        "oncall"
    } else if summary.contains("night") {
        "night"
    } else {
        "day"
    };
    Ok(CalendarShift {
        email,
        service,
        role,
        start,
        end,
    })
}

/// `20261123T070000Z` → milliseconds.
fn utc(v: &str) -> Option<Millis> {
    let v = v.trim_end_matches(['Z', 'z']);
    let (date, time) = v.split_once(['T', 't'])?;
    if date.len() != 8
        || time.len() != 6
        || !v
            .chars()
            .all(|c| c.is_ascii_digit() || c == 'T' || c == 't')
    {
        return None;
    }
    let rfc = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &date[..4],
        &date[4..6],
        &date[6..],
        &time[..2],
        &time[2..4],
        &time[4..]
    );
    crate::clock::parse_rfc3339(&rfc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Synthetic Scheduler//EN\r\n\
BEGIN:VEVENT\r\nUID:1@example.org\r\nSUMMARY:Cardiology on call\r\nCATEGORIES:Cardiology\r\n\
DTSTART:20261123T190000Z\r\nDTEND:20261124T070000Z\r\nATTENDEE;CN=Dr. Test:mailto:p1@exam\r\n ple.org\r\n\
END:VEVENT\r\nBEGIN:VEVENT\r\nUID:2@example.org\r\nSUMMARY:Day service\r\nCATEGORIES:cardiology,clinic\r\n\
DTSTART:20261123T070000Z\r\nDTEND:20261123T190000Z\r\nORGANIZER:MAILTO:p2@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn reads_events_as_shifts() {
        let shifts = parse(CALENDAR).unwrap();
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
        assert!(parse("hello").unwrap_err().contains("BEGIN:VCALENDAR"));
        let local = CALENDAR.replace(
            "DTSTART:20261123T070000Z",
            "DTSTART;TZID=America/New_York:20261123T070000",
        );
        assert_eq!(
            parse(&local).unwrap_err(),
            "event 2: DTSTART must be in UTC (e.g. 20261123T070000Z)"
        );
        let nobody = CALENDAR.replace("ORGANIZER:MAILTO:p2@example.org\r\n", "");
        assert!(parse(&nobody)
            .unwrap_err()
            .starts_with("event 2: no ATTENDEE"));
        let bad = CALENDAR.replace("20261124T070000Z", "2026-11-24");
        assert!(parse(&bad).unwrap_err().contains("event 1: DTEND"));
    }
}
