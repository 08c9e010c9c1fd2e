# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scripts under hack/ (make test, make matrix, make release) are imported from there."""

import os
import sys

HACK = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, "hack"))
if HACK not in sys.path:
    sys.path.insert(0, HACK)
