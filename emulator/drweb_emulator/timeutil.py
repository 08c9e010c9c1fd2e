# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Date forms of the API: Unix seconds, DT17 (`YYYYMMDDHHmmssSSS`) and request dates.

The emulator treats every wall-clock form as UTC so results do not depend on the
machine's time zone.
"""

import calendar
import time


def dt17(ts):
    """Unix seconds (float or int) → DT17 string; 0/None → "0" (not set)."""
    if not ts:
        return "0"
    whole = int(ts)
    millis = int(round((ts - whole) * 1000)) if isinstance(ts, float) else 0
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(whole)) + "%03d" % min(millis, 999)


def revision_stamp(ts):
    """Unix seconds → `YYYYMMDDHHMMSS` (UTC), as used in repository revisions."""
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(int(ts)))


def parse_wallclock(value):
    """`YYYYMMDD`, `YYYYMMDDHHmmss` or DT17 → Unix seconds; "0"/"" → 0.

    Raises ValueError for anything else, including impossible dates.
    """
    value = (value or "").strip()
    if value in ("", "0"):
        return 0
    if not value.isdigit() or len(value) not in (8, 14, 17):
        raise ValueError(value)
    padded = (value + "000000")[:14]
    parsed = time.strptime(padded, "%Y%m%d%H%M%S")
    return calendar.timegm(parsed)


def to_epoch(value):
    """Seed values: an int/float is Unix seconds, a digit string a wall-clock form."""
    if value is None or value == "":
        return 0
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).strip()
    if text.isdigit() and len(text) in (8, 14, 17):
        return parse_wallclock(text)
    return int(float(text))
