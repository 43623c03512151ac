"""Relational storage: SQLAlchemy 2 tables, SQLite and PostgreSQL engines, Alembic migrations."""
