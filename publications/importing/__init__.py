"""Importing an existing catalogue of analyses (``manage.py import_analyses``; docs/importing.md).

``sources`` reads the file (CSV or JSON) into records; ``rows`` plans each record (values checked,
terms, authors and files looked up: ``terms``, ``people``, ``files``); ``importer`` saves each plan
as an analysis through Wagtail's page API and reports what it did (``processes`` shares the rows
among several processes, with ``--jobs``); ``jobs`` reads the new PDFs and indexes the imported
analyses in bulk, in the background.
"""
