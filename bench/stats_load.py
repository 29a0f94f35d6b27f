"""Throughput under load for the statistics bench (bench/stats_bench.py, part d): a gunicorn server
started for the bench on 127.0.0.1, loaded with wrk (or, without wrk, a bounded Python load
generator: threads and http.client), and always stopped again, also on an error or Ctrl-C.
Only 127.0.0.1 is ever loaded.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


@dataclass
class LoadResult:
    requests_per_second: float
    requests: int
    errors: int  # non-2xx answers and socket errors
    p50_ms: float | None
    tool: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn portal.wsgi:application -w WORKERS` on a free port of 127.0.0.1; a context manager
    that stops the server's process group on exit, whatever happened."""

    def __init__(self, database_url: str, workers: int = 2):
        self.port = free_port()
        self.workers = workers
        self.database_url = database_url
        self.process: subprocess.Popen | None = None
        # Kept after the run (delete=False): the server's errors, if any, are read there.
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="stats_bench_gunicorn_", suffix=".log", delete=False
        )

    def __enter__(self):
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DEBUG": "0",
            "ALLOWED_HOSTS": HOST,
            "SECRET_KEY": "bench",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
        self.process = subprocess.Popen(
            [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "portal.wsgi:application",
             "-w", str(self.workers), "-b", f"{HOST}:{self.port}", "--log-level", "warning"],
            cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        return self

    def wait_ready(self, path: str, headers: dict, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn đã dừng (mã {self.process.returncode}), xem {self.log.name}")
            try:
                status, _body = get(self.port, path, headers)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn chưa trả lời sau {timeout:.0f} s, xem {self.log.name}")

    def __exit__(self, *exc):
        self.stop()
        return False

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)  # the group this bench started: master and workers
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def load(port: int, path: str, headers: dict, seconds: int, threads: int = 2, connections: int = 16):
    """Requests/s of GET `path` under `connections` concurrent clients for `seconds`."""
    if shutil.which("wrk"):
        return _wrk(port, path, headers, seconds, threads, connections)
    return _python_load(port, path, headers, seconds, connections)


def _wrk(port, path, headers, seconds, threads, connections) -> LoadResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    p50_ms = None
    if p50:
        p50_ms = float(p50.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]
    return LoadResult(rps, total, errors, p50_ms, "wrk")


def _python_load(port, path, headers, seconds, connections) -> LoadResult:
    """Bounded: `connections` threads, each one request at a time, for `seconds`."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    counts = {"ok": 0, "errors": 0}
    latencies: list[float] = []

    def worker():
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _body = get(port, path, headers)
                ok = 200 <= status < 300
            except OSError:
                ok = False
            with lock:
                counts["ok" if ok else "errors"] += 1
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.monotonic()
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - started
    total = counts["ok"] + counts["errors"]
    latencies.sort()
    p50 = latencies[len(latencies) // 2] if latencies else None
    return LoadResult(total / elapsed, total, counts["errors"], p50, "python")
