"""The cabinet: a signed-in person's work and notifications, and the document page every notification links to,
with its actions and files."""

from flask import Blueprint

bp = Blueprint("cabinet", __name__, template_folder="templates")
