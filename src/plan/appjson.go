package plan

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/tailscale/hujson"
	"github.com/tidwall/gjson"

	"github.com/dokku-prodserver/dokku-prodserver/src/backend"
	"github.com/dokku-prodserver/dokku-prodserver/src/procfile"
)

// AppJSON reads the "prodserver" section of an app.json:
//
//	{"prodserver": {
//	  "release": "migrate",
//	  "processes": {
//	    "web":    {"backend": "uvicorn", "options": {"timeout-keep-alive": 5, "proxy-headers": true}},
//	    "worker": {"backend": "celery-worker", "app": "proj.celery", "scale": 2, "workers": 4,
//	               "args": ["--max-tasks-per-child", "100"]}}}}
//
// found is false when app.json has no such section. A section that is
// present but wrong is an error naming the offending path, so a deploy can
// warn and leave the Procfile alone rather than guess.
//
// A key given twice (two "prodserver" sections, two "release" values)
// counts once, the last, with a warning in cfg.Warnings: that is what
// Dokku's own app.json reader does with its keys (encoding/json after
// hujson, plugins/app-json/appjson.go), and Python's json too, so the
// section prodserver reads is the one every other tool shows. (gjson alone
// would take the first.) A process named twice stays an error: the two
// declarations are more likely a mistake than an override.
func AppJSON(data []byte) (cfg *Config, found bool, err error) {
	data, err = Standardize(data)
	if err != nil {
		return nil, false, err
	}
	var warns []string
	sec, n := lastKey(gjson.ParseBytes(data), "prodserver")
	if n == 0 {
		return nil, false, nil
	}
	if n > 1 {
		warns = append(warns, fmt.Sprintf("app.json has %d \"prodserver\" keys; using the last, as Dokku's and Python's JSON readers do: delete the others", n))
	}
	if !sec.IsObject() {
		return nil, true, fmt.Errorf("app.json: prodserver must be an object")
	}
	cfg = &Config{Source: SourceAppJSON}
	var errs []string
	keys := map[string]int{}
	sec.ForEach(func(k, _ gjson.Result) bool {
		keys[k.String()]++
		return true
	})
	for _, k := range []string{"release", "processes"} {
		if keys[k] > 1 {
			warns = append(warns, fmt.Sprintf("app.json: prodserver.%s is given %d times; using the last: delete the others", k, keys[k]))
		}
	}
	declared := map[string]bool{}
	sec.ForEach(func(k, v gjson.Result) bool {
		if keys[k.String()]--; keys[k.String()] > 0 && (k.String() == "release" || k.String() == "processes") {
			return true // a later one of the same key wins
		}
		switch k.String() {
		case "release":
			if v.Type != gjson.String {
				errs = append(errs, "prodserver.release must be a string")
				return true
			}
			cfg.Release = v.String()
		case "processes":
			if !v.IsObject() {
				errs = append(errs, "prodserver.processes must be an object")
				return true
			}
			v.ForEach(func(name, p gjson.Result) bool {
				pc, err := appJSONProc(name.String(), p)
				if err != nil {
					errs = append(errs, err.Error())
					return true
				}
				if declared[pc.Name] {
					errs = append(errs, fmt.Sprintf("prodserver.processes.%s is declared twice", pc.Name))
					return true
				}
				declared[pc.Name] = true
				cfg.Processes = append(cfg.Processes, pc)
				return true
			})
		default:
			errs = append(errs, fmt.Sprintf("prodserver.%s is not a known key (release, processes)", keyText(k.String())))
		}
		return true
	})
	if len(errs) > 0 {
		return nil, true, fmt.Errorf("app.json: %s", strings.Join(errs, "; "))
	}
	cfg.Warnings = warns
	return cfg, true, nil
}

// lastKey is the last value of key in obj and how many times key appears
// (encoding/json keeps the last of duplicate keys; gjson's Get the first).
func lastKey(obj gjson.Result, key string) (gjson.Result, int) {
	var last gjson.Result
	n := 0
	if !obj.IsObject() {
		return last, 0
	}
	obj.ForEach(func(k, v gjson.Result) bool {
		if k.String() == key {
			last, n = v, n+1
		}
		return true
	})
	return last, n
}

