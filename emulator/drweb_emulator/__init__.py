# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local emulator of the Dr.Web ESS Server Web API (see README.md).

In-process use (tests)::

    from drweb_emulator import Config, EmulatorServer
    with EmulatorServer(Config(port=0)) as server:
        ...  # server.url, server.port, server.store
"""

from .config import Config
from .server import EmulatorServer

__all__ = ["Config", "EmulatorServer"]
__version__ = "0.1.0"
