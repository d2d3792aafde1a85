package tuning

import "testing"

func TestGracefulTimeout(t *testing.T) {
	for _, c := range []struct{ stop, want int }{
		{0, 25}, {30, 25}, {10, 8}, {5, 3}, {3, 1}, {1, 1}, {60, 50}, {600, 590},
	} {
		got := GracefulTimeout(c.stop)
		if got != c.want {
			t.Errorf("GracefulTimeout(%d) = %d, want %d", c.stop, got, c.want)
		}
		if c.stop > 1 && got >= c.stop {
			t.Errorf("GracefulTimeout(%d) = %d does not end before the deadline", c.stop, got)
		}
	}
}
