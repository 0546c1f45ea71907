"""What a committee meeting's protocol says: the committee, when and where it met, who was present and whether
it had its quorum, the papers considered with the conclusion on each, and every roll-call vote — read from the
database into a plain dict, written as every paper of the council is (`workflow.council.sittings.papers`).
templates_docx/README.md lists its keys."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workflow.council.committees.conclusions import meeting_votes
from workflow.council.committees.meetings import draft_title, meeting_detail, papers, presence, quorum_for_committee
from workflow.council.drafts.papers import RECOMMENDATIONS_UK
from workflow.council.organisation.models import Committee, Council
from workflow.council.organisation.queries import committee_members
from workflow.council.sittings.papers import (
    Context,
    council_header,
    date_uk,
    expect,
    holder_name,
    name_key,
    names_of,
    paragraphs,
    time_uk,
    votes_context,
)
from workflow.engine.models import Document
from workflow.errors import NotFound
from workflow.i18n import N_
from workflow.timeutil import as_utc


def committee_protocol_context(session: Session, meeting: Document) -> Context:
    """The meeting's protocol: agenda, attendance and quorum, each paper's conclusion and roll-call vote."""
    expect(meeting, "committee_meeting", "a committee meeting")
    detail = meeting_detail(session, meeting)
    committee = session.get(Committee, detail.committee_id)
    council = session.get(Council, committee.council_id) if committee is not None else None
    if committee is None or council is None:
        raise NotFound(
            "papers.meeting_no_committee",
            N_("meeting {id} has no committee or no council"),
            id=meeting.id,
        )
    at = as_utc(detail.starts_at)
    here = presence(session, meeting.id)
    members = set(committee_members(session, committee.id, at)) | set(here)
    names = names_of(session, members)
    listed = sorted(members, key=lambda person: name_key(names.get(person, "")))
    present = sum(1 for person in listed if here.get(person))
    quorum = quorum_for_committee(len(listed))
    votes = meeting_votes(session, meeting)
    shown = votes_context(session, votes)
    by_conclusion: dict[int, list[Context]] = {}
    for vote in votes:
        if vote.subject_id is not None:
            by_conclusion.setdefault(vote.subject_id, []).append(shown[vote.id])
    items = []
    for number, (_paper, conclusion) in enumerate(papers(session, meeting), start=1):
        recommendation = str(conclusion.fields.get("recommendation") or "")
        items.append(
            {
                "number": number,
                "title": draft_title(session, conclusion),
                "lead": bool(conclusion.fields.get("lead")),
                "recommendation": RECOMMENDATIONS_UK.get(recommendation, ""),
                "body": paragraphs(conclusion.fields.get("body")),
                "votes": by_conclusion.get(conclusion.id, []),
            }
        )
    return {
        "council": council_header(council),
        "committee": {"name": committee.name},
        "meeting": {"date": date_uk(at), "time": time_uk(at), "place": detail.place},
        "attendance": {
            "total": len(listed),
            "present": present,
            "absent": len(listed) - present,
            "quorum": quorum,
            "has_quorum": present >= quorum,
            "quorum_text": "кворум є" if present >= quorum else "кворуму немає",
            "members": [
                {
                    "number": number,
                    "name": names.get(person, f"#{person}"),
                    "presence": "присутній" if here.get(person) else "відсутній",
                }
                for number, person in enumerate(listed, start=1)
            ],
        },
        "items": items,
        "chair": holder_name(session, "committee_chair", committee.id, at),
        "secretary": holder_name(session, "committee_secretary", committee.id, at),
    }
