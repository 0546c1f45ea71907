"""The web application: cabinets, the public portal and the API, on the workflow engine."""

from web.app import create_app

__all__ = ["create_app"]
