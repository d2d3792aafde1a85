package plan

import (
	"reflect"
	"testing"
)

// TestAutoscaling: a process counts as autoscaled only with a non-empty
// triggers list, as Dokku's GetAutoscalingConfig decides.
func TestAutoscaling(t *testing.T) {
	two, five := 2, 5
	cases := []struct {
		name, json string
		want       map[string]Autoscale
	}{
		{"none", `{"formation": {"worker": {"quantity": 1}}}`, nil},
		{"empty triggers", `{"formation": {"worker": {"autoscaling": {"min_quantity": 1, "triggers": []}}}}`, nil},
		{"no triggers key", `{"formation": {"worker": {"autoscaling": {"max_quantity": 3}}}}`, nil},
		{"triggers", `{"formation": {"worker": {"autoscaling": {"min_quantity": 2, "max_quantity": 5,
			"triggers": [{"name": "q", "type": "redis", "metadata": {"listName": "celery"}}]}}, "web": {"quantity": 1}}}`,
			map[string]Autoscale{"worker": {Min: &two, Max: &five, Triggers: 1}}},
		{"defaults left to Dokku", "{\"formation\": {\"web\": {\"autoscaling\": {\"triggers\": [{\"type\": \"cpu\"}, {\"type\": \"memory\"}]}},},}",
			map[string]Autoscale{"web": {Triggers: 2}}},
		{"not JSON", `{`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Autoscaling([]byte(c.json)); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}
