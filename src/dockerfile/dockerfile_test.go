package dockerfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustParse(t *testing.T, src string) *Image {
	t.Helper()
	im, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, src)
	}
	return im
}

func TestParseFinalStage(t *testing.T) {
	cases := []struct {
		name, src  string
		workdir    string
		env        map[string]string
		entrypoint string
		cmd        string
		stages     int
	}{
		{name: "no WORKDIR", src: "FROM python:3.12\nCOPY . .\n", workdir: "/", stages: 1},
		{name: "relative WORKDIR chain", src: "FROM python\nWORKDIR /srv\nWORKDIR app\n", workdir: "/srv/app", stages: 1},
		{name: "WORKDIR from ARG and ENV", src: "ARG BASE=python:3.12\nFROM $BASE\nARG HOME_DIR=/home/app\nENV APP_HOME=${HOME_DIR}/web\nWORKDIR $APP_HOME\n", workdir: "/home/app/web", env: map[string]string{"APP_HOME": "/home/app/web"}, stages: 1},
		{name: "ENV forms", src: "FROM python\nENV DJANGO_SETTINGS_MODULE=config.settings.production PYTHONUNBUFFERED=1\nENV DJANGO_CONFIGURATION Production\n",
			workdir: "/", env: map[string]string{"DJANGO_SETTINGS_MODULE": "config.settings.production", "PYTHONUNBUFFERED": "1", "DJANGO_CONFIGURATION": "Production"}, stages: 1},
		{name: "multi-stage: only the final stage counts", src: "FROM node AS assets\nWORKDIR /assets\nENV NODE_ENV=production\nCMD [\"npm\",\"start\"]\nFROM python:3.12-slim\nWORKDIR /app\nCMD [\"gunicorn\",\"app.wsgi\"]\n",
			workdir: "/app", cmd: "gunicorn app.wsgi", stages: 2},
		{name: "final stage inherits a parent stage", src: "FROM python AS base\nWORKDIR /code\nENV DJANGO_SETTINGS_MODULE=site.settings\nENTRYPOINT [\"/init\"]\nFROM base AS production\nCOPY . .\n",
			workdir: "/code", env: map[string]string{"DJANGO_SETTINGS_MODULE": "site.settings"}, entrypoint: "/init", stages: 2},
		{name: "ENTRYPOINT resets an earlier CMD", src: "FROM python\nCMD [\"python\"]\nENTRYPOINT [\"tini\",\"--\"]\n", workdir: "/", entrypoint: "tini --", stages: 1},
		{name: "shell form CMD and continuation", src: "FROM python\nCMD gunicorn \\\n  app.wsgi\n", workdir: "/", cmd: "gunicorn   app.wsgi", stages: 1},
		{name: "lower-case instructions", src: "from python as web\nworkdir /w\n", workdir: "/w", stages: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			im := mustParse(t, c.src)
			if im.Workdir != c.workdir {
				t.Errorf("Workdir = %q, want %q", im.Workdir, c.workdir)
			}
			for k, v := range c.env {
				if im.Env[k] != v {
					t.Errorf("Env[%s] = %q, want %q", k, im.Env[k], v)
				}
			}
			if got := strings.Join(im.Entrypoint, " "); got != c.entrypoint {
				t.Errorf("Entrypoint = %q, want %q", got, c.entrypoint)
			}
			if got := strings.Join(im.Cmd, " "); got != c.cmd {
				t.Errorf("Cmd = %q, want %q", got, c.cmd)
			}
			if im.Stages != c.stages {
				t.Errorf("Stages = %d, want %d", im.Stages, c.stages)
			}
		})
	}
}

func TestParseBadInput(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "RUN echo hi\n", "FROM python\nCOPY <<EOF\n"} {
		im, err := Parse([]byte(src))
		if src == "FROM python\nCOPY <<EOF\n" {
			// buildkit accepts an unterminated heredoc at EOF; it must not panic.
			continue
		}
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", src, im)
		}
	}
}

// tree is a fake repository: folders end in "/".
func tree(paths ...string) IsDir {
	dirs := map[string]bool{"": true}
	for _, p := range paths {
		if strings.HasSuffix(p, "/") {
			dirs[strings.TrimSuffix(p, "/")] = true
		}
	}
	return func(rel string) bool { return dirs[rel] }
}

