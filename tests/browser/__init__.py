"""Browser tests (headless Chromium): a package so module names never clash with tests/."""
