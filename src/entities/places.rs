//! Place resolution: a place mention to a GeoNames hierarchy path
//! `[Country, Region, City]`, only as deep as was mentioned.
//!
//! Chooses among same-named places with the other places of the article
//! (a city in a mentioned country or region wins) and population. Owns no
//! tagging: it receives mentions the pipeline already judged to be places.

use std::collections::{BTreeMap, HashSet};

use super::PlaceEntity;
use super::gazetteer::{Gazetteer, Ref};

/// A place mention: its gazetteer candidates (empty when unknown).
pub struct Mention {
    pub candidates: Vec<Ref>,
}

const COUNTRY_BONUS: f64 = 3.0;
const REGION_BONUS: f64 = 5.0;
/// A region's score before bonuses: a region is chosen over a city of
/// about this population.
const REGION_PRIOR: f64 = 13.0;

fn choose(
    gaz: &Gazetteer,
    cands: &[Ref],
    countries: &HashSet<u16>,
    regions: &HashSet<u32>,
) -> Option<Ref> {
    if let Some(c) = cands.iter().find(|r| matches!(r, Ref::Country(_))) {
        return Some(*c);
    }
    let region_cands: HashSet<u32> = cands
        .iter()
        .filter_map(|r| match r {
            Ref::Region(x) => Some(*x),
            _ => None,
        })
        .collect();
    let mut best: Option<(f64, Ref)> = None;
    for &r in cands {
        let score = match r {
            Ref::City(ix) => {
                let c = &gaz.cities[ix as usize];
                let mut s = (c.population as f64 + 1.0).ln();
                if countries.contains(&c.country) {
                    s += COUNTRY_BONUS;
                }
                if let Some(reg) = c.region {
                    if regions.contains(&reg) {
                        s += REGION_BONUS;
                    }
                    // "Basra" names the city and its province: the city.
                    if region_cands.contains(&reg) {
                        s += 1.0;
                    }
                }
                s
            }
            Ref::Region(ix) => {
                let reg = &gaz.regions[ix as usize];
                // Between same-named regions, the bigger country's.
                let country_pop = gaz.countries[reg.country as usize].population as f64;
                let mut s = REGION_PRIOR + (country_pop + 1.0).ln() / 100.0;
                if countries.contains(&reg.country) {
                    s += COUNTRY_BONUS;
                }
                s
            }
            _ => continue,
        };
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, r));
        }
    }
    best.map(|(_, r)| r)
}

fn path(gaz: &Gazetteer, r: Ref) -> Option<Vec<String>> {
    match r {
        Ref::Country(c) => Some(vec![gaz.countries[c as usize].name.clone()]),
        Ref::Region(ix) => {
            let reg = &gaz.regions[ix as usize];
            Some(vec![
                gaz.countries[reg.country as usize].name.clone(),
                reg.name.clone(),
            ])
        }
        Ref::City(ix) => {
            let c = &gaz.cities[ix as usize];
            let region = c
                .region
                .map_or_else(|| c.name.clone(), |r| gaz.regions[r as usize].name.clone());
            Some(vec![
                gaz.countries[c.country as usize].name.clone(),
                region,
                c.name.clone(),
            ])
        }
        _ => None,
    }
}

/// Resolves the article's place mentions and demonym mentions (country
/// indices) into place entities with mention counts, most mentioned first.
pub fn resolve(gaz: &Gazetteer, mentions: &[Mention], demonyms: &[u16]) -> Vec<PlaceEntity> {
    let mut countries: HashSet<u16> = demonyms.iter().copied().collect();
    let mut regions = HashSet::new();
    for m in mentions {
        for r in &m.candidates {
            if let Ref::Country(c) = r {
                countries.insert(*c);
            }
        }
    }
    // First pass with countries only; regions chosen there then count as context.
    let empty = HashSet::new();
    for m in mentions {
        if let Some(Ref::Region(ix)) = choose(gaz, &m.candidates, &countries, &empty) {
            regions.insert(ix);
        }
    }
    let mut counts: BTreeMap<Vec<String>, u32> = BTreeMap::new();
    for m in mentions {
        if let Some(p) = choose(gaz, &m.candidates, &countries, &regions).and_then(|r| path(gaz, r))
        {
            *counts.entry(p).or_default() += 1;
        }
    }
    for &c in demonyms {
        if let Some(p) = path(gaz, Ref::Country(c)) {
            *counts.entry(p).or_default() += 1;
        }
    }
    let mut out: Vec<PlaceEntity> = counts
        .into_iter()
        .map(|(path, mentions)| PlaceEntity { path, mentions })
        .collect();
    out.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then_with(|| a.path.cmp(&b.path))
    });
    out
}
