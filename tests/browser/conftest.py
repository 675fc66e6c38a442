import pytest
from django.db import connection


@pytest.fixture(scope="session")
def live_server(django_db_setup, django_db_blocker, live_server):
    # The live server answers Chromium's keep-alive connections in threads that hold a
    # database connection until the socket closes, which can be after the last test. Ending
    # those sessions here, before the test database is dropped, keeps the teardown clean.
    yield live_server
    live_server.stop()
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
