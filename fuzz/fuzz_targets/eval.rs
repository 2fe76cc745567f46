#![no_main]
//! The `eval` fuzz target: see `ff_fuzz::check_eval`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ff_fuzz::check_eval(data));
