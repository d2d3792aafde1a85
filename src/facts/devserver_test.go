package facts

import "testing"

func TestRunsDevServer(t *testing.T) {
	tests := []struct {
		cmd     string
		targets []string
		want    bool
	}{
		{"python manage.py runserver 0.0.0.0:$PORT", nil, true},
		{"python -m manage runserver 0.0.0.0:$PORT", nil, true},
		{"django-admin runserver --settings=proj.settings 0.0.0.0:$PORT", nil, true},
		{"python -m django runserver 0.0.0.0:$PORT", nil, true},
		{"uv run src/manage.py runserver 0.0.0.0:$PORT", nil, true},
		{"python manage.py runserver_plus 0.0.0.0:$PORT", nil, true},
		{"sh -c 'cd src && python manage.py runserver 0.0.0.0:$PORT'", nil, true},
		{"make run", []string{"run"}, true},
		{"make -C . PORT=$PORT run", []string{"run"}, true},
		{"make", []string{"serve", ""}, true},
		{"make run", nil, false},
		{"make build", []string{"run"}, false},
		{"make", []string{"run"}, false},
		{"gunicorn proj.wsgi", nil, false},
		{"python manage.py rqworker default", nil, false},
		{"python manage.py runworker", nil, false},
		{"./bin/runserver-docs --port $PORT", nil, false},
	}
	for _, tt := range tests {
		if got := RunsDevServer(tt.cmd, tt.targets); got != tt.want {
			t.Errorf("RunsDevServer(%q, %q) = %v, want %v", tt.cmd, tt.targets, got, tt.want)
		}
	}
}
