"""The Celery app. Tasks are thin: they take record ids and call plain functions.

Defaults that make background jobs safe (see settings): tasks are acknowledged
late and rejected when a worker dies, so a killed worker's job is delivered
again; hard and soft time limits stop runaway jobs; the beat schedule lives in
settings.CELERY_BEAT_SCHEDULE for the periodic jobs later features add.
"""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_qa.settings")

app = Celery("send_qa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _pdf_ready(**kwargs: object) -> None:
    """A worker's first report compiles as fast as its later ones: WeasyPrint, which the web
    processes never import, is loaded as the worker starts (send_qa.reports.compile)."""
    import send_qa.reports.pdf  # noqa: F401, PLC0415
