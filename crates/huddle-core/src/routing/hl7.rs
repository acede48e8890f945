//! HL7 v2 results as hospital laboratories send them over MLLP: an ORU^R01 becomes an
//! alert, and every message gets an ACK that says it was accepted or what was wrong.
//! Only what routing needs is read: the message header, the patient, the service and
//! the results with their abnormal flags.

use std::fmt::Write as _;

/// MLLP framing: a message travels as `0x0B message 0x1C 0x0D`.
pub const START: u8 = 0x0B;
pub const END: [u8; 2] = [0x1C, 0x0D];
/// Larger messages are refused rather than buffered without bound.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub sending_application: String,
    pub sending_facility: String,
    pub message_type: String,
    pub control_id: String,
    pub version: String,
}

/// One result (OBX): what was measured, its value and units, and its abnormal flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub test: String,
    pub value: String,
    pub units: String,
    pub flag: String,
}

/// An ORU^R01, reduced to what becomes an alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultMessage {
    pub header: Header,
    pub patient: String,
    /// PV1-10 hospital service, lower case (empty when absent).
    pub service: String,
    /// The physicians the message names, ordering first (OBR-16, ORC-12), then attending
    /// (PV1-7): the ID of each (XCN.1), as sent. Routing looks them up by verified NPI.
    pub providers: Vec<String>,
    pub observations: Vec<Observation>,
}

impl ResultMessage {
    /// Critical flags (HH, LL, AA, and the critical ones of HL7 table 0078) make a
    /// critical result; other abnormal flags an abnormal one; none a routine result.
    pub fn category(&self) -> &'static str {
        let flags = || self.observations.iter().map(|o| o.flag.as_str());
        if flags().any(|f| matches!(f, "HH" | "LL" | "AA" | ">" | "<")) {
            "critical_lab"
        } else if flags().any(|f| matches!(f, "H" | "L" | "A" | "HU" | "LU")) {
            "abnormal_lab"
        } else {
            "inbasket_result"
        }
    }

    /// One line per result, flagged ones first.
    pub fn text(&self) -> String {
        let mut obs: Vec<&Observation> = self.observations.iter().collect();
        obs.sort_by_key(|o| o.flag.is_empty());
        let mut text = String::new();
        for o in obs {
            if !text.is_empty() {
                text.push_str("; ");
            }
            let _ = write!(text, "{} {}", o.test, o.value);
            if !o.units.is_empty() {
                let _ = write!(text, " {}", o.units);
            }
            if !o.flag.is_empty() {
                let _ = write!(text, " ({})", o.flag);
            }
        }
        text
    }
}

/// Why a message was refused; becomes the ACK's MSA-3 and ERR segment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// Separators, from MSH-1 and MSH-2.
struct Seps {
    field: char,
    component: char,
}

fn segments(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\r', '\n']).filter(|s| !s.trim().is_empty())
}

fn field<'a>(segment: &'a str, seps: &Seps, n: usize) -> &'a str {
    segment.split(seps.field).nth(n).unwrap_or("")
}

fn component<'a>(value: &'a str, seps: &Seps, n: usize) -> &'a str {
    value.split(seps.component).nth(n).unwrap_or("")
}

/// Reads the header of any message, so even a refused one can be answered.
pub fn header(text: &str) -> Result<Header, Refusal> {
    let msh = segments(text)
        .next()
        .filter(|s| s.starts_with("MSH") && s.len() > 8)
        .ok_or_else(|| Refusal("the message must start with an MSH segment".into()))?;
    let seps = separators(msh)?;
    // MSH-1 is the separator itself, so MSH-n is the n-th split field.
    let get = |n: usize| field(msh, &seps, n - 1).to_string();
    let message_type = {
        let raw = get(9);
        let parts: Vec<&str> = raw.split(seps.component).take(2).collect();
        parts.join("^")
    };
    let control_id = get(10);
    if control_id.is_empty() {
        return Err(Refusal("MSH-10 (message control id) is empty".into()));
    }
    Ok(Header {
        sending_application: component(&get(3), &seps, 0).to_string(),
        sending_facility: component(&get(4), &seps, 0).to_string(),
        message_type,
        control_id,
        version: component(&get(12), &seps, 0).to_string(),
    })
}

fn separators(msh: &str) -> Result<Seps, Refusal> {
    let mut chars = msh[3..].chars();
    let field = chars
        .next()
        .ok_or_else(|| Refusal("MSH-1 (field separator) is missing".into()))?;
    let component = chars
        .next()
        .ok_or_else(|| Refusal("MSH-2 (encoding characters) is missing".into()))?;
    if field == component || field.is_alphanumeric() || component.is_alphanumeric() {
        return Err(Refusal(
            "MSH-1 and MSH-2 must be distinct separators".into(),
        ));
    }
    Ok(Seps { field, component })
}

