#![no_main]
//! The `parse` fuzz target: see `ff_fuzz::check_parse`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ff_fuzz::check_parse(data));
