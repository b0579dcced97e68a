# Shared steps of scripts/demo and scripts/test: Debian packages, build and
# install, and a throwaway PostgreSQL cluster owned by an unprivileged user.
# Sourced, not executed.

set -euo pipefail

CB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CB_PG_MAJOR=${CB_PG_MAJOR:-15}
# The server's bin directory (Debian's by default; another installation of the
# same major version may be given, e.g. a relocated copy for a second checkout).
CB_PG_BIN=${CB_PG_BIN:-/usr/lib/postgresql/$CB_PG_MAJOR/bin}

# Packages needed to build, install and test the extension.
CB_BUILD_PACKAGES=(
  build-essential
  "postgresql-$CB_PG_MAJOR" "postgresql-server-dev-$CB_PG_MAJOR"
  "postgresql-$CB_PG_MAJOR-postgis-3" "postgresql-$CB_PG_MAJOR-postgis-3-scripts" postgis
  "postgresql-$CB_PG_MAJOR-pgtap"
  libgeos-dev liblapacke-dev
  "postgresql-$CB_PG_MAJOR-cron" gdal-bin
)

cb_log() { printf '\n== %s\n' "$*" >&2; }

cb_require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "run as root (it installs Debian packages and the extension): sudo $0" >&2
    exit 1
  fi
}

# Installs the Debian packages that are missing; apt-get update only when needed.
cb_install_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    cb_log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=900 update -qq
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Serialises build, install and test runs on this machine: the extension is
# installed into the server's shared directories, so two concurrent runs
# against one installation would load each other's library.  One lock per
# installation; released when the script exits.
cb_lock_install() {
  local lock
  lock="/tmp/carbonbudget-install-$(printf '%s' "$CB_PG_BIN" | md5sum | cut -c1-8).lock"
  # a script started by one that holds the lock (scripts/test runs scripts/fuzz) shares it
  if [ "${CB_INSTALL_LOCK_HELD:-}" = "$lock" ]; then return; fi
  exec 9>"$lock"
  if ! flock -n 9; then
    cb_log "waiting for another carbonbudget build or test run to finish"
    flock 9
  fi
  export CB_INSTALL_LOCK_HELD=$lock
}

# Builds with warnings as errors and installs into the server's directories.
cb_build_install() {
  cb_log "building and installing carbonbudget"
  make -C "$CB_ROOT" -s -j2 COPT=-Werror PG_CONFIG="$CB_PG_BIN/pg_config" >/dev/null
  make -C "$CB_ROOT" -s install PG_CONFIG="$CB_PG_BIN/pg_config" >/dev/null
}

# pg_cron for the scheduled-refresh test: jobs run in the test database as
# background workers (the cluster has no TCP listener).
CB_CRON_OPTIONS="-c shared_preload_libraries=pg_cron -c cron.database_name=contrib_regression -c cron.use_background_workers=on"

# Starts a private cluster as user postgres on a Unix socket in a temporary
# directory; exports PGHOST/PGPORT/PGUSER and stops it on exit.
cb_start_cluster() {
  CB_CLUSTER_DIR=$(mktemp -d /tmp/carbonbudget-pg.XXXXXX)
  chown postgres: "$CB_CLUSTER_DIR"
  chmod 700 "$CB_CLUSTER_DIR"
  export PGHOST=$CB_CLUSTER_DIR PGPORT=${CB_PGPORT:-54329} PGUSER=postgres PGDATABASE=postgres
  cb_log "starting a throwaway cluster in $CB_CLUSTER_DIR"
  runuser -u postgres -- "$CB_PG_BIN/initdb" -D "$CB_CLUSTER_DIR/data" -U postgres -A trust \
    --no-sync -E UTF8 --locale=C >/dev/null
  runuser -u postgres -- "$CB_PG_BIN/pg_ctl" -D "$CB_CLUSTER_DIR/data" -l "$CB_CLUSTER_DIR/server.log" \
    -o "-k $CB_CLUSTER_DIR -p $PGPORT -c listen_addresses='' -c fsync=off $CB_CRON_OPTIONS ${CB_PG_OPTIONS:-}" \
    -w start >/dev/null
  trap cb_stop_cluster EXIT
}

cb_stop_cluster() {
  if [ -n "${CB_CLUSTER_DIR:-}" ] && [ -d "$CB_CLUSTER_DIR/data" ]; then
    runuser -u postgres -- "$CB_PG_BIN/pg_ctl" -D "$CB_CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$CB_CLUSTER_DIR"
  fi
}

# The common start of every script that talks to the server: root, the build
# packages plus the given extras, the install lock, a fresh build and install,
# and a throwaway cluster (stopped on exit).
cb_setup_server() {
  cb_require_root
  cb_install_packages "${CB_BUILD_PACKAGES[@]}" "$@"
  cb_lock_install
  cb_build_install
  cb_start_cluster
}
