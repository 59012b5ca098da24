"""Files in object storage (issue 23): with STORAGE_BUCKET set, report PDFs and prepared
exports go to an S3 bucket through django-storages, and the web pages stream them back from
it, so any web server or worker sees them. Tested against moto's S3 server on loopback (real
HTTP, the S3 API), not a mocked client."""

import socket
from unittest import mock

import boto3
import pytest
import requests
from django.urls import reverse
from moto.server import ThreadedMotoServer

from send_qa.core import exports
from send_qa.core.exports import export_ask, export_kind, export_make
from send_qa.core.models import Export, Period, ensure_academic_year
from send_qa.reports import compile as compiling
from send_qa.reports.compile import report_compile
from send_qa.reports.models import Version
from tests.reports.factories import a_report

pytestmark = pytest.mark.django_db
BUCKET = "send-qa-files"
PDF = b"%PDF-1.7 a report compiled for the object storage test"


@pytest.fixture
def bucket(settings, tmp_path):
    """An S3 bucket on a server of this test's own, and the portal's files kept there."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    requests.post(f"{endpoint}/moto-api/reset", timeout=10)  # moto keeps its buckets per process
    keys = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2", **keys)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    settings.MEDIA_ROOT = tmp_path / "nothing-here"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "eu-west-2",
                "access_key": keys["aws_access_key_id"],
                "secret_key": keys["aws_secret_access_key"],
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield s3
    server.stop()


def objects(s3) -> dict[str, bytes]:
    listed = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


def test_a_compiled_report_is_kept_in_the_bucket_and_downloaded_from_it(
    bucket, people, client_for, settings
):
    version = Version.objects.create(report=a_report(), number=1)
    with mock.patch.object(compiling, "html_to_pdf", return_value=PDF):
        version = report_compile(version_id=version.pk)
    assert version.status == Version.Status.DONE, version.error
    assert objects(bucket) == {version.file: PDF}
    assert not settings.MEDIA_ROOT.exists(), "nothing on this machine's disk"
    answer = client_for(people.sendops).get(
        reverse("reports:version_pdf", kwargs={"version_uuid": version.uuid})
    )
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PDF


def test_a_prepared_export_is_kept_in_the_bucket_downloaded_and_removed(
    bucket, people, client_for, monkeypatch
):
    ensure_academic_year(2025)
    term = Period.objects.terms().first()
    monkeypatch.setattr(exports, "DIRECT_ROWS", 0)
    export = export_ask(
        kind=export_kind("audits"),
        fmt="csv",
        filters={"term": str(term.uuid)},
        by=people.sendops,
        queue=lambda pk: None,
    )
    export = export_make(export_id=export.pk)
    assert export.status == Export.Status.DONE
    kept = objects(bucket)
    assert list(kept) == [export.file]
    answer = client_for(people.sendops).get(
        reverse("core:export_download", kwargs={"export_uuid": export.uuid})
    )
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == kept[export.file]
    Export.objects.filter(pk=export.pk).update(requested_at=export.requested_at.replace(year=2000))
    assert exports.exports_remove_expired() == 1
    assert objects(bucket) == {}


def test_an_upload_waits_between_check_and_import_in_the_bucket(
    bucket, people, client_for, settings, django_capture_on_commit_callbacks
):
    from benchmarks.models import NeighbourSet
    from tests.benchmarks.layouts import NEIGHBOURS_EXCERPT, as_file

    client = client_for(people.sendops)
    url = reverse("benchmarks:neighbours_import")
    content = NEIGHBOURS_EXCERPT.read_bytes()
    checked = client.post(url, {"file": as_file(content, "lait.csv"), "release": "2025"})
    assert "Check before you import lait.csv" in checked.content.decode()
    kept = objects(bucket)
    assert list(kept.values()) == [content], "kept where any web server can confirm it"
    assert next(iter(kept)).startswith("staged/")
    assert not settings.MEDIA_ROOT.exists()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, {"confirm": "1"})
    assert saved.status_code == 302 and NeighbourSet.objects.get().release == "2025"
    assert objects(bucket) == {}, "removed once imported"


def test_uploads_never_confirmed_are_removed_after_two_days(bucket, settings):
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from send_qa.core.staging import staged_forget

    kept = default_storage.save("staged/dfe-imports/a.csv", ContentFile(b"la_code\n"))
    assert staged_forget() == 0 and default_storage.exists(kept)
    assert staged_forget(now=timezone.now() + datetime.timedelta(days=3)) == 1
    assert objects(bucket) == {}
    assert "forget_staged_uploads" in settings.CELERY_BEAT_SCHEDULE["forget-staged-uploads"]["task"]
