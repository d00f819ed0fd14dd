//! `openapi-client-gen`: the generator as a command (see `cli`).

fn main() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
