#!/usr/bin/env python3
"""LinkJ.Api cold start: what the first requests of a fresh process pay, and where (ADR 0052).
Usage: bench/coldstart.sh [--scale 10k] [--rounds 2] [--burst 10] [--connections 16] [--api DIR] [--skip-build]
                          [--mode NAME=ENV=VALUE[,ENV=VALUE…]]…
For each mode (a set of environment variables for the API; default: as shipped, without ReadyToRun code, tiered PGO
off, and the warm-up off; API_DIR=DIR in a mode runs that mode on another published build, for an A/B of two commits)
and each round (modes alternate their order from round to round), on one throwaway PostgreSQL with the soak's data:
starts the API, times
/health/ready, then
  sequential  one client, one route at a time: its first call, then a second and a third (other ids): JIT, the first
              statements and the first connection, without a burst's contention;
  burst       a second fresh process, the soak's mix (bench/lua/soak.lua) with N connections for --burst seconds; from
              the API's request log: the max per route and per second, and the pool's connections (pg_stat_activity,
              sampled every 100 ms) as they grow.
Figures of one run only compare with each other (the machine is shared)."""
import argparse, datetime, http.client as httpclient, json, os, platform, re, statistics, subprocess, sys, tempfile, threading, time, urllib.parse
from collections import defaultdict

from bench import BENCH, OUT, REPO, SCALES, Postgres, free_port, sh, admin_key
from soak import LoggedServer, wait_alive_and_ready

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def routes(ids, partner, key, run):
    """(name, method, path, headers, body) of every path the soak uses, first call of each; a factory per call."""
    counter = iter(range(1_000_000))

    def create():
        name = f"cold-{run}-{next(counter)}"
        body = {"partnerId": partner, "type": "mou", "title": {"ja": f"冷起動 {name}", "en": name}, "signedOn": "2026-11-02",
                "cooperation": {"scopes": ["mutual-visits"], "isOpenEnded": True}}
        return "POST", "/api/v1/agreements", {"Content-Type": "application/json", "X-Api-Key": key, "Idempotency-Key": name}, json.dumps(body)

    ids_iter = iter(ids)
    return [
        ("by id", lambda: ("GET", f"/api/v1/agreements/{next(ids_iter)}", {}, None)),
        ("list", lambda: ("GET", f"/api/v1/agreements?country={['JP', 'US', 'GB'][next(counter) % 3]}&limit=20", {}, None)),
        ("partners", lambda: ("GET", f"/api/v1/partners?limit={20 + next(counter) % 3}&lang=en", {}, None)),
        ("search", lambda: ("GET", f"/api/v1/agreements?q={['univ', '%E5%A4%A7%E5%AD%A6', '%E7%A0%94%E7%A9%B6'][next(counter) % 3]}&limit=20", {}, None)),
        ("stats", lambda: ("GET", "/api/v1/stats" + ("" if next(counter) % 2 else "?lang=en"), {}, None)),
        ("partner agreements", lambda: ("GET", f"/api/v1/partners/osaka-prefecture/agreements?limit={20 + next(counter) % 3}", {}, None)),
        ("changes", lambda: ("GET", f"/api/v1/changes?limit={100 + next(counter) % 3}", {"X-Api-Key": key}, None)),
        ("create", create),
        ("update", None),  # the agreement the last create made, with its ETag
    ]


