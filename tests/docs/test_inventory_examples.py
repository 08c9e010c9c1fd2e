# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin's EXAMPLES: the source in YAML and the two shown as comments are all valid sources.

EXAMPLES must stay one YAML document without repeated keys (ansible-core 2.16's sanity, ansible-lint),
so the plugin shows its second and third source commented out; this keeps those honest too.
"""

import ast
import json
import os
import re
import subprocess

import yaml

from docblocks import BIN, ROOT

PLUGIN = os.path.join(ROOT, "plugins", "inventory", "stations.py")


def examples():
    tree = ast.parse(open(PLUGIN).read())
    return next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                and any(getattr(target, "id", None) == "EXAMPLES" for target in node.targets))


def options(tmp_path):
    """The plugin's options with its doc fragments (constructed, inventory_cache), as ansible-doc renders them."""
    (tmp_path / "ansible_collections" / "drweb").mkdir(parents=True)
    os.symlink(ROOT, str(tmp_path / "ansible_collections" / "drweb" / "esuite"))
    out = subprocess.run([os.path.join(BIN, "ansible-doc"), "-t", "inventory", "--json", "drweb.esuite.stations"],
                         env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path)), stdout=subprocess.PIPE,
                         check=True).stdout
    return set(json.loads(out)["drweb.esuite.stations"]["doc"]["options"])


def sources():
    """{file name: parsed source} of every example, the commented ones uncommented."""
    examples_text = examples()
    first, rest = examples_text.split("\n# Two more sources", 1)
    commented = "\n".join(line[2:] if line.startswith("# ") else line[1:] for line in rest.splitlines()[1:])
    found = {}
    for text in [first] + re.split(r"\n(?=# \S+\.drweb\.yml:)", commented.strip()):
        name = re.search(r"^# (\S+\.drweb\.yml):", text, re.M).group(1)
        found[name] = yaml.safe_load(text)
    return found


def test_every_example_is_a_source_with_documented_options_only(tmp_path):
    known = options(tmp_path)
    found = sources()
    assert sorted(found) == ["accounting.drweb.yml", "details.drweb.yml", "drweb.drweb.yml"]
    for name, source in found.items():
        assert source["plugin"] == "drweb.esuite.stations", name
        assert set(source) <= known, (name, sorted(set(source) - known))
