//! The macro example prints exactly what the build-script example prints (the two share
//! `examples/checkout/src/shop.rs`, and the values were checked against the reference).

#[test]
fn prints_the_same_values_as_the_build_script_example() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_checkout-macro")).output().expect("checkout-macro runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let expected = include_str!("../../checkout/tests/expected-output.txt");
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
}
