"""Republication linking: signatures of record bodies (``signature``), the SQLite index and its MinHash LSH
(``index``), verification of candidate pairs (``match``) and the ``scraper links`` run (``run``)."""
