"""Make sure Debian's headless Chromium is installed, for the fleet report test; idempotent.

Prints the path of the browser. Does nothing when one is already there (chromium,
chromium-browser, or $CHROMIUM). Otherwise, as root (or through sudo), runs
`apt-get install chromium`, and `apt-get update` first when the package lists do not
know the package yet. Exits 1 with one sentence when it cannot.

Usage: install_chromium.py
"""
import os
import shutil
import subprocess
import sys
import time

NAMES = ("chromium", "chromium-browser")
PACKAGES = ["chromium", "fonts-liberation"]


def find():
    wanted = os.environ.get("CHROMIUM")
    if wanted:
        return shutil.which(wanted)
    return next((path for path in map(shutil.which, NAMES) if path), None)


def apt(args, prefix):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(prefix + ["apt-get"] + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)


def known(prefix):
    return subprocess.run(prefix + ["apt-cache", "show", PACKAGES[0]], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False).returncode == 0


def main():
    found = find()
    if found:
        print(found)
        return 0
    if not shutil.which("apt-get"):
        print("Cannot install Chromium: this machine has no apt-get; install Chromium and set CHROMIUM to it.",
              file=sys.stderr)
        return 1
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"] if shutil.which("sudo") else None
    if prefix is None:
        print("Cannot install Chromium: apt-get needs root, and sudo is not there.", file=sys.stderr)
        return 1
    started = time.time()
    if not known(prefix):
        update = apt(["update", "-q"], prefix)
        if update.returncode != 0:
            print(update.stdout[-2000:], file=sys.stderr)
            print("Cannot install Chromium: apt-get update failed.", file=sys.stderr)
            return 1
    install = apt(["install", "-y", "-q", "--no-install-recommends"] + PACKAGES, prefix)
    found = find()
    if install.returncode != 0 or not found:
        print(install.stdout[-2000:], file=sys.stderr)
        print("Cannot install Chromium: apt-get install %s failed." % " ".join(PACKAGES), file=sys.stderr)
        return 1
    print("installed %s in %.0f s" % (" ".join(PACKAGES), time.time() - started), file=sys.stderr)
    print(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
