#!/usr/bin/env python3
"""A local LinkJ cluster on loopback, without Docker: a PostgreSQL primary and a streaming standby (pg_basebackup -R),
API replicas (Release build) reading from the standby when it is current, and HAProxy in front, health-checked on
/health/ready. See docs/operations.md (Local cluster).

  scripts/cluster.sh up [--replicas 2] [--skip-build]   start everything (reuses what already runs)
  scripts/cluster.sh status                             what runs, and the standby's replication state
  scripts/cluster.sh prove [--skip-build]               start if needed, prove the cross-replica guarantees, measure
  scripts/cluster.sh down [--purge]                     stop everything (--purge also deletes the data)

Environment: LINKJ_CLUSTER_DIR (default /tmp/linkj-cluster), LINKJ_CLUSTER_PORT (first port, default 55500: PostgreSQL
primary +1, standby +2, API replicas +11.., HAProxy +80)."""
import argparse, base64, concurrent.futures, hashlib, json, os, random, re, shutil, signal, socket, statistics, subprocess, sys, threading, time, uuid
import http.client as http_client, urllib.error, urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.environ.get("LINKJ_CLUSTER_DIR", "/tmp/linkj-cluster")
BASE = int(os.environ.get("LINKJ_CLUSTER_PORT", "55500"))
PRIMARY, STANDBY, LB = BASE + 1, BASE + 2, BASE + 80
LIB = f"source '{REPO}/scripts/lib/postgres.sh'"
STATE = os.path.join(DIR, "state.json")


def log(message):
    print(f"[cluster] {message}", flush=True)


def sh(command, check=True, env=None):
    result = subprocess.run(command, shell=isinstance(command, str), text=True, capture_output=True, env=env,
                            executable="/bin/bash" if isinstance(command, str) else None)
    if check and result.returncode != 0:
        raise RuntimeError(f"{command} failed ({result.returncode}):\n{result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def pg_lib(body):
    return sh(f"{LIB}; pg_ensure_binaries; {body}")


def psql(port, sql, db="linkj"):
    return sh(["psql", "-X", "-q", "-At", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-c", sql]).strip()


def port_open(port):
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except (OSError, TypeError):
        return False


def load_state():
    return json.load(open(STATE)) if os.path.exists(STATE) else {"replicas": {}}


def save_state(state):
    json.dump(state, open(STATE, "w"), indent=2)


def api_port(i):
    return BASE + 10 + i


# --- HTTP --------------------------------------------------------------------------------------------------------------

class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def http(port, path, method="GET", body=None, headers=None, timeout=15):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())
    except http_client.HTTPException as error:
        # A replica killed mid-response (IncompleteRead, RemoteDisconnected, BadStatusLine): a connection failure to the
        # callers, who retry it, rather than an exception that would end their thread and lose track of its write.
        raise ConnectionError(f"{type(error).__name__}: {error}") from error


def wait_ready(port, timeout=90):
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if http(port, "/health/ready", timeout=2).status == 200:
                return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"127.0.0.1:{port} not ready after {timeout} s")


def cursor_at(position):
    """The feed cursor just after change <position> (as the API builds it: Application/Common/Paging/Cursor.cs)."""
    fields = [b"changes", str(position).encode()]
    payload = b"".join(str(len(f)).encode() + b":" + f for f in fields)
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    return b64(payload) + "." + b64(hashlib.sha256(payload).digest()[:6])


def position_of(cursor):
    """The change position inside a feed cursor (base64url of length-prefixed fields "7:changes" "<n>:<position>", then a
    check part)."""
    payload = cursor.split(".")[0]
    raw, fields = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)), []
    while raw:
        length, _, rest = raw.partition(b":")
        fields.append(rest[:int(length)])
        raw = rest[int(length):]
    return int(fields[1])


# --- up / down / status ------------------------------------------------------------------------------------------------

