package expert

import (
	"context"
	"slices"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// GroupCount is the number of distinct experts in one group of a report, after
// small-number suppression.
type GroupCount struct {
	Code  string              `json:"code"`
	Count participation.Count `json:"count"`
}

// PoolFigures are the register's pool figures of spec §13 at one instant: experts by
// effective state; the effectively active experts by area, language, experience area and
// task type; and the active experts with a required check ending within 30 and 60 days.
// Every figure counts distinct people and is suppressed as activities.md A10 says: a
// count n with 1 ≤ n < Threshold shows as "<Threshold". Reports name no one.
type PoolFigures struct {
	Threshold int `json:"threshold"`
	// ByState lists every lifecycle state in order (candidate … rejected), by the
	// effective state (a lapsed check makes an active expert paused, E2).
	ByState []GroupCount `json:"byState"`
	// ActiveByArea lists the area codes the active experts work in, in code order, and
	// "remote" for those who accept remote tasks.
	ActiveByArea []GroupCount `json:"activeByArea"`
	// ActiveByLanguage lists the language tags in lower case (tags match ignoring ASCII
	// case, M4), in code order.
	ActiveByLanguage []GroupCount `json:"activeByLanguage"`
	// ActiveByExperience lists every taxonomy code (the seed, then Settings.Taxonomy,
	// then any other code an expert has, sorted), counting an expert once per code
	// whatever the perspective.
	ActiveByExperience []GroupCount `json:"activeByExperience"`
	// ActiveByTaskType lists every task type (the seed's, then Settings.TaskTypes; not
	// supervision and debrief, which are activities), counting the experts whose
	// preference for it is not never.
	ActiveByTaskType []GroupCount `json:"activeByTaskType"`
	// ExpiringWithin30Days and ExpiringWithin60Days count the active experts with a
	// required check whose latest end falls after now and by the end of the 30th
	// (60th) day after today.
	ExpiringWithin30Days participation.Count `json:"expiringWithin30Days"`
	ExpiringWithin60Days participation.Count `json:"expiringWithin60Days"`
}

// PoolFiguresOf computes [PoolFigures] over candidates at now under settings s, with
// threshold k (0 means participation.DefaultSuppression, below 1 counts as 1). Each
// candidate's Checks (nil: the expert's) decide the effective state, so pass the
// consent answers as Match does ([Service.PoolFigures] does).
func PoolFiguresOf(candidates []Candidate, s Settings, now time.Time, k int) PoolFigures {
	if k == 0 {
		k = participation.DefaultSuppression
	}
	k = max(k, 1)
	var byState [StateRejected + 1]int
	areas, langs, exps, types := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	var within30, within60 int
	today := osallisuus.DateOf(now)
	limit30, limit60 := today.AddDays(31).Start(), today.AddDays(61).Start()
	for i := range candidates {
		c := &candidates[i]
		e := &c.Expert
		checks := c.Checks
		if checks == nil {
			checks = e.Checks
		}
		st, _, _ := e.Effective(checks, s.Checks, now, now.Add(time.Nanosecond))
		if st <= StateRejected {
			byState[st]++
		}
		if st != StateActive {
			continue
		}
		p := &e.Profile
		seen := map[string]bool{}
		count := func(m map[string]int, code string) {
			if !seen[code] {
				seen[code] = true
				m[code]++
			}
		}
		for _, a := range p.Areas {
			count(areas, "area:"+a)
		}
		if p.Remote {
			count(areas, "area:"+RemoteLocation)
		}
		for _, l := range p.Languages {
			count(langs, "lang:"+asciiLower(l))
		}
		for _, x := range p.Experience {
			count(exps, "exp:"+x.Code)
		}
		for _, t := range s.taskTypeList() {
			if p.Preferences[t] != PreferenceNever {
				types[t]++
			}
		}
		if end, ok := s.Checks.firstRequiredEnd(checks); ok && end.After(now) {
			if !end.After(limit30) {
				within30++
			}
			if !end.After(limit60) {
				within60++
			}
		}
	}
	f := PoolFigures{Threshold: k, ExpiringWithin30Days: participation.SuppressCount(within30, k),
		ExpiringWithin60Days: participation.SuppressCount(within60, k)}
	for st := StateCandidate; st <= StateRejected; st++ {
		f.ByState = append(f.ByState, GroupCount{st.String(), participation.SuppressCount(byState[st], k)})
	}
	f.ActiveByArea = groups(areas, "area:", nil, k)
	f.ActiveByLanguage = groups(langs, "lang:", nil, k)
	f.ActiveByExperience = groups(exps, "exp:", append(ExperienceAreas(), s.Taxonomy...), k)
	f.ActiveByTaskType = groups(types, "", s.taskTypeList(), k)
	return f
}

// groups lists the codes of first (in order, zeros included), then the other codes of m
// (keys with prefix) sorted.
func groups(m map[string]int, prefix string, first []string, k int) []GroupCount {
	out := []GroupCount{}
	listed := map[string]bool{}
	for _, code := range first {
		if listed[code] {
			continue
		}
		listed[code] = true
		out = append(out, GroupCount{code, participation.SuppressCount(m[prefix+code], k)})
	}
	var rest []string
	for key := range m {
		if code := key[len(prefix):]; !listed[code] {
			rest = append(rest, code)
		}
	}
	slices.Sort(rest)
	for _, code := range rest {
		out = append(out, GroupCount{code, participation.SuppressCount(m[prefix+code], k)})
	}
	return out
}

// taskTypeList returns the task types of spec §2 and the settings, without the
// activity types.
func (s Settings) taskTypeList() []string {
	var out []string
	for _, t := range append(taskTypes[:len(taskTypes):len(taskTypes)], s.TaskTypes...) {
		if !isActivityType(t) && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// firstRequiredEnd returns the earliest, over the required checks, of the latest end of
// each (M2 under the policy), and false when none of them ends (or one is missing).
func (p CheckPolicy) firstRequiredEnd(checks []Check) (time.Time, bool) {
	var first time.Time
	for _, name := range p.required() {
		var latest time.Time
		found, never := false, false
		for _, c := range checks {
			if c.Name != name {
				continue
			}
			end, ok := p.end(c)
			if !ok {
				continue
			}
			found = true
			if end.IsZero() {
				never = true
			} else if end.After(latest) {
				latest = end
			}
		}
		if !found || never {
			continue
		}
		if first.IsZero() || latest.Before(first) {
			first = latest
		}
	}
	return first, !first.IsZero()
}

// PoolFigures computes [PoolFigures] over every expert record now, with each
// non-terminal expert's consent answers (see [Service.Checks]) and threshold k (0: the
// default 5). It is for the expert coordinator and recruitment; it names no one.
func (s *Service) PoolFigures(ctx context.Context, k int) (PoolFigures, error) {
	now := s.clock.Now()
	var cands []Candidate
	for e, err := range s.store.ListExperts(ctx, ExpertFilter{}) {
		if err != nil {
			return PoolFigures{}, err
		}
		c := Candidate{Expert: e}
		if !e.State.Terminal() {
			if c.Checks, err = s.Checks(ctx, e, now); err != nil {
				return PoolFigures{}, err
			}
		}
		cands = append(cands, c)
	}
	return PoolFiguresOf(cands, s.settings, now, k), nil
}
