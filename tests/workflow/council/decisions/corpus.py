"""Decisions made the council's way for the search's tests: reviewed, voted at one sitting, signed by the mayor;
with a test corpus of Ukrainian texts whose words stand in other forms than the queries'."""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import World
from workflow.council.drafts import drafts
from workflow.council.sittings import sessions
from workflow.council.sittings.votes import hold_committee_vote
from workflow.engine import edit_document, fire
from workflow.engine.models import Document

DAY = 16  # the sitting's day: Wednesday 18 March 2026


@dataclass(frozen=True)
class Text:
    title: str
    body: str


#: titles and texts as councils write them; the tests ask for their words in other forms
CORPUS = {
    "land": Text(
        "Про надання дозволу на розроблення проєкту землеустрою",
        "Надати дозвіл на розроблення проєкту щодо відведення земельної ділянки площею 0,1 га "
        "для будівництва житлового будинку. Земельна ділянка розташована по вул. Садовій.",
    ),
    "budget": Text(
        "Про внесення змін до бюджету міської територіальної громади на 2026 рік",
        "Збільшити видаткову частину бюджету на 1,2 млн грн для ремонту даху ліцею № 2.",
    ),
    "meat": Text(
        "Про правила торгівлі на ринку",
        "Торгівля м’ясом і м'ясними продуктами дозволяється лише в критих павільйонах об’єкта.",
    ),
    "school": Text(
        "Про перейменування вулиць",
        "Перейменувати вулицю Гагаріна на вулицю Героїв ЗСУ. Рішенням визначити порядок заміни табличок.",
    ),
}


def reviewed(world: World, text: Text, fields: dict[str, object] | None = None) -> Document:
    """A draft with the text, by the staff, its visas given, published, and supported by the budget committee."""
    author = world.actor(world.staff)
    draft = drafts.write_draft(world.session, author, text.title, text.body, fields=fields, now=world.at(0))
    for visa in drafts.submit_draft(world.session, draft, author, now=world.at(0)):
        reviewer = world.lawyer if visa.fields["department_kind"] == "legal" else world.accountant
        fire(world.session, visa, "give", world.actor(reviewer), now=world.at(0))
    fire(world.session, draft, "publish_for_discussion", world.actor(world.secretary), now=world.at(0))
    (conclusion,) = drafts.send_to_committees(
        world.session, draft, world.actor(world.secretary, 1), world.budget, now=world.at(1)
    )
    chair = world.actor(world.deputies[0], 1)
    edit_document(
        world.session, conclusion, chair, fields={"recommendation": "support", "body": "Так."}, now=world.at(1)
    )
    hold_committee_vote(
        world.session,
        conclusion,
        chair,
        question="Підтримати проєкт",
        ballots={world.deputies[i].id: "for" for i in range(4)},
        now=world.at(1),
    )
    fire(world.session, conclusion, "discuss", chair, now=world.at(1))
    fire(world.session, conclusion, "sign", chair, now=world.at(1))
    return draft


def decided(
    world: World,
    texts: dict[str, Text],
    *,
    sign: bool = True,
    reject: tuple[str, ...] = (),
    fields: dict[str, dict[str, object]] | None = None,
    number: int = 12,
    day: float = DAY,
) -> dict[str, Document]:
    """Each text a reviewed draft, voted at session № `number` on day `day` (those in `reject` rejected) and, if
    `sign`, signed by the mayor the next day."""
    made = {key: reviewed(world, text, (fields or {}).get(key)) for key, text in texts.items()}
    plenary = world.planned_session(number=number, days=day)
    secretary = world.actor(world.secretary, day)
    items = {
        key: sessions.add_to_agenda(world.session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
        for key, draft in made.items()
    }
    world.open(plenary, days=day)
    sessions.approve_agenda(world.session, plenary, secretary, world.ballots(for_=9), now=world.at(day))
    for key, item in items.items():
        ballots = world.ballots(against=9) if key in reject else world.ballots(for_=9)
        sessions.vote_on_item(world.session, plenary, secretary, item, ballots, now=world.at(day))
    if sign:
        for key, draft in made.items():
            if key not in reject:
                fire(world.session, draft, "sign", world.actor(world.mayor, day + 1), now=world.at(day + 1))
    return made
