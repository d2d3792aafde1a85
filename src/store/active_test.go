package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestAppJSONMentionsBounded: an app.json that is a device, or larger than
// the deploy reads, is not read (a symlink to /dev/zero was read until the
// trigger ran out of memory, in every deploy of any app); Active says yes
// and leaves the refusal to the full run. A small one is read.
func TestAppJSONMentionsBounded(t *testing.T) {
	t.Setenv("DOKKU_LIB_ROOT", t.TempDir())
	t.Setenv("DOKKU_ROOT", t.TempDir())
	t.Setenv("DOKKU_PID", "")
	dir := t.TempDir()
	app := filepath.Join(dir, "app.json")
	if err := os.Symlink("/dev/zero", app); err != nil {
		t.Fatal(err)
	}
	done := make(chan bool, 1)
	go func() { done <- Active("myapp", dir) }()
	select {
	case active := <-done:
		if !active {
			t.Errorf("app.json -> /dev/zero: Active = false, want true (the full run warns)")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("app.json -> /dev/zero: Active reads without end")
	}
	os.Remove(app)

	for content, want := range map[string]bool{
		`{"prodserver": {}}`:        true,
		`{"scripts": {}}`:           false,
		"":                          false,
		string(make([]byte, 5<<20)): true, // larger than the deploy reads
	} {
		if err := os.WriteFile(app, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := Active("myapp", dir); got != want {
			t.Errorf("app.json %.20q (%d bytes): Active = %v, want %v", content, len(content), got, want)
		}
	}
}
