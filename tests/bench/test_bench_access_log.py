"""The benchmark county's access log: a million events at scale 1, in proportion otherwise,
by its people and of its records, for the access log's pages to be searched and paged."""

import pytest
from django.db.models import Count

from audits.models import Audit, Plan
from bench import county as county_module
from bench import measure
from send_qa.core.models import AccessEvent

pytestmark = pytest.mark.django_db
SCALE = 0.003


def test_the_county_logs_its_peoples_events_in_proportion_and_the_log_is_searched(tmp_path):
    county = county_module.build(scale=SCALE, folder=tmp_path)
    written = AccessEvent.objects.exclude(address=None)  # the bench's, not the seeding's
    assert written.count() == round(county_module.ACCESS_EVENTS * SCALE)
    kinds = dict(written.values_list("kind").annotate(n=Count("pk")))
    assert kinds["record_viewed"] > kinds["sign_in_failed"] > 0
    viewed = written.filter(kind=AccessEvent.Kind.RECORD_VIEWED)
    records = {str(u) for u in Audit.objects.values_list("uuid", flat=True)}
    records |= {str(u) for u in Plan.objects.values_list("uuid", flat=True)}
    assert set(viewed.values_list("reference", flat=True)) <= records
    assert not written.filter(kind=AccessEvent.Kind.SIGN_IN_FAILED, username="").exists()
    pages = {name: url for name, _, url in measure.key_pages(county)}
    assert pages["Access log, search by person"].endswith("?person=auditor%40demo")
    assert "before=" in pages["Access log, unfiltered, halfway down"]
    record = pages["Access log, search by record"].split("record=")[1]
    assert viewed.filter(reference=record).exists()
