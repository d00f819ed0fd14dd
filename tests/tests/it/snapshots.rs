//! Snapshots of the Polar document's model and of every file emitted for it, and the guard that
//! keeps the checked-in `generated/` crate equal to what the generator makes today.

use tests::read;

const SPEC: &str = "spec/polar-customer-portal.yaml";

#[test]
fn model() {
    let config = xtask::config_beside(&tests::repo_root().join(SPEC)).expect("the settings read");
    let model = generator::model_with(&read(SPEC), &config).expect("the vendored spec lowers");
    in_snapshots(|| insta::assert_yaml_snapshot!("snapshots__model", tests::plan(&model)));
}

#[test]
fn emitted_files() {
    let config = xtask::config_beside(&tests::repo_root().join(SPEC)).expect("the settings read");
    let files = generator::generate(&read(SPEC), &config).expect("the vendored spec generates").files;
    // The files themselves are checked in (`generated/`) and kept fresh by the test below.
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    in_snapshots(|| insta::assert_yaml_snapshot!("snapshots__file_list", paths));
}

#[test]
fn generated_crate_is_fresh() {
    let root = tests::repo_root();
    let result = xtask::codegen(&root.join(SPEC), &root.join(xtask::OUT), xtask::CRATE_NAME, xtask::Mode::Check);
    if let Err(message) = result {
        panic!("{message}");
    }
}

/// The clients the end-to-end tests use besides Polar's, each checked in beside its document:
/// regenerate one with `cargo xtask codegen --spec tests/clients/<name>.yaml --out
/// tests/clients/<name> --crate-name <name>-client`.
#[test]
fn test_clients_are_fresh() {
    let root = tests::repo_root().join("tests/clients");
    for name in tests::CLIENTS {
        let spec = root.join(format!("{name}.yaml"));
        if let Err(message) = xtask::codegen(&spec, &root.join(name), &format!("{name}-client"), xtask::Mode::Check) {
            panic!("{message}");
        }
    }
}

/// Snapshots live in `snapshots/` beside this file, named as written.
fn in_snapshots(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(f);
}
