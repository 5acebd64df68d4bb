#!/usr/bin/env python3
"""LinkJ.Api soak test: runs a read/write mix against the Release build for a set time, then checks that nothing was
lost or duplicated. Reuses the benchmark's build, throwaway PostgreSQL (durable) and data generator (bench.py).
Reports requests, errors by status, latency percentiles, the API's RSS at start and end (and every 30 s between), and a
consistency check: stored rows against acknowledged writes, the change feed against the tables.
Usage: bench/soak.sh [--duration 300] [--scale 10k] [--connections 16] [--write-percent 10] [--backdated 0] [--warmup 10]
                     [--api DIR] [--skip-build] [--evidence [--slowest 15]]
  --warmup S     seconds of the same mix first, reported apart: a fresh process's first calls of every path (and the
                 JIT's, without ReadyToRun) are start-up, not the steady state the soak measures (ADR 0049)
  --backdated N  percent of the creates dated in the past (a day of 2016-2020), as an import of historical MOUs
  --api DIR      a published build to soak instead of building this tree (e.g. main's, for a before/after pair)
  --evidence     explain the tail: PostgreSQL logs slow statements (with their plans), lock waits, checkpoints and
                 autovacuum; pg_stat_activity's wait events are sampled every 100 ms; the report lists the slowest
                 requests (from the API's request log) with their time, and what PostgreSQL logged around them"""
import argparse, datetime, json, os, platform, re, subprocess, sys, tempfile, threading, time, urllib.parse

import bench
from bench import BENCH, OUT, REPO, SCALES, Postgres, Server, free_port, http, sh, wait_ready, admin_key


class LoggedServer(Server):
    """bench.Server with the API's output kept in a file, so that a failure during a long run can be explained."""

    def __init__(self, dll, port, env, log_path):
        self.port, self.url = port, f"http://127.0.0.1:{port}"
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(["dotnet", dll, "--urls", self.url], env={**os.environ, **env},
                                        stdout=self.log, stderr=subprocess.STDOUT, cwd=os.path.dirname(dll))


