# shellcheck shell=bash
# Helpers for running private PostgreSQL clusters (no system service, no Docker).
# Source this file; it defines:
#   pg_ensure_binaries                        find (or apt-install) the server binaries, export PG_BIN
#   pg_start_cluster DATA_DIR PORT yes|no     init if needed and start a cluster on 127.0.0.1:PORT
#                                             (yes = durable, no = fsync off etc. for throwaway use)
#   pg_stop_cluster DATA_DIR                  fast shutdown; no-op if it is not running
#   pg_free_port                              print a free TCP port on 127.0.0.1
# The server refuses to run as root, so when we are root every server command runs as the
# `postgres` OS user; that user must be able to traverse the parent directories of DATA_DIR.
# Messages go to stderr, so stdout stays clean for callers.

_pg_log() { printf '[postgres] %s\n' "$*" >&2; }
_pg_die() { printf '[postgres] ERROR: %s\n' "$*" >&2; return 1; }

# Run a command as the cluster owner: `postgres` when we are root, ourselves otherwise.
# `cd /` avoids "could not change directory" noise when the caller's cwd is private (/root).
_pg_as_owner() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Give a path to the cluster owner (only needed, and only possible, as root).
_pg_own() {
  if [[ $EUID -eq 0 ]]; then
    chown postgres: "$@"
  fi
}

# True if something accepts TCP connections on 127.0.0.1:$1.
_pg_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Print the first directory holding a usable server (pg_ctl, initdb, postgres); fail if none.
_pg_find_bindir() {
  local dir candidates=()
  # Debian layout, highest major version first.
  while IFS= read -r dir; do
    candidates+=("$dir")
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r)
  if command -v pg_config >/dev/null 2>&1; then
    candidates+=("$(pg_config --bindir 2>/dev/null || true)")
  fi
  for dir in "${candidates[@]}"; do
    if [[ -n $dir && -x $dir/pg_ctl && -x $dir/initdb && -x $dir/postgres ]]; then
      printf '%s\n' "$dir"
      return 0
    fi
  done
  return 1
}

pg_ensure_binaries() {
  local dir
  if dir=$(_pg_find_bindir); then
    export PG_BIN=$dir
    _pg_ensure_os_user
    return 0
  fi
  [[ $EUID -eq 0 ]] || _pg_die "PostgreSQL server binaries not found; install them (apt-get install postgresql) or run as root" || return 1
  _pg_log "PostgreSQL server binaries not found; installing the Debian package 'postgresql'..."
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  # The package may auto-start its own 'main' cluster on 5432: we never use it, so stop it.
  if command -v pg_lsclusters >/dev/null 2>&1; then
    local ver name _rest
    while read -r ver name _rest; do
      pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
    done < <(pg_lsclusters -h 2>/dev/null || true)
  fi
  service postgresql stop >/dev/null 2>&1 || true
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now postgresql >/dev/null 2>&1 || true
  fi
  dir=$(_pg_find_bindir) || _pg_die "installed 'postgresql' but still found no pg_ctl/initdb/postgres" || return 1
  export PG_BIN=$dir
  _pg_ensure_os_user
  _pg_log "using PostgreSQL binaries in $PG_BIN"
}

# As root the server runs as `postgres`; the Debian package creates that user, but binaries
# from elsewhere may not have, so create a system user if needed.
_pg_ensure_os_user() {
  if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    _pg_log "creating the 'postgres' OS user"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
}

