//! Generates the Pet Store client into `OUT_DIR` as one file, which `src/lib.rs` includes.

use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/configured");
    let (doc, settings) = (dir.join("petstore.yaml"), dir.join("openapi-client.toml"));
    println!("cargo::rerun-if-changed={}", doc.display());
    println!("cargo::rerun-if-changed={}", settings.display());

    let mut config = openapi_client_gen::Config::read(&settings)?;
    // All of it but the derive asked of every type, whose warning (`Store` holds an `f64`, so no
    // `Hash`) the command-line test checks; here a build without warnings is wanted.
    config.types.derive.clear();
    let client = openapi_client_gen::generate_file(&std::fs::read_to_string(&doc)?, &config)?;
    for warning in &client.warnings {
        println!("cargo::warning={warning}");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("petstore.rs");
    std::fs::write(out, client.contents)?;
    Ok(())
}
