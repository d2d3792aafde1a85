package plan

import (
	"fmt"
	"testing"

	"github.com/dokku-prodserver/dokku-prodserver/src/facts"
)

// TestDetectBeatOptions: the options adopted from the project's own beat
// command reach the beat process typed (max-interval an int), in name
// order; one that is not a number is dropped, never rendered (issue 12).
func TestDetectBeatOptions(t *testing.T) {
	tests := []struct {
		opts map[string]string
		want string
	}{
		{nil, "[]"},
		{map[string]string{"schedule": "/data/beat", "loglevel": "debug", "max-interval": "30"}, "[{loglevel debug} {max-interval 30} {schedule /data/beat}]"},
		{map[string]string{"max-interval": "soon"}, "[]"},
	}
	for _, tt := range tests {
		f := &facts.Facts{Django: true, WSGI: "p.wsgi:application", CeleryApp: "p", Queues: []string{facts.QueueCelery}, CeleryBeat: true, BeatOptions: tt.opts}
		var got string
		for _, pc := range Detect(f) {
			if pc.Name == "beat" {
				got = fmt.Sprint(pc.Options)
				if len(pc.Options) == 0 {
					got = "[]"
				}
				if n, ok := findOpt(pc, "max-interval"); ok {
					if _, isInt := n.(int64); !isInt {
						t.Errorf("max-interval is %T, want int64", n)
					}
				}
			}
		}
		if got != tt.want {
			t.Errorf("Detect beat options for %v = %s, want %s", tt.opts, got, tt.want)
		}
	}
}

func findOpt(pc ProcConfig, key string) (any, bool) {
	for _, o := range pc.Options {
		if o.Key == key {
			return o.Value, true
		}
	}
	return nil, false
}
