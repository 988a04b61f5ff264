"""Demo content for ``manage.py load_demo_content``: data (content), PDFs, images, builders."""
