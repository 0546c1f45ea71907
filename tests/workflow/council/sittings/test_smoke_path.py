"""The shortest whole path of a decision, as a check that the council's pieces fit together."""

from sqlalchemy import select

from workflow.council.effects import HANDLERS
from workflow.council.sittings import sessions
from workflow.council.sittings.models import Decision
from workflow.engine import fire
from workflow.engine.outbox import carry_out


def test_a_draft_goes_from_its_text_to_a_numbered_decision(session, world):
    draft = world.reviewed_draft()
    plenary = world.planned_session(number=12, days=16)
    secretary = world.actor(world.secretary, 5)
    item = sessions.add_to_agenda(session, plenary, secretary, draft, now=world.at(5))
    world.open(plenary, days=16)
    sessions.approve_agenda(session, plenary, world.actor(world.secretary, 16), world.ballots(for_=9), now=world.at(16))
    vote = sessions.vote_on_item(
        session,
        plenary,
        world.actor(world.secretary, 16),
        item,
        world.ballots(for_=6, against=2, abstain=1),
        now=world.at(16),
    )
    assert (vote.result, vote.required, vote.votes_for) == ("adopted", 5, 6)
    assert (item.state, draft.state) == ("adopted", "adopted")

    fire(session, draft, "sign", world.actor(world.mayor, 17), now=world.at(17))
    assert carry_out(session, HANDLERS, now=world.at(17)) == (0, 0)  # numbered at the signing, not later
    decision = session.scalar(select(Decision).where(Decision.draft_id == draft.id))
    assert decision.official_number == "№ 1-12-VIII"