# True if the postmaster for DATA_DIR is alive.
_pg_running() {
  [[ -f $1/postmaster.pid ]] && _pg_as_owner "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# Initialise DATA_DIR (owned by the cluster owner) with a trusting `postgres` superuser.
_pg_initdb() {
  local data_dir=$1 init_log
  init_log="$(dirname "$data_dir")/initdb.log"
  mkdir -p "$data_dir"
  chmod 700 "$data_dir"
  _pg_own "$data_dir"
  if ! _pg_as_owner test -w "$data_dir"; then
    _pg_die "the postgres OS user cannot write $data_dir; every parent directory must be traversable by it (chmod o+x), or use a data directory elsewhere (e.g. under /tmp)"
    return 1
  fi
  _pg_log "initialising a new cluster in $data_dir"
  local -a args=(-D "$data_dir" -U postgres --auth=trust --encoding=UTF8)
  # initdb empties the directory again when it fails, so a retry with plain C is safe.
  if ! _pg_as_owner "$PG_BIN/initdb" "${args[@]}" --locale=C.UTF-8 >"$init_log" 2>&1; then
    _pg_log "initdb with locale C.UTF-8 failed; retrying with locale C"
    if ! _pg_as_owner "$PG_BIN/initdb" "${args[@]}" --locale=C >"$init_log" 2>&1; then
      tail -n 20 "$init_log" >&2
      _pg_die "initdb failed (full output: $init_log)"
      return 1
    fi
  fi
}

pg_start_cluster() {
  local data_dir=${1:?usage: pg_start_cluster DATA_DIR PORT yes|no} port=${2:?missing PORT} durable=${3:-yes}
  [[ $durable == yes || $durable == no ]] || _pg_die "DURABLE must be 'yes' or 'no', got '$durable'" || return 1
  pg_ensure_binaries || return 1

  data_dir=$(realpath -m "$data_dir")
  local base sock_dir log_file
  base=$(dirname "$data_dir")
  mkdir -p "$base"

  # Already running on this data dir? Reuse it if it answers on the expected port.
  if _pg_running "$data_dir"; then
    local running_port
    running_port=$(sed -n 4p "$data_dir/postmaster.pid")
    if [[ $running_port == "$port" ]] && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      _pg_log "reusing the server already running on 127.0.0.1:$port ($data_dir)"
      return 0
    fi
    _pg_die "a server is already running on $data_dir but on port ${running_port:-?}, not $port; stop it first (pg_stop_cluster / scripts/run.sh --stop-db)"
    return 1
  fi

  if [[ ! -f $data_dir/PG_VERSION ]]; then
    _pg_initdb "$data_dir" || return 1
  fi

  if _pg_port_in_use "$port"; then
    _pg_die "port $port on 127.0.0.1 is already used by another process; pick another port"
    return 1
  fi

  # Our own socket directory (a unix socket path must stay under ~107 bytes).
  sock_dir="$base/socket-$port"
  if (( ${#sock_dir} > 90 )); then
    sock_dir="/tmp/linkj-pg-socket-$port"
  fi
  mkdir -p "$sock_dir"
  _pg_own "$sock_dir"

  # The log file is opened by pg_ctl running as the owner, so create it and hand it over.
  log_file="$base/postgres-$port.log"
  touch "$log_file"
  _pg_own "$log_file"

  local opts="-p $port -k '$sock_dir' -c listen_addresses=127.0.0.1 -c max_connections=200"
  if [[ $durable == no ]]; then
    # Throwaway cluster: trade crash safety for speed.
    opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi

  _pg_log "starting PostgreSQL on 127.0.0.1:$port (durable=$durable, log: $log_file)"
  if ! _pg_as_owner "$PG_BIN/pg_ctl" -D "$data_dir" -l "$log_file" -w -t 30 -o "$opts" start >/dev/null 2>&1; then
    tail -n 30 "$log_file" >&2
    _pg_die "PostgreSQL failed to start (log: $log_file)"
    return 1
  fi

  # pg_ctl -w already waited; double-check over TCP the way clients will connect.
  local waited=0
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; do
    if (( waited >= 30 )); then
      tail -n 30 "$log_file" >&2
      _pg_die "PostgreSQL did not accept connections on 127.0.0.1:$port within 30 s (log: $log_file)"
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  _pg_log "PostgreSQL is ready on 127.0.0.1:$port"
}

pg_stop_cluster() {
  local data_dir=${1:?usage: pg_stop_cluster DATA_DIR}
  pg_ensure_binaries || return 1
  if ! _pg_running "$data_dir"; then
    _pg_log "no PostgreSQL server running on $data_dir"
    return 0
  fi
  _pg_as_owner "$PG_BIN/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null 2>&1 || true
  if _pg_running "$data_dir"; then
    _pg_die "PostgreSQL on $data_dir did not stop"
    return 1
  fi
  _pg_log "stopped PostgreSQL ($data_dir)"
}

pg_free_port() {
  local port attempt use_python=no
  if python3 -c 'import socket' >/dev/null 2>&1; then
    use_python=yes
  fi
  for attempt in $(seq 1 200); do
    port=$(( (RANDOM * 32768 + RANDOM) % 40001 + 20000 ))
    if [[ $use_python == yes ]]; then
      # Binding is stricter than connecting: it also catches ports bound but not listening.
      if python3 - "$port" <<'PY' 2>/dev/null; then
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.close()
PY
        printf '%s\n' "$port"
        return 0
      fi
    elif ! _pg_port_in_use "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  _pg_die "found no free TCP port on 127.0.0.1 after $attempt attempts"
}

# pg_start_standby PRIMARY_PORT DATA_DIR PORT yes|no
# Clones a streaming standby of the primary on 127.0.0.1:PRIMARY_PORT into DATA_DIR (pg_basebackup -R: it follows the
# primary's WAL from then on, read-only, hot standby) unless DATA_DIR already holds one, and starts it on PORT.
pg_start_standby() {
  local primary_port=${1:?usage: pg_start_standby PRIMARY_PORT DATA_DIR PORT yes|no} data_dir=${2:?missing DATA_DIR}
  local port=${3:?missing PORT} durable=${4:-yes}
  pg_ensure_binaries || return 1
  data_dir=$(realpath -m "$data_dir")
  if [[ ! -f $data_dir/PG_VERSION ]]; then
    mkdir -p "$data_dir"
    chmod 700 "$data_dir"
    _pg_own "$data_dir"
    _pg_log "cloning a standby of 127.0.0.1:$primary_port into $data_dir (pg_basebackup -R)"
    if ! _pg_as_owner "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$data_dir" -R -X stream -c fast >&2; then
      _pg_die "pg_basebackup from 127.0.0.1:$primary_port failed"
      return 1
    fi
  fi
  pg_start_cluster "$data_dir" "$port" "$durable"
}
