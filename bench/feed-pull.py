#!/usr/bin/env python3
"""Measures pulling the change feed end to end: writes N agreements through the API (so the feed holds real changes),
then follows /api/v1/changes from the start with limit=1000 and reports changes/s. Usage:
  bench/feed-pull.py --url http://localhost:5080 --key lj_... [--writes 10000] [--threads 8] [--runs 3]"""
import argparse, json, statistics, threading, time, urllib.request

def request(url, method="GET", body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req) as response:
        return json.loads(response.read() or b"null")

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:5080")
    parser.add_argument("--key", required=True)
    parser.add_argument("--writes", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    partner = request(f"{args.url}/api/v1/partners/osaka-prefecture")["id"]
    counter = iter(range(args.writes))
    lock = threading.Lock()

    def writer():
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            request(f"{args.url}/api/v1/agreements", "POST", {
                "partnerId": partner, "type": "mou", "title": {"ja": f"計測用の覚書 {i}", "en": f"Benchmark MOU {i}"},
                "signedOn": "2025-04", "cooperation": {"scopes": ["mutual-visits"], "isOpenEnded": True}}, {"X-Api-Key": args.key})

    started = time.perf_counter()
    threads = [threading.Thread(target=writer) for _ in range(args.threads)]
    for t in threads: t.start()
    for t in threads: t.join()
    write_seconds = time.perf_counter() - started
    print(f"wrote {args.writes} agreements in {write_seconds:.1f} s ({args.writes / write_seconds:.0f} creates/s, {args.threads} threads)")

    results = []
    for run in range(args.runs):
        started, after, total = time.perf_counter(), None, 0
        while True:
            page = request(f"{args.url}/api/v1/changes?limit=1000" + (f"&after={urllib.parse.quote(after)}" if after else ""),
                           headers={"X-Api-Key": args.key})  # the change feed needs sync:read (or admin)
            total += len(page["items"])
            after = page["next"]
            if not page["hasMore"]:
                break
        seconds = time.perf_counter() - started
        results.append(total / seconds)
        print(f"run {run + 1}: pulled {total} changes in {seconds * 1000:.0f} ms ({total / seconds:.0f} changes/s)")
    print(f"median: {statistics.median(results):.0f} changes/s")

if __name__ == "__main__":
    import urllib.parse
    main()
