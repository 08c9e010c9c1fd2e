# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest


from ansible_collections.drweb.esuite.plugins.module_utils._client import PAGE_SIZE  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebAuthError, DrWebError  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._newbies import STATUS_GROUP_ID  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._parser import STATION_INCLUDE_FLAGS, requested_blocks  # noqa: E402
from ansible_collections.drweb.esuite.plugins.module_utils._station_info import (  # noqa: E402
    INFO_BATCH,
    PRODUCTS_BATCH,
    reading_mode,
)
from ansible_collections.drweb.esuite.plugins.modules import drweb_station_info as mod  # noqa: E402
from ansible_collections.drweb.esuite.tests.unit.plugins.modules.drweb_harness import (  # noqa: E402
    FakeClient,
    api_error,
    run_module,
)

BIG = {"id": "g-big", "name": "Big Office", "type": 0, "child_groups": 0}
IDLIKE_NAME = {"id": "7ec98a70-5c83-11ea-512f-70a167e08535", "name": "branch", "type": 0, "child_groups": 0}
NEWBIES = {"id": "nb-on-this-server", "name": "Newbies", "type": 10, "parent_id": STATUS_GROUP_ID}


def station(sid, password="pw"):
    return {"id": sid, "name": sid.upper(), "password": password, "state": 1}


def listing(ids, total=None):
    return {"total": len(ids) if total is None else total, "stations": [{"id": i, "name": i} for i in ids],
            "pages": {"total": 1, "current": 1, "objects_per_page": PAGE_SIZE}}


class TestReadingMode:
    @pytest.mark.parametrize("params, mode", [
        ({"id": ["a"]}, "id"),
        ({"group": "g"}, "group"),
        ({"newbies": True}, "newbies"),
        ({"id": ["a"], "newbies": False}, "id"),
        ({"group": "g", "limit": 5}, "group"),
    ])
    def test_one_mode(self, params, mode):
        assert reading_mode(params) == mode

    @pytest.mark.parametrize("params, msg", [
        ({"newbies": False}, "Choose the stations to read with one of id, group or newbies=true."),
        ({"group": "g", "newbies": True}, "The options group and newbies are mutually exclusive; use one of them."),
        ({"group": "g", "include": ["keys"]},
         "The include option only applies to id; group and newbies listings have fixed fields."),
        ({"id": ["a"], "limit": 3}, "The limit option only applies to group and newbies; id reads exactly the stations named."),
        ({"newbies": True, "limit": 0}, "The limit option must be 1 or more, got 0."),
        ({"id": ["", " "]}, "The id option must name at least one station; it holds only blank ids."),
        ({"group": "  "}, "The group option must name a group by id or name; it is blank."),
        ({"group": ""}, "The group option must name a group by id or name; it is blank."),
    ])
    def test_bad_combinations(self, params, msg):
        with pytest.raises(DrWebError) as exc:
            reading_mode(params)
        assert str(exc.value) == msg

    @pytest.mark.parametrize("params, msg", [
        # The argument spec says these two: Ansible's own sentences.
        ({}, "one of the following is required: id, group, newbies"),
        ({"id": ["a"], "group": "g"}, "parameters are mutually exclusive: id|group"),
        # The rest come from reading_mode, through the module.
        ({"newbies": False}, "Choose the stations to read with one of id, group or newbies=true."),
        ({"id": ["a"], "newbies": True}, "The options id and newbies are mutually exclusive; use one of them."),
        ({"group": "g", "limit": 0}, "The limit option must be 1 or more, got 0."),
    ])
    def test_bad_combinations_fail_the_module_before_any_request(self, monkeypatch, params, msg):
        client = FakeClient()
        result = run_module(monkeypatch, mod, params, client)
        assert result == {"failed": True, "msg": msg}
        assert client.calls == []


def test_include_expands_to_the_requested_blocks_in_a_fixed_order():
    assert requested_blocks([], STATION_INCLUDE_FLAGS, "station") == ()
    assert requested_blocks(["keys", "bases", "keys"], STATION_INCLUDE_FLAGS, "station") == ("bases", "keys")
    assert requested_blocks(["all", "keys"], STATION_INCLUDE_FLAGS, "station") == STATION_INCLUDE_FLAGS
    assert len(STATION_INCLUDE_FLAGS) == 10


def test_the_documented_page_size_is_the_clients():
    assert "%d stations per" % PAGE_SIZE in mod.DOCUMENTATION
    assert "ceil(N / %d)" % PAGE_SIZE in mod.DOCUMENTATION


def test_the_documented_batches_are_the_codes():
    text = " ".join(mod.DOCUMENTATION.split())
    assert "%d ids per request" % INFO_BATCH in text
    assert "ceil(N / {0}) requests, or N + ceil(N / {0}) when the server does not take batches".format(INFO_BATCH) in text
    assert "%d stations per request, so ceil(N / %d) requests more" % (PRODUCTS_BATCH, PRODUCTS_BATCH) in text


