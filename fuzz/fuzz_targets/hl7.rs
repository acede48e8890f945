//! HL7 v2 over MLLP, as the listener reads it from a hospital feed: framing, the header,
//! the ORU^R01 result and the acknowledgement. Any bytes: no panic, and an ACK is always
//! one well-formed message.
#![no_main]

use huddle_core::routing::hl7;
use libfuzzer_sys::fuzz_target;

fn check(text: &str) {
    let header = hl7::header(text);
    let result = hl7::parse_result(text);
    if let Ok(message) = &result {
        let _ = message.category();
        let _ = message.text();
    }
    let ack = hl7::ack(
        header.as_ref().ok(),
        result.as_ref().err(),
        "HUDDLE1",
        "20260101000000",
    );
    assert!(ack.starts_with("MSH|"));
    // Whatever the sender wrote, the acknowledgement holds exactly its own segments.
    let segments = ack.split('\r').filter(|s| !s.is_empty()).count();
    assert!(segments == 2 || segments == 3, "{ack:?}");
    let mut framed = hl7::frame(&ack);
    assert_eq!(hl7::take_frames(&mut framed), vec![ack.into_bytes()]);
}

fuzz_target!(|data: &[u8]| {
    let mut buffer = data.to_vec();
    for frame in hl7::take_frames(&mut buffer) {
        check(&String::from_utf8_lossy(&frame));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    }
});
