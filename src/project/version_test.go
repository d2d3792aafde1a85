package project

import "testing"

func TestMajorVersion(t *testing.T) {
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
		if got := MajorVersion(tt.spec); got != tt.want {
			t.Errorf("MajorVersion(%q) = %d, want %d", tt.spec, got, tt.want)
		}
	}
}

func TestProdserverMajor(t *testing.T) {
	tests := []struct {
		name string
		f    Facts
		want int
	}{
		{"lock wins over spec", Facts{Packages: map[string]string{ProdserverPackage: ">=2"}, Locked: map[string]string{ProdserverPackage: "3.0.2"}}, 3},
		{"spec", Facts{Packages: map[string]string{ProdserverPackage: "~=2.4"}}, 2},
		{"open spec", Facts{Packages: map[string]string{ProdserverPackage: ">=2"}}, 0},
		{"dev only", Facts{DevPackages: map[string]string{ProdserverPackage: "==3.1"}}, 3},
		{"absent", Facts{Packages: map[string]string{"django": "==5.0"}}, 0},
	}
	for _, tt := range tests {
		if got := prodserverMajor(&tt.f); got != tt.want {
			t.Errorf("%s: prodserverMajor = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestPinnedVersion(t *testing.T) {
	for spec, want := range map[string]string{"==1.2.3": "1.2.3", "===1.0": "1.0", ">=1": "", "==1.*": "", "==1,<2": ""} {
		got, ok := pinnedVersion(spec)
		if got != want || ok != (want != "") {
			t.Errorf("pinnedVersion(%q) = %q, %v", spec, got, ok)
		}
	}
}