def batch_of(stations):
    """A station_info_batch answer that holds exactly the known ones of the ids asked."""
    return lambda ids, include: [stations[i] for i in ids if i in stations]


class TestById:
    def test_one_batch_with_only_the_requested_flags(self, monkeypatch):
        client = FakeClient(station_info_batch=batch_of({"ws-1": station("ws-1"), "ws-2": station("ws-2")}))
        result = run_module(monkeypatch, mod, {"id": ["ws-1", "ws-2", "ws-1"], "include": ["keys", "machines"]}, client)
        assert not result.get("failed")
        assert client.calls == [("station_info_batch", (["ws-1", "ws-2"],), {"include": ("keys", "machines")})]
        assert [s["id"] for s in result["stations"]] == ["ws-1", "ws-2"]
        assert (result["total"], result["count"], result["missing"], result["changed"]) == (2, 2, [], False)

    def test_one_id_is_one_plain_read(self, monkeypatch):
        client = FakeClient(find_station=lambda sid, include: station(sid))
        run_module(monkeypatch, mod, {"id": ["ws-1"], "include": ["all"]}, client)
        assert client.calls == [("find_station", ("ws-1",), {"include": STATION_INCLUDE_FLAGS})]

    def test_the_station_password_never_leaves_the_module(self, monkeypatch):
        client = FakeClient(station_info_batch=batch_of({"a": station("a", password="hunter2"), "b": station("b", None)}))
        result = run_module(monkeypatch, mod, {"id": ["a", "b"]}, client)
        assert "hunter2" not in repr(result)
        assert [s["password"] for s in result["stations"]] == ["********", None]

    def test_unknown_station_fails(self, monkeypatch):
        # The batch leaves ws-9 out; only a read of ws-9 alone may say it does not exist.
        client = FakeClient(station_info_batch=batch_of({"ws-1": station("ws-1")}),
                            find_station=lambda sid, include: None)
        result = run_module(monkeypatch, mod, {"id": ["ws-9", "ws-1"]}, client)
        assert result["failed"] and result["msg"] == "Station ws-9 does not exist."
        assert client.names() == ["station_info_batch", "find_station"]
        assert client.calls[1][1] == ("ws-9",)

    def test_unknown_station_is_listed_with_missing_ignore(self, monkeypatch):
        client = FakeClient(station_info_batch=batch_of({"ws-1": station("ws-1")}), find_station=lambda sid, include: None)
        result = run_module(monkeypatch, mod, {"id": ["ws-9", "ws-1"], "missing": "ignore"}, client)
        assert not result.get("failed")
        assert [s["id"] for s in result["stations"]] == ["ws-1"]
        assert (result["count"], result["total"], result["missing"]) == (1, 1, ["ws-9"])

    def test_server_errors_become_one_sentence(self, monkeypatch):
        client = FakeClient(find_station=DrWebAuthError("Reading station ws-1 failed: the server refused the credentials (HTTP 401)."))
        result = run_module(monkeypatch, mod, {"id": ["ws-1"]}, client)
        assert result["failed"]
        assert result["msg"] == "Reading station ws-1 failed: the server refused the credentials (HTTP 401)."

    def test_products_are_read_in_one_batch_for_the_stations_found(self, monkeypatch):
        bases = {"code": "10-drwbases", "name": "Dr.Web Virus Bases", "revision": "13020240101120000",
                 "modified_time": 1704110400, "state_code": "S", "state": "Normal state"}
        client = FakeClient(station_info_batch=batch_of({"ws-1": station("ws-1"), "ws-2": station("ws-2")}),
                            find_station=lambda sid, include: None,
                            station_products=lambda ids: [{"id": "ws-1", "products": [bases]}, {"id": "ws-2", "products": []}])
        result = run_module(monkeypatch, mod, {"id": ["ws-1", "ws-9", "ws-2"], "products": True, "missing": "ignore"}, client)
        assert client.calls[-1] == ("station_products", (["ws-1", "ws-2"],), {})
        assert [s["products"] for s in result["stations"]] == [[bases], []]

    def test_products_only_apply_to_id(self, monkeypatch):
        client = FakeClient()
        result = run_module(monkeypatch, mod, {"group": "g", "products": True}, client)
        assert result == {"failed": True,
                          "msg": "The products option only applies to id; group and newbies listings have fixed fields."}
        assert client.calls == []


