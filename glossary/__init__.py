"""Terminology kept in gettext PO files, matched in Dutch text and enforced in translations."""
