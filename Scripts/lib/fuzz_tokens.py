"""Prints a token per role for the fuzzer (studio, client, coordinator, head coordinator), each on
its own line as ROLE=TOKEN, after building a small world the studio and the client are parties to:
an admitted studio, a client, a request, an accepted referral, an engagement with an agreement, a
check-in, an agreed fix list, a share link, a complaint and an audit. Listing operations find these
(OpenAPI links lead from the lists to the objects), so that every role's stateful phase starts
from real ids. The studio and the client come first: a coordinator's run may end the engagement.
Usage: fuzz_tokens.py BASE_URL DATA_DIR"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from clubapi import Club  # noqa: E402

club = Club(sys.argv[1], sys.argv[2])
head = club.head
item = {"statement": "The booking button is visible without scrolling on a phone",
        "acceptance": "on a 390x844 screen the button shows on first load", "due": "2030-03-12"}
studio_token, client_token, fix_list = club.agreed_fix_list([item])
engagement = fix_list["engagementId"]
club.call("POST", f"/v1/engagements/{engagement}/agreements", head,
          {"what": "the client sends the product photos", "owner": "client", "due": "2030-02-01",
           "consequence": "the launch moves by the days of delay"}, 201)
club.call("POST", f"/v1/engagements/{engagement}/check-ins", head,
          {"heldAt": "2026-01-10T11:00:00.000Z", "attendees": ["Oleg", "Anna"], "studioReport": "mock-ups delivered", "clientSentiment": 4}, 201)
club.call("POST", f"/v1/fix-lists/{fix_list['id']}/share-links", head, {}, 201)
club.call("POST", f"/v1/engagements/{engagement}/complaints", head,
          {"channel": "email", "summary": "the contact form loses leads", "demand": {"kind": "refund", "amount": 300000}}, 201)
club.call("POST", f"/v1/engagements/{engagement}/audits", head,
          {"auditor": "Northwind Audit Bureau", "receivedAt": "2026-01-10T09:00:00.000Z", "subject": "advertising campaign",
           "findings": [{"statement": "too few negative keywords", "severity": "critical", "category": "keywords"}]}, 201)
print(f"studio={studio_token}")
print(f"client={client_token}")
print("coordinator=" + club.call("POST", "/v1/tokens", head, {"role": "coordinator", "name": "fuzz coordinator"}, 201)["token"])
print(f"head={head}")
