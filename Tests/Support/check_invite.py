"""Reads an email with Python's own parsers (email, icalendar) and prints
what a mail client and a calendar would see, as JSON, for mdrsd's tests."""
import json
import sys
from email import policy
from email.parser import BytesParser

import icalendar


def main():
    message = BytesParser(policy=policy.default).parse(open(sys.argv[1], "rb"))
    facts = {
        "to": message.get_all("To"),
        "subject": str(message["Subject"]),
        "content_types": [part.get_content_type() for part in message.walk()],
        "text": message.get_body(("plain",)).get_content(),
        "html": message.get_body(("html",)).get_content(),
    }
    for part in message.walk():
        if part.get_content_type() != "text/calendar":
            continue
        facts["method_param"] = part.get_param("method")
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        facts["ics_method"] = str(calendar.get("METHOD"))
        facts["timezones"] = [str(tz.get("TZID")) for tz in calendar.walk("VTIMEZONE")]
        event = calendar.walk("VEVENT")[0]
        start = event.decoded("DTSTART")
        facts.update({
            "uid": str(event.get("UID")),
            "sequence": int(event.get("SEQUENCE")),
            "summary": str(event.get("SUMMARY")),
            "location": str(event.get("LOCATION")),
            "dtstart_tzid": event["DTSTART"].params.get("TZID"),
            "dtstart_utc": start.astimezone(__import__("datetime").timezone.utc).isoformat(),
            "attendees": [str(a) for a in (event.get("ATTENDEE") if isinstance(event.get("ATTENDEE"), list) else [event.get("ATTENDEE")])],
        })
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
