# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/gitops.md runs as written: its files are the files of docs/examples/gitops/, and its commands work.

The repository is copied to a temporary directory, the collection is installed into its
``./collections`` (from this checkout: offline, ``requirements.yml`` cannot reach Galaxy), and
the commands of the doc's ``gitops-test: commands`` block run verbatim with bash against an
emulator that starts without any of the example's groups and stations, with the ``DRWEB_*``
variables that the doc's ``gitops-test: environment`` block names.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time

import pytest
import requests
import yaml

from ansible.parsing.vault import VaultLib, VaultSecret

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'reliability'))
from harness import write_password_file  # noqa: E402 pylint: disable=wrong-import-position,import-error

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
DOC = os.path.join(ROOT, 'docs', 'gitops.md')
EXAMPLE = os.path.join(ROOT, 'docs', 'examples', 'gitops')
BIN = os.path.dirname(os.path.abspath(sys.executable))
FILE_MARKER = re.compile(r'<!-- file: (?P<path>\S+)(?P<decrypted> decrypted)?(?: lines (?P<a>\d+)-(?P<b>\d+))? -->\n'
                         r'```[a-z]*\n(?P<body>.*?)```', re.S)
SITES = {'Berlin': 'ber', 'Hamburg': 'ham', 'Munich': 'mun', 'Vienna': 'vie'}
TEAMS = ('Accounting', 'Sales', 'Kiosks', 'Lab')


def doc_text():
    with open(DOC) as handle:
        return handle.read()


def block(name):
    match = re.search(r'<!-- gitops-test: %s -->\n```(?:sh)?\n(.*?)```' % name, doc_text(), re.S)
    assert match, 'docs/gitops.md has no gitops-test: %s block' % name
    return [line for line in match.group(1).splitlines() if line.strip()]


def vault_password():
    with open(os.path.join(EXAMPLE, 'vault-password.txt')) as handle:
        return handle.read().strip()


def decrypt(path):
    with open(path, 'rb') as handle:
        data = handle.read()
    return VaultLib([('default', VaultSecret(vault_password().encode()))]).decrypt(data).decode()


# --------------------------------------------------------------------------- the doc shows the real files

def test_every_file_the_doc_shows_is_the_example_file():
    shown = list(FILE_MARKER.finditer(doc_text()))
    assert len(shown) >= 10
    for match in shown:
        path = os.path.join(EXAMPLE, match.group('path'))
        text = decrypt(path) if match.group('decrypted') else open(path).read()
        if match.group('a'):
            text = ''.join(text.splitlines(True)[int(match.group('a')) - 1:int(match.group('b'))])
        assert match.group('body') == text, '%s differs from what docs/gitops.md shows' % match.group('path')
    paths = set(m.group('path') for m in shown)
    for required in ('groups.yml', 'inventory/group_vars/all/drweb.yml', 'inventory/group_vars/all/vault.yml',
                     '.gitlab-ci.yml', 'configure_stations.yml'):
        assert required in paths


def test_the_example_declares_20_groups_and_200_stations():
    with open(os.path.join(EXAMPLE, 'groups.yml')) as handle:
        assert len(yaml.safe_load(handle)['groups']) == 20
    ids = []
    for name in sorted(os.listdir(os.path.join(EXAMPLE, 'stations'))):
        with open(os.path.join(EXAMPLE, 'stations', name)) as handle:
            ids.extend(s['id'] for s in yaml.safe_load(handle)['stations'])
    assert len(ids) == len(set(ids)) == 200


def test_the_environment_block_sets_what_the_test_sets():
    names = set()
    for line in block('environment'):
        names.update(re.findall(r'\b([A-Z_]+)=', line.split('#')[0]))
    assert names == {'DRWEB_API_URL', 'DRWEB_API_USERNAME', 'DRWEB_CA_PATH', 'DRWEB_API_PASSWORD', 'VAULT_PASS_FILE'}


# --------------------------------------------------------------------------- the commands work

