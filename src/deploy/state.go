package deploy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dokku-prodserver/dokku-prodserver/src/dokku"
	"github.com/dokku-prodserver/dokku-prodserver/src/plan"
	"github.com/dokku-prodserver/dokku-prodserver/src/project"
	"github.com/dokku-prodserver/dokku-prodserver/src/safefile"
	"github.com/dokku-prodserver/dokku-prodserver/src/store"
	"github.com/dokku-prodserver/dokku-prodserver/src/tuning"
)

// Record is what core-post-extract decided for one deploy, kept in
// $DOKKU_LIB_ROOT/data/prodserver/<app>/deploy.json. Later triggers of the
// same deploy (post-release-builder, docker-args-process-deploy) act on it,
// and prodserver:processes / :procfile / :export recompute from its inputs,
// since Dokku keeps no copy of the source tree.
type Record struct {
	// Version is RecordVersion when written; 0 is 0.1.0's records, which
	// load unchanged (every field has a fixed JSON key).
	Version int        `json:"version"`
	PID     string     `json:"pid"`
	Plan    *plan.Plan `json:"plan"`
	// Inputs, for recomputing with changed properties.
	Facts    *project.Facts `json:"facts,omitempty"`
	AppJSON  *plan.Config   `json:"app_json,omitempty"`
	Settings *plan.Config   `json:"settings,omitempty"`
	Procfile *string        `json:"procfile,omitempty"`
	// ProcfileRaw holds the Procfile instead of Procfile when it is not
	// UTF-8: a JSON string would replace each invalid byte with U+FFFD, and
	// procfile/processes would then show a line that is not the app's
	// (encoding/json writes []byte as base64, byte for byte).
	ProcfileRaw    []byte   `json:"procfile_raw,omitempty"`
	ProcfilePath   string   `json:"procfile_path"`
	SourceWarnings []string `json:"source_warnings,omitempty"`
	// Formation is true when app.json's formation gives a quantity: then
	// app-json owns the scale and post-release-builder changes none.
	Formation bool `json:"formation,omitempty"`
	// Build is the builder Dokku will run (detectBuild); nil in records
	// written before prodserver knew it.
	Build *Build `json:"build,omitempty"`
	// Image is the Dockerfile's final stage when Dokku builds one; the
	// facts above are already in its layout.
	Image *Image `json:"image,omitempty"`
	// Scheduler is the app's Dokku scheduler at this deploy and where it
	// came from (app, global, default); empty in older records.
	Scheduler     string `json:"scheduler,omitempty"`
	SchedulerFrom string `json:"scheduler_from,omitempty"`
	// Autoscaling is app.json's formation.<proc>.autoscaling (with
	// triggers): on k3s, KEDA owns those processes' replica counts.
	Autoscaling map[string]plan.Autoscale `json:"autoscaling,omitempty"`
	// room and fromHost are this deploy's sizing inputs, not stored: the
	// deploy warns once for the processes the host fallback sized.
	room     tuning.Room
	fromHost map[string]string
}

// SetProcfile keeps the deploy's Procfile in the record, as a string when
// it is UTF-8 (readable in deploy.json) and as bytes otherwise.
func (r *Record) SetProcfile(data []byte) {
	r.Procfile, r.ProcfileRaw = nil, nil
	if utf8.Valid(data) {
		s := string(data)
		r.Procfile = &s
		return
	}
	r.ProcfileRaw = append([]byte{}, data...)
}

// ProcfileBytes is the Procfile the deploy read, byte for byte; nil when
// there was none.
func (r *Record) ProcfileBytes() []byte {
	if r.ProcfileRaw != nil {
		return r.ProcfileRaw
	}
	if r.Procfile != nil {
		return []byte(*r.Procfile)
	}
	return nil
}

// Autoscaled says KEDA scales proc on this record's scheduler: only
// scheduler-k3s reads formation.<proc>.autoscaling (docker-local ignores
// it, so there prodserver's scale is what makes the process run).
func (r *Record) Autoscaled(proc string) bool {
	_, ok := r.Autoscaling[proc]
	return ok && r.Scheduler == "k3s"
}

// RecordVersion is the deploy.json layout this prodserver writes. A record
// from a newer prodserver (after a downgrade) is refused, not misread.
const RecordVersion = 1

