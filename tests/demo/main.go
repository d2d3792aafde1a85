// Command demo is `make demo`: it builds prodserver, lays out a throwaway
// Dokku host (the test harness), deploys the example Django app through the
// real triggers in Dokku's order, prints the Procfile prodserver wrote, then
// starts the web line the way Dokku starts a Dockerfile app (the Procfile
// command expanded and split by procfile-util's rules, no shell, PORT set),
// requests a page and stops the server with its graceful signal.
package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
	"github.com/dokku-prodserver/dokku-prodserver/tests/harness"
)

func main() {
	t := &harness.Standalone{Name: "demo"}
	defer t.Done()
	step := func(s string) { fmt.Println("-----> " + s) }

	step("Building prodserver and laying out a throwaway Dokku host")
	h := harness.New(t)
	fmt.Printf("       DOKKU_ROOT=%s\n       PLUGIN_PATH=%s\n", h.Root, h.PluginPath)
	h.CreateApp("shop")

	step("git push dokku main: running the deploy triggers on tests/fixtures/djangoapp")
	d := h.Deploy("shop", filepath.Join(harness.RepoRoot(), "tests", "fixtures", "djangoapp"))
	out, errs := d.Output()
	fmt.Print(indent(out))
	fmt.Print(indent(errs))
	if d.Failed {
		t.Fatal("the deploy failed")
	}

	step("The Procfile Dokku will use (data/ps/shop/Procfile)")
	fmt.Print(indent(d.Procfile))
	step("Scale after the deploy")
	scale := h.Scale("shop")
	procs := make([]string, 0, len(scale))
	for proc := range scale {
		procs = append(procs, proc)
	}
	sort.Strings(procs)
	for _, proc := range procs {
		fmt.Printf("       %s=%d\n", proc, scale[proc])
	}
	for proc, args := range d.DockerArgs {
		if strings.TrimSpace(args) != "" {
			fmt.Printf("       docker args for %s:%s\n", proc, args)
		}
	}

	f, err := procfile.Parse([]byte(d.Procfile))
	if err != nil {
		t.Fatal(err)
	}
	line, ok := f.Get("web")
	if !ok {
		t.Fatal("no web line")
	}
	port := freePort()
	argv, err := procfile.Split(line, map[string]string{"PORT": strconv.Itoa(port)})
	if err != nil {
		t.Fatal(err)
	}
	step(fmt.Sprintf("Starting the web process on port %d, as Dokku would", port))
	fmt.Printf("       argv: %q\n", argv)
	// The app's own data (SQLite) goes in the work dir; run migrate first
	// as the release process would.
	env := append(os.Environ(), "PATH=/usr/bin:/bin:/usr/sbin:/usr/local/bin", "PORT="+strconv.Itoa(port),
		"DATABASE_PATH="+filepath.Join(d.Work, "db.sqlite3"))
	if rel, ok := f.Get("release"); ok {
		rargv, err := procfile.Split(rel, nil)
		if err == nil {
			cmd := exec.Command(lookPath(rargv[0]), rargv[1:]...)
			cmd.Dir, cmd.Env = d.Work, env
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("release: %v\n%s", err, b)
			}
			fmt.Printf("       release ran: %s\n", rel)
		}
	}
	var logs bytes.Buffer
	cmd := exec.Command(lookPath(argv[0]), argv[1:]...)
	cmd.Dir, cmd.Env = d.Work, env
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })

	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	var body string
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(b)))
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer from %s: %v\n%s", url, err, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	step("GET " + url)
	fmt.Printf("       %s\n", body)

	step("Stopping it with SIGTERM")
	start := time.Now()
	syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
		fmt.Printf("       stopped in %v\n", time.Since(start).Round(time.Millisecond))
	case <-time.After(15 * time.Second):
		t.Fatal("did not stop within 15s")
	}
}

func indent(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if strings.HasPrefix(l, "----->") || strings.HasPrefix(l, "       ") || strings.HasPrefix(l, " !") {
			b.WriteString(l + "\n")
		} else {
			b.WriteString("       " + l + "\n")
		}
	}
	return b.String()
}

// lookPath finds a program on the container-like PATH (Debian's Python
// first), not on the PATH this demo was started with.
func lookPath(name string) string {
	for _, dir := range []string{"/usr/bin", "/bin", "/usr/sbin", "/usr/local/bin"} {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return name
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 5000
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
