"""Pages: board."""
from flask import Blueprint

bp = Blueprint("board", __name__)
