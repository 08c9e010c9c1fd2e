# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: fleet_report
short_description: Turn station listings, details and products into the model of a fleet report
version_added: 1.0.0
description:
  - Builds what the C(drweb.esuite.station_report) playbook's templates draw, so that the templates only render
    and every figure is computed once, in Python, for fleets of tens of thousands of stations.
  - "Per station: state, IP address, last contact and its age, whether it is stale, blocking, the virus-base
    revision and its age, the agent version, the result of the last update, description and location."
  - "Per group and for the fleet: the stations by state, by last-seen age (today, 7 days, 30 days, older, never)
    and by virus-base age (today, 7 days, 30 days, older, unknown), each as counts and as the segments of a bar."
  - A group that holds the whole fleet (C(Everyone)) gets no section of its own when other groups are reported;
    the fleet section lists the stations that no other section shows instead, so no station table repeats the
    fleet.
  - "Where the figures come from: the virus bases are the C(10-drwbases) product a station reports in
    C(stations/products.ds), the agent is its C(20-drwagent) (Windows) or C(20-drwandroid*) (Android) product, whose
    revision starts with the product version (V(130) is 13.0); the last update result is the worst state of its
    products (an update error, then a delayed update, else normal). The API documents no agent product for other
    platforms; their agent column stays empty."
author:
  - drweb.esuite contributors (@drweb-esuite)