class Emulator(object):
    def __init__(self, work):
        self.username = 'gitops-admin'
        self.password = 'api-' + secrets.token_hex(10)
        self.ca_file = os.path.join(work, 'ca.pem')
        self.log = os.path.join(work, 'requests.jsonl')
        port_file = os.path.join(work, 'port')
        argv = [sys.executable, '-m', 'drweb_emulator', '--host', '127.0.0.1', '--port', '0', '--port-file', port_file,
                '--tls', '--ca-file', self.ca_file, '--user', self.username,
                '--password-file', write_password_file(os.path.join(work, 'admin.pw'), self.password),
                '--request-log', self.log]
        with open(os.path.join(work, 'emulator.out'), 'w') as out:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.time() + 60
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError('the emulator did not start')
            time.sleep(0.05)
        self.url = 'https://127.0.0.1:%d' % int(open(port_file).read())

    def get(self, path, **params):
        # verify= on the request: REQUESTS_CA_BUNDLE would override a session's verify.
        return requests.get(self.url + path, params=params, auth=(self.username, self.password),
                            verify=self.ca_file, timeout=30)

    def state(self):
        return self.get('/_emulator/state').json()

    def requests_logged(self):
        with open(self.log) as handle:
            return [json.loads(line) for line in handle if line.strip()]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope='module')
def emulator(tmp_path_factory):
    server = Emulator(str(tmp_path_factory.mktemp('emulator')))
    yield server
    server.stop()


def copy_collection(dest):
    """The collection as git tracks it (what a checkout holds), for ansible-galaxy collection install."""
    out = subprocess.run(['git', 'ls-files', '-z', '-co', '--exclude-standard'], cwd=ROOT, stdout=subprocess.PIPE,
                         check=True).stdout.decode()
    for path in out.split('\0'):
        if path and not path.startswith(('build/', 'emulator/', 'benchmarks/')) and os.path.isfile(os.path.join(ROOT, path)):
            os.makedirs(os.path.dirname(os.path.join(dest, path)) or dest, exist_ok=True)
            shutil.copy2(os.path.join(ROOT, path), os.path.join(dest, path))


@pytest.fixture(scope='module')
def repo(tmp_path_factory):
    """The example repository, copied, with the collection installed into its ./collections."""
    work = tmp_path_factory.mktemp('gitops')
    path = str(work / 'drweb-fleet')
    shutil.copytree(EXAMPLE, path)
    source = str(work / 'source')
    copy_collection(source)
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', source, '-p', './collections'],
                   cwd=path, env=clean_env(), check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return path


def clean_env(**extra):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('ANSIBLE_', 'DRWEB_', 'MOLECULE_')))
    env['PATH'] = BIN + os.pathsep + env.get('PATH', '')
    env['ANSIBLE_NOCOLOR'] = '1'
    env.update(extra)
    return env


def run_doc_command(repo_dir, emulator, command):
    """One line of the doc's commands block, in bash, after the doc's own VAULT_PASS_FILE line."""
    vault_line = [line for line in block('environment') if 'VAULT_PASS_FILE=' in line][0]
    env = clean_env(DRWEB_API_URL=emulator.url, DRWEB_API_USERNAME=emulator.username,
                    DRWEB_API_PASSWORD=emulator.password, DRWEB_CA_PATH=emulator.ca_file)
    proc = subprocess.run(['bash', '-c', '%s\n%s' % (vault_line, command)], cwd=repo_dir, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=600, check=False)
    assert emulator.password not in proc.stdout
    return proc


def recap_changed(output):
    return int(re.search(r'localhost\s+: ok=\d+\s+changed=(\d+)', output).group(1))


def new_groups(state):
    by_id = dict((g['id'], g) for g in state['groups'])
    paths = {}
    for group in state['groups']:
        if group['name'] in SITES and group['parent_id'] is None:
            paths[group['name']] = group
        parent = by_id.get(group['parent_id'])
        if parent and parent['name'] in SITES and parent['parent_id'] is None and group['name'] in TEAMS:
            paths['%s/%s' % (parent['name'], group['name'])] = group
    return paths


def example_stations(state):
    return dict((s['id'], s) for s in state['stations'] if s['id'][:3] in SITES.values() and s['status'] != 'deleted')


