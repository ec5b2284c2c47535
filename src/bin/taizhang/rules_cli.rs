//! Placeholder: commands of this module are being written.

use clap::{ArgMatches, Command};
use taizhang::{Result, Store};

pub fn commands() -> Vec<Command> {
    Vec::new()
}

pub fn handles(_name: &str) -> bool {
    false
}

pub fn run(_store: &mut Store, _name: &str, _m: &ArgMatches, _as_json: bool) -> Result<()> {
    unreachable!("no commands registered")
}
