package deploy

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
)

// TestEncodeRecordRefusesInf: app.json's 1e400 is +Inf, which JSON cannot
// hold. encodeRecord, which the deploy runs before it writes the Procfile,
// must report it (so the Procfile is left untouched) with an operator's
// message, and encode an ordinary record.
func TestEncodeRecordRefusesInf(t *testing.T) {
	for _, c := range []struct {
		value any
		ok    bool
	}{{math.Inf(1), false}, {math.Inf(-1), false}, {2.5, true}, {int64(3), true}} {
		rec := &Record{AppJSON: &plan.Config{Processes: []plan.ProcConfig{{Name: "web", Options: []backend.Option{{Key: "timeout", Value: c.value}}}}}}
		b, err := encodeRecord(rec)
		if c.ok != (err == nil) {
			t.Errorf("encodeRecord(%v) = %v; want ok=%v", c.value, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "cannot be recorded") {
			t.Errorf("message %q does not say what failed", err)
		}
		if c.ok && !strings.Contains(string(b), `"version"`) {
			t.Errorf("record without a version: %s", b)
		}
	}
}

// TestRecordKeepsProcfileBytes: the Procfile survives deploy.json byte for
// byte, UTF-8 or not (a JSON string would turn \xff into U+FFFD), and a
// UTF-8 one stays a readable string in the file.
func TestRecordKeepsProcfileBytes(t *testing.T) {
	for _, c := range []struct {
		name, procfile string
		asString       bool
	}{
		{"utf-8", "web: gunicorn app.wsgi\nclock: ./clock é\n", true},
		{"invalid utf-8", "clock: ./clock \xff\xfe \u202eexe\n", false},
		{"lone continuation byte", "x: \x80\n", false},
		{"empty", "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &Record{}
			rec.SetProcfile([]byte(c.procfile))
			b, err := encodeRecord(rec)
			if err != nil {
				t.Fatal(err)
			}
			var back Record
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if got := back.ProcfileBytes(); !bytes.Equal(got, []byte(c.procfile)) {
				t.Errorf("Procfile after deploy.json = %q; want %q", got, c.procfile)
			}
			if (back.Procfile != nil) != c.asString {
				t.Errorf("kept as a string = %v; want %v:\n%s", back.Procfile != nil, c.asString, b)
			}
		})
	}
}
