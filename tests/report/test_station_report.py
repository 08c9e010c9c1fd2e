# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report: run as README.md says, and the page as headless Chromium renders it.

An emulator is seeded with stations whose last contact and virus bases are hours, days and
weeks old (relative to now), ``ansible-playbook drweb.esuite.station_report`` writes the
report, and Debian's Chromium (installed by hack/install_chromium.py when missing) loads the
page. A probe script, added to a copy of the page only, reads what Chromium laid out: the
columns, the rows and their computed colours, the drawn bars, the collapsed tables.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import math
import os
import re
import subprocess
import sys
import time

import pytest
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'reliability'))
import harness  # noqa: E402 pylint: disable=wrong-import-position,import-error

ROOT = harness.ROOT
EVERYONE = '20e27d73-d21d-b211-a788-85419c46f0e6'
NOW = int(time.time())
HOUR, DAY = 3600, 86400
COLUMNS = ['Station', 'Name', 'IP address', 'Operating system', 'State', 'Last seen (UTC)', 'Virus bases', 'Agent',
           'Last update', 'Blocked', 'Description', 'Location']


def stamp(seconds):
    return time.strftime('%Y%m%d%H%M%S', time.gmtime(seconds))


def product(code, name, age, state='S'):
    return {'code': code, 'name': name, 'revision': '130' + stamp(NOW - age), 'modified_time': NOW - age,
            'state_code': state}


SEED = {
    'groups': [{'id': 'branch', 'name': 'Branch'}, {'id': 'lab', 'name': 'Lab'}],
    'stations': [
        {'id': 'fresh-01', 'name': 'FRONT-DESK', 'parent_id': 'branch', 'status': 'online',
         'os': {'code': 35851271, 'name': 'Windows 8.1 Pro x64'}, 'last_seen_time': NOW - HOUR,
         'login_addr': '10.1.0.11', 'description': 'Front desk PC', 'city': 'Berlin', 'country': 'DE',
         'street': 'Unter den Linden 5', 'room': '12',
         'products': [product('10-drwbases', 'Dr.Web Virus Bases', 2 * HOUR),
                      product('20-drwagent', 'Dr.Web Agent for Windows', 20 * DAY)]},
        {'id': 'week-02', 'name': 'BACK-OFFICE', 'parent_id': 'branch', 'status': 'offline',
         'os': {'code': 35851271, 'name': 'Windows 8.1 Pro x64'}, 'last_seen_time': NOW - 3 * DAY,
         'login_addr': '10.1.0.12', 'products': [product('10-drwbases', 'Dr.Web Virus Bases', 10 * DAY, 'D')]},
        {'id': 'blocked-05', 'name': 'KIOSK', 'parent_id': 'branch', 'status': 'online',
         'os': {'code': 16842752, 'name': 'Linux'}, 'last_seen_time': NOW - HOUR, 'login_addr': '10.1.0.15',
         'block_begin': stamp(NOW - DAY), 'products': [product('10-drwbases', 'Dr.Web Virus Bases', HOUR)]},
        {'id': 'stale-03', 'name': 'LAB-OLD', 'parent_id': 'lab', 'status': 'offline',
         'os': {'code': 16842752, 'name': 'Linux'}, 'last_seen_time': NOW - 40 * DAY, 'login_addr': '10.2.0.13',
         'products': [product('10-drwbases', 'Dr.Web Virus Bases', 45 * DAY, 'F')]},
        {'id': 'never-04', 'name': 'LAB-NEW', 'parent_id': 'lab', 'status': 'offline',
         'os': {'code': 16842752, 'name': 'Linux'}},
    ],
}
STATIONS = [s['id'] for s in SEED['stations']]


@pytest.fixture(scope='module')
def chromium():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, 'hack', 'install_chromium.py')],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


@pytest.fixture(scope='module')
def emulator(tmp_path_factory):
    work = tmp_path_factory.mktemp('report-emulator')
    seed = work / 'seed.yml'
    seed.write_text(yaml.safe_dump(SEED))
    with harness.Emulator(str(work), seed=str(seed)) as server:
        yield server


@pytest.fixture(scope='module')
def collections_dir(tmp_path_factory):
    return harness.collections_path(str(tmp_path_factory.mktemp('collections')),
                                    parts=harness._COLLECTION_PARTS + ('playbooks/',))  # pylint: disable=protected-access


