"""Vietnamese (light; folded: tone marks removed, đ kept)."""

from __future__ import annotations

BOUNDED = True

TERMS: dict[str, tuple[str, ...]] = {
    "override": (
        r"bo qua",
        r"phot lo",
        r"quen (?:di )?",
        r"khong (?:tuan theo|lam theo)",
        r"dung (?:tuan theo|lam theo)",
    ),
    "control": (
        r"huong dan",
        r"chi dan",
        r"chi thi",
        r"quy tac",
        r"quy dinh",
        r"gioi han",
        r"loi nhac",
        r"prompt",
    ),
    "control_ai": (
        r"(?:huong dan|chi dan|quy tac|gioi han) cua (?:ban|may)",
        r"loi nhac he thong",
        r"prompt he thong",
    ),
    "prior": (r"truoc (?:do|day)", r"tat ca", r"ban dau", r"phia tren", r"cu"),
    "reveal": (
        r"hien thi",
        r"cho (?:toi )?(?:xem|biet)",
        r"tiet lo",
        r"noi",
        r"lap lai",
        r"viet ra",
        r"in ra",
    ),
    "secret": (
        r"loi nhac he thong",
        r"prompt he thong",
        r"(?:huong dan|chi dan) (?:ban dau|an|bi mat|he thong)",
    ),
    "persona": (r"gia vo", r"dong vai", r"hay hanh dong nhu", r"tu (?:bay gio|gio) ban la"),
    "unrestricted": (
        r"khong (?:co )?(?:bat ky )?(?:gioi han|quy tac|kiem duyet|bo loc|han che)\w*",
        r"khong kiem duyet",
    ),
    "future": (r"tu bay gio", r"tu gio tro di", r"ke tu bay gio"),
    "send": (r"gui", r"chuyen tiep"),
    "sensitive": (
        r"(?:toan bo )?cuoc tro chuyen",
        r"lich su (?:tro chuyen|chat)",
        r"du lieu khach hang",
        r"mat khau",
    ),
    "ai_address": (r"ghi chu (?:cho|gui) (?:ai|tro ly|mo hinh|bot)",),
    "own": (r"cua toi", r"cua chung toi"),
}
