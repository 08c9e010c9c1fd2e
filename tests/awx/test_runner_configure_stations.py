# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run playbooks/configure_stations.yml the way AWX / AAP runs a job template.

AWX hands a job to ansible-runner as a private data directory: the project checkout in
``project/``, an inventory in ``inventory/``, and the environment its credentials inject.
These tests build exactly that for a GitOps repository that uses the collection, render
the collection's credential type (extensions/awx/credential_type.yml) the way AWX renders
injectors, add a vault credential the way AWX does (``--ask-vault-pass`` answered from
``passwords``), and then assert on the job events AWX would store: what changed, the
``drweb_stations`` artifact, and that no secret reaches an event.

The jobs run against the emulator: a check job, a run job, the same run job again, and
an inventory update of the drweb.esuite.stations inventory plugin with the same credential.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time

import pytest
import yaml

import ansible_runner  # noqa: E402
import drweb_emulator  # noqa: E402,F401 pylint: disable=unused-import
import requests  # noqa: E402
from jinja2 import sandbox as jinja2_sandbox  # noqa: E402

from ansible.parsing.vault import VaultLib, VaultSecret  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'reliability'))
from harness import write_password_file  # noqa: E402 pylint: disable=wrong-import-position,import-error

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
CREDENTIAL_TYPE = os.path.join(ROOT, 'extensions', 'awx', 'credential_type.yml')
CREDENTIAL_TASK = os.path.join(ROOT, 'extensions', 'awx', 'credential_type_task.yml')
VAULT_PASSWORD = 'vault-' + secrets.token_hex(8)
KIOSK_PASSWORD = 'kiosk-' + secrets.token_hex(8)
VAULTED_PASSWORD = 'vaulted-' + secrets.token_hex(8)
WRAPPER = '- name: Converge the stations of this repository\n  ansible.builtin.import_playbook: drweb.esuite.configure_stations\n'


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope='module', autouse=True)
def ansible_on_path():
    """ansible-runner starts ansible-playbook from PATH; use the one next to this Python."""
    saved = os.environ.get('PATH', '')
    os.environ['PATH'] = os.path.dirname(os.path.abspath(sys.executable)) + os.pathsep + saved
    yield
    os.environ['PATH'] = saved


@pytest.fixture(scope='module')
def collections_path(tmp_path_factory):
    """Where Ansible finds drweb.esuite: the gate's copy, or a link to this checkout."""
    for path in (os.environ.get('ANSIBLE_COLLECTIONS_PATH') or '').split(os.pathsep):
        if path and os.path.isdir(os.path.join(path, 'ansible_collections', 'drweb', 'esuite')):
            return path
    top = tmp_path_factory.mktemp('collections')
    os.makedirs(str(top / 'ansible_collections' / 'drweb'))
    os.symlink(ROOT, str(top / 'ansible_collections' / 'drweb' / 'esuite'))
    return str(top)


class Emulator(object):
    def __init__(self, work):
        self.work = work
        self.username = 'awx-admin'
        self.password = 'api-' + secrets.token_hex(10)
        self.ca_file = os.path.join(work, 'ca.pem')
        port_file = os.path.join(work, 'port')
        argv = [sys.executable, '-m', 'drweb_emulator', '--host', '127.0.0.1', '--port', '0',
                '--port-file', port_file, '--tls', '--ca-file', self.ca_file,
                '--user', self.username, '--password-file', write_password_file(os.path.join(work, 'admin.pw'),
                                                                                self.password),
                '--request-log', os.path.join(work, 'requests.jsonl')]
        with open(os.path.join(work, 'emulator.out'), 'w') as out:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.time() + 60
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError('the emulator did not start: %s' % open(os.path.join(work, 'emulator.out')).read())
            time.sleep(0.05)
        self.url = 'https://127.0.0.1:%d' % int(open(port_file).read())

    def stations(self):
        state = requests.get(self.url + '/_emulator/state', verify=self.ca_file, timeout=30).json()
        return dict((s['id'], s) for s in state['stations'])

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


# --------------------------------------------------------------------------- AWX, reduced to what a job sees

def credential_type():
    with open(CREDENTIAL_TYPE) as handle:
        return yaml.safe_load(handle)


class _Filenames(object):
    def __init__(self, files):
        self._files = files

    def __getattr__(self, name):
        return self._files[name]

    def __str__(self):
        return self._files['']


