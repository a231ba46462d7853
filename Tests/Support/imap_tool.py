"""Puts messages into, and reads flags from, the test Dovecot, as a mail
client would: IMAP with STARTTLS against the server's own certificate.

    imap_tool.py append PORT USER PASSWORD CAFILE < message.eml
    imap_tool.py flags PORT USER PASSWORD CAFILE      # JSON {uid: [flags]}
    imap_tool.py unflag PORT USER PASSWORD CAFILE UID KEYWORD
"""
import imaplib
import json
import re
import ssl
import sys


def connect(port, user, password, cafile):
    context = ssl.create_default_context(cafile=cafile)
    client = imaplib.IMAP4("127.0.0.1", int(port))
    client.starttls(ssl_context=context)
    client.login(user, password)
    return client


def main():
    command, port, user, password, cafile = sys.argv[1:6]
    client = connect(port, user, password, cafile)
    if command == "append":
        data = sys.stdin.buffer.read()
        status, _ = client.append("INBOX", None, None, data)
        assert status == "OK", status
    elif command == "flags":
        client.select("INBOX")
        status, lines = client.uid("FETCH", "1:*", "(FLAGS)")
        flags = {}
        for line in lines:
            if not line:
                continue
            text = line.decode()
            uid = re.search(r"UID (\d+)", text)
            found = re.search(r"FLAGS \(([^)]*)\)", text)
            if uid and found:
                flags[uid.group(1)] = found.group(1).split()
        print(json.dumps(flags))
    elif command == "unflag":
        client.select("INBOX")
        uid, keyword = sys.argv[6:8]
        status, _ = client.uid("STORE", uid, "-FLAGS", f"({keyword})")
        assert status == "OK", status
    client.logout()


if __name__ == "__main__":
    main()