def test_the_commands_of_the_doc_converge_the_example(repo, emulator):
    commands = block('commands')
    assert len(commands) == 3 and '--check --diff' in commands[0]
    assert commands[1] == commands[2]
    before = emulator.state()
    assert new_groups(before) == {} and example_stations(before) == {}

    # ---------------------------------------------------------------- plan: everything, nothing written
    mark = len(emulator.requests_logged())
    plan = run_doc_command(repo, emulator, commands[0])
    assert plan.returncode == 0, plan.stdout[-4000:]
    assert [r for r in emulator.requests_logged()[mark:] if r['write']] == []
    assert 'Check mode, nothing was changed. 200 station(s): 200 to create, 0 to update' in plan.stdout
    assert '20 group(s): 20 to create, 0 to update, 0 to delete, 0 unchanged' in plan.stdout
    assert 'stations_defaults applied to every station: country, purge_acl, update_password' in plan.stdout

    # ---------------------------------------------------------------- apply: 20 groups, then 200 stations
    mark = len(emulator.requests_logged())
    apply = run_doc_command(repo, emulator, commands[1])
    assert apply.returncode == 0, apply.stdout[-4000:]
    writes = [r for r in emulator.requests_logged()[mark:] if r['write']]
    assert [(r['object'], r['script']) for r in writes[:20]] == [('groups', 'add')] * 20
    assert [(r['object'], r['script']) for r in writes[20:]] == [('stations', 'add')] * 200
    state = emulator.state()
    groups = new_groups(state)
    assert len(groups) == 20
    assert groups['Berlin']['id'] == 'site-berlin' and groups['Berlin']['description'] == 'Berlin office'
    stations = example_stations(state)
    assert len(stations) == 200
    ki = stations['ber-ki-01']
    assert ki['parent_id'] == groups['Berlin/Kiosks']['id'] and ki['password'] == 'kiosk-ber-ki-01-pw'
    # stations_defaults from the inventory's group_vars took effect, and a file's defaults win over them.
    assert stations['ber-ws-01']['country'] == 'DE' and stations['vie-ws-01']['country'] == 'AT'
    assert stations['vie-ws-01']['city'] == 'Vienna'
    assert stations['ber-ws-01']['acl']['allowed'] == ['tcp/10.20.1.0/24']

    # ---------------------------------------------------------------- the same again: no change at all
    mark = len(emulator.requests_logged())
    again = run_doc_command(repo, emulator, commands[2])
    assert again.returncode == 0, again.stdout[-4000:]
    assert recap_changed(again.stdout) == 0
    assert [r for r in emulator.requests_logged()[mark:] if r['write']] == []
    assert '200 station(s): 0 created, 0 updated, 0 deleted, 200 unchanged, 0 failed' in again.stdout

    # ---------------------------------------------------------------- hand changes: purged, and reported
    assert emulator.get('/api/stations/change.ds', id='ber-ws-01', **{'add-acl-allow': '192.168.7.7'}).status_code == 200
    assert emulator.get('/api/stations/add.ds', id='ber-hand-01', name='BY-HAND',
                        **{'parent-group': groups['Berlin/Kiosks']['id']}).status_code == 200
    hand = run_doc_command(repo, emulator, commands[2])
    assert hand.returncode == 0, hand.stdout[-4000:]
    state = emulator.state()
    assert example_stations(state)['ber-ws-01']['acl']['allowed'] == ['tcp/10.20.1.0/24']
    assert '200 station(s): 0 created, 1 updated, 0 deleted, 199 unchanged, 0 failed' in hand.stdout
    assert 'updated: ber-ws-01' in hand.stdout
    assert 'unlisted (in stations_scope, not in the list): ber-hand-01' in hand.stdout
    assert 'ber-hand-01' in example_stations(state)
    # No agent password reached the output.
    assert 'kiosk-ber-ki' not in plan.stdout + apply.stdout + again.stdout + hand.stdout


def test_group_vars_next_to_the_playbook_are_refused(repo, emulator, tmp_path):
    layout = str(tmp_path / 'wrong')
    shutil.copytree(repo, layout, symlinks=True)
    shutil.move(os.path.join(layout, 'inventory', 'group_vars'), os.path.join(layout, 'group_vars'))
    mark = len(emulator.requests_logged())
    proc = run_doc_command(layout, emulator, block('commands')[0])
    assert proc.returncode != 0
    assert 'group_vars/ next to the playbook is not loaded for drweb.esuite.configure_stations' in \
        re.sub(r'\s+', ' ', proc.stdout)
    assert emulator.requests_logged()[mark:] == []