def awx_inject(definition, inputs, private_data_dir):
    """Render ``injectors`` like AWX: file templates become files, env templates the job's env.

    AWX renders with a sandboxed Jinja environment against the credential's inputs (a
    boolean the credential leaves out is False, other fields take their ``default``), and
    exposes the written files as ``tower.filename`` / ``awx.filename``.
    """
    namespace = {}
    for field in definition['inputs']['fields']:
        if field['id'] in inputs:
            namespace[field['id']] = inputs[field['id']]
        elif field.get('type') == 'boolean':
            namespace[field['id']] = False
        elif 'default' in field:
            namespace[field['id']] = field['default']
    missing = [name for name in definition['inputs'].get('required', []) if not namespace.get(name)]
    assert not missing, 'AWX would refuse the credential without %s' % missing
    env = jinja2_sandbox.ImmutableSandboxedEnvironment()
    files = {}
    for key, template in (definition['injectors'].get('file') or {}).items():
        name = key.split('.', 1)[1] if '.' in key else ''
        path = os.path.join(private_data_dir, 'env', 'tmp_credential_%s' % (name or 'file'))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as handle:
            handle.write(env.from_string(template).render(**namespace))
        os.chmod(path, 0o600)
        files[name] = path
    filenames = _Filenames(files)
    namespace['tower'] = namespace['awx'] = {'filename': filenames}
    return dict((name, env.from_string(template).render(**namespace))
                for name, template in (definition['injectors'].get('env') or {}).items())


def vault_encrypt(text):
    vault = VaultLib([('default', VaultSecret(VAULT_PASSWORD.encode()))])
    return vault.encrypt(text.encode()).decode()


def write_project(project):
    """A GitOps repository that uses the collection: a thin playbook and station files."""
    os.makedirs(os.path.join(project, 'stations', 'berlin'))
    with open(os.path.join(project, 'configure_stations.yml'), 'w') as handle:
        handle.write('---\n' + WRAPPER)
    with open(os.path.join(project, 'stations', 'berlin', 'accounting.yml'), 'w') as handle:
        yaml.safe_dump({
            'defaults': {'country': 'DE', 'city': 'Berlin'},
            'stations': [
                {'id': 'ws-0001', 'description': 'Accounting laptop (from git via AWX)'},
                {'id': 'awx-0001', 'name': 'AWX-KIOSK', 'password': KIOSK_PASSWORD, 'update_password': 'on_create',
                 'parent_group': 'Office', 'acl_priority': 'deny', 'acl_allow': ['10.20.50.0/24']},
            ]}, handle)
    with open(os.path.join(project, 'stations', 'servers.yml'), 'w') as handle:
        yaml.safe_dump({'stations': [{'id': 'srv-01', 'description': 'File server, blocked for maintenance on 2030-01-01'}]},
                       handle)
    # A whole file under Ansible Vault, as teams keep station passwords in git.
    with open(os.path.join(project, 'stations', 'secret.yml'), 'w') as handle:
        handle.write(vault_encrypt(yaml.safe_dump({'stations': [
            {'id': 'awx-0002', 'name': 'AWX-VAULTED', 'password': VAULTED_PASSWORD, 'update_password': 'on_create'}]})))


def run_job(base, name, emulator, collections_path, job_type='run'):
    """One job template launch: a fresh private data directory, like AWX makes per job."""
    private_data_dir = os.path.join(base, name)
    os.makedirs(os.path.join(private_data_dir, 'inventory'))
    write_project(os.path.join(private_data_dir, 'project'))
    with open(os.path.join(private_data_dir, 'inventory', 'hosts'), 'w') as handle:
        handle.write('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    envvars = awx_inject(credential_type(), {
        'api_url': emulator.url,
        'api_username': emulator.username,
        'api_password': emulator.password,
        'ca_cert': open(emulator.ca_file).read(),
    }, private_data_dir)
    envvars.update({'ANSIBLE_COLLECTIONS_PATH': collections_path, 'ANSIBLE_NOCOLOR': '1',
                    'ANSIBLE_FORCE_COLOR': '0'})
    cmdline = '--ask-vault-pass' + (' --check --diff' if job_type == 'check' else '')
    runner = ansible_runner.run(
        private_data_dir=private_data_dir, playbook='configure_stations.yml', inventory='hosts',
        envvars=envvars, passwords={r'^Vault password:\s*?$': VAULT_PASSWORD}, cmdline=cmdline,
        process_isolation=False, quiet=True, ident=name, settings={'job_timeout': 900})
    events = list(runner.events)
    stdout = runner.stdout.read()
    return runner, events, stdout, envvars


