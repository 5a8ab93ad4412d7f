"""Korean (light; Hangul, matched inside words: particles attach without spaces)."""

from __future__ import annotations

BOUNDED = False
SCRIPT = "[\\uac00-\\ud7af]"  # the lexicon is only tried on text in this script

TERMS: dict[str, tuple[str, ...]] = {
    "override": (r"무시", r"잊어", r"잊고", r"따르지 ?마", r"지키지 ?마"),
    "control": (r"지시", r"명령", r"규칙", r"지침", r"제한", r"프롬프트", r"정책"),
    "control_ai": (
        r"(?:너의|네|당신의) ?(?:지시|규칙|지침|제한|정책)",
        r"시스템 ?(?:프롬프트|지시|메시지)",
        r"안전 ?(?:규칙|지침)",
    ),
    "prior": (r"이전", r"앞의", r"모든", r"위의", r"기존", r"원래"),
    "reveal": (r"보여", r"알려", r"출력", r"말해", r"반복", r"공개", r"써 ?줘"),
    "secret": (r"시스템 ?(?:프롬프트|지시|메시지)", r"(?:숨겨진|초기|원래) ?(?:지시|프롬프트)"),
    "persona": (r"척(?:하고|해)", r"역할(?:을|극)", r"처럼 행동", r"지금부터 (?:너는|넌)"),
    "unrestricted": (r"제한 ?없이", r"검열 ?없이", r"규칙이 없", r"필터 ?없이", r"아무 제한"),
    "future": (r"지금부터", r"앞으로", r"이제부터"),
    "send": (r"보내", r"전송", r"전달"),
    "sensitive": (r"(?:전체 )?대화", r"채팅 ?기록", r"고객 ?(?:데이터|정보|목록)", r"비밀번호"),
    "ai_address": (r"(?:ai|어시스턴트|모델|봇)(?:에게|을 위한) ?(?:메모|지시|참고)",),
    "own": (r"내 ", r"나의", r"제 "),
}