def test_an_undefined_vault_variable_names_file_station_and_option(repo, emulator, tmp_path):
    layout = str(tmp_path / 'undefined')
    shutil.copytree(repo, layout, symlinks=True)
    path = os.path.join(layout, 'stations', 'hamburg.yml')
    with open(path) as handle:
        text = handle.read()
    with open(path, 'w') as handle:
        handle.write(text.replace("vault_station_passwords['ham-ki-02']", "vault_station_passwords['ham-ki-99']"))
    mark = len(emulator.requests_logged())
    proc = run_doc_command(layout, emulator, block('commands')[0])
    assert proc.returncode != 0
    flat = re.sub(r'\s+', ' ', proc.stdout)
    assert 'stations/hamburg.yml: station ham-ki-02: option password: each uses a variable that is not defined' in flat
    assert 'kiosk-ham-ki' not in proc.stdout
    assert emulator.requests_logged()[mark:] == []


# --------------------------------------------------------------------------- the doc's error examples

def edit(path, old, new):
    with open(path) as handle:
        text = handle.read()
    assert old in text, '%s no longer holds %r' % (path, old)
    with open(path, 'w') as handle:
        handle.write(text.replace(old, new, 1))


def test_a_wrong_file_is_one_sentence_per_problem_before_any_request(repo, emulator, tmp_path):
    """The merge request of "When a file is wrong", and exactly the sentences the doc shows."""
    layout = str(tmp_path / 'wrong-files')
    shutil.copytree(repo, layout, symlinks=True)
    berlin, hamburg = os.path.join(layout, 'stations', 'berlin.yml'), os.path.join(layout, 'stations', 'hamburg.yml')
    edit(berlin, '{id: ber-ws-03, name: BER-WS-03,', '{id: ber-ws-03, nme: BER-WS-03,')
    edit(berlin, '{id: ber-ws-09, name: BER-WS-09,', '{id: ber-ws-09, name: BER-WS-09, latitude: north,')
    edit(berlin, '{id: ber-ws-07,', '{id: ber-ws-02,')
    edit(hamburg, '{id: ham-ws-02,', '{id: ber-ws-05,')
    mark = len(emulator.requests_logged())
    proc = run_doc_command(layout, emulator, block('commands')[0])
    assert proc.returncode != 0
    sentences = block('input-errors')
    assert len(sentences) == 4
    assert '"msg": "%s"' % ' '.join(sentences) in proc.stdout
    assert 'argument_spec_data' not in proc.stdout and 'Supported parameters' not in proc.stdout
    assert emulator.requests_logged()[mark:] == []


def test_a_failed_plan_still_shows_every_other_diff_and_fails_last(repo, tmp_path_factory, tmp_path):
    """"When a station fails, the plan is still whole", on a server of its own that has none of the example."""
    server = Emulator(str(tmp_path_factory.mktemp('failed-plan-emulator')))
    try:
        layout = str(tmp_path / 'failed-plan')
        shutil.copytree(repo, layout, symlinks=True)
        edit(os.path.join(layout, 'stations', 'berlin.yml'), '{id: ber-ws-01, name: BER-WS-01, parent_group: Berlin/Accounting,',
             '{id: ber-ws-01, name: BER-WS-01, parent_group: Berlin/Acounting,')
        proc = run_doc_command(layout, server, block('commands')[0])
        writes = [r for r in server.requests_logged() if r['write']]
    finally:
        server.stop()
    out = proc.stdout
    assert proc.returncode != 0
    assert writes == []
    ids = []
    for name in sorted(os.listdir(os.path.join(EXAMPLE, 'stations'))):
        with open(os.path.join(EXAMPLE, 'stations', name)) as handle:
            ids.extend(s['id'] for s in yaml.safe_load(handle)['stations'])
    missing = [i for i in ids if i != 'ber-ws-01' and '+++ after: %s\n' % i not in out]
    assert missing == [] and '+++ after: ber-ws-01\n' not in out
    assert len(re.findall(r'^\+\+\+ after: group ', out, re.M)) == 20
    assert 'Check mode, nothing was changed. 200 station(s): 199 to create, 0 to update, 0 to delete, 0 unchanged, ' \
           '1 failed' in out
    lines = block('failed-plan')
    assert '"%s",' % lines[0] in out
    assert lines[1] in out
    # The failure is the only one, and it comes after every diff and after the summary.
    assert out.count('fatal:') == 1
    assert out.index(lines[1]) > out.rindex('+++ after:') and out.index(lines[1]) > out.index('"%s",' % lines[0])
