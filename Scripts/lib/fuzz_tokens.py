"""Prints a token per role for the fuzzer (head coordinator, coordinator, studio, client), each on
its own line as ROLE=TOKEN, after creating the studio and the client they are bound to.
Usage: fuzz_tokens.py BASE_URL DATA_DIR"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from clubapi import Club  # noqa: E402

club = Club(sys.argv[1], sys.argv[2])
head = club.head
studio = club.call("POST", "/v1/studios", head, {"name": "Fuzz Studio", "competences": ["web"], "budgetMin": 0, "budgetMax": 100, "capacity": 2}, 201)["id"]
client = club.call("POST", "/v1/clients", head, {"name": "Fuzz Client"}, 201)["id"]
print(f"head={head}")
print("coordinator=" + club.call("POST", "/v1/tokens", head, {"role": "coordinator", "name": "fuzz coordinator"}, 201)["token"])
print("studio=" + club.call("POST", "/v1/tokens", head, {"role": "studio", "studioId": studio, "name": "fuzz studio"}, 201)["token"])
print("client=" + club.call("POST", "/v1/tokens", head, {"role": "client", "clientId": client, "name": "fuzz client"}, 201)["token"])
