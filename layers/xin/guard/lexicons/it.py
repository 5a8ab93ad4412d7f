"""Italian (folded: accents removed)."""

from __future__ import annotations

BOUNDED = True

_N = (
    r"(?:istruzioni|regole|linee guida|direttive|restrizioni|limitazioni|limiti|filtri|"
    r"indicazioni|vincoli)"
)

TERMS: dict[str, tuple[str, ...]] = {
    "override": (
        r"ignor(?:a|i|are|ate)",
        r"dimentic(?:a|are|ate|hi)",
        r"trascur\w*",
        r"non (?:seguire|rispettare|obbedire|considerare|tenere conto)",
        r"lascia (?:perdere|stare)",
        r"scarta",
        r"aggira",
        r"sovrascriv\w*",
        r"disattend\w*",
    ),
    "control": (
        r"istruzion[ei]",
        r"regole?",
        r"linee guida",
        r"direttive?",
        r"restrizion[ei]",
        r"limitazion[ei]",
        r"vincoli",
        r"politiche",
        r"programmazione",
        r"filtri",
        r"prompts?",
        r"indicazioni",
    ),
    "control_ai": (
        r"(?:le tue|tue|vostre|le vostre) (?:\w+ )?" + _N,
        r"(?:istruzioni|messaggio|prompt|regole) (?:di|del) sistema",
        r"(?:linee guida|regole) di sicurezza",
        r"politica dei contenuti",
    ),
    "prior": (
        r"precedent[ei]",
        r"anterior[ei]",
        r"sopra",
        r"iniziali",
        r"original[ei]",
        r"tutt[ei]",
    ),
    "everything": (
        r"tutto (?:cio che|quello che) (?:precede|e scritto sopra|abbiamo detto)",
        r"tutto quanto sopra",
        r"il testo (?:sopra|precedente)",
    ),
    "reveal": (
        r"rivel(?:a|are|ami)",
        r"mostr(?:a|ami|are)",
        r"dimmi",
        r"dammi",
        r"ripet(?:i|ere)",
        r"stamp(?:a|are)",
        r"scriv(?:i|ere)",
        r"condividi",
        r"qual[ei]? (?:e|sono|era|erano)",
        r"tradu\w*",
        r"visualizza",
    ),
    "secret": (
        r"prompt (?:di|del) sistema",
        r"(?:istruzioni|messaggio) (?:di|del) sistema",
        r"(?:le tue|tue) (?:istruzioni|indicazioni|direttive|configurazione)(?! (?:per|su|di)\b)",
        r"(?:istruzioni|prompt) (?:iniziali|originali|nascost[ei]|segret[ei]|intern[ei])",
        r"istruzioni (?:che ti sono state|ricevute)",
    ),
    "verbatim": (r"parola per parola", r"testualmente", r"alla lettera", r"integralmente"),
    "persona": (
        r"(?:ora|adesso|da ora in poi|d'ora in poi) (?:sei|tu sei)",
        r"fingi(?: di essere| che)?",
        r"fai finta di essere",
        r"comportati come",
        r"agisci come",
        r"(?:recita|interpreta) (?:il|un) ruolo",
        r"immagina di essere",
        r"simula",
        r"non sei piu",
        r"gioco di ruolo",
    ),
    "unrestricted": (
        r"senza (?:alcuna |alcun |nessuna |nessun |le |i )?(?:restrizion[ei]|limiti|"
        r"limitazion[ei]|regole|filtri|censura|vincoli|etica|morale)",
        r"(?:nessuna|nessun) (?:restrizione|limite|regola|filtro)",
        r"non censurat\w*",
        r"rispond(?:i|ere) a (?:tutto|qualsiasi (?:cosa|domanda))",
    ),
    "future": (
        r"da (?:ora|adesso|qui) in (?:poi|avanti)",
        r"d'ora in (?:poi|avanti)",
        r"per il resto (?:della|di questa) \w+",
        r"in ogni (?:risposta|riassunto)",
        r"fino a nuovo ordine",
    ),
    "comply": (
        r"obbedisci\w*",
        r"esegui (?:ogni|qualsiasi|tutte le) \w+",
        r"senza (?:fare )?domande",
        r"senza esitare",
        r"fai (?:esattamente )?(?:quello che|cio che|tutto cio che) (?:ti )?(?:dico|chiedo|dice)",
    ),
    "new_rules": (
        r"nuov[ea] (?:istruzion[ei]|regol[ea]|direttiv[ea]|compit[oi]|ruolo|missione)",
        r"(?:il tuo|tuo) (?:vero|nuovo) (?:compito|ruolo|obiettivo)",
        r"le regole sono cambiate",
    ),
    "nullify": (
        r"non (?:valgono|si applicano|vale|si applica)(?: piu)?",
        r"(?:sono|e|sono state|e stata) (?:sospes|disattivat|annullat|revocat|compromess)\w*",
        r"esent\w*",
    ),
    "self_reason": (
        r"come (?:assistente|ia|modello|intelligenza artificiale)",
        r"ho (?:gia )?(?:stabilito|determinato|concluso|verificato|deciso|confermato)",
        r"ragioniamo",
        r"il passo corretto",
    ),
    "permission": (r"(?:permesso|autorizzazione) (?:concess|dat)\w*", r"sei autorizzat\w* a"),
    "authority": (r"nota (?:di|del) sistema", r"messaggio (?:di|del) sistema"),
    "send": (
        r"invi(?:a|are|alo|ala|ali|ale)",
        r"mand(?:a|are)",
        r"inoltr\w*",
        r"trasmett\w*",
        r"trasferisc\w*",
        r"esfiltr\w*",
        r"esport\w*",
    ),
    "sensitive": (
        r"dati (?:dei )?client[ei]",
        r"(?:elenco|lista|database) (?:dei )?client[ei]",
        r"(?:l'intera |tutta la )?conversazione",
        r"cronologia (?:della )?(?:chat|conversazione)",
        r"credenziali",
        r"chiav[ei] api",
        r"variabili d'ambiente",
        r"(?:dati|informazioni) (?:personali|privat[ei]|intern[ei]|riservat[ei]|sensibili)",
    ),
    "external": (r"estern\w*", r"attaccante\w*", r"terz[ei]"),
    "decode": (r"decodific\w*", r"decifr\w*", r"traduci", r"convert\w*"),
    "encoding": (r"codificat\w*", r"cifrat\w*", r"al contrario", r"binario"),
    "execute": (
        r"esegui\w*",
        r"segui (?:le istruzioni|quello che dice)",
        r"fai (?:quello|cio) che dice",
    ),
    "ai": (r"ia", r"intelligenza artificiale", r"modell[oi] linguistic[oi]", r"chatbot"),
    "ai_address": (
        r"(?:nota|messaggio|avviso) (?:per|all[ao']) ?(?:l'|gli |qualsiasi )?(?:ia|assistente|"
        r"agente|modello|bot)\w*",
        r"se sei (?:una |un )?(?:ia|assistente|modello|bot|agente)",
    ),
    "deontic": (r"devi", r"deve(?:te)?", r"obbligatori\w*", r"assicurati", r"prima di rispondere"),
    "inject": (r"aggiung\w*", r"includ\w*", r"inserisc\w*", r"menziona\w*", r"allega\w*"),
    "output_ref": (
        r"(?:la tua|tua|ogni|ciascuna|qualsiasi|le tue) (?:\w+ )?(?:rispost[ae]|riassunt[oi]|"
        r"rapport[oi])",
        r"fine di (?:ogni|ciascuna|ciascun|la tua) \w+",
    ),
    "memory": (r"memoria (?:a lungo termine|permanente)", r"per tutte le (?:future|prossime) \w+"),
    "secrecy": (r"segretamente", r"di nascosto", r"senza (?:dirlo|informare) (?:all')?utente"),
    "meta": (
        r"iniezion[ei] di prompt",
        r"attacch[io]",
        r"(?:protegg|difend|rilev|preven|mitig)\w*",
        r"esemp[io]",
        r"vulnerabilita",
    ),
    "own": (r"mi[oa]", r"miei", r"mie", r"nostr[oaei]"),
}
