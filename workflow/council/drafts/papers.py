"""What a draft's Word documents say: the signed decision and the committee's conclusion, each read from the
database into a plain dict (strings, numbers, lists of dicts), written as every paper of the council is
(`workflow.council.sittings.papers`). templates_docx/README.md lists their keys."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.council.organisation.models import Committee, Council
from workflow.council.sittings.models import Decision
from workflow.council.sittings.papers import (
    Context,
    council_header,
    date_uk,
    expect,
    holder_name,
    in_papers,
    paragraphs,
    votes_context,
)
from workflow.council.sittings.votes import latest_vote
from workflow.engine.models import Document
from workflow.errors import NotFound, WrongState
from workflow.i18n import N_
from workflow.timeutil import as_utc

RECOMMENDATIONS = {
    "support": N_("support the draft decision"),
    "support_with_amendments": N_("support the draft decision with amendments"),
    "reject": N_("reject the draft decision"),
}
RECOMMENDATIONS_UK = in_papers(RECOMMENDATIONS)


# --- the decision -----------------------------------------------------------------------------------------------
def decision_context(session: Session, draft: Document) -> Context:
    """The signed decision: the council's header, its official number and date, title, text and the mayor."""
    expect(draft, "decision_draft", "a draft decision")
    decision = session.scalar(select(Decision).where(Decision.draft_id == draft.id))
    if decision is None:
        raise WrongState(
            "papers.title_no_official_number",
            N_("«{title}» has no official number yet: a decision is rendered once it is signed"),
            title=draft.title,
        )
    council = session.get(Council, decision.council_id)
    if council is None:
        raise NotFound(
            "papers.council_decision_official_number",
            N_("the council of decision {official_number} is gone"),
            official_number=decision.official_number,
        )
    return {
        "council": council_header(council),
        "session_number": decision.session_number,
        "number": decision.official_number,
        "date": date_uk(decision.adopted_on),
        "title": draft.title,
        "body": paragraphs(draft.fields.get("body")),
        "mayor": holder_name(session, "mayor", None, as_utc(decision.numbered_at)),
    }


# --- the committee's conclusion ---------------------------------------------------------------------------------
def committee_conclusion_context(session: Session, conclusion: Document) -> Context:
    """The committee's conclusion on a draft: recommendation, text, the committee's vote and its chair."""
    expect(conclusion, "committee_conclusion", "a committee's conclusion")
    committee_id = conclusion.fields.get("committee_id")
    committee = session.get(Committee, committee_id) if isinstance(committee_id, int) else None
    if committee is None:
        raise NotFound(
            "papers.committee_conclusion_id_gone",
            N_("the committee of conclusion {id} is gone"),
            id=conclusion.id,
        )
    council = session.get(Council, committee.council_id)
    draft = session.get(Document, conclusion.parent_id) if conclusion.parent_id is not None else None
    if council is None or draft is None:
        raise NotFound(
            "papers.conclusion_id_no_council",
            N_("conclusion {id} has no council or no draft"),
            id=conclusion.id,
        )
    vote = latest_vote(session, conclusion.id, "conclusion")
    at = as_utc(vote.held_at if vote is not None else conclusion.state_entered_at)
    recommendation = conclusion.fields.get("recommendation")
    return {
        "council": council_header(council),
        "committee": {"name": committee.name},
        "date": date_uk(at),
        "draft": {"title": draft.title},
        "lead": bool(conclusion.fields.get("lead")),
        "recommendation": RECOMMENDATIONS_UK.get(str(recommendation), str(recommendation or "")),
        "body": paragraphs(conclusion.fields.get("body")),
        "vote": votes_context(session, [vote])[vote.id] if vote is not None else None,
        "chair": holder_name(session, "committee_chair", committee.id, at),
    }
