"""The one HTML allowlist against attack vectors (SECURITY.md D1–D4, D6; alaune.text.sanitize).

Vectors written for alaune, after the families of html5lib's tests1.dat and feedparser's
wellformed/sanitize cases. Each output is checked the way a browser would read it: parsed with
an HTML parser, attribute values entity-decoded and stripped of whitespace and control
characters before the scheme is looked at.
"""

from __future__ import annotations

import html
import re

import lxml.html
import pytest

from alaune.text.sanitize import html_to_text, sanitize_html, text_to_html

BASE = "https://www.lequotidien.example/economie/article.html"
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "svg", "math", "base", "meta", "link", "template",
    "noscript", "video", "audio", "source", "marquee", "body", "html", "head", "title",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "cite"}
_STRIP = re.compile(r"[\x00-\x20\x7f]+")

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<img src=`javascript:alert(1)`>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<img srcset="javascript:alert(1)">',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="jav&#x0D;ascript:alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="&#x20;javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    '<a href="#" onclick="alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<math><a xlink:href="javascript:alert(1)">x</a></math>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<xss style="behavior: url(x.htc)">x</xss>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<blockquote cite="javascript:alert(1)">x</blockquote>',
    "<details open ontoggle=alert(1)>x</details>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<input onfocus=alert(1) autofocus>",
    '<div onmouseover="alert(1)">x</div>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<img src="x" alt="x" onerror="alert(1)"//',
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>",
    "<a href=javascript:alert(1)>x</a>",
    '<a href="\u0001javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)  ">x</a>',
]
D3_MXSS = [
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 '
    'onerror=alert(1)&gt;">',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<math><annotation-xml encoding="text/html"><style><img src=x onerror=alert(1)></style>'
    "</annotation-xml></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>Click</text>"
    "</a></svg>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    '<math><mi><table><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1)'
    ' src=1>">',
]
D4_REMOVED = [
    ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "iframe"),
    ("<button formaction=javascript:alert(1)>go</button>", "button"),
    ('<form action="https://evil.example/"><input name=q></form>', "form"),
    ('<base href="https://evil.example/">', "base"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "meta"),
    ('<object data="https://evil.example/x.swf"></object>', "object"),
    ('<embed src="https://evil.example/x.swf">', "embed"),
    ("<video onloadstart=alert(1) src=https://evil.example/v.mp4></video>", "video"),
]


def assert_inert(fragment: str) -> None:
    """No forbidden element, event handler, style or non-http(s) URL, as a browser reads it."""
    if not fragment.strip():
        return
    for element in lxml.html.fragments_fromstring(f"<div>{fragment}</div>")[0].iter():
        if not isinstance(element.tag, str):
            continue  # a comment, which nh3 strips anyway
        assert element.tag.lower() not in FORBIDDEN_TAGS, fragment
        for name, value in element.attrib.items():
            name = name.lower()
            assert not name.startswith("on"), fragment
            assert name not in {"style", "srcdoc", "srcset", "formaction", "action"}, fragment
            if name in URL_ATTRIBUTES:
                scheme = _STRIP.sub("", html.unescape(value)).split(":", 1)[0].lower()
                assert scheme in {"http", "https"}, f"{name}={value!r} in {fragment!r}"


@pytest.mark.parametrize("vector", XSS + D3_MXSS + [v for v, _ in D4_REMOVED])
def test_d1_vectors_come_out_inert(vector: str) -> None:
    cleaned = sanitize_html(vector, base_url=BASE)
    assert_inert(cleaned)
    # What is left of a payload is text, or a path under the article's own http(s) URL.
    assert "<script" not in cleaned.lower()


@pytest.mark.parametrize("vector", XSS + D3_MXSS)
def test_d1_plain_text_of_a_vector_carries_no_markup(vector: str) -> None:
    text = html_to_text(vector)
    assert "<script" not in text.lower()
    assert "onerror" not in text.lower()


