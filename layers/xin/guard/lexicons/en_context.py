"""English: context concepts (exfiltration, documents addressing an AI, meta talk)."""

from __future__ import annotations

BOUNDED = True

_AI_NOUN = r"(?:ai|a\.i\.|assistant|bot|chatbot|model|language model|llm|agent|gpt|copilot)"

TERMS: dict[str, tuple[str, ...]] = {
    "send": (
        r"send(?:s|ing)?",
        r"e-?mail(?:ing)?",
        r"forward(?:ing)?",
        r"upload(?:ing)?",
        r"post(?:ing)?",
        r"transmit",
        r"exfiltrat\w*",
        r"leak",
        r"submit",
        r"copy (?:it |them |this |everything )?to",
        r"share (?:it |them |this )?with",
        r"transfer",
        r"relay",
        r"export",
        r"beacon",
        r"make an? (?:http|get|post) request",
    ),
    "sensitive": (
        r"(?:the |this |our |all |full |entire |whole |complete )*(?:conversation|chat|"
        r"dialog(?:ue)?)(?: history| log| transcript| so far)?",
        r"(?:chat|message|conversation) (?:history|logs?)",
        r"customers?(?:'s?)? (?:list|data|database|records?|emails?|details|info\w*)",
        r"(?:user|client|employee|patient|personal|private|internal|confidential|sensitive|"
        r"account|payment|billing|credit card|order) (?:data|records?|details|info\w*|list|"
        r"emails|files|database|documents?)",
        r"database",
        r"credentials?",
        r"passwords?",
        r"api[ _-]?keys?",
        r"secrets?",
        r"(?:access |auth |session |bearer )?tokens?",
        r"environment variables?",
        r"env vars?",
        r"\.env",
        r"(?:private|ssh) keys?",
        r"system prompt",
        r"(?:all|every|full) (?:records?|emails|contacts|files|data)",
        r"order data",
        r"(?:credit |debit )?card (?:numbers?|details)",
        r"(?:the )?other users",
        r"(?:account|bank|iban) numbers?",
    ),
    "external": (
        r"extern(?:al|ally)",
        r"attacker",
        r"third[- ]party",
        r"outside (?:the company|server|address)",
        r"remote server",
        r"webhook",
        r"(?:this|the following|my) (?:url|link|address|server|endpoint|webhook)",
    ),
    "tool": (
        r"(?:call|use|invoke|run|trigger|execute) (?:the )?`?[a-z]+(?:_[a-z]+)+`?",
        r"(?:use|call|invoke) the \w+ (?:tool|function|plugin|api)",
    ),
    "destroy": (
        r"(?:delete|remove|wipe|erase|purge|destroy|truncate|empty|clear|overwrite)(?:s|ing)? "
        r"(?:the |all |every |this |these |any )?(?:\w+ )?(?:files?|director(?:y|ies)|folders?|"
        r"database|db|records|tables?|repositor(?:y|ies)|backups?|logs|users|accounts|data|"
        r"output|build|dist)",
        r"rm -rf",
        r"drop (?:table|database)",
    ),
    "url_param": (
        r"(?:query|url) (?:string|param(?:eter)?s?)",
        r"(?:append|add|include|encode|put|insert)\w* .{0,40}(?:to|in|into) (?:the |this |a )?"
        r"(?:url|link|query|image (?:url|link|src))",
        r"(?:render|display|show) (?:this |the following |an )?(?:image|markdown)",
    ),
    "decode": (
        r"decod(?:e|ing)",
        r"translate",
        r"convert",
        r"decipher",
        r"decrypt",
        r"interpret",
        r"unscramble",
        r"reverse",
        r"de-?obfuscate",
        r"read (?:it|this) backwards",
    ),
    "encoding": (
        r"binary",
        r"cipher(?:text)?",
        r"encoded",
        r"encrypted",
        r"obfuscated",
        r"backwards",
        r"reversed",
        r"(?:the following|this|that|the next) (?:string|code|text|message|field)",
    ),
    "execute": (
        r"(?:follow|execute|obey|run|perform|carry out|act on|apply|comply with|implement)"
        r"(?: it| them| that| this| the (?:instructions?|commands?))?",
        r"do (?:exactly )?(?:what|whatever) it (?:says|asks|tells you)",
        r"do as it says",
        r"(?:as|like) (?:a |an )?(?:command|instruction|order)",
        r"what it says",
        r"then do it",
    ),
    "ai": (
        r"(?:ai|a\.i\.)(?: (?:assistant|agent|model|system|bot|chatbot|reader|tool)s?)?",
        r"(?:language|lang) models?",
        r"llms?",
        r"chat ?bots?",
        r"(?:the|this) (?:bot|assistant|agent|model)",
        r"(?:gpt|chatgpt|claude|gemini|copilot|llama|mistral|bard)(?:-?\d\w*)?",
        r"(?:automated|autonomous|coding) agents?",
        r"agents",
    ),
    "ai_address": (
        rf"(?:note|message|notice|instructions?|attention) (?:to|for) (?:the |any |all |every )?"
        rf"(?:\w+ )?{_AI_NOUN}s?",
        rf"(?:if|when) you are an? (?:\w+ )?{_AI_NOUN}",
        rf"(?:any|every|all) (?:\w+ )?{_AI_NOUN}s? (?:reading|processing|summari[sz]ing|reviewing|"
        rf"viewing|integrating)",
        rf"{_AI_NOUN}s? (?:reading|processing|summari[sz]ing|reviewing) this",
        rf"(?:dear|hey|hi|hello) {_AI_NOUN}",
        rf"to any {_AI_NOUN} (?:system|tool|reader)s?",
        rf"\(for (?:\w+ )?{_AI_NOUN}s?\)",
        rf"{_AI_NOUN}s? (?:integrating|using|reading|ingesting) this",
        rf"(?:dear |hey )?(?:ai|a\.i\.)(?: {_AI_NOUN})?s?:",
        rf"attention,? (?:all |any )?{_AI_NOUN}s?",
        rf"(?:^|(?<=[.!?:;>\n]) ?){_AI_NOUN}s?,",
    ),
    "deontic": (
        r"(?:you )?must",
        r"you (?:should|need to|have to|are (?:required|instructed|ordered|directed|expected|"
        r"hereby instructed) to)",
        r"(?:are|is) hereby",
        r"make sure (?:to|that you)",
        r"be sure to",
        r"it is (?:required|mandatory|essential|important) (?:that|to)",
        r"always",
        r"required",
        r"mandatory",
        r"before (?:you )?(?:answer|respond|reply|continu)\w*",
        r"(?:when|while|after) (?:you )?(?:summari[sz]|answer|respond|repl|read|process|review)\w*",
        r"should first",
    ),
    "inject": (
        r"append",
        r"include",
        r"add",
        r"insert",
        r"prepend",
        r"mention",
        r"(?:end|start|begin|finish|conclude) (?:your \w+ |it |each \w+ |every \w+ )?with",
        r"embed",
        r"attach",
        r"respond with",
        r"reply with",
        r"recommend",
        r"state that",
        r"tell (?:the )?users? (?:that|to)",
    ),
    "output_ref": (
        r"(?:your|every|each|any|all) (?:final |next |future )?(?:reply|replies|response|responses|"
        r"answer|answers|summary|summaries|output|review|report|message|messages|completion)",
        r"(?:the )?end of (?:your|the|every|each) (?:reply|response|answer|summary|output|review)",
    ),
    "memory": (
        r"(?:save|store|write|add|commit|persist|keep) (?:this|the following|it|these)? ?"
        r"(?:note )?(?:to|in|into) (?:your )?(?:long[- ]term |persistent |permanent )?memory",
        r"long[- ]term memory",
        r"remember (?:this |that )?(?:for|in|across) (?:all )?(?:future|every|later|subsequent)",
        r"persists? across (?:turns|sessions|conversations)",
        r"(?:in|across|for) (?:all )?future (?:sessions|conversations|tasks|turns)",
        r"note to self",
        r"persisted",
    ),
    "secrecy": (
        r"(?:do not|don't|never|without) (?:tell(?:ing)?|inform(?:ing)?|mention(?:ing)?|"
        r"notify(?:ing)?|alert(?:ing)?) (?:the )?(?:user|customer|human|operator|anyone)",
        r"secretly",
        r"silently",
        r"covertly",
        r"without (?:the )?(?:user|customer|human)(?:'s)? (?:knowing|knowledge|noticing|consent)",
        r"hide (?:this|it) from",
        r"(?:the )?user (?:must|should) not (?:see|know|notice)",
    ),
    "meta": (
        r"prompt[- ]injections?",
        r"injection attacks?",
        r"jailbreak(?:s|ing)? (?:attacks?|attempts?|prompts?|techniques?)",
        r"attacks?",
        r"adversarial",
        r"red[- ]team\w*",
        r"security (?:research\w*|test\w*|question|team|training|awareness|audit)",
        r"(?:defend|protect|guard|secure|safeguard)\w* (?:against|from)",
        r"(?:detect|prevent|mitigat|classif|sanitiz|recogni[sz])\w*",
        r"(?:an? |for )?examples? of",
        r"what (?:is|are|does) (?:a |an )?(?:prompt|jailbreak|injection)",
        r"owasp",
        r"vulnerab\w+",
        r"(?:a|my|our|this) (?:dataset|classifier|detector|test suite)",
    ),
    "credential": (
        r"(?:admin(?:istrator)?|root|superuser|master) (?:passwords?|credentials|logins?|keys?)",
        r"passwords",
        r"(?:all|every|any|stored|saved|your|internal) (?:the )?(?:api keys|credentials|secrets|"
        r"passwords|access tokens|tokens)",
        r"environment variables",
        r"env vars",
        r"private keys?",
        r"ssh keys?",
        r"(?:activation|license|licence|product|serial|registration) (?:keys?|codes?)",
    ),
    "user_ref": (
        r"(?:the|this) user'?s? (?:question|request|query|message|instructions|prompt|task)",
        r"what the user (?:asks|asked|wants|said)",
        r"(?:ignore|disregard) the user",
    ),
    "echo": (
        r"repeat after me",
        r"say (?:exactly|verbatim|only|the following|this)",
        r"(?:start|begin) (?:your|each|every) (?:reply|response|answer) with",
        r"respond (?:only )?with (?:exactly|the following)",
        r"complete (?:the|this|my|following) (?:sentence|phrase|text|line)",
        r"continue (?:the|this|my|following) (?:sentence|phrase|text)",
        r"fill in the blank",
    ),
    "own": (
        r"my",
        r"our",
        r"mine",
        r"(?:instructions|rules|guidelines|steps|prompt) (?:in|on|of|from|for|inside) (?:the|this|"
        r"that|my|your) (?:\w+ )?(?:manual|readme|box|guide|package|document|doc|email|letter|"
        r"label|"
        r"website|page|installer|form|wizard|book|recipe|article|assignment|exam|test|template|file)",
        r"(?:manual|readme|box|guide|package|document|email|label|website|page|installer|form|"
        r"wizard|book|recipe|article|version|teacher|doctor|boss|manager|app|vendor)'s "
        r"(?:instructions|rules|guidelines)",
    ),
}
