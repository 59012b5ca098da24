"""pandas, NumPy and openpyxl are imported when first used, not when the portal starts
(send_qa/core/lazy.py): a web server, worker or command starts a second sooner."""

import subprocess
import sys
from pathlib import Path

from send_qa.core.lazy import lazy_module

ROOT = Path(__file__).resolve().parents[2]
STARTED = """
import sys, django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as a web server's first request loads them
import send_qa.celery  # and every task module, as a worker loads them
print(sorted(name for name in ("pandas", "numpy", "openpyxl") if name in sys.modules))
"""


def test_a_started_portal_has_not_imported_the_table_libraries():
    started = subprocess.run(
        [sys.executable, "-c", STARTED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "send_qa.settings", "DJANGO_DEBUG": "1", "PATH": ""},
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.split("\n")[-2] == "[]"


def test_a_lazy_module_is_the_module_at_its_first_use():
    json = lazy_module("json")
    assert json.dumps({"a": 1}) == '{"a": 1}'
    assert json.JSONDecodeError is __import__("json").JSONDecodeError
