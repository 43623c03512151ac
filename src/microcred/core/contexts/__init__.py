"""Pinned JSON-LD context documents (package data); ``index.json`` maps each URL to its file."""
