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
