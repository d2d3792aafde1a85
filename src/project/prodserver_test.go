package project

import "testing"

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
