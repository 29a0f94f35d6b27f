"""Models of the dossiers app, one module per topic."""

from .dossiers import DailyCounter, Dossier, DossierEvent, id_number_validator, phone_validator
from .figures import DailyFigures, DailyProcedureFigures, FiguresBacklog, ProvinceTargets, WalkInVisits
from .procedures import Procedure, procedure_code_validator

__all__ = [
    "DailyCounter",
    "DailyFigures",
    "DailyProcedureFigures",
    "Dossier",
    "DossierEvent",
    "FiguresBacklog",
    "Procedure",
    "ProvinceTargets",
    "WalkInVisits",
    "id_number_validator",
    "phone_validator",
    "procedure_code_validator",
]
