#!/usr/bin/env bash
# Tests of the desktop app: the shell's Rust checks, the UI's type check and unit tests
# (Vitest with Tauri IPC mocks), then end-to-end tests of the real app under Xvfb
# (tauri-driver + WebKitWebDriver). Screenshots go to target/e2e-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
DESKTOP_TESTS=1 source scripts/desktop-setup.sh

echo "==> 界面：类型检查（vue-tsc）"
(cd ui && npx vue-tsc --noEmit -p tsconfig.app.json)
echo "==> 界面：单元测试（Vitest）"
(cd ui && npx vitest run)
echo "==> 界面：构建"
(cd ui && npx vite build --logLevel warn)

echo "==> 桌面外壳：rustfmt、clippy、单元测试"
rustfmt --edition 2021 --check src-tauri/src/*.rs src-tauri/src/commands/*.rs src-tauri/build.rs
touch src-tauri/build.rs
cargo clippy -p taizhang-desktop --all-targets --locked -- -D warnings
cargo test -p taizhang-desktop --locked
cargo build -p taizhang-desktop --locked
# the end-to-end tests drive a second PC through the CLI
cargo build -p taizhang --bin taizhang --locked

echo "==> 端到端测试（tauri-driver，Xvfb）"
command -v tauri-driver >/dev/null 2>&1 || cargo install tauri-driver --locked
rm -rf target/e2e-screenshots
(cd ui && NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
  node --test --test-concurrency=1 --test-timeout=900000 e2e/)
echo "截图：target/e2e-screenshots/"
