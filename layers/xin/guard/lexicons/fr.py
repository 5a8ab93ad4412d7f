"""French (folded: accents removed)."""

from __future__ import annotations

BOUNDED = True

_N = (
    r"(?:instructions?|consignes?|regles?|directives?|restrictions?|limites?|filtres?|"
    r"programmation|contraintes?)"
)

TERMS: dict[str, tuple[str, ...]] = {
    "override": (
        r"ignor(?:e|ez|er|es|ons)",
        r"oubli(?:e|ez|er|es|ons)",
        r"ne (?:tiens|tenez|tenir) (?:pas|plus) compte",
        r"fai(?:s|tes) abstraction",
        r"passe(?:z)? outre",
        r"outrepass\w*",
        r"contourn\w*",
        r"n'obei(?:s|ssez) (?:pas|plus)",
        r"ne (?:suis|suivez|respecte[sz]?) (?:pas|plus)",
        r"laiss(?:e|ez) tomber",
        r"(?:mets|mettez) de cote",
        r"ecart(?:e|ez)",
    ),
    "control": (
        _N,
        r"lignes directrices",
        r"politiques?",
        r"prompts?",
        r"garde-fous",
        r"protocoles?",
    ),
    "control_ai": (
        r"(?:tes|vos) (?:\w+ )?" + _N,
        r"(?:instructions?|consignes?|prompt|message|regles?) (?:du |de )?systeme",
        r"regles de securite",
        r"politiques? de contenu",
        r"consignes de securite",
        r"garde-fous",
    ),
    "prior": (
        r"precedent(?:e|es|s)?",
        r"anterieur(?:e|es|s)?",
        r"ci-dessus",
        r"plus haut",
        r"initial(?:e|es|s)?",
        r"d'origine",
        r"tou(?:tes|s|te|t)",
        r"ancien(?:ne|nes|s)?",
        r"auparavant",
    ),
    "everything": (
        r"tout ce qui (?:precede|est (?:ecrit )?(?:ci-dessus|au-dessus|plus haut))",
        r"tout ce (?:que nous avons|qu'on a|qu'on t'a|qu'on vous a) (?:dit|discute)",
        r"le texte (?:ci-dessus|au-dessus|precedent)",
    ),
    "reveal": (
        r"revel(?:e|ez|er)",
        r"montr(?:e|ez|er)",
        r"affich(?:e|ez|er)",
        r"devoil\w*",
        r"donn(?:e|ez)",
        r"di(?:s|tes)",
        r"repet(?:e|ez|er)",
        r"imprim\w*",
        r"ecri(?:s|vez|re)",
        r"cit(?:e|ez)",
        r"divulgu\w*",
        r"partag\w*",
        r"quel(?:le|les|s)? (?:est|sont|etait|etaient)",
        r"tradui(?:s|sez|re)",
        r"recopi\w*",
        r"resum\w*",
    ),
    "secret": (
        r"prompt (?:du |de )?systeme",
        r"(?:instructions?|consignes?|message) (?:du |de )?systeme",
        r"(?:tes|vos) (?:instructions|consignes|directives|parametres|configuration)"
        r"(?! (?:pour|de|d'|sur)\b)",
        r"(?:instructions|consignes|prompt) (?:initial\w*|d'origine|cache\w*|secret\w*|interne\w*)",
        r"(?:instructions|consignes) (?:qu'on t'a|qu'on vous a|que tu as|que vous avez) "
        r"(?:donnee?s|recue?s)",
        r"fenetre de contexte",
    ),
    "verbatim": (r"mot (?:pour|a) mot", r"textuellement", r"integralement", r"a la lettre"),
    "persona": (
        r"(?:tu es|vous etes) (?:maintenant|desormais|dorenavant)",
        r"a partir de maintenant,? (?:tu|vous)",
        r"fai(?:s|tes) (?:comme si|semblant)",
        r"jou(?:e|ez) (?:le|un) role",
        r"agi(?:s|ssez|r) (?:comme|en tant que)",
        r"comporte(?:-toi|z-vous) comme",
        r"imagin(?:e|ez) que (?:tu es|vous etes)",
        r"simul(?:e|ez)",
        r"(?:tu n'es|vous n'etes) plus",
        r"incarn(?:e|ez)",
    ),
    "unrestricted": (
        r"sans (?:aucune |aucun |la moindre |les |tes |vos )?(?:restrictions?|limites?|regles?|"
        r"filtres?|censure|contraintes?|limitations?|garde-fous|morale|ethique|tabous?)",
        r"(?:aucune|pas de) (?:restriction|limite|regle|censure|contrainte|filtre)s?",
        r"non (?:censure|filtre|restreint|bride)\w*",
        r"debride\w*",
        r"repond(?:s|re|ez) a (?:tout|toutes les questions|n'importe quoi)",
        r"ne refus(?:e|ez) (?:jamais|rien)",
        r"(?:regles|filtres|restrictions) (?:de securite )?(?:sont |ont ete )?(?:desactive|"
        r"supprime|"
        r"leve)\w*",
    ),
    "future": (
        r"a partir de (?:maintenant|ce moment)",
        r"desormais",
        r"dorenavant",
        r"pour le reste de (?:la|cette|notre) \w+",
        r"(?:dans|a) (?:chaque|toutes? (?:les|tes|vos)) (?:future?s? )?(?:reponses?|resumes?)",
        r"jusqu'a nouvel ordre",
    ),
    "comply": (
        r"obei(?:s|ssez|r)(?: a)?",
        r"execut(?:e|ez) (?:chaque|toutes? les?) (?:demandes?|ordres?|requetes?)",
        r"repond(?:s|re|ez) a (?:toute|chaque|n'importe quelle) (?:question|demande)",
        r"sans (?:poser de )?questions?",
        r"sans hesit\w*",
        r"fai(?:s|tes) (?:exactement )?(?:ce que|tout ce que) (?:je (?:dis|demande|veux)|ca dit)",
    ),
    "new_rules": (
        r"nouvel(?:le|les)?s? (?:instructions?|consignes?|regles?|directives?|taches?|missions?)",
        r"nouveau role",
        r"(?:ta|votre) (?:vraie|veritable|nouvelle) (?:tache|mission)",
        r"(?:les )?(?:regles|consignes|instructions) ont change",
    ),
    "nullify": (
        r"ne s'appliquen?t? (?:pas|plus)",
        r"(?:sont|est|ont ete|a ete) (?:suspendu|desactive|annule|leve|compromis|obsolete)\w*",
        r"(?:ne sont|n'est) plus (?:valable|en vigueur|applicable)\w*",
        r"exempt\w*",
    ),
    "self_reason": (
        r"en tant qu'(?:assistant|ia|modele|intelligence artificielle)",
        r"(?:j'ai|ai) (?:deja )?(?:etabli|determine|conclu|verifie|decide|confirme)",
        r"reflechissons",
        r"la bonne (?:etape|action|chose)",
    ),
    "permission": (
        r"(?:autorisation|permission) (?:accorde|donne)\w*",
        r"(?:tu es|vous etes) (?:autorise|habilite)\w* a",
    ),
    "authority": (
        r"note (?:du )?systeme",
        r"message (?:du )?systeme",
        r"mise a jour (?:du )?systeme",
    ),
    "send": (
        r"envoi\w*",
        r"envoy\w*",
        r"transmet\w*",
        r"transfer\w*",
        r"fai(?:s|tes) suivre",
        r"expedi\w*",
        r"televers\w*",
        r"exfiltr\w*",
        r"export\w*",
    ),
    "sensitive": (
        r"donnees? (?:des )?clients?",
        r"(?:liste|fichier|base) (?:des |de )?clients?",
        r"base de donnees",
        r"(?:toute |la |cette )?(?:conversation|discussion)(?: entiere| complete)?",
        r"historique (?:de la |des )?(?:conversation|discussion|messages|chat)",
        r"mots? de passe",
        r"identifiants",
        r"cles? (?:d')?api",
        r"variables d'environnement",
        r"(?:donnees|informations) (?:personnelles|privees|internes|confidentielles|sensibles)",
        r"numeros? de (?:la )?carte",
    ),
    "external": (r"extern\w*", r"attaquant\w*", r"tiers", r"(?:cette|l') (?:adresse|url)"),
    "decode": (r"decod\w*", r"dechiffr\w*", r"tradui\w*", r"converti\w*"),
    "encoding": (r"encod\w*", r"chiffr\w*", r"a l'envers", r"binaire"),
    "execute": (r"execut\w*", r"sui(?:s|vez|vre) (?:les instructions|ce qu'il dit)", r"obei\w*"),
    "ai": (r"ia", r"intelligence artificielle", r"modeles? de langage", r"chatbot\w*"),
    "ai_address": (
        r"(?:note|message|remarque|avis) (?:a|pour|aux) (?:l'|les |tout |toute )?(?:ia|assistant|"
        r"agent|modele|systeme d'ia|robot)\w*",
        r"si (?:tu es|vous etes) une? (?:ia|assistant|modele|robot|agent)",
    ),
    "deontic": (
        r"(?:dois|devez|doit|doivent)",
        r"il faut",
        r"obligatoire\w*",
        r"assure(?:-toi|z-vous)",
        r"avant de repondre",
    ),
    "inject": (r"ajout\w*", r"inclu\w*", r"inser\w*", r"mentionn\w*", r"annex\w*"),
    "output_ref": (
        r"(?:ta|votre|chaque|toute|tes|vos) (?:\w+ )?(?:reponses?|resumes?|rapports?|sorties?)",
        r"fin de (?:chaque|toute|ta|votre) (?:reponse|resume)",
    ),
    "memory": (
        r"memoire (?:a long terme|permanente)",
        r"pour toutes les (?:futures|prochaines) \w+",
    ),
    "secrecy": (
        r"secretement",
        r"en cachette",
        r"sans (?:le dire|en informer) (?:a )?l'utilisateur",
    ),
    "meta": (
        r"injection\w* (?:de|du) prompt",
        r"attaques?",
        r"(?:proteg|defend|detect|empech|preven)\w*",
        r"exemples?",
        r"vulnerabilit\w*",
    ),
    "own": (r"mon", r"ma", r"mes", r"notre", r"nos"),
}
