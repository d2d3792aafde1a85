package plan

import (
	"reflect"
	"testing"
)

// TestWithoutAddressWords: address flags in every spelling are taken out of
// a web process's extra words with their values; other words stay, in order.
func TestWithoutAddressWords(t *testing.T) {
	cases := []struct {
		in, kept, dropped []string
	}{
		{[]string{"--bind=0.0.0.0:80"}, nil, []string{"--bind"}},
		{[]string{"--bind", "0.0.0.0:80", "--timeout", "30"}, []string{"--timeout", "30"}, []string{"--bind"}},
		{[]string{"-b", "x", "--port=8000", "--host", "h", "--reload"}, []string{"--reload"}, []string{"-b", "--port", "--host"}},
		{[]string{"--port", "--reload"}, []string{"--reload"}, []string{"--port"}},
		{[]string{"--timeout=5", "app:x"}, []string{"--timeout=5", "app:x"}, nil},
		{[]string{"--binder=1"}, []string{"--binder=1"}, nil},
	}
	for _, c := range cases {
		kept, dropped := withoutAddressWords(c.in)
		if !reflect.DeepEqual(kept, c.kept) || !reflect.DeepEqual(dropped, c.dropped) {
			t.Errorf("withoutAddressWords(%q) = %q, %q; want %q, %q", c.in, kept, dropped, c.kept, c.dropped)
		}
	}
}
