"""The people, committees and papers of the demo council (`demo.demo`): fictional, but written the way
a Ukrainian city council writes them. Data only; the scenario that moves it through the engine is in demo.py.

People are keyed by the local part of their e-mail (`o.hrytsenko` is o.hrytsenko@rada.example).
"""

from __future__ import annotations

from dataclasses import dataclass

EMAIL_DOMAIN = "rada.example"

COUNCIL_NAME = "Вербівська міська рада"
COUNCIL_NAME_EN = "Verbiv City Council"
CONVOCATION = 8
PLACE = "Сесійна зала міської ради, майдан Незалежності, 1, м. Вербів"

#: Every demo account's password is "demo-" and its holder's principal role; README.md lists them.
PASSWORDS = {
    "secretary": "demo-secretary",
    "mayor": "demo-mayor",
    "chair": "demo-chair",
    "deputy": "demo-deputy",
    "legal": "demo-legal",
    "finance": "demo-finance",
    "staff": "demo-staff",
    "citizen": "demo-citizen",
    "admin": "demo-admin",
}

MAYOR = ("Гуменюк Олександр Петрович", "o.humeniuk")

#: 26 deputies; the first is elected secretary of the council (the law has the secretary chosen among them)
DEPUTIES = (
    ("Гриценко Оксана Василівна", "o.hrytsenko"),
    ("Бойко Андрій Миколайович", "a.boiko"),
    ("Кравчук Світлана Іванівна", "s.kravchuk"),
    ("Мельничук Богдан Степанович", "b.melnychuk"),
    ("Савченко Ірина Олегівна", "i.savchenko"),
    ("Ковальчук Дмитро Петрович", "d.kovalchuk"),
    ("Олійник Наталія Сергіївна", "n.oliinyk"),
    ("Ткачук Василь Андрійович", "v.tkachuk"),
    ("Шевчук Людмила Миколаївна", "l.shevchuk"),
    ("Поліщук Роман Вікторович", "r.polishchuk"),
    ("Демченко Тетяна Олександрівна", "t.demchenko"),
    ("Марченко Юрій Васильович", "yu.marchenko"),
    ("Руденко Олена Григорівна", "o.rudenko"),
    ("Бондаренко Сергій Іванович", "s.bondarenko"),
    ("Левченко Віталій Анатолійович", "v.levchenko"),
    ("Карпенко Галина Петрівна", "h.karpenko"),
    ("Волошин Максим Ігорович", "m.voloshyn"),
    ("Захарченко Вікторія Романівна", "v.zakharchenko"),
    ("Павленко Ігор Станіславович", "i.pavlenko"),
    ("Семенюк Ольга Валеріївна", "o.semeniuk"),
    ("Костенко Микола Федорович", "m.kostenko"),
    ("Литвин Анна Богданівна", "a.lytvyn"),
    ("Гнатюк Павло Олексійович", "p.hnatiuk"),
    ("Яковенко Марина Юріївна", "m.yakovenko"),
    ("Кузьменко Олег Дмитрович", "o.kuzmenko"),
    ("Федорук Христина Ярославівна", "kh.fedoruk"),
)
SECRETARY = "o.hrytsenko"


@dataclass(frozen=True)
class CommitteeData:
    key: str
    name: str
    name_en: str
    chair: str
    secretary: str
    members: tuple[str, ...]


COMMITTEES = (
    CommitteeData(
        "budget",
        "Постійна комісія з питань бюджету та фінансів",
        "Standing Committee on Budget and Finance",
        "a.boiko",
        "s.kravchuk",
        ("b.melnychuk", "i.savchenko", "d.kovalchuk"),
    ),
    CommitteeData(
        "education",
        "Постійна комісія з питань освіти, культури, молоді та спорту",
        "Standing Committee on Education, Culture, Youth and Sports",
        "n.oliinyk",
        "v.tkachuk",
        ("l.shevchuk", "r.polishchuk", "t.demchenko"),
    ),
    CommitteeData(
        "housing",
        "Постійна комісія з питань житлово-комунального господарства",
        "Standing Committee on Housing and Utilities",
        "yu.marchenko",
        "o.rudenko",
        ("s.bondarenko", "v.levchenko", "h.karpenko"),
    ),
    CommitteeData(
        "land",
        "Постійна комісія з питань земельних відносин та містобудування",
        "Standing Committee on Land Relations and Urban Planning",
        "m.voloshyn",
        "v.zakharchenko",
        ("i.pavlenko", "o.semeniuk", "m.kostenko"),
    ),
    CommitteeData(
        "rules",
        "Постійна комісія з питань регламенту, депутатської етики та законності",
        "Standing Committee on Rules of Procedure, Deputies' Ethics and Legality",
        "a.lytvyn",
        "p.hnatiuk",
        ("m.yakovenko", "o.kuzmenko", "kh.fedoruk"),
    ),
)

