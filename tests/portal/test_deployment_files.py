"""The deployment files agree with the code: docker-compose.yml, Dockerfile, .env.example, scripts/run.py.

Docker itself does not run here, so these tests read the files: every command names something that
exists, every variable is documented, and `make run`'s supervisor stops what it starts.
"""

import http.client
import importlib
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from celery import Celery
from django.core.management import get_commands
from django.utils import translation

from communes.choices import COMMUNE_ROLES, Role
from portal.demo_accounts import DEMO_ACCOUNTS

BASE_DIR = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web", "worker", "beat")  # the services that run the portal's image
# Documented in .env.example although neither the settings nor the compose file read them.
READ_ELSEWHERE = {"WEB_CONCURRENCY": "gunicorn's default number of workers"}

SETTINGS_ENV_VAR = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
COMPOSE_VAR = re.compile(r"(?<!\$)\$\{?([A-Za-z_][A-Za-z0-9_]*)")  # $$ is an escaped dollar
DOTTED_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")  # gunicorn's module:attribute


def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def command_tokens(service: dict) -> list[str]:
    """A service's command as words; a `sh -c "a && b"` script is split into its words too."""
    command = service.get("command", [])
    tokens = shlex.split(command) if isinstance(command, str) else list(command)
    if tokens[:2] == ["sh", "-c"]:
        tokens = shlex.split(tokens[2])
    return tokens


def words_after(tokens: list[str], *flags: str) -> list[str]:
    return [tokens[i + 1] for i, token in enumerate(tokens[:-1]) if token in flags]


def manage_commands() -> list[tuple[str, str]]:
    return [
        (name, command)
        for name, service in compose()["services"].items()
        for command in words_after(command_tokens(service), "manage.py")
    ]


def documented_variables() -> dict[str, str]:
    """.env.example's variables, each with the comment line just above it."""
    lines = (BASE_DIR / ".env.example").read_text().splitlines()
    return {
        match[1]: lines[i - 1] if i else ""
        for i, line in enumerate(lines)
        if (match := re.match(r"([A-Z][A-Z0-9_]*)=", line))
    }


def settings_variables() -> set[str]:
    return set(SETTINGS_ENV_VAR.findall((BASE_DIR / "portal" / "settings.py").read_text()))


def compose_variables() -> set[str]:
    return set(COMPOSE_VAR.findall((BASE_DIR / "docker-compose.yml").read_text()))


# Importing portal.wsgi builds the middleware; WhiteNoise warns that staticfiles/ (made by
# collectstatic, in the image) is missing here.
ignore_missing_static_root = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def assert_wsgi_target_exists(target: str) -> None:
    module_name, attribute = target.split(":")
    assert callable(getattr(importlib.import_module(module_name), attribute, None)), target


# --- docker-compose.yml ------------------------------------------------------


def test_compose_has_every_service():
    assert {"postgres", "redis", *APP_SERVICES} <= set(compose()["services"])


