"""The administrator's workplace: the council's settings, its committees and departments, failed effects and
e-mails, the audit log and its seals (each page the administrator's alone, `web.admin.guard`); and the
definitions' pages (each document kind's state machine)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates")
