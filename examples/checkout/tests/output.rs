//! The main job's output, for the pinned clock: every value was checked against the Python
//! reference (Powertools for AWS Lambda 3.37.0) evaluating the same document and contexts.

#[test]
fn prints_the_reference_values_for_every_customer() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_checkout")).output().expect("checkout runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let expected = include_str!("expected-output.txt");
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
}