// Standardize turns a JSONC app.json (comments, trailing commas) into plain
// JSON, as Dokku does since 0.37 (plugins/app-json/appjson.go ReadAppJSON:
// hujson.Parse, then Standardize), so a file Dokku accepts is never refused
// here. Plain JSON comes back unchanged.
func Standardize(data []byte) ([]byte, error) {
	if tooDeep(data) {
		return nil, fmt.Errorf("app.json nests more than %d levels deep", maxJSONDepth)
	}
	if gjson.ValidBytes(data) {
		return data, nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return []byte("{}"), nil // Dokku reads an empty app.json as an empty one
	}
	v, err := hujson.Parse(data)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "hujson: ")
		return nil, fmt.Errorf("app.json is not valid JSON or JSONC (%s)", msg)
	}
	v.Standardize()
	out := v.Pack()
	if !gjson.ValidBytes(out) {
		return nil, fmt.Errorf("app.json is not valid JSON or JSONC")
	}
	return out, nil
}

// HasFormation reports whether app.json's formation gives any process a
// quantity: then Dokku's app-json plugin owns the scale (it calls
// ps-can-scale APP false and ps-set-scale with those quantities in
// post-release-builder, plugins/app-json/functions.go setScale), and
// prodserver must change none. Unreadable files count as no formation; the
// deploy already warns about them.
func HasFormation(data []byte) bool {
	data, err := Standardize(data)
	if err != nil {
		return false
	}
	found := false
	formation, _ := lastKey(gjson.ParseBytes(data), "formation")
	formation.ForEach(func(_, f gjson.Result) bool {
		if f.Get("quantity").Exists() {
			found = true
			return false
		}
		return true
	})
	return found
}

// Autoscale is app.json's formation.<proc>.autoscaling as scheduler-k3s
// reads it (plugins/app-json/appjson.go GetAutoscalingConfig, v0.38.27):
// it counts only with a non-empty triggers list. Min and Max are nil when
// unset: Dokku then defaults them from the current replica count.
type Autoscale struct {
	Min      *int `json:"min_quantity,omitempty"`
	Max      *int `json:"max_quantity,omitempty"`
	Triggers int  `json:"triggers"`
}