def test_postgres_keeps_its_data_in_a_named_volume_and_has_a_healthcheck():
    config = compose()
    postgres = config["services"]["postgres"]
    volume_names = {volume.split(":")[0] for volume in postgres["volumes"]}
    assert volume_names & set(config["volumes"]), "postgres needs a named volume for its data"
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in postgres["volumes"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


@pytest.mark.parametrize("name", ["redis", "web"])
def test_service_has_a_healthcheck(name):
    assert compose()["services"][name]["healthcheck"]["test"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_is_configured_by_the_env_file(name):
    service = compose()["services"][name]
    env_files = service["env_file"] if isinstance(service["env_file"], list) else [service["env_file"]]
    assert ".env" in env_files


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_service_waits_for_migrations(name):
    depends_on = compose()["services"][name]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


@ignore_missing_static_root
def test_gunicorn_target_exists():
    targets = [t for s in compose()["services"].values() for t in command_tokens(s) if DOTTED_TARGET.match(t)]
    assert targets, "the web service should name its WSGI application"
    for target in targets:
        assert_wsgi_target_exists(target)


def test_celery_app_exists():
    apps = [
        app for s in compose()["services"].values() for app in words_after(command_tokens(s), "-A", "--app")
    ]
    assert sorted(apps) == ["portal", "portal"], "worker and beat both run `celery -A portal`"
    assert isinstance(importlib.import_module("portal").celery_app, Celery)


def test_beat_writes_its_schedule_where_the_app_user_may_write():
    schedule = words_after(command_tokens(compose()["services"]["beat"]), "--schedule", "-s")
    assert schedule and schedule[0].startswith("/tmp/"), "/app belongs to root in the image"


@pytest.mark.parametrize(("service", "command"), manage_commands(), ids=lambda value: value)
def test_management_command_exists(service, command):
    assert command in get_commands(), f"{service} runs `manage.py {command}`, which does not exist (yet)"


def test_migrate_job_runs_the_first_run_steps_in_order():
    assert [command for service, command in manage_commands() if service == "migrate"] == [
        "migrate",
        "load_units",
        "seed_calendar",
    ]


# --- .env.example --------------------------------------------------------------


def test_every_variable_the_settings_read_is_documented():
    read = settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "DEBUG"} <= read, "the pattern no longer finds env reads"
    assert read - set(documented_variables()) == set()


def test_every_variable_the_compose_file_uses_is_documented():
    used = compose_variables()
    assert "POSTGRES_PASSWORD" in used
    assert used - set(documented_variables()) == set()


def test_every_documented_variable_is_used_and_explained():
    used = settings_variables() | compose_variables() | set(READ_ELSEWHERE)
    for name, comment in documented_variables().items():
        assert name in used, f".env.example documents {name}, which nothing reads"
        assert comment.startswith("# "), f"{name} needs a one-line comment above it"


# --- Dockerfile ----------------------------------------------------------------


def dockerfile_instructions(keyword: str) -> list[str]:
    lines = (BASE_DIR / "Dockerfile").read_text().splitlines()
    return [line.split(None, 1)[1] for line in lines if line.startswith(f"{keyword} ")]


@ignore_missing_static_root
def test_dockerfile_default_command_serves_the_wsgi_application():
    (cmd,) = dockerfile_instructions("CMD")
    words = json.loads(cmd)
    assert words[0] == "gunicorn"
    targets = [word for word in words if DOTTED_TARGET.match(word)]
    assert targets
    assert_wsgi_target_exists(targets[0])


def test_dockerfile_runs_as_a_non_root_user():
    users = dockerfile_instructions("USER")
    assert users and users[-1] not in {"root", "0"}


# --- portal/demo_accounts.py ---------------------------------------------------


def test_demo_accounts_name_real_roles_and_scopes():
    assert len({account.username for account in DEMO_ACCOUNTS}) == len(DEMO_ACCOUNTS)
    with translation.override("vi"):
        for account in DEMO_ACCOUNTS:
            role = Role(account.role)
            assert account.role_label == str(role.label)
            assert bool(account.commune_code) == (role in COMMUNE_ROLES)
            assert bool(account.province_code) == (role in (Role.INSPECTOR, Role.DEPARTMENT))
            assert bool(account.department) == (role == Role.DEPARTMENT)


# --- scripts/run.py (`make run`) ---------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_stat(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command name (which may hold spaces): state, ppid, ..."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def descendants(pid: int) -> set[int]:
    children_of: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := proc_stat(int(entry.name))):
            children_of.setdefault(int(stat[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        children = children_of.get(todo.pop(), [])
        found.update(children)
        todo.extend(children)
    return found


def alive(pid: int) -> bool:
    stat = proc_stat(pid)
    return stat is not None and stat[0] != "Z"


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def http_answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/")
        connection.getresponse()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def start_run_script(tmp_path: Path, port: int, broker: str = "") -> tuple[subprocess.Popen, Path]:
    env = {name: value for name, value in os.environ.items() if name != "DEBUG"}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        CELERY_BROKER_URL=broker,  # empty: tasks in-process, no Celery process
        PORT=str(port),
        PORTAL_SKIP_DEMO="1",
    )
    log_path = tmp_path / "run.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "scripts/run.py"],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process, log_path


def own_redis_database(broker: str) -> str:
    """The same Redis, another database index, so our worker cannot take other tests' tasks."""
    return urlsplit(broker)._replace(path="/15").geturl()


requires_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


@requires_proc
@pytest.mark.parametrize("with_celery", [False, True], ids=["tasks-in-process", "celery"])
def test_run_script_stops_everything_it_started_on_ctrl_c(tmp_path, with_celery):
    broker = ""
    if with_celery:
        if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
            pytest.skip("needs a Redis CELERY_BROKER_URL, as .ci/run sets")
        broker = own_redis_database(os.environ["CELERY_BROKER_URL"])
    port = free_port()
    process, log_path = start_run_script(tmp_path, port, broker)
    expected_logs = [f"http://127.0.0.1:{port}"] + (["beat: Starting", " ready."] if with_celery else [])
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while not (http_answers(port) and all(text in log_path.read_text() for text in expected_logs)):
            assert process.poll() is None, f"run.py exited early:\n{log_path.read_text()}"
            assert time.monotonic() < deadline, f"not ready after 60 s:\n{log_path.read_text()}"
            time.sleep(0.25)
        started = descendants(process.pid)
        command_lines = " | ".join(command_line(pid) for pid in started)
        assert "runserver" in command_lines
        assert ("celery -A portal worker" in command_lines) == with_celery
        assert ("celery -A portal beat" in command_lines) == with_celery

        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        deadline = time.monotonic() + 15
        process.wait(timeout=15)
        assert process.returncode == 0, log_path.read_text()
        while any(alive(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [command_line(pid) for pid in started if alive(pid)] == []
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in started:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@requires_proc
def test_run_script_exits_non_zero_when_the_server_dies(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process, log_path = start_run_script(tmp_path, taken.getsockname()[1])
        try:
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == 1
    assert "exited unexpectedly" in log_path.read_text()
