package dokku

import (
	"os"
	"path/filepath"
	"testing"
)

func TestConfigGet(t *testing.T) {
	root := t.TempDir()
	t.Setenv("DOKKU_ROOT", root)
	env := "export DJANGO_SETTINGS_MODULE='config.settings.production'\n" +
		"export SECRET='it'\\''s'\n" +
		"PLAIN=value\n" +
		"DQ=\"quoted value\"\n" +
		"export EMPTY=''\n"
	if err := os.MkdirAll(filepath.Join(root, "shop"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "shop", "ENV"), []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		app, key, want string
		found          bool
	}{
		{"shop", "DJANGO_SETTINGS_MODULE", "config.settings.production", true},
		{"shop", "SECRET", "it's", true},
		{"shop", "PLAIN", "value", true},
		{"shop", "DQ", "quoted value", true},
		{"shop", "EMPTY", "", true},
		{"shop", "MISSING", "", false},
		{"ghost", "PLAIN", "", false},
		{"../shop", "PLAIN", "", false},
	}
	for _, c := range cases {
		got, found := ConfigGet(c.app, c.key)
		if got != c.want || found != c.found {
			t.Errorf("ConfigGet(%q, %q) = %q, %v; want %q, %v", c.app, c.key, got, found, c.want, c.found)
		}
	}
}
