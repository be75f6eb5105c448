# Generates N France Travail offers (API format, NDJSON) spread over real
# communes of the referentials, a third without coordinates (located by commune).
import csv, json, random, sys
n = int(sys.argv[1]); out = sys.argv[2]
random.seed(0)
communes = []
with open('/work/shared/data/geo/communes.csv', encoding='utf-8') as f:
    for r in csv.DictReader(f):
        if r['commune_type'] == 'COM' and r['lat']:
            communes.append((r['insee_com'], r['code_postal'], r['commune'], float(r['lat']), float(r['lng'])))
romes = []
with open('/work/shared/data/rome/unix_referentiel_code_rome_v460_utf8.csv', encoding='utf-8') as f:
    for r in csv.reader(f):
        if len(r) > 0 and len(r[0]) == 5 and r[0][0].isalpha() and r[0][1:].isdigit():
            romes.append(r[0])
with open(out, 'w', encoding='utf-8') as f:
    for i in range(n):
        insee, cp, name, lat, lon = random.choice(communes)
        place = {"libelle": f"{insee[:2]} - {name}", "codePostal": cp, "commune": insee}
        if i % 3:
            place["latitude"] = lat; place["longitude"] = lon
        o = {"id": f"{i:07d}X", "intitule": f"Apprenti(e) métier {i}", "description": "Description de l'offre. " * 20,
             "dateCreation": "2026-10-01T08:00:00.000Z", "dateActualisation": "2026-11-20T08:00:00.000Z",
             "lieuTravail": place, "romeCode": random.choice(romes), "romeLibelle": "Libellé",
             "appellationlibelle": "Appellation", "entreprise": {"nom": f"ENTREPRISE {i % 5000}", "description": "Une entreprise."},
             "typeContrat": "CDD", "natureContrat": "Contrat apprentissage" if i % 4 else "Cont. professionnalisation",
             "nombrePostes": 1, "accessibleTH": False,
             "origineOffre": {"origine": "1", "urlOrigine": f"https://candidat.francetravail.fr/offres/recherche/detail/{i:07d}X"}}
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
print(len(communes), len(romes))
