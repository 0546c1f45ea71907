"""How long what people type may be: checked by the engine whoever calls it, and told by the forms."""

from __future__ import annotations

#: a move's comment (a reviewer's remarks, the reason for a return): pages of text, not a book
COMMENT = 10_000
#: a document's title
TITLE = 500
#: one text among a document's fields: a decision's body (its annexes are files), an answer to a citizen
FIELD_TEXT = 100_000
#: the largest file attached to a draft (the request as a whole is limited by RADAFLOW_MAX_REQUEST_MB)
ATTACHMENT_BYTES = 20 * 1024 * 1024
