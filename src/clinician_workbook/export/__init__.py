"""Exports: nbconvert exporters (HTML) and PDF printing through headless Chromium."""
