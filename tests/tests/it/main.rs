//! Every integration test of the project, in one binary so that it links once: the generator on
//! the fixtures, bad and sloppy documents, its determinism and vendoring, and the generated clients
//! end to end against servers on loopback.

mod common;

mod bad_input;
mod determinism;
mod e2e_blocking;
mod e2e_credentials;
mod e2e_errors;
mod e2e_faults;
mod e2e_forms;
mod e2e_media;
mod e2e_middleware;
mod e2e_mock;
mod e2e_oauth2;
mod e2e_operations;
mod e2e_paging;
mod e2e_requests;
mod e2e_uploads;
mod fixtures;
mod proptest_mutations;
mod sloppy_input;
mod snapshots;
mod tidy;
mod vendor;
