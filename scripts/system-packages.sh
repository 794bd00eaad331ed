#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those missing (`npm test` and .ci/run both
# call this). python3-scrapy is the oracle the differential tests compare dragline with; chromium is
# the browser the Playwright download handler drives (test/e2e/browser.e2e.test.ts). Debian's chromium
# package has no Recommends, so --no-install-recommends installs all it needs. redis-server is the
# shared frontier the distributed-crawl tests start on a unix socket of their own
# (test/persistence/redis, test/e2e/redis*.e2e.test.ts); its systemd unit is not needed.
set -uo pipefail
packages=(python3-scrapy chromium redis-server)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-packages: the tests need ${missing[*]} (Debian packages); install them, then run npm test again" >&2
  exit 1
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "system-packages: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq >&2 || exit 1
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
  echo "system-packages: could not install ${missing[*]}: run 'apt-get install -y ${missing[*]}' as root, then npm test" >&2
  exit 1
}
