# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""drweb_group, drweb_groups and drweb_group_info driven through main() against a fake server tree.

The fake keeps a group tree and applies the group writes to it, so a second run sees what
the first one wrote; every call is recorded, so request budgets are asserted exactly.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebApiError, DrWebTransportError
from ansible_collections.drweb.esuite.plugins.modules import drweb_group, drweb_group_info, drweb_groups
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import FakeClient, run_module

EVERYONE = {"id": "everyone", "name": "Everyone", "type": 1, "parent_id": None, "stations": 9}
STATUS = {"id": "status", "name": "Status", "type": 10, "parent_id": None, "stations": 9}
OFFICE = {"id": "office", "name": "Office", "type": 0, "parent_id": None, "stations": 2, "description": "HQ"}
ACC = {"id": "acc", "name": "Accounting", "type": 0, "parent_id": "office", "stations": 0}
ACC_B = {"id": "acc-b", "name": "Berlin", "type": 0, "parent_id": "acc", "stations": 0}
SALES = {"id": "sales", "name": "Sales", "type": 0, "parent_id": None, "stations": 0}
SALES_ACC = {"id": "sales-acc", "name": "Accounting", "type": 0, "parent_id": "sales", "stations": 0}
GROUP_WRITES = ("group_add", "group_change", "group_delete")


class TreeClient(FakeClient):
    """A server's group tree that the group writes change; ``fail`` maps a write name to an exception."""

    def __init__(self, groups=(EVERYONE, STATUS, OFFICE, ACC, ACC_B, SALES), fail=None):
        super(TreeClient, self).__init__([dict(g) for g in groups])
        self.fail = dict(fail or {})
        self.counter = 0

    def _children(self, gid):
        return [g for g in self.groups if g.get("parent_id") == gid]

    def group_list(self, parent=None):
        self.calls.append(("group_list", (), {"parent": parent}))
        self.request_count += 1
        return [dict(g, child_groups=len(self._children(g["id"])), parent_id=None, description=None)
                for g in self._children(parent)]

    def group_info(self, ids, include=()):
        found = super(TreeClient, self).group_info(ids)
        self.calls[-1] = ("group_info", (list(ids),), {"include": tuple(include)})
        out = []
        for group in found:
            group = dict(group, child_groups=len(self._children(group["id"])))
            group.setdefault("description", None)
            for flag in include:
                group[flag] = {"inherited": False, "list": ["%s-%s" % (flag, group["id"])]}
            out.append(group)
        return out

    def _write(self, name, *args):
        self.calls.append((name, args, {}))
        self.request_count += 1
        # As DrWebClient does: a group write, even a failed one, drops what the memo knew about groups.
        self.memo.clear()
        if name in self.fail:
            raise self.fail[name]

    def group_add(self, params):
        self._write("group_add", list(params))
        params = dict(params)
        self.counter += 1
        gid = params.get("id") or "uuid-%d" % self.counter
        self.groups.append({"id": gid, "name": params["name"], "type": 0, "parent_id": params.get("parent-group"),
                            "stations": 0, "description": params.get("description")})
        return gid

    def group_change(self, gid, params):
        self._write("group_change", gid, list(params))
        group = next(g for g in self.groups if g["id"] == gid)
        for name, value in params:
            key = {"parent-group": "parent_id"}.get(name, name)
            group[key] = value or None if key == "parent_id" else value
        return gid

    def group_delete(self, ids):
        self._write("group_delete", list(ids))
        self.groups = [g for g in self.groups if g["id"] not in ids]
        return list(ids)

    def group_writes(self):
        return [c for c in self.calls if c[0] in GROUP_WRITES]

    def group(self, gid):
        return next((g for g in self.groups if g["id"] == gid), None)


def group(monkeypatch, client, check_mode=False, **args):
    return run_module(monkeypatch, drweb_group, args, client, check_mode=check_mode)


def groups(monkeypatch, client, entries, check_mode=False):
    return run_module(monkeypatch, drweb_groups, {"groups": entries}, client, check_mode=check_mode)


# ----------------------------------------------------------------------------------- drweb_group

