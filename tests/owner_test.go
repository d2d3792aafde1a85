package tests

import (
	"os"
	"syscall"
	"testing"
)

func assertOwner(t *testing.T, fi os.FileInfo, uid uint32) {
	t.Helper()
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		t.Fatal("no stat_t")
	}
	if st.Uid != uid {
		t.Errorf("%s owned by uid %d, want %d", fi.Name(), st.Uid, uid)
	}
}
