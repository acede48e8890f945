//! The lounge's PHI guard on any text: no panic, and spans are sorted, non-overlapping,
//! non-empty and on character boundaries (the composer slices by them).
#![no_main]

use huddle_core::lounge::phi;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let spans = phi::scan(text);
    let mut at = 0;
    for s in &spans {
        assert!(
            at <= s.start && s.start < s.end && s.end <= text.len(),
            "{spans:?}"
        );
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        at = s.end;
    }
});
