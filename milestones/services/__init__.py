"""Writes of the milestones app, one module per subject (import from the module itself)."""
