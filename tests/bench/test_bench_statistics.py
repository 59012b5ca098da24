"""The bench county's build ends by clearing the dead row versions its updates left, so the
bench times the register's index scans as on a vacuumed county, not past a table of dead rows."""

import pytest
from django.db import connection

from audits.models import Plan
from bench import county as county_module
from tests.audits.factories import PlanFactory


def _plans_vacuumed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
            [Plan._meta.db_table],
        )
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_build_vacuums_and_analyses():
    PlanFactory.create_batch(3)
    county_module.statistics_fresh()
    assert _plans_vacuumed()


@pytest.mark.django_db
def test_inside_a_transaction_it_only_analyses():
    PlanFactory()
    county_module.statistics_fresh()  # VACUUM here would raise: it cannot run in a transaction