/// Parses an ORU^R01; anything else is refused with the reason.
pub fn parse_result(text: &str) -> Result<ResultMessage, Refusal> {
    let header = header(text)?;
    if header.message_type != "ORU^R01" {
        return Err(Refusal(format!(
            "only ORU^R01 results are accepted, not {}",
            if header.message_type.is_empty() {
                "an empty MSH-9"
            } else {
                &header.message_type
            }
        )));
    }
    let msh = segments(text).next().unwrap_or("");
    let seps = separators(msh)?;
    let (mut patient, mut service, mut observations) = (String::new(), String::new(), Vec::new());
    let (mut ordering, mut attending) = (Vec::new(), Vec::new());
    // Each repetition (`~`) of an XCN field names one person; XCN.1 is their ID.
    let ids = |value: &str, out: &mut Vec<String>| {
        for person in value.split('~') {
            let id = component(person, &seps, 0).trim();
            if !id.is_empty() && !out.iter().any(|o| o == id) {
                out.push(id.to_string());
            }
        }
    };
    for segment in segments(text).skip(1) {
        match segment.get(..3) {
            Some("PID") => patient = component(field(segment, &seps, 3), &seps, 0).to_string(),
            Some("PV1") => {
                service = component(field(segment, &seps, 10), &seps, 0).to_ascii_lowercase();
                ids(field(segment, &seps, 7), &mut attending);
            }
            Some("ORC") => ids(field(segment, &seps, 12), &mut ordering),
            Some("OBR") => ids(field(segment, &seps, 16), &mut ordering),
            Some("OBX") => {
                let id = field(segment, &seps, 3);
                let test = match component(id, &seps, 1) {
                    "" => component(id, &seps, 0),
                    name => name,
                };
                observations.push(Observation {
                    test: test.to_string(),
                    value: field(segment, &seps, 5).replace(seps.component, " "),
                    units: component(field(segment, &seps, 6), &seps, 0).to_string(),
                    flag: component(field(segment, &seps, 8), &seps, 0).to_ascii_uppercase(),
                });
            }
            _ => {}
        }
    }
    if patient.is_empty() {
        return Err(Refusal("PID-3 (patient identifier) is missing".into()));
    }
    if observations.is_empty() {
        return Err(Refusal("the result has no OBX segment".into()));
    }
    for id in attending {
        if !ordering.contains(&id) {
            ordering.push(id);
        }
    }
    Ok(ResultMessage {
        header,
        patient,
        service,
        providers: ordering,
        observations,
    })
}

/// The acknowledgement: `AA` when accepted; `AE` (error) with the reason in MSA-3 and ERR
/// otherwise. `header` is what could be read of the message (None when not even that).
pub fn ack(
    header: Option<&Header>,
    refusal: Option<&Refusal>,
    control_id: &str,
    timestamp: &str,
) -> String {
    match refusal {
        None => acknowledge(header, "AA", None, control_id, timestamp),
        Some(r) => acknowledge(
            header,
            "AE",
            Some(("207^Application internal error", &r.0)),
            control_id,
            timestamp,
        ),
    }
}

/// `AR` (rejected): the sender is not allowed to send this here (an unknown sending
/// application, an address not on its list, a kind outside its scope). Resending the same
/// message will not help; the reason says what to change.
pub fn reject(
    header: Option<&Header>,
    refusal: &Refusal,
    control_id: &str,
    timestamp: &str,
) -> String {
    acknowledge(
        header,
        "AR",
        Some(("200^Unsupported message type", &refusal.0)),
        control_id,
        timestamp,
    )
}

fn acknowledge(
    header: Option<&Header>,
    code: &str,
    error: Option<(&str, &str)>,
    control_id: &str,
    timestamp: &str,
) -> String {
    let (app, facility, their_id, version) = header.map_or(("", "", "", "2.5"), |h| {
        (
            h.sending_application.as_str(),
            h.sending_facility.as_str(),
            h.control_id.as_str(),
            if h.version.is_empty() {
                "2.5"
            } else {
                h.version.as_str()
            },
        )
    });
    let clean = |s: &str| s.replace(['|', '^', '~', '\\', '&', '\r', '\n'], " ");
    let mut out = format!(
        "MSH|^~\\&|HUDDLE|HUDDLE|{}|{}|{timestamp}||ACK^R01^ACK|{control_id}|P|{version}\r",
        clean(app),
        clean(facility)
    );
    match error {
        None => {
            let _ = write!(out, "MSA|{code}|{}\r", clean(their_id));
        }
        Some((error_code, reason)) => {
            let _ = write!(out, "MSA|{code}|{}|{}\r", clean(their_id), clean(reason));
            let _ = write!(out, "ERR|||{error_code}^HL70357|E|||{}\r", clean(reason));
        }
    }
    out
}

/// Splits complete MLLP frames off the front of `buffer`; returns the messages found.
pub fn take_frames(buffer: &mut Vec<u8>) -> Vec<Vec<u8>> {
    let mut frames = Vec::new();
    loop {
        let Some(start) = buffer.iter().position(|&b| b == START) else {
            buffer.clear();
            return frames;
        };
        let Some(end) = buffer[start..]
            .windows(2)
            .position(|w| w == END)
            .map(|i| start + i)
        else {
            buffer.drain(..start);
            return frames;
        };
        frames.push(buffer[start + 1..end].to_vec());
        buffer.drain(..end + 2);
    }
}

