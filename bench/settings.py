"""The portal's settings plus the benchmark's trivial page (for the load test's baseline)."""

from send_qa.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The bench serves static files through the finders (STATIC_MANIFEST=false, no collectstatic):
# without a STATIC_ROOT, WhiteNoise does not warn in every gunicorn worker that it is missing.
STATIC_ROOT = None