class TestByGroup:
    def test_an_id_is_listed_without_resolving_it(self, monkeypatch):
        client = FakeClient([BIG], group_stations=lambda gid, **kw: listing(["s%d" % i for i in range(3)], total=3))
        result = run_module(monkeypatch, mod, {"group": "g-big", "subgroups": True, "show_blocked": False,
                                               "station_type": True}, client)
        assert not result.get("failed")
        assert client.calls == [("group_stations", ("g-big",), {"limit": None, "subgroups": True,
                                                                "show_blocked": False, "station_type": True})]
        assert (result["total"], result["count"], result["group_id"], result["missing"]) == (3, 3, "g-big", [])

    def test_limit_is_handed_to_the_client_and_total_stays_the_servers(self, monkeypatch):
        client = FakeClient([BIG], group_stations=lambda gid, **kw: listing(["s1", "s2"], total=10000))
        result = run_module(monkeypatch, mod, {"group": "g-big", "limit": 2}, client)
        assert client.calls[0][2]["limit"] == 2
        assert (result["total"], result["count"]) == (10000, 2)

    def test_a_name_goes_through_the_group_tree_first(self, monkeypatch):
        client = FakeClient([BIG], group_stations=lambda gid, **kw: listing(["s1"]))
        result = run_module(monkeypatch, mod, {"group": "Big Office"}, client)
        assert client.names() == ["group_list", "group_stations"]
        assert client.calls[1][1] == ("g-big",)
        assert result["group_id"] == "g-big"

    def test_a_name_that_looks_like_an_id_costs_one_failed_listing(self, monkeypatch):
        def stations(gid, **kw):
            if gid == "branch":
                raise api_error("Listing the stations of group branch failed: the server answered errno 5 \"Group is not found\".")
            return listing(["s1"])
        client = FakeClient([IDLIKE_NAME], group_stations=stations)
        result = run_module(monkeypatch, mod, {"group": "branch"}, client)
        assert not result.get("failed")
        assert client.names() == ["group_stations", "group_info", "group_list", "group_stations"]
        assert result["group_id"] == IDLIKE_NAME["id"]

    def test_an_empty_listing_is_confirmed_before_it_is_believed(self, monkeypatch):
        client = FakeClient([BIG], group_stations=lambda gid, **kw: listing([]))
        result = run_module(monkeypatch, mod, {"group": "g-big"}, client)
        assert not result.get("failed")
        assert client.names() == ["group_stations", "group_info"]
        assert (result["stations"], result["total"], result["count"], result["group_id"]) == ([], 0, 0, "g-big")

    def test_unknown_group_fails(self, monkeypatch):
        client = FakeClient([BIG], group_stations=api_error("Listing failed: the server answered errno 5 \"Group is not found\"."))
        result = run_module(monkeypatch, mod, {"group": "g-nope"}, client)
        assert result["failed"]
        assert result["msg"] == "Group 'g-nope' does not exist on the server."

    def test_unknown_group_is_listed_with_missing_ignore(self, monkeypatch):
        client = FakeClient([BIG], group_stations=api_error("Listing failed: the server answered errno 5 \"Group is not found\"."))
        result = run_module(monkeypatch, mod, {"group": "g-nope", "missing": "ignore"}, client)
        assert not result.get("failed")
        assert (result["stations"], result["count"], result["total"], result["missing"]) == ([], 0, 0, ["g-nope"])


class TestNewbies:
    def test_finds_the_newbies_group_by_name_and_reads_details_in_one_request(self, monkeypatch):
        client = FakeClient(
            [{"id": STATUS_GROUP_ID, "name": "Status", "type": 10, "child_groups": 2},
             {"id": "on", "name": "Online", "type": 2, "parent_id": STATUS_GROUP_ID}, NEWBIES],
            group_stations=lambda gid, **kw: listing(["n1", "n2"]),
            newbies_info=lambda ids: [{"id": i, "address": "tcp://10.0.0.%s:2193" % i[1:], "server": "srv"} for i in ids],
        )
        result = run_module(monkeypatch, mod, {"newbies": True, "station_type": True}, client)
        assert not result.get("failed")
        assert client.calls == [
            ("group_list", (), {"parent": STATUS_GROUP_ID}),
            ("group_stations", ("nb-on-this-server",), {"show_blocked": True, "station_type": True, "limit": None}),
            ("newbies_info", (["n1", "n2"],), {}),
        ]
        assert result["stations"][1] == {"id": "n2", "name": "n2", "address": "tcp://10.0.0.2:2193", "server": "srv"}
        assert (result["total"], result["count"], result["group_id"]) == (2, 2, "nb-on-this-server")

    def test_no_newbies_group_is_a_clear_failure(self, monkeypatch):
        client = FakeClient([{"id": "on", "name": "Online", "type": 2, "parent_id": STATUS_GROUP_ID}])
        result = run_module(monkeypatch, mod, {"newbies": True}, client)
        assert result["failed"]
        assert "has no subgroup named Newbies (its subgroups: Online)" in result["msg"]


def test_check_mode_reads_the_same(monkeypatch):
    def run(check):
        client = FakeClient(find_station=lambda sid, include: station(sid))
        return run_module(monkeypatch, mod, {"id": ["ws-1"]}, client, check_mode=check)
    assert run(True) == run(False)
