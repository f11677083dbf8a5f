"""All models, imported here so that Alembic and the app see one metadata."""

from zi_public.models.account_link import AccountLink, LinkPurpose
from zi_public.models.attachment import Attachment, AttachmentVariant, HasAttachments
from zi_public.models.audit import GENESIS_HASH, AuditEntry
from zi_public.models.benturan import (
    ConflictDeclaration,
    ConflictDeclarationEvent,
    ConflictMapping,
    ConflictMappingChange,
)
from zi_public.models.calendar import WorkdayOverride
from zi_public.models.counter import CaseCounter
from zi_public.models.evaluation import FollowUpItem, PeriodEvaluation, PeriodEvaluationVersion
from zi_public.models.gratifikasi import GratifikasiCustody, GratifikasiEvent, GratifikasiReport, UpgCampaignActivity
from zi_public.models.kiosk import KioskDevice
from zi_public.models.login_throttle import LoginThrottle
from zi_public.models.outbox import MailStatus, OutboxMail
from zi_public.models.pengaduan import Pengaduan, PengaduanEvent
from zi_public.models.pengaduan_stats import PengaduanStatDays, PengaduanStatMonth
from zi_public.models.perception import (
    PerceptionAnswer,
    PerceptionImport,
    PerceptionItem,
    PerceptionQuestionnaire,
    PerceptionResponse,
)
from zi_public.models.reference import Bidang, Category, Layanan
from zi_public.models.setting import Setting
from zi_public.models.skm import (
    MaklumatPelayanan,
    SkmFollowUpItem,
    SkmImport,
    SkmPopulation,
    SkmResponse,
    StandarPelayanan,
)
from zi_public.models.user import Role, User
from zi_public.models.wbs import (
    WbsCategory,
    WbsMessage,
    WbsReport,
    WbsReporterSession,
    WbsSocialisation,
    WbsUnsealRequest,
)
from zi_public.models.wbs_audit import WbsAuditQueue
from zi_public.models.wbs_stats import WbsStatDays, WbsStatQuarter

__all__ = [
    "GENESIS_HASH",
    "AccountLink",
    "Attachment",
    "AttachmentVariant",
    "AuditEntry",
    "Bidang",
    "CaseCounter",
    "Category",
    "ConflictDeclaration",
    "ConflictDeclarationEvent",
    "ConflictMapping",
    "ConflictMappingChange",
    "FollowUpItem",
    "GratifikasiCustody",
    "GratifikasiEvent",
    "GratifikasiReport",
    "HasAttachments",
    "KioskDevice",
    "Layanan",
    "LinkPurpose",
    "LoginThrottle",
    "MailStatus",
    "MaklumatPelayanan",
    "OutboxMail",
    "Pengaduan",
    "PengaduanEvent",
    "PengaduanStatDays",
    "PengaduanStatMonth",
    "PerceptionAnswer",
    "PerceptionImport",
    "PerceptionItem",
    "PerceptionQuestionnaire",
    "PerceptionResponse",
    "PeriodEvaluation",
    "PeriodEvaluationVersion",
    "Role",
    "Setting",
    "SkmFollowUpItem",
    "SkmImport",
    "SkmPopulation",
    "SkmResponse",
    "StandarPelayanan",
    "UpgCampaignActivity",
    "User",
    "WbsAuditQueue",
    "WbsCategory",
    "WbsMessage",
    "WbsReport",
    "WbsReporterSession",
    "WbsSocialisation",
    "WbsStatDays",
    "WbsStatQuarter",
    "WbsUnsealRequest",
    "WorkdayOverride",
]
