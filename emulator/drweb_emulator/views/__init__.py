# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Renderings of each resource in XML (elements) and JSON (the `data` value).

Both formats of one resource sit side by side in one module so their name tables
(SPEC §2.3) can be read and checked together.
"""
