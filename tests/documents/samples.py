"""Small documents in the text-based formats, written out here (byte for byte what a file holds)."""

from __future__ import annotations

HTML = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Het nieuws van vandaag</title>
<style>p { color: red; }</style></head>
<body><h1>De <b>minister</b> spreekt</h1>
<p>Het <a href="https://example.nl/a?b=1&amp;c=2" title="Meer informatie">kabinet</a> vergadert
morgen over het <em>nieuwe</em> plan.<br>Daarna volgt een persconferentie.</p>
<pre>  niet   vertalen &lt;b&gt; </pre>
<p>Gebruik <code>vertaal --help</code> voor hulp.</p>
<p translate="no">Geheime code</p>
<script>var tekst = "<b>niet vertalen</b>";</script>
<ul><li>Eerste punt</li><li>Tweede punt</li></ul>
<table><tr><td>Rotterdam</td><td>De haven is groot.</td></tr></table>
<img alt="Een foto van de minister" src="foto.png">
<input placeholder="Zoek een artikel">
</body></html>
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
De minister zei gisteren

2
00:00:03,000 --> 00:00:05,500
dat het <i>kabinet</i> morgen
over het plan vergadert.

3
00:00:06,000 --> 00:00:08,000
Het regent in Den Haag.
"""

VTT = """WEBVTT
Kind: captions
Language: nl

NOTE Deze notitie blijft zoals ze is.

STYLE
::cue { color: yellow }

intro
00:00:01.000 --> 00:00:03.000 align:start position:10%
De minister zei gisteren

00:00:03.000 --> 00:00:05.500
dat het <i>kabinet</i> morgen
over het plan vergadert.

00:00:06.000 --> 00:00:08.000
Het regent in Den Haag.
"""

MARKDOWN = """---
title: niet vertalen
---

# Het **grote** nieuws

De minister zegt dat het [kabinet](https://example.nl/kabinet "Meer") morgen
over het *nieuwe* plan vergadert. Gebruik `vertaal --help` voor hulp.

> Een citaat van de minister.

- Eerste punt van de lijst
- Tweede punt met ![een foto](foto.png)

```python
print("niet vertalen")
```

    ingesprongen code blijft

| Stad | Beschrijving |
|------|--------------|
| Utrecht | Een mooie stad |

Zie <https://nos.nl> voor meer.
"""

XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="nl" datatype="plaintext" original="artikel.txt">
    <body>
      <trans-unit id="1">
        <source>De minister zegt dat het <g id="1">kabinet</g> morgen vergadert.<x id="2"/></source>
      </trans-unit>
      <trans-unit id="2">
        <source>Al vertaald.</source>
        <target state="translated">Already translated.</target>
      </trans-unit>
      <trans-unit id="3" translate="no">
        <source>Niet vertalen.</source>
      </trans-unit>
      <trans-unit id="4">
        <source>Definitief vertaald.</source>
        <target state="signed-off">Signed off.</target>
      </trans-unit>
      <trans-unit id="5" approved="yes">
        <source>Goedgekeurd.</source>
        <target/>
      </trans-unit>
      <trans-unit id="6">
        <source>Een <bx id="3"/>open<ex id="4"/> plan met <ph id="5">&lt;br/&gt;</ph> en <mrk mtype="term">Den Haag</mrk>.</source>
        <target/>
      </trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="nl">
  <file id="f1">
    <unit id="u1">
      <segment>
        <source>De minister zegt dat het <pc id="1">kabinet</pc> morgen vergadert.<ph id="2"/></source>
      </segment>
      <segment state="final">
        <source>Klaar.</source>
        <target>Done.</target>
      </segment>
    </unit>
    <unit id="u2" translate="no">
      <segment>
        <source>Niet vertalen.</source>
      </segment>
    </unit>
    <unit id="u3">
      <segment>
        <source>Het <mrk id="m1" translate="no">NOS Journaal</mrk> begint <sc id="3"/>nu<ec startRef="3"/>.</source>
        <target></target>
      </segment>
    </unit>
  </file>
</xliff>
"""

SDLXLIFF = """<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" version="1.2">
  <file original="a.docx" source-language="nl-NL" datatype="x-sdlfilterframework2">
    <body>
      <trans-unit id="u1">
        <source>Eerste zin. Tweede <g id="1">zin</g>. Derde zin.</source>
        <seg-source><mrk mtype="seg" mid="1">Eerste zin.</mrk> <mrk mtype="seg" mid="2">Tweede <g id="1">zin</g>.</mrk> <mrk mtype="seg" mid="3">Derde zin.</mrk></seg-source>
        <target><mrk mtype="seg" mid="1"/> <mrk mtype="seg" mid="2"/> <mrk mtype="seg" mid="3">Third sentence.</mrk></target>
        <sdl:seg-defs><sdl:seg id="1"/><sdl:seg id="2" locked="true"/><sdl:seg id="3" conf="Translated"/></sdl:seg-defs>
      </trans-unit>
      <trans-unit id="u2">
        <source>Vierde <g id="2">zin</g>.</source>
        <seg-source><mrk mtype="seg" mid="4">Vierde <g id="2">zin</g>.</mrk></seg-source>
      </trans-unit>
    </body>
  </file>
</xliff>
"""
