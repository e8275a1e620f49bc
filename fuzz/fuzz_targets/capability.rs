//! Any text as a capability: never a panic; a parsed capability prints back to the exact
//! text it came from, and printing then parsing is the identity.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matrix_widget_api::Capability;
use matrix_widget_api::naming::{Naming, Spelled, WireName};

fuzz_target!(|text: &str| {
    let Ok(parsed) = Spelled::<Capability>::parse(text) else { return };
    assert_eq!(parsed.as_str(), text, "a parsed capability re-emits its exact string");
    for naming in [Naming::Stable, Naming::Unstable] {
        let printed = parsed.value().name(naming);
        let again = Spelled::<Capability>::parse(&printed).expect("a printed capability parses");
        assert_eq!(again.value(), parsed.value(), "print → parse is the identity ({printed})");
    }
});
