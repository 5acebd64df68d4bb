#!/usr/bin/env python3
"""LinkJ.Api write benchmark: creates with Idempotency-Key, updates with If-Match and backdated creates (2016-2020), with
the same discipline as the reads (medians of runs, [min-max], p50/p99), for one build or two measured back to back.
Each run of each build gets a fresh throwaway PostgreSQL (durable: the commit's WAL flush is part of a write) and freshly
generated data, then the API; builds alternate run by run, so a noisy neighbour hurts both alike.

Usage: bench/writes.sh [--scale 10k] [--duration 8] [--runs 3] [--connections 32] [--before DIR] [--skip-build]
  --before DIR   a published build to measure against (e.g. main's: dotnet publish src/LinkJ.Api -c Release -o DIR);
                 the table then shows each scenario for both and the ratio after / before."""
import argparse, datetime, json, os, platform, re, statistics, sys, tempfile, threading, time

from bench import BENCH, OUT, REPO, SCALES, Postgres, Server, free_port, sh, wait_ready, wrk, admin_key

SCENARIOS = ("create with Idempotency-Key", "update with If-Match", "backdated create (2016-2020)", "read by id, alone",
             "read by id, beside backdated creates")


def measure(dll, scale, args, run):
    pg = Postgres()
    api = None
    try:
        connection = pg.start()
        env = {"ConnectionStrings__LinkJ": connection, "ASPNETCORE_ENVIRONMENT": "Production", "Logging__LogLevel__Default": "Warning",
               "RateLimits__AnonymousPerMinute": "100000000", "RateLimits__ApiKeyPerMinute": "100000000", "Maintenance__Interval": "1.00:00:00",
               "Observability__Prometheus__Port": "0"}
        first = Server(dll, free_port(), env)  # migrates and seeds
        wait_ready(first.url + "/health/ready")
        first.stop()
        pg.psql(file=f"{BENCH}/generate.sql", variables={"scale": scale})
        key = admin_key(dll, env, "bench")
        partner = pg.psql("SELECT id FROM partners WHERE slug = 'osaka-prefecture'").strip()
        ids = os.path.join(tempfile.mkdtemp(prefix="linkj-bench-writes."), "ids.txt")
        with open(ids, "w") as f:
            f.write(pg.psql("SELECT id FROM agreements WHERE status = 'active' AND version = 1 ORDER BY random() LIMIT 60000"))
        api = Server(dll, free_port(), env)
        wait_ready(api.url + "/health/ready")
        row = {}
        count = lambda like: int(pg.psql(f"SELECT count(*) FROM agreements WHERE title_en LIKE '{like}'"))
        duplicates = lambda like: int(pg.psql(f"SELECT count(*) - count(DISTINCT title_en) FROM agreements WHERE title_en LIKE '{like}'"))
        for name, script, like in (("create with Idempotency-Key", "create.lua", "bench-create-%"),
                                   ("backdated create (2016-2020)", "create-backdated.lua", "bench-backdated-%")):
            # A short warm-up (JIT, connections), then the measurement; both write, so only the second one is counted.
            wrk(api.url + "/api/v1/agreements", 3, args.connections, script, {"PARTNER_ID": partner, "API_KEY": key, "RUN_ID": f"{run}w"})
            before = count(like)
            result = wrk(api.url + "/api/v1/agreements", args.duration, args.connections, script, {"PARTNER_ID": partner, "API_KEY": key, "RUN_ID": str(run)})
            result.update({"stored": count(like) - before, "acknowledged": result["requests"] - result["non2xx"], "duplicates": duplicates(like)})
            row[name] = result
        row["update with If-Match"] = wrk(api.url + "/api/v1/agreements", args.duration, args.connections, "update.lua", {"IDS_FILE": ids, "API_KEY": key})
        # Reads beside backdated creates: agreement by id (8 connections) alone, then while 32 connections create
        # agreements dated in 2016-2020; the ratio of the two p99s is what a writer's burst costs a reader.
        reads = {"IDS_FILE": ids, "PATH_PREFIX": "/api/v1/agreements/"}
        row["read by id, alone"] = wrk(api.url + "/api/v1/agreements/", args.duration, 8, "random-get.lua", reads)
        beside = {}
        writer = threading.Thread(target=lambda: beside.update(wrk(api.url + "/api/v1/agreements", args.duration + 2, args.connections,
                                                                    "create-backdated.lua", {"PARTNER_ID": partner, "API_KEY": key, "RUN_ID": f"{run}r"})))
        writer.start()
        time.sleep(1)
        row["read by id, beside backdated creates"] = wrk(api.url + "/api/v1/agreements/", args.duration, 8, "random-get.lua", reads)
        writer.join()
        row["backdated creates beside the reads"] = beside
        # Exactness after the run: the running numbers (stored, or derived by the view where that exists) against a
        # window function, the tallies against a recount.
        numbers = pg.psql("SELECT coalesce(to_regclass('agreements_with_ordinals')::text, 'agreements')").strip()
        row["ordinals wrong"] = int(pg.psql(
            f"SELECT count(*) FROM {numbers} a JOIN (SELECT a.id, row_number() OVER (ORDER BY a.signed_on, a.seq) o, "
            "row_number() OVER (PARTITION BY p.kind ORDER BY a.signed_on, a.seq) k FROM agreements a JOIN partners p ON p.id = a.partner_id "
            "WHERE a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL) w ON w.id = a.id "
            "WHERE (a.ordinal_overall, a.ordinal_within_kind) IS DISTINCT FROM (w.o, w.k)"))
        row["changes without a position"] = int(pg.psql("SELECT count(*) FROM changes WHERE position IS NULL"))
        return row
    finally:
        if api is not None:
            api.stop()
        pg.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="10k", choices=SCALES)
    parser.add_argument("--duration", type=int, default=8, help="seconds per measurement (after a 3 s warm-up)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="directory of a published build to measure against, run by run")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    scale = SCALES[args.scale]
    if not args.skip_build:
        print("building Release…", flush=True)
        sh(["dotnet", "publish", f"{REPO}/src/LinkJ.Api", "-c", "Release", "-o", f"{OUT}/api", "-p:UseAppHost=false"])
    builds = {"after": f"{OUT}/api/LinkJ.Api.dll"}
    if args.before:
        builds = {"before": os.path.join(os.path.abspath(args.before), "LinkJ.Api.dll"), **builds}
    runs = {name: [] for name in builds}
    for run in range(args.runs):
        for name, dll in builds.items():
            print(f"run {run + 1}/{args.runs}, {name}…", flush=True)
            runs[name].append(measure(dll, scale, args, run))
    report(runs, args, scale)


def report(runs, args, scale):
    print()
    print(f"LinkJ.Api writes — {scale:,} agreements, {args.connections} connections, {args.duration} s × {args.runs} runs per build, "
          f"builds alternated run by run (medians; min–max in brackets); machine: {os.cpu_count()} cores")
    print()
    names = list(runs)
    print(f"{'scenario':32}" + "".join(f" {n + ' req/s':>22} {'p50 ms':>8} {'p99 ms':>8}" for n in names) + (f" {'ratio':>7}" if len(names) == 2 else ""))
    table = []
    for scenario in SCENARIOS:
        line, entry = f"{scenario:32}", {"scenario": scenario}
        for name in names:
            rows = [r[scenario] for r in runs[name]]
            rps = statistics.median(r["rps"] for r in rows)
            entry[name] = {"rps": rps, "min": min(r["rps"] for r in rows), "max": max(r["rps"] for r in rows),
                           "p50": statistics.median(r["p50"] for r in rows), "p99": statistics.median(r["p99"] for r in rows),
                           "non2xx": sum(r["non2xx"] for r in rows)}
            if "stored" in rows[0]:
                entry[name].update(acknowledged=sum(r["acknowledged"] for r in rows), stored=sum(r["stored"] for r in rows),
                                   duplicates=max(r["duplicates"] for r in rows))
            e = entry[name]
            spread = f"{rps:.0f} [{e['min']:.0f}–{e['max']:.0f}]"
            line += f" {spread:>22} {e['p50']:>8.1f} {e['p99']:>8.1f}"
        if len(names) == 2:
            entry["ratio"] = entry["after"]["rps"] / entry["before"]["rps"]
            line += f" {entry['ratio']:>7.2f}"
        print(line)
        table.append(entry)
    print()
    for name in names:
        parts = []
        for scenario in SCENARIOS:
            e = next(t for t in table if t["scenario"] == scenario)[name]
            if "stored" in e:
                parts.append(f"{scenario}: acknowledged {e['acknowledged']}, stored {e['stored']}, duplicates {e['duplicates']}")
            if e["non2xx"]:
                parts.append(f"{scenario}: {e['non2xx']} non-2xx")
        wrong = max(r["ordinals wrong"] for r in runs[name])
        pending = max(r["changes without a position"] for r in runs[name])
        alone = statistics.median(r["read by id, alone"]["p99"] for r in runs[name])
        beside = statistics.median(r["read by id, beside backdated creates"]["p99"] for r in runs[name])
        writing = statistics.median(r["backdated creates beside the reads"].get("rps", 0) for r in runs[name])
        parts.append(f"reads' p99 beside backdated creates ({writing:.0f}/s) / alone: {beside:.1f} / {alone:.1f} ms = {beside / alone:.1f}×")
        print(f"{name}: " + "; ".join(parts) + f"; running numbers wrong after the runs: {wrong}; changes left without a position: {pending}")
    os.makedirs(f"{BENCH}/results", exist_ok=True)
    path = f"{BENCH}/results/writes-{datetime.datetime.now():%Y%m%d-%H%M%S}-{args.scale}.json"
    with open(path, "w") as f:
        json.dump({"scale": scale, "connections": args.connections, "duration": args.duration, "table": table, "runs": runs}, f, indent=2)
    print(f"\nwritten to {os.path.relpath(path, REPO)}")


if __name__ == "__main__":
    sys.exit(main())
