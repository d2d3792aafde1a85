package dokku

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigGet(t *testing.T) {
	root := t.TempDir()
	t.Setenv("DOKKU_ROOT", root)
	t.Setenv("DOKKU_LIB_ROOT", t.TempDir())
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

// TestConfigGetLayouts: Dokku 0.38.26+ keeps ENV under
// $DOKKU_LIB_ROOT/config/<app>/ENV, written by godotenv; older Dokku under
// $DOKKU_ROOT/<app>/ENV. The new file wins; the global config is the
// fallback in either layout.
func TestConfigGetLayouts(t *testing.T) {
	const key = "DJANGO_SETTINGS_MODULE"
	cases := []struct {
		name  string
		files map[string]string // "lib:rel" or "root:rel" -> content
		want  string
		found bool
	}{
		{"0.38.26+ app", map[string]string{"lib:config/shop/ENV": "DJANGO_SETTINGS_MODULE=\"shop.settings.prod\"\nOTHER=\"x\"\n"}, "shop.settings.prod", true},
		{"0.38.26+ escaped", map[string]string{"lib:config/shop/ENV": "DJANGO_SETTINGS_MODULE=\"a\\\"b\"\n"}, "a\"b", true},
		{"0.38.26+ global", map[string]string{"lib:config/--global/ENV": "DJANGO_SETTINGS_MODULE=\"g.settings\"\n"}, "g.settings", true},
		{"0.38.26+ app wins over global", map[string]string{"lib:config/shop/ENV": "DJANGO_SETTINGS_MODULE=\"app\"\n", "lib:config/--global/ENV": "DJANGO_SETTINGS_MODULE=\"g\"\n"}, "app", true},
		{"new file wins over legacy", map[string]string{"lib:config/shop/ENV": "OTHER=\"x\"\n", "root:shop/ENV": "export DJANGO_SETTINGS_MODULE='stale'\n"}, "", false},
		{"legacy app", map[string]string{"root:shop/ENV": "export DJANGO_SETTINGS_MODULE='old.settings'\n"}, "old.settings", true},
		{"legacy global", map[string]string{"root:ENV": "export DJANGO_SETTINGS_MODULE='oldg'\n"}, "oldg", true},
		{"none", nil, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root, lib := t.TempDir(), t.TempDir()
			t.Setenv("DOKKU_ROOT", root)
			t.Setenv("DOKKU_LIB_ROOT", lib)
			for where, body := range c.files {
				base, rel, _ := strings.Cut(where, ":")
				dir := root
				if base == "lib" {
					dir = lib
				}
				p := filepath.Join(dir, rel)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, found := ConfigGet("shop", key)
			if got != c.want || found != c.found {
				t.Errorf("got %q, %v; want %q, %v", got, found, c.want, c.found)
			}
		})
	}
}
