//! FHIR R4 CommunicationRequest intake, as `POST /fhir/CommunicationRequest` reads it: any
//! JSON value parses into an alert request or a field-naming refusal, never a panic.
#![no_main]

use huddle_server::api::routing::communication_request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(body) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = communication_request(&body);
    }
});
