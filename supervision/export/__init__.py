"""Word records of a session: per family for the case file, and the team's minutes."""
