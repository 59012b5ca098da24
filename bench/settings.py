"""The portal's settings plus the benchmark's trivial page (for the load test's baseline)."""

from send_qa.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
