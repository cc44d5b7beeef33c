"""Parsers of published files into plain rows and errors with line numbers; no database writes."""
