package samplegen

import "math/rand/v2"

// Zipf exponents: how skewed the popularity of each vocabulary is.
const (
	zipfCountry = 1.3
	zipfCity    = 1.2
	zipfSkill   = 1.3
	zipfCompany = 1.05
	zipfProgram = 1.2
)

// drawer draws values from one random stream: the learner stream, which
// makes a learner's row reproducible from its number, or the file stream,
// which decides everything else.
type drawer struct {
	r       *rand.Rand
	v       *vocab
	country *rand.Zipf
	skill   *rand.Zipf
	company *rand.Zipf
	program *rand.Zipf
	city    []*rand.Zipf // per country, over its cities; nil for one city
	culture []int        // cumulative culture weights
}

func newDrawer(r *rand.Rand, v *vocab) *drawer {
	d := &drawer{
		r:       r,
		v:       v,
		country: rand.NewZipf(r, zipfCountry, 2, uint64(len(v.countries)-1)),
		skill:   rand.NewZipf(r, zipfSkill, 2, uint64(len(v.skills)-1)),
		company: rand.NewZipf(r, zipfCompany, 5, uint64(len(v.companies)-1)),
		program: rand.NewZipf(r, zipfProgram, 2, uint64(len(v.programs)-1)),
		city:    make([]*rand.Zipf, len(v.cityByCountry)),
	}
	for i, cities := range v.cityByCountry {
		if len(cities) > 1 {
			d.city[i] = rand.NewZipf(r, zipfCity, 1, uint64(len(cities)-1))
		}
	}
	total := 0
	for _, c := range v.cultures {
		total += c.weight
		d.culture = append(d.culture, total)
	}
	return d
}

// chance reports true with probability p.
func (d *drawer) chance(p float64) bool { return d.r.Float64() < p }

// intIn returns a uniform integer in [lo, hi].
func (d *drawer) intIn(lo, hi int) int { return lo + d.r.IntN(hi-lo+1) }

func (d *drawer) pick(list []string) string { return list[d.r.IntN(len(list))] }

func (d *drawer) countryIdx() int { return int(d.country.Uint64()) }

func (d *drawer) cityIdx(country int) int {
	cities := d.v.cityByCountry[country]
	if d.city[country] == nil {
		return cities[0]
	}
	return cities[d.city[country].Uint64()]
}

func (d *drawer) skillIdx() int   { return int(d.skill.Uint64()) }
func (d *drawer) companyIdx() int { return int(d.company.Uint64()) }
func (d *drawer) programIdx() int { return int(d.program.Uint64()) }

func (d *drawer) cultureOf() *culture {
	n := d.r.IntN(d.culture[len(d.culture)-1])
	for i, c := range d.culture {
		if n < c {
			return &d.v.cultures[i]
		}
	}
	return &d.v.cultures[len(d.v.cultures)-1]
}

// day returns a uniform day number between two dates (inclusive).
func (d *drawer) day(fromYear, toYear int) int {
	return d.intIn(daysFrom(fromYear, 1, 1), daysFrom(toYear, 12, 31))
}
