"""Portuguese (folded: accents and cedillas removed)."""

from __future__ import annotations

BOUNDED = True

_N = r"(?:instrucoes|regras|diretrizes|restricoes|limitacoes|filtros|orientacoes|politicas)"

TERMS: dict[str, tuple[str, ...]] = {
    "override": (
        r"ignor(?:e|a|ar|em)",
        r"esquec(?:a|e|er|am)",
        r"desconsider(?:e|a|ar)",
        r"nao (?:siga|sigas|obedeca|respeite|cumpra)",
        r"deixe de (?:seguir|obedecer)",
        r"descart(?:e|a)",
        r"contorn(?:e|a)",
    ),
    "control": (
        r"instruc(?:ao|oes)",
        r"regras?",
        r"diretrizes?",
        r"restric(?:ao|oes)",
        r"limitac(?:ao|oes)",
        r"politicas?",
        r"programacao",
        r"filtros?",
        r"prompts?",
        r"orientac(?:ao|oes)",
    ),
    "control_ai": (
        r"(?:suas|tuas) (?:\w+ )?" + _N,
        r"(?:instrucoes|mensagem|prompt|regras) do sistema",
        r"regras de seguranca",
        r"politicas? de conteudo",
    ),
    "prior": (
        r"anteriore?s?",
        r"previ[ao]s?",
        r"acima",
        r"iniciais",
        r"inicial",
        r"originais",
        r"tod[ao]s?",
    ),
    "everything": (
        r"tudo (?:o que foi dito|acima|o que (?:dissemos|conversamos))",
        r"o texto acima",
    ),
    "reveal": (
        r"revel(?:e|a|ar)",
        r"mostr(?:e|a|ar)",
        r"me (?:diga|mostre|de)",
        r"diga",
        r"repit(?:a|e)",
        r"imprim(?:a|e)",
        r"escrev(?:a|e)",
        r"compartilh\w*",
        r"qua(?:l|is) (?:e|sao|era|eram)",
        r"traduz\w*",
        r"exib(?:a|e|ir)",
    ),
    "secret": (
        r"prompt do sistema",
        r"(?:instrucoes|mensagem) do sistema",
        r"(?:suas|tuas) (?:instrucoes|diretrizes|configuracoes)(?! (?:para|de|sobre)\b)",
        r"(?:instrucoes|prompt) (?:iniciais|inicial|originais|original|ocult[ao]s?|secret[ao]s?|"
        r"intern[ao]s?)",
        r"instrucoes que (?:voce|tu) recebeu",
    ),
    "verbatim": (r"palavra por palavra", r"literalmente", r"textualmente", r"na integra"),
    "persona": (
        r"(?:agora|a partir de agora) (?:voce e|voce esta|es|tu es)",
        r"voce agora e",
        r"finj(?:a|e)(?: ser| que)?",
        r"fa(?:ca|z) de conta",
        r"aja como",
        r"comporte-se como",
        r"interprete (?:o|um) papel",
        r"imagine que (?:voce e|es)",
        r"voce nao e mais",
    ),
    "unrestricted": (
        r"sem (?:nenhuma |qualquer |as )?(?:restric(?:ao|oes)|limites|limitac(?:ao|oes)|regras|"
        r"filtros?|censura|etica|moral)",
        r"(?:nenhuma|nenhum) (?:restricao|limite|regra|filtro)",
        r"responda (?:a )?(?:qualquer (?:coisa|pergunta)|tudo)",
    ),
    "future": (
        r"a partir de agora",
        r"de agora em diante",
        r"daqui (?:em|pra) (?:diante|frente)",
        r"pelo resto d[ao] \w+",
        r"em (?:cada|todas as) (?:futuras )?(?:respostas?|resumos?)",
    ),
    "comply": (
        r"obede(?:ca|c)\w*",
        r"cumpra (?:todas|cada|qualquer) \w+",
        r"sem (?:fazer )?perguntas",
        r"sem hesitar",
        r"fa(?:ca|z) (?:exatamente )?(?:o que|tudo o que) (?:eu )?(?:digo|pedir|peco|diz)",
    ),
    "new_rules": (
        r"nov[ao]s? (?:instruc(?:ao|oes)|regras?|diretrizes?|tarefas?|missao|funcao|papel)",
        r"(?:sua|tua) (?:verdadeira|nova|real) (?:tarefa|missao|funcao)",
        r"as regras mudaram",
    ),
    "nullify": (
        r"nao (?:se aplicam|se aplica|valem|vale)(?: mais)?",
        r"(?:estao|esta|foram|foi) (?:desativad|suspens|anulad|revogad|comprometid)\w*",
    ),
    "self_reason": (
        r"como (?:assistente|ia|modelo|inteligencia artificial)",
        r"(?:ja )?(?:determinei|conclui|verifiquei|estabeleci|decidi|confirmei)",
        r"vamos pensar",
    ),
    "permission": (
        r"(?:permissao|autorizacao) (?:concedid|dad)\w*",
        r"(?:voce esta|estas) autorizad\w*",
    ),
    "authority": (r"nota do sistema", r"mensagem do sistema"),
    "send": (
        r"envi(?:e|a|ar)\w*",
        r"mand(?:e|a|ar)",
        r"encaminh\w*",
        r"transmit\w*",
        r"transfir\w*",
        r"exfiltr\w*",
        r"export\w*",
    ),
    "sensitive": (
        r"dados (?:dos )?clientes?",
        r"(?:lista|base) de (?:dados|clientes)",
        r"(?:toda a )?conversa(?: inteira| completa)?",
        r"historico (?:da )?(?:conversa|chat)",
        r"senhas?",
        r"credenciais",
        r"chaves? (?:de )?api",
        r"variaveis de ambiente",
        r"dados (?:pessoais|privados|internos|confidenciais|sensiveis)",
    ),
    "external": (r"extern\w*", r"atacante\w*", r"terceiros"),
    "decode": (r"decodifi\w*", r"decifr\w*", r"traduz\w*", r"convert\w*"),
    "encoding": (r"codificad\w*", r"criptografad\w*", r"ao contrario", r"binario"),
    "execute": (
        r"execut\w*",
        r"siga (?:as instrucoes|o que diz)",
        r"fa(?:ca|z) o que (?:diz|manda)",
    ),
    "ai": (r"ia", r"inteligencia artificial", r"modelos? de linguagem", r"chatbot"),
    "ai_address": (
        r"(?:nota|mensagem|aviso) (?:para|ao|a) (?:o |a |qualquer )?(?:ia|assistente|agente|"
        r"modelo|bot)\w*",
        r"se voce (?:e|for) (?:uma |um )?(?:ia|assistente|modelo|bot|agente)",
    ),
    "deontic": (
        r"deve(?:ra|m)?",
        r"tem que",
        r"obrigatori\w*",
        r"certifique-se",
        r"antes de responder",
    ),
    "inject": (r"adicion\w*", r"acrescent\w*", r"inclu\w*", r"insir\w*", r"mencion\w*", r"anex\w*"),
    "output_ref": (
        r"(?:sua|cada|toda|suas|qualquer) (?:\w+ )?(?:respostas?|resumos?|relatorios?)",
        r"final de (?:cada|sua|toda) \w+",
    ),
    "memory": (r"memoria (?:de longo prazo|permanente)", r"para todas as (?:futuras|proximas) \w+"),
    "secrecy": (r"secretamente", r"escondid\w*", r"sem (?:dizer|avisar) (?:ao )?usuario"),
    "meta": (
        r"injec(?:ao|oes) de prompt",
        r"ataques?",
        r"(?:proteg|defend|detect|preven)\w*",
        r"exemplos?",
    ),
    "own": (r"meu", r"minha", r"meus", r"minhas", r"noss[ao]s?"),
}
