package project

import (
	"strconv"

	"github.com/dokku-prodserver/dokku-prodserver/src/pyliteral"
)

// applySettingChanges applies to d, the value of the last module-level
// literal assignment to name in src, the module-level statements after it
// whose effect is known without running Python (issue 15: they used to be
// ignored, so the Procfile differed from Django's settings):
// NAME["k"]... = literal, del NAME["k"]..., NAME.update({literal}),
// NAME.pop("k") and NAME.setdefault("k", literal). It returns each applied
// change in the words of the notice, and the token indexes (of NAME) of
// their statements so settingChanges warns only about the rest.
func applySettingChanges(src []byte, name string, d *pyliteral.Dict) (applied []string, done map[int]bool) {
	toks := pyliteral.Tokens(src)
	done = map[int]bool{}
	lit := -1
	for i, t := range toks {
		if t.Stmt && t.Indent == 0 && t.Kind == pyliteral.Name && t.Text == name && i+1 < len(toks) &&
			toks[i+1].Kind == pyliteral.Op && (toks[i+1].Text == "=" || toks[i+1].Text == ":") {
			lit = i
		}
	}
	if lit < 0 || d == nil {
		return nil, done
	}
	for i := lit + 1; i < len(toks); i++ {
		t := toks[i]
		if !t.Stmt || t.Indent != 0 {
			continue
		}
		end := i + 1
		for end < len(toks) && !toks[end].Stmt {
			end++
		}
		if end < len(toks) && toks[end-1].Kind == pyliteral.Op && toks[end-1].Text == ";" {
			end-- // the ";" that separates statements is not part of this one
		}
		st := toks[i:end]
		if s, ok := applyStatement(src, name, st, toks, end, d); ok {
			applied = append(applied, s)
			if st[0].Text == "del" {
				done[i+1] = true
			} else {
				done[i] = true
			}
		}
	}
	return applied, done
}

// applyStatement applies one statement st (the tokens of a simple
// statement; all is every token, next the index after st) to d when it is
// one of the forms applySettingChanges knows, reporting what it did.
func applyStatement(src []byte, name string, st, all []pyliteral.Token, next int, d *pyliteral.Dict) (string, bool) {
	isOp := func(i int, s string) bool {
		return i < len(st) && st[i].Kind == pyliteral.Op && st[i].Text == s
	}
	stmtEnd := len(src)
	if next < len(all) {
		stmtEnd = all[next].Start
	}
	del := st[0].Kind == pyliteral.Name && st[0].Text == "del"
	j := 0
	if del {
		j = 1
	}
	if j >= len(st) || st[j].Kind != pyliteral.Name || st[j].Text != name {
		return "", false
	}
	j++
	// Literal string keys: ["a"]["b"]...
	var keys []string
	for isOp(j, "[") && j+2 < len(st) && st[j+1].Kind == pyliteral.String && isOp(j+2, "]") {
		v, err := pyliteral.Eval(src[st[j+1].Start:st[j+2].Start])
		k, ok := v.(string)
		if err != nil || !ok {
			return "", false
		}
		keys = append(keys, k)
		j += 3
	}
	path := name
	for _, k := range keys {
		path += "[" + strconv.Quote(k) + "]"
	}
	switch {
	case del && len(keys) > 0 && j == len(st):
		parent, ok := dictAt(d, keys[:len(keys)-1])
		if !ok || !delKey(parent, keys[len(keys)-1]) {
			return "", false
		}
		return "del " + path, true
	case !del && len(keys) > 0 && isOp(j, "=") && j+1 < len(st):
		v, err := pyliteral.Eval(src[st[j+1].Start:stmtEnd])
		if err != nil {
			return "", false
		}
		parent, ok := dictAt(d, keys[:len(keys)-1])
		if !ok {
			return "", false
		}
		setKey(parent, keys[len(keys)-1], v)
		return path + " = …", true
	case !del && len(keys) == 0 && isOp(j, ".") && j+2 < len(st) && isOp(j+2, "(") && isOp(len(st)-1, ")"):
		args, ok := callArgs(src, st[j+3:len(st)-1], st[len(st)-1])
		if !ok {
			return "", false
		}
		return applyMethod(name, st[j+1].Text, args, d)
	}
	return "", false
}

// callArgs evaluates the positional arguments between a call's brackets
// (inner, then the closing token) as literals.
func callArgs(src []byte, inner []pyliteral.Token, closing pyliteral.Token) ([]pyliteral.Value, bool) {
	if len(inner) == 0 {
		return nil, true
	}
	body := src[inner[0].Start:closing.Start]
	v, err := pyliteral.Eval([]byte("(" + string(body) + ",)"))
	args, ok := v.([]pyliteral.Value)
	return args, err == nil && ok
}

// applyMethod applies NAME.method(args) to d.
func applyMethod(name, method string, args []pyliteral.Value, d *pyliteral.Dict) (string, bool) {
	switch method {
	case "update":
		u, ok := onlyArg(args).(*pyliteral.Dict)
		if !ok {
			return "", false
		}
		for _, k := range u.Keys {
			if _, ok := k.(string); !ok {
				return "", false
			}
		}
		for i, k := range u.Keys {
			setKey(d, k.(string), u.Values[i])
		}
		return name + ".update(…)", true
	case "pop":
		if len(args) != 1 && len(args) != 2 {
			return "", false
		}
		k, ok := args[0].(string)
		if !ok || (!delKey(d, k) && len(args) == 1) {
			return "", false // popping a missing key raises in Django too
		}
		return name + ".pop(" + strconv.Quote(k) + ")", true
	case "setdefault":
		if len(args) != 2 {
			return "", false
		}
		k, ok := args[0].(string)
		if !ok {
			return "", false
		}
		if _, exists := d.Get(k); !exists {
			setKey(d, k, args[1])
		}
		return name + ".setdefault(" + strconv.Quote(k) + ", …)", true
	}
	return "", false
}

func onlyArg(args []pyliteral.Value) pyliteral.Value {
	if len(args) != 1 {
		return nil
	}
	return args[0]
}

// dictAt follows keys from d; every level must be a dict.
func dictAt(d *pyliteral.Dict, keys []string) (*pyliteral.Dict, bool) {
	for _, k := range keys {
		v, ok := d.Get(k)
		if !ok {
			return nil, false
		}
		if d, ok = v.(*pyliteral.Dict); !ok {
			return nil, false
		}
	}
	return d, true
}

// setKey stores v under k, where k already is (as Python keeps a key's
// first position) or at the end.
func setKey(d *pyliteral.Dict, k string, v pyliteral.Value) {
	found := false
	for i, key := range d.Keys {
		if s, ok := key.(string); ok && s == k {
			d.Values[i], found = v, true
		}
	}
	if !found {
		d.Keys, d.Values = append(d.Keys, k), append(d.Values, v)
	}
}

// delKey removes k, reporting whether it was there.
func delKey(d *pyliteral.Dict, k string) bool {
	var keys, vals []pyliteral.Value
	found := false
	for i, key := range d.Keys {
		if s, ok := key.(string); ok && s == k {
			found = true
			continue
		}
		keys, vals = append(keys, key), append(vals, d.Values[i])
	}
	d.Keys, d.Values = keys, vals
	return found
}
