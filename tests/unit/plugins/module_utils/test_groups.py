# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

pytest.importorskip('requests')

from ansible_collections.drweb.esuite.plugins.module_utils._client import DrWebClient  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._errors import (  # noqa: E402
    DrWebAuthError,
    DrWebError,
    DrWebNotFoundError,
)
from ansible_collections.drweb.esuite.plugins.module_utils._groups import group_tree, looks_like_id, resolve_groups  # noqa: E402
from ansible_collections.drweb.esuite.tests.unit.plugins.module_utils.http_stub import (  # noqa: E402
    Reply,
    StubServer,
    json_doc,
    json_error,
    xml_doc,
    xml_error,
)

EVERYONE = '20e27d73-d21d-b211-a788-85419c46f0e6'
STATUS = '48afe720-953c-4075-856c-361f3ff06b6d'

# parent id (None = root) -> [(id, name, type, child_groups)]
TREE = {
    None: [(EVERYONE, 'Everyone', 1, 0), (STATUS, 'Status', 10, 2), ('acc-1', 'Accounting', 0, 1), ('sales', 'Sales', 0, 2)],
    STATUS: [('st-online', 'Online', 2, 0), ('st-newbies', 'Newbies', 10, 0)],
    'acc-1': [('acc-ber', 'Berlin', 0, 0)],
    'sales': [('sales-ber', 'Berlin', 0, 0), ('team-a', 'Team A', 0, 0)],
}
# Known to groups/info.ds but not reachable by the walk.
HIDDEN = {'hidden-9': ('hidden-9', 'Hidden', 0, 0)}
WALK_REQUESTS = 3  # root + the two user groups with children (system groups are not descended into)
SYSTEM_WALK_REQUESTS = 1  # Status, walked only for a reference the user groups cannot settle


def _group_xml(entry, parent=None):
    gid, name, gtype, children = entry
    return ('<group id="%s" name="%s" child_groups="%d" stations="0" type="%d" parent_id="%s"/>'
            % (gid, name, children, gtype, parent or ''))


def _all_groups():
    groups = dict(HIDDEN)
    for children in TREE.values():
        for entry in children:
            groups[entry[0]] = entry
    return groups


def _group_json(entry, parent=None):
    gid, name, gtype, children = entry
    group = {"id": gid, "name": name, "child_groups": children, "stations": 0, "type": gtype}
    if parent:
        group["parent_id"] = parent
    return group


def _groups_reply(request, entries, parent=None):
    if request.param('format') == ['json']:
        return Reply(json_doc({"groups": {"total": len(entries), "list": [_group_json(e, parent) for e in entries]}}))
    return Reply(xml_doc('<groups total="%d">%s</groups>' % (len(entries), ''.join(_group_xml(e, parent) for e in entries))))


def list_reply(request):
    parent = (request.param('parent-group') or [None])[0]
    return _groups_reply(request, TREE.get(parent, []), parent)


def info_reply(partial):
    def answer(request):
        known = _all_groups()
        ids = request.param('id')
        missing = [i for i in ids if i not in known]
        if missing and not partial:
            # One unknown id fails the whole call.
            message = "Group '%s' not found" % missing[0]
            return Reply(json_error(27, message) if request.param('format') == ['json'] else xml_error(27, message))
        return _groups_reply(request, [known[i] for i in ids if i in known])
    return answer


@pytest.fixture(params=['whole-xml', 'partial-xml', 'whole-json', 'partial-json'])
def stub(request):
    mode, fmt = request.param.split('-')
    server = StubServer().start()
    server.add('groups/list', list_reply)
    server.add('groups/info', info_reply(mode == 'partial'))
    server.fmt = fmt
    yield server
    server.stop()


@pytest.fixture
def client(stub):
    return DrWebClient(stub.url, 'admin', 'pw', backoff=0, timeout=5, api_format=stub.fmt)


def ids(result):
    return dict((ref, group['id']) for ref, group in result.items())


def test_looks_like_id():
    assert looks_like_id('7ec98a70-5c83-11ea-512f-70a167e08535')
    assert looks_like_id('GroupForIGS') and looks_like_id('a_b.c-1')
    assert not looks_like_id('Team A') and not looks_like_id('Ops/Berlin') and not looks_like_id('')


def test_ids_only_cost_one_request(stub, client):
    result = resolve_groups(client, ['acc-1', 'sales', STATUS])
    assert ids(result) == {'acc-1': 'acc-1', 'sales': 'sales', STATUS: STATUS}
    assert result['sales']['name'] == 'Sales'
    assert stub.scripts() == ['groups/info']
    assert stub.requests[0].param('id') == ['acc-1', 'sales', STATUS]


def test_ids_found_once_cost_nothing_on_the_same_client(stub, client):
    resolve_groups(client, ['acc-1', 'sales'])
    again = resolve_groups(client, ['sales', 'acc-1'])
    assert ids(again) == {'sales': 'sales', 'acc-1': 'acc-1'}
    assert stub.scripts() == ['groups/info']
    # Only the id not seen before is asked for.
    resolve_groups(client, ['sales', STATUS])
    assert stub.scripts() == ['groups/info', 'groups/info']
    assert stub.requests[1].param('id') == [STATUS]


def test_a_name_that_looks_like_an_id_costs_one_failed_look_up_per_client(stub, client):
    first = resolve_groups(client, ['Sales'])
    scripts = stub.scripts()
    assert scripts[0] == 'groups/info' and 'groups/list' in scripts
    again = resolve_groups(client, ['Sales'])
    assert ids(again) == ids(first) == {'Sales': 'sales'}
    assert stub.scripts() == scripts


