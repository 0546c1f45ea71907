"""The API for machines: JSON under /api/ (today the health check a load balancer polls)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
