# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.drweb.esuite.plugins.module_utils import _repo


@pytest.mark.parametrize("status, force, start", [
    ("ready", False, True),
    ("ready", True, True),
    ("updating", False, False),
    ("updating", True, True),
])
def test_should_start(status, force, start):
    assert _repo.should_start(status, force)[0] is start


def test_should_start_explains_a_no_op():
    assert _repo.should_start("updating", False) == (False, "repository update already running")


@pytest.mark.parametrize("code, failed", [
    (2, False), ("2", False), (None, False), (0, False), ("", False),
    (106, True), ("106", True), (1, True), ("boom", True),
])
def test_product_failed(code, failed):
    assert _repo.product_failed({"code": "10-drwbases", "last_update_rc_code": code}) is failed


def test_product_without_result_fields_is_not_failed():
    # ESS 12 answers have no last_update_* attributes at all.
    assert _repo.product_failed({"code": "10-drwbases"}) is False


def test_failed_products_and_their_description():
    products = [
        {"code": "10-drwbases", "last_update_rc_code": 2, "last_update_rc": "Update completed successfully"},
        {"code": "20-drwagent", "last_update_rc_code": 106, "last_update_rc": "Requested product not found on GUS servers"},
        {"code": "80-drwnews", "last_update_rc_code": 7, "last_update_rc": None},
    ]
    failed = _repo.failed_products(products)
    assert [p["code"] for p in failed] == ["20-drwagent", "80-drwnews"]
    assert _repo.describe_failures(failed) == (
        "20-drwagent (106 Requested product not found on GUS servers), 80-drwnews (7)"
    )


class Clock:
    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_wait_returns_as_soon_as_ready():
    clock = Clock()
    answers = iter(["updating", "updating", "ready"])
    ready, status, polls = _repo.wait_until_ready(lambda: next(answers), 60, 5, clock, clock.sleep)
    assert (ready, status, polls) == (True, "ready", 3)
    assert clock.sleeps == [5, 5]


def test_wait_gives_up_at_the_deadline_after_a_last_read():
    clock = Clock()
    ready, status, polls = _repo.wait_until_ready(lambda: "updating", 12, 5, clock, clock.sleep)
    assert (ready, status) == (False, "updating")
    # reads at 0, 5, 10 and a last one at the 12 s deadline; never sleeps past it.
    assert clock.sleeps == [5, 5, 2]
    assert polls == 4


def test_wait_with_zero_timeout_reads_once():
    clock = Clock()
    ready, _status, polls = _repo.wait_until_ready(lambda: "updating", 0, 5, clock, clock.sleep)
    assert (ready, polls) == (False, 1)
    assert clock.sleeps == []