@pytest.fixture(scope='module')
def jobs(emulator, collections_path, tmp_path_factory):
    """A check job, a run job and the same run job again, in this order, on one server."""
    base = str(tmp_path_factory.mktemp('awx-jobs'))
    results = {}
    results['seed'] = emulator.stations()
    results['check'] = run_job(base, 'check', emulator, collections_path, job_type='check')
    results['after_check'] = emulator.stations()
    results['run'] = run_job(base, 'run', emulator, collections_path)
    results['after_run'] = emulator.stations()
    results['rerun'] = run_job(base, 'rerun', emulator, collections_path)
    yield results
    shutil.rmtree(base, ignore_errors=True)


def stats(events):
    found = [e for e in events if e['event'] == 'playbook_on_stats']
    assert len(found) == 1, 'a finished job has exactly one playbook_on_stats event'
    return found[0]['event_data']


def module_results(events, action):
    return [e['event_data'] for e in events
            if e['event'] in ('runner_on_ok', 'runner_on_failed') and e['event_data'].get('task_action') == action]


def assert_successful(job):
    runner, stdout = job[0], job[2]
    assert runner.status == 'successful', stdout[-3000:]
    assert runner.rc == 0


# --------------------------------------------------------------------------- the tests

def test_check_job_predicts_the_changes_and_changes_nothing(jobs):
    assert_successful(jobs['check'])
    events = jobs['check'][1]
    artifact = stats(events)['artifact_data']['drweb_stations']
    assert artifact['check_mode'] is True
    assert sorted(artifact['created']) == ['awx-0001', 'awx-0002']
    assert artifact['updated'] == ['ws-0001']
    assert artifact['unchanged'] == 1
    assert jobs['after_check'] == jobs['seed']


def test_run_job_converges_and_publishes_the_summary(jobs):
    assert_successful(jobs['run'])
    events = jobs['run'][1]
    job_stats = stats(events)
    assert job_stats['changed'] == {'localhost': 1}
    assert job_stats['failures'] == {}
    artifact = job_stats['artifact_data']['drweb_stations']
    assert artifact['check_mode'] is False
    assert sorted(artifact['created']) == ['awx-0001', 'awx-0002']
    assert artifact['updated'] == ['ws-0001']
    assert artifact['deleted'] == [] and artifact['failed'] == {}

    # One module run for the whole list, one result entry per station.
    converge = module_results(events, 'drweb.esuite.drweb_stations')
    assert len(converge) == 1
    results = converge[0]['res']['stations']
    assert sorted(r['id'] for r in results) == ['awx-0001', 'awx-0002', 'srv-01', 'ws-0001']
    assert all(r['msg'].startswith('station ') for r in results)

    stations = jobs['after_run']
    assert stations['awx-0001']['password'] == KIOSK_PASSWORD
    assert stations['awx-0001']['parent_id'] == '7ec98a70-5c83-11ea-512f-70a167e08535'
    assert stations['awx-0001']['city'] == 'Berlin'
    assert stations['awx-0002']['password'] == VAULTED_PASSWORD
    assert stations['ws-0001']['description'] == 'Accounting laptop (from git via AWX)'


def test_rerun_changes_nothing(jobs):
    assert_successful(jobs['rerun'])
    events = jobs['rerun'][1]
    job_stats = stats(events)
    assert job_stats['changed'] == {}
    artifact = job_stats['artifact_data']['drweb_stations']
    assert artifact['created'] == [] and artifact['updated'] == [] and artifact['deleted'] == []
    assert artifact['unchanged'] == 4


@pytest.mark.parametrize('job', ['check', 'run', 'rerun'])
def test_no_secret_reaches_a_job_event_or_the_output(jobs, emulator, job):
    events, stdout, envvars = jobs[job][1:]
    stored = json.dumps(events) + stdout
    assert envvars['DRWEB_API_PASSWORD'] == emulator.password, 'the credential did reach the job'
    for secret in (emulator.password, KIOSK_PASSWORD, VAULTED_PASSWORD, VAULT_PASSWORD):
        assert secret not in stored


def plain(data):
    """Decode ansible-inventory's "inventory_legacy" JSON: server data arrives as {"__ansible_unsafe": value}."""
    if isinstance(data, dict):
        if set(data) == {'__ansible_unsafe'}:
            return data['__ansible_unsafe']
        return dict((key, plain(value)) for key, value in data.items())
    if isinstance(data, list):
        return [plain(value) for value in data]
    return data


