"""vertaal: offline Dutch→English translation on Argos Translate packages.

The import package is ``translate``; its siblings are ``glossary`` (terminology)
and the command line in :mod:`translate.cli`. Importing this package does
nothing but define names: models, glossaries and heavy libraries load on use.
"""

__version__ = "0.1.0"
