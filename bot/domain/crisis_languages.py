"""Crisis phrases and contacts beyond English (issue 15, point 4).

People mix languages, so a person's own language and English are both checked. The phrases
are matched as `bot.domain.crisis` matches English: whole words in a row, after folding, which
drops accents and Arabic short vowels and evens out letter forms, so "chce sie zabic" typed
without Polish letters and "أريد أن أموت" typed without hamza both match. Inflected languages
need each common form listed. These lists are a start: they need review by native speakers
who work in crisis care, and a deployment can give its own (CRISIS_PHRASES per language).
"""

from __future__ import annotations

CRISIS_PHRASES_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "pl": (
        "samobójstwo",
        "samobójstwa",
        "samobójstwie",
        "samobójstwem",
        "samobójczych",
        "samobójcze",
        "samobójcza",
        "samobójczy",
        "zabić się",
        "się zabić",
        "zabiję się",
        "się zabiję",
        "zabije się",
        "odebrać sobie życie",
        "odbiorę sobie życie",
        "skończyć ze sobą",
        "skończę ze sobą",
        "skończyć z sobą",
        "nie chcę żyć",
        "nie chce mi się żyć",
        "nie chcę już żyć",
        "chcę umrzeć",
        "chciałbym umrzeć",
        "chciałabym umrzeć",
        "wolałbym nie żyć",
        "wolałabym nie żyć",
        "samookaleczenie",
        "samookaleczam się",
        "tnę się",
        "ciąć się",
        "okaleczam się",
        "zrobić sobie krzywdę",
        "zrobię sobie krzywdę",
        "przedawkować",
        "przedawkowałem",
        "przedawkowałam",
        "przedawkowanie",
        "powiesić się",
        "powieszę się",
        "nie ma sensu żyć",
        "nie widzę sensu życia",
        "mam dość życia",
    ),
    "ar": (
        "انتحار",
        "الانتحار",
        "انتحر",
        "أنتحر",
        "سأنتحر",
        "أقتل نفسي",
        "سأقتل نفسي",
        "قتل نفسي",
        "أنهي حياتي",
        "إنهاء حياتي",
        "أريد أن أموت",
        "اريد الموت",
        "أتمنى الموت",
        "أتمنى لو كنت ميتا",
        "لا أريد أن أعيش",
        "لا أريد العيش",
        "لا أريد الحياة",
        "أؤذي نفسي",
        "إيذاء نفسي",
        "أذيت نفسي",
        "أجرح نفسي",
        "جرح نفسي",
        "جرعة زائدة",
        "أشنق نفسي",
        "لا فائدة من الحياة",
        "تعبت من الحياة",
    ),
}

# The deployment's default contacts (the UK's, as in bot/config.py), in each language. The
# numbers are the same; only the words around them change. Used only while the deployment
# keeps the default English contacts: a deployment that set its own gets those instead of a
# translation of numbers it replaced.
UK_CRISIS_CONTACTS_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "pl": (
        "Nagły wypadek: zadzwoń pod 999",
        "NHS 111, opcja 2 (zdrowie psychiczne)",
        "Samaritans: zadzwoń pod 116 123, bezpłatnie, w dzień i w nocy",
        "Shout: wyślij SMS o treści SHOUT pod 85258 (po angielsku)",
    ),
    "ar": (
        "في حالة الطوارئ: اتصل بالرقم 999",
        "NHS 111، الخيار 2 (الصحة النفسية)",
        "Samaritans: اتصل بالرقم 116 123، مجانًا، ليلًا ونهارًا",
        "Shout: أرسل كلمة SHOUT برسالة نصية إلى 85258 (بالإنجليزية)",
    ),
}