def test_create_by_id_is_one_add_and_the_rerun_writes_nothing(monkeypatch):
    client = TreeClient()
    result = group(monkeypatch, client, id="kiosks", name="Kiosks", parent="Office/Accounting", description="Lobby")
    assert result["changed"] and result["action"] == "created"
    assert result["msg"] == "group Office/Accounting/Kiosks created"
    assert client.group_writes() == [("group_add", ([("name", "Kiosks"), ("id", "kiosks"), ("description", "Lobby"),
                                                     ("parent-group", "acc")],), {})]
    assert result["group"] == {"id": "kiosks", "name": "Kiosks", "path": "Office/Accounting/Kiosks",
                               "parent_id": "acc", "description": "Lobby", "type": 0, "child_groups": 0,
                               "stations": 0}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"] == {"id": "kiosks", "name": "Kiosks", "parent": "Office/Accounting",
                                       "description": "Lobby"}
    client.calls = []
    again = group(monkeypatch, client, id="kiosks", name="Kiosks", parent="Office/Accounting", description="Lobby")
    assert not again["changed"] and again["action"] == "unchanged"
    assert again["msg"] == "group Office/Accounting/Kiosks already up to date"
    assert client.group_writes() == []
    assert again["diff"]["before"] == again["diff"]["after"]


def test_check_mode_predicts_a_create_without_writing(monkeypatch):
    client = TreeClient()
    result = group(monkeypatch, client, check_mode=True, name="Kiosks", parent="Sales")
    assert result["changed"] and result["action"] == "created"
    assert result["group"]["id"] is None and result["group"]["path"] == "Sales/Kiosks"
    assert result["group"]["parent_id"] == "sales"
    assert client.group_writes() == []


def test_create_by_name_under_parent_and_find_it_again(monkeypatch):
    client = TreeClient()
    created = group(monkeypatch, client, name="Kiosks", parent="Sales")
    assert created["group"]["id"] == "uuid-1"
    assert client.group_writes()[0][1][0] == [("name", "Kiosks"), ("parent-group", "sales")]
    client.calls = []
    again = group(monkeypatch, client, name="Kiosks", parent="Sales")
    assert again["action"] == "unchanged" and again["group"]["id"] == "uuid-1"
    assert client.group_writes() == []


def test_rename_move_and_describe_in_one_change(monkeypatch):
    client = TreeClient()
    result = group(monkeypatch, client, id="acc-b", name="Berlin branch", parent="Sales", description="")
    assert result["action"] == "updated"
    assert client.group_writes() == [("group_change", ("acc-b", [("name", "Berlin branch"),
                                                                 ("parent-group", "sales")]), {})]
    # An empty description equals an unset one: nothing to send for it.
    assert result["diff"] == {"before": {"name": "Berlin", "parent": "Office/Accounting", "description": None},
                              "after": {"name": "Berlin branch", "parent": "Sales", "description": None},
                              "before_header": "group Sales/Berlin branch", "after_header": "group Sales/Berlin branch"}
    assert result["group"]["path"] == "Sales/Berlin branch"


@pytest.mark.parametrize("top", ["", "/"])
def test_move_to_the_top_level_sends_an_empty_parent(monkeypatch, top):
    client = TreeClient()
    result = group(monkeypatch, client, id="acc", parent=top)
    assert client.group_writes() == [("group_change", ("acc", [("parent-group", "")]), {})]
    assert result["group"]["path"] == "Accounting" and result["group"]["parent_id"] is None


def test_id_without_parent_leaves_the_group_where_it_is(monkeypatch):
    client = TreeClient()
    result = group(monkeypatch, client, id="acc", description="Finance")
    assert client.group_writes() == [("group_change", ("acc", [("description", "Finance")]), {})]
    assert result["group"]["parent_id"] == "office"


