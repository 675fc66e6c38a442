"""The PostgreSQL a newcomer gets without installing one.

With no DATABASE_URL the portal runs its own server from the `pgserver` wheel, with its data
under var/pgdata. The server outlives the process that started it, so every later manage.py
call, test run and the dev server reuse the same cluster instead of paying a start each time.
"""

import warnings
from pathlib import Path

DATABASE_NAME = "kekiz"


def database_settings(base_dir: Path) -> dict:
    with warnings.catch_warnings():
        # pgserver asks platformdirs for a runtime folder it does not use for our data folder;
        # without XDG_RUNTIME_DIR (containers, CI) that prints a warning on every command.
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(base_dir / "var" / "pgdata", cleanup_mode=None)
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'kekiz';")
    if "(1 row)" not in exists:
        server.psql("CREATE DATABASE kekiz;")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(server.pgdata),  # the server listens on a Unix socket in its data folder
    }
