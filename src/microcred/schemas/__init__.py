"""The public forms of the platform's resources: what the HTTP API returns and the CLI prints
with ``--json``, as pydantic models built from what the services return (ORM rows, results).

A layer of its own between the entry points (``api``, ``cli``) and ``services``: both entry
points show the same forms, and they never import each other.
"""
