"""Japanese (light; no word boundaries)."""

from __future__ import annotations

BOUNDED = False
SCRIPT = "[\\u3040-\\u30ff\\u4e00-\\u9fff]"  # the lexicon is only tried on text in this script

TERMS: dict[str, tuple[str, ...]] = {
    "override": (r"無視", r"忘れ", r"従わな", r"守らな"),
    "control": (r"指示", r"ルール", r"規則", r"制限", r"命令", r"ガイドライン", r"プロンプト"),
    "control_ai": (
        r"(?:あなたの)?(?:システム)?(?:指示|ルール|制限|ガイドライン)",
        r"安全(?:ルール|ガイドライン|制限)",
    ),
    "prior": (r"以前の", r"前の", r"これまでの", r"すべての", r"全ての", r"上記の"),
    "reveal": (r"表示", r"教えて", r"見せて", r"出力", r"繰り返", r"書き出"),
    "secret": (r"システムプロンプト", r"(?:初期|元|隠された)の?(?:指示|プロンプト)"),
    "persona": (r"ふりをして", r"ふりをし", r"として振る舞", r"なりきって", r"あなたは今"),
    "unrestricted": (
        r"制限(?:なし|無し|のない)",
        r"検閲(?:なし|無し)",
        r"ルールがない",
        r"フィルター(?:なし|無し)",
    ),
    "future": (r"今から", r"これから", r"今後"),
    "send": (r"送信", r"送って", r"転送"),
    "sensitive": (r"会話(?:全体|履歴)", r"顧客(?:データ|情報|リスト)", r"パスワード"),
    "ai_address": (r"(?:ai|アシスタント|モデル)(?:への|に)(?:注意|メモ|指示)",),
    "own": (r"私の", r"僕の"),
}
