"""Persistence: SQLAlchemy models and the queries that keep to the team boundary."""
