#!/usr/bin/env bash
# Build and start the desktop app of 两新党建台账 on the default database (the CLI's).
#   scripts/desktop.sh            install what is missing, build the UI and the app, open the window
#   scripts/desktop.sh --demo     the same; an empty ledger is first filled with the demo county
#   scripts/desktop.sh --deb      build a release .deb package instead (target/release/bundle/deb/)
#   TAIZHANG_DB=文件 scripts/desktop.sh   use another database file
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/desktop-setup.sh

demo=0
deb=0
for a in "$@"; do
  case "$a" in
    --demo) demo=1 ;;
    --deb) deb=1 ;;
    *) echo "未知参数：$a（可用：--demo、--deb）" >&2; exit 2 ;;
  esac
done

echo "==> 构建界面"
(cd ui && npm run build --silent)
if ((deb)); then
  echo "==> 构建安装包（release，需要较长时间）"
  touch src-tauri/build.rs
  cargo build --release -p taizhang-desktop --features tauri/custom-protocol
  ui/node_modules/.bin/tauri bundle --bundles deb
  ls -1 target/release/bundle/deb/*.deb
  exit 0
fi

echo "==> 构建桌面程序"
# The UI is embedded at compile time: make sure a changed ui/dist is picked up.
touch src-tauri/build.rs
cargo build -p taizhang-desktop -p taizhang --bins --quiet

if ((demo)); then
  cli=target/debug/taizhang
  "$cli" init >/dev/null
  if [ "$("$cli" unit list --limit 1 --json | grep -c '"id"' || true)" = "0" ]; then
    echo "==> 载入演示数据"
    "$cli" demo
  else
    echo "数据库中已有数据，跳过演示数据。"
  fi
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "没有图形界面（DISPLAY 未设置）：请在桌面环境中运行，或用 xvfb-run -a scripts/desktop.sh" >&2
  exit 1
fi
exec target/debug/taizhang-desktop
