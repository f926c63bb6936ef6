package samplegen

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Sizes of the generated vocabularies.
const (
	numCities    = 5000
	numSkills    = 2000
	numPrograms  = 50
	numCompanies = 20000
)

// vocabSeed fixes the vocabulary: every file, whatever its Seed, draws from
// the same countries, cities, skills, programs and companies, with the same
// ids and names, as successive exports of one system would.
const vocabSeed = 0x6c6561726e657273

// entity is a vocabulary entry: an id (or country code) and a name.
type entity struct {
	id   string
	name string
}

// culture is a family of personal names.
type culture struct {
	given, family []string
	familyFirst   bool // write the family name first
	noSpace       bool // and join the two without a space
	weight        int  // share of learners, in percent
}

// vocab is the read-only universe one Generate call draws from.
type vocab struct {
	countries     []entity
	cities        []entity
	cityByCountry [][]int // per country index, its city indexes
	skills        []entity
	programs      []entity
	companies     []entity
	cultures      []culture
	titles        []string
	learn         []string
	work          []string
	tracks        []string
	tags          []string
	sectors       []string
	genders       []string
	levels        []string
	bad           badValues
}

func newVocab() *vocab {
	r := rand.New(rand.NewPCG(vocabSeed, vocabSeed>>7))
	v := &vocab{
		countries: parseCountries(countryTable),
		cultures:  parseCultures(nameCultures),
		titles:    split(jobTitles),
		learn:     split(learnStatus),
		work:      split(workStatus),
		tracks:    split(tracks),
		tags:      split(tagWords),
		sectors:   split(sectors),
		genders:   split(genders),
		levels:    split(skillLevels),
		bad:       newBadValues(),
	}
	v.cities, v.cityByCountry = makeCities(r, len(v.countries))
	v.skills = makeSkills(r)
	v.programs = makePrograms()
	v.companies = makeCompanies(r)
	return v
}

func split(s string) []string { return strings.Split(s, "|") }

func parseCountries(table string) []entity {
	lines := strings.Split(table, "\n")
	out := make([]entity, 0, len(lines))
	for _, l := range lines {
		code, name, _ := strings.Cut(l, " ")
		out = append(out, entity{id: code, name: name})
	}
	return out
}

func parseCultures(table string) []culture {
	var out []culture
	for _, c := range strings.Split(table, ";") {
		given, family, _ := strings.Cut(c, "/")
		g := split(given)
		order := strings.TrimRight(g[0], "0123456789")
		weight, _ := strconv.Atoi(g[0][len(order):])
		out = append(out, culture{
			given:       g[1:],
			family:      split(family),
			familyFirst: order != "G",
			noSpace:     order == "FN",
			weight:      weight,
		})
	}
	return out
}

// makeCities gives every country one city, then spreads the rest over
// countries by the same skewed popularity learners have, so popular
// countries have many cities. City ids look like GeoNames ids.
func makeCities(r *rand.Rand, nCountries int) ([]entity, [][]int) {
	stems, ends := split(cityStems), split(cityEndings)
	quals, sufs := split(cityQualifiers), split(citySuffixes)
	z := rand.NewZipf(r, 1.2, 2, uint64(nCountries-1))
	cities := make([]entity, numCities)
	byCountry := make([][]int, nCountries)
	for i := range cities {
		country := i
		if i >= nCountries {
			country = int(z.Uint64())
		}
		name := stems[r.IntN(len(stems))] + ends[r.IntN(len(ends))]
		switch n := r.IntN(20); {
		case n == 0:
			name = quals[r.IntN(len(quals))] + " " + name
		case n == 1:
			name += "-" + sufs[r.IntN(len(sufs))]
		case n == 2:
			name += ", " + stems[r.IntN(len(stems))] + "ia" // "Town, Province"
		}
		// 1931 is prime to numCities, so i*1931 mod numCities is a permutation.
		id := 2_000_000 + (i*1931%numCities)*100 + i%100
		cities[i] = entity{id: strconv.Itoa(id), name: name}
		byCountry[country] = append(byCountry[country], i)
	}
	return cities, byCountry
}

// makeSkills combines bases with a prefix or a suffix, keeping the first
// numSkills distinct names in a shuffled order.
func makeSkills(r *rand.Rand) []entity {
	bases, mods, sufs := split(skillBases), split(skillModifiers), split(skillSuffixes)
	names := make([]string, 0, len(bases)*len(mods)*len(sufs))
	for _, b := range bases {
		for _, m := range mods[1:] {
			names = append(names, m+b)
		}
		for _, s := range sufs[1:] {
			names = append(names, b+s)
		}
	}
	// Plain base names first: they are the most popular skills.
	r.Shuffle(len(names)-len(bases), func(i, j int) {
		names[len(bases)+i], names[len(bases)+j] = names[len(bases)+j], names[len(bases)+i]
	})
	out := make([]entity, 0, numSkills)
	seen := make(map[string]bool, numSkills)
	for _, b := range bases {
		seen[b] = true
		out = append(out, entity{name: b})
	}
	for _, n := range names {
		if len(out) == numSkills {
			break
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, entity{name: n})
		}
	}
	for i := range out {
		out[i].id = "sk-" + pad(i, 4)
	}
	return out
}

func makePrograms() []entity {
	names, levels := split(programNames), split(programLevels)
	out := make([]entity, numPrograms)
	for i := range out {
		out[i] = entity{
			id:   "prog-" + pad(i+1, 3),
			name: names[i%len(names)] + levels[i/len(names)%len(levels)],
		}
	}
	return out
}

// makeCompanies pairs every first word with every second word, shuffles
// the pairs and keeps numCompanies of them, each with a legal form.
func makeCompanies(r *rand.Rand) []entity {
	first, second, forms := split(companyFirst), split(companySecond), split(companyForms)
	n := len(first) * len(second)
	perm := r.Perm(n)[:numCompanies]
	out := make([]entity, numCompanies)
	for i, p := range perm {
		name := first[p/len(second)] + " " + second[p%len(second)]
		if r.IntN(2) == 0 {
			name += forms[r.IntN(len(forms))]
		}
		out[i] = entity{id: "co-" + pad(i+1, 5), name: name}
	}
	return out
}

// pad formats n in decimal with leading zeros to width digits.
func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) >= width {
		return s
	}
	return strings.Repeat("0", width-len(s)) + s
}
