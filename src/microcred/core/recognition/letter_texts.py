"""The decision letter's fixed texts in English, French, Romanian and German.

Translated by the microcred project; a competent authority adapts them to its own legal
wording before use (they carry no official standing).
"""

from __future__ import annotations

LANGUAGES = ("en", "fr", "ro", "de")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "subject": "Decision on your application for recognition",
        "reference": "Case reference",
        "greeting": "Dear {name},",
        "intro": "We have assessed the credentials you submitted for {purpose}.",
        "full": "Your credentials are recognised in full.",
        "partial": "Your credentials are recognised in part.",
        "alternative": "Your credentials are recognised as: {alternative}.",
        "conditional": "Your credentials will be recognised once the following is completed: "
        "{remaining}.",
        "refused": "Your credentials cannot be recognised, because of the following substantial "
        "differences:",
        "ects": "Credits granted: {ects} ECTS.",
        "outcomes": "Learning outcomes recognised:",
        "reasons": "Reasons",
        "credentials": "Credentials assessed",
        "appeal": "You may appeal this decision within the time limit set by {authority}. An "
        "appeal reopens your case for a new decision.",
        "closing": "Yours sincerely,",
        "full_title": "full recognition",
        "partial_title": "partial recognition",
        "alternative_title": "alternative recognition",
        "conditional_title": "conditional recognition",
        "refused_title": "recognition refused",
        "credential_title": "Recognition decision: {outcome}",
    },
    "fr": {
        "subject": "Décision relative à votre demande de reconnaissance",
        "reference": "Référence du dossier",
        "greeting": "Madame, Monsieur {name},",
        "intro": "Nous avons examiné les titres que vous avez présentés en vue de : {purpose}.",
        "full": "Vos titres sont reconnus intégralement.",
        "partial": "Vos titres sont reconnus partiellement.",
        "alternative": "Vos titres sont reconnus en tant que : {alternative}.",
        "conditional": "Vos titres seront reconnus une fois les conditions suivantes remplies : "
        "{remaining}.",
        "refused": "Vos titres ne peuvent pas être reconnus en raison des différences "
        "substantielles suivantes :",
        "ects": "Crédits accordés : {ects} ECTS.",
        "outcomes": "Acquis d'apprentissage reconnus :",
        "reasons": "Motifs",
        "credentials": "Titres examinés",
        "appeal": "Vous pouvez former un recours contre cette décision dans le délai fixé par "
        "{authority}. Un recours rouvre votre dossier en vue d'une nouvelle décision.",
        "closing": "Veuillez agréer nos salutations distinguées.",
        "full_title": "reconnaissance intégrale",
        "partial_title": "reconnaissance partielle",
        "alternative_title": "reconnaissance alternative",
        "conditional_title": "reconnaissance sous conditions",
        "refused_title": "reconnaissance refusée",
        "credential_title": "Décision de reconnaissance : {outcome}",
    },
    "ro": {
        "subject": "Decizie privind cererea dumneavoastră de recunoaștere",
        "reference": "Numărul dosarului",
        "greeting": "Stimată doamnă / Stimate domn {name},",
        "intro": "Am evaluat certificatele depuse de dumneavoastră în vederea: {purpose}.",
        "full": "Certificatele dumneavoastră sunt recunoscute integral.",
        "partial": "Certificatele dumneavoastră sunt recunoscute parțial.",
        "alternative": "Certificatele dumneavoastră sunt recunoscute ca: {alternative}.",
        "conditional": "Certificatele dumneavoastră vor fi recunoscute după îndeplinirea "
        "următoarelor condiții: {remaining}.",
        "refused": "Certificatele dumneavoastră nu pot fi recunoscute din cauza următoarelor "
        "diferențe substanțiale:",
        "ects": "Credite acordate: {ects} ECTS.",
        "outcomes": "Rezultate ale învățării recunoscute:",
        "reasons": "Motivare",
        "credentials": "Certificate evaluate",
        "appeal": "Puteți contesta această decizie în termenul stabilit de {authority}. "
        "Contestația redeschide dosarul în vederea unei noi decizii.",
        "closing": "Cu stimă,",
        "full_title": "recunoaștere integrală",
        "partial_title": "recunoaștere parțială",
        "alternative_title": "recunoaștere alternativă",
        "conditional_title": "recunoaștere condiționată",
        "refused_title": "recunoaștere refuzată",
        "credential_title": "Decizie de recunoaștere: {outcome}",
    },
    "de": {
        "subject": "Bescheid über Ihren Antrag auf Anerkennung",
        "reference": "Aktenzeichen",
        "greeting": "Sehr geehrte/r {name},",
        "intro": "Wir haben die von Ihnen eingereichten Nachweise für folgenden Zweck geprüft: "
        "{purpose}.",
        "full": "Ihre Nachweise werden vollständig anerkannt.",
        "partial": "Ihre Nachweise werden teilweise anerkannt.",
        "alternative": "Ihre Nachweise werden anerkannt als: {alternative}.",
        "conditional": "Ihre Nachweise werden anerkannt, sobald Folgendes erfüllt ist: "
        "{remaining}.",
        "refused": "Ihre Nachweise können wegen folgender wesentlicher Unterschiede nicht "
        "anerkannt werden:",
        "ects": "Angerechnete Leistungspunkte: {ects} ECTS.",
        "outcomes": "Anerkannte Lernergebnisse:",
        "reasons": "Begründung",
        "credentials": "Geprüfte Nachweise",
        "appeal": "Gegen diesen Bescheid können Sie innerhalb der von {authority} festgelegten "
        "Frist Widerspruch einlegen. Ein Widerspruch eröffnet Ihr Verfahren für eine "
        "neue Entscheidung erneut.",
        "closing": "Mit freundlichen Grüßen",
        "full_title": "vollständige Anerkennung",
        "partial_title": "teilweise Anerkennung",
        "alternative_title": "alternative Anerkennung",
        "conditional_title": "Anerkennung unter Auflagen",
        "refused_title": "Anerkennung abgelehnt",
        "credential_title": "Anerkennungsentscheidung: {outcome}",
    },
}
