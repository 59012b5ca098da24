from audits.models.audits import Answer, Audit, AuditConflict, AuditIncomplete, AuditLocked
from audits.models.plans import AgeBand, PlacementType, Plan, PrimaryNeed
from audits.models.templates import (
    ChecklistTemplate,
    PublishedTemplateError,
    TemplateItem,
    TemplateSection,
)

__all__ = [
    "AgeBand",
    "Answer",
    "Audit",
    "AuditConflict",
    "AuditIncomplete",
    "AuditLocked",
    "ChecklistTemplate",
    "PlacementType",
    "Plan",
    "PrimaryNeed",
    "PublishedTemplateError",
    "TemplateItem",
    "TemplateSection",
]