// String is the summary prodserver:processes shows.
func (a Autoscale) String() string {
	q := func(p *int) string {
		if p == nil {
			return "current scale"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("min %s, max %s, %d trigger(s)", q(a.Min), q(a.Max), a.Triggers)
}

// Autoscaling lists the processes app.json autoscales. Unreadable files
// give none; the deploy already warns about them.
func Autoscaling(data []byte) map[string]Autoscale {
	data, err := Standardize(data)
	if err != nil {
		return nil
	}
	var out map[string]Autoscale
	formation, _ := lastKey(gjson.ParseBytes(data), "formation")
	formation.ForEach(func(k, f gjson.Result) bool {
		a := f.Get("autoscaling")
		trig := a.Get("triggers")
		if !a.IsObject() || !trig.IsArray() || len(trig.Array()) == 0 {
			return true
		}
		as := Autoscale{Triggers: len(trig.Array())}
		for _, q := range []struct {
			key string
			to  **int
		}{{"min_quantity", &as.Min}, {"max_quantity", &as.Max}} {
			if v := a.Get(q.key); v.Type == gjson.Number {
				n := int(v.Int())
				*q.to = &n
			}
		}
		if out == nil {
			out = map[string]Autoscale{}
		}
		out[k.String()] = as
		return true
	})
	return out
}

// keyText is a key from app.json as an error shows it: as is when it is
// short and printable, else quoted (and cut), so an error stays one line
// that no key can forge or flood.
func keyText(k string) string {
	const max = 64
	long := len(k) > max
	if long {
		k = strings.ToValidUTF8(k[:max], "")
	}
	plain := !long
	for _, r := range k {
		if !unicode.IsPrint(r) || r == '"' || r == '\\' {
			plain = false
		}
	}
	switch {
	case plain:
		return k
	case long:
		return strconv.Quote(k) + "…"
	}
	return strconv.Quote(k)
}

// maxJSONDepth bounds app.json's nesting: gjson validates recursively, and
// megabytes of "[" take it to Go's stack limit (a fatal error, not a
// panic). Real app.json files nest a few levels.
const maxJSONDepth = 64

// tooDeep reports whether data nests more than maxJSONDepth arrays and
// objects (strings skipped; it does not validate).
func tooDeep(data []byte) bool {
	depth := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			if depth++; depth > maxJSONDepth {
				return true
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return false
}

func appJSONProc(name string, p gjson.Result) (ProcConfig, error) {
	pc := ProcConfig{Name: name}
	where := "prodserver.processes." + keyText(name)
	if err := procfile.DNSLabel(name); err != nil {
		return pc, fmt.Errorf("%s: %v", where, err)
	}
	if p.Type == gjson.String { // shorthand: "web": "uvicorn"
		pc.Backend = p.String()
		return pc, nil
	}
	if !p.IsObject() {
		return pc, fmt.Errorf("%s must be an object or a backend name", where)
	}
	var err error
	p.ForEach(func(k, v gjson.Result) bool {
		key := k.String()
		switch key {
		case "backend", "app":
			if v.Type != gjson.String {
				err = fmt.Errorf("%s.%s must be a string", where, key)
				return false
			}
			if key == "backend" {
				pc.Backend = v.String()
			} else {
				pc.App = v.String()
			}
		case "workers", "threads", "scale":
			n, ok := wholeNumber(v)
			if !ok || n < 0 || n > 1024 {
				err = fmt.Errorf("%s.%s must be a whole number from 0 to 1024", where, key)
				return false
			}
			switch key {
			case "workers":
				pc.Workers = n
			case "threads":
				pc.Threads = n
			default:
				pc.Scale, pc.ScaleZero = n, n == 0
			}
		case "options":
			if !v.IsObject() {
				err = fmt.Errorf("%s.options must be an object", where)
				return false
			}
			v.ForEach(func(ok, ov gjson.Result) bool {
				var val any
				if val, err = jsonOption(ov); err != nil {
					err = fmt.Errorf("%s.options.%s: %v", where, keyText(ok.String()), err)
					return false
				}
				pc.Options = append(pc.Options, backend.Option{Key: ok.String(), Value: val})
				return true
			})
			if err != nil {
				return false
			}
		case "args":
			if !v.IsArray() {
				err = fmt.Errorf("%s.args must be a list of strings", where)
				return false
			}
			for _, a := range v.Array() {
				if a.Type != gjson.String {
					err = fmt.Errorf("%s.args must be a list of strings", where)
					return false
				}
				pc.Args = append(pc.Args, a.String())
			}
		default:
			err = fmt.Errorf("%s.%s is not a known key (backend, options, args, app, workers, scale)", where, keyText(key))
			return false
		}
		return true
	})
	return pc, err
}

func wholeNumber(v gjson.Result) (int, bool) {
	if v.Type != gjson.Number {
		return 0, false
	}
	f := v.Float()
	if f != math.Trunc(f) || math.Abs(f) > 1e9 {
		return 0, false
	}
	return int(f), true
}

// jsonOption maps a JSON value to an option value: true/false, whole numbers
// to int64, other numbers to float64, strings, and lists of scalars to
// []string (a repeated flag).
func jsonOption(v gjson.Result) (any, error) {
	switch v.Type {
	case gjson.True:
		return true, nil
	case gjson.False:
		return false, nil
	case gjson.String:
		return v.String(), nil
	case gjson.Number:
		if n, ok := wholeNumber(v); ok {
			return int64(n), nil
		}
		return v.Float(), nil
	}
	if v.IsArray() {
		var list []string
		for _, item := range v.Array() {
			switch item.Type {
			case gjson.String, gjson.Number:
				list = append(list, item.String())
			default:
				return nil, fmt.Errorf("a list may hold only strings and numbers")
			}
		}
		return list, nil
	}
	return nil, fmt.Errorf("must be a string, number, boolean or list")
}
