from pipeline.enrich.text import article_text, clean_whitespace, html_to_plain_text, looks_like_html

PAGE = """<!doctype html><html><head><title>Titre de page</title><script>var tracking = 1;</script></head>
<body><nav>Accueil | Monde | Sport</nav><article><h1>Le maire annonce des travaux</h1>
<p>Le maire de la ville a annoncé lundi un vaste programme de travaux pour les écoles, les routes et les
bâtiments publics, qui doit s'étaler sur trois ans selon le calendrier présenté au conseil municipal.</p>
<p>«&nbsp;Nous allons commencer par les écoles&nbsp;», a-t-il déclaré devant les élus réunis en séance, en
précisant que les premiers chantiers débuteraient dès le printemps prochain dans plusieurs quartiers.</p>
</article><footer>Tous droits réservés</footer></body></html>"""


def test_looks_like_html_only_when_first_char_is_a_tag():
    assert looks_like_html("  \n<p>x</p>")
    assert not looks_like_html("Le maire a dit <pas de balise>")


def test_extracts_article_paragraphs_without_boilerplate():
    text = article_text(PAGE)
    assert "Nous allons commencer par les écoles" in text
    assert "var tracking" not in text
    assert "Tous droits réservés" not in text
    # paragraphs stay separated by a blank line, and nbsp inside « » became plain spaces
    assert "\n\n« Nous allons" in text
    assert "\u00a0" not in text


def test_plain_conversion_is_the_fallback_for_tiny_pages():
    text = article_text("<div>Court.</div>")
    assert text == "Court."
    assert html_to_plain_text("<p>a</p><script>x()</script><p>b &amp; c</p>") == "a\n\nb & c"


def test_clean_whitespace_keeps_paragraphs():
    raw = "Premier\u00a0paragraphe.\r\n\r\n\r\n\r\n  Second \t paragraphe.  \n"
    assert clean_whitespace(raw) == "Premier paragraphe.\n\nSecond paragraphe."
