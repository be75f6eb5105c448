#!/usr/bin/env python3
"""Issue 19 figure: how long after its activation an offer posted on one
`lba serve` node is searchable on a second node sharing the same PostgreSQL.

Node A (with its worker, emails as .eml files) and node B start on one
database (A imports the referentials and the local demo when it is empty).
A recruiter signs up on A with an address of the demo companies' domain (so
the company is validated at once), signs in from the emailed link, posts an
offer; the script then polls B's `/api/v1/jobs?...&sources=matcha` every
20 ms until the offer is there. Repeated --runs times.

    python3 scripts/pro_two_nodes.py [--pg postgres://postgres@127.0.0.1:5432] [--runs 5]

LBA_BIN=path/to/lba measures that binary (default target/release/lba).
"""
import argparse
import glob
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_health(port, proc, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"node on {port} exited")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        except Exception:
            time.sleep(0.2)
    sys.exit(f"node on {port} did not start")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    lba = os.environ.get("LBA_BIN", "target/release/lba")
    db = "lba_pro_nodes"
    subprocess.run(["psql", f"{args.pg}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db}"], check=True)
    subprocess.run(["psql", f"{args.pg}/postgres", "-qc", f"CREATE DATABASE {db}"], check=True)
    url = f"{args.pg}/{db}"
    work = tempfile.mkdtemp(prefix="lba-pro-nodes-")
    a, b = free_port(), free_port()
    procs = []

    def serve(port, worker):
        env = dict(os.environ, LBA_DATABASE_URL=url, LBA_MAIL_DIR=f"{work}/mail",
                   LBA_PUBLIC_URL=f"http://127.0.0.1:{port}", LBA_LOG="warn", LBA_WORKER_POLL_MS="100",
                   LBA_INDEX_SNAPSHOT=f"{work}/index-{port}")
        cmd = [lba, "serve", "--addr", f"127.0.0.1:{port}"] + ([] if worker else ["--no-worker"])
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=open(f"{work}/serve-{port}.log", "w"))
        procs.append(p)
        return p

    try:
        wait_health(a, serve(a, True))
        wait_health(b, serve(b, False))
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

        def post(port, path, fields):
            data = urllib.parse.urlencode(fields, doseq=True).encode()
            try:
                return opener.open(f"http://127.0.0.1:{port}{path}", data=data)
            except urllib.error.HTTPError as e:
                return e

        # A demo company known by an address of the demo domain (so that an
        # address of that domain validates the account at once): sign up
        # the companies near a big city in turn until one is validated.
        email = None
        for lat, lon in [(45.7676, 4.8357), (48.8566, 2.3522), (43.6045, 1.444)]:
            q = f"romes=D1102,D1106,G1603,H2909,I1604,M1607&latitude={lat}&longitude={lon}&radius=60&sources=lba"
            body = json.load(urllib.request.urlopen(f"http://127.0.0.1:{a}/api/v1/jobs?{q}"))
            for company in body.get("lbaCompanies", {}).get("results", [])[:40]:
                candidate = f"recrutement.{company['id']}@exemple.fr"
                r = post(a, "/pro/inscription/entreprise", {"siret": company["id"], "email": candidate,
                                                            "first_name": "Marie", "last_name": "Durand",
                                                            "phone": "0601020304"})
                if "ouvrez-le pour confirmer" in r.read().decode():
                    email = candidate
                    lat, lon = company["place"]["latitude"], company["place"]["longitude"]
                    break
            if email:
                break
        assert email, "no demo company validated at once"
        link = None
        for _ in range(300):
            for f in glob.glob(f"{work}/mail/*.eml"):
                text = open(f, encoding="utf-8", errors="replace").read().replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
                m = re.search(r"(http://127\.0\.0\.1:\d+/pro/connexion/lien\?id=[0-9a-f]+&(?:amp;)?exp=\d+&(?:amp;)?sig=[\w=-]+)", text)
                if m and email in text:
                    link = m.group(1).replace("&amp;", "&").replace("=3D", "=")
            if link:
                break
            time.sleep(0.1)
        assert link, "no sign-in email"
        try:
            opener.open(link)
        except urllib.error.HTTPError as e:
            assert e.code == 303, e.code
        form = opener.open(f"http://127.0.0.1:{a}/pro/offres/nouvelle").read().decode()
        csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        times = []
        for run in range(args.runs):
            fields = {"csrf": csrf, "metier": "boulanger", "title": f"Apprenti boulanger {run}",
                      "apprentissage": "on", "duration_months": "24", "positions": "1",
                      "description": "Pétrissage, façonnage et cuisson du pain avec notre équipe."}
            r = post(a, "/pro/offres", fields)
            activated = time.time()
            location = r.headers.get("Location", "")
            m = re.search(r"/pro/offres/([0-9a-f]+)\?avis=publiee", location)
            assert m, f"offer not published at once: {r.status} {location}"
            offer = m.group(1)
            q = f"romes=D1102&latitude={lat}&longitude={lon}&radius=10&sources=matcha"
            while True:
                body = json.load(urllib.request.urlopen(f"http://127.0.0.1:{b}/api/v1/jobs?{q}"))
                if any(o.get("id") == offer for o in body.get("matchas", {}).get("results", [])):
                    break
                if time.time() - activated > 60:
                    sys.exit("not searchable on node B after 60 s")
                time.sleep(0.02)
            times.append(time.time() - activated)
            print(f"run {run + 1}: searchable on node B {times[-1] * 1000:.0f} ms after its activation on node A")
        times.sort()
        print(f"median {times[len(times) // 2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms over {len(times)} offers")
    finally:
        for p in procs:
            p.terminate()
            p.wait()


if __name__ == "__main__":
    main()
