package report

// Chart is how a result is drawn. Every chart reads the result's columns
// by position, so a query declares its chart by the shape of what it
// returns.
type Chart string

const (
	// ChartBar: horizontal bars; the first column labels a bar, the last
	// is its length.
	ChartBar Chart = "bar"
	// ChartBarPart: horizontal bars of the second-to-last column, with the
	// part given by the last column drawn over them and its share written.
	ChartBarPart Chart = "bar-part"
	// ChartColumns: vertical bars in row order; the first column is the x
	// value, the last the height.
	ChartColumns Chart = "columns"
	// ChartShares: one 100% bar per value of the first column, split by
	// the second column's values in proportion to the last column.
	ChartShares Chart = "shares"
	// ChartStacked: vertical bars per value of the first column, stacked
	// by the second column's values.
	ChartStacked Chart = "stacked"
	// ChartDegrees: small multiples of log-scale histograms (Result.Bins).
	ChartDegrees Chart = "degrees"
	// ChartComponents: the component summary (components.go).
	ChartComponents Chart = "components"
	// ChartTable: the rows as a table only.
	ChartTable Chart = "table"
)

// Query is one named query of a report section. Needs names the labels and
// relationship types it reads: when Neo4j holds none of one of them, the
// query is left out with a note.
type Query struct {
	Section string
	Name    string
	Title   string
	Cypher  string
	Chart   Chart
	Needs   []string
	Note    string
	// Components, when set, makes the query a component labelling
	// (components.go) instead of one Cypher statement.
	Components *Components
}

// Components declares the graph whose connected components are counted:
// Center nodes (one per row: learners) joined through Via relationship
// types to shared nodes (skills, programs).
type Components struct {
	Center string
	Via    []string
}

// SectionTitles names the sections of the learner queries, in page order.
var SectionTitles = []struct{ ID, Title string }{
	{"learners", "The learners"},
	{"programs", "Programs"},
	{"skills", "Skills"},
	{"employment", "Employment"},
	{"shape", "Graph shape"},
}