// LoadRecord reads the app's last deploy record; nil when there is none.
func LoadRecord(app string) (*Record, error) {
	b, err := safefile.Read(store.CurrentRecordPath(app), dokku.MaxStateFile)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(b) == 0 {
		// none, or this deploy manages nothing (store.ForgetDeploy)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading prodserver's deploy record of %s: %w", app, err)
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("prodserver's deploy record of %s is corrupt (%v); redeploy with ps:rebuild", app, err)
	}
	if r.Version > RecordVersion {
		return nil, fmt.Errorf("prodserver's deploy record of %s was written by a newer prodserver (layout %d, this one reads up to %d); redeploy with dokku ps:rebuild %s", app, r.Version, RecordVersion, app)
	}
	return &r, nil
}

func saveRecord(app string, r *Record) error {
	b, err := encodeRecord(r)
	if err != nil {
		return err
	}
	return writeRecord(app, b)
}

// encodeRecord is the record's JSON. The deploy encodes it before it
// writes the Procfile, so a value JSON cannot hold (1e400 is +Inf) can
// never fail the record after the Procfile was rewritten.
func encodeRecord(r *Record) ([]byte, error) {
	if r.Facts != nil {
		// The evaluated literal is kept as plan.Config in r.Settings.
		f := *r.Facts
		f.ProductionProcesses, f.ProductionProcessesErr = nil, nil
		r.Facts = &f
	}
	r.Version = RecordVersion
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("a value cannot be recorded (a number too large?): %w", err)
	}
	if len(b) >= dokku.MaxStateFile {
		// Never a record that the next trigger refuses to read back.
		return nil, fmt.Errorf("the deploy record would be larger than the %s prodserver reads back", safefile.Size(dokku.MaxStateFile))
	}
	return b, nil
}

// writeRecord stores an encoded record as this deploy's pending record
// (store.PendingRecordPath), which core-post-deploy makes deploy.json once
// the deploy runs; outside a deploy, as deploy.json.
func writeRecord(app string, b []byte) error {
	if err := dokku.MkdirAll(dokku.DataDir(app)); err != nil {
		return err
	}
	path := store.PendingRecordPath(app)
	if path == "" {
		path = store.RecordPath(app)
	}
	return dokku.WriteFileAtomic(path, append(b, '\n'), 0o600)
}

// Operator reads the operator's resolved settings and per-process choices.
func Operator(app string) (plan.Operator, error) {
	op := plan.Operator{Backends: map[string]string{}, Args: map[string][]string{}}
	// One listing of each property folder, not two reads per setting.
	all, err := store.ResolveAll(app)
	if err != nil {
		return op, err
	}
	op.Enabled, op.AppDir, op.Settings = all["enabled"].Computed, all["app-dir"].Computed, all["settings-module"].Computed
	op.WSGI, op.ASGI, op.CeleryApp = all["wsgi"].Computed, all["asgi"].Computed, all["celery-app"].Computed
	op.Python = all["python"].Computed
	if w := all["workers"].Computed; w != "auto" {
		op.Workers, _ = strconv.Atoi(w)
	}
	if t := all["threads"].Computed; t != "auto" {
		op.Threads, _ = strconv.Atoi(t)
	}
	// release: the app's value wins over what the app declares; the global
	// value is a default below app.json and settings.py (spec ranks them),
	// and the built-in "migrate" is only a default.
	op.Release, op.GlobalRelease = all["release"].App, all["release"].Global
	op.Strict = all["strict"].Computed == "true"
	op.Verbatim = all["adopt"].Computed == "false"
	op.Daemons = all["daemons"].Computed
	if op.Python == "python" {
		op.Python = ""
	}

	keys, err := dokku.PropertyKeys(app)
	if err != nil {
		return op, err
	}
	for _, k := range keys {
		if proc, ok := strings.CutPrefix(k, store.BackendKeyPrefix); ok {
			if op.Backends[proc], err = dokku.PropertyGet(app, k); err != nil {
				return op, err
			}
		}
		if proc, ok := strings.CutPrefix(k, store.ArgsKeyPrefix); ok {
			if op.Args[proc], err = dokku.PropertyListGet(app, k); err != nil {
				return op, err
			}
		}
	}
	return op, nil
}
