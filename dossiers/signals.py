"""Signals other apps listen to. Sent after commit, with ids and dates only (no personal data)."""

from django.dispatch import Signal

#: A dossier was received, moved or imported. kwargs: commune_id (int), since (date: the earliest
#: local day whose figures the change affects). The statistics recompute from there.
dossier_changed = Signal()
