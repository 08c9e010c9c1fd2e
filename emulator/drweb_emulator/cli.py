# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""`python -m drweb_emulator` / `drweb-emulator`: run the emulator until SIGTERM/SIGINT."""

import argparse
import os
import signal
import sys
import threading

from .config import DEFAULT_PROFILE, PROFILES, Config
from .persist import atomic_write_text


def build_parser():
    parser = argparse.ArgumentParser(prog="drweb-emulator",
                                     description="Local emulator of the Dr.Web ESS Server Web API.")
    net = parser.add_argument_group("network")
    net.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    net.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    net.add_argument("--port-file", help="write the port here (atomically) once listening")
    net.add_argument("--pid-file", help="write the process id here once listening")
    net.add_argument("--tls", action="store_true", help="serve HTTPS with a CA generated at start")
    net.add_argument("--ca-file", help="where to write the generated CA certificate (PEM)")
    auth = parser.add_argument_group("credentials")
    auth.add_argument("--user", default="admin", help="administrator login (default admin)")
    secret = auth.add_mutually_exclusive_group()
    secret.add_argument("--password", help="administrator password (default drweb); visible in ps, "
                                           "prefer --password-file")
    secret.add_argument("--password-file", metavar="F",
                        help="read the administrator password from the first line of file F")
    auth.add_argument("--readonly-user", metavar="U",
                      help="also accept a read-only administrator U: reads work, changes are refused as a "
                           "real server refuses an administrator without the privilege")
    readonly_secret = auth.add_mutually_exclusive_group()
    readonly_secret.add_argument("--readonly-password", metavar="P",
                                 help="password of --readonly-user (default drweb); visible in ps")
    readonly_secret.add_argument("--readonly-password-file", metavar="F",
                                 help="read the password of --readonly-user from the first line of file F")
    data = parser.add_argument_group("data")
    data.add_argument("--seed", help="YAML/JSON seed file (default: the packaged fleet)")
    data.add_argument("--state", dest="state_file", help="persist every change here; reloaded on restart")
    data.add_argument("--generate-stations", type=int, default=0, metavar="N",
                      help="add N synthetic stations gen-000001… (for large listings)")
    data.add_argument("--generate-group", default="generated", metavar="ID",
                      help="group for --generate-stations (created if missing; default 'generated')")
    behaviour = parser.add_argument_group("behaviour")
    behaviour.add_argument("--request-log", help="append one JSON line per API request here")
    behaviour.add_argument("--update-duration", type=float, default=2.0, metavar="SECONDS",
                           help="how long repository-status says 'updating' after an update starts")
    behaviour.add_argument("--faults", help="fault rules: JSON text or a JSON/YAML file")
    behaviour.add_argument("--api-version", default=DEFAULT_PROFILE, choices=sorted(PROFILES),
                           help="API generation to impersonate (default %s)" % DEFAULT_PROFILE)
    behaviour.add_argument("--root", help="override the XML root element (e.g. drweb-avdesk-api)")
    behaviour.add_argument("--stations-list-by-type", action="store_true",
                           help="XML groups/stations-list as one <stations type=...> block per station type, "
                                "unpaged by default (a variant seen on a real 13.0.1 server)")
    behaviour.add_argument("--single-id-info", action="store_true",
                           help="stations/info.ds reads only the first of several ids, as a server that does not "
                                "take repeated ids there may (several ids are not documented for info.ds)")
    behaviour.add_argument("--server-name", help="the envelope's `server` value (default: --host)")
    behaviour.add_argument("--server-uuid", help="server id (x-drweb-srv, JSON head.server.uuid)")
    return parser


def read_password(path):
    """The first line of ``path`` without its line ending; an empty one is an error (ValueError)."""
    with open(path, encoding="utf-8") as handle:
        password = handle.readline().rstrip("\r\n")
    if not password:
        raise ValueError("the password file %s is empty" % path)
    return password


def _password(value, path):
    if path:
        return read_password(path)
    return "drweb" if value is None else value


def config_from_args(args):
    """The Config of the arguments; a password file that cannot be read raises OSError or ValueError."""
    config = Config(
        host=args.host, port=args.port, user=args.user, password=_password(args.password, args.password_file),
        tls=args.tls, readonly_user=args.readonly_user,
        readonly_password=_password(args.readonly_password, args.readonly_password_file),
        ca_file=args.ca_file, seed=args.seed, state_file=args.state_file, request_log=args.request_log,
        update_duration=args.update_duration, faults=args.faults, api_version=args.api_version,
        root=args.root, server_name=args.server_name, generate_stations=args.generate_stations,
        generate_group=args.generate_group, listing_by_type=args.stations_list_by_type,
        single_id_info=args.single_id_info,
    )
    if args.server_uuid:
        config.server_uuid = args.server_uuid
    return config


def main(argv=None):
    args = build_parser().parse_args(argv)
    from .server import EmulatorServer   # after argument errors, so --help stays fast

    import yaml

    try:
        server = EmulatorServer(config_from_args(args))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print("drweb-emulator: cannot start: %s" % exc, file=sys.stderr)
        return 2

    stopping = threading.Event()

    def stop(signum, frame):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    # The socket is already listening: callers may wait for these files.
    if args.pid_file:
        atomic_write_text(args.pid_file, "%d\n" % os.getpid())
    if args.port_file:
        atomic_write_text(args.port_file, "%d\n" % server.port)
    ca = " ca=%s" % server.config.ca_file if server.config.tls else ""
    print("drweb-emulator listening on %s (port %d)%s" % (server.url, server.port, ca), flush=True)
    try:
        server.serve_forever()
    finally:
        server.httpd.server_close()
        server.store.save_if_dirty()
        server.request_log.close()
        for path in (args.port_file, args.pid_file):
            if path:
                try:
                    os.unlink(path)
                except OSError:
                    pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