@pytest.mark.parametrize("args, message", [
    ({"id": "status", "description": "x"}, "Group status: it is the system group 'Status' (type 10)"),
    ({"id": "everyone", "state": "absent"}, "Group everyone: it is the system group 'Everyone' (type 1)"),
    ({"id": "office", "parent": "Office/Accounting/Berlin"},
     "it cannot move under 'Office/Accounting/Berlin', which is inside its own sub-tree"),
    ({"id": "office", "parent": "office"}, "which is the group itself"),
    ({"name": "X", "parent": "Status"}, "parent 'Status' is a system group"),
    ({"name": "X", "parent": "Nowhere"}, "Group Nowhere/X: parent group 'Nowhere' does not exist on the server."),
    ({"id": "new-one"}, "Group new-one: it does not exist, and name is required to create it."),
    ({"id": "office", "state": "absent"}, "Group office: it still holds 1 child group and 2 stations, so it was "
                                          "not deleted; set force: true"),
])
def test_refusals_write_nothing(monkeypatch, args, message):
    client = TreeClient()
    result = group(monkeypatch, client, **args)
    assert result["failed"] and message in result["msg"]
    assert client.group_writes() == []


def test_a_name_that_an_entry_creates_and_the_server_holds_is_ambiguous(monkeypatch):
    client = TreeClient()
    result = groups(monkeypatch, client, [{"name": "Kiosks", "parent": "Berlin"}, {"name": "Berlin"}])
    assert result["failed"] and client.group_writes() == []
    assert "parent group 'Berlin' is ambiguous: it matches groups acc-b (Office/Accounting/Berlin), " \
           "to be created (Berlin)" in result["msg"]


def test_ambiguous_parent_is_refused_and_a_path_settles_it(monkeypatch):
    client = TreeClient(groups=(EVERYONE, OFFICE, ACC, SALES, SALES_ACC))
    result = group(monkeypatch, client, name="Kiosks", parent="Accounting")
    assert result["failed"] and client.group_writes() == []
    assert result["msg"] == ("Group Accounting/Kiosks: parent group 'Accounting' is ambiguous: it matches groups "
                             "acc (Office/Accounting), sales-acc (Sales/Accounting); use the group id or its path.")
    ok = group(monkeypatch, client, name="Kiosks", parent="Sales/Accounting")
    assert ok["group"]["parent_id"] == "sales-acc"


def test_two_groups_of_one_name_under_the_parent_need_the_id(monkeypatch):
    client = TreeClient(groups=(OFFICE, dict(ACC, id="acc2"), ACC))
    result = group(monkeypatch, client, name="Accounting", parent="Office", description="x")
    assert result["failed"] and "2 groups are named 'Accounting' under 'Office' (acc, acc2)" in result["msg"]
    assert client.group_writes() == []


@pytest.mark.parametrize("bad", ["bad id", "gruppe/1", "ümlaut", ""])
def test_a_bad_id_is_refused_before_any_request(monkeypatch, bad):
    client = TreeClient()
    result = group(monkeypatch, client, id=bad, name="X")
    assert result["failed"] and "is not a valid group id" in result["msg"]
    assert client.calls == []


def test_delete_empty_group_and_already_absent(monkeypatch):
    client = TreeClient()
    result = group(monkeypatch, client, id="sales", state="absent")
    assert result["action"] == "deleted" and result["group"] == {}
    assert client.group_writes() == [("group_delete", (["sales"],), {})]
    assert result["diff"]["before"] == {"id": "sales", "state": "present"}
    client.calls = []
    again = group(monkeypatch, client, id="sales", state="absent")
    assert again["action"] == "absent" and not again["changed"]
    assert again["msg"] == "group sales already absent" and client.group_writes() == []


def test_force_deletes_the_sub_tree_in_one_request_deepest_first(monkeypatch):
    client = TreeClient()
    result = group(monkeypatch, client, id="office", state="absent", force=True)
    assert result["action"] == "deleted"
    assert client.group_writes() == [("group_delete", (["acc-b", "acc", "office"],), {})]


def test_a_write_that_may_have_landed_is_reported_not_repeated(monkeypatch):
    error = DrWebTransportError("Adding group x failed: the connection was lost; the change may have been applied.",
                                maybe_applied=True)
    client = TreeClient(fail={"group_add": error})
    result = group(monkeypatch, client, id="x", name="X")
    assert result["failed"] and result["maybe_applied"] is True and result["changed"] is True
    assert len(client.group_writes()) == 1


# ----------------------------------------------------------------------------------- drweb_groups

