#!/usr/bin/env python3
"""LinkJ.Api webhook delivery benchmark (issue 18): the API (Release) on a throwaway durable PostgreSQL with its
dispatcher on defaults (250 ms poll, 16 subscriptions at once), 10 receivers on 127.0.0.1 (Python, threaded, answer
200 at once), each subscribed to agreement.created. Three phases, each bounded in events and in time:

  latency     N creates at a steady rate, one at a time; for each event and receiver: arrival - the create's 201
              (the commit is before the 201, so this slightly under-counts by the response's write: ~1 ms)
  throughput  M creates as fast as 8 client threads go; events delivered to all 10 / (last arrival - first 201)
  slow        as latency, while receiver 0 answers every request after 10 s: the other 9's latency, and how far the
              slow one falls behind

Prints the figures (never asserts them). Usage: bench/webhooks.sh [--events 40] [--rate 2] [--burst 300] [--skip-build]"""
import argparse, http.client, json, os, platform, re, statistics, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench import OUT, REPO, Postgres, Server, free_port, sh, wait_ready, admin_key

RECEIVERS = 10


class Receiver:
    """A webhook receiver on 127.0.0.1: records when each agreement's event arrived (first arrival per webhook-id)."""

    def __init__(self, index):
        self.index, self.arrivals, self.delay, self.lock = index, {}, 0.0, threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                at = time.time()
                try:
                    agreement = json.loads(body)["data"]["id"]
                except (ValueError, KeyError, TypeError):
                    agreement = None
                with receiver.lock:
                    if agreement and agreement not in receiver.arrivals:
                        receiver.arrivals[agreement] = at
                if receiver.delay:
                    time.sleep(receiver.delay)
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up (stopping, or its timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


class Client:
    """Creates agreements over one keep-alive connection; returns (agreement id, time of the 201)."""

    def __init__(self, port, key, partner):
        self.connection, self.key, self.partner = http.client.HTTPConnection("127.0.0.1", port, timeout=30), key, partner

    def create(self, label):
        body = json.dumps({"partnerId": self.partner, "type": "mou", "title": {"ja": f"計測用 {label}", "en": f"bench-webhook-{label}"},
                           "signedOn": "2026-11", "cooperation": {"scopes": ["mutual-visits"], "isOpenEnded": True}})
        self.connection.request("POST", "/api/v1/agreements", body, {"Content-Type": "application/json", "X-Api-Key": self.key})
        response = self.connection.getresponse()
        text = response.read()
        at = time.time()
        if response.status != 201:
            raise RuntimeError(f"create answered {response.status}: {text[:300]!r}")
        return json.loads(text)["id"], at


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))] if ordered else float("nan")


def wait_for(receivers, ids, limit):
    """Until every receiver has every id, or limit seconds; returns how many (receiver, id) arrivals are missing."""
    deadline = time.time() + limit
    while time.time() < deadline:
        missing = sum(1 for r in receivers for i in ids if i not in r.arrivals)
        if missing == 0:
            return 0
        time.sleep(0.05)
    return sum(1 for r in receivers for i in ids if i not in r.arrivals)


def steady(client, count, rate, label):
    created, interval = [], 1.0 / rate
    start = time.time()
    for n in range(count):
        pause = start + n * interval - time.time()
        if pause > 0:
            time.sleep(pause)
        created.append(client.create(f"{label}-{n}"))
    return created


