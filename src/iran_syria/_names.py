# ruff: noqa: RUF001, RUF003 - the Arabic-script letters and Latin marks here are meant
"""Two forms of a name for matching: a normal form and a phonetic key.

The normal form removes what never tells two actors apart: case, diacritics, punctuation and
spacing, the Arabic article, titles, and the letter variants of the Arabic script (Persian ی
and ک, ة, hamza seats, tatweel, harakat).

The phonetic key goes further, for romanised Arabic and Persian, where one name has many
spellings. Arabic script writes consonants and long vowels but not short ones, and the
romanisations disagree mostly about vowels (Soleimani, Suleimani, Sulaymani), about which
Latin letters stand for one Arabic letter (q, gh, k for ق and غ; v and w for و; kh, sh, ch)
and about doubling (Qassem, Qasem). So the key is a consonant skeleton: the first letter of
each word (a vowel as 'a'), then its consonants, each sound class as one letter, doubles
collapsed, y/w and vowels dropped after the first letter. Both scripts map to the same
skeleton, so قاسم سليماني and Qasem Soleimani share the key 'ksm slmn'.
"""

from __future__ import annotations

import re
import unicodedata

# Arabic-script letters with several forms, folded to one (after NFKD has split off the
# hamza and madda marks of أ إ آ ؤ ئ ۀ, which are then dropped as combining marks).
_ARABIC_FOLD = str.maketrans(
    {
        "ی": "ي",  # Persian yeh
        "ى": "ي",  # alef maksura
        "ې": "ي",
        "ۍ": "ي",
        "ک": "ك",  # Persian kaf
        "ڪ": "ك",
        "ة": "ه",  # ta marbuta
        "ە": "ه",
        "ھ": "ه",
        "ۀ": "ه",
        "ٱ": "ا",  # alef wasla
        "ء": "",  # a bare hamza
        "ـ": "",  # tatweel
        "\u200b": "",  # zero-width space, joiner, non-joiner, BOM: joins within a word
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",
        "،": " ",  # Arabic comma and semicolon
        "؛": " ",
    }
)
# Latin letters NFKD leaves whole; apostrophes and ʿ ʾ mark ayn and hamza, which are silent.
_LATIN_FOLD = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "ł": "l",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "'": "",
        "’": "",
        "‘": "",
        "`": "",
        "´": "",
        "ʿ": "",
        "ʾ": "",
        "ʼ": "",
        "ʻ": "",
    }
)
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
# The article joined by a hyphen (al-Assad, ash-Sham, ad-Din, el-Sisi): the sun letters
# assimilate its l, so every such form is an article.
_LATIN_ARTICLE = re.compile(
    r"(?<![\w])(?:al|el|ul|il|ad|ar|as|ash|at|az|an|ath|adh|ud|ur|us|ut)[-‐‑](?=\w)"
)
# Persian writes a final silent ه and the suffix ای apart (خامنه‌ای, خامنه ای) where Arabic
# writes one letter (خامنئي): the suffix goes, and the ه is dropped from the key as any final ه.
_PERSIAN_HEH_YEH = re.compile("(?<=ه)[\u200c ]?ا[یيى](?![\\w])")
_NOT_WORD = re.compile(r"[^\w]+")
# Titles and ranks that precede a name in news and sanctions lists; never part of an actor's
# name as this package writes it. Arabic-script forms are given after folding.
_TITLE_WORDS = frozenset(
    {
        "sheikh",
        "shaykh",
        "sheik",
        "shaikh",
        "sayyed",
        "sayyid",
        "seyed",
        "seyyed",
        "sayed",
        "syed",
        "haj",
        "hajj",
        "haji",
        "hajji",
        "hojatoleslam",
        "hojjatoleslam",
        "ayatollah",
        "sardar",
        "shahid",
        "martyr",
        "mr",
        "dr",
        "gen",
        "brig",
        "maj",
        "السيد",
        "سيد",
        "الشيخ",
        "شيخ",
        "الحاج",
        "حاج",
        "اللواء",
        "العميد",
        "الفريق",
        "العقيد",
        "الجنرال",
        "جنرال",
        "سردار",
        "سرلشكر",
        "سرتيپ",
        "سرهنگ",
        "سپهبد",
        "الشهيد",
        "شهيد",
        "الامام",
        "امام",
        "حجتالاسلام",
        "ايتالله",
        "ايهالله",
        "الدكتور",
        "دكتر",
    }
)
# Allah is written joined to the word before (Nasrallah, نصرالله, Hezbollah) as often as not.
_ALLAH = frozenset({"allah", "ullah", "ollah", "ellah", "الله"})
# Words that say what kind of unit a name is, not which: the same militia is the Fatemiyoun
# Division, Liwa Fatemiyoun, Lashkar-e Fatemiyoun, لواء فاطميون, فيلق فاطميون and تیپ فاطمیون.
# They go as titles do (when a name has other words).
_UNIT_WORDS = frozenset(
    {
        "brigade",
        "brigades",
        "division",
        "battalion",
        "movement",
        "liwa",
        "liwaa",
        "lashkar",
        "harakat",
        "لواء",
        "فيلق",
        "تيپ",
        "لشکر",
        "كتيبة",
        "حركة",
        "جنبش",
    }
)
# Persian writes the first part of a compound name joined to the next: محمدعلی, محمدرضا,
# ابومهدی, سیدعباس. Split as the other spellings write them (Mohammad Ali, Abu Mahdi).
_JOINED_PREFIXES = ("محمد", "ابو", "سيد")
# Latin letter groups standing for one Arabic/Persian sound, longest first.
_LATIN_SOUNDS = (
    ("x", "ks"),
    ("kh", "x"),
    ("gh", "k"),
    ("sch", "S"),
    ("sh", "S"),
    ("ch", "S"),
    ("zh", "j"),
    ("dj", "j"),
    ("th", "t"),
    ("dh", "z"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("ce", "se"),  # a soft c is an s (France, فرنسا)
    ("ci", "si"),
    ("c", "k"),
    ("p", "b"),  # Arabic writes p as b (Pezeshkian, بزشكيان; Trump, ترامب)
    ("g", "j"),  # Egyptian and Persian g for ج: Golani, Jolani
    ("v", "w"),
)
_LATIN_VOWELS = frozenset("aeiouyw")
# Arabic-script letters to the skeleton's sound classes; None marks a letter that is a vowel
# (or a vowel carrier) inside a word.
_ARABIC_SOUNDS = {
    "ب": "b",
    "پ": "b",
    "ت": "t",
    "ث": "t",
    "ج": "j",
    "چ": "S",
    "ح": "h",
    "خ": "x",
    "د": "d",
    "ذ": "z",
    "ر": "r",
    "ز": "z",
    "ژ": "j",
    "س": "s",
    "ش": "S",
    "ص": "s",
    "ض": "z",
    "ط": "t",
    "ظ": "z",
    "ع": None,
    "غ": "k",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "گ": "j",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "و": None,
    "ي": None,
    "ا": None,
}
_INITIAL = {"و": "w", "ي": "y"}


def normal_form(text: str) -> str:
    """The name without case, marks, punctuation, titles or article; words space-separated."""
    return " ".join(_words(text))


def phonetic_key(text: str) -> str:
    """The consonant skeleton of each word of the name, space-separated."""
    return " ".join(key for _word, key in name_words(text))


def name_words(text: str) -> list[tuple[str, str]]:
    """Each word of the name's normal form with its key."""
    return [(word, _word_key(word)) for word in _words(text)]


def _words(text: str) -> list[str]:
    text = _PERSIAN_HEH_YEH.sub("", text)
    text = _fold(text)
    text = _LATIN_ARTICLE.sub("", text)
    words = _NOT_WORD.sub(" ", text).split()
    joined: list[str] = []
    for index, word in enumerate(words):
        if word in _TITLES:
            joined.append(word)  # before the article goes (اللواء), to go below
            continue
        if _ARABIC_LETTER.match(word) and word.startswith("ال") and not word.startswith("الله"):
            word = word[2:] if len(word) > 3 else word
        elif word in ("al", "el") and index + 1 < len(words):
            continue  # "Ahmad Al Shara", "Al Qaeda": the article written apart
        if word in _ALLAH and joined:
            joined[-1] += word
            continue
        joined.extend(_split_prefix(word))
    return [word for word in joined if word not in _TITLES] or joined


def _split_prefix(word: str) -> list[str]:
    for prefix in _JOINED_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return [prefix, word[len(prefix) :]]
    return [word]


def _fold(text: str) -> str:
    """Marks off (NFKD: accents, harakat, the hamza and madda over a seat), letter variants
    folded, lower case."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return text.translate(_ARABIC_FOLD).translate(_LATIN_FOLD).casefold()


def _word_key(word: str) -> str:
    if _ARABIC_LETTER.match(word):
        return _arabic_key(word)
    return _latin_key(word)


def _latin_key(word: str) -> str:
    if word.isdigit():
        return word
    first = word[0]
    for group, sound in _LATIN_SOUNDS:
        word = word.replace(group, sound)
    # a final h after a vowel is a spelling of the vowel (Fatemeh, Allah) or of ة
    if len(word) > 2 and word.endswith("h") and word[-2] in _LATIN_VOWELS:
        word = word[:-1]
    head = "a" if first in "aeiou" else word[0]
    return _collapse(head + "".join(c for c in word[1:] if c not in _LATIN_VOWELS))


def _arabic_key(word: str) -> str:
    # a final ه is silent in Persian (فاطمه) and ة in Arabic, as a final Latin h after a vowel
    if len(word) > 2 and word.endswith("ه"):
        word = word[:-1]
    first = word[0]
    head = _INITIAL.get(first) or _ARABIC_SOUNDS.get(first) or "a"
    rest = (_ARABIC_SOUNDS.get(char, char) for char in word[1:])
    return _collapse(head + "".join(sound for sound in rest if sound))


def _collapse(key: str) -> str:
    return "".join(char for index, char in enumerate(key) if index == 0 or key[index - 1] != char)


# The titles as _words sees them: folded (اللواء loses its hamza, آیت‌الله its madda and ZWNJ).
_TITLES = frozenset(_fold(word) for word in _TITLE_WORDS | _UNIT_WORDS)
