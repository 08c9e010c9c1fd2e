"""Renderings of each resource in XML (elements) and JSON (the `data` value).

Both formats of one resource sit side by side in one module so their name tables
(SPEC §2.3) can be read and checked together.
"""
