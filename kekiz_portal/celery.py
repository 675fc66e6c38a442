import logging
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekiz_portal.settings")

logger = logging.getLogger(__name__)

app = Celery("kekiz_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Packages whose tasks live in a tasks module of a sub-package, not of the app itself.
app.autodiscover_tasks(["monitoring.imports", "monitoring.reports"])
app.autodiscover_tasks(["funding"], related_name="tasks_documents")
app.autodiscover_tasks(["funding"], related_name="tasks_payments")
for _part in ("tasks_documents", "tasks_offerings"):
    app.autodiscover_tasks(["prevention_chains"], related_name=_part)


@worker_process_init.connect
def warm_up_pdf_rendering(**kwargs):
    """Render one tiny PDF with the print stylesheet when a worker process starts: WeasyPrint
    decodes the stylesheet's fonts once per process (accounts.pdf keeps them), which costs
    2–3 s – paid here instead of by the first Bescheid a user waits for."""
    from accounts.pdf import render_pdf

    try:
        render_pdf("pdf/base.html", {})
    except Exception:
        # Only a head start: the first real document decodes the fonts itself if this fails.
        logger.warning("PDF warm-up failed", exc_info=True)
