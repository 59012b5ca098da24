"""WSGI entry point (gunicorn send_qa.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application


def tune_garbage_collector() -> None:
    """A page such as a 300-action tracker makes hundreds of thousands of short-lived objects.
    With Python's default thresholds they set off full collections every few requests, each
    adding over 100 ms to that request (docs/performance.md). Objects loaded at start-up are
    moved out of the collector's sight, and it runs less often; reference counting still frees
    almost everything at once."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_qa.settings")
application = get_wsgi_application()
tune_garbage_collector()
