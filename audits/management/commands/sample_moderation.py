"""Draw a moderation sample from the command line and print it with its strata table."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audits.models import Plan
from audits.moderation import SamplingError, candidates, sampling_pool
from audits.sampling import draw_sample
from send_qa.core.models import Period


class Command(BaseCommand):
    help = (
        "Draw a stratified random sample of plans (docs/moderation.md) and print it with its "
        "strata table. With --term, from the plans audited in that term; otherwise from all "
        "active plans. Nothing is saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=6, help="How many plans (default 6).")
        parser.add_argument(
            "--seed", type=int, required=True, help="The same seed, the same sample."
        )
        parser.add_argument("--term", help="A term's name, e.g. 'Autumn term 2026/27', or its id.")

    def handle(
        self, *args: object, size: int, seed: int, term: str | None, **options: object
    ) -> None:
        period = _term(term) if term else None
        pool = candidates(sampling_pool(term=period))
        try:
            sample = draw_sample(pool, size=size, seed=seed)
        except SamplingError as error:
            raise CommandError(str(error)) from None
        plans = Plan.objects.in_bulk(sample.plan_ids)
        source = f"plans audited in {period.name}" if period else "all active plans"
        self.stdout.write(
            f"Sample of {len(sample.plan_ids)} from {sample.population} {source} (seed {seed}):"
        )
        self.stdout.write(f"{'#':>3}  {'case reference':<20} {'need':<5} {'age':<6} placement")
        for order, plan_id in enumerate(sample.plan_ids, start=1):
            plan = plans[plan_id]
            self.stdout.write(
                f"{order:>3}  {plan.case_reference:<20} {plan.primary_need:<5} "
                f"{plan.age_band or '-':<6} {plan.get_placement_type_display()}"
            )
        self.stdout.write("")
        self.stdout.write(f"{'stratum':<16} {'value':<36} {'pool':>5} {'places':>6} {'drawn':>5}")
        for row in sample.strata:
            quota = "" if row.quota is None else str(row.quota)
            self.stdout.write(
                f"{row.dimension:<16} {(row.value or 'Not recorded'):<36} "
                f"{row.population:>5} {quota:>6} {row.drawn:>5}"
            )


def _term(value: str) -> Period:
    terms = Period.objects.terms()
    found = terms.filter(pk=int(value)).first() if value.isdigit() else None
    found = found or terms.filter(name__iexact=value).first()
    if found is None:
        names = ", ".join(terms.order_by("-start").values_list("name", flat=True)[:6])
        raise CommandError(f"No term called {value!r}. Use a term's name, such as: {names}.")
    return found
