"""Creates or updates the broker users the services connect as (service-users.json), as the broker's admin.

Run once the broker is up (a compose one-shot, a Kubernetes Job); safe to run again: a user that exists gets
the password and permissions given now, so changing a password in .env or the Secret and running it again
rotates it. Talks to the management HTTP API, so it needs no Erlang cookie and no tool beyond Python's
standard library. For each NAME in the file it reads RABBITMQ_<NAME>_USER and RABBITMQ_<NAME>_PASSWORD; a NAME
whose user variable is unset is skipped (compose has no KEDA). The admin is RABBITMQ_ADMIN_USER /
RABBITMQ_ADMIN_PASSWORD, the broker's default user, which no service uses.
"""

import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

URL = os.environ.get("RABBITMQ_MANAGEMENT_URL", "http://rabbitmq:15672").rstrip("/")
VHOST = os.environ.get("RABBITMQ_VHOST", "/")
USERS_FILE = os.environ.get(
    "RABBITMQ_SERVICE_USERS_FILE", os.path.join(os.path.dirname(os.path.abspath(__file__)), "service-users.json"))
WAIT_SECONDS = int(os.environ.get("RABBITMQ_WAIT_SECONDS", "180"))


def required(name):
    value = os.environ.get(name, "")
    if not value:
        sys.exit(f"service-users: {name} is not set")
    return value


ADMIN = "Basic " + base64.b64encode(
    f"{required('RABBITMQ_ADMIN_USER')}:{required('RABBITMQ_ADMIN_PASSWORD')}".encode()).decode()


def call(method, path, body=None):
    request = urllib.request.Request(
        URL + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": ADMIN, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def wait_for_broker():
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            call("GET", "/api/overview")
            return
        except urllib.error.HTTPError as refused:
            # 401: wrong admin credentials, which waiting does not mend
            if refused.code == 401:
                sys.exit("service-users: the broker refused the admin credentials (RABBITMQ_ADMIN_USER/PASSWORD)")
            problem = refused
        except OSError as unreachable:
            problem = unreachable
        if time.monotonic() > deadline:
            sys.exit(f"service-users: no management API at {URL} after {WAIT_SECONDS}s: {problem}")
        time.sleep(3)


def main():
    with open(USERS_FILE, encoding="utf-8") as file:
        users = {name: rules for name, rules in json.load(file).items() if not name.startswith("_")}
    wait_for_broker()
    vhost = urllib.parse.quote(VHOST, safe="")
    for name, rules in users.items():
        user = os.environ.get(f"RABBITMQ_{name.upper()}_USER", "")
        if not user:
            print(f"service-users: {name}: RABBITMQ_{name.upper()}_USER is not set, skipped")
            continue
        password = required(f"RABBITMQ_{name.upper()}_PASSWORD")
        quoted = urllib.parse.quote(user, safe="")
        # no tags: the user cannot sign in to the management UI or API
        call("PUT", f"/api/users/{quoted}", {"password": password, "tags": ""})
        call("PUT", f"/api/permissions/{vhost}/{quoted}",
             {key: rules[key] for key in ("configure", "write", "read")})
        print(f"service-users: {name}: user {user} on vhost {VHOST}: configure {rules['configure']},"
              f" write {rules['write']}, read {rules['read']}")


if __name__ == "__main__":
    main()