func TestLocate(t *testing.T) {
	repo := tree("backend/", "backend/api/", "src/", "src/proj/", "requirements/")
	cases := []struct {
		name, src, rel, want string
		ok                   bool
	}{
		{name: "COPY . . in WORKDIR", src: "FROM python\nWORKDIR /app\nCOPY . .\n", rel: "backend/manage.py", want: "/app/backend/manage.py", ok: true},
		{name: "project folder copied flat", src: "FROM python\nWORKDIR /app\nCOPY backend/ .\n", rel: "backend/manage.py", want: "/app/manage.py", ok: true},
		{name: "folder without slash is copied flat too", src: "FROM python\nWORKDIR /app\nCOPY backend /app\n", rel: "backend/api/wsgi.py", want: "/app/api/wsgi.py", ok: true},
		{name: "folder kept under its name", src: "FROM python\nWORKDIR /app\nCOPY backend ./backend\n", rel: "backend/manage.py", want: "/app/backend/manage.py", ok: true},
		{name: "the folder itself", src: "FROM python\nWORKDIR /app\nCOPY backend/ .\n", rel: "backend", want: "/app", ok: true},
		{name: "file into a folder", src: "FROM python\nWORKDIR /app\nCOPY manage.py .\n", rel: "manage.py", want: "/app/manage.py", ok: true},
		{name: "file renamed", src: "FROM python\nCOPY requirements/prod.txt /tmp/req.txt\n", rel: "requirements/prod.txt", want: "/tmp/req.txt", ok: true},
		{name: "several files into a folder", src: "FROM python\nCOPY pyproject.toml uv.lock /app\n", rel: "uv.lock", want: "/app/uv.lock", ok: true},
		{name: "JSON form", src: "FROM python\nCOPY [\"src/\", \"/srv/\"]\n", rel: "src/proj/wsgi.py", want: "/srv/proj/wsgi.py", ok: true},
		{name: "glob", src: "FROM python\nWORKDIR /app\nCOPY requirements*.txt ./\n", rel: "requirements.txt", want: "/app/requirements.txt", ok: true},
		{name: "later COPY wins", src: "FROM python\nCOPY . /code\nCOPY src/ /app/\n", rel: "src/manage.py", want: "/app/manage.py", ok: true},
		{name: "not copied", src: "FROM python\nWORKDIR /app\nCOPY src/ .\n", rel: "backend/manage.py", ok: false},
		{name: "relative dest after WORKDIR", src: "FROM python\nWORKDIR /srv\nCOPY src/ app/\n", rel: "src/manage.py", want: "/srv/app/manage.py", ok: true},
		{name: "ADD of a URL is not the repository", src: "FROM python\nADD https://example.com/x.tgz /app/\n", rel: "manage.py", ok: false},
		{name: "multi-stage through COPY --from", src: "FROM python AS build\nWORKDIR /build\nCOPY backend/ ./\nRUN pip wheel .\nFROM python:slim\nCOPY --from=build /build /app\nWORKDIR /app\n", rel: "backend/manage.py", want: "/app/manage.py", ok: true},
		{name: "COPY --from a stage by number", src: "FROM python\nCOPY . /src\nFROM python\nCOPY --from=0 /src/src /app\n", rel: "src/manage.py", want: "/app/manage.py", ok: true},
		{name: "COPY --from an image", src: "FROM python\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/\n", rel: "uv", ok: false},
		{name: "earlier stage's copies do not count in an unrelated final stage", src: "FROM python AS a\nCOPY . /app\nFROM python\n", rel: "manage.py", ok: false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			im := mustParse(t, c.src)
			got, ok := im.Locate(c.rel, repo)
			if got != c.want || ok != c.ok {
				t.Errorf("Locate(%q) = %q, %v; want %q, %v", c.rel, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestFromWorkdir(t *testing.T) {
	cases := []struct{ workdir, abs, want string }{
		{"/app", "/app/manage.py", "manage.py"},
		{"/app", "/app", ""},
		{"/app", "/srv/manage.py", "/srv/manage.py"},
		{"/app", "/application/manage.py", "/application/manage.py"},
		{"/", "/code/manage.py", "code/manage.py"},
	}
	for _, c := range cases {
		im := &Image{Workdir: c.workdir}
		if got := im.FromWorkdir(c.abs); got != c.want {
			t.Errorf("WORKDIR %s: FromWorkdir(%q) = %q, want %q", c.workdir, c.abs, got, c.want)
		}
	}
}

func TestInstalls(t *testing.T) {
	cases := []struct {
		name, run string
		want      string // fmt of the installs' key facts
	}{
		{name: "pip -r", run: "pip install --no-cache-dir -r requirements/prod.txt", want: "pip req=[/app/requirements/prod.txt]"},
		{name: "pip packages on the command line", run: "pip install --no-cache-dir -i https://pypi.org/simple gunicorn==23.0.0 'uvicorn[standard]' /wheels/*.whl ./local", want: "pip req=[] pkgs=[gunicorn==23.0.0 uvicorn[standard]]"},
		{name: "python -m pip, --requirement=, chained", run: "python -m pip install -U pip && python -m pip install --requirement=requirements.txt", want: "pip req=[] pkgs=[pip] | pip req=[/app/requirements.txt]"},
		{name: "-rFILE and absolute", run: "pip3 install -r/tmp/req.txt", want: "pip req=[/tmp/req.txt]"},
		{name: "pip project with extras", run: "pip install '.[prod,postgres]'", want: "pip req=[] extras=[prod postgres]"},
		{name: "pip upgrade pip is a package", run: "pip install --upgrade pip setuptools", want: "pip req=[] pkgs=[pip setuptools]"},
		{name: "uv pip", run: "uv pip install --system -r requirements.txt", want: "uv-pip req=[/app/requirements.txt]"},
		{name: "uv sync default installs dev", run: "uv sync --frozen", want: "uv dev"},
		{name: "uv sync --no-dev --group", run: "uv sync --frozen --no-dev --group prod --extra redis", want: "uv groups=[prod] extras=[redis]"},
		{name: "uv sync --group=a", run: "uv sync --no-dev --group=server --all-extras", want: "uv groups=[server] all-extras"},
		{name: "poetry --with and -E", run: "poetry install --without dev --with server -E celery --no-root", want: "poetry groups=[server] extras=[celery]"},
		{name: "poetry --only main", run: "poetry install --only main", want: "poetry groups=[main]"},
		{name: "pipenv --dev", run: "pipenv install --system --deploy --dev", want: "pipenv dev"},
		{name: "semicolons and pipes", run: "set -e; apt-get update | cat; pip install -r req.txt", want: "pip req=[/app/req.txt]"},
		{name: "unknown variable is skipped", run: "pip install -r $(cat file)", want: "pip req=[]"},
		{name: "ARG expands", run: "pip install -r ${REQS}", want: "pip req=[/app/requirements/base.txt]"},
		{name: "nothing to install", run: "apt-get install -y libpq-dev", want: ""},
		{name: "not a shell script", run: "echo 'unterminated", want: ""},
	}
	im := mustParse(t, "FROM python\nENV UV_NO_DEV=1\nRUN uv sync --frozen\n")
	if len(im.Installs) != 1 || im.Installs[0].Dev {
		t.Errorf("ENV UV_NO_DEV=1: installs %+v, want uv sync without the dev group", im.Installs)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := "FROM python\nWORKDIR /app\nARG REQS=requirements/base.txt\nRUN " + c.run + "\n"
			im := mustParse(t, src)
			var got []string
			for _, in := range im.Installs {
				s := fmt.Sprintf("%s", in.Tool)
				if in.Tool == "pip" || in.Tool == "uv-pip" {
					s += fmt.Sprintf(" req=%v", in.Requirements)
				}
				if len(in.Packages) > 0 {
					s += fmt.Sprintf(" pkgs=%v", in.Packages)
				}
				if len(in.Groups) > 0 {
					s += fmt.Sprintf(" groups=%v", in.Groups)
				}
				if len(in.Extras) > 0 {
					s += fmt.Sprintf(" extras=%v", in.Extras)
				}
				if in.AllExtras {
					s += " all-extras"
				}
				if in.Dev {
					s += " dev"
				}
				if in.Line != 4 {
					t.Errorf("Line = %d, want 4", in.Line)
				}
				got = append(got, s)
			}
			if g := strings.Join(got, " | "); g != c.want {
				t.Errorf("installs of %q = %q, want %q", c.run, g, c.want)
			}
		})
	}
}

func TestSupervisor(t *testing.T) {
	cases := []struct {
		name, src, want string
		entry           bool
	}{
		{name: "s6-overlay", src: "FROM python\nENTRYPOINT [\"/init\"]\n", want: "s6-overlay /init", entry: true},
		{name: "supervisord CMD", src: "FROM python\nCMD [\"/usr/bin/supervisord\", \"-c\", \"/etc/supervisor/conf.d/app.conf\"]\n", want: "supervisord"},
		{name: "supervisord in a shell form", src: "FROM python\nCMD exec supervisord -n\n", want: "supervisord"},
		{name: "honcho entrypoint", src: "FROM python\nENTRYPOINT [\"honcho\", \"start\"]\n", want: "honcho", entry: true},
		{name: "python -m supervisor", src: "FROM python\nENTRYPOINT [\"python\", \"-m\", \"supervisor.supervisord\"]\n", want: "supervisord", entry: true},
		{name: "tini is not a supervisor", src: "FROM python\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"gunicorn\"]\n", want: ""},
		{name: "a plain server", src: "FROM python\nCMD [\"gunicorn\", \"app.wsgi\"]\n", want: ""},
		{name: "an earlier stage's supervisor does not count", src: "FROM python AS a\nENTRYPOINT [\"/init\"]\nFROM python\n", want: ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ok := mustParse(t, c.src).Supervisor()
			if s.Name != c.want || ok != (c.want != "") || s.InEntrypoint != c.entry {
				t.Errorf("Supervisor() = %+v, %v; want %q (entrypoint %v)", s, ok, c.want, c.entry)
			}
		})
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(good, []byte("FROM python\nWORKDIR /app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	im, err := Read(good)
	if err != nil || im.Workdir != "/app" {
		t.Fatalf("Read = %+v, %v", im, err)
	}
	if _, err := Read(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want ErrNotExist", err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, []byte("FROM python\n"+strings.Repeat("# x\n", MaxDockerfile/4+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(big); err == nil || err.Error() != "is larger than the 1 MiB prodserver reads" {
		t.Errorf("oversized file: %v, want the bound", err)
	}
}

// FuzzParse: no Dockerfile makes Parse, Locate or Supervisor panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"FROM python\nWORKDIR /app\nCOPY backend/ .\nENV A=1\nRUN pip install -r r.txt\nENTRYPOINT [\"/init\"]\n",
		"FROM a AS b\nFROM b\nCOPY --from=b / /x\n", "FROM python\nWORKDIR $\x00\xff\nRUN pip install -r \x00\n", "FROM x\nCOPY --from=0 . .\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		im, err := Parse(src)
		if err != nil {
			return
		}
		im.Locate("backend/manage.py", tree("backend/"))
		im.Supervisor()
		im.FromWorkdir("/app/x")
	})
}

func TestEntrypointTrap(t *testing.T) {
	cases := []struct{ src, want string }{
		{"FROM python\n", ""},
		{"FROM python\nENTRYPOINT [\"tini\", \"--\"]\n", ""},
		{"FROM python\nENTRYPOINT [\"/docker-entrypoint.sh\"]\n", ""},
		{"FROM python\nENTRYPOINT [\"gosu\", \"app\"]\n", ""},
		{"FROM python\nENTRYPOINT /docker-entrypoint.sh\n", "shell"},
		{"FROM python\nENTRYPOINT gunicorn app.wsgi\n", "shell"},
		{"FROM python\nENTRYPOINT [\"python\", \"manage.py\"]\n", "program"},
		{"FROM python\nENTRYPOINT [\"/usr/local/bin/gunicorn\"]\nCMD [\"app.wsgi\"]\n", "program"},
		{"FROM python\nENTRYPOINT [\"python3.12\", \"-m\", \"celery\"]\n", "program"},
		{"FROM python\nENTRYPOINT [\"/init\"]\n", ""}, // a supervisor: its own warning
	}
	for _, c := range cases {
		if got := mustParse(t, c.src).EntrypointTrap(); got != c.want {
			t.Errorf("EntrypointTrap of %q = %q, want %q", c.src, got, c.want)
		}
	}
}
