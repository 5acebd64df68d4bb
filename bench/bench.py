#!/usr/bin/env python3
"""LinkJ.Api benchmark: builds Release, starts a throwaway PostgreSQL, the API and a plain-Npgsql baseline, generates
synthetic data at a chosen scale, runs a fixed mix with wrk, and prints requests/s, p50/p99 and the ratio to the
baseline measured in the same run. See docs/benchmarks.md. Usage: bench/run.sh --scale 100k [--duration 10] [--runs 3]"""
import argparse, base64, datetime, hashlib, json, os, platform, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time
import urllib.error, urllib.parse, urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(REPO, "bench")
OUT = os.path.join(BENCH, ".out")
SCALES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def sh(command, **kwargs):
    result = subprocess.run(command, shell=isinstance(command, str), text=True, capture_output=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed ({result.returncode}):\n{result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def admin_key(dll, env, name):
    """An admin API key, made with the service's own CLI (`keys create`) against the database in env."""
    out = sh(["dotnet", dll, "keys", "create", "--name", name, "--scopes", "admin"], env={**os.environ, **env}, cwd=os.path.dirname(dll))
    return re.search(r"(lj_[0-9a-f]{8}_[0-9a-f]{64})", out).group(1)


def process_cpu(pid):
    """CPU seconds (user + system) process pid has used so far, from /proc; None once it has exited."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url, method="GET", body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, dict(response.headers), response.read()


def wait_ready(url, timeout=300):
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if http(url)[0] == 200:
                return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} not ready after {timeout} s")


class Postgres:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="linkj-bench-pg.")
        self.port = free_port()
        os.chmod(self.dir, 0o777)
        self.lib = f"source '{REPO}/scripts/lib/postgres.sh'"

    def start(self):
        sh(["bash", "-c", f"{self.lib}; pg_ensure_binaries; pg_start_cluster '{self.dir}/data' {self.port} yes"])
        self.psql("CREATE DATABASE linkj", db="postgres")
        return f"Host=127.0.0.1;Port={self.port};Database=linkj;Username=postgres;Maximum Pool Size=100"

    def psql(self, sql=None, db="linkj", file=None, variables=None):
        command = ["psql", "-X", "-q", "-At", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1"]
        for name, value in (variables or {}).items():
            command += ["-v", f"{name}={value}"]
        command += ["-f", file] if file else ["-c", sql]
        return sh(command)

    def stop(self):
        subprocess.run(["bash", "-c", f"{self.lib}; pg_stop_cluster '{self.dir}/data'"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class Server:
    def __init__(self, dll, port, env):
        self.port, self.url = port, f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(["dotnet", dll, "--urls", self.url], env={**os.environ, **env},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=os.path.dirname(dll))

    def peak_rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            return int(re.search(r"VmHWM:\s+(\d+) kB", status.read()).group(1)) / 1024

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(url, duration, connections, script=None, env=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", os.path.join(BENCH, "lua", script)]
    output = subprocess.run(command + [url], check=True, text=True, capture_output=True, env={**os.environ, **(env or {})}).stdout

    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), "p50": latency("50"), "p99": latency("99"),
            "requests": requests, "non2xx": int(errors.group(1)) if errors else 0}


def cursor(kind, *keys):
    """The API's opaque keyset cursor (Application/Common/Paging/Cursor.cs), built from a known position."""
    payload = "|".join([kind, *keys]).encode()
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    return b64(payload) + "." + b64(hashlib.sha256(payload).digest()[:6])


def pull_feed(base, path, paged_by_api, key=None):
    started, after, total = time.perf_counter(), None, 0
    while True:
        if paged_by_api:
            url = f"{base}{path}?limit=1000" + (f"&after={urllib.parse.quote(after)}" if after else "")
            page = json.loads(http(url, headers={"X-Api-Key": key})[2])  # the change feed needs sync:read (admin has it)
            total += len(page["items"])
            after = page["next"]
            if not page["hasMore"]:
                break
        else:
            page = json.loads(http(f"{base}{path}?limit=1000&after={after or 0}")[2])
            total += len(page["items"])
            if len(page["items"]) < 1000:
                break
            after = page["next"]
    seconds = time.perf_counter() - started
    return {"rps": total / seconds, "changes": total, "seconds": seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="100k", choices=SCALES)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (after a 3 s warm-up)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3, help="repeat the mix; the table shows medians")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    scale = SCALES[args.scale]

    if shutil.which("wrk") is None:
        print("installing wrk (Debian package)…", flush=True)
        sh("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk")
    if not args.skip_build:
        print("building Release…", flush=True)
        # As deployed (deploy/Dockerfile): compiled ahead of time (ReadyToRun) for this machine, which starts faster.
        rid = "linux-arm64" if platform.machine() in ("aarch64", "arm64") else "linux-x64"
        sh(["dotnet", "publish", f"{REPO}/src/LinkJ.Api", "-c", "Release", "-o", f"{OUT}/api", "-p:UseAppHost=false",
            "-r", rid, "--self-contained", "false", "-p:PublishReadyToRun=true"])
        sh(["dotnet", "publish", f"{BENCH}/Baseline", "-c", "Release", "-o", f"{OUT}/baseline", "-p:UseAppHost=false"])

    pg = Postgres()
    servers = []
    try:
        connection = pg.start()
        api_env = {"ConnectionStrings__LinkJ": connection, "ASPNETCORE_ENVIRONMENT": "Production", "Logging__LogLevel__Default": "Warning",
                   "RateLimits__AnonymousPerMinute": "100000000", "RateLimits__ApiKeyPerMinute": "100000000",
                   "Maintenance__Interval": "1.00:00:00",
                   # Metrics on the API port: a fixed 9464 may be taken on a shared machine.
                   "Observability__Prometheus__Port": "0"}
        api_dll, baseline_dll = f"{OUT}/api/LinkJ.Api.dll", f"{OUT}/baseline/Baseline.dll"

        first = Server(api_dll, free_port(), api_env)   # migrates and seeds the empty database
        wait_ready(first.url + "/health/ready")
        first.stop()
        print(f"generating {scale:,} agreements…", flush=True)
        started = time.perf_counter()
        pg.psql(file=f"{BENCH}/generate.sql", variables={"scale": scale})
        generate_seconds = time.perf_counter() - started
        key = admin_key(api_dll, api_env, "bench")

        ids_file = os.path.join(tempfile.mkdtemp(prefix="linkj-bench-ids."), "ids.txt")
        with open(ids_file, "w") as f:
            f.write(pg.psql("SELECT id FROM agreements WHERE status = 'active' AND version = 1 ORDER BY random() LIMIT 60000"))
        hot_file = ids_file.replace("ids.txt", "hot-ids.txt")
        with open(ids_file) as f:
            hot_ids = [line.strip() for line in f.readlines()[:1000] if line.strip()]
        with open(hot_file, "w") as f:
            f.write("\n".join(hot_ids) + "\n")
        update_ids = ids_file.replace("ids.txt", "update-ids.txt")
        with open(update_ids, "w") as f:
            f.write(pg.psql("SELECT id FROM agreements WHERE status = 'active' AND version = 1 ORDER BY random() LIMIT 60000"))
        total = int(pg.psql("SELECT count(*) FROM agreements WHERE deleted_at IS NULL"))
        deep_date, deep_seq = pg.psql(
            f"SELECT signed_on, seq FROM agreements WHERE deleted_at IS NULL ORDER BY signed_on, seq OFFSET {int(total * 0.9)} LIMIT 1").strip().split("|")
        partner = pg.psql("SELECT id FROM partners WHERE slug = 'osaka-prefecture'").strip()
        # Search: a frequent term (one partner in 15 is in Osaka) and a rare one (one partner's name, about ten
        # agreements at any scale), which PostgreSQL answers with different plans (ADR 0031).
        search = urllib.parse.quote("Osaka")
        rare = urllib.parse.quote("Osaka University 4321")

        results = {"runs": []}
        startups = []
        for run in range(args.runs):
            print(f"run {run + 1}/{args.runs}…", flush=True)
            row = {}
            # The API with its body cache off, against the baseline: what our layers cost on the same SQL.
            api = Server(api_dll, free_port(), {**api_env, "Caching__BodyCacheEnabled": "false"})
            startups.append(wait_ready(api.url + "/health/ready"))
            base = Server(baseline_dll, free_port(), {"ConnectionStrings__LinkJ": connection})
            servers[:] = [api, base]
            wait_ready(base.url + "/health")
            reads = {
                "agreement by id": (api.url + "/api/v1/agreements/", base.url + "/agreements/", "random-get.lua"),
                "list page 1, country=JP": (api.url + "/api/v1/agreements?country=JP&limit=20", base.url + "/agreements?country=JP&limit=20", None),
                "deep page (90%) by cursor": (api.url + "/api/v1/agreements?limit=20&cursor=" + urllib.parse.quote(cursor("agreementssignedOn", deep_date, deep_seq)),
                                              base.url + f"/agreements?limit=20&afterDate={deep_date}&afterSeq={deep_seq}", None),
                "search q=Osaka (frequent)": (api.url + f"/api/v1/agreements?q={search}&limit=20", base.url + f"/agreements?q={search}&limit=20", None),
                "search q, rare term": (api.url + f"/api/v1/agreements?q={rare}&limit=20", base.url + f"/agreements?q={rare}&limit=20", None),
                "stats": (api.url + "/api/v1/stats", base.url + "/stats", None),
            }
            # A fresh process reaches its steady state only once the tiered JIT has recompiled what the reads run: with
            # wrk and PostgreSQL on the same 2 cores that takes 10-20 s of traffic. Both servers get the same first pass.
            for name, (api_url, base_url, script) in reads.items():
                for target, url in (("api", api_url), ("baseline", base_url)):
                    env = {"IDS_FILE": ids_file, "PATH_PREFIX": "/api/v1/agreements/" if target == "api" else "/agreements/"}
                    wrk(url if not script else url.rsplit("/", 2)[0] + "/", 4, args.connections, script, env)
            for name, (api_url, base_url, script) in reads.items():
                for target, url in (("api", api_url), ("baseline", base_url)):
                    prefix = "/api/v1/agreements/" if target == "api" else "/agreements/"
                    env = {"IDS_FILE": ids_file, "PATH_PREFIX": prefix}
                    # Warm-up as long as the measurement: a fresh process runs its ReadyToRun code until the tiered JIT
                    # has recompiled the hot paths, which takes several seconds when wrk and PostgreSQL hold both cores.
                    wrk(url if not script else url.rsplit("/", 2)[0] + "/", max(3, args.duration), args.connections, script, env)
                    row[(name, target)] = wrk(url if not script else url.rsplit("/", 2)[0] + "/", args.duration, args.connections, script, env)
            row[("change feed, pulled end to end", "api")] = pull_feed(api.url, "/api/v1/changes", True, key)
            row[("change feed, pulled end to end", "baseline")] = pull_feed(base.url, "/changes", False)
            rss_uncached = api.peak_rss_mb()
            api.stop()
            base.stop()

            # The API as deployed (body cache on): cached reads, 304s and the writes.
            api = Server(api_dll, free_port(), api_env)
            servers[:] = [api]
            wait_ready(api.url + "/health/ready")
            # A partner website shows the same few hundred agreements again and again: the hot set is read once so that
            # the cached row measures hits. The 60,000-id row shows what the cache costs when nearly every read misses.
            for agreement in hot_ids:
                http(api.url + "/api/v1/agreements/" + agreement)
            for name, url, ids in (("cached: agreement by id (1,000 hot ids)", api.url + "/api/v1/agreements/", hot_file),
                                   ("cache on: agreement by id (60,000 ids, misses)", api.url + "/api/v1/agreements/", ids_file),
                                   ("cached: list page 1, country=JP", api.url + "/api/v1/agreements?country=JP&limit=20", None),
                                   ("cached: stats", api.url + "/api/v1/stats", None)):
                script = "random-get.lua" if ids else None
                env = {"IDS_FILE": ids or ids_file, "PATH_PREFIX": "/api/v1/agreements/"}
                wrk(url, max(3, args.duration), args.connections, script, env)  # warm-up, as for the uncached reads
                row[(name, "api")] = wrk(url, args.duration, args.connections, script, env)
            etag = http(api.url + "/api/v1/stats")[1]["ETag"]
            conditional = f"{BENCH}/lua/conditional.lua"
            with open(conditional, "w") as f:
                f.write(f'request = function() return wrk.format("GET", "/api/v1/stats", {{["If-None-Match"] = {json.dumps(etag)}}}) end\n')
            wrk(api.url + "/api/v1/stats", 3, args.connections, "conditional.lua")  # warm-up, as for the other reads
            row[("conditional read (304)", "api")] = wrk(api.url + "/api/v1/stats", args.duration, args.connections, "conditional.lua")
            os.remove(conditional)

            before = int(pg.psql("SELECT count(*) FROM agreements"))
            created = wrk(api.url + "/api/v1/agreements", args.duration, args.connections, "create.lua",
                          {"PARTNER_ID": partner, "API_KEY": key, "RUN_ID": str(run)})
            after = int(pg.psql("SELECT count(*) FROM agreements"))
            duplicates = int(pg.psql("SELECT count(*) - count(DISTINCT title_en) FROM agreements WHERE title_en LIKE 'bench-create-%'"))
            created.update({"stored": after - before, "acknowledged": created["requests"] - created["non2xx"], "duplicates": duplicates})
            row[("create with Idempotency-Key", "api")] = created
            # Agreements still at version 1: each run updates others than the runs before it (no 412s).
            with open(update_ids, "w") as f:
                f.write(pg.psql("SELECT id FROM agreements WHERE status = 'active' AND version = 1 ORDER BY random() LIMIT 60000"))
            row[("update with If-Match", "api")] = wrk(api.url + "/api/v1/agreements", args.duration, args.connections, "update.lua",
                                                       {"IDS_FILE": update_ids, "API_KEY": key})
            rss_deployed = api.peak_rss_mb()
            row[("peak RSS (MB)", "api")] = {"rps": max(rss_uncached, rss_deployed)}
            row[("peak RSS, cache off / on (MB)", "api")] = {"rps": rss_uncached, "on": rss_deployed}
            api.stop()
            results["runs"].append({f"{k[0]}|{k[1]}": v for k, v in row.items()})

        api = Server(api_dll, free_port(), api_env)
        startups.append(wait_ready(api.url + "/health/ready"))
        api.stop()
        report(results, args, scale, generate_seconds, startups)
        problems = check(results, args.connections)
        print("check: " + ("every scenario ran, 0 errors, every acknowledged create stored once" if not problems else "FAILED"))
        for problem in problems:
            print(f"  {problem}")
        return 1 if problems else 0
    finally:
        for server in servers:
            server.stop()
        pg.stop()


def check(results, connections):
    """What makes a run unusable, whatever its figures: a scenario that served nothing, errors, or creates acknowledged
    but not stored (or stored twice). When wrk stops, up to one request per connection is still in flight: stored but
    never acknowledged, so stored may exceed acknowledged by that much. The figures themselves are printed, never asserted."""
    problems = []
    for index, run in enumerate(results["runs"], 1):
        for key, figures in run.items():
            name = key.split("|")[0]
            if "requests" in figures and figures["requests"] <= 0:
                problems.append(f"run {index}, {key}: no request served")
            if figures.get("non2xx"):
                problems.append(f"run {index}, {key}: {figures['non2xx']} responses other than 2xx/3xx")
            if "changes" in figures and figures["changes"] <= 0:
                problems.append(f"run {index}, {key}: the change feed gave nothing")
            if "stored" in figures and (not figures["acknowledged"] <= figures["stored"] <= figures["acknowledged"] + connections
                                        or figures["duplicates"]):
                problems.append(f"run {index}, {name}: acknowledged {figures['acknowledged']}, stored {figures['stored']}, duplicates {figures['duplicates']}")
    return problems


def report(results, args, scale, generate_seconds, startups):
    runs = results["runs"]
    names = list(dict.fromkeys(k.split("|")[0] for k in runs[0]))
    median = lambda key, field: statistics.median(r[key][field] for r in runs if key in r and field in r[key])
    spread = lambda key: (min(r[key]["rps"] for r in runs), max(r[key]["rps"] for r in runs))
    print()
    print(f"LinkJ.Api benchmark — {scale:,} agreements, {args.connections} connections, {args.duration} s × {len(runs)} runs (medians; min–max in brackets)")
    print(f"machine: {os.cpu_count()} cores; data generated in {generate_seconds:.1f} s; start-up to /health/ready on the existing database: "
          f"{statistics.median(startups):.2f} s (median of {len(startups)})")
    print()
    print(f"{'scenario':48} {'API req/s':>22} {'p50 ms':>8} {'p99 ms':>8} {'baseline req/s':>16} {'ratio':>7}")
    table = []
    for name in names:
        api, base = f"{name}|api", f"{name}|baseline"
        if name == "peak RSS (MB)":
            print(f"{name:48} {median(api, 'rps'):>22.0f}")
            table.append({"scenario": name, "value": median(api, "rps")})
            continue
        if name.startswith("peak RSS, cache off"):
            print(f"{name:48} {median(api, 'rps'):>14.0f} / {median(api, 'on'):.0f}")
            table.append({"scenario": name, "off": median(api, "rps"), "on": median(api, "on")})
            continue
        low, high = spread(api)
        entry = {"scenario": name, "rps": median(api, "rps"), "min": low, "max": high}
        line = f"{name:48} {median(api, 'rps'):>10.0f} [{low:.0f}–{high:.0f}]".ljust(71)
        if "p50" in runs[0][api]:
            entry.update(p50=median(api, "p50"), p99=median(api, "p99"))
            line += f" {entry['p50']:>8.2f} {entry['p99']:>8.2f}"
        else:
            line += " " * 18
        if base in runs[0]:
            baseline = median(base, "rps")
            entry.update(baseline=baseline, ratio=median(api, "rps") / baseline if baseline else None)
            line += f" {baseline:>16.0f} " + (f"{entry['ratio']:>7.2f}" if baseline else "    n/a")
        if "stored" in runs[0][api]:
            entry.update(stored=median(api, "stored"), acknowledged=median(api, "acknowledged"), duplicates=max(r[api]["duplicates"] for r in runs))
            line += f"   (acknowledged {entry['acknowledged']:.0f}, stored {entry['stored']:.0f}, duplicates {entry['duplicates']})"
        if "non2xx" in runs[0][api] and "stored" not in runs[0][api] and median(api, "non2xx"):
            line += f"   (non-2xx/3xx: {median(api, 'non2xx'):.0f})"
        print(line)
        table.append(entry)
    os.makedirs(f"{BENCH}/results", exist_ok=True)
    path = f"{BENCH}/results/{datetime.datetime.now():%Y%m%d-%H%M%S}-{args.scale}.json"
    with open(path, "w") as f:
        json.dump({"scale": scale, "connections": args.connections, "duration": args.duration, "generate_seconds": generate_seconds,
                   "startup_seconds": startups, "table": table, "runs": runs}, f, indent=2)
    print(f"\nwritten to {os.path.relpath(path, REPO)}")


if __name__ == "__main__":
    sys.exit(main())
