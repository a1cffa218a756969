#!/usr/bin/env python3
"""A Twilio-compatible SMS endpoint on 127.0.0.1 for the demo: it sends nothing anywhere.

Binds a free port, prints "sms http://127.0.0.1:PORT", and writes each text posplus sends
(POST /2010-04-01/Accounts/SID/Messages.json, form To, From, Body) to FOLDER/NNNN.sms as
"To: ...\\n\\nBody" before it answers 201, so the demo can show what the customer's phone got.

Usage: sms-sink.py FOLDER
"""
import http.server
import os
import sys
import urllib.parse

folder = sys.argv[1]
count = 0


class Texts(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode())
        if not self.path.endswith("/Messages.json") or "To" not in form or "Body" not in form:
            self.send_response(400)
            self.end_headers()
            return
        count += 1
        path = os.path.join(folder, f"{count:04d}.sms")
        with open(path + ".partial", "w") as out:
            out.write(f"To: {form['To'][0]}\n\n{form['Body'][0]}\n")
        os.rename(path + ".partial", path)
        body = f'{{"sid": "SM{count:032d}", "status": "queued"}}'.encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Texts)
print(f"sms http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
