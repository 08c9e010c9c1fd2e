# -*- coding: utf-8 -*-
# Copyright: (c) 2026, drweb.esuite contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A throw-away CA and server certificate, made at start-up (trustme)."""

import ssl

from .persist import atomic_write_text


def server_context(host, ca_file):
    """An SSL server context for `host`, `localhost` and 127.0.0.1; the CA PEM goes to ca_file."""
    import trustme

    ca = trustme.CA(organization_name="drweb-emulator test CA")
    names = ["localhost", "127.0.0.1", "::1"]
    if host and host not in names and host not in ("0.0.0.0", "::"):
        names.append(host)
    cert = ca.issue_cert(*names)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    atomic_write_text(ca_file, ca.cert_pem.bytes().decode("ascii"))
    return context