def user_env(emulator, collections_dir):
    """What a user's shell has: the DRWEB_* variables, no interpreter pinned, this venv first on PATH."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('ANSIBLE_', 'DRWEB_')))
    env.update(PATH=harness.BIN + os.pathsep + env.get('PATH', ''), ANSIBLE_COLLECTIONS_PATH=collections_dir,
               ANSIBLE_NOCOLOR='1', DRWEB_API_URL=emulator.url, DRWEB_API_USERNAME=emulator.user,
               DRWEB_API_PASSWORD=emulator.password, DRWEB_CA_PATH=emulator.ca_file)
    return env


def run_report(emulator, collections_dir, cwd, *extra):
    argv = [os.path.join(harness.BIN, 'ansible-playbook'), '-i', 'localhost,', 'drweb.esuite.station_report',
            '-e', json.dumps({'drweb_report_groups': [EVERYONE, 'branch', 'lab']})] + list(extra)
    mark = emulator.mark()
    proc = subprocess.run(argv, cwd=str(cwd), env=user_env(emulator, collections_dir), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    assert proc.returncode == 0, proc.stdout
    return proc.stdout, emulator.requests(mark)


# --------------------------------------------------------------------------- README's command

def readme_block():
    with open(os.path.join(ROOT, 'README.md')) as handle:
        text = handle.read()
    blocks = [b for b in re.findall(r'```sh\n(.*?)```', text, re.S) if 'drweb.esuite.station_report' in b]
    assert len(blocks) == 1, 'README.md shows the station_report command once'
    return [line for line in blocks[0].splitlines() if line.strip()]


def test_readmes_report_command_runs_as_written_and_prints_no_warning(emulator, collections_dir, tmp_path):
    lines = readme_block()
    setup = [line for line in lines if line.startswith(('export ', 'read '))]
    names = set(re.findall(r'\b(DRWEB_[A-Z_]+)', ' '.join(setup)))
    # The test provides exactly what those lines set, for the emulator instead of drweb.example.com.
    assert names == {'DRWEB_API_URL', 'DRWEB_API_USERNAME', 'DRWEB_CA_PATH', 'DRWEB_API_PASSWORD'}
    commands = [line for line in lines if line not in setup]
    assert commands and all(c.startswith('ansible-playbook ') for c in commands)
    for command in commands:
        proc = subprocess.run(['bash', '-euo', 'pipefail', '-c', command], cwd=str(tmp_path), stdin=subprocess.DEVNULL,
                              env=user_env(emulator, collections_dir), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True, check=False)
        assert proc.returncode == 0, proc.stdout
        assert '[WARNING]' not in proc.stdout and '[DEPRECATION WARNING]' not in proc.stdout, proc.stdout
    assert (tmp_path / 'fleet.html').exists()


def test_the_user_guides_execution_commands_show_each_path(emulator, collections_dir, tmp_path):
    """docs/user-guide.md's DRWEB_EXECUTION block, as written: every task on the controller path, then every one shipped."""
    with open(os.path.join(ROOT, 'docs', 'user-guide.md')) as handle:
        script = re.search(r'^<!-- test: execution -->\n```sh\n(.*?)^```', handle.read(), re.M | re.S).group(1)
    proc = subprocess.run(['bash', '-euo', 'pipefail', '-c', script], cwd=str(tmp_path), stdin=subprocess.DEVNULL,
                          env=user_env(emulator, collections_dir), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    assert proc.returncode == 0, proc.stdout
    here, shipped = [int(line) for line in proc.stdout.split()]
    # The same tasks each time: the report's drweb.esuite tasks, none of them on the other path.
    assert here == shipped > 0, proc.stdout
    assert emulator.password not in proc.stdout


# --------------------------------------------------------------------------- the page in Chromium

PROBE = '''<script>
(function () {
  function box(el) { var r = el.getBoundingClientRect(); return {w: r.width, h: r.height}; }
  var facts = {tables: [], rows: {}, bars: [], details: [], scripts: 0};
  document.querySelectorAll('table.stations').forEach(function (t) {
    facts.tables.push(Array.prototype.map.call(t.querySelectorAll('thead th'), function (th) { return th.textContent; }));
  });
  document.querySelectorAll('tr[id^="station-"]').forEach(function (tr) {
    var cells = Array.prototype.map.call(tr.cells, function (td) { return td.textContent.trim(); });
    // A closed <details> keeps its content laid out but hidden (content-visibility): ask whether it shows.
    var fact = {cls: tr.className, bg: getComputedStyle(tr).backgroundColor, cells: cells,
                visible: tr.checkVisibility() && box(tr).h > 0,
                seen_color: getComputedStyle(tr.cells[5]).color};
    (facts.rows[tr.id] = facts.rows[tr.id] || []).push(fact);
  });
  document.querySelectorAll('svg.bar').forEach(function (svg) {
    var rects = Array.prototype.map.call(svg.querySelectorAll('rect'), function (rect) {
      return {cls: rect.getAttribute('class'), w: box(rect).w, fill: getComputedStyle(rect).fill};
    });
    facts.bars.push({label: svg.getAttribute('aria-label'), w: box(svg).w, h: box(svg).h, rects: rects});
  });
  document.querySelectorAll('details').forEach(function (d) { facts.details.push({id: d.id, open: d.open}); });
  var out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify(facts);
  document.body.appendChild(out);
})();
</script>'''


def render(chromium, page, tmp_path):
    """What Chromium laid out for ``page``, read by the probe script in a copy of it."""
    with open(page) as handle:
        html = handle.read()
    probe = tmp_path / ('probe-' + os.path.basename(page))
    probe.write_text(html.replace('</body>', PROBE + '</body>'))
    argv = [chromium, '--headless', '--disable-gpu', '--no-first-run', '--window-size=1400,1000',
            '--dump-dom', probe.as_uri()]
    if os.geteuid() == 0:
        argv.insert(1, '--no-sandbox')
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    match = re.search(r'<pre id="probe">(.*?)</pre>', proc.stdout, re.S)
    assert match, 'the probe did not run: %s' % proc.stdout[-1000:]
    return json.loads(match.group(1).replace('&amp;', '&').replace('&lt;', '<').replace('&gt;', '>'))


@pytest.fixture(scope='module')
def report(emulator, collections_dir, tmp_path_factory):
    work = tmp_path_factory.mktemp('report')
    out, requests = run_report(emulator, collections_dir, work, '-e', 'drweb_report_path=fleet.html',
                               '-e', 'drweb_report_stale_days=30',
                               '-e', json.dumps({'drweb_report_unlisted': ['stale-03', 'ghost-99']}))
    return str(work / 'fleet.html'), requests


def test_the_report_costs_one_request_per_group_and_per_batch(report):
    page, requests = report
    scripts = [r['object'] + '/' + r['script'] for r in requests]
    # A listing per group (ids: no tree walk), the groups' names and components, one batch of details and
    # one of products for the five stations.
    expected = ['groups/stations-list'] * 3 + ['groups/info', 'groups/components', 'stations/info', 'stations/products']
    assert sorted(scripts) == sorted(expected)
    info = next(r for r in requests if (r['object'], r['script']) == ('stations', 'info'))
    assert sorted(info['params']['id']) == sorted(STATIONS)
    assert not [r for r in requests if r['write']]


def test_the_page_is_self_contained(report):
    with open(report[0]) as handle:
        html = handle.read()
    assert '<script' not in html
    assert not re.search(r'(?:src|href)="(?!#)', html), 'the report must not fetch anything'
    assert html.count('<svg') >= 3 + 3 * 2


def test_chromium_shows_the_new_columns_and_highlights_stale_stations(chromium, report, tmp_path):
    facts = render(chromium, report[0], tmp_path)
    assert facts['tables'] and all(headers == COLUMNS for headers in facts['tables'])
    rows = dict((key[len('station-'):], value) for key, value in facts['rows'].items())
    # Every station is in a table, Everyone's is not a copy of the fleet: each shows in its own group once
    # (and again in the drift table, for stale-03).
    assert sorted(rows) == sorted(STATIONS)
    assert [len(rows[s]) for s in STATIONS] == [1, 1, 1, 2, 1]
    fresh = dict(zip(COLUMNS, rows['fresh-01'][0]['cells']))
    assert fresh['IP address'] == '10.1.0.11'
    assert fresh['Virus bases'].startswith('130' + stamp(NOW - 2 * HOUR)[:8]) and '0 day(s) old' in fresh['Virus bases']
    assert fresh['Agent'].startswith('13.0 (')
    assert fresh['Last update'] == 'Normal state'
    assert fresh['Description'] == 'Front desk PC'
    assert fresh['Location'] == 'Unter den Linden 5, 12, Berlin, DE'
    assert dict(zip(COLUMNS, rows['week-02'][0]['cells']))['Last update'] == 'Update delayed'
    assert dict(zip(COLUMNS, rows['stale-03'][0]['cells']))['Last update'] == 'Update error'
    assert dict(zip(COLUMNS, rows['blocked-05'][0]['cells']))['Blocked'].startswith('yes, since ')
    # Stale (40 days and never, with stale_days=30) rows are drawn highlighted, the others are not.
    for sid in ('stale-03', 'never-04'):
        for row in rows[sid]:
            assert row['cls'] == 'stale' and row['cells'][5].endswith('stale')
            assert row['bg'] == 'rgb(255, 243, 224)' and row['seen_color'] == 'rgb(183, 28, 28)'
    for sid in ('fresh-01', 'week-02', 'blocked-05'):
        assert rows[sid][0]['cls'] == '' and rows[sid][0]['bg'] == 'rgba(0, 0, 0, 0)'
        assert 'stale' not in rows[sid][0]['cells'][5]
    # A small fleet's tables are open: the rows have a height on the page.
    assert all(d['open'] for d in facts['details'])
    assert all(row['visible'] for sid in STATIONS for row in rows[sid])


def test_chromium_draws_the_charts_in_proportion(chromium, report, tmp_path):
    facts = render(chromium, report[0], tmp_path)
    by_label = dict((chart['label'].split(':')[0], chart) for chart in facts['bars'])
    state = by_label['Stations by state']
    # 360 x 18 and a 1 px border.
    assert (state['w'], state['h']) == (362, 20)
    widths = dict((rect['cls'], rect['w']) for rect in state['rects'])
    # 2 of 5 online, 3 offline: the drawn segments are 2/5 and 3/5 of the bar (its border aside).
    assert math.isclose(widths['seg-online'] / (widths['seg-online'] + widths['seg-offline']), 0.4, abs_tol=0.01)
    assert [r['fill'] for r in state['rects']] == ['rgb(46, 125, 50)', 'rgb(158, 158, 158)']
    seen = dict((rect['cls'], rect['w']) for rect in by_label['Last seen']['rects'])
    assert set(seen) == {'seg-today', 'seg-week', 'seg-older', 'seg-never'}
    assert math.isclose(seen['seg-today'], 2 * seen['seg-week'], rel_tol=0.02)
    bases = dict((rect['cls'], rect['w']) for rect in by_label['Virus-base age']['rects'])
    assert set(bases) == {'seg-today', 'seg-month', 'seg-older', 'seg-unknown'}
    assert by_label['Stations by state']['label'] == 'Stations by state: online 2, offline 3'
    # The per-group summary: one mini chart of each kind per group; Everyone is the fleet, not a group.
    fleet = ('Stations by state', 'Last seen', 'Virus-base age')
    groups = [chart['label'] for chart in facts['bars'] if not chart['label'].startswith(fleet)]
    assert sorted(label.split(' by ')[0] for label in groups) == ['Branch'] * 3 + ['Lab'] * 3


def test_a_large_fleet_starts_with_its_tables_collapsed(chromium, emulator, collections_dir, tmp_path):
    run_report(emulator, collections_dir, tmp_path, '-e', 'drweb_report_path=large.html', '-e', 'drweb_report_expand_max=4')
    facts = render(chromium, str(tmp_path / 'large.html'), tmp_path)
    assert facts['details'] and not any(d['open'] for d in facts['details'])
    # Collapsed: the rows are in the page but do not show until a table is opened.
    assert facts['rows'] and [key for key, rows in facts['rows'].items() for row in rows if row['visible']] == []
    # Without drweb_report_unlisted and without the stations role, drift is said to be unchecked.
    with open(str(tmp_path / 'large.html')) as handle:
        assert 'Not checked: run this report in the same run after the' in handle.read()


def test_the_markdown_report_has_the_same_columns(emulator, collections_dir, tmp_path):
    run_report(emulator, collections_dir, tmp_path, '-e', 'drweb_report_path=fleet.md', '-e', 'drweb_report_stale_days=30')
    with open(str(tmp_path / 'fleet.md')) as handle:
        text = handle.read()
    assert '| %s |' % ' | '.join(COLUMNS) in text
    assert re.search(r'\| `stale-03` \|[^\n]*\*\*stale\*\*', text)
    assert not re.search(r'\| `fresh-01` \|[^\n]*\*\*stale\*\*', text)
    assert '## Everyone' not in text
