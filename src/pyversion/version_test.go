package pyversion

import "testing"

func TestMajor(t *testing.T) {
	tests := []struct {
		spec string
		want int
	}{
		{"", 0},
		{"==2.4.1", 2},
		{"===3.0.0", 3},
		{"== 3.0", 3},
		{"~=2.4", 2},
		{"~=2", 0},
		{"==2.*", 2},
		{">=2.1,<3", 2},
		{">=2.1, <3.0", 2},
		{">=2.1,<3.1", 0},
		{">=2.0", 0},
		{"<3", 0},
		{">=2,<=2.9", 2},
		{">=2,!=2.1.0,<3", 2},
		{"^2.4", 2},
		{"^0.3", 0},
		{"~3.0", 3},
		{"3.0.1", 3},
		{">=2.0 <3.0", 2},
		{"^2.4 || ^2.5", 2},
		{"^2.4 || ^3.0", 0},
		{"*", 0},
		{"latest", 0},
	}
	for _, tt := range tests {
		if got := Major(tt.spec); got != tt.want {
			t.Errorf("Major(%q) = %d, want %d", tt.spec, got, tt.want)
		}
	}
}

func TestPinnedVersion(t *testing.T) {
	for spec, want := range map[string]string{"==1.2.3": "1.2.3", "===1.0": "1.0", ">=1": "", "==1.*": "", "==1,<2": ""} {
		got, ok := Pinned(spec)
		if got != want || ok != (want != "") {
			t.Errorf("Pinned(%q) = %q, %v", spec, got, ok)
		}
	}
}

func TestAtLeast(t *testing.T) {
	tests := []struct {
		spec, want string
		ok         bool
	}{
		{"", "3", false},
		{"*", "3", false},
		{"<4", "3", false},
		{">=3", "3", true},
		{">=3.0", "3", true},
		{">= 3.0.1", "3", true},
		{">=2.4", "3", false},
		{">=2.4,<4", "3", false},
		{">=2.4, >=3.1", "3", true},
		{"==3.0.0", "3", true},
		{"==3.*", "3", true},
		{"==2.9.9", "3", false},
		{"~=3.1", "3", true},
		{"^3.0", "3", true},
		{"~3.0", "3", true},
		{">2.9", "3", false},
		{">3", "3", true},
		{"===3.0", "3", true},
		{">=3.0rc1", "3", true},
		{"==2.10.1", "2.10.1", true},
		{">=2.10", "2.10.1", false},
		{">=2.11", "2.10.1", true},
		{"==2.9.0", "2.10.1", false},
		{">=3 ; python_version >= '3.10'", "3", true},
		{"v3", "3", false},
	}
	for _, tt := range tests {
		if got := AtLeast(tt.spec, tt.want); got != tt.ok {
			t.Errorf("AtLeast(%q, %q) = %v, want %v", tt.spec, tt.want, got, tt.ok)
		}
	}
}
