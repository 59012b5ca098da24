"""Every import page refuses a file that is not what it claims with a message naming it, saves
nothing and never fails with a server error, whatever bytes are posted."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from audits.models import Plan
from kpis.models import Measurement
from tests.strategies import checked
from tests.wsoa.factories import ActionPlanFactory
from wsoa.models import Action, Weakness

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (2 * 1024 * 1024))
    return buffer.getvalue()


BAD_FILES = [
    ("values.xlsx", HTML, "values.xlsx is named as an Excel workbook (.xlsx) but it is a web page"),
    ("values.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "values.csv is named as a text or CSV"),
    ("values.csv", "a,b\nCafé,1\n".encode("latin-1"), "values.csv is not saved as UTF-8 text"),
    ("values.csv", "a,b\n1,2\n".encode("utf-16"), "values.csv is saved as UTF-16 text"),
    ("bomb.xlsx", bomb(), "bomb.xlsx unpacks to 2 MB, more than the 1 MB allowed"),
]


def stored() -> list[int]:
    return [model.objects.count() for model in (Plan, Measurement, Weakness, Action)]


@pytest.fixture
def pages(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    plan = ActionPlanFactory()
    return [
        reverse("audits:plan_import"),
        reverse("kpis:import"),
        reverse("wsoa:actions_upload", kwargs={"plan_uuid": plan.uuid}),
    ]


@pytest.mark.parametrize(("name", "data", "said"), BAD_FILES)
def test_every_import_page_refuses_a_file_that_is_not_what_it_claims(
    pages, people, client_for, settings, name, data, said
):
    client = client_for(people.sendops)
    before = stored()
    for url in pages:
        response = client.post(url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 200, url
        assert escape(said) in response.content.decode(), url
        assert stored() == before
    assert not any(settings.MEDIA_ROOT.rglob("*.*"))  # nothing kept on disk either


@checked(50)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: ("case_reference,primary_need\n" + t).encode()),
    ),
    name=st.sampled_from(["plans.csv", "plans.xlsx", "plans.txt", "../../plans.csv", "p\x00.csv"]),
)
def test_any_upload_is_a_page_not_a_server_error(pages, people, client_for, data, name):
    client = client_for(people.sendops)
    before = stored()
    response = client.post(pages[0], {"file": SimpleUploadedFile(name, data)})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert stored() == before