/// Frames a message for MLLP.
pub fn frame(message: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 3);
    out.push(START);
    out.extend_from_slice(message.as_bytes());
    out.extend_from_slice(&END);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic critical potassium, as a laboratory system would send it.
    const ORU: &str =
        "MSH|^~\\&|LAB|GENHOSP|HUDDLE|GENHOSP|20261122184000||ORU^R01|MSG00001|P|2.5\r\
PID|1||SYN123456^^^GENHOSP^MR||TEST^PATIENT\r\
PV1|1|I|4W^401^1|||||||MED\r\
OBR|1||LAB555|2823-3^Potassium^LN\r\
OBX|1|NM|2823-3^Potassium^LN||6.9|mmol/L|3.5-5.1|HH|||F\r\
OBX|2|NM|2951-2^Sodium^LN||139|mmol/L|135-145||||F\r";

    #[test]
    fn reads_a_critical_result() {
        let m = parse_result(ORU).unwrap();
        assert_eq!(m.header.control_id, "MSG00001");
        assert_eq!(m.header.message_type, "ORU^R01");
        assert_eq!(m.patient, "SYN123456");
        assert_eq!(m.service, "med");
        assert_eq!(m.category(), "critical_lab");
        assert_eq!(m.text(), "Potassium 6.9 mmol/L (HH); Sodium 139 mmol/L");
    }

    #[test]
    fn abnormal_and_normal_results_are_not_critical() {
        let abnormal = ORU.replace("|HH|", "|H|");
        assert_eq!(parse_result(&abnormal).unwrap().category(), "abnormal_lab");
        let normal = ORU.replace("|HH|", "||");
        assert_eq!(parse_result(&normal).unwrap().category(), "inbasket_result");
    }

    #[test]
    fn refusals_say_what_was_wrong() {
        let cases = [
            ("", "MSH"),
            ("PID|1||X", "MSH"),
            (&ORU.replace("ORU^R01", "ADT^A01")[..], "ADT^A01"),
            (&ORU.replace("MSG00001", "")[..], "MSH-10"),
            (&ORU.replace("SYN123456^^^GENHOSP^MR", "")[..], "PID-3"),
        ];
        for (text, expected) in cases {
            let err = parse_result(text).unwrap_err();
            assert!(err.0.contains(expected), "{text:?}: {err}");
        }
        let no_obx: String = ORU
            .split('\r')
            .filter(|s| !s.starts_with("OBX"))
            .collect::<Vec<_>>()
            .join("\r");
        assert!(parse_result(&no_obx).unwrap_err().0.contains("OBX"));
    }

    #[test]
    fn acks_accept_or_name_the_error() {
        let h = header(ORU).unwrap();
        let ok = ack(Some(&h), None, "HUD1", "20261122184001");
        assert!(ok.starts_with(
            "MSH|^~\\&|HUDDLE|HUDDLE|LAB|GENHOSP|20261122184001||ACK^R01^ACK|HUD1|P|2.5\r"
        ));
        assert!(ok.contains("\rMSA|AA|MSG00001\r"));
        let bad = ack(
            Some(&h),
            Some(&Refusal("only ORU^R01 results".into())),
            "HUD2",
            "x",
        );
        assert!(
            bad.contains("MSA|AE|MSG00001|only ORU R01 results"),
            "{bad}"
        );
        assert!(bad.contains("\rERR|"));
        let refused = reject(
            Some(&h),
            &Refusal("LAB at GENHOSP is not registered".into()),
            "HUD3",
            "x",
        );
        assert!(
            refused.contains("\rMSA|AR|MSG00001|LAB at GENHOSP is not registered\r"),
            "{refused}"
        );
        assert!(refused.contains("\rERR|||200^Unsupported message type^HL70357|E|||"));
    }

    #[test]
    fn names_the_ordering_physician_first_then_the_attending() {
        let named = ORU
            .replace("PV1|1|I|4W^401^1|||||||MED", "PV1|1|I|4W^401^1||||1245319599^ATTENDING^ANN^^^^^^NPI|||MED")
            .replace(
                "OBR|1||LAB555|2823-3^Potassium^LN",
                "ORC|RE||LAB555|||||||||1003000126^ORDERING^OLA^^^^^^NPI\rOBR|1||LAB555|2823-3^Potassium^LN||||||||||||1003000126^ORDERING^OLA~1588667638^SECOND^SAM",
            );
        let m = parse_result(&named).unwrap();
        assert_eq!(m.providers, ["1003000126", "1588667638", "1245319599"]);
        assert_eq!(m.service, "med");
        assert!(parse_result(ORU).unwrap().providers.is_empty());
    }

    #[test]
    fn frames_split_across_reads_and_junk_between_them() {
        let mut buffer = b"noise".to_vec();
        buffer.extend(frame("MSH|one"));
        let second = frame("MSH|two");
        buffer.extend(&second[..4]);
        assert_eq!(take_frames(&mut buffer), vec![b"MSH|one".to_vec()]);
        buffer.extend(&second[4..]);
        assert_eq!(take_frames(&mut buffer), vec![b"MSH|two".to_vec()]);
        assert!(buffer.is_empty());
    }
}
