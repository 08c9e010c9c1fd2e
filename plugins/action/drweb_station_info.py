# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb_station_info in the controller's worker process when the task runs on the controller (plugin_utils/_controller.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.drweb.esuite.plugins.modules.drweb_station_info import main
from ansible_collections.drweb.esuite.plugins.plugin_utils._controller import DrWebAction


class ActionModule(DrWebAction):
    module_main = staticmethod(main)
