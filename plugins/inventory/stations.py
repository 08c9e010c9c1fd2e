# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: stations
short_description: Stations of a Dr.Web ESS Server as inventory hosts
version_added: 1.0.0
description:
  - Makes every station of a Dr.Web Enterprise Security Suite Server, or of some of its groups, an inventory
    host, with the station's data as host variables.
  - By default the data comes from the group listings alone (C(groups/stations-list.ds), 1000 stations per
    request), so a fleet of N stations costs one request to check the groups plus ceil(N / 1000) requests.
  - O(details=true) or O(include) adds the station details of C(stations/info.ds), 50 stations per request
    (up to O(details_workers) requests at a time), so ceil(N / 50) requests more. Several ids in one
    request are not documented for that script; when the server fails such a request, leaves stations out or
    sends others, those stations are read one per request, N + ceil(N / 50) requests in all.
  - "Every time value is Unix seconds (UTC), or V(null) when not set: the listing's C(YYYYMMDDHHmmssSSS)
    dates are converted, read as UTC."
  - An authentication, TLS or transport failure, an unknown group or a broken answer fails the source with
    one sentence (C(AnsibleParserError)). Ansible itself turns a failed source into a warning and goes on with
    an empty inventory unless E(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true) (or C(any_unparsed_is_failed) in
    the C([inventory]) section of C(ansible.cfg)) is set; set it for cron jobs and pipelines. AWX and AAP
    inventory syncs set E(ANSIBLE_INVENTORY_UNPARSED_FAILED=true), so the sync fails.
  - Per-station desired state can then live in C(host_vars/<station id>.yml) and be applied with
    the C(drweb.esuite.configure_stations) playbook; AWX and AAP can use a file of this plugin as an inventory source.
  - The station password is never stored in host variables, nor in the cache.
  - With O(cache=true) the stations are read from the server at most once per O(cache_timeout). The default
    cache plugin, V(ansible.builtin.memory), only lasts as long as one C(ansible-playbook) or C(ansible-inventory)
    run; V(ansible.builtin.jsonfile) with a O(cache_connection) directory keeps them between runs. The plugin makes
    each cache file it writes mode 0600, and creates a missing cache directory with mode 0700.
  - The configuration file name must end in C(.drweb.yml) or C(.drweb.yaml), or be C(drweb_stations.yml)
    or C(drweb_stations.yaml).
author:
  - drweb.esuite contributors (@drweb-esuite)
extends_documentation_fragment:
  - drweb.esuite.station_include
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
  - drweb.esuite.connection
