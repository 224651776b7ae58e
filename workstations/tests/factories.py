"""factory_boy factories of workstations."""

import factory

from members.tests.factories import CommitteeFactory
from workstations.models import Street, Tier, Workstation


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"测试{n}街道")


class WorkstationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstation

    committee = factory.SubFactory(CommitteeFactory)
    tier = Tier.STATION
    street = factory.LazyAttribute(lambda o: StreetFactory(committee=o.committee))
    name = factory.LazyAttribute(lambda o: f"{o.street.name}委员工作站")