// LearnerQueries are the learner contract's named queries, section by
// section: a mapping file can declare the same (name, Cypher, chart kind,
// needs) for its own model.
func LearnerQueries() []Query {
	return []Query{
		{Section: "learners", Name: "residence", Title: "Learners by country of residence (top 20)", Chart: ChartBar,
			Needs: []string{"Country", "RESIDES_IN"},
			Cypher: `MATCH (c:Country)
WITH c, COUNT { (c)<-[:RESIDES_IN]-() } AS learners
WHERE learners > 0
RETURN coalesce(c.name, c.code) AS country, c.code AS code, learners
ORDER BY learners DESC, code LIMIT 20`},
		{Section: "learners", Name: "flows", Title: "Where learners come from and live: origin → residence (top 20 pairs of different countries)", Chart: ChartBar,
			Needs: []string{"Learner", "Country", "RESIDES_IN", "ORIGINATES_FROM"},
			Cypher: `MATCH (o:Country)<-[:ORIGINATES_FROM]-(:Learner)-[:RESIDES_IN]->(r:Country)
WHERE o <> r
WITH o, r, count(*) AS learners
ORDER BY learners DESC, o.code, r.code LIMIT 20
RETURN o.code + ' → ' + r.code AS flow, o.code AS origin, r.code AS residence, learners`},
		{Section: "learners", Name: "birth", Title: "Learners by birth decade and gender", Chart: ChartStacked,
			Needs: []string{"Learner"}, Note: "Learners without a birth year are not counted.",
			Cypher: `MATCH (l:Learner) WHERE l.birthYear IS NOT NULL
RETURN toString((l.birthYear / 10) * 10) + 's' AS decade, coalesce(l.gender, '(none)') AS gender, count(*) AS learners
ORDER BY decade, gender`},
		{Section: "learners", Name: "cities", Title: "Cities per country (top 20)", Chart: ChartBar,
			Needs: []string{"Country", "IN_COUNTRY"},
			Cypher: `MATCH (c:Country)
WITH c, COUNT { (c)<-[:IN_COUNTRY]-() } AS cities
WHERE cities > 0
RETURN coalesce(c.name, c.code) AS country, c.code AS code, cities
ORDER BY cities DESC, code LIMIT 20`},

		{Section: "programs", Name: "enrolments", Title: "Enrolments per program (top 25)", Chart: ChartBar,
			Needs: []string{"Program", "ENROLLED_IN"},
			Cypher: `MATCH (p:Program)
WITH p, COUNT { (p)<-[:ENROLLED_IN]-() } AS enrolments
WHERE enrolments > 0
RETURN coalesce(p.name, p.id) AS program, p.id AS id, enrolments
ORDER BY enrolments DESC, id LIMIT 25`},
		{Section: "programs", Name: "cohorts", Title: "Enrolments by month (cohorts)", Chart: ChartColumns,
			Needs: []string{"ENROLLED_IN"}, Note: "Enrolments without a date are not counted.",
			Cypher: `MATCH ()-[e:ENROLLED_IN]->() WHERE e.enrolledOn IS NOT NULL
WITH e.enrolledOn.year AS year, e.enrolledOn.month AS month, count(*) AS enrolments
RETURN toString(year) + '-' + right('0' + toString(month), 2) AS month, enrolments
ORDER BY month`},
		{Section: "programs", Name: "status", Title: "Learning status per program (share of enrolled learners with a learning state; top 25 programs)", Chart: ChartShares,
			Needs: []string{"Program", "ENROLLED_IN", "LearningState", "HAS_LEARNING_STATE"},
			Cypher: `MATCH (p:Program)
WITH p, COUNT { (p)<-[:ENROLLED_IN]-() } AS enrolments
ORDER BY enrolments DESC, p.id LIMIT 25
MATCH (p)<-[:ENROLLED_IN]-(:Learner)-[:HAS_LEARNING_STATE]->(s:LearningState)
RETURN coalesce(p.name, p.id) AS program, coalesce(s.status, '(none)') AS status, count(*) AS learners
ORDER BY program, status`},
		{Section: "programs", Name: "learning-details", Title: "Learning-state details: the fields present (top 20)", Chart: ChartBar,
			Needs: []string{"LearningState"},
			Cypher: `MATCH (s:LearningState)
UNWIND [k IN keys(s) WHERE k STARTS WITH 'details_'] AS field
RETURN field, count(*) AS states
ORDER BY states DESC, field LIMIT 20`},

		{Section: "skills", Name: "top-skills", Title: "Most held skills (top 20)", Chart: ChartBar,
			Needs: []string{"Skill", "HAS_SKILL"},
			Cypher: `MATCH (s:Skill)
WITH s, COUNT { (s)<-[:HAS_SKILL]-() } AS learners
WHERE learners > 0
RETURN coalesce(s.name, s.id) AS skill, s.id AS id, learners
ORDER BY learners DESC, id LIMIT 20`},
		{Section: "skills", Name: "levels", Title: "Skill levels (top 20)", Chart: ChartBar,
			Needs: []string{"HAS_SKILL"},
			Cypher: `MATCH ()-[h:HAS_SKILL]->()
RETURN coalesce(toString(h.level), '(none)') AS level, count(*) AS skills
ORDER BY skills DESC, level LIMIT 20`},
		{Section: "skills", Name: "skills-per-learner", Title: "Skills per learner", Chart: ChartColumns,
			Needs: []string{"Learner"},
			Cypher: `MATCH (l:Learner)
WITH COUNT { (l)-[:HAS_SKILL]->() } AS skills
RETURN skills, count(*) AS learners
ORDER BY skills`},
		{Section: "skills", Name: "pairs", Title: "Skills most often held together (top 20 pairs)", Chart: ChartBar,
			Needs: []string{"Learner", "Skill", "HAS_SKILL"},
			Note:  "Pairs among the 100 most held skills, so the count stays bounded at any size.",
			Cypher: `MATCH (s:Skill)
WITH s, COUNT { (s)<-[:HAS_SKILL]-() } AS held
ORDER BY held DESC, s.id LIMIT 100
WITH collect(s) AS top
UNWIND range(0, size(top) - 2) AS i
WITH top[i] AS a, top[i + 1..] AS rest
CALL (a, rest) {
  MATCH (a)<-[:HAS_SKILL]-(:Learner)-[:HAS_SKILL]->(b:Skill)
  WHERE b IN rest
  RETURN b, count(*) AS learners
}
WITH CASE WHEN a.id < b.id THEN [a, b] ELSE [b, a] END AS pair, learners
WITH pair[0] AS a, pair[1] AS b, learners
ORDER BY learners DESC, a.id, b.id LIMIT 20
RETURN coalesce(a.name, a.id) + ' + ' + coalesce(b.name, b.id) AS pair, a.id AS first, b.id AS second, learners`},

		{Section: "employment", Name: "companies", Title: "Companies with the most stints (top 20)", Chart: ChartBar,
			Needs: []string{"Company", "WORKED_AT"},
			Cypher: `MATCH (c:Company)
WITH c, COUNT { (c)<-[:WORKED_AT]-() } AS stints
WHERE stints > 0
RETURN coalesce(c.name, c.id) AS company, c.id AS id, stints
ORDER BY stints DESC, id LIMIT 20`},
		{Section: "employment", Name: "titles", Title: "Job titles (top 20)", Chart: ChartBar,
			Needs: []string{"WORKED_AT"},
			Cypher: `MATCH ()-[w:WORKED_AT]->() WHERE w.title IS NOT NULL
RETURN w.title AS title, count(*) AS stints
ORDER BY stints DESC, title LIMIT 20`},
		{Section: "employment", Name: "professional-status", Title: "Professional status", Chart: ChartBar,
			Needs: []string{"ProfessionalState"},
			Cypher: `MATCH (s:ProfessionalState)
RETURN coalesce(s.status, '(none)') AS status, count(*) AS learners
ORDER BY learners DESC, status`},
		{Section: "employment", Name: "employed-after", Title: "Learners employed after enrolling, per program (a job starting after the enrolment; top 25 programs)", Chart: ChartBarPart,
			Needs: []string{"Program", "ENROLLED_IN", "WORKED_AT"},
			Note:  "Enrolments with a date; the dark part started a job (WORKED_AT.startDate) after ENROLLED_IN.enrolledOn.",
			Cypher: `MATCH (p:Program)<-[e:ENROLLED_IN]-(l:Learner)
WHERE e.enrolledOn IS NOT NULL
WITH p, count(*) AS enrolled,
     count(CASE WHEN EXISTS { MATCH (l)-[w:WORKED_AT]->() WHERE w.startDate > e.enrolledOn } THEN 1 END) AS employedAfter
RETURN coalesce(p.name, p.id) AS program, p.id AS id, enrolled, employedAfter
ORDER BY enrolled DESC, id LIMIT 25`},
		{Section: "employment", Name: "professional-details", Title: "Professional-state details: the fields present (top 20)", Chart: ChartBar,
			Needs: []string{"ProfessionalState"},
			Cypher: `MATCH (s:ProfessionalState)
UNWIND [k IN keys(s) WHERE k STARTS WITH 'details_'] AS field
RETURN field, count(*) AS states
ORDER BY states DESC, field LIMIT 20`},

		{Section: "shape", Name: "components", Title: "Connected components of the learner–skill–program graph", Chart: ChartComponents,
			Needs:      []string{"Learner"},
			Components: &Components{Center: "Learner", Via: []string{"HAS_SKILL", "ENROLLED_IN"}},
			Note:       "Learners joined through the skills they hold and the programs they enrolled in; a learner with neither is a component of its own."},
	}
}
