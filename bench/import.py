#!/usr/bin/env python3
"""LinkJ.Api import benchmark (ADR 0034): POST /api/v1/agreements/import of N backdated MOUs (2016-2020, in random date
order, JSON lines and CSV) into a fresh throwaway PostgreSQL with the seed, then the same file again (all unchanged).
Prints seconds and rows/s for each, and checks what single writes would leave: running numbers against a window
function, the feed (every import change numbered), the statistics' total.

Usage: bench/import.sh [--rows 10000] [--dates backdated|recent] [--skip-build] [--api DIR]
  --api DIR        a published build to measure instead of building this tree (e.g. main's, to compare)
  --dates recent   signing dates after every seeded agreement (2021-2025): nothing to renumber, the import path alone"""
import argparse, json, os, random, re, signal, sys, time, urllib.request

from bench import OUT, REPO, Postgres, Server, free_port, sh, wait_ready, admin_key


def post(url, key, body, media_type):
    request = urllib.request.Request(url, data=body.encode("utf-8"), method="POST",
                                     headers={"Content-Type": media_type, "X-Api-Key": key})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        answer = json.loads(response.read())
    return time.perf_counter() - started, answer


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--dates", choices=("backdated", "recent"), default="backdated")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--api", help="a published build's directory (LinkJ.Api.dll); implies --skip-build")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a killed bench still stops its PostgreSQL and API
    if not args.skip_build and not args.api:
        print("building Release…", flush=True)
        sh(["dotnet", "publish", f"{REPO}/src/LinkJ.Api", "-c", "Release", "-o", f"{OUT}/api", "-p:UseAppHost=false"])
    dll = f"{args.api or OUT + '/api'}/LinkJ.Api.dll"
    pg = Postgres()
    api = None
    try:
        connection = pg.start()
        env = {"ConnectionStrings__LinkJ": connection, "ASPNETCORE_ENVIRONMENT": "Production", "Logging__LogLevel__Default": "Warning",
               "RateLimits__AnonymousPerMinute": "100000000", "RateLimits__ApiKeyPerMinute": "100000000", "Maintenance__Interval": "1.00:00:00",
               "Observability__Prometheus__Port": "0"}
        api = Server(dll, free_port(), env)
        wait_ready(api.url + "/health/ready")
        key = admin_key(dll, env, "bench-import")
        rng = random.Random(17)
        slugs = pg.psql("SELECT slug FROM partners").split()
        scopes = ["event-cooperation", "information-exchange", "mutual-support"]
        known = set(pg.psql("SELECT code FROM cooperation_scopes").split())
        scopes = [s for s in scopes if s in known] or sorted(known)[:1]
        rows = []
        for i in range(1, args.rows + 1):
            start = 1451606400 if args.dates == "backdated" else 1609459200  # 2016-01-01 or 2021-01-01, + up to five years
            day = start + rng.randrange(0, 5 * 365) * 86400
            rows.append({"externalRef": {"source": "bench-sheet", "id": f"R-{i}"}, "partnerSlug": rng.choice(slugs), "type": "mou",
                         "title": {"ja": f"覚書 {i}", "en": f"bench-import-{i}"}, "signedOn": time.strftime("%Y-%m-%d", time.gmtime(day)),
                         "cooperation": {"scopes": [rng.choice(scopes)], "isOpenEnded": False}})
        lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
        url = api.url + "/api/v1/agreements/import"
        results = []
        seconds, answer = post(url, key, lines, "application/x-ndjson")
        results.append(("JSON lines, first run (created)", seconds, answer))
        print(f"first run: {seconds:.2f} s, {args.rows / seconds:.0f} rows/s, created {answer['created']}", flush=True)
        seconds, answer = post(url, key, lines, "application/x-ndjson")
        results.append(("JSON lines, run again (unchanged)", seconds, answer))
        seconds, answer = post(url + "?dryRun=true", key, lines, "application/x-ndjson")
        results.append(("JSON lines, dry run", seconds, answer))
        # The same records as CSV, under the same external references: parsed, found and compared, all unchanged.
        csv_rows = ["external_source,external_id,partner_slug,type,title_ja,title_en,signed_on,scopes"]
        for i, r in enumerate(rows, 1):
            csv_rows.append(f"bench-sheet,R-{i},{r['partnerSlug']},mou,{r['title']['ja']},{r['title']['en']},{r['signedOn']},{r['cooperation']['scopes'][0]}")
        seconds, answer = post(url, key, "\ufeff" + "\r\n".join(csv_rows) + "\r\n", "text/csv")
        results.append(("CSV of the same records (unchanged)", seconds, answer))

        print(f"\nimport of {args.rows} {'backdated (2016-2020)' if args.dates == 'backdated' else 'recent (2021-2025)'} agreements, random date order, "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.0f}")
        print(f"{'run':<46} {'seconds':>8} {'rows/s':>8}  created updated unchanged failed")
        for name, seconds, answer in results:
            print(f"{name:<46} {seconds:8.2f} {args.rows / seconds:8.0f}  {answer['created']:>7} {answer['updated']:>7} {answer['unchanged']:>9} {answer['failed']:>6}")
        wrong = int(pg.psql(
            "SELECT count(*) FROM agreements_with_ordinals a JOIN (SELECT a.id, row_number() OVER (ORDER BY a.signed_on, a.seq) o, "
            "row_number() OVER (PARTITION BY p.kind ORDER BY a.signed_on, a.seq) k FROM agreements a JOIN partners p ON p.id = a.partner_id "
            "WHERE a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL) w ON w.id = a.id "
            "WHERE (a.ordinal_overall, a.ordinal_within_kind) IS DISTINCT FROM (w.o, w.k)"))
        unnumbered = int(pg.psql("SELECT count(*) FROM changes WHERE position IS NULL"))
        changes = int(pg.psql("SELECT count(*) FROM changes c JOIN agreements a ON a.id = c.resource_id WHERE a.external_source LIKE 'bench-%'"))
        with urllib.request.urlopen(api.url + "/api/v1/stats", timeout=60) as response:
            total = json.loads(response.read())["totals"]["partnerships"]
        counted = int(pg.psql("SELECT count(*) FROM agreements WHERE deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL"))
        print(f"ordinals wrong: {wrong}; changes without a position: {unnumbered}; change records of imported agreements: {changes} "
              f"(expected {args.rows}); stats total {total} (counted {counted})")
        return 0 if wrong == 0 and unnumbered == 0 and changes == args.rows and total == counted else 1
    finally:
        if api is not None:
            api.stop()
        pg.stop()


if __name__ == "__main__":
    sys.exit(main())
