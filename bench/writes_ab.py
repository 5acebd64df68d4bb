#!/usr/bin/env python3
"""LinkJ.Api writes, two builds side by side (ADR 0045): each build's API on its own freshly generated durable database,
both up at once, and wrk alternating short rounds between them after a warm-up, scenario by scenario (creates with
Idempotency-Key, updates with If-Match, backdated creates), the build that goes first swapped every round. On a shared
machine the load moves more between two 90 s runs than between two 5 s rounds, so this is the comparison to trust.

Per round and build it records req/s, p50/p99, the API's and its PostgreSQL's CPU per request (utime+stime / requests), the database round
trips per request (data segments the API's connections sent to PostgreSQL, from `ss -ti`: Npgsql writes one per round
trip) and the statements per request (pg_stat_statements). After the rounds: acknowledged vs stored creates, duplicates,
running numbers against a window function, changes without a feed position.

Usage: bench/writes-ab.sh --before DIR [--after DIR] [--scale 10k] [--rounds 4] [--seconds 5] [--connections 32] [--after-pg-option name=value]
  DIR: a published build (dotnet publish src/LinkJ.Api -c Release -o DIR -p:UseAppHost=false); --after defaults to
  this tree, built Release. --before-pg-option / --after-pg-option name=value (repeatable): a PostgreSQL setting for
  that build's database only (ADR 0048 compared group commit this way: the same build twice, commit_delay on one)."""
import argparse, collections, datetime, json, os, re, statistics, subprocess, sys, tempfile

from bench import BENCH, OUT, REPO, SCALES, Postgres, Server, free_port, sh, wait_ready, wrk, admin_key, process_cpu

SCENARIOS = (("create with Idempotency-Key", "create.lua", "bench-create-%"),
             ("update with If-Match", "update.lua", None),
             ("backdated create (2016-2020)", "create-backdated.lua", "bench-backdated-%"))


class LoggedServer(Server):
    """The API with its log (warnings and errors: Production, Warning) kept in a file, to see what a non-2xx was."""
    def __init__(self, dll, port, env, log):
        self.port, self.url, self.log = port, f"http://127.0.0.1:{port}", log
        with open(log, "w") as out:
            self.process = subprocess.Popen(["dotnet", dll, "--urls", self.url], env={**os.environ, **env}, stdout=out,
                                            stderr=subprocess.STDOUT, cwd=os.path.dirname(dll))


