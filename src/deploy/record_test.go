package deploy

import (
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
