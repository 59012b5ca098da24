"""Checklist template JSON given random and malicious values: a valid template, or problems
that say where, and nothing saved. Never an unhandled error."""

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audits.models import ChecklistTemplate, TemplateItem, TemplateSection
from audits.template_io import TemplateFormatError, template_import
from tests.audits.factories import SMALL_TEMPLATE
from tests.strategies import checked, nasty_text

pytestmark = pytest.mark.django_db

CHECKED = checked(100)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | nasty_text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(nasty_text(10), children, max_size=3)
    ),
    max_leaves=6,
)


def paths(value, here=()):
    yield here
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*here, index))


def replaced(data, path, new):
    data = copy.deepcopy(data)
    if not path:
        return new
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return data


def counts():
    return [m.objects.count() for m in (ChecklistTemplate, TemplateSection, TemplateItem)]


def import_or_refuse(data) -> None:
    data = json.loads(json.dumps(data))  # only what a JSON file can hold
    before = counts()
    try:
        template, _ = template_import(data, publish=False)
    except TemplateFormatError as error:
        assert error.messages and all(m.strip() for m in error.messages)
        assert counts() == before
        return
    template.full_clean()
    for section in template.sections.all():
        section.full_clean()
        for item in section.items.all():
            item.full_clean()


@CHECKED
@given(data=st.data(), new=json_values)
def test_any_change_to_a_template_is_imported_validly_or_refused(data, new):
    everywhere = list(paths(SMALL_TEMPLATE))
    path = data.draw(st.sampled_from(everywhere))
    changed = replaced(SMALL_TEMPLATE, path, new)
    if isinstance(changed, dict):
        changed["version"] = changed.get("version") if path[:1] == ("version",) else 7
    import_or_refuse(changed)


@CHECKED
@given(data=json_values)
def test_any_json_is_refused_or_imported(data):
    import_or_refuse(data)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("name",), "x" * 500),
        (("version",), 10**12),
        (("sections", 0, "code"), "x" * 50),
        (("sections", 0, "items", 0, "code"), "y" * 50),
        (("sections", 0, "items", 0, "scale", "max"), 10**12),
        (("sections", 0, "items", 1, "weight"), "1e10"),
        (("sections", 0, "items", 1, "weight"), "NaN"),
        (("sections", 0, "items", 1, "weight"), "Infinity"),
        (("grade_bands", 0, "min_percent"), "NaN"),
        (("grade_bands", 0, "min_percent"), "Infinity"),
        (("sections", 0, "items", 0, "scale", "labels"), ["1", "2"]),
        (("sections",), [1, "two", None]),
        (("sections", 0, "items"), [[], {}]),
        (("grade_bands",), "Good"),
        (("grade_bands",), None),  # found by hypothesis: a null list of bands was a server error
        (("overall_rating",), "Rate it"),
        (("subject",), ["ehcp"]),
        (("sections", 0, "title"), "<script>alert(1)</script>"),
        (
            ("sections", 0, "items", 1),
            {
                "code": "C1",
                "text": "Pick",
                "kind": "choice",
                "choices": [{"value": "v" * 51, "label": "Long"}],
            },
        ),
        (
            ("sections", 0, "items", 1),
            {
                "code": "C1",
                "text": "Pick",
                "kind": "choice",
                "choices": [{"value": 3, "label": "Number"}],
            },
        ),
    ],
)
def test_edge_values_are_imported_validly_or_refused(path, value):
    data = replaced(SMALL_TEMPLATE, path, value)
    data["version"] = data["version"] if path == ("version",) else 9
    import_or_refuse(data)


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000, b"\xff\xfe{", b'{"name": NaN}', b"<script>alert(1)</script>", b""],
)
def test_the_upload_form_refuses_what_is_not_a_template(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from audits.forms import TemplateUploadForm

    form = TemplateUploadForm(data={}, files={"file": SimpleUploadedFile("t.json", content)})
    if form.is_valid():
        with pytest.raises(TemplateFormatError):
            template_import(form.cleaned_data["file"], publish=False)
    else:
        assert form.errors["file"]


def test_a_choice_value_longer_than_an_answer_can_hold_is_refused():
    """An answer keeps its choice in 50 characters, so a longer value would fail on saving."""
    item = {
        "code": "C1",
        "text": "Pick",
        "kind": "choice",
        "choices": [{"value": "v" * 51, "label": "Long"}],
    }
    data = replaced(SMALL_TEMPLATE, ("sections", 0, "items", 1), item)
    with pytest.raises(TemplateFormatError) as caught:
        template_import(data, publish=False)
    assert caught.value.messages == [
        "sections[0].items[1].choices[0].value: at most 50 characters (it has 51); shorten it"
    ]
