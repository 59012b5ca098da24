"""The password policy: at least 12 characters, not common, not like the person, not all numbers."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(
        email="samira.khan@example.org", full_name="Samira Khan", job_title="EHC coordinator"
    )


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pass1", "too short"),
        ("password1234", "too common"),
        ("827364918273", "entirely numeric"),
        ("samira.khan@example", "too similar to the email address"),
        ("SamiraKhan2026", "too similar to the full name"),
        ("ehccoordinator", "too similar to the job title"),
    ],
)
def test_weak_passwords_are_refused(person, password, reason):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, person)
    assert any(reason in message for message in refused.value.messages)


def test_a_long_uncommon_password_is_accepted(person):
    validate_password("correct horse battery staple", person)
