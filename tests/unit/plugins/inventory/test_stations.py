# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stations inventory plugin against a loopback HTTP stub with exact answers.

The stub (not the emulator) lets every test count the requests the plugin sends and
feed it awkward data: duplicate names, a station deleted mid-read, template-looking
names, a password in the details.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

pytest.importorskip('requests')
pytest.importorskip('lxml')

from ansible.errors import AnsibleParserError  # noqa: E402
from ansible.inventory.data import InventoryData  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.plugins.loader import inventory_loader  # noqa: E402

from ansible_collections.drweb.esuite.tests.unit.plugins.module_utils.http_stub import (  # noqa: E402
    Reply,
    StubServer,
    json_doc,
    xml_doc,
    xml_error,
)

EVERYONE = '20e27d73-d21d-b211-a788-85419c46f0e6'
PASSWORD = 'Adm1n-S3cret!'
STATION_PASSWORD = 'st4tion-pw'
ENV = ('DRWEB_API_URL', 'DRWEB_API_USERNAME', 'DRWEB_API_PASSWORD', 'DRWEB_VALIDATE_CERTS',
       'DRWEB_CA_PATH', 'DRWEB_TIMEOUT', 'DRWEB_RETRIES', 'DRWEB_API_FORMAT', 'DRWEB_PROXY', 'DRWEB_USE_PROXY',
       'DRWEB_MAX_RESPONSE_MB', 'ANSIBLE_INVENTORY_CACHE', 'ANSIBLE_CACHE_PLUGIN', 'ANSIBLE_INVENTORY_CACHE_PLUGIN',
       'ANSIBLE_CACHE_PLUGIN_CONNECTION', 'ANSIBLE_INVENTORY_CACHE_CONNECTION')


def group_xml(gid, name, gtype=0):
    return ('<groups total="1"><group id="%s" name="%s" description="" created="1" modified="1" parent_id="" '
            'parent_name="" type="%d"/></groups>' % (gid, name, gtype))


def listed(sid, name, state=1, os_name='Linux', blockbeg='0', login_addr='10.0.0.1'):
    return ('<station id="%s" name="%s" last_seen_time="1700000000" last_seen_addr="tcp://%s:2193" state="%d" '
            'os="16842752" os_name="%s" login_addr="%s" login_mac="52:54:00:00:00:01" createtime="20231101090000000" '
            'blockbeg="%s" blockend="0"/>' % (sid, name, login_addr, state, os_name, login_addr, blockbeg))


def listing(*stations):
    return ('<stations total="%d">%s</stations><pages total="1" current="1" objects-per-page="1000"/>'
            % (len(stations), ''.join(stations)))


def info_xml(sid, name, city='Berlin'):
    return (
        '<stations total="1"><station id="%s" name="%s" created="1700000000" modified="1700000100" parent_id="%s" '
        'parent_name="Everyone" parent_type="1" password="%s" state="1">'
        '<blocking><begin>0</begin><end>0</end></blocking><lastseenat>1700000200</lastseenat>'
        '<lastseenfrom>ssl://10.0.0.1:2193</lastseenfrom><os code="16842752">Linux</os><department/>'
        '<description>managed</description><country>DE</country><street/><room/><city>%s</city><floor/>'
        '<longitude>0</longitude><latitude>0</latitude><organization/><province/><email/>'
        '<group-membership total="1"><group id="g-acc" name="Accounting" type="0"/></group-membership>'
        '<acl priority="allow"><allowed/><disallowed/></acl></station></stations>'
        % (sid, name, EVERYONE, STATION_PASSWORD, city))


