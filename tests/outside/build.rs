fn main() -> Result<(), ff_build::Error> {
    ff_build::Builder::new().schema("flags.json").compile()?;
    Ok(())
}