def sequential(url, ids, partner, key, run, calls=3):
    """The first, second and third call of each route, one client on one keep-alive connection (opened first)."""
    parsed = urllib.parse.urlparse(url)
    connection = httpclient.HTTPConnection(parsed.hostname, parsed.port, timeout=60)

    def send(method, path, headers, body):
        started = time.perf_counter()
        connection.request(method, path, body=body.encode() if body else None, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        return (time.perf_counter() - started) * 1000, response.status, dict(response.getheaders()), payload

    send("GET", "/health/live", {}, None)
    timings, last = {}, None
    for name, factory in routes(ids, partner, key, run):
        row = []
        for _ in range(calls):
            if name == "update":
                method, path, headers, body = ("PATCH", f"/api/v1/agreements/{last[0]}",
                                               {"Content-Type": "application/merge-patch+json", "X-Api-Key": key, "If-Match": last[1]},
                                               json.dumps({"sourceNote": f"cold {time.perf_counter()}"}))
            else:
                method, path, headers, body = factory()
            ms, status, response_headers, payload = send(method, path, headers, body)
            if status >= 400:
                raise RuntimeError(f"{method} {path}: {status} {payload[:300]!r}")
            if name in ("create", "update"):
                last = (json.loads(payload)["id"], response_headers.get("ETag") or response_headers.get("etag"))
            row.append(ms)
        timings[name] = row
    connection.close()
    return timings


class PoolSampler:
    """Every 100 ms: the client backends connected to the database (the API's pool), with the time since start."""

    def __init__(self, pg):
        self.samples, self.stopping = [], threading.Event()
        self.process = subprocess.Popen(["psql", "-X", "-q", "-At", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "-d", "postgres"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.started = time.perf_counter()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        sql = ("SELECT count(*) FROM pg_stat_activity WHERE datname = 'linkj' AND backend_type = 'client backend' "
               "AND pid <> pg_backend_pid();\n")
        while not self.stopping.wait(0.1):
            self.process.stdin.write(sql)
            self.process.stdin.flush()
            self.samples.append((time.perf_counter() - self.started, int(self.process.stdout.readline())))

    def stop(self):
        self.stopping.set()
        self.thread.join()
        self.process.stdin.close()
        self.process.wait(10)


def burst(api_url, api_log, pg, seconds, connections, ids_file, partner, key, run):
    """The soak's mix for a few seconds on a fresh process; per second and per route max from the request log."""
    sampler = PoolSampler(pg)
    began = datetime.datetime.now(datetime.timezone.utc)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", os.path.join(BENCH, "lua", "soak.lua"), api_url],
                         capture_output=True, text=True,
                         env={**os.environ, "IDS_FILE": ids_file, "PARTNER_ID": partner, "API_KEY": key, "RUN_ID": run,
                              "WRITE_PERCENT": "10", "BACKDATED_PERCENT": "0"}).stdout
    sampler.stop()
    line = next((l for l in out.splitlines() if l.startswith("SOAK ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed:\n{out}")
    result = json.loads(line[5:])
    time.sleep(0.5)
    per_route, per_second = defaultdict(list), defaultdict(list)
    with open(api_log) as log:
        for text in log:
            if '"eventName":"Request"' not in text:
                continue
            entry = json.loads(text)
            fields = entry["fields"]
            done = datetime.datetime.fromisoformat(entry["timestamp"].replace("Z", "+00:00"))
            began_at = (done - began).total_seconds() - fields["Duration"] / 1000
            route = fields["Method"] + " " + UUID.sub("{id}", fields["Path"])
            per_route[route].append((began_at, fields["Duration"]))
            per_second[max(0, int(began_at))].append(fields["Duration"])
    pool = [n for _, n in sampler.samples]
    grown = next((t for t, n in sampler.samples if n >= max(pool)), None) if pool else None
    return result, per_route, per_second, (max(pool) if pool else 0, grown)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="10k", choices=SCALES)
    parser.add_argument("--rounds", type=int, default=2, help="fresh processes per mode and phase (modes interleaved)")
    parser.add_argument("--burst", type=int, default=10, help="seconds of the soak's mix on a fresh process (0: none)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--api", help="directory of a published build (default: build this tree into bench/.out/api)")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--mode", action="append", default=[], help="NAME=ENV=VALUE[,ENV=VALUE…]; repeatable (default: a set, see above)")
    args = parser.parse_args()

    modes = {}
    for spec in args.mode:
        name, _, env = spec.partition("=")
        modes[name] = dict(pair.split("=", 1) for pair in env.split(",") if pair)
    if not modes:
        modes = {"as shipped": {}, "no ReadyToRun code": {"DOTNET_ReadyToRun": "0"}, "tiered PGO off": {"DOTNET_TieredPGO": "0"}}
    if not args.skip_build and not args.api:
        print("building Release (ReadyToRun, as deploy/Dockerfile)…", flush=True)
        rid = "linux-arm64" if platform.machine() in ("aarch64", "arm64") else "linux-x64"
        sh(["dotnet", "publish", f"{REPO}/src/LinkJ.Api", "-c", "Release", "-o", f"{OUT}/api", "-p:UseAppHost=false",
            "-r", rid, "--self-contained", "false", "-p:PublishReadyToRun=true"])
    api_dll = os.path.join(os.path.abspath(args.api), "LinkJ.Api.dll") if args.api else f"{OUT}/api/LinkJ.Api.dll"

    pg = Postgres()
    try:
        connection = pg.start()
        api_env = {"ConnectionStrings__LinkJ": connection, "ASPNETCORE_ENVIRONMENT": "Production", "Logging__LogLevel__Default": "Warning",
                   "Logging__LogLevel__LinkJ.Api.RequestLog": "Information", "Logging__LogLevel__LinkJ.Api.Http": "Information",
                   "RateLimits__AnonymousPerMinute": "100000000", "RateLimits__ApiKeyPerMinute": "100000000", "Observability__Prometheus__Port": "0"}
        run = datetime.datetime.now().strftime("%H%M%S")
        results_dir = os.path.join(BENCH, "results")
        os.makedirs(results_dir, exist_ok=True)
        setup = LoggedServer(api_dll, free_port(), api_env, os.path.join(results_dir, f"cold-{run}-setup.log"))
        wait_alive_and_ready(setup)
        setup.stop()
        scale = SCALES[args.scale]
        print(f"generating {scale:,} agreements…", flush=True)
        pg.psql(file=f"{BENCH}/generate.sql", variables={"scale": scale})
        key = admin_key(api_dll, api_env, "cold")
        ids = pg.psql("SELECT id FROM agreements ORDER BY random() LIMIT 20000").split()
        ids_file = os.path.join(tempfile.mkdtemp(prefix="linkj-cold-ids."), "ids.txt")
        with open(ids_file, "w") as f:
            f.write("\n".join(ids) + "\n")
        partner = pg.psql("SELECT id FROM partners WHERE slug = 'osaka-prefecture'").strip()

        report = {name: {"ready": [], "sequential": [], "burst": []} for name in modes}
        for round_ in range(args.rounds):
            for name, env in (list(modes.items()) if round_ % 2 == 0 else list(reversed(modes.items()))):
                tag = f"{run}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}-{round_}"
                log = os.path.join(results_dir, f"cold-{tag}-seq.log")
                env = dict(env)
                mode_dll = os.path.join(os.path.abspath(env.pop("API_DIR")), "LinkJ.Api.dll") if "API_DIR" in env else api_dll
                api = LoggedServer(mode_dll, free_port(), {**api_env, **env}, log)
                try:
                    ready = wait_alive_and_ready(api)
                    seq = sequential(api.url, ids[round_ * 1000:(round_ + 1) * 1000], partner, key, tag)
                finally:
                    api.stop()
                report[name]["ready"].append(ready)
                report[name]["sequential"].append(seq)
                print(f"[{name} #{round_ + 1}] ready in {ready:.2f} s; first/second/third call (ms): " +
                      "; ".join(f"{r} {t[0]:.0f}/{t[1]:.0f}/{t[2]:.0f}" for r, t in seq.items()), flush=True)
                if args.burst > 0:
                    log = os.path.join(results_dir, f"cold-{tag}-burst.log")
                    api = LoggedServer(mode_dll, free_port(), {**api_env, **env}, log)
                    try:
                        ready = wait_alive_and_ready(api)
                        result, per_route, per_second, (pool, grown) = burst(api.url, log, pg, args.burst, args.connections, ids_file, partner, key, tag)
                    finally:
                        api.stop()
                    report[name]["ready"].append(ready)
                    lat = result["latency_ms"]
                    seconds = " ".join(f"{s}s:{max(v):.0f}" for s, v in sorted(per_second.items()) if s < args.burst)
                    worst = sorted(((max(d for _, d in v), r, min(t for t, _ in v)) for r, v in per_route.items()), reverse=True)
                    report[name]["burst"].append({"wrk": lat, "requests": result["requests"], "per_second_max": {s: max(v) for s, v in per_second.items()},
                                                  "per_route_max": {r: m for m, r, _ in worst}, "pool": pool, "pool_full_after_s": grown})
                    print(f"[{name} #{round_ + 1}] burst {args.burst} s x {args.connections}: {result['requests']:,} requests, p50 {lat['p50']:.0f}, "
                          f"p99 {lat['p99']:.0f}, max {lat['max']:.0f} ms; ready in {ready:.2f} s; pool {pool} connections "
                          f"(all open {grown:.1f} s after the burst began)\n    max per second (server ms): {seconds}\n"
                          f"    max per route: " + ", ".join(f"{r} {m:.0f}" for m, r, _ in worst), flush=True)

        print("\nsummary (medians over rounds)")
        for name, data in report.items():
            line = f"  {name:<24} ready {statistics.median(data['ready']):.2f} s"
            firsts = [sum(t[0] for t in seq.values()) for seq in data["sequential"]]
            thirds = [sum(t[2] for t in seq.values()) for seq in data["sequential"]]
            line += f"; sequential first calls {statistics.median(firsts):.0f} ms in all (third calls {statistics.median(thirds):.0f})"
            line += "; first " + ", ".join(f"{r} {statistics.median(seq[r][0] for seq in data['sequential']):.0f}" for r in ("create", "update", "changes"))
            if data["burst"]:
                line += "; burst max second 0 / 1: " + ", ".join(
                    f"{b['per_second_max'].get(0, 0):.0f}/{b['per_second_max'].get(1, 0):.0f}" for b in data["burst"])
            if data["burst"]:
                line += (f"; burst max {statistics.median(b['wrk']['max'] for b in data['burst']):.0f} ms, "
                         f"p99 {statistics.median(b['wrk']['p99'] for b in data['burst']):.0f} ms")
            print(line)
        path = os.path.join(results_dir, f"coldstart-{run}.json")
        with open(path, "w") as f:
            json.dump({"scale": scale, "modes": modes, "report": report, "load": os.getloadavg()}, f, indent=1)
        print(f"load average {os.getloadavg()[0]:.1f}; written to {os.path.relpath(path, REPO)}")
    finally:
        pg.stop()


if __name__ == "__main__":
    sys.exit(main())
