"""WSGI entry point (gunicorn send_qa.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_qa.settings")
application = get_wsgi_application()
