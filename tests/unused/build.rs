fn main() -> Result<(), ff_build::Error> {
    ff_build::Builder::new().schema("flags.json").warn_unused(true).compile()?;
    ff_build::Builder::new().schema("flags.json").file_name("flags_plain.rs").compile()?;
    Ok(())
}