options:
  plugin:
    description: Marks the file as a source for this plugin.
    type: str
    required: true
    choices: [drweb.esuite.stations]
  # The connection options are those of every module (the drweb.esuite.connection fragment); here they
  # only gain their environment variables, which the config of an inventory plugin needs spelled out.
  api_url:
    env:
      - name: DRWEB_API_URL
  api_username:
    env:
      - name: DRWEB_API_USERNAME
  api_password:
    env:
      - name: DRWEB_API_PASSWORD
  validate_certs:
    env:
      - name: DRWEB_VALIDATE_CERTS
  ca_path:
    env:
      - name: DRWEB_CA_PATH
  timeout:
    env:
      - name: DRWEB_TIMEOUT
  retries:
    env:
      - name: DRWEB_RETRIES
  max_response_mb:
    env:
      - name: DRWEB_MAX_RESPONSE_MB
  proxy:
    env:
      - name: DRWEB_PROXY
  use_proxy:
    env:
      - name: DRWEB_USE_PROXY
  api_format:
    env:
      - name: DRWEB_API_FORMAT
  limit:
    description:
      - At most this many stations become hosts, the first ones the listings give (O(drweb_groups) in order).
      - Fewer stations cost fewer requests (pages are then no larger than the stations still wanted), and
        with O(details=true) only these stations are read in detail.
      - By default every station becomes a host. A listing that claims more than 250000 stations is refused
        unless O(limit) is smaller.
    type: int
  drweb_groups:
    description:
      - Dr.Web groups to read stations from, each by id or by name (a name must be unique in the group tree;
        names cost one walk of the group tree, ids one request for all of them).
      - A station listed in several of them becomes one host; RV(ignore:drweb_listed_in) names the groups it was found in.
      - The default is the C(Everyone) group, which holds every station.
      - Named C(drweb_groups) because O(groups) is the option of the constructed features.
    type: list
    elements: str
    default: [20e27d73-d21d-b211-a788-85419c46f0e6]
  subgroups:
    description:
      - Also read the stations of the nested groups of each of O(drweb_groups).
      - For system groups such as C(Everyone) the server always returns all their stations.
    type: bool
    default: true
  show_blocked:
    description: Whether blocked stations become hosts.
    type: bool
    default: true
  station_type:
    description:
      - Also read each station's type (C(station_type) 0 full agent, 1 virtual agent, 2 scanning server).
      - Needs a Dr.Web 13.0.1 or later server.
    type: bool
    default: false
  details:
    description:
      - Also read each station's details with C(stations/info.ds) (location, description, primary group,
        ACL, modification time, ...), 50 stations per request.
      - Implied by a non-empty O(include).
    type: bool
    default: false
  include:
    description:
      - Extra blocks of station details to read, as in M(drweb.esuite.drweb_station_info); implies O(details=true).
      - For example V(group_membership) gives every group a station belongs to, for O(keyed_groups); V(all) reads
        every block.
  details_workers:
    description:
      - How many C(stations/info.ds) requests (of 50 stations each) run at the same time with O(details=true).
      - Keep it small; the server answers every request of the Web API with the same worker pool as the
        Control Center.
    type: int
    default: 4
  hostname:
    description:
      - Which station field names the host.
      - V(id) is unique and stable and matches C(host_vars/<id>.yml).
      - V(name) is friendlier; a station without a name, or whose name another station already uses,
        is named by its id instead (with a warning).
    type: str
    choices: [id, name]
    default: id
  vars_prefix:
    description:
      - Prefix of the host variables the plugin sets, for example V(drweb_) gives C(drweb_os_name).
    type: str
    default: drweb_
notes:
  - "Host variables (with the default O(vars_prefix)), from the group listings: C(drweb_id), C(drweb_name),
    C(drweb_state) (the numeric state: 0 offline, 1 online, 2 newbie with access granted, 3 newbie with access
    denied), C(drweb_state_name) (the same as a word: V(offline), V(online), V(newbie), V(newbie_denied), or
    V(unknown) for a number the API does not document), C(drweb_os_code), C(drweb_os_name),
    C(drweb_last_seen_time), C(drweb_last_seen_addr), C(drweb_login_addr), C(drweb_login_mac),
    C(drweb_created_time), C(drweb_block_begin_time), C(drweb_block_end_time), C(drweb_expires_time),
    C(drweb_blocked) (V(true) from C(drweb_block_begin_time) until C(drweb_block_end_time), open-ended without an
    end; decided when the inventory is built, also from a cache), C(drweb_station_type), C(drweb_listed_in) (names of the O(drweb_groups) the station was
    listed in)."
  - "With O(details=true), also every field of M(drweb.esuite.drweb_station_info) with
    O(drweb.esuite.drweb_station_info#module:id) except the password (C(drweb_city), C(drweb_description),
    C(drweb_parent_name), C(drweb_modified_time), ...); C(created_time), C(block_begin_time) and
    C(block_end_time) then come from the details, under the same names."
  - "Every C(*_time) variable, C(drweb_machines[].logged_time) included, is Unix seconds (UTC) or V(null)."
  - Prefer the E(DRWEB_API_PASSWORD) environment variable (this is what the AWX credential type of the collection
    injects) or a vault-encrypted O(api_password) over clear text in the file; it is never written to host
    variables or to the cache.
  - "Worst case against a server that is down or never answers: the source fails after O(retries) + 1 requests
    and within (O(retries) + 1) * O(timeout) + 10 * O(retries) seconds, also with O(details=true) (see O(retries))."
  - The plugin sets no connection variables; stations are not Ansible-managed machines by default. Use
    O(compose) to set C(ansible_host) from C(drweb_login_addr) if you also manage them over SSH or WinRM.
