#!/usr/bin/env python3
"""Search against by id, two builds side by side (ADR 0047): every build's API (published, body cache off) runs at once
on one already generated database; wrk measures by id, list page 1 (country=JP), q=Osaka and the rare term on each build
in turn, round after round, and prints each round's rates and their ratio to by id of the same round, then medians.
Usage: [IDS=ids-file] bench/search-ab.py DB_PORT ROUNDS SECONDS before=/published/api after=/other/published/api
The database: bench/generate.sql on a cluster from scripts/lib/postgres.sh, after one start of the API (migrations)."""
import os, sys, subprocess, time, socket, urllib.request, re, statistics, urllib.parse
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import wrk, free_port, wait_ready
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
scen = {"by id": ("/api/v1/agreements/", "random-get.lua"), "list JP": ("/api/v1/agreements?country=JP&limit=20", None),
        "osaka": ("/api/v1/agreements?q=Osaka&limit=20", None), "rare": ("/api/v1/agreements?q=" + urllib.parse.quote("Osaka University 4321") + "&limit=20", None)}
res = {}
try:
    for r in range(rounds + 1):
        for name, _ in builds:
            url = procs[name][1]
            for s, (path, script) in scen.items():
                out = wrk(url + path, dur if r else 4, 32, script, {"IDS_FILE": ids, "PATH_PREFIX": "/api/v1/agreements/"})
                if r:
                    res.setdefault((name, s), []).append(out)
                    print(f"round {r} {name:6} {s:7} {out['rps']:8.1f}/s p50 {out['p50']:.1f} p99 {out['p99']:.1f} non2xx {out['non2xx']}  load {os.getloadavg()[0]:.1f}", flush=True)
            if r:
                b = res[(name, "by id")][-1]["rps"]
                print(f"round {r} {name:6} ratios: list {res[(name,'list JP')][-1]['rps']/b:.2f} osaka {res[(name,'osaka')][-1]['rps']/b:.2f} rare {res[(name,'rare')][-1]['rps']/b:.2f}", flush=True)
    print("== medians")
    for name, _ in builds:
        med = {s: statistics.median(x["rps"] for x in res[(name, s)]) for s in scen}
        ratios = [statistics.median(res[(name, s)][i]["rps"] / res[(name, "by id")][i]["rps"] for i in range(rounds)) for s in scen]
        print(f"{name}: " + ", ".join(f"{s} {med[s]:.0f}/s ({q:.2f})" for s, q in zip(scen, ratios)))
finally:
    for p, _ in procs.values():
        p.terminate()
