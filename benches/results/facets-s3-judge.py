"""Prints a judged top-60 table (before/after) from two `entities -f tsv` lists.

Usage: facets-s3-judge.py TITLE TYPE BEFORE.tsv AFTER.tsv; judgements by hand below."""
import sys, csv
J = {
 # value: judgement (anything not listed was read and judged right)
 "Tory": "not an entity — party adjective",
 "Chelsea|person": "wrong type — football club",
 "Manchester United|person": "wrong type — football club",
 "Harry Potter": "not an entity — fictional character / film series",
 "Franz Ferdinand": "wrong type — band",
 "Vera Drake": "not an entity — film title",
 "Gartner": "wrong type — company",
 "Bill": "not an entity — a parliamentary bill",
 "Home Office Minister Lord Falconer": "fragment — Lord Falconer with his job",
 "Six Nations": "not an entity — tournament",
 "Million Dollar Baby": "not an entity — film title",
 "Open": "not an entity — event fragment",
 "UK|org": "wrong type — country",
 "Consumer Electronics Show": "not an entity — event",
 "Wimbledon|org": "not an entity — tournament",
 "General Election": "not an entity — event",
 "Tories": "duplicate — Conservative Party",
 "Brown": "fragment — Alex. Brown and Sons (broker) in most stories",
 "Johnson": "duplicate — surname (Manuel Johnson) mixed with Johnson companies",
 "Bonn|person": "wrong type — place",
 "Wagner": "fragment — Wagner and Brown (company)",
 "Brokers": "not an entity — common noun",
 "Street": "fragment — Wall Street / \"the Street\"",
 "Barley": "not an entity — commodity",
 "Tanjug|person": "wrong type — news agency",
 "Bell|person": "wrong type — Bell operating companies",
 "Noranda|person": "wrong type — company",
 "Societe Generale|person": "wrong type — bank",
 "West": "not an entity — direction / bloc",
 "Export Enhancement Program": "not an entity — a subsidy programme",
 "U.S. Officials": "not an entity — common noun phrase",
 'Cheung Kong|person': 'wrong type — company (Cheung Kong Holdings)',
 'Morgan Guaranty|person': 'wrong type — bank',
 'Prs Paris|person': 'not an entity — market-report code in capitals ("PRS PARIS COCOA")',
 'Noranda': 'wrong type — company',
}
def judge(name, typ):
    return J.get(f"{name}|{typ}") or J.get(name) or "right"
def load(p):
    rows = list(csv.reader(open(p), delimiter='\t'))[1:]
    return [(r[1], int(r[2])) for r in rows]
title, typ, before, after = sys.argv[1:5]
b = load(before); a = load(after)
bc = dict(b); ac = dict(a)
wb = sum(judge(n, typ) != "right" for n, _ in b)
wa = sum(judge(n, typ) != "right" for n, _ in a)
print(f"### {title} — {wb} wrong of 60 before, {wa} after\n")
print("| # | value (after) | articles | before | judgement |")
print("|---|---|---|---|---|")
for i, (n, c) in enumerate(a, 1):
    print(f"| {i} | {n} | {c} | {bc.get(n, '–')} | {judge(n, typ)} |")
gone = [(n, c) for n, c in b if n not in ac]
if gone:
    print("\nLeft the top 60: " + "; ".join(f"{n} ({c}, {judge(n, typ)})" for n, c in gone) + ".")
print()
