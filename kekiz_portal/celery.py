import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekiz_portal.settings")

app = Celery("kekiz_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Packages whose tasks live in a tasks module of a sub-package, not of the app itself.
app.autodiscover_tasks(["monitoring.imports", "monitoring.reports"])
app.autodiscover_tasks(["funding"], related_name="tasks_documents")
app.autodiscover_tasks(["funding"], related_name="tasks_payments")