LEGAL_DEPARTMENT = "Юридичний відділ"
FINANCE_DEPARTMENT = "Фінансове управління"
#: (name, e-mail, department kind): the reviewers who give visas, the head of each department first
REVIEWERS = (
    ("Тимошенко Лариса Андріївна", "l.tymoshenko", "legal"),
    ("Онищенко Віктор Павлович", "v.onyshchenko", "legal"),
    ("Сидоренко Валентина Іванівна", "v.sydorenko", "finance"),
    ("Пономаренко Руслан Олегович", "r.ponomarenko", "finance"),
)
#: the executive's staff who write draft decisions
STAFF = (
    ("Кириленко Інна Василівна", "i.kyrylenko"),  # управління освіти
    ("Литвиненко Олена Миколаївна", "o.lytvynenko"),  # фінансове управління, бюджетний відділ
    ("Мороз Степан Іванович", "s.moroz"),  # управління житлово-комунального господарства
    ("Данильченко Артем Сергійович", "a.danylchenko"),  # відділ земельних відносин та містобудування
)
ADMIN = ("Мартинюк Денис Вікторович", "d.martyniuk")
CITIZENS = (
    ("Іваненко Петро Михайлович", "p.ivanenko"),
    ("Остапчук Леся Олександрівна", "l.ostapchuk"),
    ("Ярошенко Василина Ігорівна", "v.yaroshenko"),
)

#: (role as README.md names it, e-mail key, password key): one account of each kind to try the system as
FEATURED = (
    ("council secretary", SECRETARY, "secretary"),
    ("mayor", MAYOR[1], "mayor"),
    ("committee chair (budget and finance)", "a.boiko", "chair"),
    ("deputy (member of the budget committee)", "b.melnychuk", "deputy"),
    ("legal reviewer", "l.tymoshenko", "legal"),
    ("finance reviewer", "v.sydorenko", "finance"),
    ("staff (writes drafts)", "i.kyrylenko", "staff"),
    ("citizen", "p.ivanenko", "citizen"),
    ("administrator", ADMIN[1], "admin"),
)


@dataclass(frozen=True)
class DraftData:
    """A draft decision: who writes it, which committees review it (the lead first), what it decides."""

    title: str
    author: str
    committees: tuple[str, ...]
    points: tuple[str, ...]
    #: the committees' recommendation: support, support_with_amendments or reject
    recommendation: str = "support"


def draft_body(draft: DraftData, lead_committee: str) -> str:
    """The draft's text as a council writes it: the legal ground, what the council decides, who controls it."""
    points = [*draft.points, f"Контроль за виконанням цього рішення покласти на {lead_committee.lower()}."]
    numbered = "\n".join(f"{n}. {point}" for n, point in enumerate(points, start=1))
    return (
        "Відповідно до статей 25, 26 Закону України «Про місцеве самоврядування в Україні», "
        "враховуючи висновки постійних комісій міської ради, міська рада\n\nВИРІШИЛА:\n\n" + numbered
    )


