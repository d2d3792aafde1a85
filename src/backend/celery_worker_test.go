package backend

import (
	"reflect"
	"strings"
	"testing"
)

// recycleFlags are the words of argv that recycle celery's children.
func recycleFlags(argv []string) []string {
	var out []string
	for i, w := range argv {
		for _, f := range []string{"--max-tasks-per-child", "--max-memory-per-child"} {
			if w == f && i+1 < len(argv) {
				out = append(out, w+"="+argv[i+1])
			} else if strings.HasPrefix(w, f+"=") {
				out = append(out, w)
			}
		}
	}
	return out
}

// TestCeleryRecycling: only the prefork pool (celery's default, also named
// processes) gets child recycling; a pool named by an option (an adopted
// line's -P is one) or by prodserver:args in any spelling turns it off, and
// the user's own recycling flags win over the rendered ones.
func TestCeleryRecycling(t *testing.T) {
	b, err := Lookup("celery-worker")
	if err != nil {
		t.Fatal(err)
	}
	gig := func(c *Context) { c.Proc, c.Workers, c.MemoryMB = "worker", 2, 1024 }
	sized := []string{"--max-tasks-per-child=1000", "--max-memory-per-child=349184"}
	for _, c := range []struct {
		name string
		ctx  Context
		want []string
	}{
		{"prefork by default, memory known", with(root, gig), sized},
		{"memory unknown: tasks only", with(root, func(c *Context) { gig(c); c.MemoryMB = 0 }), []string{"--max-tasks-per-child=1000"}},
		{"pool option prefork", with(root, func(c *Context) { gig(c); c.Options = opts("pool", "prefork") }), sized},
		{"pool option processes", with(root, func(c *Context) { gig(c); c.Options = opts("pool", "processes") }), sized},
		{"args --pool prefork", with(root, func(c *Context) { gig(c); c.Args = []string{"--pool", "prefork"} }), sized},
		{"concurrency option sizes the share", with(root, func(c *Context) { gig(c); c.Options = opts("concurrency", 3) }), []string{"--max-tasks-per-child=1000", "--max-memory-per-child=262144"}},
		{"share floored for a crowded pool", with(root, func(c *Context) { gig(c); c.Workers = 16 }), []string{"--max-tasks-per-child=1000", "--max-memory-per-child=131072"}},
		{"user's option wins", with(root, func(c *Context) { gig(c); c.Options = opts("max_tasks_per_child", 50) }), []string{"--max-tasks-per-child=50", "--max-memory-per-child=349184"}},
		{"user's args win", with(root, func(c *Context) { gig(c); c.Args = []string{"--max-memory-per-child=200000"} }), []string{"--max-tasks-per-child=1000", "--max-memory-per-child=200000"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			argv, err := b.Render(c.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := recycleFlags(argv); !reflect.DeepEqual(got, c.want) {
				t.Errorf("recycling flags %q, want %q; argv %q", got, c.want, argv)
			}
		})
	}
	// Pools that run no child process to replace, or ignore both flags:
	// solo runs tasks in the worker itself, threads/gevent/eventlet run
	// them in one process.
	for _, pool := range []string{"solo", "threads", "gevent", "eventlet", "SOLO"} {
		for _, c := range []struct {
			how  string
			edit func(*Context)
		}{
			{"option", func(c *Context) { c.Options = opts("pool", pool) }},
			{"args --pool=", func(c *Context) { c.Args = []string{"--pool=" + pool} }},
			{"args --pool word", func(c *Context) { c.Args = []string{"--pool", pool} }},
			{"args -P word", func(c *Context) { c.Args = []string{"-P", pool} }},
			{"args -Pword", func(c *Context) { c.Args = []string{"-P" + pool} }},
			{"args override a prefork option", func(c *Context) { c.Options = opts("pool", "prefork"); c.Args = []string{"--pool=" + pool} }},
		} {
			t.Run(pool+"/"+c.how, func(t *testing.T) {
				ctx := with(root, func(x *Context) { gig(x); c.edit(x) })
				argv, err := b.Render(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if got := recycleFlags(argv); len(got) > 0 {
					t.Errorf("pool %s got recycling flags %q; argv %q", pool, got, argv)
				}
			})
		}
	}
}

// TestMemoryPerChildKiB: an equal share of the limit for each child and
// the parent, floored at MinMemoryPerChildMB, none when the limit is
// unknown.
func TestMemoryPerChildKiB(t *testing.T) {
	for _, c := range []struct{ mb, workers, want int }{
		{0, 2, 0},
		{1024, 1, 512 * 1024},
		{1024, 2, 341 * 1024},
		{4096, 4, 819 * 1024},
		{256, 1, 128 * 1024},
		{128, 1, 128 * 1024},
		{1024, 0, 512 * 1024},
	} {
		if got := MemoryPerChildKiB(c.mb, c.workers); got != c.want {
			t.Errorf("MemoryPerChildKiB(%d, %d) = %d, want %d", c.mb, c.workers, got, c.want)
		}
	}
}
