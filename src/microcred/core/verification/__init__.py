"""Verification: one report of named checks for a credential or presentation."""