def past_drafts(year: int) -> dict[str, DraftData]:
    """Drafts considered at the two past sessions, by a short key the scenario uses."""
    return {
        "budget_changes": DraftData(
            f"Про внесення змін до бюджету Вербівської міської територіальної громади на {year} рік",
            "o.lytvynenko",
            ("budget",),
            (
                "Збільшити видатки загального фонду бюджету громади на 4 870 000 грн за рахунок перевиконання "
                "дохідної частини бюджету за підсумками першого кварталу.",
                "Затвердити зміни до додатків 1, 3 і 6 до рішення про бюджет громади (додаються).",
            ),
        ),
        "education_programme": DraftData(
            f"Про затвердження Програми розвитку освіти Вербівської міської територіальної громади "
            f"на {year}–{year + 2} роки",
            "i.kyrylenko",
            ("education", "budget"),
            (
                f"Затвердити Програму розвитку освіти на {year}–{year + 2} роки (додається).",
                "Фінансовому управлінню передбачати видатки на виконання Програми в межах можливостей бюджету.",
            ),
        ),
        "detailed_plan": DraftData(
            "Про надання дозволу на розроблення детального плану території в районі вулиці Садової",
            "a.danylchenko",
            ("land",),
            (
                "Надати дозвіл на розроблення детального плану території площею 4,6 га в районі вулиці Садової "
                "для будівництва багатоквартирних житлових будинків.",
                "Замовником розроблення визначити виконавчий комітет міської ради.",
            ),
            recommendation="support_with_amendments",
        ),
        "property_tax": DraftData(
            f"Про встановлення ставок податку на нерухоме майно, відмінне від земельної ділянки, на {year + 1} рік",
            "s.bondarenko",
            ("budget", "rules"),
            (
                "Встановити ставки податку на нерухоме майно, відмінне від земельної ділянки, згідно з додатком.",
                "Звільнити від сплати податку обʼєкти житлової нерухомості, що належать учасникам бойових дій.",
            ),
        ),
        "housing_repairs": DraftData(
            f"Про затвердження Програми капітального ремонту житлового фонду на {year} рік",
            "s.moroz",
            ("housing", "budget"),
            (
                f"Затвердити Програму капітального ремонту житлового фонду на {year} рік (додається).",
                "Першочергово відремонтувати покрівлі будинків № 12 і № 14 на вулиці Шевченка.",
            ),
        ),
        "land_lease": DraftData(
            "Про надання в оренду земельної ділянки комунальної власності площею 0,25 га по вулиці Промисловій, 14",
            "a.danylchenko",
            ("land",),
            (
                "Надати ТОВ «Вербівський хлібозавод» в оренду строком на 10 років земельну ділянку площею 0,25 га "
                "(кадастровий номер 0000000000:01:001:0001) по вулиці Промисловій, 14.",
                "Встановити орендну плату в розмірі 8 % від нормативної грошової оцінки земельної ділянки.",
            ),
        ),
        "participation_budget": DraftData(
            "Про затвердження Положення про бюджет участі (громадський бюджет) Вербівської міської "
            "територіальної громади",
            "a.lytvyn",
            ("budget", "rules"),
            (
                "Затвердити Положення про бюджет участі (громадський бюджет) громади (додається).",
                "Щороку передбачати на реалізацію проєктів бюджету участі не менше 1 % видатків загального фонду.",
            ),
        ),
        "premises_sale": DraftData(
            "Про відчуження нежитлового приміщення комунальної власності по вулиці Шевченка, 7 шляхом продажу "
            "на аукціоні",
            "s.moroz",
            ("housing", "budget"),
            (
                "Включити нежитлове приміщення площею 182,4 м² по вулиці Шевченка, 7 до переліку обʼєктів малої "
                "приватизації.",
                "Продати приміщення на електронному аукціоні зі стартовою ціною 1 950 000 грн.",
            ),
            recommendation="reject",
        ),
        "budget_report": DraftData(
            f"Про затвердження звіту про виконання бюджету Вербівської міської територіальної громади "
            f"за {year - 1} рік",
            "o.lytvynenko",
            ("budget",),
            (
                f"Затвердити звіт про виконання бюджету громади за {year - 1} рік за доходами у сумі "
                "612 403 118 грн та за видатками у сумі 598 771 045 грн (додається).",
            ),
        ),
        "sports_programme": DraftData(
            f"Про затвердження Програми розвитку фізичної культури і спорту на {year}–{year + 2} роки",
            "i.kyrylenko",
            ("education",),
            (
                f"Затвердити Програму розвитку фізичної культури і спорту на {year}–{year + 2} роки (додається).",
                "Передбачити реконструкцію стадіону «Колос» у другому етапі Програми.",
            ),
        ),
    }


