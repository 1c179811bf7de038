"""Pages: home."""
from flask import Blueprint

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    return "home"
