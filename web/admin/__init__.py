"""The operator's view of the system: the definitions' pages (each document kind's state machine)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates")
