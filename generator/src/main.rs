//! `openapi-client-gen`: the generator as a command. Each subcommand is a thin caller of the
//! library (`generate`, `generate_file`, `sync`, `vendor`); this file only reads arguments, finds
//! the configuration and prints.
//!
//! Exit codes: 0 success; 1 a document or configuration error, or (for `check`) a stale crate;
//! 2 a usage error (clap's own).

use clap::{Args, Parser, Subcommand};
use openapi_client_gen::sync::{self, Mode};
use openapi_client_gen::{Config, Dependency, Output};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Generates a typed Rust client crate from an OpenAPI 3.0 or 3.1 document.
#[derive(Parser)]
#[command(name = "openapi-client-gen", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes the client crate for a document (or, with --single-file, the client as one Rust file).
    Generate {
        #[command(flatten)]
        input: Input,
        /// The crate's folder [default: ./<package name>].
        #[arg(short, long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Write the client as one Rust file for `include!` instead of a crate, and print the
        /// dependencies it needs.
        #[arg(long, value_name = "FILE", conflicts_with = "out")]
        single_file: Option<PathBuf>,
        /// Refuse the document on any warning.
        #[arg(long)]
        strict: bool,
    },
    /// Exits non-zero when a crate's folder differs from what `generate` would write, naming the
    /// first differing file and line (for CI).
    Check {
        #[command(flatten)]
        input: Input,
        /// The crate's folder.
        #[arg(short, long, value_name = "DIR")]
        out: PathBuf,
        /// Refuse the document on any warning.
        #[arg(long)]
        strict: bool,
    },
    /// Cuts an upstream document down to the paths under the given prefixes, with every component
    /// they use and nothing else (prints YAML, or writes it with --out).
    Vendor {
        /// The full upstream document (YAML or JSON).
        from: PathBuf,
        /// Keep the paths that start with this prefix (repeatable).
        #[arg(long = "path-prefix", value_name = "PREFIX", required = true)]
        prefixes: Vec<String>,
        /// Where to write the cut document [default: standard output].
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Writes a commented starter `openapi-client.toml` beside a document.
    Init {
        /// The document the configuration is for.
        doc: PathBuf,
        /// Overwrite a configuration that is already there.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args)]
struct Input {
    /// The OpenAPI document (YAML or JSON), or `-` for standard input.
    doc: PathBuf,
    /// The configuration [default: openapi-client.toml beside the document, if there is one].
    #[arg(short, long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// A failure to report: its message, and the exit code.
struct Failure(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate { input, out, single_file, strict } => generate(&input, out, single_file, strict),
        Command::Check { input, out, strict } => check(&input, &out, strict),
        Command::Vendor { from, prefixes, out } => vendor(&from, &prefixes, out.as_deref()),
        Command::Init { doc, force } => init(&doc, force),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// The document's text, the configuration, and how to name both in messages.
struct Loaded {
    text: String,
    config: Config,
    doc_name: String,
    config_name: String,
}

fn load(input: &Input, strict: bool) -> Result<Loaded, Failure> {
    let stdin = input.doc.as_os_str() == "-";
    let (text, doc_name) = if stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| Failure(format!("cannot read standard input: {e}")))?;
        (text, "<stdin>".to_string())
    } else {
        let text = std::fs::read_to_string(&input.doc)
            .map_err(|e| Failure(format!("cannot read {}: {e}", input.doc.display())))?;
        (text, input.doc.display().to_string())
    };
    // Beside the document, or in the current folder for a document on standard input.
    let beside = if stdin { Path::new(".").join(openapi_client_gen::FILE_NAME) } else { input.doc.clone() };
    let path = input.config.clone().or_else(|| Config::beside(&beside));
    let config_name = path.as_ref().map_or_else(|| "the configuration".to_string(), |p| p.display().to_string());
    let mut config = match &path {
        Some(path) => Config::read(path).map_err(|e| Failure(e.in_files(&doc_name, &config_name)))?,
        None => Config::default(),
    };
    // A crate the configuration does not name is named after its document.
    if config.package.name.at.is_none() && !stdin {
        if let Some(stem) = input.doc.file_stem() {
            let slug = openapi_client_gen::naming::crate_slug(&stem.to_string_lossy());
            if !slug.is_empty() {
                config.package.name = openapi_client_gen::Located::new(format!("{slug}-client"));
            }
        }
    }
    config.strict |= strict;
    Ok(Loaded { text, config, doc_name, config_name })
}

fn generate(input: &Input, out: Option<PathBuf>, single_file: Option<PathBuf>, strict: bool) -> Result<(), Failure> {
    let loaded = load(input, strict)?;
    let fail = |e: openapi_client_gen::Error| Failure(e.in_files(&loaded.doc_name, &loaded.config_name));
    if let Some(path) = single_file {
        let output = openapi_client_gen::generate_file(&loaded.text, &loaded.config).map_err(fail)?;
        print_warnings(&loaded.doc_name, &output.warnings);
        std::fs::write(&path, &output.contents)
            .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
        println!(
            "wrote {} ({} operations, {} types, {} warnings); add to the including crate's Cargo.toml:",
            path.display(),
            output.operations,
            output.types,
            output.warnings.len()
        );
        println!("[dependencies]");
        for Dependency { name, spec, .. } in &output.dependencies {
            println!("{name} = {spec}");
        }
        return Ok(());
    }
    let output = openapi_client_gen::generate(&loaded.text, &loaded.config).map_err(fail)?;
    print_warnings(&loaded.doc_name, &output.warnings);
    let dir = out.unwrap_or_else(|| PathBuf::from(loaded.config.crate_name()));
    let differences = sync::sync(&output.files, &dir, Mode::Write).map_err(|e| Failure(e.to_string()))?;
    let Output { files, warnings, operations, types, .. } = &output;
    let written = differences.iter().filter(|d| !matches!(d, sync::Difference::Extra { .. })).count();
    let removed = differences.len() - written;
    let removed = if removed > 0 { format!(", {removed} removed") } else { String::new() };
    println!(
        "generated {} in {}: {operations} operations, {types} types, {} files ({written} written{removed}), {} warnings",
        loaded.config.crate_name(),
        dir.display(),
        files.len(),
        warnings.len()
    );
    Ok(())
}

fn check(input: &Input, dir: &Path, strict: bool) -> Result<(), Failure> {
    let loaded = load(input, strict)?;
    let output = openapi_client_gen::generate(&loaded.text, &loaded.config)
        .map_err(|e| Failure(e.in_files(&loaded.doc_name, &loaded.config_name)))?;
    let differences = sync::sync(&output.files, dir, Mode::Check).map_err(|e| Failure(e.to_string()))?;
    match differences.first() {
        None => {
            println!("{} is up to date ({} files)", dir.display(), output.files.len());
            Ok(())
        }
        Some(first) => Err(Failure(format!(
            "{} is stale: {first}{}; run `openapi-client-gen generate {} -o {}` to regenerate it",
            dir.display(),
            match differences.len() - 1 {
                0 => String::new(),
                more => format!(" (and {more} more)"),
            },
            input.doc.display(),
            dir.display(),
        ))),
    }
}

fn print_warnings(doc_name: &str, warnings: &[openapi_client_gen::Warning]) {
    for warning in warnings {
        eprintln!("{doc_name}: {warning}");
    }
}

fn vendor(from: &Path, prefixes: &[String], out: Option<&Path>) -> Result<(), Failure> {
    let text = std::fs::read_to_string(from).map_err(|e| Failure(format!("cannot read {}: {e}", from.display())))?;
    let doc = openapi_client_gen::load::load(&text).map_err(|e| Failure(format!("{}: {e}", from.display())))?;
    let doc =
        openapi_client_gen::vendor::vendor(doc, prefixes).map_err(|e| Failure(format!("{}: {e}", from.display())))?;
    match out {
        Some(out) => {
            openapi_client_gen::vendor::write(&doc, out).map_err(Failure)?;
            println!("wrote {}", out.display());
        }
        None => print!("{}", openapi_client_gen::vendor::to_yaml(&doc).map_err(Failure)?),
    }
    Ok(())
}

fn init(doc: &Path, force: bool) -> Result<(), Failure> {
    let path = doc.with_file_name(openapi_client_gen::FILE_NAME);
    if path.exists() && !force {
        return Err(Failure(format!("{} is already there (--force overwrites it)", path.display())));
    }
    let text = std::fs::read_to_string(doc).map_err(|e| Failure(format!("cannot read {}: {e}", doc.display())))?;
    let starter = openapi_client_gen::starter_config(&text, doc.file_stem().and_then(|s| s.to_str()).unwrap_or("api"))
        .map_err(|e| Failure(format!("{}: {e}", doc.display())))?;
    std::fs::write(&path, starter).map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
    println!("wrote {}", path.display());
    Ok(())
}