def test_known_memberships_cost_nothing(stub, client):
    known = [{'id': 'acc-1', 'name': 'Accounting', 'type': 0}, {'id': 'acc-ber', 'name': 'Berlin', 'type': 0}]
    result = resolve_groups(client, ['Accounting', 'acc-ber', 'Berlin'], known=known)
    # 'Berlin' is ambiguous in the tree, but the station is already in exactly one group of that name.
    assert ids(result) == {'Accounting': 'acc-1', 'acc-ber': 'acc-ber', 'Berlin': 'acc-ber'}
    assert client.request_count == 0


def test_empty_and_duplicate_refs(stub, client):
    assert resolve_groups(client, []) == {}
    assert ids(resolve_groups(client, ['acc-1', 'acc-1', None, ''])) == {'acc-1': 'acc-1'}
    assert client.request_count == 1


def test_name_with_space_walks_the_tree_only(stub, client):
    result = resolve_groups(client, ['Team A'])
    assert ids(result) == {'Team A': 'team-a'}
    assert result['Team A']['path'] == 'Sales/Team A'
    assert stub.scripts() == ['groups/list'] * WALK_REQUESTS
    # Every group with children is listed once, level by level; leaves are not.
    parents = [(r.param('parent-group') or [None])[0] for r in stub.requests]
    assert parents == [None, 'acc-1', 'sales']


def test_id_like_name_tries_info_then_walks(stub, client):
    result = resolve_groups(client, ['Accounting'])
    assert ids(result) == {'Accounting': 'acc-1'}
    assert stub.scripts() == ['groups/info'] + ['groups/list'] * WALK_REQUESTS


def test_ids_and_names_mixed_reuse_the_walk(stub, client):
    result = resolve_groups(client, ['Team A', 'acc-1', 'Online'])
    assert ids(result) == {'Team A': 'team-a', 'acc-1': 'acc-1', 'Online': 'st-online'}
    # 'Online' is not a user group: one info.ds call for it as an id, then the system
    # sub-trees are walked, once.
    assert stub.scripts() == ['groups/list'] * WALK_REQUESTS + ['groups/info'] + ['groups/list'] * SYSTEM_WALK_REQUESTS


def test_user_group_names_never_walk_system_groups(stub, client):
    assert ids(resolve_groups(client, ['Team A', 'Accounting', 'Sales'])) == {
        'Team A': 'team-a', 'Accounting': 'acc-1', 'Sales': 'sales'}
    assert STATUS not in [(r.param('parent-group') or [None])[0] for r in stub.requests]


def test_id_missing_from_the_tree_costs_one_info_call(stub, client):
    result = resolve_groups(client, ['Team A', 'hidden-9'])
    assert ids(result) == {'Team A': 'team-a', 'hidden-9': 'hidden-9'}
    assert stub.scripts() == ['groups/list'] * WALK_REQUESTS + ['groups/info']


def test_partial_not_found_in_info(stub, client):
    # Whole-call error (mode "whole") or a short answer (mode "partial"): either way one info
    # call, then the walk settles the rest.
    result = resolve_groups(client, ['acc-1', 'Accounting'])
    assert ids(result) == {'acc-1': 'acc-1', 'Accounting': 'acc-1'}
    assert stub.scripts() == ['groups/info'] + ['groups/list'] * WALK_REQUESTS


def test_unknown_group(stub, client):
    with pytest.raises(DrWebNotFoundError) as err:
        resolve_groups(client, ['acc-1', 'nope'])
    assert str(err.value) == "Group 'nope' does not exist on the server."
    # An unknown reference is looked for in the system sub-trees too before it fails.
    assert client.request_count == 1 + WALK_REQUESTS + SYSTEM_WALK_REQUESTS
    with pytest.raises(DrWebNotFoundError, match="Group 'No Such Group' does not exist on the server."):
        resolve_groups(client, ['No Such Group'])
    assert client.request_count == 1 + WALK_REQUESTS + SYSTEM_WALK_REQUESTS  # both trees are cached per client


def test_ambiguous_name(stub, client):
    with pytest.raises(DrWebError) as err:
        resolve_groups(client, ['Berlin'])
    assert not isinstance(err.value, DrWebNotFoundError)
    assert str(err.value) == ("Group name 'Berlin' is ambiguous: it matches groups acc-ber (Accounting/Berlin), "
                              "sales-ber (Sales/Berlin); use the group id.")
    # Ids stay unambiguous.
    assert ids(resolve_groups(client, ['sales-ber'])) == {'sales-ber': 'sales-ber'}


def test_walk_once_per_client(stub, client):
    resolve_groups(client, ['Team A'])
    resolve_groups(client, ['Online', 'Team A'])
    assert client.request_count == WALK_REQUESTS + 1 + SYSTEM_WALK_REQUESTS
    assert sorted(g['path'] for g in group_tree(client)) == sorted([
        'Everyone', 'Status', 'Accounting', 'Accounting/Berlin', 'Sales', 'Sales/Berlin', 'Sales/Team A'])
    tree = group_tree(client, system=True)
    assert client.request_count == WALK_REQUESTS + 1 + SYSTEM_WALK_REQUESTS
    assert sorted(g['path'] for g in tree) == sorted([
        'Everyone', 'Status', 'Status/Online', 'Status/Newbies', 'Accounting', 'Accounting/Berlin',
        'Sales', 'Sales/Berlin', 'Sales/Team A'])
    other = DrWebClient(stub.url, 'admin', 'pw', backoff=0)
    resolve_groups(other, ['Team A'])
    assert other.request_count == WALK_REQUESTS


def test_transport_and_auth_errors_are_not_swallowed(stub, client):
    stub.routes['groups/info'] = [Reply('', status=401)]
    with pytest.raises(DrWebAuthError):
        resolve_groups(client, ['acc-1'])
    assert client.request_count == 1
