package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
)

// bigProcfile is a Procfile of n lines: a web line detection replaces,
// then n-1 user lines of both kinds adopt reads (a Celery worker it adopts,
// a script it keeps).
func bigProcfile(n int) []byte {
	var b strings.Builder
	b.WriteString("web: python manage.py runserver\n")
	for i := 1; i < n; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&b, "w%d: celery -A proj worker -Q q%d\n", i, i)
		} else {
			fmt.Fprintf(&b, "s%d: ./bin/script %d\n", i, i)
		}
	}
	return []byte(b.String())
}

// BenchmarkMakeProcfileLines plans a Django app with a 10,000- and a
// 100,000-line Procfile: the second must cost about ten times the first
// (issue 15: a linear lookup per name made 100k lines take 47 s). `make
// bench` reports the same ratio through the built trigger.
func BenchmarkMakeProcfileLines(b *testing.B) {
	for _, n := range benchSizes {
		pf := bigProcfile(n)
		in := Inputs{Procfile: pf, Facts: &facts.Facts{Django: true, ManagePy: "manage.py", WSGI: "proj.wsgi:application", CeleryApp: "proj"}}
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if p := Make(in); !p.Active || len(p.Processes) < n {
					b.Fatalf("plan: active %v, %d processes, warnings %v", p.Active, len(p.Processes), p.Warnings)
				}
			}
		})
	}
}

var benchSizes = []int{10000, 100000}