def test_bulk_creates_parents_first_and_reports_in_input_order(monkeypatch):
    client = TreeClient()
    entries = [{"name": "Kiosks", "parent": "Berlin/Accounting"},
               {"id": "berlin-acc", "name": "Accounting", "parent": "site-berlin"},
               {"id": "site-berlin", "name": "Berlin"},
               {"id": "sales", "description": "Sales team"}]
    result = groups(monkeypatch, client, entries)
    assert [r["action"] for r in result["groups"]] == ["created", "created", "created", "updated"]
    # Each pass takes every entry whose parent no pending entry may declare, in input order.
    assert [w[1][0][0] if w[0] == "group_add" else w[0] for w in client.group_writes()] == [
        ("name", "Berlin"), "group_change", ("name", "Accounting"), ("name", "Kiosks")]
    assert next(g for g in client.groups if g["name"] == "Kiosks")["parent_id"] == "berlin-acc"
    assert result["groups"][0]["group"]["path"] == "Berlin/Accounting/Kiosks"
    assert result["msg"] == "4 groups: 3 created, 1 updated, 0 deleted, 0 unchanged"
    assert result["summary"] == {"created": 3, "updated": 1, "deleted": 0, "unchanged": 0, "absent": 0,
                                 "failed": 0, "skipped": 0}
    assert [d["before_header"] for d in result["diff"]] == [
        "group Berlin/Accounting/Kiosks", "group Berlin/Accounting", "group Berlin", "group Sales"]
    # One walk and one info.ds for the group that existed.
    reads = [c[0] for c in client.calls if c[0] not in GROUP_WRITES]
    assert reads.count("group_info") == 1
    assert reads.count("group_list") == 1 + 2   # top level, Office, Accounting
    client.calls = []
    again = groups(monkeypatch, client, entries)
    assert not again["changed"] and client.group_writes() == []
    assert again["msg"] == "4 groups: 0 created, 0 updated, 0 deleted, 4 unchanged"


def test_bulk_check_mode_predicts_the_whole_tree(monkeypatch):
    client = TreeClient()
    entries = [{"name": "Kiosks", "parent": "Munich"}, {"name": "Munich"}]
    result = groups(monkeypatch, client, entries, check_mode=True)
    assert [r["action"] for r in result["groups"]] == ["created", "created"]
    assert result["groups"][0]["group"]["path"] == "Munich/Kiosks"
    assert result["groups"][0]["group"]["parent_id"] is None and result["groups"][0]["id"] is None
    assert client.group_writes() == []


def test_bulk_deletes_children_first(monkeypatch):
    client = TreeClient()
    result = groups(monkeypatch, client, [{"id": "acc", "state": "absent"}, {"id": "acc-b", "state": "absent"}])
    assert [r["action"] for r in result["groups"]] == ["deleted", "deleted"]
    assert client.group_writes() == [("group_delete", (["acc-b"],), {}), ("group_delete", (["acc"],), {})]


def test_bulk_a_move_out_lets_the_old_parent_go_without_force(monkeypatch):
    client = TreeClient()
    result = groups(monkeypatch, client, [{"id": "acc", "state": "absent"}, {"id": "acc-b", "parent": ""}])
    assert [r["action"] for r in result["groups"]] == ["deleted", "updated"]
    assert [w[0] for w in client.group_writes()] == ["group_change", "group_delete"]


@pytest.mark.parametrize("entries, problem", [
    ([{"id": "a", "name": "A"}, {"id": "a", "name": "B"}], "groups[1]: group a is already groups[0]"),
    ([{"name": "A"}, {"name": "A", "parent": "/"}], "groups[1]: group A is already groups[0]"),
    ([{"id": "a", "name": "A", "state": "absent"}, {"name": "B", "parent": "a"}],
     "groups[1]: its parent 'a' is groups[0], which is deleted (state: absent)."),
    ([{"name": "A", "parent": "B"}, {"name": "B", "parent": "A"}],
     "the parents of groups[0] -> groups[1] -> groups[0] name each other"),
    ([{"id": "x y", "name": "A"}], "groups[0]: id 'x y' is not a valid group id"),
])
def test_bulk_refuses_bad_lists_before_any_request(monkeypatch, entries, problem):
    client = TreeClient()
    result = groups(monkeypatch, client, entries)
    assert result["failed"] and problem in result["msg"]
    assert "nothing was changed" in result["msg"]
    assert client.calls == []


