"""How every role a definition names is called to people, in Ukrainian and English: a refusal says who may act
by these titles, never by the roles' codes."""

from __future__ import annotations

ROLE_TITLES: dict[str, dict[str, str]] = {
    # held council-wide
    "admin": {"uk": "адміністратор системи", "en": "system administrator"},
    "secretary": {"uk": "секретар ради", "en": "council secretary"},
    "mayor": {"uk": "міський голова", "en": "mayor"},
    "deputy": {"uk": "депутат ради", "en": "deputy of the council"},
    "staff": {"uk": "працівник виконавчого органу", "en": "staff member"},
    "reviewer": {"uk": "візувальник відділу", "en": "department reviewer"},
    "committee_chair": {"uk": "голова постійної комісії", "en": "standing committee chair"},
    "committee_member": {"uk": "член постійної комісії", "en": "standing committee member"},
    "committee_secretary": {"uk": "секретар постійної комісії", "en": "standing committee secretary"},
    "citizen": {"uk": "зареєстрований мешканець", "en": "registered citizen"},
    "system": {"uk": "система (автоматично)", "en": "the system (automatically)"},
    # held for one document
    "author": {"uk": "автор документа", "en": "the document's author"},
    "committee_chair_here": {"uk": "голова комісії, що готує висновок", "en": "the chair of the committee concerned"},
    "committee_member_here": {"uk": "член комісії, що готує висновок", "en": "a member of the committee concerned"},
    "committee_secretary_here": {
        "uk": "секретар комісії, що готує висновок",
        "en": "the secretary of the committee concerned",
    },
    "department_reviewer": {"uk": "візувальник відділу, від якого чекають візу", "en": "the department's reviewer"},
    "lead_committee_chair": {"uk": "голова головної комісії", "en": "the lead committee's chair"},
    "session_chair": {"uk": "головуючий на пленарному засіданні", "en": "chair of the plenary sitting"},
    "delegate": {"uk": "особа, якій передано повноваження", "en": "the person the role is delegated to"},
    "addressee": {"uk": "депутат, якому адресовано звернення", "en": "the deputy the message is addressed to"},
}
