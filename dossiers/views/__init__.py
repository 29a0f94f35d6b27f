"""HTML views of dossiers, one module per screen (see dossiers/urls.py)."""
