"""The page's words in Dutch and English: labels, messages and the example questions, kept apart from the layout
so that switching the language changes text only."""

from __future__ import annotations

EXAMPLES = {
    "nl": ["Welke vier thema's kent de agenda Coalities voor de digitale samenleving?",
           "Wat is de Basis Data Infrastructuur?",
           "Welk netwerk formuleerde oplossingsrichtingen voor knelpunten in de publieke dienstverlening?",
           "Wanneer stemde het Europees Parlement in met de AI-verordening?"],
    "en": ["Which institution runs a Centre of Expertise Applied AI?",
           "What are the two goals of the agenda 'Coalities voor de digitale samenleving'?"],
}
TEXT = {
    "nl": {"title": "Beleidsassistent digitalisering", "ask": "Stel een vraag over de documenten",
           "send": "Vraag", "new": "Nieuw gesprek", "docs": "Documenten", "filter": "Alleen in deze documenten",
           "sources": "Bronnen", "copy": "Antwoord met bronnen (om te kopiëren)", "chat": "Vragen",
           "upload": "Document toevoegen (PDF, HTML, TXT, MD, DOCX, ODT)", "doc_title": "Titel", "kind": "Soort",
           "date": "Datum (JJJJ-MM-DD)", "add": "Toevoegen en indexeren", "remove": "Verwijderen",
           "remove_which": "Document om te verwijderen", "comment": "Toelichting bij uw beoordeling (optioneel)",
           "send_feedback": "Beoordeling versturen", "maybe": "Misschien verwant", "page": "p.",
           "footnote": "Voetnoot",
           "table": "In de tabel onder", "official": "Officiële publicatie", "local": "Lokale PDF, pagina",
           "none": "Nog geen bronnen: stel een vraag.", "backend": "Antwoorden door",
           "quoting": "Antwoorden citeren de documenten letterlijk; er schrijft geen taalmodel mee.",
           "good": "Goed antwoord",
           "bad": "Slecht antwoord", "examples": "Voorbeeldvragen", "refs": "Verwijzingen",
           "refs_search": "Zoek in verwijzingen (nummer, titel, woord)", "refs_kind": "Soort verwijzing",
           "refs_missing": "Alleen wat niet in het corpus staat", "cited_at": "Geciteerd in",
           "in_corpus": "In het corpus als", "not_in_corpus": "Geciteerd, niet in het corpus; toevoegen met",
           "referenced": "Genoemde documenten", "no_refs": "Geen verwijzingen gevonden.", "overview": "Overzicht",
           "intro": "Wat staat er in de documenten? Per document de opbouw met een samenvatting per onderdeel, "
                    "de afkortingen en begrippen, de tijdlijn en wie wie is. Elke regel is een letterlijk citaat "
                    "met vindplaats.",
           "glossary": "Begrippen en afkortingen", "timeline": "Tijdlijn", "actors": "Wie is wie",
           "curated": "niet uit de documenten", "unexpanded": "nergens uitgeschreven", "resolved": "afgeleid uit",
           "not_current": "niet meer actueel",
           "outdated": "Weggelaten, gemaakt door een eerdere versie (opnieuw maken: assistant ingest):",
           "briefing_md": "Briefing (Markdown)", "briefing_html": "Briefing (HTML)", "briefing": "Briefing",
           "try": "Begin met een vraag", "past": "gebeurd", "ongoing": "lopend", "planned": "gepland", "target": "doel",
           "conflict": "elders anders gedefinieerd", "for_question": "Bij de vraag", "sign_out": "Afmelden"},
    "en": {"title": "Digitalisation policy assistant", "ask": "Ask a question about the documents",
           "send": "Ask", "new": "New conversation", "docs": "Documents", "filter": "Only in these documents",
           "sources": "Sources", "copy": "Answer with references (to copy)", "chat": "Ask",
           "upload": "Add a document (PDF, HTML, TXT, MD, DOCX, ODT)", "doc_title": "Title", "kind": "Kind",
           "date": "Date (YYYY-MM-DD)", "add": "Add and index", "remove": "Remove",
           "remove_which": "Document to remove", "comment": "Comment on your rating (optional)",
           "send_feedback": "Send rating", "maybe": "Maybe related", "page": "p.",
           "footnote": "Footnote",
           "table": "In the table under", "official": "Official publication", "local": "Local PDF, page",
           "none": "No sources yet: ask a question.", "backend": "Answers by",
           "quoting": "Answers quote the documents word for word; no language model writes them.",
           "good": "Good answer",
           "bad": "Bad answer", "examples": "Example questions", "refs": "References",
           "refs_search": "Search references (number, title, word)", "refs_kind": "Kind of reference",
           "refs_missing": "Only what is not in the corpus", "cited_at": "Cited at",
           "in_corpus": "In the corpus as", "not_in_corpus": "Cited, not in the corpus; add it with",
           "referenced": "Documents referred to", "no_refs": "No references found.", "overview": "Overview",
           "intro": "What is in the documents? For each document its structure with a summary per part, the "
                    "abbreviations and terms, the timeline and who is who. Every line is a verbatim quote with "
                    "its place.",
           "glossary": "Terms and abbreviations", "timeline": "Timeline", "actors": "Who is who",
           "curated": "not from the documents", "unexpanded": "never written out", "resolved": "resolved from",
           "not_current": "no longer current",
           "outdated": "Left out, made by an earlier version (made again by assistant ingest):",
           "briefing_md": "Briefing (Markdown)", "briefing_html": "Briefing (HTML)", "briefing": "Briefing",
           "try": "Start with a question", "past": "happened", "ongoing": "ongoing", "planned": "planned",
           "target": "target",
           "conflict": "defined differently elsewhere", "for_question": "For the question", "sign_out": "Sign out"},
}
# the sign-in form answers a held-back attempt with nothing of its own, so the form says beforehand what happens
SIGN_IN_NOTICE = ("Na {limit} verkeerde wachtwoorden wacht u even voordat u het opnieuw kunt proberen. / "
                  "After {limit} wrong passwords, wait a while before trying again.")
