"""Offline stand-in for the get-pip bootstrap script that ansible-test downloads.

ansible-test builds a fresh venv per sanity test and bootstraps pip there by fetching
``get-pip.py`` from a host that only the package registries replace on our machines.
This script does the same job with the pip wheel that ``ensurepip`` ships: it runs that
pip to install the pip version ansible-test asked for (from PyPI, which is reachable).
"""
import glob
import os
import sys

import ensurepip

IGNORED = ("--no-setuptools", "--no-wheel")


def main():
    wheel = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), "_bundled", "pip-*.whl")))[-1]
    sys.path.insert(0, wheel)
    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel

    args = [arg for arg in sys.argv[1:] if arg not in IGNORED]
    return pip_main(["install", "--upgrade", "--force-reinstall"] + args)


if __name__ == "__main__":
    sys.exit(main())
