package backend

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// options are a Context's Options, checked and rendered: flags in order
// (the last option of a key wins) and control values for the backend.
type options struct {
	flags   []renderedOption
	control map[string]any
}

// renderedOption is one option's canonical key, normalised value and argv
// words.
type renderedOption struct {
	key   string
	value any
	words []string
}

// lookup returns the rendered option for a canonical key.
func (o *options) lookup(key string) (renderedOption, bool) {
	for _, f := range o.flags {
		if f.key == key {
			return f, true
		}
	}
	return renderedOption{}, false
}

// count returns the whole number a rendered option gives a count flag named
// like "--workers": 0 when no option names it or its value is not a whole
// number from 1 to 1024. An unknown key keeps its raw value, so a numeric
// string counts too.
func (o *options) count(flag string) int {
	f, ok := o.lookup(strings.TrimPrefix(flag, "--"))
	if flag == "" || !ok {
		return 0
	}
	n := 0
	switch v := f.value.(type) {
	case int64:
		n = int(v)
	case string:
		n, _ = strconv.Atoi(strings.TrimSpace(v))
	}
	if n < 1 || n > 1024 {
		return 0
	}
	return n
}

// Counts returns the worker and thread counts opts give the backend's own
// count flags (an option "workers" for --workers, "threads" for --threads,
// spelled with '-' or '_'), 0 for each one they do not give. The options
// are read exactly as Render reads them; options Render would refuse give
// 0 and 0.
func (b *Backend) Counts(opts []Option) (workers, threads int) {
	o, err := parseOptions(b, opts)
	if err != nil {
		return 0, 0
	}
	return o.count(b.WorkersFlag), o.count(b.ThreadsFlag)
}

// controlBool returns a control option's bool value and whether it was set.
func (o *options) controlBool(key string) (value, set bool) {
	v, ok := o.control[key]
	if !ok {
		return false, false
	}
	return v.(bool), true
}

// controlString returns a control option's string value and whether it was set.
func (o *options) controlString(key string) (string, bool) {
	v, ok := o.control[key]
	if !ok {
		return "", false
	}
	return v.(string), true
}

// controlList returns a control option's list value and whether it was set.
func (o *options) controlList(key string) ([]string, bool) {
	v, ok := o.control[key]
	if !ok {
		return nil, false
	}
	return v.([]string), true
}

// parseOptions validates keys and values against the backend's OptionSpecs
// and renders each option to argv words.
func parseOptions(b *Backend, in []Option) (*options, error) {
	o := &options{control: make(map[string]any)}
	for _, opt := range in {
		if !optionKey().MatchString(opt.Key) {
			return nil, fmt.Errorf("%w: option key %q: use letters, digits, '-' and '_', starting with a letter or digit", ErrInvalid, opt.Key)
		}
		key := strings.ReplaceAll(opt.Key, "_", "-")
		spec, known := b.Option(key)
		if !known {
			spec = OptionSpec{Name: key}
		}
		value, err := optionValue(spec, known, opt.Value)
		if err != nil {
			return nil, fmt.Errorf("option %q: %w", opt.Key, err)
		}
		if spec.Control {
			o.control[spec.Name] = value
			continue
		}
		// The last option of a key wins, at its own position.
		for i, f := range o.flags {
			if f.key == spec.Name {
				o.flags = append(o.flags[:i], o.flags[i+1:]...)
				break
			}
		}
		o.flags = append(o.flags, renderedOption{spec.Name, value, optionWords(spec, value)})
	}
	return o, nil
}

// optionValue checks a value's Go type and returns it normalised (int →
// int64). For a known option the value must fit the spec's type, and a
// string spelling of it is converted, because settings written for
// django-prodserver spell every ARGS value as a string ("4", "True"):
// "4" → 4 for an int, "2.5" → 2.5 for a float, "true"/"False" (as
// strconv.ParseBool reads them) → a bool, a number → its decimal string
// for a string, a string → a one-item list.
func optionValue(spec OptionSpec, known bool, v any) (any, error) {
	switch x := v.(type) {
	case int:
		v = int64(x)
	case int64, bool, float64, string, []string:
	default:
		return nil, fmt.Errorf("%w: %s is not an option value (use true or false, a number, a string or a list of strings)", ErrInvalid, describe(v))
	}
	switch x := v.(type) {
	case string:
		if err := checkText("value", x); err != nil {
			return nil, err
		}
	case []string:
		for i, s := range x {
			if err := checkText(fmt.Sprintf("value[%d]", i), s); err != nil {
				return nil, err
			}
		}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%w: %v is not a renderable number", ErrInvalid, x)
		}
	}
	if !known {
		return v, nil
	}
	if out, ok := convert(spec.Type, v); ok {
		return out, nil
	}
	return nil, fmt.Errorf("%w: %s wants a value of type %s, got %s", ErrInvalid, spec.Name, spec.Type, describe(v))
}

// describe names a value as app.json or settings.py spells it, for an
// error the operator fixes there: Go's type names (%T) mean nothing in
// either file.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if len(x) > maxShownName {
			x = strings.ToValidUTF8(x[:maxShownName], "") + "…"
		}
		return "the string " + strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []string, []any:
		return "a list"
	case map[string]any, map[string]string:
		return "a dict"
	}
	return "a value of another kind"
}

// convert returns v as type t, if it is one or spells one.
func convert(t OptionType, v any) (any, bool) {
	s, isString := v.(string)
	switch t {
	case TypeBool:
		if isString {
			b, err := strconv.ParseBool(strings.TrimSpace(s))
			return b, err == nil
		}
		_, ok := v.(bool)
		return v, ok
	case TypeInt:
		switch x := v.(type) {
		case int64:
			return x, true
		case float64:
			return int64(x), x == math.Trunc(x) && math.Abs(x) < 1<<53
		case string:
			n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
			return n, err == nil
		}
	case TypeFloat:
		switch x := v.(type) {
		case float64:
			return x, true
		case int64:
			return float64(x), true
		case string:
			f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
		}
	case TypeString:
		switch x := v.(type) {
		case string:
			return x, true
		case int64:
			return strconv.FormatInt(x, 10), true
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64), true
		}
	case TypeList:
		switch x := v.(type) {
		case []string:
			return x, true
		case string:
			return []string{x}, true
		}
	}
	return nil, false
}

// optionWords renders one option: true → bare flag, false → the spec's
// Negative word or nothing, list → the flag repeated, scalar → --key=value.
func optionWords(spec OptionSpec, v any) []string {
	flag := spec.Flag
	if flag == "" {
		flag = "--" + spec.Name
	}
	switch x := v.(type) {
	case bool:
		if x {
			return []string{flag}
		}
		if spec.Negative != "" {
			return []string{spec.Negative}
		}
		return nil
	case []string:
		words := make([]string, 0, len(x))
		for _, s := range x {
			words = append(words, flag+"="+s)
		}
		return words
	case int64:
		return []string{flag + "=" + strconv.FormatInt(x, 10)}
	case float64:
		return []string{flag + "=" + strconv.FormatFloat(x, 'f', -1, 64)}
	default:
		return []string{flag + "=" + v.(string)}
	}
}

// rejectFlags is for backends whose program takes no command-line options
// from prodserver (django-prodserver reads them from settings).
func rejectFlags(o *options, why string) error {
	if len(o.flags) == 0 {
		return nil
	}
	keys := make([]string, 0, len(o.flags))
	for _, f := range o.flags {
		keys = append(keys, f.key)
	}
	return fmt.Errorf("%w: options %s cannot be passed: %s", ErrInvalid, strings.Join(keys, ", "), why)
}
