"""Browser tests: a real Chromium (Debian's, driven by Playwright) against a real development server
loaded with the demo content. See conftest.py for what they need and how they skip."""
