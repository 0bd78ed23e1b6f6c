//! The `borging` binary: parse the command line, run, turn the result into an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    borging::cli::main()
}