def wait_alive_and_ready(server, timeout=120):
    """bench.wait_ready, but says so at once when the process has died (a port taken meanwhile, a crash)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.process.poll() is not None:
            server.log.flush()
            with open(server.log.name) as log:
                raise RuntimeError(f"the API exited with {server.process.returncode} while starting:\n{''.join(log.readlines()[-20:])}")
        try:
            if http(server.url + "/health/ready")[0] == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{server.url}/health/ready not ready after {timeout} s")


def rss_mb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(rf"{field}:\s+(\d+) kB", status.read()).group(1)) / 1024


def pull_feed(base, key):
    """Follows /api/v1/changes from the start; returns the changes."""
    changes, after = [], None
    while True:
        page = json.loads(http(f"{base}/api/v1/changes?limit=1000" + (f"&after={urllib.parse.quote(after)}" if after else ""),
                               headers={"X-Api-Key": key})[2])  # the change feed needs sync:read (admin has it)
        changes += page["items"]
        after = page["next"]
        if not page["hasMore"]:
            return changes


def consistency(pg, base, run, result, connections, key):
    """Stored rows against acknowledged writes; the change feed against the tables. Returns (checks, problems)."""
    q = lambda sql: pg.psql(sql).strip()
    like = f"soak-{run}-%"
    stored = int(q(f"SELECT count(*) FROM agreements WHERE title_en LIKE '{like}'"))
    distinct = int(q(f"SELECT count(DISTINCT title_en) FROM agreements WHERE title_en LIKE '{like}'"))
    updates_stored = int(q(f"SELECT count(*) FROM changes c JOIN agreements a ON a.id = c.resource_id "
                           f"WHERE a.title_en LIKE '{like}' AND c.operation = 'updated'"))
    versions = int(q(f"SELECT coalesce(sum(version - 1), 0) FROM agreements WHERE title_en LIKE '{like}'"))
    keys_pending = int(q("SELECT count(*) FROM idempotency_keys WHERE status_code = 0"))
    # wrk stops with up to one request per connection in flight, and gives up on a request after its timeout: such a
    # write may commit without the client seeing the answer. So stored may exceed acknowledged by that many — never fall short.
    unanswered = result["socket_errors"]["timeout"] + connections
    checks = {
        "creates acknowledged": result["created"], "agreements stored": stored, "duplicates": stored - distinct,
        "updates acknowledged": result["updated"], "update changes stored": updates_stored, "versions past 1": versions,
        "idempotency keys without a response": keys_pending,
    }
    problems = []
    if not result["created"] <= stored <= result["created"] + unanswered:
        problems.append(f"{result['created']} creates acknowledged but {stored} stored")
    if stored != distinct:
        problems.append(f"{stored - distinct} duplicate agreements")
    if not result["updated"] <= updates_stored <= result["updated"] + unanswered or updates_stored != versions:
        problems.append(f"{result['updated']} updates acknowledged, {updates_stored} update changes, {versions} versions past 1")
    if keys_pending:
        problems.append(f"{keys_pending} idempotency keys stored without their response")

    # The feed, followed end to end through the API, against the tables: every row's versions 1..n, nothing else.
    started = time.perf_counter()
    feed = pull_feed(base, key)
    feed_seconds = time.perf_counter() - started
    rows = {}
    for line in q("SELECT id, version FROM agreements UNION ALL SELECT id, version FROM partners").splitlines():
        rid, version = line.split("|")
        rows[rid] = int(version)
    seen = {}
    for change in feed:
        seen.setdefault(change["resourceId"], []).append(change["version"])
    table_changes = int(q("SELECT count(*) FROM changes"))
    bad = [rid for rid, version in rows.items() if sorted(seen.get(rid, [])) != list(range(1, version + 1))]
    extra = [rid for rid in seen if rid not in rows]
    checks.update({"changes in the feed": len(feed), "changes in the table": table_changes, "rows": len(rows),
                   "rows whose feed history is not versions 1..n": len(bad), "feed resources without a row": len(extra),
                   "feed pulled in (s)": round(feed_seconds, 1)})
    if len(feed) != table_changes:
        problems.append(f"the feed gave {len(feed)} changes, the table holds {table_changes}")
    if bad or extra:
        problems.append(f"{len(bad)} rows whose feed history differs (e.g. {bad[:3]}), {len(extra)} feed resources without a row")
    return checks, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=300, help="seconds of load (default 300 = 5 min)")
    parser.add_argument("--scale", default="10k", choices=SCALES, help="agreements generated before the run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--write-percent", type=int, default=10, help="share of writes in the mix (creates and updates)")
    parser.add_argument("--backdated", type=int, default=0, help="percent of the creates dated in 2016-2020 (default 0)")
    parser.add_argument("--api", help="directory of a published build to soak (default: build this tree into bench/.out/api)")
    parser.add_argument("--skip-build", action="store_true", help="use the Release build already in bench/.out")
    parser.add_argument("--warmup", type=int, default=10, help="seconds of the same mix before the measured run, reported apart (default 10; 0: none)")
    parser.add_argument("--evidence", action="store_true", help="log and sample what the slowest requests waited for (see above)")
    parser.add_argument("--slowest", type=int, default=15, help="with --evidence: how many of the slowest requests to list")
    args = parser.parse_args()

    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        print("installing wrk (Debian package)…", flush=True)
        sh("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk")
    if not args.skip_build and not args.api:
        print("building Release…", flush=True)
        # As deployed (deploy/Dockerfile) and as bench.py builds it: compiled ahead of time (ReadyToRun). JIT-only, the
        # first seconds of a soak measured the JIT compiling every path at once on 2 cores (ADR 0049).
        rid = "linux-arm64" if platform.machine() in ("aarch64", "arm64") else "linux-x64"
        sh(["dotnet", "publish", f"{REPO}/src/LinkJ.Api", "-c", "Release", "-o", f"{OUT}/api", "-p:UseAppHost=false",
            "-r", rid, "--self-contained", "false", "-p:PublishReadyToRun=true"])

    pg = Postgres()
    api = None
    try:
        connection = pg.start()
        api_env = {"ConnectionStrings__LinkJ": connection, "ASPNETCORE_ENVIRONMENT": "Production", "Logging__LogLevel__Default": "Warning",
                   "RateLimits__AnonymousPerMinute": "100000000", "RateLimits__ApiKeyPerMinute": "100000000",
                   "Observability__Prometheus__Port": "0"}
        api_dll = os.path.join(os.path.abspath(args.api), "LinkJ.Api.dll") if args.api else f"{OUT}/api/LinkJ.Api.dll"
        run = datetime.datetime.now().strftime("%H%M%S")
        os.makedirs(os.path.join(BENCH, "results"), exist_ok=True)
        first = LoggedServer(api_dll, free_port(), api_env, os.path.join(BENCH, "results", f"soak-{run}-api-setup.log"))  # migrates and seeds
        wait_alive_and_ready(first)
        first.stop()
        scale = SCALES[args.scale]
        print(f"generating {scale:,} agreements…", flush=True)
        pg.psql(file=f"{BENCH}/generate.sql", variables={"scale": scale})
        if args.evidence:
            evidence_settings(pg)
        key = admin_key(api_dll, api_env, "soak")
        ids_file = os.path.join(tempfile.mkdtemp(prefix="linkj-soak-ids."), "ids.txt")
        with open(ids_file, "w") as f:
            f.write(pg.psql("SELECT id FROM agreements ORDER BY random() LIMIT 20000"))
        partner = pg.psql("SELECT id FROM partners WHERE slug = 'osaka-prefecture'").strip()

        api_log = os.path.join(BENCH, "results", f"soak-{run}-api.log")
        api = LoggedServer(api_dll, free_port(), {**api_env, "Logging__LogLevel__Microsoft.Hosting.Lifetime": "Information"}, api_log)
        startup = wait_alive_and_ready(api)
        rss_start = rss_mb(api.process.pid)
        print(f"API ready in {startup:.1f} s, RSS {rss_start:.0f} MB; soaking for {args.duration} s "
              f"({args.connections} connections, {args.write_percent} % writes)…", flush=True)

        def wrk_mix(seconds, run_id):
            return subprocess.Popen(["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "10s",
                                     "-s", os.path.join(BENCH, "lua", "soak.lua"), api.url],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    env={**os.environ, "IDS_FILE": ids_file, "PARTNER_ID": partner, "API_KEY": key, "RUN_ID": run_id,
                                         "WRITE_PERCENT": str(args.write_percent), "BACKDATED_PERCENT": str(args.backdated)})

        warmup = None
        if args.warmup > 0:
            # The same mix, not measured (its creates are named soak-{run}w-…, outside the consistency check's acknowledged
            # ones): the first seconds of a fresh process are its first calls of every path, which the figures of a soak
            # should not mix with the steady state (bench.py warms up likewise). Its own figures are reported apart.
            print(f"warming up for {args.warmup} s (the same mix, reported apart)…", flush=True)
            out, err = wrk_mix(args.warmup, run + "w").communicate()
            line = next((l for l in out.splitlines() if l.startswith("SOAK ")), None)
            if line is None:
                raise RuntimeError(f"the warm-up's wrk failed:\n{out}\n{err}")
            warmup = json.loads(line[5:])
        measured_from = datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S.%f")[:12]
        wrk = wrk_mix(args.duration, run)
        samples = [(0, rss_start)]
        sampler = WaitSampler(pg, os.path.join(BENCH, "results", f"soak-{run}-waits.log")) if args.evidence else None
        started = time.perf_counter()
        while wrk.poll() is None:
            time.sleep(1)
            elapsed = time.perf_counter() - started
            if elapsed - samples[-1][0] >= 30 and api.process.poll() is None:
                samples.append((round(elapsed), rss_mb(api.process.pid)))
                print(f"  {samples[-1][0]:>4} s  RSS {samples[-1][1]:.0f} MB", flush=True)
        out, err = wrk.communicate()
        if sampler:
            sampler.stop()
        line = next((l for l in out.splitlines() if l.startswith("SOAK ")), None)
        if wrk.returncode != 0 or line is None:
            raise RuntimeError(f"wrk failed ({wrk.returncode}):\n{out}\n{err}")
        result = json.loads(line[5:])
        if api.process.poll() is not None:
            with open(api_log) as log:
                tail = "".join(log.readlines()[-30:])
            raise RuntimeError(f"the API exited during the soak ({api.process.returncode}); the end of {api_log}:\n{tail}")
        rss_end, rss_peak = rss_mb(api.process.pid), rss_mb(api.process.pid, "VmHWM")
        samples.append((round(time.perf_counter() - started), rss_end))

        checks, problems = consistency(pg, api.url, run, result, args.connections, key)
        report(args, scale, result, rss_start, rss_end, rss_peak, samples, checks, problems, warmup)
        if args.evidence:
            pg_log = os.path.join(BENCH, "results", f"soak-{run}-postgres.log")
            with open(os.path.join(pg.dir, f"postgres-{pg.port}.log"), errors="replace") as source, open(pg_log, "w") as target:
                target.write(source.read())
            explain_tail(api_log, pg_log, sampler.path, args.slowest, measured_from)
        return 1 if problems or any(int(s) >= 500 for s in result["statuses"]) else 0
    finally:
        if api is not None:
            api.stop()
        pg.stop()


def evidence_settings(pg):
    """What PostgreSQL logs for --evidence; applied before the API starts, so that every pooled connection has it."""
    lines = ["LOAD 'auto_explain';"]
    for setting in ["log_min_duration_statement = 200", "log_lock_waits = on", "deadlock_timeout = '100ms'",
                    "log_checkpoints = on", "log_autovacuum_min_duration = 0", "session_preload_libraries = 'auto_explain'",
                    "auto_explain.log_min_duration = 200", "auto_explain.log_analyze = on", "auto_explain.log_buffers = on",
                    "auto_explain.log_nested_statements = on", "track_io_timing = on", "log_line_prefix = '%m [%p] %a '"]:
        lines.append(f"ALTER SYSTEM SET {setting};")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:  # one session: LOAD first, for auto_explain's settings
        script.write("\n".join(lines) + "\nSELECT pg_reload_conf();\n")
    os.chmod(script.name, 0o644)
    pg.psql(file=script.name)


class WaitSampler:
    """Every 100 ms, the non-idle backends of pg_stat_activity (wait event, state, age of the query, its first words)."""

    def __init__(self, pg, path):
        self.path, self.stopping = path, threading.Event()
        command = ["psql", "-X", "-q", "-At", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "-d", "linkj"]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=open(path, "w"), stderr=subprocess.DEVNULL, text=True)
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        sql = ("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'HH24:MI:SS.MS'), pid, backend_type, state, "
               "coalesce(wait_event_type, '-') || ':' || coalesce(wait_event, '-'), "
               "round(extract(epoch FROM clock_timestamp() - query_start) * 1000), left(regexp_replace(query, '\\s+', ' ', 'g'), 90) "
               "FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state <> 'idle' AND backend_type IN ('client backend', 'autovacuum worker');\n")
        while not self.stopping.wait(0.1):
            try:
                self.process.stdin.write(sql)
                self.process.stdin.flush()
            except OSError:
                return

    def stop(self):
        self.stopping.set()
        self.thread.join()
        self.process.stdin.close()
        self.process.wait(10)


def explain_tail(api_log, pg_log, waits_log, n, measured_from):
    """The slowest requests of the request log with their time, then what PostgreSQL logged and waited for around them."""
    rows = []
    with open(api_log) as log:
        for line in log:
            if '"eventName":"Request"' not in line:
                continue
            entry = json.loads(line)
            if entry["timestamp"][11:23] < measured_from:  # the warm-up's (a run is shorter than a day)
                continue
            fields = entry["fields"]
            path = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}", fields["Path"])
            rows.append((fields["Duration"], entry["timestamp"][11:23], fields["Method"], path, fields["StatusCode"]))
    rows.sort(reverse=True)
    print(f"\nslowest {n} of the {len(rows):,} requests measured from {measured_from} (the time the answer was done, UTC; the request began 'ms' earlier):")
    for duration, at, method, path, status in rows[:n]:
        print(f"  {at}  {duration:>8.1f} ms  {status} {method} {path}")
    routes = {}
    for duration, _, method, path, _ in rows[:max(n, 100)]:
        routes[f"{method} {path}"] = routes.get(f"{method} {path}", 0) + 1
    print("  routes among the slowest 100: " + ", ".join(f"{r} {c}" for r, c in sorted(routes.items(), key=lambda x: -x[1])))
    with open(pg_log, errors="replace") as log:
        lines = [l.rstrip() for l in log if re.search(r"duration: |lock|checkpoint|automatic (vacuum|analyze)|deadlock", l)]
    print(f"\nPostgreSQL: {sum('duration: ' in l for l in lines)} statements ≥ 200 ms, {sum('still waiting' in l for l in lines)} lock waits, "
          f"{sum('checkpoint complete' in l for l in lines)} checkpoints, {sum('automatic' in l for l in lines)} autovacuum/analyze runs; "
          f"full log {os.path.relpath(pg_log, REPO)}, waits sampled every 100 ms in {os.path.relpath(waits_log, REPO)}")


def report(args, scale, result, rss_start, rss_end, rss_peak, samples, checks, problems, warmup=None):
    statuses = dict(sorted(result["statuses"].items()))
    errors = {s: n for s, n in statuses.items() if int(s) >= 400}
    sockets = {k: v for k, v in result["socket_errors"].items() if v}
    lat = result["latency_ms"]
    print()
    print(f"LinkJ.Api soak — {args.duration} s, {args.connections} connections, {args.write_percent} % writes "
          f"({args.backdated} % of creates backdated), {scale:,} agreements generated; "
          f"machine: {os.cpu_count()} cores (shared)")
    print(f"requests          {result['requests']:,} ({result['requests'] / result['seconds']:.0f}/s)")
    print(f"by status         " + ", ".join(f"{s}: {n:,}" for s, n in statuses.items()))
    print(f"errors            " + (", ".join(f"{s}: {n:,}" for s, n in errors.items()) if errors else "none") +
          (f"; socket errors {sockets}" if sockets else "; no socket errors"))
    print(f"latency (ms)      p50 {lat['p50']:.2f}, p90 {lat['p90']:.2f}, p99 {lat['p99']:.2f}, p99.9 {lat['p999']:.2f}, max {lat['max']:.2f}")
    if warmup:
        w = warmup["latency_ms"]
        print(f"warm-up (apart)   {args.warmup} s first after start-up, {warmup['requests']:,} requests: p50 {w['p50']:.2f}, p99 {w['p99']:.2f}, max {w['max']:.2f}")
    print(f"API RSS (MB)      start {rss_start:.0f}, end {rss_end:.0f}, peak {rss_peak:.0f}; every 30 s: " +
          " ".join(f"{mb:.0f}" for _, mb in samples))
    print("consistency       " + "; ".join(f"{k} {v}" for k, v in checks.items()))
    print("result            " + ("OK: nothing lost, nothing duplicated, the feed matches the tables" if not problems else "PROBLEMS: " + "; ".join(problems)))
    os.makedirs(f"{BENCH}/results", exist_ok=True)
    path = f"{BENCH}/results/soak-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    with open(path, "w") as f:
        json.dump({"duration": args.duration, "connections": args.connections, "write_percent": args.write_percent,
                   "backdated_percent": args.backdated, "api": args.api, "scale": scale, "warmup_seconds": args.warmup, "warmup": warmup,
                   "result": result, "rss_mb": {"start": rss_start, "end": rss_end, "peak": rss_peak, "samples": samples},
                   "checks": checks, "problems": problems}, f, indent=2)
    print(f"\nwritten to {os.path.relpath(path, REPO)}")


if __name__ == "__main__":
    sys.exit(main())
