import factory

from wsoa.access import lead_set
from wsoa.models import Action, ActionPlan, RagKey, Weakness


def status(name: str):
    return RagKey.seed_default().statuses.get(name=name)


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    name = factory.Sequence(lambda n: f"Written Statement of Action {n}")
    rag_key = factory.LazyFunction(RagKey.seed_default)


class WeaknessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Weakness

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Inaccurate and incomplete records, and ineffective oversight."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    weakness = factory.SubFactory(WeaknessFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    text = "Review all EHCP records and update them."
    initial_status = factory.LazyFunction(lambda: status("Red"))
    status = factory.LazyAttribute(lambda o: o.initial_status)

    @factory.post_generation
    def led_by(self, create, extracted, **kwargs):
        if create and extracted:
            lead_set(self, extracted)


def rag_key_post(plan, names, *, added=None):
    """What the RAG key page posts: the plan's statuses renamed to `names` (worst first), and
    `added` (name, definition, colour, counts as done) as a new last status if given."""
    statuses = list(plan.rag_key.statuses.rated())
    data = {
        "status-TOTAL_FORMS": str(len(statuses) + (1 if added else 0)),
        "status-INITIAL_FORMS": str(len(statuses)),
        "status-MIN_NUM_FORMS": "0",
        "status-MAX_NUM_FORMS": "1000",
    }
    for n, (found, name) in enumerate(zip(statuses, names, strict=True)):
        data |= {
            f"status-{n}-id": found.pk,
            f"status-{n}-name": name,
            f"status-{n}-definition": found.definition,
            f"status-{n}-colour": found.colour,
        }
        if found.counts_as_done:
            data[f"status-{n}-counts_as_done"] = "on"
    if added:
        name, definition, colour, done = added
        n = len(statuses)
        data |= {
            f"status-{n}-name": name,
            f"status-{n}-definition": definition,
            f"status-{n}-colour": colour,
        }
        if done:
            data[f"status-{n}-counts_as_done"] = "on"
    return data
