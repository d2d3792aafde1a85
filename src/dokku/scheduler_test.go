package dokku

import (
	"os"
	"path/filepath"
	"testing"
)

func TestScheduler(t *testing.T) {
	cases := []struct {
		name           string
		app, global    string // "" = no file
		want, wantFrom string
	}{
		{"nothing selected", "", "", "docker-local", "default"},
		{"app property", "k3s", "", "k3s", "app"},
		{"global property", "", "k3s", "k3s", "global"},
		{"app wins over global", "docker-local", "k3s", "docker-local", "app"},
		{"empty app file falls back to global", "\n", "k3s", "k3s", "global"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lib := t.TempDir()
			t.Setenv("DOKKU_LIB_ROOT", lib)
			for scope, v := range map[string]string{"myapp": c.app, GlobalApp: c.global} {
				if v == "" {
					continue
				}
				d := filepath.Join(lib, "config", "scheduler", scope)
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(d, "selected"), []byte(v), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, from, err := Scheduler("myapp")
			if err != nil || got != c.want || from != c.wantFrom {
				t.Fatalf("Scheduler = %q, %q, %v; want %q, %q", got, from, err, c.want, c.wantFrom)
			}
		})
	}
}
