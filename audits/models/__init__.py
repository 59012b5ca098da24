from audits.models.advice import (
    Advice,
    AdviceReminder,
    AdviceService,
    AdviceStatus,
    Profession,
)
from audits.models.audits import (
    Answer,
    Audit,
    AuditImported,
    AuditIncomplete,
    AuditLocked,
    MissingAnswers,
)
from audits.models.moderation import ModerationSession, SampledPlan
from audits.models.plans import AgeBand, PlacementType, Plan, PrimaryNeed
from audits.models.templates import (
    ChecklistTemplate,
    PublishedTemplateError,
    TemplateItem,
    TemplateSection,
)

__all__ = [
    "Advice",
    "AdviceReminder",
    "AdviceService",
    "AdviceStatus",
    "ModerationSession",
    "Profession",
    "SampledPlan",
    "AgeBand",
    "Answer",
    "Audit",
    "AuditImported",
    "AuditIncomplete",
    "AuditLocked",
    "ChecklistTemplate",
    "MissingAnswers",
    "PlacementType",
    "Plan",
    "PrimaryNeed",
    "PublishedTemplateError",
    "TemplateItem",
    "TemplateSection",
]
