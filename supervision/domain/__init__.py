"""The rules of group supervision, in plain Python: no Flask, no SQLAlchemy."""
