"""Pages: sessions."""
from flask import Blueprint

bp = Blueprint("sessions", __name__)


@bp.route("/sessions")
def index():
    return "sessions"
