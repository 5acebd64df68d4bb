#!/usr/bin/env python3
"""Where a write's time goes (ADR 0048): one build on its own durable PostgreSQL (pg_stat_statements with track=all, so
trigger statements count too; track_io_timing and track_wal_io_timing on), then per scenario one wrk run while this
script samples, every 100 ms, the CPU of the API, of every PostgreSQL process of that cluster (backends, walwriter,
checkpointer…), of wrk and the machine's idle CPU (/proc/stat), and the wait events of the API's backends
(pg_stat_activity). Prints per request: API CPU, PG CPU (backends / background), wrk CPU, idle, WAL flushes and bytes,
the top statements by total time (calls/request, ms/request), and the wait-event mix.

Usage: bench/writes-profile.sh [--build DIR] [--scale 10k] [--seconds 8] [--connections 32] [--pg-option name=value]…
  --build DIR: a published build (default: this tree, built Release); --pg-option: extra server settings (ALTER SYSTEM),
  e.g. commit_delay=200 to see what group commit does."""
import argparse, collections, os, re, subprocess, sys, threading, time

from bench import OUT, REPO, SCALES, process_cpu, sh
import writes_ab

TICK = os.sysconf("SC_CLK_TCK")


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except FileNotFoundError:
        return ""


def children(ppid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(ppid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def idle_total():
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    return (cpu[3] + cpu[4]) / TICK, sum(cpu[:8]) / TICK


class Sampler(threading.Thread):
    """Per-process CPU (seconds, summed over the run: processes that come and go are caught at each sample) and waits."""
    def __init__(self, build, postmaster):
        super().__init__(daemon=True)
        self.build, self.postmaster, self.stop_flag = build, postmaster, threading.Event()
        self.last, self.used = {}, collections.Counter()
        self.waits = collections.Counter()
        self.samples = 0

    def classify(self, pid):
        if pid == self.build.api.process.pid:
            return "api"
        if pid == self.postmaster:
            return "pg: postmaster"
        line = cmdline(pid)
        if line.startswith("wrk"):
            return "wrk"
        m = re.match(r"postgres: (?:\S+ )?(walwriter|checkpointer|background writer|autovacuum.*|logical.*|stats.*|"
                     r"walsender.*|archiver)", line)
        if m:
            return "pg: " + m.group(1).split()[0]
        if line.startswith("postgres:"):
            return "pg: backends"
        return None

    def tick(self):
        pids = [self.build.api.process.pid, self.postmaster] + children(self.postmaster)
        pids += [int(p) for p in subprocess.run(["pgrep", "-x", "wrk"], capture_output=True, text=True).stdout.split()]
        for pid in pids:
            cpu = process_cpu(pid)
            if cpu is None:
                continue
            kind = self.classify(pid)
            if kind is None:
                continue
            if pid in self.last:
                self.used[kind] += cpu - self.last[pid][1]
            self.last[pid] = (kind, cpu)

    def run(self):
        while not self.stop_flag.is_set():
            self.tick()
            if self.samples % 2 == 0:
                rows = subprocess.run(["psql", "-X", "-At", "-h", "127.0.0.1", "-p", str(self.build.pg.port), "-U", "postgres", "-d", "linkj", "-c",
                                       "SELECT coalesce(wait_event_type || ':' || wait_event, state) FROM pg_stat_activity "
                                       "WHERE datname = 'linkj' AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
                                       "AND application_name NOT LIKE 'psql%'"],
                                      capture_output=True, text=True).stdout.split("\n")
                for r in rows:
                    if r:
                        self.waits[r] += 1
            self.samples += 1
            time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build")
    parser.add_argument("--scale", default="10k", choices=SCALES)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--pg-option", action="append", default=[])
    parser.add_argument("--top", type=int, default=14)
    parser.add_argument("--warmup", type=int, default=3, help="seconds of each scenario before the measurements (JIT tiering)")
    parser.add_argument("--perf", help="perf-record the API during each scenario into PREFIX-<n>.data (run with DOTNET_PerfMapEnabled=1)")
    args = parser.parse_args()
    build = args.build
    if not build:
        print("building Release…", flush=True)
        sh(["dotnet", "publish", f"{REPO}/src/LinkJ.Api", "-c", "Release", "-o", f"{OUT}/api", "-p:UseAppHost=false"])
        build = f"{OUT}/api"
    b = writes_ab.Build("profile", os.path.join(os.path.abspath(build), "LinkJ.Api.dll"), SCALES[args.scale])
    try:
        for option in ["pg_stat_statements.track=all", "track_io_timing=on", "track_wal_io_timing=on"] + args.pg_option:
            name, value = option.split("=", 1)
            b.pg.psql(f"ALTER SYSTEM SET {name} = '{value}'")
        b.pg.psql("SELECT pg_reload_conf()")
        b.pg.psql("VACUUM ANALYZE")
        b.pg.psql("CHECKPOINT")
        postmaster = int(open(f"{b.pg.dir}/data/postmaster.pid").readline()) if os.access(f"{b.pg.dir}/data/postmaster.pid", os.R_OK) \
            else int(sh(["bash", "-c", f"head -1 '{b.pg.dir}/data/postmaster.pid'"]).strip())
        settings = b.pg.psql("SELECT string_agg(name || '=' || setting, ', ') FROM pg_settings WHERE name IN "
                             "('fsync','synchronous_commit','commit_delay','commit_siblings','wal_sync_method','full_page_writes','shared_buffers')")
        print(f"PostgreSQL: {settings}; load average {writes_ab.load()}")
        for name, script, _ in writes_ab.SCENARIOS:
            b.run(name, script, args.warmup, args.connections, "w")
        for name, script, _ in writes_ab.SCENARIOS:
            b.pg.psql("SELECT pg_stat_statements_reset(), pg_stat_reset_shared('wal')")
            sampler = Sampler(b, postmaster)
            idle0, total0 = idle_total()
            sampler.start()
            recorder = None
            if args.perf:
                recorder = subprocess.Popen(["perf", "record", "-F", "299", "-g", "-p", str(b.api.process.pid), "-o",
                                             f"{args.perf}-{writes_ab.SCENARIOS.index((name, script, _))}.data", "--", "sleep", str(args.seconds)],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            result = b.run(name, script, args.seconds, args.connections, "p")
            sampler.stop_flag.set()
            sampler.join()
            if recorder:
                recorder.wait()
            idle1, total1 = idle_total()
            n = max(result["requests"], 1)
            wal = b.pg.psql("SELECT wal_records, wal_bytes, wal_write, wal_sync, round(wal_write_time::numeric, 1), round(wal_sync_time::numeric, 1) "
                            "FROM pg_stat_wal").split("|")
            print(f"\n== {name}: {result['ok']:.0f} 2xx/s, p50 {result['p50']:.0f} ms, p99 {result['p99']:.0f} ms, {n} requests, "
                  f"load {writes_ab.load()}")
            cpu = dict(sampler.used)
            pg_total = sum(v for k, v in cpu.items() if k.startswith("pg"))
            print(f"CPU ms/request: API {1000 * cpu.get('api', 0) / n:.2f}, PostgreSQL {1000 * pg_total / n:.2f} ("
                  + ", ".join(f"{k[4:]} {1000 * v / n:.2f}" for k, v in sorted(cpu.items(), key=lambda kv: -kv[1]) if k.startswith("pg"))
                  + f"), wrk {1000 * cpu.get('wrk', 0) / n:.2f}; machine idle {100 * (idle1 - idle0) / max(total1 - total0, 1e-9):.0f} % "
                  f"({(idle1 - idle0) / (total1 - total0) * os.cpu_count():.2f} of {os.cpu_count()} cores); "
                  f"all CPU per request {1000 * ((total1 - total0) - (idle1 - idle0)) / n:.2f} ms")
            print(f"WAL per request: {int(wal[0]) / n:.1f} records, {int(wal[1]) / n:.0f} bytes; flushes (fsync) {int(wal[3])} = "
                  f"{int(wal[3]) / n:.2f}/request, {float(wal[5]) / max(int(wal[3]), 1):.2f} ms each, "
                  f"{float(wal[5]) / 1000 / args.seconds:.2f} s of fsync per s; writes {int(wal[2])}")
            print(f"round trips/request {result['round_trips']:.2f}, statements/request {result['statements']:.2f} (track=all)")
            rows = b.pg.psql(
                "SELECT calls, round(total_exec_time::numeric, 1), toplevel, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) "
                "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'linkj' "
                f"AND query NOT LIKE '%pg_stat%' ORDER BY total_exec_time DESC LIMIT {args.top}")
            total = float(b.pg.psql("SELECT coalesce(sum(total_exec_time), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                                    "WHERE d.datname = 'linkj' AND toplevel AND query NOT LIKE '%pg_stat%'"))
            print(f"top-level statements' execution time: {total / n:.2f} ms/request (wall, incl. waits inside)")
            for row in rows.split("\n"):
                if row.count("|") < 3:
                    continue
                calls, ms, top, query = row.split("|", 3)
                print(f"  {int(calls) / n:5.2f}/req {float(ms) / n:6.3f} ms/req {'top' if top == 't' else 'nested':6} {query}")
            samples = sum(sampler.waits.values())
            print("backend states (share of samples): " + ", ".join(f"{k} {100 * v / samples:.0f} %" for k, v in sampler.waits.most_common(10)))
    finally:
        b.stop()


if __name__ == "__main__":
    sys.exit(main())
