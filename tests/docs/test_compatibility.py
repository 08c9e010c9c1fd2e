# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/compatibility.md: the report recipe runs as written, and every sample it cites exists and says what it claims.

The recipe runs against the emulator over HTTPS, with the DRWEB_* variables set as a user sets
them for the collection; the emulator's own state dump gives the station password that must
not survive into the files a user attaches to an issue.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from lxml import etree

from docblocks import ROOT, blocks, shell, user_env

DOC = "docs/compatibility.md"
FIXTURES = os.path.join("tests", "unit", "plugins", "module_utils", "fixtures")
SAMPLES = os.path.join("emulator", "tests", "data")


@pytest.fixture
def emulator(tmp_path):
    files = {name: str(tmp_path / name) for name in ("port", "ca.pem", "out")}
    with open(files["out"], "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "drweb_emulator", "--host", "127.0.0.1", "--port", "0",
                                 "--port-file", files["port"], "--tls", "--ca-file", files["ca.pem"],
                                 "--user", "report-admin", "--password", "R3port-pw"],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 30
    while not (os.path.exists(files["port"]) and open(files["port"]).read().strip()):
        assert proc.poll() is None and time.time() < deadline, open(files["out"]).read()
        time.sleep(0.05)
    yield "https://127.0.0.1:%s" % open(files["port"]).read().strip(), files["ca.pem"]
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)


def _station_password(url, ca_path, station):
    import requests  # pylint: disable=import-outside-toplevel
    state = requests.get(url + "/_emulator/state", verify=ca_path, timeout=10).json()
    return next(s["password"] for s in state["stations"] if s["id"] == station)


def test_the_report_recipe_saves_both_answers_without_the_station_password(tmp_path, emulator):
    url, ca_path = emulator
    script = blocks(DOC)[("test", "report")]
    station = re.search(r"^STATION=(\S+)", script, re.M).group(1)
    env = user_env(tmp_path / "home", DRWEB_API_URL=url, DRWEB_API_USERNAME="report-admin",
                   DRWEB_API_PASSWORD="R3port-pw", DRWEB_CA_PATH=ca_path)
    work = tmp_path / "report"
    work.mkdir()
    proc = shell(script, work, env)
    assert proc.returncode == 0, proc.stdout
    password = _station_password(url, ca_path, station)
    xml_text = (work / ("station-%s.xml" % station)).read_text()
    json_text = (work / ("station-%s.json" % station)).read_text()
    root = etree.fromstring(xml_text.encode())
    assert root.tag == "drweb-es-api" and [s.get("id") for s in root.iter("station")] == [station]
    assert next(root.iter("station")).get("password") == "***"
    assert [s["id"] for s in json.loads(json_text)["data"]["list"]] == [station]
    assert re.search(r'"password": *"\*\*\*"', json_text)
    for text in (xml_text, json_text):
        assert password not in text
    for fmt in ("xml", "json"):
        headers = (work / ("station-%s.%s.headers" % (station, fmt))).read_text()
        assert headers.startswith("HTTP/") and " 200" in headers.splitlines()[0]
    assert "R3port-pw" not in proc.stdout


def _table(heading):
    """Rows (lists of cells) of the Markdown table whose header row starts with ``heading``."""
    text = open(os.path.join(ROOT, DOC)).read()
    lines = text[text.index(heading):].split("\n\n", 1)[0].splitlines()[2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def _sample_path(name):
    """The .xml file of a cited sample, or None when only a .json form exists."""
    for folder in (FIXTURES, SAMPLES):
        for candidate in (name, name + ".xml"):
            path = os.path.join(ROOT, folder, candidate)
            if candidate.endswith(".xml") and os.path.exists(path):
                return path
    return None


def _exists(name):
    return any(os.path.exists(os.path.join(ROOT, folder, name + ext))
               for folder in (FIXTURES, SAMPLES) for ext in ("", ".xml", ".json"))


def test_every_cited_sample_exists_and_is_of_its_generation():
    """Each sample of the samples table exists; its XML envelope has the row's API version and the root of
    that version in the generations table."""
    roots = {re.match(r"[0-9.]+", row[1]).group(0): row[2].strip("`") for row in _table("| server generation |")}
    checked = 0
    for row in _table("| generation | from the documentation |"):
        api = row[0].split("/")[1].strip()
        # File names have an underscore; `null` and `""` are values, srv_version an attribute.
        names = [n for n in re.findall(r"`([a-z0-9.]+_[a-z0-9_.]+)`", " ".join(row[1:])) if n != "srv_version"]
        for name in names:
            assert _exists(name), "%s cites %s, which is in neither %s nor %s" % (DOC, name, FIXTURES, SAMPLES)
            path = _sample_path(name)
            if path:
                element = etree.parse(path).getroot()
                assert (element.tag, element.get("api_version")) == (roots[api], api), name
                checked += 1
    assert checked >= 10