def latencies(receivers, created):
    return [(r.arrivals[i] - at) * 1000 for r in receivers for i, at in created if i in r.arrivals]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=40, help="events per latency phase (default 40)")
    parser.add_argument("--rate", type=float, default=2, help="creates per second in the latency phases (default 2: well below saturation)")
    parser.add_argument("--burst", type=int, default=300, help="events of the throughput phase (default 300)")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    args.events, args.burst = min(args.events, 2000), min(args.burst, 5000)  # bounded

    dll = f"{OUT}/api/LinkJ.Api.dll"
    if not args.skip_build or not os.path.exists(dll):
        print("building Release…", flush=True)
        rid = "linux-arm64" if platform.machine() in ("aarch64", "arm64") else "linux-x64"
        sh(["dotnet", "publish", f"{REPO}/src/LinkJ.Api", "-c", "Release", "-o", f"{OUT}/api", "-p:UseAppHost=false",
            "-r", rid, "--self-contained", "false", "-p:PublishReadyToRun=true"])

    pg, api, receivers = Postgres(), None, []
    lost = []  # phases in which an event did not reach every receiver: the run's one check (figures are never asserted)
    try:
        connection = pg.start()
        env = {"ConnectionStrings__LinkJ": connection, "ASPNETCORE_ENVIRONMENT": "Production", "Logging__LogLevel__Default": "Warning",
               "RateLimits__AnonymousPerMinute": "100000000", "RateLimits__ApiKeyPerMinute": "100000000", "Maintenance__Interval": "1.00:00:00",
               "Observability__Prometheus__Port": "0", "Webhooks__AllowLoopback": "true"}
        port = free_port()
        api = Server(dll, port, env)
        wait_ready(api.url + "/health/ready")
        key = admin_key(dll, env, "bench")
        partner = pg.psql("SELECT id FROM partners WHERE slug = 'osaka-prefecture'").strip()
        receivers = [Receiver(i) for i in range(RECEIVERS)]
        manage = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for receiver in receivers:
            manage.request("POST", "/api/v1/webhooks", json.dumps({"url": receiver.url, "eventTypes": ["agreement.created"]}),
                           {"Content-Type": "application/json", "X-Api-Key": key})
            response = manage.getresponse()
            text = response.read()
            if response.status != 201:
                raise RuntimeError(f"subscribe answered {response.status}: {text[:300]!r}")
        client = Client(port, key, partner)

        warm = steady(client, 20, 10, "warm")  # JIT, connections, the receivers' first connections
        wait_for(receivers, [i for i, _ in warm], 30)

        print(f"\nWebhook delivery, {RECEIVERS} receivers on loopback, {os.cpu_count()} CPUs; dispatcher defaults (poll 250 ms, 16 at once)\n")
        created = steady(client, args.events, args.rate, "latency")
        missing = wait_for(receivers, [i for i, _ in created], 60)
        fast = latencies(receivers, created)
        print(f"latency     {args.events} events at {args.rate:g}/s x {RECEIVERS} receivers: p50 {percentile(fast, 50):.0f} ms, "
              f"p99 {percentile(fast, 99):.0f} ms, max {max(fast):.0f} ms ({missing} missing after 60 s)")
        if missing:
            lost.append(f"latency: {missing}")

        threads, burst = 8, []
        lock = threading.Lock()

        def worker(n):
            own = Client(port, key, partner)
            for k in range(n, args.burst, threads):
                result = own.create(f"burst-{k}")
                with lock:
                    burst.append(result)

        started = time.time()
        workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        wrote = time.time() - started
        missing = wait_for(receivers, [i for i, _ in burst], 120)
        first = min(at for _, at in burst)
        last = max(r.arrivals[i] for r in receivers for i, _ in burst if i in r.arrivals)
        delivered = sum(1 for r in receivers for i, _ in burst if i in r.arrivals)
        print(f"throughput  {args.burst} creates in {wrote:.1f} s ({args.burst / wrote:.0f}/s) -> {delivered} deliveries in "
              f"{last - first:.1f} s: {delivered / (last - first):.0f} events/s to {RECEIVERS} receivers "
              f"(commit->receiver p50 {percentile(latencies(receivers, burst), 50):.0f} ms, p99 {percentile(latencies(receivers, burst), 99):.0f} ms; {missing} missing)")
        if missing:
            lost.append(f"throughput: {missing}")

        slow, others = receivers[0], receivers[1:]
        slow.delay = 10.0
        created = steady(client, args.events, args.rate, "slow")
        missing = wait_for(others, [i for i, _ in created], 60)
        during = latencies(others, created)
        behind = sum(1 for i, _ in created if i not in slow.arrivals)
        print(f"slow        receiver 0 answers in 10 s; the other {len(others)}: p50 {percentile(during, 50):.0f} ms, "
              f"p99 {percentile(during, 99):.0f} ms, max {max(during):.0f} ms ({missing} missing); "
              f"the slow one got {args.events - behind} of {args.events} (one at a time, in order)")
        if missing:
            lost.append(f"beside a slow receiver: {missing}")
        slow.delay = 0
    finally:
        if api:
            api.stop()
        for receiver in receivers:
            receiver.stop()
        pg.stop()

    if lost:
        print("FAILED: events that did not reach every receiver in time: " + ", ".join(lost))
        return 1
    print("check: every event reached every receiver")
    return 0


if __name__ == "__main__":
    sys.exit(main())