def ensure_packages():
    missing = [p for p in ("haproxy", "wrk") if shutil.which(p) is None]
    if missing:
        log(f"installing {' '.join(missing)} (Debian packages)…")
        sh("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + " ".join(missing))


def build():
    log("building Release…")
    sh(["dotnet", "publish", f"{REPO}/src/LinkJ.Api", "-c", "Release", "-o", f"{DIR}/api", "-p:UseAppHost=false"])


def start_primary():
    pg_lib(f"pg_start_cluster '{DIR}/primary' {PRIMARY} yes")
    if psql(PRIMARY, "SELECT 1 FROM pg_database WHERE datname = 'linkj'", db="postgres") != "1":
        psql(PRIMARY, "CREATE DATABASE linkj", db="postgres")


def start_standby():
    data = f"{DIR}/standby"
    if not os.path.exists(f"{data}/PG_VERSION"):
        log("cloning the standby from the primary (pg_basebackup -R, replication slot linkj_standby)…")
        psql(PRIMARY, "SELECT pg_drop_replication_slot('linkj_standby') FROM pg_replication_slots WHERE slot_name = 'linkj_standby'", db="postgres")
        pg_lib(f"mkdir -p '{data}' && chmod 700 '{data}' && _pg_own '{data}' && "
               f"_pg_as_owner \"$PG_BIN/pg_basebackup\" -h 127.0.0.1 -p {PRIMARY} -U postgres -D '{data}' -R -X stream -c fast -C -S linkj_standby")
    pg_lib(f"pg_start_cluster '{data}' {STANDBY} yes")


def stop_standby():
    pg_lib(f"pg_stop_cluster '{DIR}/standby'")


def set_standby_delay(delay):
    """recovery_min_apply_delay on the standby ('0' for none): an artificial replication lag."""
    conf = f"{DIR}/standby/postgresql.conf"
    lines = [l for l in open(conf).read().splitlines() if not l.startswith("recovery_min_apply_delay")]
    lines.append(f"recovery_min_apply_delay = '{delay}'")
    open(conf, "w").write("\n".join(lines) + "\n")
    pg_lib(f"_pg_as_owner \"$PG_BIN/pg_ctl\" -D '{DIR}/standby' reload >/dev/null")


def api_env():
    return {**os.environ, "ASPNETCORE_ENVIRONMENT": "Production", "Logging__LogLevel__Default": "Warning",
            "ConnectionStrings__LinkJ": f"Host=127.0.0.1;Port={PRIMARY};Database=linkj;Username=postgres;Maximum Pool Size=50",
            "ConnectionStrings__LinkJRead": f"Host=127.0.0.1;Port={STANDBY};Database=linkj;Username=postgres;Maximum Pool Size=50",
            # One client address (this machine) makes every request of the proofs: budgets far above them.
            "RateLimits__AnonymousPerMinute": "100000000", "RateLimits__ApiKeyPerMinute": "100000000",
            # HAProxy on loopback sends the client's address in X-Forwarded-For (loopback proxies are trusted).
            "ReverseProxy__ForwardedHeaders": "true",
            # Several replicas on one machine: metrics on each one's API port rather than all on 9464.
            "Observability__Prometheus__Port": "0"}


def start_replica(state, i):
    replica = state["replicas"].get(str(i))
    if replica and alive(replica["pid"]) and port_open(replica["port"]):
        return
    port = api_port(i)
    out = open(f"{DIR}/api-{i}.log", "a")
    # In a session of its own (it outlives this script); the log ends with how the process ended.
    process = subprocess.Popen(["bash", "-c", f'dotnet "{DIR}/api/LinkJ.Api.dll" --urls http://127.0.0.1:{port}; echo "[cluster] exited with $? at $(date -u +%T)"'],
                               env=api_env(), cwd=f"{DIR}/api", stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    state["replicas"][str(i)] = {"pid": process.pid, "port": port}
    save_state(state)
    seconds = wait_ready(port)
    log(f"API replica {i}: http://127.0.0.1:{port} (pid {process.pid}, ready in {seconds:.1f} s)")


def kill_replica(state, i, sig=signal.SIGKILL):
    replica = state["replicas"].get(str(i))
    if replica and alive(replica["pid"]):
        os.killpg(replica["pid"], sig)
        for _ in range(100):
            if not alive(replica["pid"]):
                break
            time.sleep(0.05)


def haproxy_config(state):
    servers = "\n".join(f"  server api{i} 127.0.0.1:{r['port']} check" for i, r in sorted(state["replicas"].items()))
    return f"""global
  maxconn 4096
  pidfile {DIR}/haproxy.pid
  stats socket {DIR}/haproxy.sock mode 600 level admin

defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  option forwardfor
  # A request that could not reach a replica (refused, or no answer) is sent to another one; a GET also when it failed
  # with a 5xx (e.g. its query ran on a standby that stopped). Writes are resent only when they never reached a replica:
  # a client retries them itself, with its Idempotency-Key or If-Match.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout 500 502 503 504

frontend linkj
  bind 127.0.0.1:{LB}
  default_backend api

backend api
  balance roundrobin
  http-request disable-l7-retry unless METH_GET
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
{servers}
"""


def start_haproxy(state):
    config, text = f"{DIR}/haproxy.cfg", haproxy_config(state)
    pid = int(open(f"{DIR}/haproxy.pid").read().split()[0]) if os.path.exists(f"{DIR}/haproxy.pid") else None
    running = pid is not None and alive(pid)
    if running and os.path.exists(config) and open(config).read() == text:
        return
    open(config, "w").write(text)
    sh(["haproxy", "-c", "-q", "-f", config])
    sh(["haproxy", "-f", config, "-D"] + (["-sf", str(pid)] if running else []))  # -sf: the old process hands over
    for _ in range(50):
        if port_open(LB):
            break
        time.sleep(0.1)
    log(f"HAProxy: http://127.0.0.1:{LB} → {len(state['replicas'])} replicas")


def haproxy_command(command):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(f"{DIR}/haproxy.sock")
        s.sendall((command + "\n").encode())
        return s.recv(65536).decode()


def wait_lb_servers_up(count, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        stat = haproxy_command("show stat")
        if sum(1 for line in stat.splitlines() if line.startswith("api,api") and ",UP," in line) >= count:
            return
        time.sleep(0.2)
    raise RuntimeError(f"HAProxy does not see {count} replicas up")


def api_key(state):
    if "key" not in state:
        output = sh(["dotnet", f"{DIR}/api/LinkJ.Api.dll", "keys", "create", "--name", "cluster-prove", "--scopes", "admin"], env=api_env())
        state["key"] = re.search(r"(lj_[0-9a-f]{8}_[0-9a-f]{64})", output).group(1)
        save_state(state)
    return state["key"]


def up(args):
    os.makedirs(DIR, exist_ok=True)
    os.chmod(DIR, 0o755)
    ensure_packages()
    if not args.skip_build or not os.path.exists(f"{DIR}/api/LinkJ.Api.dll"):
        build()
    start_primary()
    start_standby()
    state = load_state()
    for i in range(1, args.replicas + 1):
        start_replica(state, i)  # the first one migrates and seeds; the others find it done
    start_haproxy(state)
    wait_lb_servers_up(args.replicas)
    log(f"up: load balancer http://127.0.0.1:{LB}, PostgreSQL primary :{PRIMARY}, standby :{STANDBY}; data and logs in {DIR}")
    return state


def down(args):
    state = load_state()
    if os.path.exists(f"{DIR}/haproxy.pid"):
        pid = int(open(f"{DIR}/haproxy.pid").read().split()[0])
        if alive(pid):
            os.kill(pid, signal.SIGTERM)
        os.remove(f"{DIR}/haproxy.pid")
    for i in list(state["replicas"]):
        kill_replica(state, i, signal.SIGTERM)
    state["replicas"] = {}
    if os.path.isdir(DIR):
        save_state(state)
        for name in ("standby", "primary"):
            if os.path.isdir(f"{DIR}/{name}"):
                pg_lib(f"pg_stop_cluster '{DIR}/{name}'")
    if args.purge:
        shutil.rmtree(DIR, ignore_errors=True)
    log("down" + (" (data deleted)" if args.purge else f" (data kept in {DIR})"))


def status(_args):
    state = load_state()
    for name, port in (("primary", PRIMARY), ("standby", STANDBY)):
        log(f"PostgreSQL {name} :{port}: {'up' if port_open(port) else 'down'}")
    for i, replica in sorted(state["replicas"].items()):
        log(f"API replica {i} :{replica['port']}: {'up' if alive(replica['pid']) and port_open(replica['port']) else 'down'}")
    log(f"HAProxy :{LB}: {'up' if port_open(LB) else 'down'}")
    if port_open(PRIMARY):
        log("replication: " + (psql(PRIMARY, "SELECT application_name || ' ' || state || ', replay lag ' || coalesce(replay_lag::text, '0') || ', "
                                             "bytes behind ' || pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication", db="postgres") or "no standby connected"))


# --- proofs ------------------------------------------------------------------------------------------------------------

class Prover:
    def __init__(self, state):
        self.state, self.key = state, api_key(state)
        self.ports = [r["port"] for _, r in sorted(state["replicas"].items())]
        self.results, self.figures = [], []
        self.auth = {"Authorization": f"ApiKey {self.key}"}
        self.osaka = http(LB, "/api/v1/partners/osaka-prefecture").json()["id"]

    def check(self, name, ok, detail=""):
        self.results.append((name, ok))
        print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  ({detail})" if detail else ""), flush=True)

    def figure(self, name, value):
        self.figures.append((name, value))
        print(f"      {name}: {value}", flush=True)

    def create(self, port, title, key=None):
        body = {"partnerId": self.osaka, "type": "mou", "title": {"ja": title, "en": title}, "signedOn": "2025-09-07",
                "cooperation": {"scopes": ["event-cooperation"], "isOpenEnded": True}}
        headers = {**self.auth, **({"Idempotency-Key": key} if key else {})}
        return http(port, "/api/v1/agreements", "POST", body, headers)

    def patch(self, port, agreement_id, etag, title):
        return http(port, f"/api/v1/agreements/{agreement_id}", "PATCH", json.dumps({"title": {"en": title}}).encode(),
                    {**self.auth, "If-Match": etag, "Content-Type": "application/merge-patch+json"})

    def standby_reads(self, settle=True):
        """Transactions committed on the standby's database so far. Busy backends report them every second, idle
        ones after 10 s: settle waits for those."""
        if settle:
            time.sleep(11)
        return int(psql(STANDBY, "SELECT xact_commit FROM pg_stat_database WHERE datname = 'linkj'"))

    # 1. A write through one replica is seen by the next read through another: body and ETag.
    def write_then_read_elsewhere(self):
        a, b = self.ports[0], self.ports[1]
        created = self.create(a, "cluster: read-after-write")
        agreement_id = created.json()["id"]
        path = f"/api/v1/agreements/{agreement_id}"
        stale, standby_before = [], self.standby_reads(settle=False)
        for round_ in range(20):
            writer, reader = (a, b) if round_ % 2 == 0 else (b, a)
            if round_ % 4 == 3:
                reader = LB
            before = http(reader, path)  # the reader's cache holds this version now
            title = f"cluster: version {round_}"
            written = self.patch(writer, agreement_id, before.headers["ETag"], title)
            after = http(reader, path)
            conditional = http(reader, path, headers={"If-None-Match": before.headers["ETag"]})
            if (written.status != 200 or after.json()["title"]["en"] != title
                    or not after.headers["ETag"].startswith(written.headers["ETag"].rstrip('"') + ".") or conditional.status != 200):
                stale.append(round_)
        # the list and stats too: a new agreement counted at once by the other replica
        total_a = http(a, "/api/v1/stats").json()["totals"]["partnerships"]
        self.create(a, "cluster: counted")
        total_b = http(b, "/api/v1/stats").json()["totals"]["partnerships"]
        counted = total_b == total_a + 1
        self.check("write on one replica, next read on another (direct ports and via the LB): new body, new ETag, no 304",
                   not stale and counted, f"20 write/read rounds, stale: {stale or 'none'}; standby transactions meanwhile: {self.standby_reads(settle=False) - standby_before}")

    # 2. Idempotent retry on another replica.
    def idempotent_retry_elsewhere(self):
        key, title = str(uuid.uuid4()), f"cluster: idempotent {uuid.uuid4().hex[:8]}"
        first = self.create(self.ports[0], title, key)
        retry = self.create(self.ports[1], title, key)
        via_lb = self.create(LB, title, key)
        stored = int(psql(PRIMARY, f"SELECT count(*) FROM agreements WHERE title_en = '{title}'"))
        ok = (first.status == 201 and retry.status == 201 and via_lb.status == 201 and retry.headers.get("Idempotent-Replayed") == "true"
              and retry.json()["id"] == first.json()["id"] == via_lb.json()["id"] and stored == 1)
        self.check("idempotent retry (same Idempotency-Key) on another replica replays, no duplicate", ok,
                   f"statuses {first.status}/{retry.status}/{via_lb.status}, replayed={retry.headers.get('Idempotent-Replayed')}, stored {stored}")

    # 3. If-Match races across replicas: exactly one winner.
    def if_match_races(self):
        agreement_id = self.create(LB, "cluster: race").json()["id"]
        outcomes = []
        for round_ in range(10):
            etag = http(LB, f"/api/v1/agreements/{agreement_id}").headers["ETag"]
            targets = [self.ports[i % len(self.ports)] for i in range(8)]
            barrier = threading.Barrier(len(targets))

            def race(index):
                barrier.wait()
                return self.patch(targets[index], agreement_id, etag, f"race {round_} writer {index}").status

            with concurrent.futures.ThreadPoolExecutor(len(targets)) as pool:
                statuses = list(pool.map(race, range(len(targets))))
            outcomes.append((statuses.count(200), statuses.count(412), len(statuses)))
        ok = all(wins == 1 and lost == total - 1 for wins, lost, total in outcomes)
        self.check("If-Match races across replicas: exactly one winner per round, the others 412", ok,
                   f"10 rounds of 8 writers over {len(self.ports)} replicas: winners {[o[0] for o in outcomes]}")

    # 4. The change feed, complete and in order, read across replicas while writers commit; the standby's lag meanwhile.
    def change_feed_and_lag(self):
        stop, follower_positions, lag = threading.Event(), [], []

        start = int(psql(PRIMARY, "SELECT coalesce(max(position), 0) FROM changes"))

        def follow():
            after, page, targets = cursor_at(start), 0, self.ports + [LB]
            while True:
                done = stop.is_set()
                query = f"/api/v1/changes?limit=7" + (f"&after={after}" if after else "")
                body = http(targets[page % len(targets)], query, headers=self.auth).json()
                page += 1
                follower_positions.extend(position_of(item["cursor"]) for item in body["items"])
                after = body["next"] or after
                if done and not body["hasMore"]:
                    return

        def sample_lag():
            while not stop.is_set():
                row = psql(PRIMARY, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), coalesce(extract(epoch FROM replay_lag), 0) "
                                    "FROM pg_stat_replication", db="postgres")
                if row:
                    lag.append(tuple(float(x) for x in row.split("|")))
                time.sleep(0.05)

        def write(worker):
            for n in range(40):
                response = self.create(self.ports[(worker + n) % len(self.ports)], f"cluster: feed {worker}-{n}")
                if response.status != 201:
                    raise RuntimeError(f"write failed: {response.status}")

        threads = [threading.Thread(target=follow), threading.Thread(target=sample_lag)]
        for t in threads:
            t.start()
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            list(pool.map(write, range(6)))
        seconds = time.perf_counter() - started
        stop.set()
        for t in threads:
            t.join()
        expected = [int(p) for p in psql(PRIMARY, f"SELECT position FROM changes WHERE position > {start} ORDER BY position").split()]
        ok = follower_positions == expected and len(follower_positions) >= 240
        self.check("change feed followed page by page across replicas while 6 writers commit: complete and in order", ok,
                   f"{len(follower_positions)} changes seen, {len(expected)} committed meanwhile")
        if lag:
            self.figure("standby lag under a write burst (240 creates in %.1f s, %.0f/s)" % (seconds, 240 / seconds),
                        "max %.0f bytes behind, max replay_lag %.1f ms, median %.0f bytes" % (max(l[0] for l in lag), 1000 * max(l[1] for l in lag),
                                                                                           statistics.median(l[0] for l in lag)))

    # 5. A lagging standby: reads right after a write are served from the primary, nothing stale cached.
    def lagging_standby(self):
        set_standby_delay("3s")
        try:
            agreement_id = self.create(LB, "cluster: lag").json()["id"]
            time.sleep(3.5)  # the standby has it now
            path = f"/api/v1/agreements/{agreement_id}"
            stale, behind = [], 0
            for round_ in range(5):
                etag = http(self.ports[round_ % 2], path).headers["ETag"]
                title = f"cluster: lagged {round_}"
                self.patch(self.ports[round_ % 2], agreement_id, etag, title)
                standby_position = int(psql(STANDBY, "SELECT coalesce(max(position), 0) FROM changes"))
                primary_position = int(psql(PRIMARY, "SELECT coalesce(max(position), 0) FROM changes"))
                behind += standby_position < primary_position
                for reader in (self.ports[(round_ + 1) % 2], LB, self.ports[(round_ + 1) % 2]):
                    if http(reader, path).json()["title"]["en"] != title:
                        stale.append(round_)
            time.sleep(3.5)
            standby_before = self.standby_reads()
            run = uuid.uuid4().hex[:8]
            for i in range(20):
                http(LB, f"/api/v1/agreements?limit={i % 20 + 1}&q=lag-{run}-{i}")  # q: a real parameter, new each time (no cached body)
            served = self.standby_reads() - standby_before  # a read served by the standby: its check and its query
        finally:
            set_standby_delay("0")
        self.check("standby 3 s behind: reads right after a write see it (primary), no stale body cached; the caught-up standby serves again",
                   not stale and behind == 5 and served >= 40, f"standby behind in {behind}/5 rounds, stale reads {len(stale)}, standby transactions after catch-up {served}")

    def read_loop(self, seconds, on_tick=None, threads=4):
        """Cache-missing reads through the LB for a while; returns (ok, failed, longest gap in s, latencies)."""
        stop, lock = threading.Event(), threading.Lock()
        counts = {"ok": 0, "failed": 0, "last_ok": time.perf_counter(), "gap": 0.0}

        def reader(worker):
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    status = http(LB, f"/api/v1/agreements?limit={n % 20 + 1}&q=cluster-{worker}-{n}", timeout=10).status
                except (urllib.error.URLError, ConnectionError, OSError):
                    status = 0
                now = time.perf_counter()
                with lock:
                    if status == 200:
                        counts["gap"] = max(counts["gap"], now - counts["last_ok"])
                        counts["last_ok"] = now
                        counts["ok"] += 1
                    else:
                        counts["failed"] += 1

        workers = [threading.Thread(target=reader, args=(w,)) for w in range(threads)]
        for w in workers:
            w.start()
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            if on_tick:
                on_tick(time.perf_counter() - started)
            time.sleep(0.05)
        stop.set()
        for w in workers:
            w.join()
        return counts

    # 6. The standby stopped and restarted while reads run.
    def standby_restart(self):
        events = {}

        def tick(t):
            if t >= 2 and "stopped" not in events:
                stop_standby()
                events["stopped"] = time.perf_counter()
            if t >= 6 and "started" not in events:
                start_standby()
                events["started"] = time.perf_counter()
            if "started" in events and "serving" not in events and int(t * 20) % 4 == 0:
                try:
                    if self.standby_reads(settle=False) > events.setdefault("baseline", self.standby_reads(settle=False)):
                        events["serving"] = time.perf_counter()
                except RuntimeError:
                    pass

        counts = self.read_loop(16, tick)
        serving = events.get("serving")
        self.check("standby stopped and restarted under reads: reads continue (primary meanwhile), then the standby serves again",
                   counts["failed"] == 0 and serving is not None,  # a GET that failed on it is retried by HAProxy
                   f"{counts['ok']} reads ok, {counts['failed']} failed; longest gap between successful reads {counts['gap'] * 1000:.0f} ms")
        self.figure("reads' recovery when the standby is killed (longest gap between successful reads)", f"{counts['gap'] * 1000:.0f} ms")
        if serving:
            self.figure("standby serving reads again after its restart", f"{serving - events['started']:.1f} s after it was started "
                        f"(it is retried 5 s after its last failure; the standby's statistics lag up to 1 s)")

    # 7. Requests/s of a read mix through the LB, two replicas against one, same run.
    def throughput(self):
        ids = psql(PRIMARY, "SELECT id FROM agreements WHERE deleted_at IS NULL ORDER BY random() LIMIT 200").split()
        paths = [f"/api/v1/agreements/{i}" for i in ids] + ["/api/v1/agreements?limit=20", "/api/v1/agreements?country=JP",
                                                            "/api/v1/stats", "/api/v1/partners", "/api/v1/partners/osaka-prefecture",
                                                            "/api/v1/agreements?q=%E5%A4%A7%E9%98%AA", "/api/v1/cooperation-scopes"] * 10
        paths_file = f"{DIR}/read-mix.txt"
        open(paths_file, "w").write("\n".join(paths) + "\n")
        script = f"{REPO}/tests/cluster/read-mix.lua"

        def wrk(seconds):
            output = sh(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", script, f"http://127.0.0.1:{LB}"],
                        env={**os.environ, "PATHS_FILE": paths_file})
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), int(errors.group(1)) if errors else 0

        results = {1: [], 2: []}
        wrk(3)
        for _ in range(2):
            for replicas in (2, 1):
                for i in range(2, len(self.ports) + 1):
                    haproxy_command(("disable" if replicas == 1 else "enable") + f" server api/api{i}")
                time.sleep(1.5)
                results[replicas].append(wrk(8))
        for i in range(2, len(self.ports) + 1):
            haproxy_command(f"enable server api/api{i}")
        two, one = statistics.median(r[0] for r in results[2]), statistics.median(r[0] for r in results[1])
        errors = sum(r[1] for rs in results.values() for r in rs)
        self.check("read mix through the LB: no errors", errors == 0, f"{errors} non-2xx/3xx")
        self.figure(f"read mix through the LB, {len(self.ports)} replicas vs 1 (wrk 32 connections, 8 s × 2 each, medians)",
                    f"{two:.0f} req/s vs {one:.0f} req/s (×{two / one:.2f}) on {os.cpu_count()} cores shared by everything")

    # 8. Kill a replica (SIGKILL) in the middle of reads and writes through the LB.
    def kill_replica_mid_load(self):
        stop, lock = threading.Event(), threading.Lock()
        writes = {"acknowledged": [], "first_try_failed": 0, "gave_up": 0}
        reads = {"ok": 0, "failed": 0, "last_ok": time.perf_counter(), "gap": 0.0}
        run = uuid.uuid4().hex[:8]

        def writer(worker):
            n = 0
            while not stop.is_set():
                n += 1
                key, title = f"{run}-{worker}-{n}", f"cluster: kill {run} {worker}-{n}"
                for attempt in range(10):  # a client retries a failed write with the same Idempotency-Key
                    try:
                        response = self.create(LB, title, key)
                        status = response.status
                    except (urllib.error.URLError, ConnectionError, OSError):
                        status = 0
                    if status == 201:
                        with lock:
                            writes["acknowledged"].append(response.json()["id"])
                        break
                    with lock:
                        writes["first_try_failed"] += attempt == 0
                    time.sleep(0.2)
                else:
                    with lock:
                        writes["gave_up"] += 1

        def reader(worker):
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    status = http(LB, f"/api/v1/agreements?limit={n % 20 + 1}&q=kill-{worker}-{n}", timeout=10).status
                except (urllib.error.URLError, ConnectionError, OSError):
                    status = 0
                now = time.perf_counter()
                with lock:
                    if status == 200:
                        reads["gap"] = max(reads["gap"], now - reads["last_ok"])
                        reads["last_ok"] = now
                        reads["ok"] += 1
                    else:
                        reads["failed"] += 1

        workers = [threading.Thread(target=writer, args=(w,)) for w in range(3)] + [threading.Thread(target=reader, args=(w,)) for w in range(3)]
        for w in workers:
            w.start()
        time.sleep(3)
        victim = str(len(self.ports))
        kill_replica(self.state, victim)
        killed_at = time.perf_counter()
        time.sleep(5)
        stop.set()
        for w in workers:
            w.join()
        acknowledged = writes["acknowledged"]
        stored = int(psql(PRIMARY, f"SELECT count(*) FROM agreements WHERE title_en LIKE 'cluster: kill {run} %'"))
        distinct = int(psql(PRIMARY, f"SELECT count(DISTINCT title_en) FROM agreements WHERE title_en LIKE 'cluster: kill {run} %'"))
        missing = int(psql(PRIMARY, "SELECT count(*) FROM unnest(ARRAY[" + ",".join(f"'{i}'::uuid" for i in acknowledged) + "]::uuid[]) AS a(id) "
                                    "WHERE NOT EXISTS (SELECT 1 FROM agreements g WHERE g.id = a.id)")) if acknowledged else 0
        ok = (writes["gave_up"] == 0 and missing == 0 and stored == distinct == len(acknowledged) and reads["failed"] <= 3
              and writes["first_try_failed"] <= 3)
        self.check("replica killed (SIGKILL) mid-load: every acknowledged write stored once, no request lost beyond those in flight", ok,
                   f"{len(acknowledged)} writes acknowledged, {stored} stored, {distinct} distinct, {missing} missing; "
                   f"writes failing at first try {writes['first_try_failed']} (≤ 3 in flight, then retried with their key); "
                   f"reads {reads['ok']} ok, {reads['failed']} failed")
        self.figure("reads' recovery when a replica is killed (longest gap between successful reads)", f"{reads['gap'] * 1000:.0f} ms")
        start_replica(self.state, int(victim))
        wait_lb_servers_up(len(self.ports))


def prove(args):
    started = time.perf_counter()
    args.replicas = max(2, args.replicas)
    state = up(args)
    prover = Prover(state)
    print()
    for proof in (prover.write_then_read_elsewhere, prover.idempotent_retry_elsewhere, prover.if_match_races, prover.change_feed_and_lag,
                  prover.lagging_standby, prover.standby_restart, prover.throughput, prover.kill_replica_mid_load):
        for i, replica in sorted(state["replicas"].items()):
            if not (alive(replica["pid"]) and port_open(replica["port"])):
                log(f"WARNING: API replica {i} was found down before {proof.__name__} (see {DIR}/api-{i}.log); restarting it")
                start_replica(state, int(i))
                wait_lb_servers_up(len(state["replicas"]))
        try:
            proof()
        except Exception as error:  # a proof that crashes is a failed proof; the others still run
            prover.check(proof.__name__.replace("_", " "), False, f"{type(error).__name__}: {error}")
    failed = [name for name, ok in prover.results if not ok]
    print()
    print(f"{len(prover.results) - len(failed)} passed, {len(failed)} failed in {time.perf_counter() - started:.0f} s")
    if prover.figures:
        print("figures:")
        for name, value in prover.figures:
            print(f"  {name}: {value}")
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "down", "status", "prove"])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--skip-build", action="store_true", help="reuse the last build")
    parser.add_argument("--purge", action="store_true", help="down: also delete the data directory")
    args = parser.parse_args()
    if args.command == "up":
        up(args)
    elif args.command == "down":
        down(args)
    elif args.command == "status":
        status(args)
    else:
        return prove(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
