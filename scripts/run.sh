#!/usr/bin/env bash
# Set up what is missing, build, and run 两新党建台账 on the default database.
#   scripts/run.sh            the desktop app (installs missing apt/npm packages, builds the UI)
#   scripts/run.sh --demo     the same; an empty ledger is first filled with the demo county
#   scripts/run.sh -- ARGS    the command line instead, e.g. -- member list --json
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--" ]; then
  shift
  source scripts/setup.sh
  [ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
  cargo build --release --quiet --bin taizhang
  target/release/taizhang init >/dev/null
  if (($#)); then
    exec target/release/taizhang "$@"
  fi
  exec target/release/taizhang --help
fi
exec scripts/desktop.sh "$@"
