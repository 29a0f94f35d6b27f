"""Models of the inspections app (DOMAIN.md §6), one module per topic.

groups: the province's departments and its working groups; visits: a visit, the communes visited
with their frozen figures, findings and proposals; directives: the tasks assigned after a visit
and their progress notes. Everything is written by inspections.services and read through
inspections.querysets' `visible_to(user)`.
"""

from .directives import Directive, DirectiveProgress
from .groups import Department, WorkingGroup, WorkingGroupMember
from .visits import Finding, Proposal, Visit, VisitedCommune

__all__ = [
    "Department",
    "Directive",
    "DirectiveProgress",
    "Finding",
    "Proposal",
    "Visit",
    "VisitedCommune",
    "WorkingGroup",
    "WorkingGroupMember",
]
