# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixed identifiers and vocabularies of a Dr.Web ES Server (SPEC §4)."""

EVERYONE = "20e27d73-d21d-b211-a788-85419c46f0e6"
STATUS = "48afe720-953c-4075-856c-361f3ff06b6d"
OPERATING_SYSTEM = "f991915f-8a15-4cf7-817a-d81d156d2bbe"
TRANSPORT = "159e383d-f853-4bc5-9e18-c40144542aca"
UNGROUPED = "411dac63-2a3e-4ce8-af4f-1fbeb94242ef"
CONFIGURED = "8c483456-0d15-4e41-b271-87197ac2adb6"
NEIGHBORS = "aa6469d2-6621-46ce-8eed-fc35573c0b34"
POLICIES = "2abcd184-d8ba-4020-92fb-53148b61efaf"
PROFILES = "640b34ee-2058-49d6-b24d-d7cb239cfa3d"
PROXIES = "54171821-08df-4146-860b-3f5e6eb4ef40"
ACTIVE_DIRECTORY = "068e436a-952e-49d9-9b7f-46e2761dfc6f"
LINUX = "c7687f73-d21d-b211-a795-85419c46f0e6"

# The real ids of these subgroups are not documented (SPEC §3.7); these are the
# emulator's own, fixed so tests and playbooks can name them.
ONLINE = "bd0e1a6e-6f43-4a0c-9f1d-0e0d5f3a0001"
OFFLINE = "bd0e1a6e-6f43-4a0c-9f1d-0e0d5f3a0002"
NEWBIES = "bd0e1a6e-6f43-4a0c-9f1d-0e0d5f3a0003"
DEINSTALLED = "bd0e1a6e-6f43-4a0c-9f1d-0e0d5f3a0004"
EXPIRED = "bd0e1a6e-6f43-4a0c-9f1d-0e0d5f3a0005"
WINDOWS = "bd0e1a6e-6f43-4a0c-9f1d-0e0d5f3a0101"
ANDROID = "bd0e1a6e-6f43-4a0c-9f1d-0e0d5f3a0102"

# (id, name, type, parent, membership rule). The rule says how the server fills a
# system group; user groups hold explicit members instead.
SYSTEM_GROUPS = (
    (EVERYONE, "Everyone", 1, None, "all"),
    (STATUS, "Status", 10, None, "children"),
    (ONLINE, "Online", 2, STATUS, "status:online"),
    (OFFLINE, "Offline", 3, STATUS, "status:offline"),
    (NEWBIES, "Newbies", 10, STATUS, "status:newbies"),
    (DEINSTALLED, "Deinstalled", 6, STATUS, "status:deinstalled"),
    (EXPIRED, "Access expired", 7, STATUS, "expired"),
    (OPERATING_SYSTEM, "Operating system", 10, None, "children"),
    (WINDOWS, "Windows", 4, OPERATING_SYSTEM, "os:windows"),
    (LINUX, "Linux", 4, OPERATING_SYSTEM, "os:linux"),
    (ANDROID, "Android", 4, OPERATING_SYSTEM, "os:android"),
    (TRANSPORT, "Transport", 10, None, "none"),
    (UNGROUPED, "Ungrouped", 10, None, "ungrouped"),
    (CONFIGURED, "Configured", 10, None, "none"),
    (NEIGHBORS, "Neighbors", 10, None, "none"),
    (POLICIES, "Policies", 10, None, "none"),
    (PROFILES, "Profiles", 10, None, "none"),
    (PROXIES, "Proxies", 13, None, "none"),
    (ACTIVE_DIRECTORY, "Active Directory", 10, None, "none"),
)
SYSTEM_GROUP_IDS = frozenset(g[0] for g in SYSTEM_GROUPS)
OS_GROUP_BY_FAMILY = {"windows": WINDOWS, "linux": LINUX, "android": ANDROID}

TARIFF_GROUPS = (
    ("2888b7ff-3625-465e-bcb8-957de17f6458", "Dr.Web Classic"),
    ("2c213cd2-eba1-4a0e-9f76-95e5e756d48c", "Dr.Web Free"),
    ("4e87fd11-4a35-4ec1-bedd-29669b357e35", "Dr.Web Mobile"),
    ("91644cc3-1dc1-42dc-a41e-5ea001f5538d", "Dr.Web Premium"),
    ("01fe9e60-6570-11de-b827-0002a5d5c51b", "Dr.Web Premium Server"),
    ("ebe76ffc-69e1-4757-b2b3-41506832bc9b", "Dr.Web Standard"),
    ("673b0574-d11d-b211-9b4e-de33edc4ef1b", "Juridical Dr.Web Classic"),
    ("382a6f16-d21d-b211-9b56-de33edc4ef1b", "Juridical Dr.Web Premium"),
    ("800af701-d21d-b211-9b54-de33edc4ef1b", "Juridical Dr.Web Standard"),
)

# Station states as stations/state.ds spells them, and their numeric `state`
# (SPEC §4.1: 0 offline, 1 online; the 13.x newbie examples show 0).
STATION_STATUSES = (
    "online", "offline", "activated", "unactivated", "deinstalled", "new",
    "newbies", "with_update_errors", "deleted",
)
NUMERIC_STATE = {"online": 1}

# stations/products.ds `state_code` (SPEC 3.9; the docs' list of codes is cut off after these three).
PRODUCT_STATES = {"S": "Normal state", "F": "Update error", "D": "Update delayed"}

STATION_TYPES = {0: "regular", 1: "virtual_agent", 2: "scanning_server"}

UPDATE_OK = (2, "Update completed successfully")
UPDATE_NOT_FOUND = (106, "Requested product not found on GUS servers")
UPDATE_SOURCE = "Launched from the Control Center"


def os_family(code):
    """Which OS subgroup a station's OS code falls into (None if unknown).

    The codes seen (SPEC §4.11) put the family in the top bytes: 0x02xxxxxx are
    Windows editions, 0x0101xxxx Linux, 0x0105xxxx Android.
    """
    if not code:
        return None
    if code >> 24 == 2:
        return "windows"
    if code >> 16 == 0x0101:
        return "linux"
    if code >> 16 == 0x0105:
        return "android"
    return None
