"""Pages: families."""
from flask import Blueprint

bp = Blueprint("families", __name__)


@bp.route("/families")
def index():
    return "families"