options:
  _input:
    description:
      - One entry per reported group, in report order, each with C(ref) (the group as the user named it), C(id),
        C(name) (optional) and C(stations) (the listing of M(drweb.esuite.drweb_station_info) with
        O(drweb.esuite.drweb_station_info#module:group)).
      - The C(results) of a registered loop of that module over the groups work as they are (C(item) is taken
        for C(ref), C(group_id) for C(id)).
    type: list
    elements: dict
    required: true
  details:
    description:
      - The stations of M(drweb.esuite.drweb_station_info) with O(drweb.esuite.drweb_station_info#module:id) (and
        O(drweb.esuite.drweb_station_info#module:products=true)), for the location, description and products.
      - Stations without details show the listing's fields only.
    type: list
    elements: dict
    default: []
  components:
    description: The RV(drweb.esuite.drweb_group_components#module:groups) of the reported groups.
    type: list
    elements: dict
    default: []
  now:
    description: The time of the report, Unix seconds.
    type: float
    required: true
  stale_days:
    description: A station not seen for more than this many days (or never) is stale.
    type: int
    default: 7
  unlisted:
    description:
      - Ids of the stations the server holds inside the declared scope that git does not name (drift), for
        example C(stations_summary.unlisted) of the C(drweb.esuite.stations) role.
      - V(null) means drift was not looked at; the report then says so.
    type: list
    elements: str
  drift_source:
    description: Where O(unlisted) comes from, in words, for the report.
    type: str
'''

EXAMPLES = r'''
- name: Build the report model from listings and details
  ansible.builtin.set_fact:
    report: >-
      {{ [{'ref': 'Everyone', 'id': everyone_id, 'stations': listing.stations}]
         | drweb.esuite.fleet_report(details=info.stations, now=now(utc=true).timestamp(), stale_days=14) }}
'''

RETURN = r'''
_value:
  description:
    - C(fleet) (C(count), C(summary), C(rest) the ids no group section shows, C(name) the group that is the whole
      fleet, if any), C(groups) (one per reported group not the fleet, with C(summary), C(stations) ids,
      C(required)/C(optional) components), C(stations) (one row per station, by id), C(drift) (V(null) when not
      looked at, else C(source), C(ids) and the C(rows) of those the report holds), C(stale_days).
    - A C(summary) holds C(total), C(stale), C(blocked), C(update_problems) and three charts, C(state), C(last_seen) and
      C(bases_age), each a list of C(key), C(label), C(count), C(x) and C(width) (percent of the bar).
  type: dict
'''

import time

from ansible.errors import AnsibleFilterError

from ansible_collections.drweb.esuite.plugins.module_utils._parser import dt17_seconds

DAY = 86400
STATE_KEYS = {0: ('offline', 'offline'), 1: ('online', 'online'), 2: ('newbie', 'newbie'), 3: ('newbie', 'newbie')}
STATE_CHART = (('online', 'online'), ('offline', 'offline'), ('newbie', 'newbie'), ('other', 'other'))
SEEN_CHART = (('today', 'today'), ('week', '7 days'), ('month', '30 days'), ('older', 'older'), ('never', 'never'))
BASES_CHART = (('today', 'today'), ('week', '7 days'), ('month', '30 days'), ('older', 'older'), ('unknown', 'unknown'))
BASES_PRODUCT = '10-drwbases'
AGENT_PRODUCTS = ('20-drwagent', '20-drwandroid')
# The worst product state decides a station's last update result.
UPDATE_RESULTS = (('F', 'error', 'update error'), ('D', 'delayed', 'update delayed'), ('S', 'ok', 'normal'))
LOCATION_FIELDS = ('street', 'room', 'floor', 'city', 'province', 'country')


def _age_bucket(seconds, now, missing):
    if not seconds:
        return missing
    age = now - seconds
    if age < DAY:
        return 'today'
    if age <= 7 * DAY:
        return 'week'
    if age <= 30 * DAY:
        return 'month'
    return 'older'


def _utc(seconds, fmt='%Y-%m-%d %H:%M'):
    return time.strftime(fmt, time.gmtime(seconds)) if seconds else None


def _dt17(value):
    """A listing's YYYYMMDDHHmmssSSS date → Unix seconds; an unreadable one counts as not set."""
    try:
        return dt17_seconds(value)
    except ValueError:
        return None


def _product_version(revision):
    """The product version a revision starts with: 130… → 13.0."""
    digits = str(revision or '')
    if len(digits) >= 3 and digits[:3].isdigit():
        return '%d.%d' % (int(digits[:2]), int(digits[2]))
    return None


def _products(products):
    bases = next((p for p in products if p.get('code') == BASES_PRODUCT), None)
    agent = next((p for code in AGENT_PRODUCTS for p in products if str(p.get('code') or '').startswith(code)), None)
    for code, key, words in UPDATE_RESULTS:
        worst = next((p for p in products if str(p.get('state_code') or '').upper() == code), None)
        if worst is not None:
            return bases, agent, (key, worst.get('state') or words)
    return bases, agent, ('unknown', None)


def _row(station, details, now, stale_days):
    details = details or {}
    state = station.get('state')
    state_key, state_label = STATE_KEYS.get(state, ('other', 'state %s' % state if state is not None else 'unknown'))
    seen = station.get('last_seen_time')
    begin = details.get('block_begin_time') or _dt17(station.get('block_begin'))
    end = details.get('block_end_time') or _dt17(station.get('block_end'))
    blocked_now = bool(begin and begin <= now and (not end or now < end))
    if blocked_now:
        blocked = 'yes, until %s' % _utc(end, '%Y-%m-%d') if end else 'yes, since %s' % _utc(begin, '%Y-%m-%d')
    elif begin and begin > now:
        blocked = 'from %s' % _utc(begin, '%Y-%m-%d') + (' to %s' % _utc(end, '%Y-%m-%d') if end else '')
    else:
        blocked = ''
    products = details.get('products')
    bases, agent, update = _products(products or [])
    bases_time = (bases or {}).get('modified_time')
    return {
        'id': station.get('id'),
        'name': station.get('name') or '',
        'ip': station.get('login_addr') or '',
        'os_name': station.get('os_name') or 'unknown',
        'state': state_label,
        'state_key': state_key,
        'last_seen': _utc(seen) or 'never',
        'last_seen_days': int((now - seen) // DAY) if seen else None,
        'seen_bucket': _age_bucket(seen, now, 'never'),
        'stale': not seen or now - seen > stale_days * DAY,
        'blocked': blocked,
        'blocked_now': blocked_now,
        'bases_revision': (bases or {}).get('revision') or '',
        'bases_time': _utc(bases_time) or '',
        'bases_days': int((now - bases_time) // DAY) if bases_time else None,
        'bases_bucket': _age_bucket(bases_time, now, 'unknown'),
        'agent_version': _agent_text(agent),
        'update_key': update[0],
        'update_result': update[1] or ('' if products is None else 'no product reported'),
        'description': details.get('description') or '',
        'location': ', '.join(str(details[f]) for f in LOCATION_FIELDS if details.get(f)),
        'organization': ', '.join(str(details[f]) for f in ('organization', 'department') if details.get(f)),
    }


def _agent_text(agent):
    if not agent:
        return ''
    version = _product_version(agent.get('revision'))
    when = _utc(agent.get('modified_time'), '%Y-%m-%d')
    return ' '.join(part for part in (version, '(%s)' % when if when else None) if part) or agent.get('revision') or ''


def _chart(rows, field, keys):
    counts = dict((key, 0) for key, label in keys)
    for row in rows:
        counts[row[field]] = counts.get(row[field], 0) + 1
    total = len(rows)
    segments, x = [], 0.0
    for key, label in keys:
        width = 100.0 * counts[key] / total if total else 0.0
        segments.append({'key': key, 'label': label, 'count': counts[key], 'x': round(x, 3), 'width': round(width, 3)})
        x += width
    return segments


def _summary(rows):
    return {
        'total': len(rows),
        'stale': sum(1 for r in rows if r['stale']),
        'blocked': sum(1 for r in rows if r['blocked_now']),
        'update_problems': sum(1 for r in rows if r['update_key'] in ('error', 'delayed')),
        'state': _chart(rows, 'state_key', STATE_CHART),
        'last_seen': _chart(rows, 'seen_bucket', SEEN_CHART),
        'bases_age': _chart(rows, 'bases_bucket', BASES_CHART),
    }


def fleet_report(groups, details=None, components=None, now=None, stale_days=7, unlisted=None, drift_source=None):
    if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
        raise AnsibleFilterError('fleet_report: the input must be a list of groups, each a mapping with stations.')
    if now is None:
        raise AnsibleFilterError('fleet_report: now, the time of the report in Unix seconds, is required.')
    try:
        now = float(now)
        stale_days = int(stale_days)
    except (TypeError, ValueError):
        raise AnsibleFilterError('fleet_report: now must be Unix seconds and stale_days a whole number of days.')
    by_id = dict((d.get('id'), d) for d in details or () if isinstance(d, dict))
    found = dict((c.get('id') or c.get('group_id'), c) for c in components or () if isinstance(c, dict))
    rows, order = {}, []
    for group in groups:
        for station in group.get('stations') or ():
            sid = station.get('id')
            if sid and sid not in rows:
                rows[sid] = _row(station, by_id.get(sid), now, stale_days)
                order.append(sid)
    fleet = set(order)
    sections, fleet_name = [], None
    for group in groups:
        group = dict(group, ref=group.get('ref', group.get('item')), id=group.get('id', group.get('group_id')))
        ids = []
        for station in group.get('stations') or ():
            if station.get('id') in rows and station.get('id') not in ids:
                ids.append(station.get('id'))
        comp = found.get(group.get('id')) or {}
        name = comp.get('name') or group.get('name') or group.get('ref') or group.get('id')
        if len(groups) > 1 and ids and set(ids) == fleet and fleet_name is None:
            # The whole fleet again (Everyone): the fleet section stands for it.
            fleet_name = name
            continue
        listed = comp.get('components') or ()
        sections.append({
            'id': group.get('id'), 'name': name, 'stations': sorted(ids),
            'summary': _summary([rows[i] for i in ids]),
            'inherited_from': comp.get('inherited_group_name') if comp.get('inherited') else None,
            'required': [c.get('name') for c in listed if c.get('status_name') == 'required'],
            'optional': [c.get('name') for c in listed if c.get('status_name') == 'optional'],
        })
    shown = set(i for s in sections for i in s['stations'])
    drift = None
    if unlisted is not None:
        ids = sorted(set(str(i) for i in unlisted))
        drift = {'source': drift_source or 'drweb_report_unlisted', 'ids': ids,
                 'rows': [rows[i] for i in ids if i in rows]}
    return {
        'stale_days': stale_days,
        'fleet': {'count': len(order), 'name': fleet_name, 'summary': _summary([rows[i] for i in order]),
                  'rest': sorted(i for i in order if i not in shown)},
        'groups': sections,
        'stations': rows,
        'drift': drift,
    }


class FilterModule(object):
    def filters(self):
        return {'fleet_report': fleet_report}
