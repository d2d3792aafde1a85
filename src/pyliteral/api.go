package pyliteral

// Value is an evaluated Python literal: string, int64, float64, bool, nil
// (None), []Value (list, tuple or set, in source order) or *Dict.
type Value = any

// Dict is a Python dict literal with its keys in source order.
type Dict struct {
	Keys   []Value
	Values []Value
}

// Get returns the value stored under the string key k.
func (d *Dict) Get(k string) (Value, bool) {
	for i := len(d.Keys) - 1; i >= 0; i-- {
		if s, ok := d.Keys[i].(string); ok && s == k {
			return d.Values[i], true
		}
	}
	return nil, false
}

// NotLiteral stands, in a LookupLenient result, for a dict value that is an
// expression (a name, a call...): the keys around it are still known.
type NotLiteral struct {
	Line int
	Msg  string
}
