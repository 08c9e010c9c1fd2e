# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/user-guide.md's inventory sources and commands, run as written against the emulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import stat
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'reliability'))
import harness  # noqa: E402 pylint: disable=wrong-import-position,import-error

GUIDE = os.path.join(harness.ROOT, 'docs', 'user-guide.md')


def guide_blocks(language):
    with open(GUIDE) as handle:
        return re.findall(r'```%s\n(.*?)```' % language, handle.read(), re.S)


def source(marker_words):
    blocks = [b for b in guide_blocks('yaml') if b.startswith('# inventory/fleet.drweb.yml') and marker_words in b]
    assert len(blocks) == 1, 'docs/user-guide.md shows one inventory source with %r' % marker_words
    return blocks[0]


@pytest.fixture(scope='module')
def emulator(tmp_path_factory):
    with harness.Emulator(str(tmp_path_factory.mktemp('inventory-emulator'))) as server:
        yield server


@pytest.fixture(scope='module')
def env(emulator, tmp_path_factory):
    collections = harness.collections_path(str(tmp_path_factory.mktemp('collections')))
    environ = dict((k, v) for k, v in os.environ.items() if not k.startswith(('ANSIBLE_', 'DRWEB_')))
    environ.update(PATH=harness.BIN + os.pathsep + environ.get('PATH', ''), ANSIBLE_COLLECTIONS_PATH=collections,
                   ANSIBLE_NOCOLOR='1', DRWEB_API_URL=emulator.url, DRWEB_API_USERNAME=emulator.user,
                   DRWEB_API_PASSWORD=emulator.password, DRWEB_CA_PATH=emulator.ca_file,
                   HOME=str(tmp_path_factory.mktemp('home')))
    return environ


def shell(command, cwd, env):
    proc = subprocess.run(['bash', '-euo', 'pipefail', '-c', command], cwd=str(cwd), env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_the_guides_inventory_source_and_command(emulator, env, tmp_path):
    (tmp_path / 'inventory').mkdir()
    (tmp_path / 'inventory' / 'fleet.drweb.yml').write_text(source('keyed_groups'))
    command = next(b for b in guide_blocks('sh') if 'ansible-inventory -i inventory/fleet.drweb.yml --graph' in b).strip()
    graph = shell(command, tmp_path, env).stdout
    for group in ('@blocked:', '@stale:', '@state_online:', '@state_offline:', '@os_Linux:'):
        assert group in graph
    blocked = graph.split('@blocked:')[1].split('@')[0]
    # srv-02 is blocked since 2020; srv-01 only from 2030.
    assert '|--srv-02' in blocked and 'srv-01' not in blocked


def test_the_guides_cache_survives_between_runs_in_a_file_for_its_owner(emulator, env, tmp_path):
    (tmp_path / 'inventory').mkdir()
    (tmp_path / 'inventory' / 'fleet.drweb.yml').write_text(source('cache_plugin: ansible.builtin.jsonfile'))
    listing = 'ansible-inventory -i inventory/fleet.drweb.yml --list'
    mark = emulator.mark()
    first = json.loads(shell(listing, tmp_path, env).stdout)
    second = json.loads(shell(listing, tmp_path, env).stdout)
    assert first == second and 'ws-0001' in first['_meta']['hostvars']
    # The second run read the cache: the server saw the first run's two requests only.
    assert len(emulator.requests(mark)) == 2
    cache = os.path.join(env['HOME'], '.cache', 'drweb-inventory')
    names = os.listdir(cache)
    assert len(names) == 1
    assert stat.S_IMODE(os.stat(os.path.join(cache, names[0])).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700
    flush = next(line for line in open(GUIDE).read().splitlines() if '--flush-cache' in line)
    command = re.search(r'`(ansible-inventory [^`]*--flush-cache)`', flush).group(1)
    shell(command, tmp_path, env)
    assert len(emulator.requests(mark)) == 4
