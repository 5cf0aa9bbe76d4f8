import datetime

from coordination import services
from coordination.services import Participant, ProjectData
from tests.members.factories import OrganizationFactory, UserFactory


def make_project(*, organization=None, by=None, title="Public awareness campaign", activity_type="prevention",
                 locations=("KE-28",), beneficiaries=(), start=datetime.date(2007, 1, 1),
                 end=datetime.date(2007, 12, 31), status=2, funders=(), budget=None, currency="",
                 contact=None, sectors=(("15180", None),), decisions=None, **extra):
    """A project saved through the service (so its pairs are refreshed as in the pages)."""
    organization = organization or OrganizationFactory()
    contact = contact if contact is not None else UserFactory(organization=organization)
    data = ProjectData(
        title=title, activity_type=activity_type, status=status, planned_start=start, planned_end=end,
        locations=list(locations), beneficiaries=list(beneficiaries), budget=budget, currency=currency,
        contact=contact, sectors=list(sectors),
        funders=[f if isinstance(f, Participant) else Participant(organization=f) for f in funders], **extra,
    )
    return services.project_save(organization=organization, data=data, by=by or contact, decisions=decisions)


def data_of(project, **changes):
    data = ProjectData.of(project)
    for name, value in changes.items():
        setattr(data, name, value)
    return data
