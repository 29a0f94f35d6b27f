"""`make run`: prepare the database and serve the portal at http://127.0.0.1:8000.

Steps:
1. `manage.py migrate`;
2. `manage.py collectstatic --noinput`, only when DEBUG is off: with DEBUG on, WhiteNoise serves
   static files straight from STATICFILES_DIRS and the apps;
3. `manage.py seed_demo`, once per database: the marker `.venv/.demo-seeded-<database-id>` says it
   ran. A database without tables (new, or dropped and created again) forgets its marker. Delete
   the marker to seed again;
4. `manage.py runserver 127.0.0.1:$PORT`, and beside it `celery -A portal worker` and
   `celery -A portal beat` when a broker is configured (CELERY_BROKER_URL). Without a broker,
   tasks run in-process and no Celery process is started.

Environment, besides the settings' own variables (.env.example):
    PORT=8000            port of the development server
    PORTAL_SKIP_DEMO=1   skip seed_demo (tests, or a database you fill yourself)
DEBUG is set to 1 for the children unless the environment or .env sets it.

Ctrl-C or SIGTERM stops every process started here (each runs in its own process group: SIGTERM,
then SIGKILL after STOP_TIMEOUT seconds) and exits with status 0. If one of them dies on its own,
the others are stopped and the exit status is 1. Standard library only.
"""

import contextlib
import hashlib
import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = BASE_DIR / ".venv"  # git-ignored: demo markers and the beat schedule live here
STOP_TIMEOUT = 10  # seconds a child gets after SIGTERM before SIGKILL

# What this script needs to know from the settings (which also read .env), as one JSON line.
PROBE = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()
from django.conf import settings
from django.db import connection
db = settings.DATABASES["default"]
print(json.dumps({
    "database": " ".join(str(db.get(key) or "") for key in ("ENGINE", "HOST", "PORT", "NAME")),
    "empty": "django_migrations" not in connection.introspection.table_names(),
    "debug_set": "DEBUG" in os.environ,
    "debug": settings.DEBUG,
    "broker": not settings.CELERY_TASK_ALWAYS_EAGER,
}))
"""

stop_signal: int | None = None


def request_stop(signum, _frame):
    """Only note the request: the main loop stops the children, so no step is cut in half."""
    global stop_signal
    stop_signal = signum


def probe(env: dict) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True
    )
    if result.returncode != 0:
        raise SystemExit(
            "Không đọc được cấu hình hoặc cơ sở dữ liệu (settings or database error), xem ở trên."
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def manage(env: dict, *args: str) -> None:
    """One setup step in the foreground. It shares our process group, so Ctrl-C reaches it too."""
    print(f"==> manage.py {' '.join(args)}")
    code = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env).returncode
    if stop_signal is not None:
        raise SystemExit(0)
    if code != 0:
        raise SystemExit(f"Lỗi: manage.py {args[0]} thất bại (failed), mã thoát {code}.")


def seed_demo_once(env: dict, facts: dict) -> None:
    database_id = hashlib.sha256(facts["database"].encode()).hexdigest()[:12]
    marker = STATE_DIR / f".demo-seeded-{database_id}"
    if facts["empty"]:
        marker.unlink(missing_ok=True)  # a new or re-created database: the marker is stale
    if marker.exists():
        print(f"==> Dữ liệu demo đã có (demo data already loaded; marker {marker.name})")
        return
    manage(env, "seed_demo")
    STATE_DIR.mkdir(exist_ok=True)
    marker.write_text(facts["database"] + "\n")


def start(children: dict, name: str, args: list[str], env: dict) -> None:
    # A session (and process group) of its own: a terminal's Ctrl-C does not reach it, so it
    # gets exactly one orderly SIGTERM from us, and killpg also reaches its own children
    # (runserver's autoreloaded process, the Celery pool).
    children[name] = subprocess.Popen(
        args, cwd=BASE_DIR, env=env, stdin=subprocess.DEVNULL, start_new_session=True
    )


def signal_group(proc: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group has exited already
        os.killpg(proc.pid, signum)


def stop_all(children: dict) -> None:
    # Only children not yet reaped: until we reap it, the leader's pid (= the group id) is ours.
    for proc in children.values():
        if proc.poll() is None:
            signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for name, proc in children.items():
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{name} không dừng sau {STOP_TIMEOUT} giây (did not stop): SIGKILL", file=sys.stderr)
            signal_group(proc, signal.SIGKILL)
            proc.wait()


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


def banner(url: str, with_demo: bool) -> str:
    lines = ["", f"Cổng thông tin đang chạy tại (portal running at) {url}"]
    if with_demo:
        accounts = runpy.run_path(str(BASE_DIR / "portal" / "demo_accounts.py"))["DEMO_ACCOUNTS"]
        name_width = max(len(account.username) for account in accounts)
        password_width = max(len(account.password) for account in accounts)
        lines.append("Tài khoản demo (demo accounts):")
        lines += [
            f"  {a.username:<{name_width}}  {a.password:<{password_width}}  {a.role_label}, {a.scope}"
            for a in accounts
        ]
    else:
        lines.append("Không nạp dữ liệu demo (PORTAL_SKIP_DEMO=1).")
    lines += ["Nhấn Ctrl-C để dừng tất cả (press Ctrl-C to stop everything).", ""]
    return "\n".join(lines)


def supervise(children: dict, port: int, with_demo: bool) -> int:
    """Wait for Ctrl-C/SIGTERM (status 0) or for a child to die on its own (status 1)."""
    announced = False
    while stop_signal is None:
        for name, proc in children.items():
            if proc.poll() is not None:
                print(
                    f"\n{name} đã dừng bất ngờ (exited unexpectedly), mã {proc.returncode}.", file=sys.stderr
                )
                return 1
        if not announced and answers(port):
            print(banner(f"http://127.0.0.1:{port}", with_demo))
            announced = True
        time.sleep(0.5)
    print("\nĐang dừng (stopping)...")
    return 0


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, request_stop)

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    port = env.get("PORT", "8000")
    if not port.isdigit():
        raise SystemExit(f"PORT phải là một số (must be a number): {port!r}")
    with_demo = env.get("PORTAL_SKIP_DEMO") != "1"

    facts = probe(env)
    if not facts["debug_set"]:
        env["DEBUG"] = "1"
    manage(env, "migrate")
    if facts["debug_set"] and not facts["debug"]:
        manage(env, "collectstatic", "--noinput")
    if with_demo:
        seed_demo_once(env, facts)

    children: dict[str, subprocess.Popen] = {}
    try:
        start(children, "web", [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"], env)
        if facts["broker"]:
            celery = [sys.executable, "-m", "celery", "-A", "portal"]
            start(children, "worker", [*celery, "worker", "-l", "info", "--concurrency", "2"], env)
            STATE_DIR.mkdir(exist_ok=True)
            schedule = str(STATE_DIR / "celerybeat-schedule")
            start(children, "beat", [*celery, "beat", "-l", "info", "--schedule", schedule], env)
        return supervise(children, int(port), with_demo)
    finally:
        stop_all(children)


if __name__ == "__main__":
    sys.exit(main())
