//! The money parser on arbitrary text: no panic, every amount's evidence is a slice of the
//! input that contains a digit.
#![no_main]

use baton::policy::money::find_money;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for currency in ["USD", "JPY"] {
        for m in find_money(text, currency) {
            assert!(text.contains(m.evidence));
            assert!(m.evidence.bytes().any(|b| b.is_ascii_digit()));
        }
    }
});
