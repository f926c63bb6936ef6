package samplegen

import "strconv"

// jsonBuf appends compact JSON text to b, placing commas itself. With loose
// set it adds a space after every ':' and ',', as some exporters do.
type jsonBuf struct {
	b        []byte
	loose    bool
	depth    int
	afterKey bool
	more     [8]bool // per depth: the container already has an element
}

func (j *jsonBuf) reset(b []byte, loose bool) {
	*j = jsonBuf{b: b, loose: loose}
}

// elem prepares for a value: a comma between elements, none after a key.
func (j *jsonBuf) elem() {
	if j.afterKey {
		j.afterKey = false
		return
	}
	if j.depth > 0 && j.more[j.depth] {
		j.b = append(j.b, ',')
		if j.loose {
			j.b = append(j.b, ' ')
		}
	}
	j.more[j.depth] = true
}

func (j *jsonBuf) open(c byte) {
	j.elem()
	j.b = append(j.b, c)
	j.depth++
	j.more[j.depth] = false
}

func (j *jsonBuf) close(c byte) {
	j.b = append(j.b, c)
	j.depth--
}

func (j *jsonBuf) key(k string) {
	j.elem()
	j.b = appendJSONString(j.b, k)
	j.b = append(j.b, ':')
	if j.loose {
		j.b = append(j.b, ' ')
	}
	j.afterKey = true
}

func (j *jsonBuf) str(s string) {
	j.elem()
	j.b = appendJSONString(j.b, s)
}

func (j *jsonBuf) int(n int) {
	j.elem()
	j.b = strconv.AppendInt(j.b, int64(n), 10)
}

// float writes f with a fraction always, so 1.0 stays "1.0", a float.
func (j *jsonBuf) float(f float64) {
	j.elem()
	start := len(j.b)
	j.b = strconv.AppendFloat(j.b, f, 'f', -1, 64)
	for _, c := range j.b[start:] {
		if c == '.' {
			return
		}
	}
	j.b = append(j.b, ".0"...)
}

func (j *jsonBuf) bool(v bool) {
	j.elem()
	j.b = strconv.AppendBool(j.b, v)
}

func (j *jsonBuf) null() {
	j.elem()
	j.b = append(j.b, "null"...)
}

// raw writes s as a value verbatim; bad rows use it for broken values.
func (j *jsonBuf) raw(s string) {
	j.elem()
	j.b = append(j.b, s...)
}

// date writes day d (days since 1970-01-01) as a "YYYY-MM-DD" string, or
// null for a negative d.
func (j *jsonBuf) date(d int) {
	if d < 0 {
		j.null()
		return
	}
	j.elem()
	j.b = append(j.b, '"')
	j.b = appendDate(j.b, d)
	j.b = append(j.b, '"')
}

// appendJSONString appends s as a JSON string, escaping '"', '\' and
// control characters; other UTF-8 passes through.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendDate appends day d (days since 1970-01-01) as YYYY-MM-DD, using
// Howard Hinnant's civil_from_days.
func appendDate(b []byte, d int) []byte {
	z := d + 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	month := mp + 3
	if month > 12 {
		month -= 12
	}
	year := yoe + era*400
	if month <= 2 {
		year++
	}
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, month, 2)
	b = append(b, '-')
	return appendDigits(b, day, 2)
}

// daysFrom returns the day number of year-month-day (Hinnant's
// days_from_civil); the generator uses it for its date ranges.
func daysFrom(year, month, day int) int {
	if month <= 2 {
		year--
	}
	era := year / 400
	yoe := year - era*400
	m := month + 9
	if month > 2 {
		m = month - 3
	}
	doy := (153*m+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// appendDigits appends n (non-negative) zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for n > 0 || i > len(tmp)-width {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, tmp[i:]...)
}
