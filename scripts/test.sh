#!/usr/bin/env bash
# Set up what is missing, then run every check and test of 两新党建台账: the core and CLI
# (rustfmt, clippy, cargo test), then the desktop app (UI type check and unit tests, the shell's
# checks, end-to-end tests of the real app under Xvfb).
#   SKIP_DESKTOP=1 scripts/test.sh   only the core and CLI
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
echo "==> cargo test"
cargo test --locked

if [ "${SKIP_DESKTOP:-0}" != "1" ]; then
  scripts/test-desktop.sh
fi