seealso:
  - module: drweb.esuite.drweb_station_info
  - module: drweb.esuite.drweb_station
'''

# EXAMPLES is one YAML document without repeated keys: the sanity yamllint of ansible-core 2.16
# refuses several documents, ansible-lint refuses repeated keys; so only the first source is YAML.
EXAMPLES = r'''
---
# drweb.drweb.yml: every station, named by id, grouped by operating system and state.
# Credentials come from DRWEB_API_URL, DRWEB_API_USERNAME, DRWEB_API_PASSWORD (the AWX credential type sets them).
plugin: drweb.esuite.stations
keyed_groups:
  - key: drweb_os_name
    prefix: os
  - key: drweb_state_name
    prefix: state
groups:
  drweb_stations: true
  # Blocked now: a station blocked only from a later date is not in it yet.
  blocked: drweb_blocked
  # Not seen for 30 days (never seen included).
  stale: (drweb_last_seen_time or 0) < now(utc=true).timestamp() - 30 * 86400

# Two more sources, each for a file of its own (remove the leading '# ' of each line):
#
# # accounting.drweb.yml: the stations of two groups, named by station name, cached for an hour.
# plugin: drweb.esuite.stations
# api_url: https://drweb.example.com:9081
# api_username: ansible
# ca_path: /etc/pki/drweb/ca.pem
# drweb_groups:
#   - Accounting
#   - 7ec98a70-5c83-11ea-512f-70a167e08535
# hostname: name
# keyed_groups:
#   - key: drweb_listed_in
#     prefix: drweb
# # The jsonfile cache survives between runs (the default memory cache does not); its files are mode 0600.
# cache: true
# cache_plugin: ansible.builtin.jsonfile
# cache_connection: ~/.cache/drweb-inventory
# cache_timeout: 3600
#
# # details.drweb.yml: station details and every group a station belongs to (one request per 50 stations).
# plugin: drweb.esuite.stations
# include: [group_membership]
# keyed_groups:
#   - key: drweb_group_membership | map(attribute='name')
#     prefix: member
#   - key: drweb_city | default('unknown', true)
#     prefix: city
# compose:
#   ansible_host: drweb_login_addr
'''

import hashlib
import json
import os
import stat
import time

from ansible.errors import AnsibleParserError
from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.plugins.cache import BaseFileCacheModule
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

try:
    # ansible-core 2.19+ never templates what an inventory plugin sets unless the plugin trusts it,
    # and `ansible-inventory --list` would print wrapped values as {"__ansible_unsafe": ...}.
    from ansible.template import trust_as_template  # noqa: F401 pylint: disable=unused-import
except ImportError:
    # Older cores template any string a host variable holds: mark server data unsafe.
    from ansible.utils.unsafe_proxy import wrap_var
else:
    def wrap_var(value):
        return value

from ansible_collections.drweb.esuite.plugins.module_utils._client import (
    HAS_REQUESTS,
    DrWebClient,
)
from ansible_collections.drweb.esuite.plugins.module_utils._connection import (
    CHECKED_OPTIONS,
    basic_secrets,
    check_connection,
    scrub,
    url_secrets,
)
from ansible_collections.drweb.esuite.plugins.module_utils._errors import DrWebError
from ansible_collections.drweb.esuite.plugins.module_utils._groups import resolve_groups
from ansible_collections.drweb.esuite.plugins.module_utils._parser import HAS_LXML, dt17_seconds
from ansible_collections.drweb.esuite.plugins.module_utils._station_info import INFO_BATCH, read_stations

# Never a host variable, whatever the server sends: stations/info.ds returns it in clear text.
SECRET_FIELDS = frozenset(('password',))

# Bumped whenever the shape of the cached data changes, so an old cache is never misread.
# 2: every time value is Unix seconds, under one name each (collection 1.0.0).
CACHE_FORMAT = 2

# The listing's YYYYMMDDHHmmssSSS dates, under the names the details give the same facts.
LISTING_TIMES = (('create_time', 'created_time'), ('block_begin', 'block_begin_time'),
                 ('block_end', 'block_end_time'), ('expires', 'expires_time'))

# The numeric station state as the 4.1.3 list-by-user-id table documents it; later docs do not list it.
STATE_NAMES = {0: 'offline', 1: 'online', 2: 'newbie', 3: 'newbie_denied'}

# What names the server and the view of it, besides SOURCE_OPTIONS: the parts of the cache key.
CONNECTION_OPTIONS = ('api_url', 'api_username')
SOURCE_OPTIONS = ('drweb_groups', 'subgroups', 'show_blocked', 'station_type', 'details', 'include', 'limit')


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'drweb.esuite.stations'

    def __init__(self):
        super(InventoryModule, self).__init__()
        self.client = None
        self._bad_times = []
        self._cache_key_written = None

    def verify_file(self, path):
        if not super(InventoryModule, self).verify_file(path):
            return False
        name = to_text(path).replace('\\', '/').rsplit('/', 1)[-1]
        return name.endswith(('.drweb.yml', '.drweb.yaml')) or name in ('drweb_stations.yml', 'drweb_stations.yaml')

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)

        cache_key = self._cache_key(path)
        # `cache` is False when the user asked for a refresh (--flush-cache, meta: refresh_inventory).
        use_cache = self.get_option('cache') and cache
        update_cache = self.get_option('cache') and not cache
        data = None
        if use_cache:
            try:
                data = self._cache[cache_key]
            except KeyError:
                update_cache = True
            else:
                if not isinstance(data, dict) or data.get('format') != CACHE_FORMAT:
                    data = None
                    update_cache = True
        if data is None:
            data = self._fetch()
        if update_cache:
            self._cache[cache_key] = data
        else:
            # A file written by an older version, or by hand, may be readable by others.
            self._protect_cache_file(cache_key)
        self._cache_key_written = cache_key if update_cache else None

        self._populate(data)

    # ------------------------------------------------------------------ the cache's file mode

    def _read_config_data(self, path):
        # Reading the options also loads the cache plugin, and core's file caches create a missing
        # directory with the umask's mode (often 0755). The cache holds the fleet's names and
        # addresses: only its owner may read it. Nothing else is created meanwhile.
        previous = os.umask(0o077)
        try:
            return super(InventoryModule, self)._read_config_data(path)
        finally:
            os.umask(previous)

    def update_cache_if_changed(self):
        super(InventoryModule, self).update_cache_if_changed()
        key = getattr(self, '_cache_key_written', None)
        if key:
            self._protect_cache_file(key)

    def _file_cache(self):
        plugin = getattr(getattr(self, '_cache', None), '_plugin', None)
        return plugin if isinstance(plugin, BaseFileCacheModule) else None

    def _protect_cache_file(self, key):
        if self._file_cache() is None:
            return
        directory = os.path.expanduser(os.path.expandvars(to_native(self.get_option('cache_connection'))))
        try:
            # The file is named prefix + key, and core may put a schema tag before the key (2.19: "s1_").
            names = [n for n in os.listdir(directory) if n.endswith(key)]
        except OSError:
            return
        for name in names:
            path = os.path.join(directory, name)
            try:
                if stat.S_IMODE(os.stat(path).st_mode) != stat.S_IRUSR | stat.S_IWUSR:
                    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
            except OSError:
                # Not ours to change: the cache plugin reports its own errors.
                pass

    # ------------------------------------------------------------------ reading the server

    def _cache_key(self, path):
        # The file path alone would let a cache outlive a change of server or groups in the same file.
        relevant = dict((name, self.get_option(name)) for name in CONNECTION_OPTIONS + SOURCE_OPTIONS)
        digest = hashlib.sha256(json.dumps(relevant, sort_keys=True, default=to_text).encode('utf-8')).hexdigest()[:12]
        return '%s_%s' % (self.get_cache_key(path), digest)

    def _secrets(self):
        return basic_secrets(self.get_option('api_username'), self._password()) + url_secrets(self.get_option('proxy'))

    def _password(self):
        password = self.get_option('api_password')
        # A vault-encrypted value arrives as a vault object; the client wants plain text.
        return to_text(password) if password is not None else None

    def _warn(self, text):
        # Warnings name stations, i.e. server text: never repeat a credential a server put there.
        self.display.warning('drweb.esuite.stations: %s' % scrub(text, self._secrets()))

    def _client(self):
        if not HAS_REQUESTS:
            raise AnsibleParserError(missing_required_lib('requests'))
        if self.get_option('api_format') == 'xml' and not HAS_LXML:
            raise AnsibleParserError(missing_required_lib('lxml', reason='for api_format=xml'))
        options = dict((name, self.get_option(name)) for name in CHECKED_OPTIONS)
        for name in ('api_url', 'proxy', 'ca_path'):
            if options[name] is not None:
                options[name] = to_text(options[name])
        # The same checks and words as the modules, before any request.
        for warning in check_connection(**options):
            self._warn(warning)
        return DrWebClient(username=self.get_option('api_username'), password=self._password(), **options)

    def _fetch(self):
        """Read the stations; returns the JSON-serialisable data that is cached."""
        self._bad_times = []
        include = list(self.get_option('include') or [])
        details = bool(self.get_option('details') or include)
        workers = self.get_option('details_workers')
        if details and workers < 1:
            raise AnsibleParserError('The details_workers option must be 1 or more, got %d.' % workers)
        refs = [to_text(r) for r in self.get_option('drweb_groups') or []]
        if not refs:
            raise AnsibleParserError('The drweb_groups option is empty; name at least one group, for example Everyone.')
        limit = self.get_option('limit')
        if limit is not None and limit < 1:
            raise AnsibleParserError('The limit option must be 1 or more, got %d.' % limit)
        try:
            self.client = self._client()
            try:
                groups = resolve_groups(self.client, refs)
                stations = {}
                order = []
                for ref in refs:
                    if limit is not None and len(order) >= limit:
                        break
                    group = groups[ref]
                    listing = self.client.group_stations(
                        group['id'], subgroups=self.get_option('subgroups'),
                        show_blocked=self.get_option('show_blocked'), station_type=self.get_option('station_type'),
                        limit=None if limit is None else limit - len(order))
                    for station in listing['stations']:
                        sid = station.get('id')
                        if not sid:
                            continue
                        entry = stations.get(sid)
                        if entry is None:
                            if limit is not None and len(order) >= limit:
                                continue
                            entry = stations[sid] = dict(self._listed_times(station), listed_in=[])
                            order.append(sid)
                        if group.get('name') not in entry['listed_in']:
                            entry['listed_in'].append(group.get('name'))
                if details:
                    self._add_details(stations, order, include, workers)
            finally:
                self.client.close()
        except DrWebError as exc:
            raise AnsibleParserError('drweb.esuite.stations: %s' % scrub(to_native(exc), self._secrets()))
        if self._bad_times:
            self._warn('%d time value(s) of the listings are not YYYYMMDDHHmmssSSS dates and are left out (null): %s'
                       % (len(self._bad_times), ', '.join(self._bad_times[:5])))
        hosts = []
        for sid in order:
            if sid in stations:
                hosts.append(dict((k, v) for k, v in stations[sid].items() if k not in SECRET_FIELDS))
        return {'format': CACHE_FORMAT, 'stations': hosts}

    def _listed_times(self, station):
        """A listed station with Unix seconds under the details' names instead of the listing's dates."""
        station = dict(station)
        for listed, name in LISTING_TIMES:
            value = station.pop(listed, None)
            try:
                station[name] = dt17_seconds(value)
            except ValueError:
                self._bad_times.append('%s of station %s' % (listed, station.get('id')))
                station[name] = None
        return station

    def _add_details(self, stations, order, include, workers):
        vanished = []
        # A connection-level failure stops every batch and fails the source.
        for sid, details in read_stations(self.client, order, include, batch=INFO_BATCH, workers=workers):
            if details is None:
                # Deleted between the listing and now: it is no longer a host.
                vanished.append(sid)
                del stations[sid]
                continue
            for machine in details.get('machines') or ():
                try:
                    machine['logged_time'] = dt17_seconds(machine.get('logged_time'))
                except ValueError:
                    self._bad_times.append('machines[].logged_time of station %s' % sid)
                    machine['logged_time'] = None
            stations[sid].update((k, v) for k, v in details.items() if k not in SECRET_FIELDS)
        if vanished:
            self._warn('%d station(s) disappeared while their details were read and are left out: %s'
                       % (len(vanished), ', '.join(sorted(vanished)[:10])))

    # ------------------------------------------------------------------ building the inventory

    def _populate(self, data):
        prefix = self.get_option('vars_prefix') or ''
        strict = self.get_option('strict')
        compose = self.get_option('compose')
        conditional_groups = self.get_option('groups')
        keyed_groups = self.get_option('keyed_groups')
        stations = data.get('stations') or []
        names, by_id = self._hostnames(stations)
        now = time.time()
        for station in stations:
            hostname = wrap_var(names[station['id']])
            self.inventory.add_host(hostname)
            hostvars = {}
            begin, end = station.get('block_begin_time'), station.get('block_end_time')
            # Derived here, not when reading, so that a cached inventory is right at the time it is used.
            station = dict(station, state_name=STATE_NAMES.get(station.get('state'), 'unknown'),
                           blocked=bool(begin and begin <= now and (not end or now < end)))
            for key, value in station.items():
                if key in SECRET_FIELDS:
                    continue
                # Server data is never a template, whatever a station name or description contains.
                hostvars[prefix + key] = wrap_var(value)
            for key, value in hostvars.items():
                self.inventory.set_variable(hostname, key, value)
            self._set_composite_vars(compose, hostvars, hostname, strict=strict)
            self._add_host_to_composed_groups(conditional_groups, hostvars, hostname, strict=strict)
            self._add_host_to_keyed_groups(keyed_groups, hostvars, hostname, strict=strict)
        if by_id:
            self._warn('%d station(s) have no name, or share it with another station, and are named by id: %s'
                       % (len(by_id), ', '.join(sorted(by_id)[:10])))

    def _hostnames(self, stations):
        """``({id: host name}, [ids named by id although hostname=name])``; host names never collide."""
        ids = [to_text(s['id']) for s in stations]
        if self.get_option('hostname') != 'name':
            return dict((i, i) for i in ids), []
        counts = {}
        for station in stations:
            name = station.get('name')
            if name:
                counts[name] = counts.get(name, 0) + 1
        taken = set(ids)
        names = {}
        by_id = []
        for sid, station in zip(ids, stations):
            name = station.get('name')
            # A name that is also some station's id would make two hosts one.
            if name and counts[name] == 1 and (name == sid or name not in taken):
                names[sid] = to_text(name)
            else:
                names[sid] = sid
                by_id.append(sid)
        return names, by_id
