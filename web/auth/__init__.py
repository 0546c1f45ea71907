"""Signing in and out of the cabinet (an e-mail address and a password), and who a request's cookie signs in."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")
