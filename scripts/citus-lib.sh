#!/usr/bin/env bash
# Citus for the scale-out tests and benchmark (sourced after lib.sh):
#   cb_citus_install        Citus in the server: the installed one, or built from
#                           the tarball $CB_CITUS_SRC (default: the vendored
#                           ../shared/vendor/citus/citus-13.2.2.tar.gz beside the
#                           repository), with the patch of its README when needed
#   cb_citus_start DB       a coordinator and two workers, each a cluster of its
#                           own on 127.0.0.1, ports $CB_CITUS_PORT and the next two,
#                           as user postgres, database DB with citus on each; the
#                           workers are added to the coordinator; stopped and
#                           removed on exit.  Sets PGHOST, PGUSER and CITUS_DIR.

CB_CITUS_SRC=${CB_CITUS_SRC:-$CB_ROOT/../shared/vendor/citus/citus-13.2.2.tar.gz}
CB_CITUS_PORT=${CB_CITUS_PORT:-56200}   # coordinator; workers on the next two ports
CITUS_BUILD_PACKAGES=(libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev libssl-dev libselinux1-dev
                      libxslt1-dev libpam0g-dev libreadline-dev autoconf flex bison)

cb_citus_install() {
  local build src patch_file
  if [ -f "$("$CB_PG_BIN/pg_config" --pkglibdir)/citus.so" ]; then
    return 0
  fi
  if [ ! -f "$CB_CITUS_SRC" ]; then
    echo "no Citus in this server and no Citus source at $CB_CITUS_SRC (set CB_CITUS_SRC)" >&2
    exit 1
  fi
  cb_install_packages "${CITUS_BUILD_PACKAGES[@]}"
  cb_log "building Citus from $CB_CITUS_SRC"
  build=$(mktemp -d /tmp/carbonbudget-citus-build.XXXXXX)
  tar -xzf "$CB_CITUS_SRC" -C "$build"
  src=$(find "$build" -mindepth 1 -maxdepth 1 -type d | head -n 1)
  patch_file=$(dirname "$CB_CITUS_SRC")/pg15.20-have_createdb_privilege.patch
  if [ -f "$patch_file" ] &&
     grep -q have_createdb_privilege "$("$CB_PG_BIN/pg_config" --includedir-server)/commands/dbcommands.h"; then
    (cd "$src" && patch -s -p1 < "$patch_file")
  fi
  (cd "$src" && ./configure -q PG_CONFIG="$CB_PG_BIN/pg_config" > "$build/configure.log" 2>&1 &&
     make -s -j2 > "$build/make.log" 2>&1 && make -s install > "$build/install.log" 2>&1) ||
    { tail -n 30 "$build"/*.log >&2; exit 1; }
  rm -rf "$build"
}

cb_citus_stop() {
  for node in 0 1 2; do
    if [ -d "$CITUS_DIR/node$node" ]; then
      runuser -u postgres -- "$CB_PG_BIN/pg_ctl" -D "$CITUS_DIR/node$node" -m fast -w stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$CITUS_DIR"
}

cb_citus_start() {
  local db=$1 port
  CITUS_DIR=$(mktemp -d /tmp/carbonbudget-citus.XXXXXX)
  chown postgres: "$CITUS_DIR"
  chmod 700 "$CITUS_DIR"
  trap cb_citus_stop EXIT
  export PGHOST=$CITUS_DIR PGUSER=postgres
  cb_log "starting a Citus coordinator and two workers on 127.0.0.1:$CB_CITUS_PORT-$((CB_CITUS_PORT + 2))"
  for node in 0 1 2; do
    port=$((CB_CITUS_PORT + node))
    runuser -u postgres -- "$CB_PG_BIN/initdb" -D "$CITUS_DIR/node$node" -U postgres -A trust --no-sync \
      -E UTF8 --locale=C >/dev/null
    runuser -u postgres -- "$CB_PG_BIN/pg_ctl" -D "$CITUS_DIR/node$node" -l "$CITUS_DIR/node$node.log" \
      -o "-k $CITUS_DIR -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c shared_preload_libraries=citus -c max_connections=100 ${CB_CITUS_SERVER_OPTIONS:-}" \
      -w start >/dev/null
    command psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres -c "CREATE DATABASE $db"
    command psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d "$db" -c "CREATE EXTENSION citus"
  done
  command psql -X -q -v ON_ERROR_STOP=1 -p "$CB_CITUS_PORT" -d "$db" >/dev/null <<EOF
SELECT citus_set_coordinator_host('127.0.0.1', $CB_CITUS_PORT);
SELECT citus_add_node('127.0.0.1', $((CB_CITUS_PORT + 1)));
SELECT citus_add_node('127.0.0.1', $((CB_CITUS_PORT + 2)));
EOF
}
