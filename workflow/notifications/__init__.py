"""Telling people what happened: in-app notifications, and the e-mail queue they are delivered through."""
