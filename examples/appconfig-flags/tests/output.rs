//! The example's output: the compiled-in values of `flags.json`, the live ones of
//! `retrieved.json` (retrieval format) field by field, and a multi-variant flag read without
//! the Agent (its default variant).

#[test]
fn prints_the_compiled_in_and_the_live_values() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_appconfig-flags")).output().expect("the example runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout), include_str!("expected-output.txt"));
}

#[test]
fn a_document_in_another_format_fails_fast() {
    let dir = std::env::temp_dir().join(format!("appconfig-flags-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("powertools.json");
    std::fs::write(&path, r#"{"dark_mode": {"default": true}}"#).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_appconfig-flags")).arg(&path).output().expect("the example runs");
    std::fs::remove_dir_all(&dir).ok();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("cannot read the flags: "), "{stderr}");
    assert!(stderr.contains("enabled"), "names what the format needs: {stderr}");
}
