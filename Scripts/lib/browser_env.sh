# Sourced by the scripts that drive a real browser: makes sure Debian's Chromium is installed and
# that .venv-browser (ignored by git) holds the pinned Playwright for Python and axe-core (through
# axe-playwright-python, which bundles it). Playwright drives Debian's chromium: no browser is
# ever downloaded (`playwright install` is never run). After `ensure_browser_env`, BROWSER_PYTHON
# is the virtual environment's Python and CHROMIUM the browser to launch.
# Needs Scripts/lib/system-packages.sh sourced first.

BROWSER_VENV=.venv-browser
# Raise both together, and only to versions checked to work with Debian's chromium here.
BROWSER_PACKAGES=("playwright==1.65.2" "axe-playwright-python==0.1.8")

# Playwright must never fetch a browser of its own, whatever starts it.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

ensure_browser_env() {
  ensure_debian_packages chromium python3-venv util-linux || return 1
  CHROMIUM="${CHROMIUM:-$(command -v chromium || true)}"
  [ -n "$CHROMIUM" ] || { echo "chromium is not on PATH" >&2; return 1; }
  export CHROMIUM
  # Several runs may start at once (a suite and a run by hand, say): one makes the
  # environment while the others wait for it. The stamp names the pinned versions, so changing a
  # pin rebuilds the environment once; an install cut short is redone.
  (
    flock 9
    local stamp="$BROWSER_VENV/pinned.txt"
    if [ "$(cat "$stamp" 2>/dev/null)" != "${BROWSER_PACKAGES[*]}" ] ||
      ! "$BROWSER_VENV/bin/python" -c "import playwright, axe_playwright_python" 2>/dev/null; then
      echo "Installing ${BROWSER_PACKAGES[*]} into $BROWSER_VENV" >&2
      # Chained with &&: `set -e` does not hold inside a subshell whose status is tested.
      rm -rf "$BROWSER_VENV" &&
        python3 -m venv "$BROWSER_VENV" &&
        "$BROWSER_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${BROWSER_PACKAGES[@]}" >&2 &&
        echo "${BROWSER_PACKAGES[*]}" >"$stamp"
    fi
  ) 9>"$BROWSER_VENV.lock" || return 1
  BROWSER_PYTHON="$BROWSER_VENV/bin/python"
  export BROWSER_PYTHON
}
