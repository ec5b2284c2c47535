#!/usr/bin/env bash
# Sourced by scripts/desktop.sh and scripts/test-desktop.sh: install what the desktop app
# needs to build (WebKitGTK, GTK …), and for tests (Xvfb, WebKitWebDriver, CJK fonts), then
# the UI's npm packages. Installs only what is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"

desktop_apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "==> 安装系统软件包：${missing[*]}"
    local sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
  fi
}

DESKTOP_BUILD_PACKAGES=(pkg-config libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  libayatana-appindicator3-dev librsvg2-dev libgtk-3-dev fonts-noto-cjk)
DESKTOP_TEST_PACKAGES=(xvfb xauth webkit2gtk-driver dbus-x11)

desktop_apt_install "${DESKTOP_BUILD_PACKAGES[@]}"
if [ "${DESKTOP_TESTS:-0}" = "1" ]; then
  desktop_apt_install "${DESKTOP_TEST_PACKAGES[@]}"
fi

# Node.js ≥ 20.19 builds the UI (Vite 7).
if ! command -v npm >/dev/null 2>&1; then
  desktop_apt_install nodejs npm
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
  echo "需要 Node.js 20.19 或更新版本（当前 $(node --version)）" >&2
  exit 1
}

# The UI's packages, exactly as locked.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> 安装界面依赖（npm ci）"
  # `npm ci` insists on every platform's optional packages being in the lock; registries that
  # only serve this platform leave them out, so fall back to an install that keeps the locked
  # versions.
  (cd ui && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; })
fi