@pytest.mark.parametrize(
    "href",
    [
        "&#106;avascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "&#x20;javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_d2_disguised_schemes_are_dropped(href: str) -> None:
    cleaned = sanitize_html(f'<a href="{href}">lien</a>', base_url=BASE)
    assert cleaned == '<a rel="noopener noreferrer">lien</a>'


@pytest.mark.parametrize("vector", D3_MXSS + XSS)
def test_d3_sanitizing_is_stable_across_a_round_trip(vector: str) -> None:
    once = sanitize_html(vector, base_url=BASE)
    assert sanitize_html(once, base_url=BASE) == once
    # Serialized by another parser (libxml2's) and sanitized again: still inert, still stable.
    reparsed = lxml.html.tostring(
        lxml.html.fragment_fromstring(once or "<p></p>", create_parent="div"), encoding="unicode"
    )
    again = sanitize_html(reparsed, base_url=BASE)
    assert_inert(again)
    assert sanitize_html(again, base_url=BASE) == again


@pytest.mark.parametrize(("vector", "tag"), D4_REMOVED)
def test_d4_dangerous_elements_are_removed(vector: str, tag: str) -> None:
    cleaned = sanitize_html(vector, base_url=BASE)
    assert f"<{tag}" not in cleaned
    assert "evil.example" not in cleaned


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (
            '<a href="/economie/autre.html">x</a>',
            '<a href="https://www.lequotidien.example/economie/autre.html" '
            'rel="noopener noreferrer">x</a>',
        ),
        (
            '<img src="photo.jpg" alt="p">',
            '<img src="https://www.lequotidien.example/economie/photo.jpg" alt="p">',
        ),
        (
            '<a href="//cdn.example/x">x</a>',
            '<a href="https://cdn.example/x" rel="noopener noreferrer">x</a>',
        ),
        ('<img src="data:image/png;base64,AAAA">', "<img>"),
        ('<img src="javascript:alert(1)">', "<img>"),
        (
            '<a href="https://ok.example/a" rel="opener" target="_blank">x</a>',
            '<a href="https://ok.example/a" rel="noopener noreferrer">x</a>',
        ),
    ],
)
def test_d6_only_http_urls_survive_and_links_get_noopener(fragment: str, expected: str) -> None:
    assert sanitize_html(fragment, base_url=BASE) == expected


def test_d6_relative_urls_without_a_base_are_dropped() -> None:
    assert sanitize_html('<a href="/x">x</a><img src="//cdn.example/i.jpg">') == (
        '<a rel="noopener noreferrer">x</a><img>'
    )


def test_allowed_markup_is_kept() -> None:
    fragment = (
        '<p dir="rtl" lang="ar">نص <strong>مهم</strong></p><ul><li>un</li></ul>'
        '<blockquote>citation</blockquote><table><tr><td colspan="2">x</td></tr></table>'
    )
    assert sanitize_html(fragment) == fragment.replace("<tr>", "<tbody><tr>").replace(
        "</table>", "</tbody></table>"
    )


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p>a</p><p>b &amp; c</p>", "a b & c"),
        ("Caf&eacute; &#8217; &lt;b&gt;", "Café ’ <b>"),
        ("<b>Exclusif</b> : l&#8217;OCP", "Exclusif : l’OCP"),
        ("a < b & c > d", "a < b & c > d"),
        ("<script>alert(1)</script>Titre", "Titre"),
        ("  plusieurs \n espaces\t", "plusieurs espaces"),
        ("زلزال <المرحلة الثانية>", "زلزال <المرحلة الثانية>"),
    ],
)
def test_html_to_text(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


def test_text_to_html_escapes_and_keeps_paragraphs() -> None:
    assert text_to_html("a <b> & c") == "a &lt;b&gt; &amp; c"
    assert text_to_html("un\ndeux\n\ntrois") == "<p>un<br>deux</p><p>trois</p>"
