"""A small client of clubd's API for the scripts: JSON over TLS trusting the data folder's
development authority, and the reference case up to an agreed final correction list."""
import json
import os
import ssl
import urllib.error
import urllib.request


class Club:
    def __init__(self, base, data):
        self.base = base
        self.data = data
        self.tls = ssl.create_default_context(cafile=os.path.join(data, "tls", "ca.pem"))
        with open(os.path.join(data, "bootstrap-token")) as file:
            self.head = file.read().strip()

    def call(self, method, path, token, body=None, expect=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, context=self.tls, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        if expect is not None and status != expect:
            raise AssertionError(f"{method} {path}: expected {expect}, got {status}: {text}")
        return json.loads(text) if text else {}

    def status_of(self, path):
        try:
            with urllib.request.urlopen(self.base + path, context=self.tls, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def agreed_fix_list(self, items):
        """DESIGN §1 up to step 5: a vetted studio, a client, a matched request, an engagement
        and its final correction list agreed by both sides. Returns the tokens and the list."""
        head = self.head
        studio = self.call("POST", "/v1/studios", head, {"name": "Pixel Hands", "competences": ["landing", "context_ads"], "regions": ["RU-MOW"],
                                                          "budgetMin": 100000, "budgetMax": 2000000, "capacity": 3}, 201)["id"]
        for kind in ["portfolio", "references", "trial_task", "interview"]:
            self.call("POST", f"/v1/studios/{studio}/vetting-checks", head, {"kind": kind, "passed": True}, 201)
        self.call("POST", f"/v1/studios/{studio}/decisions", head, {"decision": "admit", "reason": "all checks passed"}, 201)
        client = self.call("POST", "/v1/clients", head, {"name": "Yacht Charter Ltd", "contacts": [{"name": "Oleg"}]}, 201)["id"]
        request = self.call("POST", "/v1/requests", head, {"clientId": client, "statedAsk": "Instagram promotion", "businessGoal": "leads from the internet",
                                                            "budget": 600000, "deadline": "2030-02-01", "region": "RU-MOW"}, 201)["id"]
        self.call("PATCH", f"/v1/requests/{request}", head, {"requiredCompetences": ["landing", "context_ads"], "rationale": "too little content for Instagram"}, 200)
        self.call("POST", f"/v1/requests/{request}/shortlist", head, {"size": 3}, 201)
        studio_token = self.call("POST", "/v1/tokens", head, {"role": "studio", "studioId": studio, "name": "Pixel Hands PM"}, 201)["token"]
        client_token = self.call("POST", "/v1/tokens", head, {"role": "client", "clientId": client, "name": "Oleg"}, 201)["token"]
        referral = self.call("POST", f"/v1/requests/{request}/referrals", head, {"studioIds": [studio]}, 201)["items"][0]["id"]
        self.call("POST", f"/v1/referrals/{referral}/answer", studio_token, {"accept": True}, 200)
        engagement = self.call("POST", f"/v1/requests/{request}/engagements", head, {"studioId": studio}, 201)["id"]
        listing = self.call("POST", f"/v1/engagements/{engagement}/fix-lists", head, {"items": items}, 201)
        self.call("POST", f"/v1/fix-lists/{listing['id']}/confirm", client_token, {}, 200)
        agreed = self.call("POST", f"/v1/fix-lists/{listing['id']}/confirm", studio_token, {}, 200)
        return studio_token, client_token, agreed
