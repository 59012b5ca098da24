"""Fixtures of the worker tests: real workers started on demand (tests/integration/test_report_worker.py)."""

from tests.integration.test_report_worker import workers  # noqa: F401 - a fixture
