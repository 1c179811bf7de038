"""`python -m supervision ...` is the `supervision` command (`supervision run` serves through it)."""
from .cli import main

main()
