"""Indonesian / Malay (light: the concepts attacks rely on most)."""

from __future__ import annotations

BOUNDED = True

TERMS: dict[str, tuple[str, ...]] = {
    "override": (
        r"abaikan",
        r"lupakan",
        r"jangan (?:ikuti|patuhi|hiraukan)",
        r"acuhkan",
        r"langgar",
    ),
    "control": (
        r"instruksi",
        r"perintah",
        r"aturan",
        r"peraturan",
        r"pedoman",
        r"batasan",
        r"kebijakan",
    ),
    "control_ai": (
        r"(?:instruksi|aturan|pedoman|batasan|kebijakan)(?:mu| anda| kamu)",
        r"aturan keamanan",
    ),
    "prior": (r"sebelumnya", r"semua", r"seluruh", r"di atas", r"awal", r"asli"),
    "reveal": (
        r"tunjukkan",
        r"tampilkan",
        r"beritahu\w*",
        r"ungkapkan",
        r"ulangi",
        r"tuliskan",
        r"cetak",
        r"apa",
    ),
    "secret": (r"(?:instruksi|pesan|prompt) (?:sistem|awal|rahasia|tersembunyi)",),
    "persona": (
        r"(?:mulai )?sekarang (?:kamu|anda) (?:adalah|menjadi)",
        r"berpura-?puralah",
        r"berpura-?pura",
        r"bertindak(?:lah)? sebagai",
    ),
    "unrestricted": (
        r"tanpa (?:batasan|aturan|sensor|filter)\w*",
        r"tidak (?:punya|memiliki) aturan",
    ),
    "future": (r"mulai sekarang", r"mulai saat ini", r"seterusnya"),
    "send": (r"kirim\w*", r"teruskan"),
    "sensitive": (
        r"(?:seluruh |semua )?percakapan",
        r"riwayat (?:obrolan|percakapan)",
        r"data pelanggan",
        r"kata sandi",
    ),
    "ai_address": (r"catatan untuk (?:ai|asisten|model|bot)",),
    "own": (r"saya", r"kami"),
}
