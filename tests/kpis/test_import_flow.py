"""The web import's two steps: the file is read and checked once, its checked rows kept for the
confirmation (bound to the person, for a while), written once, never over a change made since
the preview, and all or nothing."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpis import imports
from kpis.models import Measurement, StagedImport, StagedValue
from send_qa.core.roles import Role
from tests.factories import UserFactory
from tests.kpis.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

HEADER = "indicator_code,period_start,period_end,area,value\n"


@pytest.fixture
def indicator():
    return IndicatorFactory(code="EHCP_20WK")


def file_of(rows: int, value: str = "55") -> SimpleUploadedFile:
    body = HEADER + "".join(
        f"EHCP_20WK,2026-09-01,2026-12-31,la:{800 + n},{value}\n" for n in range(rows - 1)
    )
    body += f"EHCP_20WK,2026-09-01,2026-12-31,local,{value}\n"
    return SimpleUploadedFile("values.csv", body.encode())


def preview(client, upload: SimpleUploadedFile):
    response = client.post(reverse("kpis:import"), {"file": upload})
    assert response.status_code == 200
    return response.content.decode()


def confirm(client, **extra: str):
    return client.post(reverse("kpis:import"), {"confirm": "1", **extra}, follow=True)


def test_the_file_is_read_and_checked_once_across_preview_and_confirmation(
    indicator, people, client_for, monkeypatch
):
    MeasurementFactory(indicator=indicator, value=Decimal("40"))
    calls = {"read": 0, "check": 0}
    read, check = imports.read_table, imports._checked

    def counted_read(*args, **kwargs):
        calls["read"] += 1
        return read(*args, **kwargs)

    def counted_check(*args, **kwargs):
        calls["check"] += 1
        return check(*args, **kwargs)

    monkeypatch.setattr("kpis.views.manage.read_table", counted_read)
    monkeypatch.setattr(imports, "_checked", counted_check)
    client = client_for(people.sendops)
    assert "2 values will be added, 1 updated" in preview(client, file_of(3))
    assert StagedValue.objects.count() == 3
    done = confirm(client).content.decode()
    assert "2 values added, 1 updated" in done
    assert calls == {"read": 1, "check": 1}
    assert Measurement.objects.get(area="local").value == Decimal("55")
    assert not StagedValue.objects.exists()  # the checked rows are not kept once written


def test_a_second_confirmation_imports_nothing(indicator, people, client_for):
    client = client_for(people.sendops)
    preview(client, file_of(2))
    staged = StagedImport.objects.get()
    confirm(client)
    session = client.session
    session["kpi_import"] = str(staged.token)  # as a second tab or a resend would hold it
    session.save()
    again = confirm(client).content.decode()
    assert "has been imported already" in again
    assert Measurement.objects.count() == 2
    assert Measurement.history.count() == 2
    assert StagedImport.objects.get().imported_at is not None


def test_the_same_confirmation_posted_twice_imports_once(indicator, people, client_for):
    client = client_for(people.sendops)
    preview(client, file_of(2))
    token = str(uuid.uuid4())
    first = confirm(client, submission=token)
    second = confirm(client, submission=token)
    assert first.redirect_chain[-1][0] == second.redirect_chain[-1][0] == reverse("kpis:scorecard")
    assert Measurement.history.count() == 2


def test_a_value_changed_since_the_preview_is_not_written_over(indicator, people, client_for):
    stored = MeasurementFactory(indicator=indicator, value=Decimal("40"))
    client = client_for(people.sendops)
    preview(client, file_of(2))
    stored.value = Decimal("45")  # a colleague corrects it meanwhile
    stored.save()
    refused = confirm(client)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Nothing was imported: the stored values changed since you checked" in html
    assert "1 value will be added, 1 updated" in html
    stored.refresh_from_db()
    assert stored.value == Decimal("45")
    assert Measurement.objects.count() == 1
    done = confirm(client).content.decode()  # confirmed again, having seen it: written
    assert "1 values added, 1 updated" in done
    stored.refresh_from_db()
    assert stored.value == Decimal("55")
    assert [h.value for h in stored.history.order_by("history_date")] == [
        Decimal("40"),
        Decimal("45"),
        Decimal("55"),
    ]


def test_a_value_added_since_the_preview_is_not_written_over(indicator, people, client_for):
    client = client_for(people.sendops)
    preview(client, file_of(2))
    MeasurementFactory(indicator=indicator, value=Decimal("45"))
    html = confirm(client).content.decode()
    assert "the stored values changed since you checked" in html
    assert Measurement.objects.get().value == Decimal("45")


def test_staged_rows_expire(indicator, people, client_for):
    client = client_for(people.sendops)
    preview(client, file_of(2))
    StagedImport.objects.update(checked_at=timezone.now() - imports.STAGED_FOR)
    html = confirm(client).content.decode()
    assert "The checked file has expired. Upload it again." in html
    assert not Measurement.objects.exists()
    assert imports.staged_imports_forget() == 1
    assert not StagedValue.objects.exists()
    kept = imports.staged_imports_forget(now=timezone.now() + datetime.timedelta(minutes=1))
    assert kept == 0


def test_staged_rows_are_only_for_who_checked_them(indicator, people, client_for):
    client_for(people.sendops).post(reverse("kpis:import"), {"file": file_of(2)})
    staged = StagedImport.objects.get()
    colleague = UserFactory(roles=[Role.SENDOPS])
    other = client_for(colleague)
    session = other.session
    session["kpi_import"] = str(staged.token)  # even holding the token
    session.save()
    html = confirm(other).content.decode()
    assert "The checked file has expired" in html
    assert not Measurement.objects.exists()
    assert imports.staged_import_for(colleague, str(staged.token)) is None
    assert imports.staged_import_for(people.sendops, "not a token") is None


def test_a_failure_while_writing_leaves_nothing_half_saved(
    indicator, people, client_for, monkeypatch
):
    stored = MeasurementFactory(indicator=indicator, value=Decimal("40"))
    client = client_for(people.sendops)
    preview(client, file_of(3))

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(imports, "query_update_with_history", broken)  # after the insert ran
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        confirm(client)
    stored.refresh_from_db()
    assert stored.value == Decimal("40")
    assert stored.history.count() == 1
    assert Measurement.objects.count() == 1
    staged = StagedImport.objects.get()
    assert staged.imported_at is None and StagedValue.objects.count() == 3


def test_the_direct_import_is_all_or_nothing(indicator, monkeypatch):
    stored = MeasurementFactory(indicator=indicator, value=Decimal("40"))

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(imports, "query_update_with_history", broken)  # after the insert ran
    frame = imports.read_table(file_of(3).file, "values.csv")
    with pytest.raises(RuntimeError):
        imports.measurements_import(frame)
    stored.refresh_from_db()
    assert (stored.value, stored.history.count(), Measurement.objects.count()) == (
        Decimal("40"),
        1,
        1,
    )


def queries_of(client, data: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("kpis:import"), data)
    return len(queries.captured_queries)


@pytest.mark.parametrize("step", ["preview", "confirm"])
def test_each_step_runs_a_fixed_number_of_queries(indicator, people, client_for, step):
    counts = []
    for rows in (2, 40):
        Measurement.objects.all().delete()
        MeasurementFactory(indicator=indicator, value=Decimal("40"))
        client = client_for(people.sendops)
        if step == "preview":
            counts.append(queries_of(client, {"file": file_of(rows)}))
        else:
            preview(client, file_of(rows, value="56"))
            counts.append(queries_of(client, {"confirm": "1"}))
            assert Measurement.objects.count() == rows
    assert counts[0] == counts[1]


def test_an_xlsx_upload_is_staged_and_imported_the_same_way(indicator, people, client_for):
    import io

    import pandas as pd

    buffer = io.BytesIO()
    pd.DataFrame(
        [
            {
                "indicator_code": "EHCP_20WK",
                "period_start": "2026-09-01",
                "period_end": "2026-12-31",
                "area": "england",
                "value": 48.25,
            }
        ]
    ).to_excel(buffer, index=False)
    client = client_for(people.sendops)
    upload = SimpleUploadedFile("values.xlsx", buffer.getvalue())
    assert "1 value will be added, 0 updated" in preview(client, upload)
    assert "1 values added, 0 updated" in confirm(client).content.decode()
    assert Measurement.objects.get().value == Decimal("48.25")


def test_checked_files_never_confirmed_are_forgotten_by_the_hourly_beat_task(
    indicator, people, client_for, settings
):
    from kpis.tasks import forget_staged_imports

    preview(client_for(people.sendops), file_of(2))
    StagedImport.objects.update(checked_at=timezone.now() - imports.STAGED_FOR)
    entry = settings.CELERY_BEAT_SCHEDULE["forget-staged-kpi-imports"]
    assert entry["task"] == forget_staged_imports.name
    assert forget_staged_imports() == 1
    assert not StagedImport.objects.exists() and not StagedValue.objects.exists()