def test_inventory_update_with_the_same_credential(emulator, collections_path, tmp_path):
    """An AWX inventory source of the drweb.esuite.stations plugin, fed by the credential's env."""
    private_data_dir = str(tmp_path)
    os.makedirs(os.path.join(private_data_dir, 'project', 'inventory'))
    source = os.path.join(private_data_dir, 'project', 'inventory', 'fleet.drweb.yml')
    with open(source, 'w') as handle:
        yaml.safe_dump({'plugin': 'drweb.esuite.stations',
                        'keyed_groups': [{'key': 'drweb_os_name', 'prefix': 'os'}],
                        'groups': {'drweb_stations': True}}, handle)
    envvars = awx_inject(credential_type(), {
        'api_url': emulator.url, 'api_username': emulator.username, 'api_password': emulator.password,
        'ca_cert': open(emulator.ca_file).read()}, private_data_dir)
    envvars['ANSIBLE_COLLECTIONS_PATH'] = collections_path
    out, err = ansible_runner.get_inventory(action='list', inventories=[source], response_format='json', envvars=envvars,
                                            private_data_dir=private_data_dir, process_isolation=False, quiet=True)
    assert isinstance(out, dict), err
    out = plain(out)
    hosts = set(out['_meta']['hostvars'])
    assert {'ws-0001', 'srv-01', '1001'} <= hosts
    assert set(out['drweb_stations']['hosts']) == hosts
    assert 'ws-0001' in out['os_Windows_8_1_Pro_x64']['hosts']
    assert out['_meta']['hostvars']['ws-0001']['drweb_name'] == 'ACC-WS-0001'
    dumped = json.dumps(out)
    assert emulator.password not in dumped
    assert 'password' not in dumped


def test_credential_type_matches_what_the_collection_reads():
    definition = credential_type()
    assert definition['kind'] == 'cloud'
    fields = dict((f['id'], f) for f in definition['inputs']['fields'])
    assert fields['api_password']['secret'] is True
    assert set(definition['inputs']['required']) <= set(fields)
    env = definition['injectors']['env']
    # Exactly the variables of the connection options that a credential should carry.
    assert sorted(env) == ['DRWEB_API_PASSWORD', 'DRWEB_API_URL', 'DRWEB_API_USERNAME', 'DRWEB_CA_PATH',
                           'DRWEB_PROXY', 'DRWEB_VALIDATE_CERTS']
    assert fields['proxy']['secret'] is True
    plugin = open(os.path.join(ROOT, 'plugins', 'inventory', 'stations.py')).read()
    connection = open(os.path.join(ROOT, 'plugins', 'module_utils', '_module.py')).read()
    for name in env:
        assert name in plugin and name in connection, '%s is not read by the collection' % name
    # AWX requires every file template to be referenced by an injector.
    for key in definition['injectors'].get('file', {}):
        assert 'tower.filename.%s' % key.split('.', 1)[1] in json.dumps(env)


@pytest.mark.parametrize('inputs, expected', [
    ({}, {'DRWEB_CA_PATH': '', 'DRWEB_VALIDATE_CERTS': 'true', 'DRWEB_PROXY': ''}),
    ({'proxy': 'http://proxy.example.com:3128'}, {'DRWEB_PROXY': 'http://proxy.example.com:3128'}),
    ({'skip_tls_verify': True}, {'DRWEB_CA_PATH': '', 'DRWEB_VALIDATE_CERTS': 'false'}),
    ({'ca_cert': '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n'}, {'DRWEB_VALIDATE_CERTS': 'true'}),
])
def test_credential_type_injects_safe_tls_settings(tmp_path, inputs, expected):
    base = {'api_url': 'https://drweb.example.com:9081', 'api_username': 'ansible', 'api_password': 'pw'}
    env = awx_inject(credential_type(), dict(base, **inputs), str(tmp_path))
    for name, value in expected.items():
        assert env[name] == value
    if inputs.get('ca_cert'):
        assert open(env['DRWEB_CA_PATH']).read() == inputs['ca_cert']
    assert env['DRWEB_API_URL'] == base['api_url'] and env['DRWEB_API_PASSWORD'] == 'pw'


def test_credential_type_task_uses_the_shipped_definition():
    tasks = yaml.safe_load(open(CREDENTIAL_TASK))
    assert len(tasks) == 1
    task = tasks[0]
    assert 'awx.awx.credential_type' in task
    args = task['awx.awx.credential_type']
    assert set(args) >= {'name', 'kind', 'inputs', 'injectors'}
    assert "lookup('ansible.builtin.file', 'credential_type.yml')" in task['vars']['drweb_credential_type']
