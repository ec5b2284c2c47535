#!/usr/bin/env bash
# Set up what is missing, build, and run 两新党建台账 on the default database.
#   scripts/run.sh            open (create if needed) the default ledger and show its orgs
#   scripts/run.sh --demo     the same, first filling an empty ledger with a demo county
#   scripts/run.sh -- ARGS    run any taizhang command, e.g. -- member list --json
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"

cargo build --release --quiet
bin=target/release/taizhang

demo=0
args=()
while (($#)); do
  case "$1" in
    --demo) demo=1 ;;
    --) shift; args=("$@"); break ;;
    *) args+=("$1") ;;
  esac
  shift
done

"$bin" init
if ((demo)); then
  units=$("$bin" unit list --limit 1 --json | grep -c '"id"' || true)
  if [ "$units" = "0" ]; then
    "$bin" demo
  else
    echo "数据库中已有数据，跳过演示数据。"
  fi
fi
if ((${#args[@]})); then
  exec "$bin" "${args[@]}"
fi
"$bin" org list --limit 30
echo
echo "更多命令：$bin --help（例如 $bin member list --search 王）"
