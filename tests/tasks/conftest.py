"""The real processes the tasks' tests use, as fixtures: an SMTP server and a Redis of the test's own."""

from tests.processes import mailbox, redis_server  # noqa: F401 (fixtures)
