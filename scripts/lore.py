#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/lore.py ARCHIVE-DIR PORT-FILE
# A local stand-in for lore.kernel.org, for b4: it serves the mboxes under
# ARCHIVE-DIR (the project's sent records and the mails of the topics as
# they would be posted now) with the two public-inbox queries b4 makes:
#   POST /all/?x=m&q=QUERY[&t=1]  a search (change-id: or patchid:), mbox.gz
#   GET  /all/MSGID/t.mbox.gz     the thread of a message, mbox.gz
# It listens on 127.0.0.1 on a free port, writes the port to PORT-FILE and
# reads the archive again at every request (it grows while it runs). It
# exits when its parent (the script that started it) is gone.
import email
import email.policy
import gzip
import http.server
import mailbox
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse

ARCHIVE, PORTFILE = sys.argv[1], sys.argv[2]
POLICY = email.policy.EmailPolicy(utf8=True, cte_type='8bit', max_line_length=None, linesep='\n')


def msgid_of(msg):
    return (msg.get('Message-Id') or '').strip().strip('<>')


def load():
    msgs = {}
    for root, _dirs, files in os.walk(ARCHIVE):
        for f in sorted(files):
            if not f.endswith('.mbox'):
                continue
            for m in mailbox.mbox(os.path.join(root, f), factory=None, create=False):
                msg = email.message_from_bytes(m.as_bytes(), policy=POLICY)
                if msgid_of(msg):
                    msgs[msgid_of(msg)] = msg
    return msgs


def parent_ids(msg):
    ids = re.findall(r'<([^>]+)>', (msg.get('In-Reply-To') or '') + ' ' + (msg.get('References') or ''))
    return ids


def thread_of(msgs, mid):
    # the root: follow the parents up; then everything below it
    seen, cur = set(), mid
    while cur in msgs and cur not in seen:
        seen.add(cur)
        ps = [p for p in parent_ids(msgs[cur]) if p in msgs]
        if not ps:
            break
        cur = ps[0]
    root, out, todo = cur, [], [cur]
    while todo:
        m = todo.pop(0)
        if m in out or m not in msgs:
            continue
        out.append(m)
        todo += [k for k, v in msgs.items() if m in parent_ids(v)]
    return [msgs[m] for m in out]


def body_of(msg):
    part = msg.get_body(preferencelist=('plain',)) if msg.is_multipart() else msg
    try:
        return part.get_content() if part is not None else ''
    except Exception:  # noqa
        return (part.get_payload(decode=True) or b'').decode(errors='replace')


def patch_id(msg):
    out = subprocess.run(['git', 'patch-id', '--stable'], input=msg.as_bytes(policy=POLICY),
                         capture_output=True).stdout.decode().split()
    return out[0] if out else None


def search(msgs, q):
    m = re.match(r'^(?:nq:)?"change-id: ?(.+)"$', q)
    if m:
        want = re.compile(r'^\s*change-id:\s*%s\s*$' % re.escape(m.group(1)), re.M | re.I)
        return [v for v in msgs.values() if want.search(body_of(v))]
    m = re.match(r'^patchid:(\S+)$', q)
    if m:
        return [v for v in msgs.values() if patch_id(v) == m.group(1)]
    return []


def mbox_gz(found):
    out = b''
    for msg in found:
        out += b'From mboxrd@z Thu Jan  1 00:00:00 1970\n' + msg.as_bytes(policy=POLICY).rstrip(b'\n') + b'\n\n'
    return gzip.compress(out)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def answer(self, found):
        if not found:
            self.send_response(404)
            self.end_headers()
            return
        data = mbox_gz(found)
        self.send_response(200)
        self.send_header('Content-Type', 'application/gzip')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        u = urllib.parse.urlparse(self.path)
        qs = urllib.parse.parse_qs(u.query)
        msgs = load()
        found = search(msgs, qs.get('q', [''])[0])
        if 't' in qs:
            full = []
            for f in found:
                full += [x for x in thread_of(msgs, msgid_of(f)) if x not in full]
            found = full
        self.answer(found)

    def do_GET(self):
        m = re.match(r'^/all/(.+)/t\.mbox\.gz$', urllib.parse.urlparse(self.path).path)
        msgs = load()
        mid = urllib.parse.unquote(m.group(1)) if m else ''
        self.answer(thread_of(msgs, mid) if mid in msgs else [])


def watch_parent(parent):
    # the caller stops this server (lore_down, in its EXIT trap); a caller
    # killed outright runs no trap: go when it is gone, never listen on
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
srv = http.server.HTTPServer(('127.0.0.1', 0), Handler)
with open(PORTFILE + '.tmp', 'w') as fh:
    fh.write('%d\n' % srv.server_address[1])
os.rename(PORTFILE + '.tmp', PORTFILE)
srv.serve_forever()
