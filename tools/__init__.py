"""Outils du blog (construction, vérification) lancés avec `python -m tools.<outil>`."""
