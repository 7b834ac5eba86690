"""Audit: prove that a workbook computes the method (static comparison with the generator's
reference, then the covering set recalculated in real engines and compared with the scorer)."""

from medrisk_xl.audit.audit_report import AuditReport, FileAudit
from medrisk_xl.audit.run import audit, audit_file

__all__ = ["AuditReport", "FileAudit", "audit", "audit_file"]
