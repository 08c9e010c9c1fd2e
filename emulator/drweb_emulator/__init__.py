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