class Build:
    def __init__(self, name, dll, scale, pg_options=()):
        self.name, self.dll = name, dll
        self.pg = Postgres()
        connection = self.pg.start()
        # pg_stat_statements needs a restart to load; server settings under test (--after-pg-option) go in with it
        self.pg.psql("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
        for option in pg_options:
            setting, value = option.split("=", 1)
            self.pg.psql(f"ALTER SYSTEM SET {setting} = '{value}'")
        sh(["bash", "-c", f"{self.pg.lib}; pg_stop_cluster '{self.pg.dir}/data'; pg_start_cluster '{self.pg.dir}/data' {self.pg.port} yes"])
        self.pg.psql("CREATE EXTENSION pg_stat_statements")
        self.env = {"ConnectionStrings__LinkJ": connection, "ASPNETCORE_ENVIRONMENT": "Production", "Logging__LogLevel__Default": "Warning",
                    "RateLimits__AnonymousPerMinute": "100000000", "RateLimits__ApiKeyPerMinute": "100000000",
                    "Maintenance__Interval": "1.00:00:00", "Observability__Prometheus__Port": "0"}
        first = Server(dll, free_port(), self.env)  # migrates and seeds
        wait_ready(first.url + "/health/ready")
        first.stop()
        self.pg.psql(file=f"{BENCH}/generate.sql", variables={"scale": scale})
        self.key = admin_key(dll, self.env, "bench")
        self.partner = self.pg.psql("SELECT id FROM partners WHERE slug = 'osaka-prefecture'").strip()
        self.work = tempfile.mkdtemp(prefix="linkj-bench-ab.")
        self.api = LoggedServer(dll, free_port(), self.env, os.path.join(self.work, "api.log"))
        wait_ready(self.api.url + "/health/ready")
        self.rounds = {name: [] for name, _, _ in SCENARIOS}
        self.acknowledged = {}

    def cpu_seconds(self):
        return process_cpu(self.api.process.pid)

    def pg_cpu_seconds(self):
        # Every process of this build's cluster: the postmaster and its children (backends, WAL writer, checkpointer…);
        # the pooled backends live as long as the API, so a delta over a round is that round's.
        postmaster = int(sh(["bash", "-c", f"head -1 '{self.pg.dir}/data/postmaster.pid'"]).strip())
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(postmaster)], capture_output=True, text=True).stdout.split()
        return sum(process_cpu(pid) or 0.0 for pid in [postmaster, *children])

    def segments(self):
        # The API's connections to its own PostgreSQL: the sockets whose remote end is the server's port.
        output = subprocess.run(["ss", "-tinH", "state", "established", "dst", f"127.0.0.1:{self.pg.port}"], capture_output=True, text=True).stdout
        return sum(int(n) for n in re.findall(r"data_segs_out:(\d+)", output))

    def statements(self):
        return int(self.pg.psql("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                                "WHERE d.datname = 'linkj' AND s.query NOT LIKE '%pg_stat_statements%'"))

    def run(self, scenario, script, seconds, connections, tag):
        env = {"PARTNER_ID": self.partner, "API_KEY": self.key, "RUN_ID": f"{self.name}{tag}"}
        if script == "update.lua":
            # Agreements never updated yet, so that every If-Match "v1" can win
            env["IDS_FILE"] = os.path.join(self.work, f"ids-{tag}.txt")
            with open(env["IDS_FILE"], "w") as f:
                f.write(self.pg.psql("SELECT id FROM agreements WHERE status = 'active' AND version = 1 AND deleted_at IS NULL ORDER BY random() LIMIT 20000"))
        self.pg.psql("SELECT pg_stat_statements_reset()")
        cpu, pg_cpu, segments = self.cpu_seconds(), self.pg_cpu_seconds(), self.segments()
        result = wrk(self.api.url + "/api/v1/agreements", seconds, connections, script, env)
        cpu, pg_cpu, segments = self.cpu_seconds() - cpu, self.pg_cpu_seconds() - pg_cpu, self.segments() - segments
        statements = self.statements()
        requests = max(result["requests"], 1)
        if scenario != "update with If-Match":
            like = next(l for n, _, l in SCENARIOS if n == scenario)
            self.acknowledged[like] = self.acknowledged.get(like, 0) + result["requests"] - result["non2xx"]
        # req/s counts answered requests, 2xx or not; "ok" only the 2xx ones (a 503 costs next to nothing)
        result.update(ok=result["rps"] * (1 - result["non2xx"] / requests), cpu_ms=1000 * cpu / requests, pg_cpu_ms=1000 * pg_cpu / requests, round_trips=segments / requests,
                      statements=statements / requests)
        return result

    def check(self):
        count = lambda like: int(self.pg.psql(f"SELECT count(*) FROM agreements WHERE title_en LIKE '{like}'"))
        duplicates = lambda like: int(self.pg.psql(f"SELECT count(*) - count(DISTINCT title_en) FROM agreements WHERE title_en LIKE '{like}'"))
        numbers = self.pg.psql("SELECT coalesce(to_regclass('agreements_with_ordinals')::text, 'agreements')").strip()
        return {
            "creates": {like: {"stored": count(like), "duplicates": duplicates(like)} for _, _, like in SCENARIOS if like},
            "ordinals wrong": int(self.pg.psql(
                f"SELECT count(*) FROM {numbers} a JOIN (SELECT a.id, row_number() OVER (ORDER BY a.signed_on, a.seq) o, "
                "row_number() OVER (PARTITION BY p.kind ORDER BY a.signed_on, a.seq) k FROM agreements a JOIN partners p ON p.id = a.partner_id "
                "WHERE a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL) w ON w.id = a.id "
                "WHERE (a.ordinal_overall, a.ordinal_within_kind) IS DISTINCT FROM (w.o, w.k)")),
            "changes without a position": int(self.pg.psql("SELECT count(*) FROM changes WHERE position IS NULL")),
        }

    def stop(self):
        self.api.stop()
        self.pg.stop()


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True)
    parser.add_argument("--after")
    parser.add_argument("--scale", default="10k", choices=SCALES)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--before-pg-option", action="append", default=[], help="a server setting for the before build's PostgreSQL, name=value")
    parser.add_argument("--after-pg-option", action="append", default=[], help="the same for the after build's (e.g. commit_delay=100)")
    args = parser.parse_args()
    scale = SCALES[args.scale]
    after = args.after
    if not after:
        print("building Release…", flush=True)
        sh(["dotnet", "publish", f"{REPO}/src/LinkJ.Api", "-c", "Release", "-o", f"{OUT}/api", "-p:UseAppHost=false"])
        after = f"{OUT}/api"
    builds = []
    try:
        for name, directory in (("before", args.before), ("after", after)):
            print(f"{name}: database and API…", flush=True)
            builds.append(Build(name, os.path.join(os.path.abspath(directory), "LinkJ.Api.dll"), scale,
                                getattr(args, f"{name}_pg_option")))
        # The database set up last would still be writing back its generated data (checkpoint, autovacuum) while the
        # first one has settled: settle both, or the second build pays for its place in the order.
        for build in builds:
            build.pg.psql("VACUUM ANALYZE")
            build.pg.psql("CHECKPOINT")
        loads = [load()]
        print(f"warm-up (load average {loads[0]})…", flush=True)
        for build in builds:
            for name, script, _ in SCENARIOS:
                build.run(name, script, 3, args.connections, "w")
        for r in range(args.rounds):
            for name, script, _ in SCENARIOS:
                for build in (builds if r % 2 == 0 else builds[::-1]):
                    result = build.run(name, script, args.seconds, args.connections, f"r{r}")
                    build.rounds[name].append(result)
            loads.append(load())
            print(f"round {r + 1}/{args.rounds} done (load average {loads[-1]})", flush=True)
        report(builds, args, scale, loads)
    finally:
        for build in builds:
            build.stop()


def report(builds, args, scale, loads):
    print(f"\nLinkJ.Api writes side by side — {scale:,} agreements each, {args.connections} connections, {args.rounds} rounds of "
          f"{args.seconds} s alternating, medians [min–max]; load average {loads[0]} … {loads[-1]}; {os.cpu_count()} cores\n")
    print(f"{'scenario':30}" + "".join(f" {b.name + ' 2xx/s':>20} {'p50':>7} {'p99':>7} {'RT/req':>6} {'st/req':>6} {'CPU ms':>6} {'PG ms':>6}" for b in builds) + f" {'ratio':>6}")
    table = []
    for name, _, _ in SCENARIOS:
        line, entry = f"{name:30}", {"scenario": name}
        for b in builds:
            rows = b.rounds[name]
            med = lambda key: statistics.median(r[key] for r in rows)
            e = entry[b.name] = {key: med(key) for key in ("ok", "rps", "p50", "p99", "round_trips", "statements", "cpu_ms", "pg_cpu_ms")}
            e.update(min=min(r["ok"] for r in rows), max=max(r["ok"] for r in rows), non2xx=sum(r["non2xx"] for r in rows))
            spread = f"{e['ok']:.0f} [{e['min']:.0f}–{e['max']:.0f}]"
            line += f" {spread:>20} {e['p50']:>7.0f} {e['p99']:>7.0f} {e['round_trips']:>6.2f} {e['statements']:>6.2f} {e['cpu_ms']:>6.2f} {e['pg_cpu_ms']:>6.2f}"
        pairs = [a["ok"] / b["ok"] for a, b in zip(builds[1].rounds[name], builds[0].rounds[name]) if b["ok"] > 0]
        entry["ratio"] = statistics.median(pairs)
        line += f" {entry['ratio']:>6.2f}"
        print(line)
        table.append(entry)
    print("\n(2xx/s: successful answers per second; ratio: median over the rounds of after ÷ before in the same round; RT/req: round trips "
          "to PostgreSQL per request; st/req: statements; CPU ms: the API's CPU per request; PG ms: its PostgreSQL's, every process of the cluster)")
    checks = {}
    for b in builds:
        check = checks[b.name] = b.check()
        parts = [f"{like}: acknowledged {b.acknowledged.get(like, 0)}, stored {c['stored']}, duplicates {c['duplicates']}"
                 for like, c in check["creates"].items()]
        non2xx = {name: sum(r["non2xx"] for r in b.rounds[name]) for name, _, _ in SCENARIOS}
        if any(non2xx.values()):
            with open(b.api.log) as log:
                messages = re.findall(r'"message":"([^"]{0,160})', log.read())
            parts.append("API log: " + "; ".join(f"{n}× {m}" for m, n in collections.Counter(messages).most_common(3)))
        print(f"{b.name}: " + "; ".join(parts) + f"; non-2xx {non2xx}; running numbers wrong: {check['ordinals wrong']}; "
              f"changes without a position: {check['changes without a position']}")
    os.makedirs(f"{BENCH}/results", exist_ok=True)
    path = f"{BENCH}/results/writes-ab-{datetime.datetime.now():%Y%m%d-%H%M%S}-{args.scale}.json"
    with open(path, "w") as f:
        json.dump({"scale": scale, "connections": args.connections, "seconds": args.seconds, "loads": loads, "table": table, "checks": checks,
                   "rounds": {b.name: b.rounds for b in builds}}, f, indent=2)
    print(f"\nwritten to {os.path.relpath(path, REPO)}")


if __name__ == "__main__":
    sys.exit(main())