def test_bulk_refuses_conflicts_found_in_the_tree_before_any_write(monkeypatch):
    client = TreeClient()
    result = groups(monkeypatch, client, [{"id": "office", "state": "absent", "force": True},
                                          {"id": "acc", "description": "kept"},
                                          {"name": "Nope", "parent": "Status"}])
    assert result["failed"] and client.group_writes() == []
    assert len(result["problems"]) == 2
    assert "groups[0]: it deletes group acc inside Office, which groups[1] keeps." in result["problems"]
    assert any("groups[2]: Group Status/Nope: parent 'Status' is a system group" in p for p in result["problems"])


def test_bulk_failure_skips_the_children_and_every_delete(monkeypatch):
    client = TreeClient(fail={"group_add": DrWebApiError("Adding group Berlin failed: the server answered errno 7 "
                                                         "\"No\".", errno=7, server_message="No")})
    result = groups(monkeypatch, client, [{"name": "Munich"}, {"name": "Kiosks", "parent": "Munich"},
                                          {"id": "sales", "description": "x"}, {"id": "acc-b", "state": "absent"}])
    assert [r["action"] for r in result["groups"]] == ["failed", "skipped", "updated", "skipped"]
    assert result["failed"] and result["groups"][0]["errno"] == 7
    assert result["groups"][1]["msg"] == "group Munich/Kiosks skipped: its parent group did not converge"
    assert result["groups"][3]["msg"] == "group Office/Accounting/Berlin skipped: deletes run only when every other group converged"
    assert [w[0] for w in client.group_writes()] == ["group_add", "group_change"]
    assert result["msg"].startswith("1 of 4 groups failed, 2 skipped: ")


def test_bulk_connection_failure_stops_the_run(monkeypatch):
    client = TreeClient(fail={"group_change": DrWebTransportError("Changing group sales failed: refused.")})
    result = groups(monkeypatch, client, [{"id": "sales", "description": "x"}, {"id": "acc", "description": "y"}])
    assert [r["action"] for r in result["groups"]] == ["failed", "skipped"]
    assert result["groups"][1]["msg"].endswith("skipped: the run stopped after a connection failure")


def test_bulk_reads_descriptions_fifty_ids_at_a_time(monkeypatch):
    many = [{"id": "g%03d" % i, "name": "G%03d" % i, "type": 0, "parent_id": None, "stations": 0}
            for i in range(120)]
    client = TreeClient(groups=many)
    result = groups(monkeypatch, client, [{"id": g["id"]} for g in many])
    assert result["summary"]["unchanged"] == 120
    assert [len(c[1][0]) for c in client.calls if c[0] == "group_info"] == [50, 50, 20]
    assert [c[0] for c in client.calls].count("group_list") == 1


# ----------------------------------------------------------------------------------- drweb_group_info

def test_info_lists_every_user_group_with_its_path(monkeypatch):
    client = TreeClient()
    result = run_module(monkeypatch, drweb_group_info, {}, client)
    assert not result["changed"]
    assert [(g["path"], g["type"]) for g in result["groups"]] == [
        ("Office", 0), ("Sales", 0), ("Office/Accounting", 0), ("Office/Accounting/Berlin", 0)]
    assert result["groups"][0]["description"] == "HQ" and result["groups"][0]["child_groups"] == 1


def test_info_by_reference_with_include(monkeypatch):
    client = TreeClient()
    result = run_module(monkeypatch, drweb_group_info, {"id": ["Office/Accounting/Berlin", "Status", "acc-b"],
                                                        "include": ["keys", "rights"]}, client)
    assert [g["id"] for g in result["groups"]] == ["acc-b", "status"]
    assert result["groups"][0]["keys"] == {"inherited": False, "list": ["keys-acc-b"]}
    assert result["groups"][0]["parent_id"] == "acc"
    info = [c for c in client.calls if c[0] == "group_info"]
    assert info == [("group_info", (["acc-b", "status"],), {"include": ("keys", "rights")})]


def test_info_unknown_reference_fails(monkeypatch):
    result = run_module(monkeypatch, drweb_group_info, {"id": ["Nowhere"]}, TreeClient())
    assert result["failed"] and result["msg"] == "Group 'Nowhere' does not exist on the server."
