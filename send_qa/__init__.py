"""The SEND QA portal project: settings, root URLs and the Celery app."""

from send_qa.celery import app as celery_app

__all__ = ["celery_app"]
