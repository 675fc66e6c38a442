"""/healthz for load balancers, compose health checks and operators.

Answers 200 while the portal can serve requests (database and broker reachable) and 503
otherwise. A missing worker is reported but does not fail the check: pages still work, only
queued work (mail, PDFs) waits, and restarting the web container would not bring a worker back.
The body names states only ("ok", "eager", "error", "unavailable"), never hosts or errors.
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

WORKER_PING_TIMEOUT = 1.0


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: database check failed")
        return "error"
    return "ok"


def _broker() -> str:
    if not settings.REDIS_URL:
        return "eager"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception:
        logger.exception("healthz: broker check failed")
        return "error"
    return "ok"


def _worker(broker: str) -> str:
    if broker == "eager":
        return "eager"
    if broker != "ok":
        # Asking an unreachable broker would only wait for its connection retries.
        return "unavailable"
    from kekiz_portal.celery import app

    try:
        replies = app.control.ping(timeout=WORKER_PING_TIMEOUT)
    except Exception:
        logger.exception("healthz: worker ping failed")
        return "error"
    return "ok" if replies else "unavailable"


@never_cache
def healthz(request):
    database = _database()
    broker = _broker()
    worker = _worker(broker)
    healthy = database == "ok" and broker in ("ok", "eager")
    if not healthy:
        status = "error"
    elif worker in ("ok", "eager"):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse(
        {"status": status, "database": database, "broker": broker, "worker": worker},
        status=200 if healthy else 503,
    )