def upcoming_drafts(year: int) -> dict[str, DraftData]:
    """Drafts on their way to the upcoming session, each left in a different stage."""
    return {
        "rules_of_procedure": DraftData(
            "Про внесення змін до Регламенту Вербівської міської ради VIII скликання",
            "a.lytvyn",
            ("rules",),
            (
                "Доповнити Регламент статтею 21-1 «Дистанційні пленарні засідання в умовах воєнного стану».",
                "Оприлюднювати результати поіменного голосування на офіційному сайті ради в день засідання.",
            ),
        ),
        "landscaping_programme": DraftData(
            f"Про затвердження Програми благоустрою населених пунктів громади на {year}–{year + 1} роки",
            "s.moroz",
            ("housing", "budget"),
            (
                f"Затвердити Програму благоустрою населених пунктів громади на {year}–{year + 1} роки (додається).",
                "Визначити відповідальним виконавцем управління житлово-комунального господарства.",
            ),
        ),
        "land_valuation": DraftData(
            "Про затвердження технічної документації з нормативної грошової оцінки земель міста Вербів",
            "a.danylchenko",
            ("land", "budget"),
            (
                "Затвердити технічну документацію з нормативної грошової оцінки земель міста Вербів (додається).",
                f"Нормативну грошову оцінку ввести в дію з 1 січня {year + 1} року.",
            ),
        ),
        "displaced_support": DraftData(
            f"Про затвердження Програми підтримки внутрішньо переміщених осіб на {year} рік",
            "i.kyrylenko",
            ("budget", "education"),
            (
                f"Затвердити Програму підтримки внутрішньо переміщених осіб на {year} рік (додається).",
                "Передбачити компенсацію вартості харчування дітей з сімей внутрішньо переміщених осіб у закладах "
                "освіти громади.",
            ),
        ),
        "school_transfer": DraftData(
            "Про надання згоди на прийняття у комунальну власність громади нежитлової будівлі по вулиці Лісовій, 3",
            "s.moroz",
            ("housing",),
            (
                "Надати згоду на безоплатне прийняття у комунальну власність громади нежитлової будівлі "
                "по вулиці Лісовій, 3 з державної власності.",
            ),
        ),
        "landscaping_rules": DraftData(
            "Про затвердження Правил благоустрою території Вербівської міської територіальної громади",
            "s.moroz",
            ("housing", "rules"),
            (
                "Затвердити Правила благоустрою території громади (додаються).",
                "Визнати таким, що втратило чинність, рішення міської ради від 24.12.2015 № 37-2-VII.",
            ),
        ),
        "second_budget_changes": DraftData(
            f"Про внесення змін до бюджету Вербівської міської територіальної громади на {year} рік (друге уточнення)",
            "o.lytvynenko",
            ("budget",),
            (
                "Спрямувати вільний залишок коштів загального фонду в сумі 2 315 000 грн на поточний ремонт "
                "укриттів у закладах освіти.",
            ),
        ),
        "kiosks": DraftData(
            "Про затвердження Порядку розміщення тимчасових споруд для провадження підприємницької діяльності",
            "a.danylchenko",
            ("land",),
            (
                "Затвердити Порядок розміщення тимчасових споруд для провадження підприємницької діяльності "
                "(додається).",
            ),
        ),
        "crossings": DraftData(
            "Про облаштування безбарʼєрних пішохідних переходів на вулицях Соборній та Шевченка",
            "b.melnychuk",
            ("housing",),
            (
                "Доручити управлінню житлово-комунального господарства облаштувати пониження бордюрів і тактильну "
                "плитку на пішохідних переходах вулиць Соборної та Шевченка.",
            ),
        ),
    }


@dataclass(frozen=True)
class MessageData:
    citizen: str
    deputy: str
    subject: str
    body: str
    #: the deputy's public answer, when there is one
    answer: str | None = None


MESSAGES = {
    "lighting": MessageData(
        "p.ivanenko",
        "b.melnychuk",
        "Не працює вуличне освітлення на вулиці Лісовій",
        "Добрий день! Уже третій тиждень на вулиці Лісовій від будинку 10 до 24 не світять ліхтарі. Увечері діти "
        "повертаються зі школи в темряві. Прошу посприяти ремонту.",
    ),
    "kindergarten": MessageData(
        "l.ostapchuk",
        "n.oliinyk",
        "Черга до закладу дошкільної освіти № 5",
        "Моя донька третій рік у черзі до садочка № 5, а місць так і немає. Чи планує рада відкрити додаткову групу?",
    ),
    "bus_stop": MessageData(
        "v.yaroshenko",
        "b.melnychuk",
        "Зупинка громадського транспорту біля ліцею № 3",
        "Просимо облаштувати навіс і лавку на зупинці біля ліцею № 3: діти чекають автобус просто неба.",
        answer=(
            "Дякую за звернення. Управління житлово-комунального господарства включило облаштування зупинки біля "
            "ліцею № 3 до Програми благоустрою, яку рада розгляне на найближчій сесії; роботи заплановано на "
            "травень."
        ),
    ),
}
