# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors a handler raises and the private errno table.

The real server's error-code appendix was never retrievable (SPEC §4.12); only 36,
144 and 145 are documented. Everything else uses a private 1001+ range so nobody
mistakes these numbers for the real server's.
"""

ERR_SYSTEM_GROUP = 36          # documented: "You cannot remove the system group"
ERR_AUTH = 1001                # HTTP 401: bad or missing credentials
ERR_NO_SUCH_SCRIPT = 1002      # HTTP 404: unknown object or script
ERR_BAD_PARAMETER = 1003       # missing or invalid parameter value
ERR_STATION_NOT_FOUND = 1004
ERR_GROUP_NOT_FOUND = 1005
ERR_ALREADY_EXISTS = 1006      # duplicate station or group id
ERR_NOT_ALLOWED = 1007         # valid request the object cannot accept
ERR_INTERNAL = 1008            # HTTP 500 (injected fault or emulator bug)
ERR_METHOD = 1009              # HTTP 405: neither GET nor POST
ERR_PRIVILEGE = 1010           # HTTP 401: the (read-only) administrator may not change anything

ERRNO_TABLE = {
    ERR_SYSTEM_GROUP: "Unable to remove group '…': You cannot remove the system group",
    ERR_AUTH: "Authorization failed",
    ERR_NO_SUCH_SCRIPT: "Unknown request path",
    ERR_BAD_PARAMETER: "Invalid or missing parameter",
    ERR_STATION_NOT_FOUND: "Station 'X' not found",
    ERR_GROUP_NOT_FOUND: "Group 'X' not found",
    ERR_ALREADY_EXISTS: "Station/Group 'X' already exists",
    ERR_NOT_ALLOWED: "Operation not allowed on this object",
    ERR_INTERNAL: "Internal server error",
    ERR_METHOD: "Method not allowed",
    ERR_PRIVILEGE: "Not enough privileges to perform the operation",
}


# The server's wording, from the server/tasks.ds samples of a job an administrator may not run.
NO_PRIVILEGE = "Not enough privileges to perform the operation"


class ApiError(Exception):
    """Becomes an error envelope (`status=false`) with the given HTTP status."""

    def __init__(self, errno, message, http_status=200):
        super().__init__(message)
        self.errno = errno
        self.message = message
        self.http_status = http_status


def bad_parameter(message):
    return ApiError(ERR_BAD_PARAMETER, message)


def station_not_found(station_id):
    return ApiError(ERR_STATION_NOT_FOUND, "Station '%s' not found" % station_id)


def group_not_found(group_id):
    return ApiError(ERR_GROUP_NOT_FOUND, "Group '%s' not found" % group_id)
