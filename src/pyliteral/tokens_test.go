package pyliteral

import (
	"reflect"
	"testing"
)

// TestTokensLineStructure: statements start after a newline outside
// brackets and after a ';', indented ones too; an unterminated string ends
// the tokens without panicking. (Moved from project's own tokenizer.)
func TestTokensLineStructure(t *testing.T) {
	src := "x = (1,\n  2)\n  y = 3\nz = 4; w = 5\n"
	var stmts []string
	var indents []int
	for _, tk := range Tokens([]byte(src)) {
		if tk.Stmt {
			stmts = append(stmts, tk.Text)
			indents = append(indents, tk.Indent)
		}
	}
	if want := []string{"x", "y", "z", "w"}; !reflect.DeepEqual(stmts, want) {
		t.Errorf("statement starts = %q, want %q", stmts, want)
	}
	if want := []int{0, 2, 0, 7}; !reflect.DeepEqual(indents, want) {
		t.Errorf("indents = %v, want %v", indents, want)
	}
	if got := Tokens([]byte("x = 'abc\ny = 2")); len(got) != 2 {
		t.Errorf("unterminated string: %+v, want the two tokens before it", got)
	}
	_ = Tokens([]byte("x = \"\"\"never closed"))
}

// TestTokensText: names, numbers and operators are their source text;
// strings their contents with only \\, \' and \" decoded; comments vanish.
func TestTokensText(t *testing.T) {
	src := `a = r"x\y" + 'it\'s' + "\\n" # c` + "\n" + `os.environ.setdefault("K", f"{v}") ** 2`
	var got []string
	var kinds []TokenKind
	for _, tk := range Tokens([]byte(src)) {
		got = append(got, tk.Text)
		kinds = append(kinds, tk.Kind)
	}
	want := []string{"a", "=", `x\y`, "+", "it's", "+", `\n`, "os", ".", "environ", ".", "setdefault", "(", "K", ",", "{v}", ")", "**", "2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("texts\n got %q\nwant %q", got, want)
	}
	if kinds[0] != Name || kinds[2] != String || kinds[1] != Op || kinds[len(kinds)-1] != Number {
		t.Errorf("kinds %v", kinds)
	}
}
