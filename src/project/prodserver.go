package project

import "github.com/dokku-prodserver/dokku-prodserver/src/pyversion"

// ProdserverPackage is django-prodserver's normalised distribution name.
const ProdserverPackage = "django-prodserver"

// prodserverMajor is django-prodserver's major version: a lock file's pin
// wins over the declared specifier.
func prodserverMajor(f *Facts) int {
	if v, ok := f.Locked[ProdserverPackage]; ok {
		if n, ok := pyversion.Leading(v); ok {
			return n
		}
	}
	if spec, ok := f.Packages[ProdserverPackage]; ok {
		return pyversion.Major(spec)
	}
	if spec, ok := f.DevPackages[ProdserverPackage]; ok {
		return pyversion.Major(spec)
	}
	return 0
}