@pytest.fixture
def stub(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    server = StubServer().start()
    yield server
    server.stop()


def run(stub, tmp_path, name='test.drweb.yml', refresh=True, **options):
    config = dict(plugin='drweb.esuite.stations', api_url=stub.url, api_username='admin', api_password=PASSWORD)
    config.update(options)
    path = tmp_path / name
    path.write_text(json.dumps(config))
    plugin = inventory_loader.get('drweb.esuite.stations')
    assert plugin.verify_file(str(path))
    inventory = InventoryData()
    # Ansible passes cache=False when the user asked for a refresh (--flush-cache).
    plugin.parse(inventory, DataLoader(), str(path), cache=not refresh)
    # What InventoryManager does after a successful parse.
    if getattr(plugin, '_cache', None) is not None:
        plugin.update_cache_if_changed()
    return inventory


def hostvars(inventory, host):
    return inventory.get_host(host).get_vars()


def group_hosts(inventory, group):
    return sorted(h.name for h in inventory.groups[group].get_hosts())


def default_routes(stub, stations):
    stub.add('groups/info', Reply(xml_doc(group_xml(EVERYONE, 'Everyone', 1))))
    stub.add('groups/stations-list', Reply(xml_doc(listing(*stations))))


@pytest.mark.parametrize('name, accepted', [
    ('site.drweb.yml', True),
    ('site.drweb.yaml', True),
    ('drweb_stations.yml', True),
    ('drweb_stations.yaml', True),
    ('site.yml', False),
    ('drweb.yml.bak', False),
    ('stations.drweb.json', False),
])
def test_verify_file_accepts_only_its_names(tmp_path, name, accepted):
    path = tmp_path / name
    path.write_text('plugin: drweb.esuite.stations\n')
    assert inventory_loader.get('drweb.esuite.stations').verify_file(str(path)) is accepted


def test_verify_file_rejects_a_missing_file(tmp_path):
    assert not inventory_loader.get('drweb.esuite.stations').verify_file(str(tmp_path / 'gone.drweb.yml'))


def test_default_source_costs_one_group_check_and_one_listing_page(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1'), listed('ws-2', 'WS-2', state=0, os_name='Windows 7')])
    inventory = run(stub, tmp_path)

    assert stub.scripts() == ['groups/info', 'groups/stations-list']
    assert stub.requests[0].param('id') == [EVERYONE]
    listing_request = stub.requests[1]
    assert listing_request.param('id') == [EVERYONE]
    assert listing_request.param('subgroups') == ['yes']
    assert listing_request.param('per-page') == ['1000']
    assert sorted(inventory.hosts) == ['ws-1', 'ws-2']
    ws1 = hostvars(inventory, 'ws-1')
    assert ws1['drweb_id'] == 'ws-1'
    assert ws1['drweb_name'] == 'WS-1'
    assert ws1['drweb_state'] == 1
    assert ws1['drweb_os_name'] == 'Linux'
    assert ws1['drweb_login_addr'] == '10.0.0.1'
    assert ws1['drweb_listed_in'] == ['Everyone']
    assert ws1['drweb_state_name'] == 'online'
    assert hostvars(inventory, 'ws-2')['drweb_state_name'] == 'offline'
    # One form for every time value: Unix seconds, the listing's DT17 dates read as UTC.
    assert ws1['drweb_last_seen_time'] == 1700000000
    assert ws1['drweb_created_time'] == 1698829200  # 2023-11-01 09:00:00 UTC
    assert ws1['drweb_block_begin_time'] is None and ws1['drweb_block_end_time'] is None
    assert ws1['drweb_expires_time'] is None
    assert ws1['drweb_blocked'] is False
    # The listing's own names are gone: one variable per fact.
    for old in ('create_time', 'block_begin', 'block_end', 'expires'):
        assert 'drweb_' + old not in ws1
    # No connection variables: stations are not Ansible-managed machines unless the user says so.
    assert 'ansible_host' not in ws1


def test_every_page_is_read(stub, tmp_path):
    stub.add('groups/info', Reply(xml_doc(group_xml(EVERYONE, 'Everyone', 1))))
    first = ''.join(listed('ws-%04d' % i, 'WS-%04d' % i) for i in range(1000))
    stub.add('groups/stations-list',
             Reply(xml_doc('<stations total="1001">%s</stations><pages total="2" current="1" objects-per-page="1000"/>' % first)),
             Reply(xml_doc('<stations total="1001">%s</stations><pages total="2" current="2" objects-per-page="1000"/>'
                           % listed('ws-1000', 'WS-1000'))))
    inventory = run(stub, tmp_path)
    assert len(inventory.hosts) == 1001
    assert [r.param('page') for r in stub.requests[1:]] == [['1'], ['2']]


def test_several_groups_make_one_host_per_station(stub, tmp_path):
    stub.add('groups/info', Reply(xml_doc(
        '<groups total="2"><group id="g-acc" name="Accounting" type="0"/><group id="g-srv" name="Servers" type="0"/></groups>')))
    stub.add('groups/stations-list',
             Reply(xml_doc(listing(listed('ws-1', 'WS-1'), listed('both', 'BOTH')))),
             Reply(xml_doc(listing(listed('srv-1', 'SRV-1'), listed('both', 'BOTH')))))
    inventory = run(stub, tmp_path, drweb_groups=['g-acc', 'g-srv'], subgroups=False,
                    keyed_groups=[{'key': 'drweb_listed_in', 'prefix': 'drweb'}])

    assert stub.scripts() == ['groups/info', 'groups/stations-list', 'groups/stations-list']
    # One groups/info call checks every id at once.
    assert stub.requests[0].param('id') == ['g-acc', 'g-srv']
    assert stub.requests[1].param('subgroups') == []
    assert sorted(inventory.hosts) == ['both', 'srv-1', 'ws-1']
    assert hostvars(inventory, 'both')['drweb_listed_in'] == ['Accounting', 'Servers']
    assert group_hosts(inventory, 'drweb_Accounting') == ['both', 'ws-1']
    assert group_hosts(inventory, 'drweb_Servers') == ['both', 'srv-1']


def test_show_blocked_and_station_type_are_passed_on(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1')])
    run(stub, tmp_path, show_blocked=False, station_type=True)
    assert stub.requests[1].param('show-blocked-stations') == ['no']
    assert stub.requests[1].param('station-type') == ['yes']


def test_constructed_features(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1', os_name='Windows 7'),
                          listed('srv-1', 'SRV-1', state=0, blockbeg='20200101000000000', login_addr='10.9.9.9'),
                          listed('later', 'LATER', state=0, blockbeg='20991231000000000')])
    inventory = run(stub, tmp_path,
                    keyed_groups=[{'key': 'drweb_os_name', 'prefix': 'os'}, {'key': 'drweb_state_name', 'prefix': 'state'}],
                    groups={'blocked': 'drweb_blocked', 'drweb_stations': True,
                            # What the plugin's documented example uses: time arithmetic on Unix seconds.
                            'stale': '(drweb_last_seen_time or 0) < now(utc=true).timestamp() - 30 * 86400'},
                    compose={'ansible_host': 'drweb_login_addr', 'site': "drweb_name | lower"})

    assert group_hosts(inventory, 'os_Windows_7') == ['ws-1']
    assert group_hosts(inventory, 'os_Linux') == ['later', 'srv-1']
    assert group_hosts(inventory, 'state_online') == ['ws-1']
    assert group_hosts(inventory, 'state_offline') == ['later', 'srv-1']
    # Blocked since 2020 is blocked; blocked only from 2099 is not, yet.
    assert group_hosts(inventory, 'blocked') == ['srv-1']
    assert group_hosts(inventory, 'stale') == ['later', 'srv-1', 'ws-1']
    assert group_hosts(inventory, 'drweb_stations') == ['later', 'srv-1', 'ws-1']
    assert hostvars(inventory, 'srv-1')['ansible_host'] == '10.9.9.9'
    assert hostvars(inventory, 'srv-1')['site'] == 'srv-1'
    assert hostvars(inventory, 'srv-1')['drweb_block_begin_time'] == 1577836800
    assert hostvars(inventory, 'later')['drweb_blocked'] is False


def test_the_documented_examples_use_only_variables_the_plugin_sets(stub, tmp_path):
    import yaml
    from ansible_collections.drweb.esuite.plugins.inventory import stations as plugin_module
    default_routes(stub, [listed('ws-1', 'WS-1')])
    names = set(hostvars(run(stub, tmp_path), 'ws-1'))
    for document in yaml.safe_load_all(plugin_module.EXAMPLES):
        expressions = [g['key'] for g in document.get('keyed_groups', [])] + [
            str(v) for v in (document.get('groups') or {}).values()] + list((document.get('compose') or {}).values())
        for expression in expressions:
            for word in expression.replace('(', ' ').replace(')', ' ').replace('|', ' ').split():
                if word.startswith('drweb_') and not document.get('include'):
                    assert word in names, '%s is not a host variable of the listing' % word


def test_strict_turns_a_bad_expression_into_an_error(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1')])
    inventory = run(stub, tmp_path, compose={'broken': 'drweb_nope.attr'})
    assert 'broken' not in hostvars(inventory, 'ws-1')
    with pytest.raises(Exception, match='broken'):
        run(stub, tmp_path, name='strict.drweb.yml', strict=True, compose={'broken': 'drweb_nope.attr'})


def test_vars_prefix(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1')])
    inventory = run(stub, tmp_path, vars_prefix='dw_')
    variables = hostvars(inventory, 'ws-1')
    assert variables['dw_os_name'] == 'Linux'
    assert not [k for k in variables if k.startswith('drweb_')]


def test_hostname_name_falls_back_to_the_id_for_missing_shared_and_clashing_names(stub, tmp_path):
    default_routes(stub, [
        listed('ws-1', 'DESK'),
        listed('ws-2', 'LAPTOP'),
        listed('ws-3', 'LAPTOP'),       # shared name
        listed('ws-4', ''),             # no name
        listed('ws-5', 'ws-1'),         # a name that is another station's id
        listed('ws-6', 'ws-6'),         # a name equal to its own id is fine
    ])
    inventory = run(stub, tmp_path, hostname='name')
    assert sorted(inventory.hosts) == ['DESK', 'ws-2', 'ws-3', 'ws-4', 'ws-5', 'ws-6']
    assert hostvars(inventory, 'DESK')['drweb_id'] == 'ws-1'


def info_answer(request, known=None):
    """A server that takes several ids: every station asked for (and known), in one answer."""
    ids = [i for i in request.param('id') if known is None or i in known]
    return Reply(xml_doc('<stations total="%d">%s</stations>' % (
        len(ids), ''.join(info_xml(i, i.upper())[len('<stations total="1">'):-len('</stations>')] for i in ids))))


def test_details_add_info_fields_but_never_the_password(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1'), listed('ws-2', 'WS-2')])
    stub.add('stations/info', info_answer)
    inventory = run(stub, tmp_path, include=['group_membership'], details_workers=2,
                    keyed_groups=[{'key': "drweb_group_membership | map(attribute='name')", 'prefix': 'member'}])

    info_requests = [r for r in stub.requests if r.script == 'stations/info']
    # Both stations in one request.
    assert [r.param('id') for r in info_requests] == [['ws-1', 'ws-2']]
    assert all(r.param('group-membership') == ['yes'] for r in info_requests)
    variables = hostvars(inventory, 'ws-1')
    assert variables['drweb_city'] == 'Berlin'
    assert variables['drweb_parent_name'] == 'Everyone'
    assert variables['drweb_listed_in'] == ['Everyone']
    # The details' times replace the listing's: one variable per fact, Unix seconds.
    assert variables['drweb_created_time'] == 1700000000
    assert variables['drweb_modified_time'] == 1700000100
    assert variables['drweb_block_begin_time'] is None
    assert not [k for k in variables if k in ('drweb_create_time', 'drweb_block_begin', 'drweb_block_end', 'drweb_expires')]
    assert group_hosts(inventory, 'member_Accounting') == ['ws-1', 'ws-2']
    for host in inventory.hosts:
        dumped = json.dumps(hostvars(inventory, host), default=str)
        assert 'password' not in dumped
        assert STATION_PASSWORD not in dumped
        assert PASSWORD not in dumped


def test_details_skip_a_station_deleted_meanwhile(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1'), listed('gone', 'GONE')])

    def answer(request):
        if request.param('id') == ['gone']:
            return Reply(xml_error(12, "Station 'gone' not found"))
        return Reply(xml_doc(info_xml('ws-1', 'WS-1')))

    stub.add('stations/info', answer)
    stub.add('stations/state', Reply(xml_doc('<states><state id="gone">not found</state></states>')))
    inventory = run(stub, tmp_path, details=True, details_workers=1)
    assert sorted(inventory.hosts) == ['ws-1']


def test_json_format_gives_the_same_host_vars(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1')])
    xml_vars = hostvars(run(stub, tmp_path), 'ws-1')

    json_stub = StubServer().start()
    try:
        json_stub.add('groups/info', Reply(json_doc({'groups': {'total': 1, 'list': [
            {'id': EVERYONE, 'name': 'Everyone', 'type': 1}]}})))
        json_stub.add('groups/stations-list', Reply(json_doc({
            'stations': {'total': 1, 'list': [{
                'id': 'ws-1', 'name': 'WS-1', 'last_seen_time': 1700000000, 'last_seen_addr': 'tcp://10.0.0.1:2193',
                'state': 1, 'os_code': 16842752, 'os_name': 'Linux', 'login_addr': '10.0.0.1',
                'login_mac': '52:54:00:00:00:01', 'createtime': '20231101090000000', 'blockbeg': '0', 'blockend': '0'}]},
            'pages': {'current': 1, 'objects_per_page': 1000, 'total': 1}})))
        json_vars = hostvars(run(json_stub, tmp_path, name='json.drweb.yml', api_format='json'), 'ws-1')
        assert json_stub.requests[0].param('format') == ['json']
    finally:
        json_stub.stop()
    assert json_vars == xml_vars


def test_server_data_is_never_templated(stub, tmp_path):
    default_routes(stub, [listed('ws-1', "{{ lookup('env', 'HOME') }}")])
    inventory = run(stub, tmp_path, compose={'label': 'drweb_name'})
    assert hostvars(inventory, 'ws-1')['label'] == "{{ lookup('env', 'HOME') }}"


def test_cache_is_used_and_refreshed(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1')])
    options = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path / 'cache'))
    run(stub, tmp_path, refresh=False, **options)
    assert len(stub.requests) == 2

    inventory = run(stub, tmp_path, refresh=False, **options)
    assert len(stub.requests) == 2, 'a cached inventory must not ask the server'
    assert sorted(inventory.hosts) == ['ws-1']

    # ansible-inventory --flush-cache and meta: refresh_inventory pass cache=False.
    run(stub, tmp_path, refresh=True, **options)
    assert len(stub.requests) == 4

    cached = ''.join(open(os.path.join(str(tmp_path / 'cache'), name)).read()
                     for name in os.listdir(str(tmp_path / 'cache')))
    assert 'ws-1' in cached
    assert PASSWORD not in cached


def test_cache_files_are_for_their_owner_only(stub, tmp_path):
    import stat
    default_routes(stub, [listed('ws-1', 'WS-1')])
    cache_dir = tmp_path / 'new' / 'cache'
    options = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(cache_dir))
    run(stub, tmp_path, refresh=False, **options)
    names = os.listdir(str(cache_dir))
    assert len(names) == 1
    path = cache_dir / names[0]
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    # A directory the cache plugin had to create is the owner's alone.
    assert stat.S_IMODE(os.stat(str(cache_dir)).st_mode) == 0o700

    # A file left readable (an older version wrote 0644) is closed when it is read.
    os.chmod(str(path), 0o644)
    run(stub, tmp_path, refresh=False, **options)
    assert len(stub.requests) == 2
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    # Refreshed: written anew, 0600 again.
    run(stub, tmp_path, refresh=True, **options)
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600


def test_an_existing_cache_directory_keeps_its_mode(stub, tmp_path):
    import stat
    default_routes(stub, [listed('ws-1', 'WS-1')])
    cache_dir = tmp_path / 'shared'
    cache_dir.mkdir()
    os.chmod(str(cache_dir), 0o750)
    run(stub, tmp_path, refresh=False, cache=True, cache_plugin='ansible.builtin.jsonfile',
        cache_connection=str(cache_dir))
    assert stat.S_IMODE(os.stat(str(cache_dir)).st_mode) == 0o750


def test_an_old_cache_format_is_read_again(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1')])
    options = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path / 'cache'))
    run(stub, tmp_path, refresh=False, **options)
    path = os.path.join(str(tmp_path / 'cache'), os.listdir(str(tmp_path / 'cache'))[0])
    with open(path) as handle:
        outer = json.load(handle)
    # ansible-core 2.19 wraps the value in a payload; older cores store it as it is.
    data = json.loads(outer['__payload__']) if '__payload__' in outer else outer
    data['format'] = 1
    data['stations'][0]['block_begin'] = '20200101000000000'
    with open(path, 'w') as handle:
        json.dump(dict(outer, __payload__=json.dumps(data)) if '__payload__' in outer else data, handle)
    inventory = run(stub, tmp_path, refresh=False, **options)
    assert len(stub.requests) == 4
    assert 'drweb_block_begin' not in hostvars(inventory, 'ws-1')


def test_cache_key_follows_the_source_options(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1')])
    options = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path / 'cache'))
    run(stub, tmp_path, refresh=False, **options)
    run(stub, tmp_path, refresh=False, show_blocked=False, **options)
    assert len(stub.requests) == 4, 'other source options must not reuse the cache'


def test_errors_are_one_sentence_parser_errors(stub, tmp_path):
    stub.add('groups/info', Reply(xml_error(401, 'Authorization failed'), status=401))
    with pytest.raises(AnsibleParserError) as err:
        run(stub, tmp_path)
    message = str(err.value)
    assert message.startswith('drweb.esuite.stations: Authentication to the Dr.Web server')
    assert PASSWORD not in message


def test_unknown_group_name_is_reported(stub, tmp_path):
    stub.add('groups/list', Reply(xml_doc('<groups total="1"><group id="%s" name="Everyone" child_groups="0" '
                                          'stations="1" type="1"/></groups>' % EVERYONE)))
    with pytest.raises(AnsibleParserError, match="Group 'Nowhere' does not exist"):
        run(stub, tmp_path, drweb_groups=['Nowhere'])


def test_bad_options_fail_before_any_request(stub, tmp_path):
    with pytest.raises(AnsibleParserError, match='drweb_groups option is empty'):
        run(stub, tmp_path, drweb_groups=[])
    with pytest.raises(AnsibleParserError, match='timeout'):
        run(stub, tmp_path, timeout=0)
    with pytest.raises(AnsibleParserError, match='details_workers'):
        run(stub, tmp_path, details=True, details_workers=0)
    with pytest.raises(AnsibleParserError, match='api_url'):
        run(stub, tmp_path, api_url='ftp://drweb.test')
    # The same checks and sentences as the modules (issue 14).
    for options, words in (({'timeout': 10 ** 12}, 'from 1 to 3600 seconds'), ({'retries': -1}, 'from 0 to 10'),
                           ({'ca_path': '/missing.pem'}, 'The ca_path file /missing.pem does not exist.'),
                           ({'proxy': 'socks5://127.0.0.1:1080'}, 'must be an http:// or https:// URL'),
                           ({'max_response_mb': 0}, 'max_response_mb'), ({'limit': 0}, 'The limit option must be 1 or more')):
        with pytest.raises(AnsibleParserError) as err:
            run(stub, tmp_path, **options)
        assert words in str(err.value)
    assert stub.requests == []


def test_limit_reads_only_the_stations_wanted(stub, tmp_path):
    both = group_xml(EVERYONE, 'Everyone', 1).replace('</groups>', '') + group_xml('g-2', 'Two').split('>', 1)[1]
    stub.add('groups/info', Reply(xml_doc(both.replace('total="1"', 'total="2"', 1))))
    stub.add('groups/stations-list', Reply(xml_doc(listing(listed('ws-1', 'WS-1'), listed('ws-2', 'WS-2')))),
             Reply(xml_doc(listing(listed('ws-3', 'WS-3'), listed('ws-4', 'WS-4')))))
    stub.add('stations/info', info_answer)
    inventory = run(stub, tmp_path, drweb_groups=[EVERYONE, 'g-2'], limit=3, details=True, details_workers=1)
    assert sorted(inventory.hosts) == ['ws-1', 'ws-2', 'ws-3']
    pages = [r for r in stub.requests if r.script == 'groups/stations-list']
    # Pages no larger than the stations still wanted.
    assert [r.param('per-page') for r in pages] == [['3'], ['1']]
    assert [r.param('id') for r in stub.requests if r.script == 'stations/info'] == [['ws-1', 'ws-2', 'ws-3']]


def test_details_of_a_server_that_does_not_take_batches_cost_one_request_more_per_batch(stub, tmp_path):
    ids = ['ws-%02d' % i for i in range(5)]
    default_routes(stub, [listed(i, i.upper()) for i in ids])
    # Answers only the first id of a request, as a server may for an undocumented repeated id.
    stub.add('stations/info', lambda request: info_answer(request, known=request.param('id')[:1]))
    inventory = run(stub, tmp_path, details=True)
    assert sorted(inventory.hosts) == ids
    assert all(hostvars(inventory, i)['drweb_city'] == 'Berlin' for i in ids)
    asked = [r.param('id') for r in stub.requests if r.script == 'stations/info']
    assert asked == [ids] + [[i] for i in ids[1:]]


def test_machines_logged_time_is_unix_seconds_too(stub, tmp_path):
    default_routes(stub, [listed('ws-1', 'WS-1')])
    machines = ('<machines total="1"><machine machine_id="m1" mac="08:00:27:02:7f:87" machine_name="pc" '
                'logged_time="20231109125650182" logged_address="10.0.2.2"/></machines>')
    stub.add('stations/info', Reply(xml_doc(info_xml('ws-1', 'WS-1').replace('<group-membership', machines + '<group-membership'))))
    variables = hostvars(run(stub, tmp_path, include=['machines']), 'ws-1')
    assert variables['drweb_machines'][0]['logged_time'] == 1699534610


def test_a_listing_date_that_is_no_date_is_left_out_with_a_warning(stub, tmp_path, monkeypatch):
    default_routes(stub, [listed('ws-1', 'WS-1', blockbeg='2020-01-01')])
    warnings = []
    plugin = inventory_loader.get('drweb.esuite.stations')
    monkeypatch.setattr(type(plugin.display), 'warning', lambda self, msg, *a, **kw: warnings.append(msg))
    variables = hostvars(run(stub, tmp_path), 'ws-1')
    assert variables['drweb_block_begin_time'] is None
    assert warnings[-1] == ('drweb.esuite.stations: 1 time value(s) of the listings are not YYYYMMDDHHmmssSSS dates '
                            'and are left out (null): block_begin of station ws-1')


def test_warnings_never_repeat_a_credential(stub, tmp_path, monkeypatch):
    import base64
    token = base64.b64encode(('admin:%s' % PASSWORD).encode()).decode()
    # A hostile server names stations after what it saw in the request.
    default_routes(stub, [listed(token, ''), listed('ws-2', '')])
    warnings = []
    plugin = inventory_loader.get('drweb.esuite.stations')
    monkeypatch.setattr(type(plugin.display), 'warning', lambda self, msg, *a, **kw: warnings.append(msg))
    run(stub, tmp_path, hostname='name')
    assert len(warnings) == 2 and 'plain http' in warnings[0] and 'named by id' in warnings[1]
    assert token not in warnings[1] and '********' in warnings[1]


def test_connection_options_come_from_the_environment(stub, tmp_path, monkeypatch):
    default_routes(stub, [listed('ws-1', 'WS-1')])
    monkeypatch.setenv('DRWEB_API_URL', stub.url)
    monkeypatch.setenv('DRWEB_API_USERNAME', 'env-admin')
    monkeypatch.setenv('DRWEB_API_PASSWORD', PASSWORD)
    path = tmp_path / 'env.drweb.yml'
    path.write_text('plugin: drweb.esuite.stations\n')
    inventory = InventoryData()
    inventory_loader.get('drweb.esuite.stations').parse(inventory, DataLoader(), str(path), cache=False)
    assert sorted(inventory.hosts) == ['ws-1']
    authorization = stub.requests[0].headers['authorization']
    assert authorization.startswith('Basic ')
