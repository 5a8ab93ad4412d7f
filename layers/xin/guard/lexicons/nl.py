"""Dutch."""

from __future__ import annotations

BOUNDED = True

_N = r"(?:instructies|regels|richtlijnen|beperkingen|filters|programmering|aanwijzingen)"

TERMS: dict[str, tuple[str, ...]] = {
    "override": (
        r"negeer\w*",
        r"vergeet",
        r"vergeten",
        r"omzeil\w*",
        r"niet (?:meer )?(?:volgen|opvolgen|gehoorzamen)",
        r"volg (?:niet|geen)",
        r"overschrijf\w*",
    ),
    "control": (
        r"instructies?",
        r"regels?",
        r"richtlijnen",
        r"beperkingen",
        r"restricties",
        r"beleid",
        r"programmering",
        r"filters?",
        r"prompts?",
        r"aanwijzingen",
    ),
    "control_ai": (
        r"(?:je|jouw|uw) (?:\w+ )?" + _N,
        r"systeem ?(?:prompt|instructies|bericht)\w*",
        r"veiligheidsregels",
        r"inhoudsbeleid",
    ),
    "prior": (
        r"vorige",
        r"eerdere",
        r"voorgaande",
        r"bovenstaande",
        r"hierboven",
        r"oorspronkelijke",
        r"alle",
    ),
    "everything": (
        r"alles (?:hierboven|wat (?:we|ik|je) (?:hebben |heb )?(?:besproken|gezegd))",
        r"de tekst hierboven",
    ),
    "reveal": (
        r"toon\w*",
        r"laat (?:me |mij )?\w* ?zien",
        r"onthul\w*",
        r"vertel\w*",
        r"geef\w*",
        r"herhaal\w*",
        r"print\w*",
        r"schrijf\w*",
        r"wat (?:is|zijn|was|waren)",
        r"vertaal\w*",
    ),
    "secret": (
        r"systeem ?prompt\w*",
        r"systeeminstructies",
        r"systeembericht",
        r"(?:je|jouw|uw) (?:instructies|aanwijzingen|configuratie)(?! (?:voor|over|om)\b)",
        r"(?:oorspronkelijke|originele|verborgen|geheime|interne|eerste) (?:instructies|prompt|"
        r"aanwijzingen)",
        r"instructies die je (?:hebt )?(?:gekregen|ontvangen)",
    ),
    "verbatim": (r"woord voor woord", r"letterlijk"),
    "persona": (
        r"(?:je bent|jij bent) (?:nu|vanaf nu)",
        r"vanaf nu ben je",
        r"doe alsof",
        r"speel (?:de|een) rol",
        r"gedraag je als",
        r"stel je voor dat je",
        r"je bent geen \w+ meer",
        r"rollenspel",
    ),
    "unrestricted": (
        r"(?:zonder|geen) (?:enige )?(?:beperkingen|regels|grenzen|filters?|censuur|restricties|"
        r"limieten|ethiek|moraal)",
        r"onbeperkt\w*",
        r"ongecensureerd\w*",
        r"ongefilterd\w*",
        r"beantwoord (?:alles|elke vraag)",
    ),
    "future": (
        r"vanaf nu",
        r"voortaan",
        r"van nu af aan",
        r"vanaf dit moment",
        r"in elk (?:volgend )?antwoord",
    ),
    "comply": (
        r"gehoorzaam\w*",
        r"zonder vragen",
        r"zonder aarzelen",
        r"doe (?:precies )?wat (?:ik zeg|ik vraag)",
    ),
    "new_rules": (
        r"nieuwe (?:instructies|regels|richtlijnen|taak|opdracht|rol)",
        r"(?:je|jouw) (?:echte|ware|nieuwe) (?:taak|opdracht|rol)",
        r"de regels zijn veranderd",
    ),
    "nullify": (
        r"(?:gelden|geldt) (?:hier )?niet(?: meer)?",
        r"(?:zijn|is|werden|werd) (?:uitgeschakeld|opgeschort|ingetrokken|gecompromitteerd|"
        r"ongeldig)",
    ),
    "self_reason": (
        r"als (?:assistent|ai|model|taalmodel)",
        r"ik heb (?:al )?(?:vastgesteld|besloten|geconcludeerd)",
    ),
    "send": (r"stuur\w*", r"verstuur\w*", r"verzend\w*", r"doorsturen", r"exporteer\w*"),
    "sensitive": (
        r"klant(?:en)?(?:gegevens|lijst|database|data)",
        r"(?:het hele |volledige )?gesprek",
        r"(?:chat|gespreks)geschiedenis",
        r"wachtwoord(?:en)?",
        r"inloggegevens",
        r"api-?sleutels?",
        r"omgevingsvariabelen",
        r"(?:persoonlijke|interne|vertrouwelijke|gevoelige) (?:gegevens|informatie|data)",
    ),
    "external": (r"extern\w*", r"aanvaller\w*", r"derden"),
    "decode": (r"decodeer\w*", r"ontcijfer\w*", r"vertaal\w*"),
    "encoding": (r"gecodeerd\w*", r"versleuteld\w*", r"achterstevoren", r"binair"),
    "execute": (r"voer \w+ uit", r"uitvoeren", r"doe wat (?:er staat|het zegt)"),
    "ai": (r"kunstmatige intelligentie", r"taalmodel\w*", r"chatbot"),
    "ai_address": (
        r"(?:notitie|bericht|opmerking) (?:voor|aan) (?:de |alle |elke )?(?:ai|assistent|agent|bot|"
        r"model|taalmodel)\w*",
        r"als je een (?:ai|taalmodel|assistent|bot) bent",
    ),
    "deontic": (r"moet(?:en)?", r"verplicht", r"zorg ervoor", r"voordat je antwoordt"),
    "inject": (r"voeg\w*", r"toevoegen", r"vermeld\w*"),
    "output_ref": (
        r"(?:je|jouw|elk|elke) (?:\w+ )?(?:antwoord(?:en)?|samenvatting(?:en)?|rapport)",
    ),
    "memory": (r"langetermijngeheugen", r"voor alle toekomstige \w+"),
    "secrecy": (r"stiekem", r"in het geheim"),
    "meta": (
        r"prompt[- ]injectie",
        r"aanval(?:len)?",
        r"(?:bescherm|verdedig|detecteer|voorkom)\w*",
        r"voorbeeld(?:en)?",
    ),
    "own": (r"mijn", r"ons", r"onze"),
}
