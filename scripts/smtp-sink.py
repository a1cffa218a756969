#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd, from PyPI) on 127.0.0.1 for the email tests.

Binds a free port, prints "smtp 127.0.0.1:PORT", and writes each message it accepts to
FOLDER/NNNN.eml (envelope first, then the message as received) before it answers 250, so a
client that was told "sent" finds the file. Serves until killed.

Usage: smtp-sink.py FOLDER
"""
import asyncio
import os
import socket
import sys

from aiosmtpd.smtp import SMTP


class SaveToFolder:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.folder, f"{self.count:04d}.eml")
        head = f"X-Envelope-From: {envelope.mail_from}\r\nX-Envelope-To: {','.join(envelope.rcpt_tos)}\r\n".encode()
        with open(path + ".partial", "wb") as out:
            out.write(head + envelope.original_content)
        os.rename(path + ".partial", path)
        return "250 Message accepted"


async def main(folder):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    handler = SaveToFolder(folder)
    server = await asyncio.get_running_loop().create_server(lambda: SMTP(handler, hostname="posplus-test"), sock=sock)
    print(f"smtp 127.0.0.1:{sock.getsockname()[1]}", flush=True)
    await server.serve_forever()


asyncio.run(main(sys.argv[1]))
