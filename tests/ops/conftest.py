"""Fixtures for the integration tests marked `services`: the machine's Redis as broker and a
real Celery worker in its own process. .ci/run runs them with REDIS_URL and DATABASE_URL set;
`make test` leaves them out (-m "not services")."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
WORKER_START_TIMEOUT = 60


@pytest.fixture(scope="session")
def broker():
    """The broker URL; skips outside CI, fails in CI (a skipped integration run proves nothing)."""
    if not settings.REDIS_URL:
        message = "needs REDIS_URL (the machine's Redis); .ci/run sets it"
        if os.environ.get("KEKIZ_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    return settings.REDIS_URL


@pytest.fixture(scope="session")
def mail_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("worker-mail")


@contextmanager
def running_worker(env_changes: dict, log_path: Path, queue: str | None = None):
    """A real Celery worker in its own process, as production runs it, until the block ends.
    With `queue` it takes only tasks sent to that queue, so two test workers never share one."""
    from kekiz_portal.celery import app

    name = f"kekiz-test-{uuid.uuid4().hex[:8]}@localhost"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kekiz_portal.settings", **env_changes}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "kekiz_portal",
        "worker",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
        "-n",
        name,
        *(["-Q", queue] if queue else []),
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            deadline = time.monotonic() + WORKER_START_TIMEOUT
            while not app.control.ping(destination=[name], timeout=0.5):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"Celery worker did not start:\n{log_path.read_text()[-3000:]}")
            yield name
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def celery_worker_process(broker, mail_dir):
    """A worker sending mail into files we can read."""
    env = {"REDIS_URL": broker, "EMAIL_URL": f"filemail:///{mail_dir}"}
    with running_worker(env, mail_dir.parent / "worker.log") as name:
        yield name


def wait_for_mail(mail_dir: Path, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(mail_dir.glob("*.log"))
        if files:
            return "\n".join(f.read_text() for f in files)
        time.sleep(0.2)
    raise AssertionError("no mail arrived from the worker")
