#!/usr/bin/env python3
"""Start localstripe (PyPI) on 127.0.0.1 only, on a free port, for the Stripe tests.

localstripe's own launcher binds every interface on port 8420 and reloads state from a pickle
in /tmp; this one binds loopback, starts empty, prints "localstripe http://127.0.0.1:PORT" once
it listens, and serves until it is terminated.
"""
import logging
import socket
import sys

from aiohttp import web
from localstripe.server import app

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0))
sock.listen(128)  # before the announcement: a client may connect the moment it reads it
print(f"localstripe http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
logging.basicConfig(level=logging.WARNING)
web.run_app(app, sock=sock, print=None, access_log=None)
