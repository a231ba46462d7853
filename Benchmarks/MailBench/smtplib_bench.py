"""The baseline for mail-bench: Python's smtplib sending the same messages
over one reused connection. Prints messages per second."""
import smtplib
import sys
import time
from urllib.parse import urlparse


def main():
    url, count, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    data = open(path, "rb").read()
    target = urlparse(url)
    client = smtplib.SMTP(target.hostname, target.port)
    client.ehlo()
    start = time.perf_counter()
    for _ in range(count):
        client.sendmail("mediation@example.org", ["sian@example.org"], data)
    elapsed = time.perf_counter() - start
    client.quit()
    print(f"{count / elapsed:.1f}")


if __name__ == "__main__":
    main()
