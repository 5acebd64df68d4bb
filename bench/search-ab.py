#!/usr/bin/env python3
"""Search against by id, two builds side by side (ADR 0047): every build's API (published, body cache off) runs at once
on one already generated database; wrk measures by id, list page 1 (country=JP), q=Osaka and the rare term on each build
in turn, round after round (the builds' order alternating from round to round, so that neither always runs second as
the load moves), and prints each round's rates, the CPU per request of the API process and of PostgreSQL's backends
(/proc utime+stime over the wrk run ÷ requests), their ratio to by id of the same round, then medians.
Usage: [IDS=ids-file] [PGDATA_DIR=cluster-data-dir] [WARMUP=8] bench/search-ab.py DB_PORT ROUNDS SECONDS before=/published/api after=/other/published/api
The database: bench/generate.sql on a cluster from scripts/lib/postgres.sh, after one start of the API (migrations)."""
import os, sys, subprocess, time, socket, urllib.request, re, statistics, urllib.parse
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import wrk, free_port, wait_ready, process_cpu
port, rounds, dur = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
builds = [a.split("=", 1) for a in sys.argv[4:]]
conn = f"Host=127.0.0.1;Port={port};Database=linkj;Username=postgres;Maximum Pool Size=100"
ids = os.environ.get("IDS", f"/tmp/linkj-search-ab-ids-{port}.txt")
if not os.path.exists(ids):
    open(ids, "w").write(subprocess.run(["psql","-X","-At","-h","127.0.0.1","-p",port,"-U","postgres","-d","linkj","-c",
        "SELECT id FROM agreements WHERE status='active' AND version=1 ORDER BY random() LIMIT 60000"], capture_output=True, text=True).stdout)
env = {"ConnectionStrings__LinkJ": conn, "ASPNETCORE_ENVIRONMENT": "Production", "Logging__LogLevel__Default": "Warning",
       "RateLimits__AnonymousPerMinute": "100000000", "RateLimits__ApiKeyPerMinute": "100000000", "Maintenance__Interval": "1.00:00:00",
       "Observability__Prometheus__Port": "0", "Caching__BodyCacheEnabled": "false"}
procs = {}
for name, d in builds:
    p = free_port(); url = f"http://127.0.0.1:{p}"
    procs[name] = (subprocess.Popen(["dotnet", f"{d}/LinkJ.Api.dll", "--urls", url], env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=d), url)
    wait_ready(url + "/health/ready")
def cpu(pid):
    return process_cpu(pid) or 0.0
PGDATA = os.environ.get("PGDATA_DIR")  # the cluster's data directory, to find its postmaster; without it no PostgreSQL CPU
def pg_cpu():
    if not PGDATA:
        return {}
    with open(f"{PGDATA}/postmaster.pid") as f:
        postmaster = f.readline().strip()
    kids = subprocess.run(["ps", "-o", "pid=", "--ppid", postmaster], capture_output=True, text=True).stdout.split()
    return {k: cpu(k) for k in kids}
scen = {"by id": ("/api/v1/agreements/", "random-get.lua"), "list JP": ("/api/v1/agreements?country=JP&limit=20", None),
        "osaka": ("/api/v1/agreements?q=Osaka&limit=20", None), "rare": ("/api/v1/agreements?q=" + urllib.parse.quote("Osaka University 4321") + "&limit=20", None)}
res = {}
WARMUP = int(os.environ.get("WARMUP", "8"))  # seconds per scenario and build before round 1: a fresh process is still tiering its code
try:
    for r in range(rounds + 1):
        for name, _ in (builds if r % 2 else builds[::-1]):
            url = procs[name][1]
            for s, (path, script) in scen.items():
                api0, pg0 = cpu(procs[name][0].pid), pg_cpu()
                out = wrk(url + path, dur if r else WARMUP, 32, script, {"IDS_FILE": ids, "PATH_PREFIX": "/api/v1/agreements/"})
                api1, pg1 = cpu(procs[name][0].pid), pg_cpu()
                n = max(out["requests"], 1)
                out["api_ms"], out["pg_ms"] = 1000 * (api1 - api0) / n, 1000 * sum(v - pg0.get(k, 0) for k, v in pg1.items()) / n
                if r:
                    res.setdefault((name, s), []).append(out)
                    print(f"round {r} {name:6} {s:7} {out['rps']:8.1f}/s p50 {out['p50']:.1f} p99 {out['p99']:.1f} non2xx {out['non2xx']}  "
                          f"CPU/req API {out['api_ms']:.3f} PG {out['pg_ms']:.3f} ms  load {os.getloadavg()[0]:.1f}", flush=True)
            if r:
                b = res[(name, "by id")][-1]["rps"]
                print(f"round {r} {name:6} ratios: list {res[(name,'list JP')][-1]['rps']/b:.2f} osaka {res[(name,'osaka')][-1]['rps']/b:.2f} rare {res[(name,'rare')][-1]['rps']/b:.2f}", flush=True)
    print("== medians")
    for name, _ in builds:
        med = {s: statistics.median(x["rps"] for x in res[(name, s)]) for s in scen}
        ratios = [statistics.median(res[(name, s)][i]["rps"] / res[(name, "by id")][i]["rps"] for i in range(rounds)) for s in scen]
        print(f"{name}: " + ", ".join(f"{s} {med[s]:.0f}/s ({q:.2f})" for s, q in zip(scen, ratios)))
        print(f"{name} CPU ms/request API / PostgreSQL: " + ", ".join(
            f"{s} {statistics.median(x['api_ms'] for x in res[(name, s)]):.3f} / {statistics.median(x['pg_ms'] for x in res[(name, s)]):.3f}" for s in scen))
finally:
    for p, _ in procs.values():
        p.terminate()
