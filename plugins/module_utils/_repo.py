# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Repository updates (drweb_repo_update): when to start one, when it is over, what counts as failed."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

STATUS_READY = "ready"
STATUS_UPDATING = "updating"

# last_update_rc_code values that mean the last update of a product went well.
# 2 "Update completed successfully" is the only success code the Web API documentation
# names; 106 "Requested product not found on GUS servers" is a known failure.
UPDATE_SUCCESS_CODES = frozenset([2])

# 0 or an absent code: the server has no result to report (ESS 12 has no
# last_update_* attributes at all, and a product never updated has none yet).
NO_RESULT_CODES = frozenset([None, 0])


def should_start(status, force):
    """Return ``(start, msg)``: start an update unless one is running and ``force`` is off."""
    if status == STATUS_UPDATING and not force:
        return False, "repository update already running"
    return True, None


def _rc_code(product):
    code = product.get("last_update_rc_code")
    if code is None or code == "":
        return None
    try:
        return int(code)
    except (TypeError, ValueError):
        # A code that is not a number cannot be one of the success codes.
        return code


def product_failed(product):
    """True when the product's last update ended with a code outside ``UPDATE_SUCCESS_CODES``."""
    code = _rc_code(product)
    return code not in NO_RESULT_CODES and code not in UPDATE_SUCCESS_CODES


def failed_products(products):
    """The products whose last update failed, in the server's order."""
    return [p for p in products if product_failed(p)]


def describe_failures(products):
    """One line naming each failed product with its code and the server's text."""
    parts = []
    for product in products:
        text = product.get("last_update_rc")
        parts.append(
            "%s (%s%s)" % (product.get("code"), _rc_code(product), (" " + text) if text else "")
        )
    return ", ".join(parts)


def wait_until_ready(read_status, timeout, interval, clock=None, sleep=None):
    """Poll ``read_status()`` until it says ready or ``timeout`` seconds have passed.

    Returns ``(ready, status, polls)``. The first read happens at once; the last one no
    later than the deadline, so a short ``timeout`` still gets a final answer.
    ``clock``/``sleep`` default to ``time.monotonic``/``time.sleep``, looked up per call.
    """
    clock = clock or time.monotonic
    sleep = sleep or time.sleep
    deadline = clock() + timeout
    polls = 0
    while True:
        status = read_status()
        polls += 1
        if status == STATUS_READY:
            return True, status, polls
        remaining = deadline - clock()
        if remaining <= 0:
            return False, status, polls
        sleep(min(interval, remaining))


def run_repo_update(module):
    """The whole drweb_repo_update task; exits the module."""
    p = module.params
    if p['wait_timeout'] < 0:
        module.fail_json(msg="The wait_timeout option must be 0 or more seconds, got %d." % p['wait_timeout'])
    if p['poll_interval'] < 1:
        module.fail_json(msg="The poll_interval option must be 1 second or more, got %d." % p['poll_interval'])

    with module.api_errors():
        client = module.client
        status = client.repository_status()
        start, reason = should_start(status, p['force'])
        if start:
            module.write(client.run_task, 'update_repositories', context="starting the repository update")

        result = dict(changed=start, started=start, status=status, waited=0.0)
        if module.check_mode or not p['wait']:
            if start:
                result['msg'] = "repository update %s" % ("would be started" if module.check_mode else "started")
            else:
                result['msg'] = reason
            module.exit_json(**result)

        began = time.monotonic()
        ready, status, _polls = wait_until_ready(client.repository_status, p['wait_timeout'], p['poll_interval'])
        result.update(status=status, waited=round(time.monotonic() - began, 1))
        if not ready:
            module.fail_json(
                msg="repository update did not finish within %d seconds (status still %s)" % (p['wait_timeout'], status),
                **result)
        products = client.repository_products()

    failed = failed_products(products)
    result.update(repositories=products, failed_products=failed)
    if failed and p['fail_on_product_error']:
        module.fail_json(msg="repository update finished with errors: %s" % describe_failures(failed), **result)
    what = "repository update" if result['started'] else "repository update that was already running"
    result['msg'] = "%s finished%s" % (what, " with errors: %s" % describe_failures(failed) if failed else "")
    module.exit_json(**result)
