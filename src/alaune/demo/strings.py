"""The words of the demo pages' boilerplate in fr, ar and en, and how each language writes a date.

One table per language with the same keys (a test checks they match), the fictional readers'
comments and the local time of each country. All texts were written for alaune. Pure data and
string functions: this module must not render markup or read the clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

UI: dict[str, dict[str, str]] = {
    "fr": {
        "home": "Accueil",
        "search": "Rechercher",
        "subscribe": "S'abonner",
        "login": "Mon compte",
        "ticker": "En continu",
        "top": "À la une",
        "cookie_text": "Nous et nos partenaires utilisons des traceurs pour mesurer l'audience, "
        "proposer des publicités adaptées et améliorer le site. Vous pouvez "
        "changer d'avis à tout moment depuis le lien « Cookies » en bas de page.",
        "cookie_accept": "Accepter et fermer",
        "cookie_refuse": "Refuser",
        "cookie_settings": "Personnaliser",
        "by": "Par",
        "published": "Publié le",
        "source": "Source :",
        "caption": "Image d'illustration",
        "report_image": "Signaler cette image",
        "report_thanks": "Merci pour votre signalement ! L'image sera masquée dès que "
        "d'autres lecteurs l'auront signalée à leur tour.",
        "read_also": "Lire aussi",
        "colon": " :",
        "share": "Partager",
        "copy_link": "Copier le lien",
        "newsletter_title": "La lettre du matin",
        "newsletter_text": "Chaque jour à 7 h, l'essentiel de l'actualité dans votre boîte mail.",
        "newsletter_placeholder": "Votre adresse e-mail",
        "newsletter_button": "Je m'inscris",
        "comments": "Réactions",
        "comment_add": "Ajouter un commentaire",
        "comment_rules": "Les commentaires sont modérés. Merci de rester courtois.",
        "comment_submit": "Publier",
        "reply": "Répondre",
        "related": "Vous aimerez aussi",
        "most_read": "Les plus lus",
        "wire": "Dépêche",
        "newswire": "Fil info",
        "reading_time": "Lecture : {n} min",
        "follow": "Suivez-nous",
        "app": "Toute l'actualité en direct sur notre application mobile.",
        "about": "Qui sommes-nous",
        "contact": "Contact",
        "legal": "Mentions légales",
        "privacy": "Données personnelles",
        "ads": "Publicité",
        "cookies": "Cookies",
        "rights": "© {year} {name}. Tous droits réservés. Toute reproduction, même partielle, "
        "est interdite sans autorisation écrite.",
        "not_found": "Page introuvable",
        "not_found_text": "La page demandée n'existe pas ou a été déplacée. "
        "Retrouvez nos derniers articles sur la page d'accueil.",
        "more": "Voir plus",
    },
    "ar": {
        "home": "الرئيسية",
        "search": "بحث",
        "subscribe": "اشترك",
        "login": "حسابي",
        "ticker": "عاجل",
        "top": "أبرز الأخبار",
        "cookie_text": "نستخدم نحن وشركاؤنا ملفات تعريف الارتباط لقياس عدد الزوار وتحسين الموقع "
        "وعرض إعلانات تناسبك. يمكنك تغيير اختيارك في أي وقت من أسفل الصفحة.",
        "cookie_accept": "موافق",
        "cookie_refuse": "رفض",
        "cookie_settings": "تخصيص",
        "by": "بقلم",
        "published": "نشر في",
        "source": "المصدر:",
        "caption": "صورة تعبيرية",
        "report_image": "الإبلاغ عن هذه الصورة",
        "report_thanks": "شكرا على تبليغك! ستُحجب هذه الصورة بعد أن يبلغ عنها قراء آخرون.",
        "read_also": "اقرأ أيضا",
        "colon": ":",
        "share": "شارك",
        "copy_link": "نسخ الرابط",
        "newsletter_title": "النشرة الصباحية",
        "newsletter_text": "أهم الأخبار كل صباح في بريدك الإلكتروني.",
        "newsletter_placeholder": "بريدك الإلكتروني",
        "newsletter_button": "سجلني",
        "comments": "التعليقات",
        "comment_add": "أضف تعليقا",
        "comment_rules": "تخضع التعليقات للمراجعة. نرجو الالتزام بآداب الحوار.",
        "comment_submit": "إرسال",
        "reply": "رد",
        "related": "قد يهمك أيضا",
        "most_read": "الأكثر قراءة",
        "wire": "قصاصة",
        "newswire": "آخر الأخبار",
        "reading_time": "مدة القراءة: {n} د",
        "follow": "تابعونا",
        "app": "تابع الأخبار لحظة بلحظة على تطبيقنا.",
        "about": "من نحن",
        "contact": "اتصل بنا",
        "legal": "شروط الاستخدام",
        "privacy": "سياسة الخصوصية",
        "ads": "أعلن معنا",
        "cookies": "ملفات الارتباط",
        "rights": "© {year} {name}. جميع الحقوق محفوظة. يمنع النقل دون إذن مكتوب.",
        "not_found": "الصفحة غير موجودة",
        "not_found_text": "الصفحة التي تبحث عنها غير موجودة أو تم نقلها. "
        "تصفح آخر مقالاتنا في الصفحة الرئيسية.",
        "more": "المزيد",
    },
    "en": {
        "home": "Home",
        "search": "Search",
        "subscribe": "Subscribe",
        "login": "My account",
        "ticker": "Latest",
        "top": "Top stories",
        "cookie_text": "We and our partners use cookies to count visits, improve the site and "
        "show relevant ads. You can change your mind at any time from the "
        "Cookies link at the bottom of the page.",
        "cookie_accept": "Accept all",
        "cookie_refuse": "Reject",
        "cookie_settings": "Manage choices",
        "by": "By",
        "published": "Published",
        "source": "Source:",
        "caption": "Illustration image",
        "report_image": "Report this image",
        "report_thanks": "Thanks for your report! The image will be hidden once a few "
        "other readers have flagged it too.",
        "read_also": "Read also",
        "colon": ":",
        "share": "Share",
        "copy_link": "Copy link",
        "newsletter_title": "The Morning Brief",
        "newsletter_text": "The day's essential news in your inbox at 7 a.m.",
        "newsletter_placeholder": "Your email address",
        "newsletter_button": "Sign me up",
        "comments": "Comments",
        "comment_add": "Add a comment",
        "comment_rules": "Comments are moderated. Please keep it civil.",
        "comment_submit": "Post",
        "reply": "Reply",
        "related": "You may also like",
        "most_read": "Most read",
        "wire": "Wire",
        "newswire": "Newswire",
        "reading_time": "{n} min read",
        "follow": "Follow us",
        "app": "Breaking news as it happens on our mobile app.",
        "about": "About us",
        "contact": "Contact",
        "legal": "Terms of use",
        "privacy": "Privacy policy",
        "ads": "Advertise",
        "cookies": "Cookies",
        "rights": "© {year} {name}. All rights reserved. No reproduction without written "
        "permission.",
        "not_found": "Page not found",
        "not_found_text": "The page you asked for does not exist or has moved. "
        "Our latest articles are on the home page.",
        "more": "More",
    },
}

#: Fictional readers and what they wrote: (name, comment).
COMMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "fr": (
        ("Karim B.", "Enfin une bonne nouvelle, il était temps."),
        ("Nadia", "Article clair, merci. On attend la suite avec impatience."),
        ("Youssef_75", "Et concrètement, qu'est-ce que ça change pour nous ?"),
        ("Claire M.", "Il faudrait aussi parler de ce qui se passe dans le Sud."),
        ("Hamid de Fès", "On a déjà entendu ces promesses, je demande à voir."),
        ("Sophie", "Très bon résumé, merci pour le travail."),
        ("Amine", "Des chiffres intéressants. Espérons que ça dure !"),
        ("Leïla K.", "Je partage, ma famille doit lire ça."),
    ),
    "ar": (
        ("أبو ياسين", "خبر جميل، نتمنى الاستمرار في هذا الاتجاه."),
        ("فاطمة الزهراء", "شكرا على هذا المقال الواضح."),
        ("مواطن غيور", "وماذا عن المناطق القروية؟"),
        ("سعيد من أكادير", "ننتظر النتائج على أرض الواقع."),
        ("نورة", "كلام جميل لكن التطبيق هو الأهم."),
        ("عبد الله", "معلومات مفيدة، بارك الله فيكم."),
        ("حميد", "متى سيبدأ التنفيذ فعلا؟"),
        ("ليلى", "مقال في المستوى كالعادة."),
    ),
    "en": (
        ("Rachid T.", "Good to finally see some numbers on this."),
        ("Emma", "Clear write-up, thanks."),
        ("oldtangier", "What does this mean for people outside the big cities?"),
        ("Sam K.", "Let's wait and see whether it actually happens."),
        ("Meryem", "Heard similar promises before, but fingers crossed."),
        ("J. Walsh", "Useful summary, bookmarked."),
        ("Driss", "Would love a follow-up on this."),
        ("Hannah", "About time!"),
    ),
}

_MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    # The month names used in Morocco.
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

# Pages show local time, as the outlets' readers expect; feeds stay in UTC.
_UTC_OFFSETS = {"MA": timedelta(hours=1)}


def local_time(moment: datetime, country: str) -> datetime:
    """The moment in the country's time zone (a fixed offset: the demo ignores summer time)."""
    return moment.astimezone(timezone(_UTC_OFFSETS.get(country, timedelta(0))))


def format_date(moment: datetime, language: str) -> str:
    """A date and time as the language writes it: "12 mars 2025 à 14h05", "May 3, 2025, 09:30"."""
    month = _MONTHS[language][moment.month - 1]
    if language == "fr":
        return f"{moment.day} {month} {moment.year} à {moment.hour}h{moment.minute:02d}"
    if language == "ar":
        return f"{moment.day} {month} {moment.year} - {moment.hour:02d}:{moment.minute:02d}"
    return f"{month} {moment.day}, {moment.year}, {moment.hour:02d}:{moment.minute:02d}"
